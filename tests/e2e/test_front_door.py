"""A visitor who is not logged in meets a front door, not an error, and member routes lead to the
public page with a way to log in and come back."""

import re

import pytest
from playwright.sync_api import Browser, expect

from federage.contributions.tests import scene
from federage.testing import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}


def test_an_anonymous_visitor_explores_and_a_member_logs_in_back_to_the_books(
    browser: Browser, app_url: str, make_user, make_commons, tmp_path
) -> None:
    s = scene.build(make_user, make_commons, slug="atelier-porte")
    context = browser.new_context(viewport=PHONE)  # anonymous, on a phone
    try:
        page = context.new_page()
        page.goto(f"{app_url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Federage\u00a0: les livres en euros des communs"
        )
        expect(page.get_by_role("alert")).to_have_count(0)
        expect(page.get_by_text("Connectez-vous pour continuer.")).to_have_count(0)
        discover = page.get_by_role("region", name="Des communs à découvrir")
        expect(discover.get_by_role("link", name=s.commons.name)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(tmp_path / "front-door-360.png"), full_page=True)
        page.get_by_role("link", name="Explorer les communs publics").click()
        expect(page).to_have_url(f"{app_url}/explore")

        # A member's route of a public commons: its public page, with a log-in link back.
        page.goto(f"{app_url}/c/{s.slug}/books")
        expect(page).to_have_url(re.compile(rf"{app_url}/explore/{s.slug}\?from="))
        expect(page.get_by_role("heading", level=1)).to_have_text(s.commons.name)
        expect(page.get_by_text("Connectez-vous pour continuer.")).to_have_count(0)
        page.get_by_test_id("member-login").get_by_role("link", name="Se connecter").click()
        page.get_by_label("Adresse électronique").fill(s.steward.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(f"{app_url}/c/{s.slug}/books")
        expect(page.get_by_role("heading", level=2, name="Bilan")).to_be_visible()

        # The English switch turns the front door into English.
        english = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
        english.goto(f"{app_url}/")
        english.get_by_role("button", name="Switch to English").click()
        expect(english.get_by_role("heading", level=1)).to_have_text(
            "Federage: real books in euros for commons"
        )
        expect(english.get_by_role("link", name="Explore public commons")).to_be_visible()
        english.context.close()
    finally:
        context.close()
