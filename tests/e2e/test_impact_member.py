"""Impact on a phone, in French: a member proposes an objective, the commons adopts it by vote, the
member declares a measurement with its evidence, cannot verify it themself (the refusal is shown),
another verifier verifies it and the verified progress rises; one check in English."""

import re

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.phone import log_in, no_sideways_scroll, shot, vote_through

from federage.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_a_member_proposes_an_objective_declares_and_another_verifies(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    steward = make_user(name="Stéphane Steward")
    approver1 = make_user(name="Alice Approver")
    approver2 = make_user(name="Arthur Approver")
    declarer = make_user(name="Camille Contributor")
    verifier = make_user(name="Véra Verifier")
    commons = make_commons(
        steward,
        slug="fonds-sols",
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            # A verifier too: the refusal to verify one's own measurement is the server's.
            declarer: ["contributor", "verifier"],
            verifier: ["verifier"],
        },
    )
    slug = commons.slug

    # The member proposes an objective from the commons' page.
    page = log_in(browser, app_url, declarer.email, PASSWORD, f"/c/{slug}")
    page.get_by_role("link", name="Objectifs", exact=True).click()
    expect(page).to_have_url(f"{app_url}/c/{slug}/objectives")
    expect(page.get_by_text("Aucun objectif pour l’instant.")).to_be_visible()
    form = page.get_by_test_id("objective-form")
    form.get_by_label("Intitulé").fill("Hectares régénérés")
    form.get_by_label("Indicateur").select_option("area_regenerated")
    expect(form.get_by_label("Cible (ha)")).to_be_visible()
    form.get_by_label("Valeur de départ (ha)").fill("0")
    form.get_by_label("Cible (ha)").fill("120")
    form.get_by_label("Début", exact=True).fill("2026-01-01")
    form.get_by_label("Échéance").fill("2030-12-31")
    form.get_by_label("Méthode", exact=True).fill("Suivi parcellaire annuel")
    form.get_by_label("Référence de la méthode").fill("Label bas-carbone")
    no_sideways_scroll(page)
    shot(page, "impact", "1-propose")
    form.get_by_role("button", name="Proposer au vote").click()
    notice = page.get_by_test_id("objective-proposed")
    expect(notice).to_contain_text("Objectif proposé")
    link = notice.get_by_role("link", name="Voir la proposition et voter")
    proposal_id = int(re.search(r"/proposals/(\d+)$", link.get_attribute("href")).group(1))
    expect(page.get_by_test_id("objectives")).to_contain_text("proposé")

    # The commons adopts it by vote.
    assert (
        vote_through(proposal_id, [steward, approver1, approver2, verifier, declarer]) == "passed"
    )
    page.reload()
    objectives = page.get_by_test_id("objectives")
    expect(objectives).to_contain_text("adopté")
    expect(objectives.get_by_test_id("progress-pct")).to_have_text("0\u00a0% de la cible")
    shot(page, "impact", "2-adopted")
    objectives.get_by_role("link", name="Hectares régénérés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hectares régénérés")

    # It declares a measurement, then attaches its evidence.
    measure = page.get_by_test_id("measurement-form")
    measure.get_by_label("Valeur (ha)").fill("30")
    measure.get_by_label("Début de la période").fill("2026-01-01")
    measure.get_by_label("Fin de la période").fill("2026-06-30")
    measure.get_by_label("Méthode de mesure").fill("Relevés de terrain")
    measure.get_by_role("button", name="Déclarer la mesure").click()
    card = page.get_by_test_id("measurements").locator("li.card").first
    expect(card.get_by_test_id("measurement-status")).to_have_text("déclarée")
    card.get_by_label("Ajouter une pièce (photo, PDF, tableur…)").set_input_files(
        files=[
            {"name": "releves.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 releves"}
        ]
    )
    card.get_by_role("button", name="Envoyer la pièce").click()
    expect(card.get_by_role("link", name="releves.pdf")).to_be_visible()

    # The declarer cannot verify their own measurement: the server's refusal is shown.
    card.get_by_role("button", name="Vérifier", exact=True).click()
    expect(card.get_by_role("alert")).to_have_text(
        "Vous avez déclaré cette mesure\u00a0: un autre vérificateur doit l’examiner."
    )
    expect(card.get_by_test_id("measurement-status")).to_have_text("déclarée")
    expect(page.get_by_test_id("progress-pct")).to_have_text("0\u00a0% de la cible")
    no_sideways_scroll(page)
    shot(page, "impact", "3-declared-refused")

    # Another verifier verifies it: the verified progress rises to 30 / 120.
    objective_path = page.url.removeprefix(app_url)
    other = log_in(browser, app_url, verifier.email, PASSWORD, objective_path)
    other_card = other.get_by_test_id("measurements").locator("li.card").first
    expect(other_card.get_by_role("link", name="releves.pdf")).to_be_visible()
    other_card.get_by_label("Commentaire du vérificateur").fill("Relevés contrôlés sur place.")
    other_card.get_by_role("button", name="Vérifier", exact=True).click()
    expect(other_card.get_by_test_id("measurement-status")).to_have_text("vérifiée")
    expect(other.get_by_test_id("progress-pct")).to_have_text("25\u00a0% de la cible")
    expect(other.get_by_test_id("verified-total")).to_have_text("30 ha")
    expect(other_card).to_contain_text("Relevés contrôlés sur place.")
    # The chart's table alternative holds the same verified figure.
    table = other.get_by_test_id("progress-table")
    table.locator("summary").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("30 ha")
    no_sideways_scroll(other)
    shot(other, "impact", "4-verified")

    # The list shows the same verified progress; in English too.
    other.goto(f"{app_url}/c/{slug}/objectives")
    expect(other.get_by_test_id("progress-pct")).to_have_text("25\u00a0% de la cible")
    other.get_by_role("button", name="Switch to English").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Impact objectives of “Fonds-Sols”")
    expect(other.get_by_test_id("progress-pct")).to_have_text("25% of target")
    expect(other.get_by_test_id("objectives")).to_contain_text("adopted")
    no_sideways_scroll(other)
    shot(other, "impact", "5-english")
