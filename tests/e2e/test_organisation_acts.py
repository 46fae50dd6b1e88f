"""A member acting for an organisation contributes, votes and sells its titles on its behalf, on a phone."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import services as contribution_services
from federage.demo.loader import DEMO_PASSWORD, demo_load
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.titles import services as titles_services

pytestmark = pytest.mark.browser

FUND = "fonds-sols-vivants"
AGENCY = "Agence de Développement Solidaire"
BANK = "Banque Coopérative des Terroirs"


def test_agency_contributes_on_behalf_of_itself(browser: Browser, app_url: str) -> None:
    demo_load()
    slug = "fonds-sols-vivants"
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(f"{app_url}/login?next=/c/{slug}/contributions/new")
    page.get_by_label("Adresse électronique").fill("sofia.rossi@demo.federage.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_test_id("step-title")).to_have_text("Étape 1 sur 3 : Détails")

    # Sofia is a member only through the agency: the selector is shown, with the agency chosen.
    acting = page.get_by_label("Au nom de")
    expect(acting).to_be_visible()
    expect(acting.locator("option:checked")).to_contain_text("Agence de Développement Solidaire")
    page.get_by_label("industrie").check()
    page.get_by_label("Titre", exact=True).fill("Étude de sol du bassin")
    page.get_by_label("Description").fill("Analyse de douze parcelles.")
    page.get_by_label("Quantité", exact=True).fill("12")
    page.get_by_label("Unité", exact=True).fill("parcelles")
    page.get_by_label("Prix unitaire (€)").fill("80")
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("button", name="Enregistrer l’apport").click()
    expect(page.get_by_test_id("step-title")).to_have_text("Étape 3 sur 3 : Pièces et soumission")

    page.goto(f"{app_url}/c/{slug}/contributions")
    row = page.get_by_role("listitem").filter(has_text="Étude de sol du bassin")
    expect(row).to_contain_text("Agence de Développement Solidaire")
    expect(page.get_by_text("Certaines informations sont invalides.")).to_have_count(0)

    # Titles held by the agency are sold and redeemed in its name: both forms offer it.
    page.goto(f"{app_url}/c/{slug}/titles")
    expect(page.get_by_label("Au nom de")).to_have_count(2)
    context.close()


def _user(key: str):
    return account_selectors.user_by_email(email=f"{key}@demo.federage.fr")


def _agency_units() -> Decimal:
    sofia = _user("sofia.rossi")
    agency = agent_selectors.agents_of_user(user=sofia).get(display_name=AGENCY)
    commons = commons_selectors.commons_all_with_member_counts().get(slug=FUND)
    title_class = titles_services.title_class_of(commons_id=commons.pk)
    return titles_services.units_held(title_class=title_class, agent_id=agency.pk)


def _agency_holds_titles_and_a_motion_is_open() -> int:
    """The demo's agency holds no titles: its 5 000 € cash contribution to the soil fund is
    accepted the ordinary way (drafted in its name, submitted, voted by the fund's approvers),
    and the farm opens a motion every member votes on. Returns the motion's id."""
    sofia, yannick, louis = _user("sofia.rossi"), _user("yannick.legoff"), _user("louis.bernard")
    agency = agent_selectors.agents_of_user(user=sofia).get(display_name=AGENCY)
    contribution = contribution_services.contribution_create(
        user=sofia,
        commons_slug=FUND,
        agent_id=agency.pk,
        kind="cash",
        title="Apport de l’agence au fonds",
        proposed_price_cents=500_000,
    )
    contribution = contribution_services.contribution_submit(
        user=sofia, contribution_id=contribution.pk, comment="Proposé au vote"
    )
    for approver in (louis, yannick):
        if governance_selectors.proposal_get(proposal_id=contribution.proposal_id).status == "open":
            governance_services.ballot_cast(
                user=approver, proposal_id=contribution.proposal_id, choice="for", comment=""
            )
    assert _agency_units() > 0, "the agency's contribution was not accepted"
    commons = commons_selectors.commons_all_with_member_counts().get(slug=FUND)
    motion = governance_services.proposal_open(
        user=yannick,
        commons_id=commons.pk,
        kind="free_motion",
        title="Calendrier des visites de parcelles",
        body="Une visite par saison, ouverte aux financeurs.",
    )
    return motion.pk


def _fr_units(units: Decimal) -> str:
    """Titles as the French screens write them: 1 234,5 (trailing zeros dropped)."""
    whole, _, fraction = f"{units:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    fraction = fraction.rstrip("0")
    return f"{grouped},{fraction}" if fraction else grouped


def _log_in(browser: Browser, app_url: str, email: str, path: str) -> Page:
    page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    page.goto(f"{app_url}/login?next={path}")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def _fits_the_phone(page: Page) -> None:
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), page.url


def test_agency_votes_and_sells_its_titles_on_a_phone(browser: Browser, app_url: str) -> None:
    demo_load()
    motion = _agency_holds_titles_and_a_motion_is_open()
    held = _agency_units()

    # Sofia votes on the motion in the agency's name: the only agent she may vote for.
    page = _log_in(
        browser, app_url, "sofia.rossi@demo.federage.fr", f"/c/{FUND}/proposals/{motion}"
    )
    acting = page.get_by_label("Au nom de")
    expect(acting.locator("option:checked")).to_contain_text(AGENCY)
    page.get_by_role("group", name=f"Voter au nom de {AGENCY}").get_by_role(
        "button", name="Pour"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Vote enregistré : Pour.")
    _fits_the_phone(page)
    proposal = governance_selectors.proposal_get(proposal_id=motion)
    ballots = governance_selectors.ballots_of(proposal=proposal)
    assert [(b.agent.display_name, b.choice) for b in ballots] == [(AGENCY, "for")]

    # She offers ten of the agency's titles to the bank, in the agency's name.
    page.goto(f"{app_url}/c/{FUND}/titles")
    form = page.locator("form.transfer-form")
    expect(form.get_by_label("Au nom de").locator("option:checked")).to_contain_text(AGENCY)
    expect(form.get_by_test_id("transfer-terms")).to_contain_text(f"{_fr_units(held)} titres")
    form.get_by_label("Acheteur (membre du commun)").select_option(label=BANK)
    form.get_by_label("Nombre de titres").fill("10")
    form.get_by_label("Prix convenu par titre (€)").fill("12")
    form.get_by_role("button", name="Proposer la cession").click()
    expect(page.get_by_role("status")).to_contain_text("Cession proposée")
    offer = page.locator("li.transfer").filter(has_text=f"{AGENCY} → {BANK}")
    expect(offer).to_contain_text("10 titres")
    expect(offer).to_contain_text("en attente")
    _fits_the_phone(page)

    # The bank's representative accepts; the register shows the agency's titles fall by ten.
    buyer = _log_in(browser, app_url, "louis.bernard@demo.federage.fr", f"/c/{FUND}/titles")
    offer = buyer.locator("li.transfer").filter(has_text=f"{AGENCY} → {BANK}")
    offer.get_by_role("button", name="Accepter").click()
    expect(buyer.get_by_role("status")).to_contain_text("Cession acceptée.")
    table = buyer.get_by_role("table", name="Registre des titres")
    expect(table.get_by_role("row", name=re.compile(AGENCY))).to_contain_text(_fr_units(held - 10))
    _fits_the_phone(buyer)
    assert _agency_units() == held - 10
