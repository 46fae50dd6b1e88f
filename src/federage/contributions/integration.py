"""The thin adapter to governance: opening and withdrawing validation votes, and their outcome."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services

KIND = "validate_contribution"
SUBJECT = "contribution"


def proposal_open(
    *,
    user,
    commons_id: int,
    contribution_id: int,
    title: str,
    body: str,
    payload: Mapping[str, Any],
    agent_id: int,
    co_author_ids: Iterable[int],
) -> int:
    """Opens the validation vote; the contributor and co-authors never vote on it."""
    proposal = governance_services.proposal_open(
        user=user,
        commons_id=commons_id,
        kind=KIND,
        title=title,
        body=body,
        subject_type=SUBJECT,
        subject_id=contribution_id,
        payload=dict(payload),
        agent_id=agent_id,
        author_agent_ids=list(co_author_ids),
    )
    return proposal.pk


def proposal_withdraw_if_open(*, user, proposal_id: int | None) -> None:
    if proposal_id is None:
        return
    proposal = governance_selectors.proposal_get(proposal_id=proposal_id)
    if proposal.status in ("draft", "open"):
        governance_services.proposal_withdraw(user=user, proposal_id=proposal_id)


def notify(**kwargs: Any) -> None:
    """Notifies the users acting for some agents (governance keeps every notification)."""
    governance_services.notify_agents(**kwargs)
