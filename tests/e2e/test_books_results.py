"""The year's result in a real browser: the balance sheet shows it apart from last year's result still
awaiting allocation, and the income statement, the public page and the dashboard give the same figure."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from federage.core import clock
from federage.ledger import services as ledger_services
from federage.testing import browser_log_in, post_pair

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
YEAR_RESULT = re.compile(r"^4\s949,86\s€$")  # 6 000,00 of levies less 1 050,14 of yarn
PRIOR_RESULT = re.compile(r"^6\s966,00\s€$")  # 2025's profit, left in 120


def test_the_balance_sheet_shows_the_year_result_apart_from_last_year(
    browser: Browser, app_url: str, make_user, make_commons, tmp_path
) -> None:
    with clock.frozen(NOW):
        sophie = make_user("sophie.bilan@example.org", "Sophie Gestion")
        commons = make_commons(sophie, slug="atelier-textile", name="Atelier textile")
        old = ledger_services.period_open(
            commons_id=commons.pk,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            actor_user_id=None,
        )
        post_pair(commons, "capital", dt.date(2025, 2, 1), "512", "1013", 200_000, "AP")
        post_pair(commons, "redevances-2025", dt.date(2025, 5, 1), "512", "706", 1_000_000, "VE")
        post_pair(commons, "loyer-2025", dt.date(2025, 9, 1), "613", "512", 303_400, "AC")
        ledger_services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
        post_pair(commons, "redevances-2026", dt.date(2026, 3, 2), "512", "706", 600_000, "VE")
        post_pair(commons, "fil-2026", dt.date(2026, 4, 9), "606", "512", 105_014, "AC")

        page = browser_log_in(browser, app_url, sophie, "/c/atelier-textile/books/balance-sheet")
        page.set_viewport_size({"width": 390, "height": 844})
        passif = page.get_by_role("region", name="Passif")
        current = passif.locator("tr.heading", has_text="Résultat de l'exercice")
        expect(current.locator("td")).to_have_text(YEAR_RESULT)
        prior = passif.locator("tr.heading", has_text="Résultat antérieur en attente d'affectation")
        expect(prior.locator("td")).to_have_text(PRIOR_RESULT)
        expect(passif.get_by_role("row", name=re.compile(r"^120 "))).to_contain_text("6 966,00")
        expect(page.get_by_test_id("sheet-result")).to_have_text(YEAR_RESULT)
        expect(page.get_by_test_id("prior-result")).to_have_text(PRIOR_RESULT)
        expect(page.get_by_test_id("total-actif")).to_have_text(
            page.get_by_test_id("total-passif").inner_text()
        )
        page.screenshot(path=str(tmp_path / "balance-sheet-390.png"), full_page=True)
        # On a 390 px phone the tables scroll inside their region, not the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        tabs = page.get_by_role("navigation", name="Rapports")
        tabs.get_by_role("link", name="Compte de résultat").click()
        expect(page.get_by_test_id("result")).to_have_text(YEAR_RESULT)

        # The public page and the dashboard, as anyone sees them.
        page.goto(f"{app_url}/explore/atelier-textile")
        sheet = page.get_by_test_id("balance-sheet")
        expect(sheet.locator("dt", has_text="Résultat de l'exercice").locator("+ dd")).to_have_text(
            YEAR_RESULT
        )
        expect(
            sheet.locator("dt", has_text="Résultat antérieur en attente d'affectation").locator(
                "+ dd"
            )
        ).to_have_text(PRIOR_RESULT)
        income = page.get_by_test_id("income-statement")
        expect(income.locator("dd strong")).to_have_text(YEAR_RESULT)
        sheet.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "public-page-390.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto(f"{app_url}/explore/atelier-textile/dashboard")
        expect(page.get_by_test_id("year-result")).to_have_text(YEAR_RESULT)
        expect(page.get_by_test_id("prior-result")).to_have_text(PRIOR_RESULT)
        page.screenshot(path=str(tmp_path / "dashboard-390.png"))
