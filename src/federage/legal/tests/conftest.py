"""A commons with validated contributions, an organisation with a SIREN, and a charter vote."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.agents import services as agent_services
from federage.commons import services as commons_services
from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def scene(make_user, make_commons):
    """Five members; Camille's cash contribution of 1 000 € validated (100 titles), then the
    Atelier Couture association (SIREN 900100017, represented by Dominique) joins."""
    with clock.frozen(T0):
        scene = build(make_user, make_commons)
    with clock.frozen(T0 + dt.timedelta(days=1)):
        accept(scene, proposed_price_cents=100_000, title="Apport de départ")
    with clock.frozen(T0 + dt.timedelta(days=2)):
        scene.organisation = agent_services.agent_create(
            user=scene.other,
            kind="association",
            display_name="Atelier Couture",
            siren="900100017",
        )
        _, link = commons_services.invitation_create(
            user=scene.steward, slug=scene.slug, email=scene.other.email, roles=["funder"]
        )
        commons_services.invitation_accept(
            user=scene.other, token=link.rsplit("/", 1)[1], agent_id=scene.organisation.pk
        )
    return scene


def amend(scene, changes: dict, at: dt.datetime) -> None:
    """The steward proposes a charter amendment and the members vote it through."""
    with clock.frozen(at):
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
