"""Year end in a real browser: a steward closes the ended year from the books screen (a refusal is
shown by its code first), proposes to put its result in reserves, a member votes for it, and the
balance sheet then shows the reserves and no result awaiting allocation."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from federage.core import clock
from federage.ledger import selectors as ledger_selectors
from federage.ledger import services as ledger_services
from federage.testing import browser_log_in, post_pair

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC)
PHONE = {"width": 390, "height": 844}
RESULT = re.compile(r"^6\s966,00\s€$")  # 10 000,00 of levies less 3 034,00 of rent


def test_a_steward_closes_the_year_and_the_members_allocate_its_result(
    browser: Browser, app_url: str, make_user, make_commons, tmp_path
) -> None:
    with clock.frozen(NOW):
        sophie = make_user("sophie.cloture@example.org", "Sophie Gestion")
        marc = make_user("marc.cloture@example.org", "Marc Tissage")
        commons = make_commons(
            sophie, slug="atelier-cloture", name="Atelier clôture", members={marc: ["contributor"]}
        )
        for year in (2024, 2025):
            ledger_services.period_open(
                commons_id=commons.pk,
                start=dt.date(year, 1, 1),
                end=dt.date(year, 12, 31),
                actor_user_id=None,
            )
        post_pair(commons, "capital", dt.date(2025, 2, 1), "512", "1013", 200_000, "AP")
        post_pair(commons, "redevances-2025", dt.date(2025, 5, 1), "512", "706", 1_000_000, "VE")
        post_pair(commons, "loyer-2025", dt.date(2025, 9, 1), "613", "512", 303_400, "AC")

        page = browser_log_in(browser, app_url, sophie, "/c/atelier-cloture/books/balance-sheet")
        page.set_viewport_size(PHONE)
        year_end = page.get_by_role("region", name="Clôture et affectation du résultat")
        close_2025 = year_end.get_by_role(
            "button", name="Clôturer l’exercice du 01/01/2025 au 31/12/2025"
        )
        close_2024 = year_end.get_by_role(
            "button", name="Clôturer l’exercice du 01/01/2024 au 31/12/2024"
        )
        # The running year has not ended: no button for it.
        expect(year_end.get_by_role("button", name=re.compile("2026"))).to_have_count(0)

        # 2025 before 2024: refused, and the refusal is said by its code, nothing closed.
        page.once("dialog", lambda dialog: dialog.accept())
        close_2025.click()
        expect(year_end.get_by_role("alert")).to_contain_text(
            "Clôturez d’abord les exercices précédents."
        )
        book = ledger_selectors.book_of(commons_id=commons.pk)
        assert [p.status for p in ledger_selectors.periods_of(book=book)] == ["open"] * 3

        # A dismissed confirmation closes nothing.
        page.once("dialog", lambda dialog: dialog.dismiss())
        close_2024.click()
        expect(close_2024).to_be_visible()
        page.once("dialog", lambda dialog: dialog.accept())
        close_2024.click()
        expect(page.get_by_role("status")).to_contain_text("Exercice clôturé.")
        expect(close_2024).to_have_count(0)
        page.once("dialog", lambda dialog: dialog.accept())
        close_2025.click()
        expect(close_2025).to_have_count(0)
        closed = ledger_selectors.period_of_year(book=book, year=2025)
        assert closed.status == "closed" and closed.carried_forward_by is not None

        # The result waits in 120, and the form proposes to put it all in reserves.
        expect(year_end.get_by_test_id("result-to-allocate")).to_have_text(
            re.compile(r"^Bénéfice de 6\s966,00\s€$")
        )
        expect(page.get_by_test_id("prior-result")).to_have_text(RESULT)
        form = year_end.get_by_role("form", name="Proposer l’affectation du résultat")
        expect(form.get_by_label("En réserves (1068)")).to_have_value("6966,00")
        expect(form).to_contain_text("La charte ne permet pas de distribuer le résultat.")
        # A sum that differs from the result: refused by its code, no proposal.
        form.get_by_label("En réserves (1068)").fill("6000")
        form.get_by_role("button", name="Proposer l’affectation du résultat").click()
        expect(year_end.get_by_role("alert")).to_contain_text(
            "doivent totaliser exactement le résultat"
        )
        form.get_by_label("En réserves (1068)").fill("6966,00")
        form.get_by_role("button", name="Proposer l’affectation du résultat").click()
        expect(page).to_have_url(re.compile(rf"{app_url}/c/atelier-cloture/proposals/\d+$"))
        proposal_path = page.url.removeprefix(app_url)
        allocation = page.get_by_test_id("allocation")
        expect(page.get_by_role("heading", name="Affectation proposée")).to_be_visible()
        expect(allocation).to_contain_text("En réserves (1068)")
        expect(allocation.locator("dd").first).to_have_text(RESULT)
        page.screenshot(path=str(tmp_path / "allocation-proposal-390.png"), full_page=True)

        member = browser_log_in(browser, app_url, marc, proposal_path)
        member.get_by_role("group", name="Votre vote").get_by_role("button", name="Pour").click()
        expect(member.get_by_role("status")).to_contain_text("Vote enregistré : Pour.")
        expect(member.get_by_test_id("proposal-status")).to_have_text("adoptée", timeout=15_000)

        page.goto(f"{app_url}/c/atelier-cloture/books/balance-sheet")
        expect(page.get_by_test_id("reserves")).to_have_text(RESULT)
        expect(page.get_by_test_id("prior-result")).to_have_count(0)
        passif = page.get_by_role("region", name="Passif")
        expect(passif.get_by_role("row", name=re.compile(r"^1068 "))).to_contain_text("6 966,00")
        expect(passif.get_by_role("row", name=re.compile(r"^120 "))).to_have_count(0)
        expect(page.get_by_test_id("total-actif")).to_have_text(
            page.get_by_test_id("total-passif").inner_text()
        )
        expect(
            page.get_by_role("region", name="Clôture et affectation du résultat")
        ).to_contain_text("Résultat de l’exercice du 01/01/2025 au 31/12/2025 affecté")
        page.screenshot(path=str(tmp_path / "balance-sheet-allocated-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
