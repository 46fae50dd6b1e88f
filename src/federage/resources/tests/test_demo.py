"""The demo's resources: rented machines paying levies, a meadow paying per hectare, dues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from federage.core import clock
from federage.demo import loader
from federage.ledger import receivables
from federage.ledger.models import Due
from federage.resources.models import Resource, Usage

pytestmark = pytest.mark.django_db

MID_YEAR = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
NEW_YEAR_IN_PARIS = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 January


@pytest.mark.parametrize("now", [MID_YEAR, NEW_YEAR_IN_PARIS], ids=["mid-year", "new-year"])
def test_demo_resources_uses_and_dues(now):
    with clock.frozen(now):
        loader.demo_load()
        assert Resource.objects.filter(commons__slug="atelier-textile-circulaire").count() == 2
        prairie = Resource.objects.get(key="prairie")
        assert prairie.unit == "ha"
        meadow_uses = Usage.objects.filter(resource=prairie)
        assert meadow_uses.exists()
        # 2 ha at 15 € a hectare, each month, under the line the members voted.
        assert {(u.levy_cents, u.levy_line) for u in meadow_uses} == {(3000, "resource")}
        statuses = [receivables.due_status(due) for due in Due.objects.filter(kind="levy")]
        if now == MID_YEAR:
            commercial = Usage.objects.filter(commercial=True)
            assert commercial.count() == 5
            # 3 % of every sale (the charter's default line).
            assert all(u.levy_cents == u.sale_amount_cents * 3 // 100 for u in commercial)
            assert {"paid", "overdue", "due"} <= set(statuses)
            assert (
                Due.objects.filter(kind="levy", paid_cents__gt=0)
                .exclude(paid_cents=F("amount_cents"))
                .exists()
            )
        assert Due.objects.filter(kind="transfer_tax").count() == 2
