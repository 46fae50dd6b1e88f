"""A vote that opens on 31 December and closes on 2 January: accepted, titles issued, booked in the new year.

The server's clock is frozen (federage.core.clock holds it for every thread of the live server):
the contributor proposes on 31 December at 18:00 in Paris, the first approver votes at 23:30,
the second on 2 January. The book only has its creation year, 2026; the posting of the
acceptance opens 2027 by itself, and the entry lands there.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from federage.contributions.models import Contribution
from federage.contributions.tests.scene import build
from federage.core import clock
from federage.ledger.models import Entry, Period
from federage.testing import browser_log_in, record_labour
from federage.titles.models import Issuance

pytestmark = pytest.mark.browser

PARIS = clock.BOOKS_TIME_ZONE
VOTE_OPENS = dt.datetime(2026, 12, 31, 18, 0, tzinfo=PARIS)
LAST_MINUTES = dt.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS)
VOTE_CLOSES = dt.datetime(2027, 1, 2, 10, 0, tzinfo=PARIS)
PHONE = {"width": 390, "height": 844}


def amount(text: str) -> re.Pattern:
    """A French amount whatever the (narrow) no-break spaces: `1 400,00 €`."""
    return re.compile(r"\s".join(re.escape(part) for part in text.split(" ")))


def test_a_vote_across_the_new_year_books_the_contribution_in_the_new_year(
    browser: Browser, app_url: str, make_user, make_commons, tmp_path
) -> None:
    with clock.frozen(VOTE_OPENS):
        scene = build(make_user, make_commons, slug="atelier-nouvel-an")
        slug = scene.slug
        book_years = Period.objects.filter(book__commons=scene.commons).values_list(
            "start", "status"
        )
        assert list(book_years) == [(dt.date(2026, 1, 1), "open")]

        # 31 December, 18:00: 10 h of labour at 20 € proposed and submitted to the vote.
        camille = browser_log_in(
            browser, app_url, scene.contributor, f"/c/{slug}/contributions/new"
        )
        record_labour(camille, "Inventaire de fin d’année", hours="10")
        camille.get_by_role("button", name="Soumettre au vote").click()
        expect(camille).to_have_url(re.compile(rf"{app_url}/contributions/\d+$"))
        path = camille.url.removeprefix(app_url)
        expect(camille.get_by_test_id("contribution-state")).to_have_text("vote en cours")
        contribution = Contribution.objects.get(pk=int(path.rsplit("/", 1)[1]))

        # 23:30 in Paris (22:30 UTC): the first approver votes for; one vote settles nothing.
        with clock.frozen(LAST_MINUTES):
            alice = browser_log_in(browser, app_url, scene.approver1, path)
            alice.get_by_role("group", name="Votre vote").get_by_role("button", name="Pour").click()
            expect(alice.get_by_role("status")).to_contain_text("Vote enregistré : Pour.")
            alice.reload()
            expect(alice.get_by_test_id("contribution-state")).to_have_text("vote en cours")

        # 2 January: the second approver's vote closes it; the acceptance posts into 2027.
        with clock.frozen(VOTE_CLOSES):
            arthur = browser_log_in(browser, app_url, scene.approver2, path)
            arthur.set_viewport_size(PHONE)
            arthur.get_by_role("group", name="Votre vote").get_by_role(
                "button", name="Pour"
            ).click()
            expect(arthur.get_by_role("status")).to_contain_text("Vote enregistré : Pour.")
            arthur.reload()
            expect(arthur.get_by_test_id("contribution-state")).to_have_text("validé")
            expect(arthur.get_by_test_id("vote-status")).to_have_text("adoptée")
            expect(
                arthur.get_by_role("link", name="Titres émis : voir le registre")
            ).to_be_visible()
            # The vote section reloads when the contribution changes: shoot it settled.
            expect(arthur.get_by_test_id("vote-status")).to_have_text("adoptée")
            shot = tmp_path / "year-boundary-contribution-390.png"
            arthur.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")

            # The entry, from the contribution's page: dated 2 January 2027.
            arthur.get_by_role("link", name=f"APPORT-{contribution.pk}").click()
            expect(arthur).to_have_url(re.compile(rf"/c/{slug}/books/entries/\d+$"))
            entry_date = arthur.locator("dt", has_text="Date de l’écriture").locator(
                "xpath=following-sibling::dd[1]"
            )
            expect(entry_date).to_have_text("02/01/2027")
            expect(arthur.get_by_role("table", name="Lignes")).to_contain_text(amount("200,00 €"))
            shot = tmp_path / "year-boundary-entry-390.png"
            arthur.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")

            # 200 € at the initial 10 € a title: 20 titles, in the register.
            camille.goto(f"{app_url}/c/{slug}/titles")
            holder = camille.get_by_role("table", name="Registre des titres").get_by_role(
                "row", name=re.compile("Camille Contributor")
            )
            expect(holder).to_contain_text("20")

    contribution.refresh_from_db()
    assert contribution.state == "accepted"
    entry = Entry.objects.select_related("period").get(pk=contribution.entry_id)
    assert entry.entry_date == dt.date(2027, 1, 2)
    assert (entry.period.start, entry.period.end) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    # 2027 opened by itself, and 2026 stays open until a steward closes it.
    book_years = Period.objects.filter(book__commons=scene.commons).order_by("start")
    assert [(p.start.year, p.status) for p in book_years] == [(2026, "open"), (2027, "open")]
    issuance = Issuance.objects.get(pk=contribution.issuance_id)
    assert issuance.entry_id == entry.pk
    assert (issuance.units, issuance.price_cents) == (20, 20_000)
    assert issuance.issued_at.astimezone(PARIS).date() == dt.date(2027, 1, 2)
