"""A funder finds commons by impact on a phone: Sofia (for the agency) searches "tCO2e" in Occitanie,
finds the soil fund, sees it on the map of départements, opens its funder view with verified
progress; a visitor who is not logged in sees the public version of the same pages."""

import re

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.phone import PHONE, SHOTS, no_sideways_scroll, shot

from federage.demo.loader import DEMO_PASSWORD, demo_load

pytestmark = pytest.mark.browser

FUND = "fonds-sols-vivants"


def test_a_funder_finds_the_soil_fund_by_its_verified_carbon(
    browser: Browser, app_url: str
) -> None:
    demo_load()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{app_url}/login?next=/explore")
    page.get_by_label("Adresse électronique").fill("sofia.rossi@demo.federage.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{app_url}/explore")
    expect(page.get_by_role("heading", level=1)).to_have_text("Explorer les communs")

    # The search in words, then the territory chosen in the autocomplete (a région).
    page.get_by_label("Rechercher un commun").fill("tCO2e")
    territory = page.get_by_role("combobox", name="Territoire")
    territory.fill("Occit")
    option = page.get_by_role("option", name=re.compile("Occitanie"))
    expect(option.first).to_be_visible()
    territory.press("Enter")
    expect(territory).to_have_value("Occitanie (76)")
    expect(page).to_have_url(re.compile(r"region=76"))
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"q=tCO2e"))

    card = page.locator(f'[data-testid="explore-card"][data-slug="{FUND}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("Gers")
    expect(card).to_contain_text("Occitanie")

    # The ranking by verified impact needs an indicator: chosen, its formula is explained.
    page.get_by_label("Indicateur").select_option("ghg_avoided")
    page.get_by_label("Trier par").select_option("impact_per_euro")
    expect(page).to_have_url(re.compile(r"sort=impact_per_euro"))
    expect(card).to_be_visible()
    expect(card.get_by_test_id("card-verified")).to_contain_text("t CO₂e")
    formula = page.get_by_test_id("sort-formula")
    formula.locator("summary").click()
    expect(formula).to_contain_text("Somme des mesures vérifiées")
    shot(page, "discovery", "01-explore-phone", "sort-formula")

    # The map: the Gers is coloured and can be chosen from the keyboard; the table says the same.
    gers = page.locator('[data-testid="france-map"] path[data-code="32"]')
    expect(gers).to_have_attribute("role", "button")
    expect(gers).to_have_attribute("aria-label", re.compile(r"Gers \(32\).*1 commun"))
    assert gers.get_attribute("fill") != "#f1f3f2"
    page.locator('[data-testid="france-map"] details summary').click()
    expect(page.get_by_test_id("map-table")).to_contain_text("Gers (32)")
    gers.focus()
    gers.press("Enter")
    expect(page).to_have_url(re.compile(r"departement=32"))
    expect(page.get_by_role("combobox", name="Territoire")).to_have_value("Gers (32)")
    expect(card).to_be_visible()
    page.get_by_test_id("france-map").scroll_into_view_if_needed()
    shot(page, "discovery", "02-map-phone", "france-map")
    card.screenshot(path=str(SHOTS / "discovery" / "02-card.png"))
    no_sideways_scroll(page)

    # The funder view: verified progress, the measurements with their state, books and governance.
    card.get_by_test_id("funder-link").click()
    expect(page).to_have_url(f"{app_url}/explore/{FUND}/funder")
    expect(page.get_by_role("heading", level=1)).to_contain_text("vue financeur")
    carbon = page.get_by_test_id("funder-objective").filter(
        has=page.locator('[data-indicator="ghg_avoided"]')
    )
    expect(carbon.first).to_be_visible()
    expect(carbon.first.get_by_test_id("verified-total")).to_contain_text("t CO₂e")
    expect(carbon.first.get_by_test_id("measurement-counts")).to_contain_text(
        re.compile(r"[1-9]\d* vérifiée")
    )
    expect(carbon.first.get_by_test_id("progress-percent")).to_contain_text("% de la cible")
    expect(page.get_by_test_id("funder-books")).to_contain_text("€")
    expect(page.get_by_test_id("funder-governance")).to_be_visible()
    shot(page, "discovery", "03-funder-view-phone", "funder-objective", "funder-books")
    no_sideways_scroll(page)
    # From what it found, the funder goes on to an offer, acting for its agency.
    page.get_by_test_id("offer-financing").click()
    expect(page).to_have_url(f"{app_url}/c/{FUND}/financings/new")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposer un financement")
    expect(page.get_by_test_id("financing-offer")).to_contain_text("Agence")
    context.close()

    # A visitor who is not logged in: the public version, with the same verified figures.
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{app_url}/explore/{FUND}")
    objectives = visitor.get_by_test_id("public-objectives")
    expect(objectives).to_be_visible()
    expect(objectives.locator('[data-indicator="ghg_avoided"]').first).to_contain_text("vérifiés")
    shot(visitor, "discovery", "04-public-commons-phone", "public-objectives")
    visitor.get_by_test_id("funder-view-link").click()
    expect(visitor).to_have_url(f"{app_url}/explore/{FUND}/funder")
    expect(visitor.get_by_test_id("public-version")).to_be_visible()
    expect(visitor.get_by_test_id("funder-objective").first).to_be_visible()
    shot(visitor, "discovery", "05-public-funder-view-phone")
    no_sideways_scroll(visitor)
