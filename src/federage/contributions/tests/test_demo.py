"""The demo loads its contributions, titles and transfers, and the title invariants hold on it."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.commons.models import Commons
from federage.contributions.models import Contribution
from federage.core import clock
from federage.demo import loader
from federage.titles import selectors as titles_selectors
from federage.titles.models import Transfer

pytestmark = pytest.mark.django_db


# The demo spreads its history from the start of the books' year to "now": a fixed now, so that
# what it loads does not depend on today's date; and the first minutes of a year, when that
# history is shortest and Paris is already in the new year while UTC is not.
MID_YEAR = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
NEW_YEAR_IN_PARIS = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 January


@pytest.mark.parametrize(
    "now",
    [
        MID_YEAR,
        NEW_YEAR_IN_PARIS,
    ],
    ids=["mid-year", "new-year-in-paris"],
)
def test_demo_has_contributions_titles_and_transfers(now):
    with clock.frozen(now):  # read at that moment too, not at today's date
        loader.demo_load()
        states = sorted(Contribution.objects.values_list("state", flat=True))
        assert states.count("accepted") >= 6
        assert {"paid", "rejected", "in_review"} <= set(states)
        assert Transfer.objects.filter(state="accepted").count() == 2
        for commons in Commons.objects.filter(
            slug__in=["atelier-textile-circulaire", "carto-libre"]
        ):
            totals = titles_selectors.totals(commons_id=commons.pk)
            assert totals["issued"] - totals["redeemed"] == totals["held"] == totals["outstanding"]
            table = titles_selectors.cap_table(commons_id=commons.pk)
            values = sum(row["value_cents"] for row in table["holders"])
            assert abs(values - table["net_assets_cents"]) * 2 <= len(table["holders"])
            history = titles_selectors.nav_history(commons_id=commons.pk)
            assert len(history) >= 3
            # The value history ends where the register stands, and every issuance was priced
            # on the books recorded before it (no dilution).
            assert history[-1].unit_value_cents == table["unit_value_cents"]
            assert titles_selectors.titles_verify(commons_id=commons.pk) == []
            issued_at = sorted(
                {point.unit_value_cents for point in history if point.cause == "issuance"}
            )
            assert len(issued_at) >= 2  # the value moves with the books, it is not flat
