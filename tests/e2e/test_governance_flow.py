"""Governance in real browsers: a steward proposes raising the transfer tax, two members vote, the charter changes."""

import re

import pytest
from playwright.sync_api import Browser, expect

from federage.commons import services as commons_services
from federage.testing import browser_log_in

pytestmark = pytest.mark.browser


def test_members_raise_the_transfer_tax(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    sophie = make_user("sophie@example.org", "Sophie Gestion")
    marc = make_user("marc@example.org", "Marc Potager")
    lea = make_user("lea@example.org", "Léa Semis")
    make_commons(
        sophie,
        slug="jardin-partage",
        name="Jardin partagé",
        members={marc: ["contributor"], lea: ["contributor"]},
    )

    steward = browser_log_in(browser, app_url, sophie, "/c/jardin-partage")
    steward.get_by_role("link", name="Charte").first.click()
    rule = steward.locator("tr[data-parameter='transfer_tax_bp']")
    expect(rule).to_contain_text("Taxe sur les cessions de titres")
    expect(rule).to_contain_text("1 %")

    steward.get_by_role("link", name="Proposer une modification").click()
    expect(steward.get_by_role("heading", level=1)).to_have_text("Nouvelle proposition")
    expect(steward.get_by_label("Type de proposition")).to_have_value("amend_charter")
    steward.get_by_label("Titre", exact=True).fill("Porter la taxe sur les cessions à 2 %")
    steward.get_by_label("Exposé des motifs").fill("Pour financer l’entretien des outils.")
    steward.get_by_label("Taxe sur les cessions de titres (en %)").fill("2")
    steward.get_by_role("button", name="Soumettre au vote").click()
    expect(steward).to_have_url(re.compile(rf"{app_url}/c/jardin-partage/proposals/\d+$"))
    proposal_path = steward.url.removeprefix(app_url)
    expect(steward.get_by_test_id("proposal-status")).to_have_text("vote en cours")
    changes = steward.get_by_role("table", name="Modifications proposées")
    expect(changes).to_contain_text("Taxe sur les cessions de titres")
    expect(changes).to_contain_text("2 %")
    # The author never votes on their own proposal: the refusal is shown by its code.
    expect(steward.get_by_text("On ne vote pas sur sa propre proposition.")).to_be_visible()

    # Who joins after the opening has no vote on it.
    nina = make_user("nina@example.org", "Nina Arrivée")
    _, link = commons_services.invitation_create(
        user=sophie, slug="jardin-partage", email=nina.email, roles=["contributor"]
    )
    commons_services.invitation_accept(user=nina, token=link.rsplit("/", 1)[1])
    late = browser_log_in(browser, app_url, nina, proposal_path)
    expect(
        late.get_by_text("Vous ne faites pas partie des votants de cette proposition.")
    ).to_be_visible()
    expect(late.get_by_role("button", name="Pour")).to_have_count(0)

    voters = [(marc, "Je suis pour."), (lea, "")]
    for user, comment in voters:
        page = browser_log_in(browser, app_url, user, proposal_path)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Porter la taxe sur les cessions à 2 %"
        )
        if comment:
            page.get_by_label("Commentaire (facultatif)").fill(comment)
        page.get_by_role("group", name="Votre vote").get_by_role("button", name="Pour").click()
        expect(page.get_by_role("status")).to_contain_text("Vote enregistré : Pour.")

    # The second ballot settles the vote: it closes early and the steward's page follows.
    expect(steward.get_by_test_id("proposal-status")).to_have_text("adoptée", timeout=15_000)
    expect(steward.get_by_text("La proposition est adoptée.")).to_be_visible()
    expect(steward.locator(".tally dd[data-choice='for']")).to_have_text("2")
    expect(steward.locator(".ballots")).to_contain_text("Je suis pour.")

    steward.get_by_role("link", name="Décision n° 1").click()
    expect(steward).to_have_url(re.compile(rf"{app_url}/c/jardin-partage/decisions#decision-\d+$"))
    expect(steward.get_by_role("link", name="Version 2 de la charte")).to_be_visible()

    steward.get_by_role("navigation", name="Rubriques du commun").get_by_role(
        "link", name="Charte"
    ).click()
    expect(steward.locator(".current-version")).to_contain_text("Version 2")
    expect(steward.locator("tr[data-parameter='transfer_tax_bp']")).to_contain_text("2 %")
    history = steward.locator("#version-2")
    expect(history).to_contain_text("décision n° 1")
    expect(history.get_by_role("table")).to_contain_text("1 %")
    expect(history.get_by_role("table")).to_contain_text("2 %")


def test_a_member_comments_and_gets_notified(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    sophie = make_user("sophie@example.org", "Sophie Gestion")
    marc = make_user("marc@example.org", "Marc Potager")
    make_commons(sophie, slug="atelier", name="Atelier", members={marc: ["contributor"]})

    steward = browser_log_in(browser, app_url, sophie, "/c/atelier/proposals/new")
    steward.get_by_label("Type de proposition").select_option("free_motion")
    steward.get_by_label("Titre", exact=True).fill("Ouvrir le samedi matin")
    steward.get_by_role("button", name="Soumettre au vote").click()
    expect(steward).to_have_url(re.compile(rf"{app_url}/c/atelier/proposals/\d+$"))
    proposal_path = steward.url.removeprefix(app_url)

    member = browser_log_in(browser, app_url, marc, "/")
    notifications = member.get_by_role("link", name=re.compile(r"^Notifications \(1 non lue\)"))
    expect(notifications).to_be_visible()
    notifications.click()
    member.get_by_role("link", name="Votre vote est attendu").click()
    expect(member).to_have_url(f"{app_url}{proposal_path}")
    member.get_by_label("Votre commentaire").fill("Bonne idée, je peux tenir la permanence.")
    member.get_by_role("button", name="Publier le commentaire").click()
    expect(member.locator(".comment")).to_contain_text("je peux tenir la permanence")

    steward.reload()
    expect(steward.locator(".comment")).to_contain_text("je peux tenir la permanence")
