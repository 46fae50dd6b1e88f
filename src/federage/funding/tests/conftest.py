"""A commons with members, a machine and a parcel, an objective, an outside funder, a frozen clock.

impact's selectors (objective_progress, objective_commons_id; notes/interfaces.md) are used
when impact provides them; until then a stand-in following the same contract reads the tables.
"""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from federage.agents import services as agent_services
from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.funding import selectors as funding_selectors
from federage.funding import services as funding_services
from federage.impact.models import Indicator, Measurement, Objective
from federage.resources import services as resources_services

NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _stand_in() -> types.SimpleNamespace:
    def objective_commons_id(*, objective_id: int) -> int | None:
        return (
            Objective.objects.filter(pk=objective_id).values_list("commons_id", flat=True).first()
        )

    def objective_progress(*, objective_id: int) -> dict:
        objective = Objective.objects.select_related("indicator").get(pk=objective_id)
        total = Measurement.objects.filter(objective=objective, status="verified").aggregate(
            total=Sum("value")
        )["total"] or Decimal(0)
        span = objective.target - objective.baseline
        done = total - objective.baseline if total else Decimal(0)
        bp = int(max(0, min(10_000, (done / span) * 10_000))) if span else 0
        return {
            "objective_id": objective.pk,
            "indicator_code": objective.indicator.code,
            "unit": objective.indicator.unit,
            "baseline": objective.baseline,
            "target": objective.target,
            "verified_total": total,
            "progress_bp": bp,
            "status": objective.status,
        }

    return types.SimpleNamespace(
        objective_commons_id=objective_commons_id, objective_progress=objective_progress
    )


@pytest.fixture(autouse=True)
def impact_contract(monkeypatch):
    try:
        from federage.impact import selectors as real

        if hasattr(real, "objective_progress") and hasattr(real, "objective_commons_id"):
            return
    except ImportError:
        pass
    stand_in = _stand_in()
    monkeypatch.setattr(funding_services, "_impact", lambda: stand_in)
    monkeypatch.setattr(funding_selectors, "_impact", lambda: stand_in)


@dataclass
class World:
    scene: Any
    machine: Any
    objective: Any
    funder_user: Any
    funder: Any
    other_commons: Any
    other_objective: Any
    other_steward: Any

    def __getattr__(self, name):
        return getattr(self.scene, name)


def _indicator() -> Indicator:
    indicator = Indicator.objects.filter(code="ghg_avoided").first()
    if indicator is None:
        indicator = Indicator.objects.create(
            code="ghg_avoided",
            label_fr="GES évités",
            label_en="GHG avoided",
            unit="tCO2e",
            direction="increase",
        )
    return indicator


def objective_for(commons, user) -> Objective:
    return Objective.objects.create(
        commons=commons,
        indicator=_indicator(),
        title="Tonnes évitées",
        baseline=Decimal(0),
        target=Decimal(100),
        starts_on=dt.date(2026, 1, 1),
        target_date=dt.date(2028, 12, 31),
        status="adopted",
        proposal_id=1,
        decision_id=1,
        created_by=user,
        created_at=NOW,
    )


def verified(objective, value, declarer, reviewer) -> Measurement:
    return Measurement.objects.create(
        objective=objective,
        value=Decimal(value),
        unit="tCO2e",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 10, 31),
        status="verified",
        declared_by=declarer,
        declared_at=NOW,
        reviewed_by=reviewer,
        reviewed_at=NOW,
    )


@pytest.fixture
def world(make_user, make_commons) -> World:
    scene = build(make_user, make_commons)
    loom = accept(
        scene,
        kind="in_kind",
        title="Métier à tisser",
        proposed_price_cents=1_200_000,
        resource_account="2154",
    )
    machine = resources_services.resource_register(
        user=scene.steward,
        commons_slug=scene.slug,
        key="metier",
        name="Métier à tisser",
        kind="equipment",
        unit="hour",
        depreciation_years=5,
        in_service_on=dt.date(2026, 1, 1),
        contribution_ids=[loom.pk],
    )
    objective = objective_for(scene.commons, scene.steward)
    funder_user = make_user(name="Sofia Agence")
    funder = agent_services.agent_create(
        user=funder_user,
        kind="company",
        display_name="Agence du développement",
        siren="900100041",
    )
    other_steward = make_user(name="Otto Other")
    other = make_commons(other_steward, slug="autre-commun")
    return World(
        scene,
        machine,
        objective,
        funder_user,
        funder,
        other,
        objective_for(other, other_steward),
        other_steward,
    )
