"""The demo's impact: the fund's adopted objectives with verified, disputed and declared
measurements, the workshop's tonnes recycled, and their open data (verified only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.core import clock
from federage.demo import loader
from federage.impact import selectors
from federage.impact.models import Measurement, Objective
from federage.opendata import datapackage

pytestmark = pytest.mark.django_db

MID_YEAR = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def test_demo_impact(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with clock.frozen(MID_YEAR):
        loader.demo_load()
        fund = Objective.objects.filter(commons__slug="fonds-sols-vivants").order_by("id")
        assert [o.indicator.code for o in fund] == ["ghg_avoided", "area_regenerated"]
        assert all(o.status == "adopted" and o.decision_id for o in fund)
        carbon = fund[0]
        statuses = sorted(
            Measurement.objects.filter(objective=carbon).values_list("status", flat=True)
        )
        assert statuses == ["disputed", "verified"]
        progress = selectors.objective_progress(objective_id=carbon.pk)
        assert progress["verified_total"] == Decimal("182.400")
        assert progress["progress_bp"] == 1520
        workshop = Objective.objects.get(commons__slug="atelier-textile-circulaire")
        assert workshop.indicator.code == "waste_recycled"
        assert selectors.objective_progress(objective_id=workshop.pk)["verified_total"] == Decimal(
            "11.850"
        )
        assert Measurement.objects.filter(evidence__isnull=False).distinct().count() >= 4
        commons_list = datapackage._commons_list(None)
        rows = list(datapackage._rows("measurements", commons_list))
        assert len(rows) == Measurement.objects.filter(status="verified").count() == 3
        objectives = list(datapackage._rows("objectives", commons_list))
        assert {row[3] for row in objectives} == {
            "ghg_avoided",
            "area_regenerated",
            "waste_recycled",
        }
        assert len(list(datapackage._rows("indicators", commons_list))) >= 10
