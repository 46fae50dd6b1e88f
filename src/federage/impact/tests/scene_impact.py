"""A commons with a steward, approvers, contributors and two verifiers, a frozen clock, and the
shortcuts of the objective chain (propose, vote through, declare, verify)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.impact import services

NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with clock.frozen(NOW):
        yield


@dataclass
class World:
    commons: Any
    steward: Any
    approver1: Any
    approver2: Any
    contributor: Any
    verifier: Any
    verifier2: Any
    outsider: Any

    @property
    def slug(self) -> str:
        return self.commons.slug

    @property
    def voters(self) -> list:
        return [
            self.steward,
            self.approver1,
            self.approver2,
            self.contributor,
            self.verifier,
            self.verifier2,
        ]


@pytest.fixture
def world(frozen, make_user, make_commons) -> World:
    steward = make_user(name="Stéphane Steward")
    approver1 = make_user(name="Alice Approver")
    approver2 = make_user(name="Arthur Approver")
    contributor = make_user(name="Camille Contributor")
    verifier = make_user(name="Véra Verifier")
    verifier2 = make_user(name="Victor Verifier")
    outsider = make_user(name="Olga Outsider")
    commons = make_commons(
        steward,
        slug="fonds-test",
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            contributor: ["contributor"],
            verifier: ["verifier", "contributor"],
            verifier2: ["verifier"],
        },
    )
    return World(commons, steward, approver1, approver2, contributor, verifier, verifier2, outsider)


def fields(**changes) -> dict:
    base = {
        "title": "Hectares régénérés",
        "indicator_code": "area_regenerated",
        "baseline": "0",
        "target": "120",
        "starts_on": dt.date(2026, 1, 1),
        "target_date": dt.date(2030, 12, 31),
        "method": "Suivi parcellaire",
        "method_reference": "",
        "resource_ids": [],
        "terms": [],
    }
    base.update(changes)
    return base


def vote(world: World, proposal_id: int, choice: str = "for") -> str:
    for user in world.voters:
        if governance_selectors.proposal_get(proposal_id=proposal_id).status != "open":
            break
        # The author, or a member outside the electorate, is refused: the others vote.
        with contextlib.suppress(ApplicationError):
            governance_services.ballot_cast(user=user, proposal_id=proposal_id, choice=choice)
    return governance_selectors.proposal_get(proposal_id=proposal_id).status


def adopted(world: World, **changes):
    objective = services.objective_propose(
        user=world.steward, commons_slug=world.slug, **fields(**changes)
    )
    assert vote(world, objective.proposal_id) == "passed"
    objective.refresh_from_db()
    assert objective.status == "adopted"
    return objective


def declare(world: World, objective, value="10", user=None, **extra):
    extra.setdefault("period_start", dt.date(2026, 1, 1))
    extra.setdefault("period_end", dt.date(2026, 6, 30))
    return services.measurement_declare(
        user=user or world.contributor,
        objective_id=objective.pk,
        value=value,
        unit=objective.indicator.unit,
        **extra,
    )
