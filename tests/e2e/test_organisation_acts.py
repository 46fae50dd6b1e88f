"""A member acting for an organisation records a contribution on its behalf, on a phone."""

import pytest
from playwright.sync_api import Browser, expect

from federage.demo.loader import DEMO_PASSWORD, demo_load

pytestmark = pytest.mark.browser


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
