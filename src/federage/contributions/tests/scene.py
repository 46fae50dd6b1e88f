"""A commons with a steward, two approvers and two contributors, and the chain's shortcuts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from federage.agents import selectors as agent_selectors
from federage.contributions import services
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services


@dataclass
class Scene:
    commons: Any
    steward: Any
    approver1: Any
    approver2: Any
    contributor: Any
    other: Any

    @property
    def slug(self) -> str:
        return self.commons.slug


def agent_of(user) -> int:
    return agent_selectors.self_agent(user=user).pk


def build(make_user, make_commons, slug: str = "atelier-textile") -> Scene:
    steward = make_user(name="Stéphane Steward")
    approver1 = make_user(name="Alice Approver")
    approver2 = make_user(name="Arthur Approver")
    contributor = make_user(name="Camille Contributor")
    other = make_user(name="Dominique Other")
    commons = make_commons(
        steward,
        slug=slug,
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            contributor: ["contributor"],
            other: ["contributor"],
        },
    )
    return Scene(commons, steward, approver1, approver2, contributor, other)


def propose(scene: Scene, user=None, **fields):
    fields.setdefault("kind", "cash")
    fields.setdefault("title", "Apport en numéraire")
    fields.setdefault("proposed_price_cents", 50_000)
    fields.setdefault("commons_slug", scene.slug)
    return services.contribution_create(user=user or scene.contributor, **fields)


def vote(scene: Scene, contribution, choice: str = "for") -> None:
    for approver in (scene.approver1, scene.approver2):
        # A vote closes early once the result is settled: stop there.
        if governance_selectors.proposal_get(proposal_id=contribution.proposal_id).status != "open":
            break
        governance_services.ballot_cast(
            user=approver, proposal_id=contribution.proposal_id, choice=choice
        )


def accept(scene: Scene, user=None, **fields):
    """Propose, submit and have both approvers vote for: the vote closes early and accepts."""
    user = user or scene.contributor
    contribution = propose(scene, user=user, **fields)
    contribution = services.contribution_submit(user=user, contribution_id=contribution.pk)
    vote(scene, contribution)
    contribution.refresh_from_db()
    return contribution
