"""One result everywhere: every report, page and dashboard gives the year's result, apart from
an earlier year's result still awaiting allocation (issue 11, item 4)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from federage.core import clock
from federage.core.money import Money
from federage.ledger import domain
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput
from federage.testing import post_pair

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
# 2025 ends on a profit of 6 966,00 € that nobody allocates; 2026 earns 4 949,86 € to date.
PRIOR_RESULT = 1_000_000 - 303_400
YEAR_RESULT = 600_000 - 105_014


@pytest.fixture
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def two_years(frozen_clock, make_user, make_commons):
    """A public commons whose 2025 is closed with its à-nouveaux and its profit left in 120."""
    steward = make_user(name="Gestionnaire")
    commons = make_commons(steward, slug="atelier-deux-ans", visibility="public")
    old = ledger_services.period_open(
        commons_id=commons.pk,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        actor_user_id=None,
    )
    post_pair(commons, "capital", dt.date(2025, 2, 1), "512", "1013", 200_000, journal="AP")
    post_pair(commons, "ventes-2025", dt.date(2025, 5, 1), "512", "706", 1_000_000, journal="VE")
    post_pair(commons, "loyer-2025", dt.date(2025, 9, 1), "613", "512", 303_400, journal="AC")
    ledger_services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    post_pair(commons, "ventes-2026", dt.date(2026, 3, 2), "512", "706", 600_000, journal="VE")
    post_pair(commons, "fil-2026", dt.date(2026, 4, 9), "606", "512", 105_014, journal="AC")
    return commons, steward


def _sections(sheet: dict) -> dict[str, dict]:
    return {section["heading"]: section for section in sheet["passif"]}


def test_every_place_gives_the_same_result_and_the_prior_one_apart(two_years, api_client):
    commons, steward = two_years
    member = api_client(steward)
    public = Client()
    ledger = f"/commons/{commons.slug}/ledger"
    open_books = f"/api/v1/public/commons/{commons.slug}"

    sheets = {
        "member": member.get(f"{ledger}/balance-sheet").json(),
        "public": public.get(f"{open_books}/balance-sheet").json(),
        "public, dated": public.get(f"{open_books}/balance-sheet", {"at": "2026-06-15"}).json(),
    }
    incomes = {
        "member": member.get(f"{ledger}/income-statement").json(),
        "public": public.get(f"{open_books}/income-statement").json(),
        "public, dated": public.get(
            f"{open_books}/income-statement", {"at": "2026-06-15", "since": "2026-01-01"}
        ).json(),
    }
    board = public.get(f"{open_books}/dashboard").json()

    results = {f"balance sheet ({k})": sheet["result_cents"] for k, sheet in sheets.items()}
    for where, sheet in sheets.items():
        section = _sections(sheet)[domain.CURRENT_RESULT_HEADING]
        results[f"balance sheet line ({where})"] = section["amount_cents"]
    results |= {f"income statement ({k})": income["result_cents"] for k, income in incomes.items()}
    for where, income in incomes.items():
        results[f"income statement totals ({where})"] = (
            income["total_produits_cents"] - income["total_charges_cents"]
        )
    results["dashboard"] = board["result"]["result_cents"]
    assert results == dict.fromkeys(results, YEAR_RESULT)

    for where, sheet in sheets.items():
        passif = _sections(sheet)
        prior = passif[domain.PRIOR_RESULT_HEADING]
        assert prior["amount_cents"] == sheet["prior_result_cents"] == PRIOR_RESULT, where
        assert [(a["number"], a["amount_cents"]) for a in prior["accounts"]] == [
            ("120", PRIOR_RESULT)
        ]
        current = passif[domain.CURRENT_RESULT_HEADING]
        assert [a["amount_cents"] for a in current["accounts"]] == [YEAR_RESULT], where
        assert sheet["total_actif_cents"] == sheet["total_passif_cents"], where
        assert sheet["equity_cents"] == 200_000 + PRIOR_RESULT + YEAR_RESULT, where
        assert (sheet["retained_earnings_cents"], sheet["reserves_cents"]) == (0, 0), where
    assert sheets["member"] == sheets["public"] == sheets["public, dated"]
    assert board["result"] == {
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "result_cents": YEAR_RESULT,
        "prior_result_cents": PRIOR_RESULT,
    }

    # The spreadsheet a member downloads: one subtotal per heading, the same two figures.
    response = member.get(f"{ledger}/balance-sheet", format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    subtotals = {row[1]: row[4] for row in rows if row[3] == "Sous-total"}
    assert subtotals[domain.CURRENT_RESULT_HEADING] == "4949,86"
    assert subtotals[domain.PRIOR_RESULT_HEADING] == "6966,00"

    # Last year's own statement still shows last year's result, with nothing earlier pending.
    last_year = member.get(f"{ledger}/balance-sheet", at="2025-12-31").json()
    assert last_year["result_cents"] == PRIOR_RESULT and last_year["prior_result_cents"] == 0
    assert domain.PRIOR_RESULT_HEADING not in _sections(last_year)
    last_income = public.get(f"{open_books}/income-statement", {"at": "2025-12-31"}).json()
    assert last_income["result_cents"] == PRIOR_RESULT


def test_an_allocated_result_leaves_the_pending_line_for_reserves_and_report(two_years):
    """Once the members allocate 2025's profit (120 → reserves 1068 and report à nouveau 110),
    the pending line goes and the year's result does not move."""
    commons, _ = two_years
    # 1068 Autres réserves is part of every book's chart.
    ledger_services.entry_post(
        commons_id=commons.pk,
        journal="OD",
        entry_date=dt.date(2026, 6, 1),
        label="Affectation du résultat 2025",
        piece_ref="AG-2026",
        lines=[
            LineInput("120", debit=Money(PRIOR_RESULT)),
            LineInput("1068", credit=Money(500_000)),
            LineInput("110", credit=Money(PRIOR_RESULT - 500_000)),
        ],
        idempotency_key="test:affectation",
        authorised_by={"source_type": "manual"},
        actor_user_id=None,
    )
    public = Client()
    open_books = f"/api/v1/public/commons/{commons.slug}"
    sheet = public.get(f"{open_books}/balance-sheet").json()
    passif = _sections(sheet)
    assert domain.PRIOR_RESULT_HEADING not in passif and sheet["prior_result_cents"] == 0
    assert passif[domain.RESERVES_HEADING]["amount_cents"] == sheet["reserves_cents"] == 500_000
    assert (
        passif[domain.RETAINED_EARNINGS_HEADING]["amount_cents"]
        == sheet["retained_earnings_cents"]
        == PRIOR_RESULT - 500_000
    )
    assert sheet["result_cents"] == YEAR_RESULT
    assert sheet["total_actif_cents"] == sheet["total_passif_cents"]
    assert public.get(f"{open_books}/income-statement").json()["result_cents"] == YEAR_RESULT
    board = public.get(f"{open_books}/dashboard").json()
    assert board["result"]["result_cents"] == YEAR_RESULT
    assert board["result"]["prior_result_cents"] == 0
