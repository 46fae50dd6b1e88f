"""Resources on a phone: a steward registers a machine and sends its levies to reserves, a company
that is not a member declares a commercial use, the levy shows as due and is paid in two parts,
the value per title rises by the levy, and the public page shows the usage statistics."""

import re

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.phone import PHONE, SHOTS, log_in, no_sideways_scroll

from federage.agents import services as agent_services
from federage.contributions.tests.scene import accept, build
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.resources.models import Resource
from federage.testing import PASSWORD
from federage.titles import services as titles_services

pytestmark = pytest.mark.browser


def test_a_company_uses_a_machine_pays_its_levy_and_the_commons_shows_it(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    loom = accept(
        scene,
        kind="in_kind",
        title="Métier à tisser Jacquard",
        proposed_price_cents=1_200_000,
        resource_account="2154",
    )
    company_user = make_user(name="Gérante Textiles du Nord")
    agent_services.agent_create(
        user=company_user, kind="company", display_name="Textiles du Nord", siren="900100041"
    )

    # The steward registers the machine and links the contribution that brought it.
    steward = log_in(browser, app_url, scene.steward.email, PASSWORD, f"/c/{scene.slug}/resources")
    expect(steward.get_by_role("link", name="Ressources", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(steward.get_by_text("Aucune ressource déclarée.")).to_be_visible()
    form = steward.get_by_test_id("resource-form")
    form.get_by_label("Nom", exact=True).fill("Métier à tisser")
    expect(form.get_by_label("Clé", exact=True)).to_have_value("metier-a-tisser")
    form.get_by_label("Unité d’usage").select_option("hour")
    form.get_by_label("Compte du plan comptable").fill("2154")
    form.get_by_label("Durée d’amortissement (années)").fill("5")
    form.get_by_role("button", name="Enregistrer la ressource").click()
    expect(steward.get_by_role("heading", level=1)).to_have_text("Métier à tisser")
    resource = Resource.objects.get(commons__slug=scene.slug, key="metier-a-tisser")
    assert steward.url.endswith(f"/c/{scene.slug}/resources/{resource.pk}")
    steward.get_by_label("Apport accepté").select_option(str(loom.pk))
    steward.get_by_role("button", name="Lier l’apport").click()
    brought = steward.get_by_test_id("resource-contributions")
    expect(brought).to_contain_text("Métier à tisser Jacquard")
    expect(steward.get_by_test_id("resource-values")).to_contain_text("12\u202f000,00\u00a0€")
    no_sideways_scroll(steward)

    # Its own levy line (5 % of the sale), and levies sent to reserves, by an amendment.
    steward.goto(f"{app_url}/c/{scene.slug}/proposals/new?kind=amend_charter")
    steward.get_by_label("Titre", exact=True).fill("Redevance du métier à tisser")
    lines = steward.get_by_test_id("levy-lines")
    lines.get_by_label("Choisir une ressource").select_option("metier-a-tisser")
    lines.get_by_role("button", name="Ajouter une ligne").click()
    lines.get_by_label("Part de la vente (%) — Métier à tisser").fill("5")
    steward.get_by_label("Destination des redevances d'usage").select_option("reserves")
    expect(lines.get_by_label("Part de la vente (%) — Métier à tisser")).to_have_value("5")
    steward.get_by_role("button", name="Soumettre au vote").click()
    expect(steward).to_have_url(re.compile(r"/proposals/\d+$"))
    proposal_id = int(steward.url.rsplit("/", 1)[1])
    for user in (scene.approver1, scene.approver2, scene.contributor, scene.other):
        if governance_selectors.proposal_get(proposal_id=proposal_id).status != "open":
            break
        governance_services.ballot_cast(user=user, proposal_id=proposal_id, choice="for")
    charter = governance_selectors.charter_current(commons_id=scene.commons.pk).parameters
    assert charter["levy.metier-a-tisser.rate_bp"] == 500
    assert charter["levy.metier-a-tisser.per_unit_cents"] == 0
    assert charter["levies.destination"] == "reserves"
    before = titles_services.nav_now(commons_id=scene.commons.pk)

    # A company that is not a member declares a commercial use: 10 hours, 1 000 € of sales.
    company = log_in(
        browser, app_url, company_user.email, PASSWORD, f"/c/{scene.slug}/resources/{resource.pk}"
    )
    expect(company.get_by_test_id("resource-levy")).to_contain_text("5\u00a0% de la vente")
    usage = company.get_by_test_id("usage-form")
    usage.get_by_label("Au nom de").select_option(label="Textiles du Nord (entreprise)")
    usage.get_by_label("Quantité (en heure)").fill("10")
    usage.get_by_label("Usage commercial (le résultat est vendu)").check()
    usage.get_by_label("Montant de la vente (€)").fill("1 000")
    usage.get_by_role("button", name="Déclarer l’usage").click()
    expect(company.locator("div.status")).to_have_text(
        "Usage enregistré. Redevance : 50,00\u00a0€."
    )
    history = company.get_by_test_id("usages")
    expect(history).to_contain_text("Textiles du Nord")
    expect(history).to_contain_text("50,00\u00a0€")
    no_sideways_scroll(company)

    # The levy goes to reserves: net assets, and the value of a title, rise by exactly 50 €.
    after = titles_services.nav_now(commons_id=scene.commons.pk)
    assert after.net_assets_cents - before.net_assets_cents == 5000
    assert after.outstanding_ticks == before.outstanding_ticks > 0
    assert after.cents_per_unit() > before.cents_per_unit()

    # It shows as due to the steward, who records it in two payments.
    steward.goto(f"{app_url}/c/{scene.slug}/dues")
    due = steward.locator("li.due", has_text="Textiles du Nord")
    expect(due.get_by_test_id("due-status")).to_have_text("à payer")
    expect(due.get_by_test_id("due-outstanding")).to_have_text("50,00\u00a0€")
    no_sideways_scroll(steward)
    due.get_by_text("Enregistrer un paiement").click()
    due.get_by_label("Montant reçu (€)").fill("60")
    due.get_by_role("button", name="Enregistrer le paiement").click()
    expect(due.get_by_text("Ce paiement dépasse ce qui reste dû.")).to_be_visible()
    due.get_by_label("Montant reçu (€)").fill("20")
    due.get_by_role("button", name="Enregistrer le paiement").click()
    expect(due.get_by_test_id("due-outstanding")).to_have_text("30,00\u00a0€")
    due.get_by_text("Enregistrer un paiement").click()
    expect(due.get_by_label("Montant reçu (€)")).to_have_value("30,00")
    due.get_by_role("button", name="Enregistrer le paiement").click()
    expect(due.get_by_test_id("due-status")).to_have_text("payée")
    expect(steward.get_by_test_id("due-totals")).to_contain_text("50,00\u00a0€")
    steward.get_by_label("Afficher").select_option("overdue")
    expect(steward.get_by_text("Aucune redevance ni taxe.")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    steward.goto(f"{app_url}/c/{scene.slug}/dues")
    expect(steward.get_by_test_id("due-status")).to_have_text("payée")
    steward.screenshot(path=SHOTS / "resources-dues-360.png", full_page=True)

    # The commons page and the public page show the usage and the levies collected.
    steward.goto(f"{app_url}/c/{scene.slug}")
    stats = steward.get_by_test_id("resource-stats")
    expect(stats.get_by_test_id("resource-usage")).to_contain_text("Métier à tisser")
    expect(stats.get_by_test_id("levy-totals")).to_contain_text("50,00\u00a0€")
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{app_url}/explore/{scene.slug}")
    public = visitor.get_by_test_id("resource-stats")
    expect(public.get_by_test_id("resource-usage")).to_contain_text("Métier à tisser")
    expect(public.get_by_test_id("resource-usage")).to_contain_text("10 heure")
    expect(public.get_by_test_id("levy-totals")).to_contain_text("Perçues")
    expect(public.get_by_test_id("levy-totals")).to_contain_text("50,00\u00a0€")
    expect(public).not_to_contain_text("Textiles du Nord")
    no_sideways_scroll(visitor)
    no_sideways_scroll(steward)
    steward.goto(f"{app_url}/c/{scene.slug}/resources")
    row = steward.get_by_test_id(f"resource-{resource.pk}")
    expect(row).to_contain_text("5\u00a0% de la vente")
    expect(row).to_contain_text("50,00\u00a0€")
    no_sideways_scroll(steward)
    steward.goto(f"{app_url}/c/{scene.slug}/resources/{resource.pk}")
    expect(steward.get_by_test_id("usages")).to_contain_text("Textiles du Nord")
    no_sideways_scroll(steward)
    steward.screenshot(path=SHOTS / "resources-page-360.png", full_page=True)
