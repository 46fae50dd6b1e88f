"""A commons with due work: votes past their deadline (one passes), a redemption past its notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from federage.commons import services as commons_services
from federage.contributions import services as contribution_services
from federage.contributions.tests.scene import Scene, accept, build, propose
from federage.core import clock
from federage.governance import services as governance_services
from federage.governance.models import Proposal
from federage.titles import services as titles_services

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class Due:
    scene: Scene
    contribution: Any  # in review: one approver for, the other silent; passes at the deadline
    motion: Proposal  # a free motion with one ballot for, past its deadline
    accepted: Any  # an accepted contribution: entries, titles and a decision to read
    redemption: Any  # requested, its notice run by `after`
    invitation_token: str
    after: dt.datetime  # a moment past both deadlines and the notice


@pytest.fixture
def due(make_user, make_commons) -> Due:
    with clock.frozen(T0):
        scene = build(make_user, make_commons, slug="atelier-echeances")
        accepted = accept(scene, title="Machine à coudre", proposed_price_cents=20_000)
        contribution = propose(scene, title="Tissus", proposed_price_cents=10_000)
        contribution = contribution_services.contribution_submit(
            user=scene.contributor, contribution_id=contribution.pk
        )
        governance_services.ballot_cast(
            user=scene.approver1, proposal_id=contribution.proposal_id, choice="for"
        )
        motion = governance_services.proposal_open(
            user=scene.steward,
            commons_id=scene.commons.pk,
            kind="free_motion",
            title="Ouvrir le samedi",
        )
        governance_services.ballot_cast(user=scene.approver2, proposal_id=motion.pk, choice="for")
        # The contributor leaves with 5 of their 20 titles: executed when the notice has run.
        redemption = titles_services.redemption_request(
            user=scene.contributor, commons_slug=scene.slug, units=Decimal("5")
        )
        _, link = commons_services.invitation_create(
            user=scene.steward, slug=scene.slug, email="later@example.org", roles=["contributor"]
        )
    contribution.refresh_from_db()
    motion.refresh_from_db()
    proposal = Proposal.objects.get(pk=contribution.proposal_id)
    assert (proposal.status, motion.status, contribution.state) == ("open", "open", "in_review")
    assert redemption.state == "requested"
    after = max(proposal.closes_at, motion.closes_at, redemption.due_at) + dt.timedelta(minutes=1)
    return Due(scene, contribution, motion, accepted, redemption, link.rsplit("/", 1)[1], after)
