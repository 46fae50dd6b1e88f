"""A commons with its members, a machine brought in kind, a company outside it, a frozen clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from federage.agents import services as agent_services
from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.resources import services

NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@dataclass
class World:
    scene: Any
    machine: Any
    company_user: Any
    company: Any

    def __getattr__(self, name):
        return getattr(self.scene, name)


def amend(scene, changes: dict) -> None:
    """The steward proposes a charter amendment and the members vote it through."""
    proposal = governance_services.proposal_open(
        user=scene.steward,
        commons_id=scene.commons.pk,
        kind="amend_charter",
        title="Amendement",
        payload={"changes": changes},
    )
    for user in (scene.approver1, scene.approver2, scene.contributor, scene.other):
        if governance_selectors.proposal_get(proposal_id=proposal.pk).status != "open":
            break
        governance_services.ballot_cast(user=user, proposal_id=proposal.pk, choice="for")
    assert governance_selectors.proposal_get(proposal_id=proposal.pk).status == "passed"


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
    machine = services.resource_register(
        user=scene.steward,
        commons_slug=scene.slug,
        key="metier",
        name="Métier à tisser",
        kind="equipment",
        unit="hour",
        location="Roubaix",
        depreciation_years=5,
        in_service_on=dt.date(2026, 1, 1),
        contribution_ids=[loom.pk],
    )
    company_user = make_user(name="Gérante Textiles du Nord")
    company = agent_services.agent_create(
        user=company_user, kind="company", display_name="Textiles du Nord", siren="900100041"
    )
    return World(scene, machine, company_user, company)
