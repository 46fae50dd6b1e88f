"""The demo loads its contributions, titles and transfers, and the title invariants hold on it."""

from __future__ import annotations

import pytest

from federage.commons.models import Commons
from federage.contributions.models import Contribution
from federage.demo import loader
from federage.titles import selectors as titles_selectors
from federage.titles.models import Transfer

pytestmark = pytest.mark.django_db


def test_demo_has_contributions_titles_and_transfers(monkeypatch):
    # The ledger's year of entries is the ledger's to test; it only slows this test down.
    monkeypatch.setattr(loader, "ledger_demo_load", lambda slugs: None)
    loader.demo_load()
    states = sorted(Contribution.objects.values_list("state", flat=True))
    assert states.count("accepted") >= 6
    assert {"paid", "rejected", "in_review"} <= set(states)
    assert Transfer.objects.filter(state="accepted").count() == 2
    for commons in Commons.objects.filter(slug__in=["atelier-textile-circulaire", "carto-libre"]):
        totals = titles_selectors.totals(commons_id=commons.pk)
        assert totals["issued"] - totals["redeemed"] == totals["held"] == totals["outstanding"]
        table = titles_selectors.cap_table(commons_id=commons.pk)
        values = sum(row["value_cents"] for row in table["holders"])
        assert abs(values - table["net_assets_cents"]) * 2 <= len(table["holders"])
        assert len(titles_selectors.nav_history(commons_id=commons.pk)) >= 3
