"""Phone first: at 360 px no screen with a table scrolls sideways (nor do its tables), the header folds into a
menu; charts carry their figures as text in French; at 1280 px the header is one line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page, expect

from federage.core import clock
from federage.demo.loader import DEMO_PASSWORD, demo_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor == "postgresql",
        reason="layout does not depend on the database: checked once, on SQLite (the functional browser tests run on both)",
    ),
]

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
SLUG = "atelier-textile-circulaire"
PHONE = 360
# Camille keeps the workshop's books and holds titles: every table below has rows.
EMAIL = "camille.martin@demo.federage.fr"

# Each route with a table, and what shows once its figures are in.
ROUTES: list[tuple[str, str]] = [
    (f"/c/{SLUG}/books/balance-sheet", "[data-testid=total-actif]"),
    (f"/c/{SLUG}/books/income-statement", "[data-testid=result]"),
    (f"/c/{SLUG}/books/trial-balance", "table.trial-balance tbody tr"),
    (f"/c/{SLUG}/books/general-ledger?account=512", "table.general-ledger tbody tr"),
    (f"/c/{SLUG}/books/journal", "table.journal tbody.entry"),
    ("/portfolio", "table.portfolio tbody tr"),
    (f"/c/{SLUG}/titles", "table.cap-table tbody tr"),
    (f"/explore/{SLUG}", "[data-testid=balance-sheet]"),
    (f"/explore/{SLUG}/dashboard", "[data-testid=ranked-flows] li"),
]

# Every scrolling box wider than its room: the page itself, or a table region scrolling inside.
SIDEWAYS = """() => {
  const wide = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right + window.scrollX > window.innerWidth + 1)
      .slice(-3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right + window.scrollX)}`);
    wide.push(`page ${document.documentElement.scrollWidth} (scrolled ${window.scrollX}): ${culprits.join(', ')}`);
  }
  for (const region of document.querySelectorAll('.table-scroll')) {
    if (region.scrollWidth > region.clientWidth + 1) wide.push((region.getAttribute('aria-label') || 'table') + ' ' + region.scrollWidth);
  }
  return wide;
}"""

# Amounts that wrap mid-number: a right-aligned amount cell taller than one line of its text.
WRAPPED_AMOUNTS = """() => [...document.querySelectorAll('td.num, dd.num')]
  .filter((cell) => cell.checkVisibility() && cell.textContent.trim())
  .filter((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return tops.size > 1;
  })
  .map((cell) => cell.textContent.trim())"""


def _log_in(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/login?next=/portfolio")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{app_url}/portfolio")


def _header_height(page: Page) -> float:
    return page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")


def _shows_without_sideways_scroll(page: Page, app_url: str, path: str, ready: str, shots) -> None:
    page.goto(f"{app_url}{path}")
    expect(page.locator(ready).first).to_be_visible()
    # Measured before the photograph (a full-page capture resizes the window for a moment,
    # and the charts follow), once the page has settled: what a reader would see.
    assert _settled(page, SIDEWAYS) == [], path
    assert page.evaluate(WRAPPED_AMOUNTS) == [], path
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    page.screenshot(path=str(shots / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def _settled(page: Page, check: str, tries: int = 10) -> list:
    """The check's findings once they no longer change for a moment (charts and late figures
    lay out after the first paint); a lasting overflow is found all the same."""
    found = page.evaluate(check)
    for _ in range(tries):
        if not found:
            return found
        page.wait_for_timeout(300)
        found = page.evaluate(check)
    return found


def test_tables_fit_a_phone_and_the_header_folds_into_a_menu(
    browser: Browser, app_url: str, tmp_path
) -> None:
    with clock.frozen(NOW):
        demo_load()
        page = browser.new_context(viewport={"width": PHONE, "height": 780}).new_page()
        _log_in(page, app_url)

        for path, ready in ROUTES:
            _shows_without_sideways_scroll(page, app_url, path, ready, tmp_path)

        # An entry, opened from the journal: its debits and credits on the screen.
        page.goto(f"{app_url}/c/{SLUG}/books/journal")
        page.locator("table.journal tbody.entry a").first.click()
        expect(page).to_have_url(re.compile(rf"/c/{SLUG}/books/entries/\d+$"))
        _shows_without_sideways_scroll(
            page, app_url, page.url[len(app_url) :], "table.stack", tmp_path
        )
        debits = page.locator("table.stack tbody td.num[data-label='Débit']").filter(has_text="€")
        expect(debits.first).to_be_visible()

        # On a phone a cell's column heading is written beside its amount.
        page.goto(f"{app_url}/c/{SLUG}/books/trial-balance")
        closing = page.locator("table.trial-balance tfoot td[data-label='Soldes · Débit']")
        expect(closing).to_be_visible()
        label = closing.evaluate("(cell) => getComputedStyle(cell, '::before').content")
        assert label == '"Soldes · Débit"'

        # The charts: the Sankey's flows as a ranked list, the others' figures as tables, in French.
        page.goto(f"{app_url}/explore/{SLUG}/dashboard")
        flows = page.get_by_test_id("ranked-flows").locator("li")
        expect(flows.first).to_contain_text("→")
        expect(flows.first).to_contain_text(re.compile(r"\d,\d\d\s€$"))
        flows_data = page.get_by_test_id("chart-data-flows")
        flows_data.locator("summary").click()
        expect(flows_data.locator("tbody tr").first).to_contain_text(re.compile(r"\d,\d\d\s€"))
        assert page.evaluate(SIDEWAYS) == []
        page.screenshot(path=str(tmp_path / "dashboard-figures-360.png"), full_page=True)
        # Nothing in English number formats ("7,000") anywhere in those figures.
        assert not re.search(r"\d,\d{3}\b", page.get_by_test_id("dashboard").inner_text())

        # English readers get their liabilities' amounts whole too.
        page.goto(f"{app_url}/c/{SLUG}/books/balance-sheet")
        page.get_by_role("button", name="Switch to English").click()
        expect(page.get_by_role("region", name="Liabilities")).to_be_visible()
        page.screenshot(path=str(tmp_path / "balance-sheet-en-360.png"), full_page=True)
        assert page.evaluate(SIDEWAYS) == []
        page.get_by_role("button", name="Passer en français").click()

        # The header: one short line with the menu closed; the menu opens from the keyboard.
        page.goto(f"{app_url}/c/{SLUG}/books/balance-sheet")
        expect(page.get_by_test_id("total-actif")).to_be_visible()
        assert _header_height(page) < 70
        nav = page.get_by_role("navigation", name="Navigation principale")
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(nav.get_by_role("link", name="Portefeuille")).to_be_hidden()
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(nav.get_by_role("link", name="Portefeuille")).to_be_visible()
        page.screenshot(path=str(tmp_path / "menu-open-360.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_focused()
        # A link in the menu leads on, and the menu closes behind it.
        menu.click()
        nav.get_by_role("link", name="Portefeuille").click()
        expect(page).to_have_url(f"{app_url}/portfolio")
        expect(menu).to_have_attribute("aria-expanded", "false")

        # At 1280 px: name, navigation and indicators on one line, no menu button.
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(menu).to_be_hidden()
        expect(nav.get_by_role("link", name="Portefeuille")).to_be_visible()
        page.screenshot(path=str(tmp_path / "header-1280.png"))
        assert _header_height(page) < 70
        tops = page.evaluate(
            """() => [...document.querySelectorAll('header.top .brand, header.top nav li, header.top .indicators > *')]
              .filter((e) => e.checkVisibility())
              .map((e) => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })"""
        )
        assert max(tops) - min(tops) < 12, tops
