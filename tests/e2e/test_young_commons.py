"""A founder alone creates a commons and amends its charter by the young commons rule, on a phone."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from federage.testing import browser_log_in

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "young-commons"


def amend(page: Page, base: str, slug: str, title: str, field: str, value: str) -> str:
    """Opens the new-proposal form, checks who will vote, submits one change; the proposal path."""
    page.goto(f"{base}/c/{slug}/proposals/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle proposition")
    preview = page.get_by_test_id("electorate-preview")
    # Before submitting, the founder sees who will vote: herself, by the young commons rule.
    expect(preview).to_contain_text("1\u00a0votant")
    expect(preview).to_contain_text("Ana Fondatrice")
    expect(page.get_by_test_id("electorate-rule")).to_contain_text("Jeune commun")
    page.get_by_label("Titre", exact=True).fill(title)
    page.locator(field).fill(value)
    page.get_by_role("button", name="Soumettre au vote").click()
    expect(page).to_have_url(re.compile(rf"{base}/c/{slug}/proposals/\d+$"))
    return page.url.removeprefix(base)


def test_a_founder_alone_amends_the_charter(browser: Browser, app_url: str, make_user) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    founder = make_user("ana@example.org", "Ana Fondatrice")
    page = browser_log_in(browser, app_url, founder, "/commons/new")
    page.set_viewport_size({"width": 360, "height": 780})
    page.get_by_label("Nom", exact=True).fill("Atelier neuf")
    page.get_by_label("Nom court (adresse)").fill("atelier-neuf")
    page.get_by_label("Raison d’être").fill("Un atelier partagé qui commence à une.")
    page.get_by_role("button", name="Créer le commun").click()
    expect(page).to_have_url(f"{app_url}/c/atelier-neuf")

    # The charter says how a young commons decides.
    page.goto(f"{app_url}/c/atelier-neuf/charter")
    young = page.locator("tr[data-parameter='decisions.young_commons_members']")
    expect(young).to_contain_text("jeunes communs")
    expect(young).to_contain_text("2")

    amend(
        page,
        app_url,
        "atelier-neuf",
        "Porter la taxe sur les cessions à 2 %",
        "#param-transfer_tax_bp",
        "2",
    )
    expect(page.get_by_test_id("proposal-status")).to_have_text("vote en cours")
    expect(page.get_by_test_id("young-rule")).to_contain_text("règle des jeunes communs")
    # The author votes: no "own item" refusal, the vote buttons are there.
    expect(page.get_by_text("On ne vote pas sur sa propre proposition.")).to_have_count(0)
    page.screenshot(path=str(SCREENS / "proposal-open-360.png"), full_page=True)
    page.get_by_role("button", name="Pour", exact=True).click()
    expect(page.get_by_test_id("proposal-status")).to_have_text("adoptée")
    expect(page.get_by_text(re.compile(r"Participation\s*:\s*1\s*voix\s*sur\s*1"))).to_be_visible()
    page.screenshot(path=str(SCREENS / "proposal-passed-360.png"), full_page=True)

    page.goto(f"{app_url}/c/atelier-neuf/charter")
    expect(page.locator("tr[data-parameter='transfer_tax_bp']")).to_contain_text("2 %")

    # The founder turns the rule off: from then on nobody could vote, and the form says so.
    amend(
        page,
        app_url,
        "atelier-neuf",
        "Fin de la règle des jeunes communs",
        "#param-decisions-young_commons_members",
        "0",
    )
    page.get_by_role("button", name="Pour", exact=True).click()
    expect(page.get_by_test_id("proposal-status")).to_have_text("adoptée")

    page.goto(f"{app_url}/c/atelier-neuf/proposals/new")
    expect(page.get_by_test_id("no-electorate")).to_contain_text(
        "Personne ne pourrait voter sur cette proposition"
    )
    page.get_by_label("Titre", exact=True).fill("Une motion que personne ne votera")
    page.get_by_label("Type de proposition").select_option("free_motion")
    expect(page.get_by_test_id("no-electorate")).to_be_visible()
    page.screenshot(path=str(SCREENS / "no-electorate-360.png"), full_page=True)
    page.get_by_role("button", name="Soumettre au vote").click()
    # Refused by the server with its own message, nothing opened.
    expect(page.get_by_text("elle ne serait jamais décidée")).to_be_visible()
    expect(page).to_have_url(f"{app_url}/c/atelier-neuf/proposals/new")
