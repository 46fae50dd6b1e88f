"""Governance's time-driven jobs, run by `federage worker`: no page read ever writes.

A vote is queued to close at its deadline (`run_after=closes_at`) in the transaction that opens
it; the worker's sweep closes what a lost or late task missed and re-runs pending effects. Every
job is idempotent: run twice, or after a ballot closed the vote first, it does nothing more.
"""

from __future__ import annotations

import logging

from django_tasks import task

from federage.core import clock
from federage.governance.models import Proposal

logger = logging.getLogger(__name__)


@task()
def proposal_close(proposal_id: int) -> bool:
    """Closes one proposal if its deadline has passed; True if it closed now."""
    from federage.governance import services

    return services.proposal_refresh(proposal_id=proposal_id)


def proposal_close_enqueue(proposal: Proposal) -> None:
    """Queues the closing of an opened vote at its deadline, in the caller's transaction."""
    proposal_close.using(run_after=proposal.closes_at).enqueue(proposal.pk)


def proposals_close_due() -> int:
    """Closes every proposal past its deadline, each alone: one that fails does not stop the rest."""
    from federage.governance import services

    due = Proposal.objects.filter(status="open", closes_at__lte=clock.now())
    closed = 0
    for proposal_id in list(due.order_by("closes_at", "id").values_list("pk", flat=True)):
        try:
            closed += services.proposal_refresh(proposal_id=proposal_id)
        except Exception:
            logger.exception("closing proposal %s failed; the next sweep tries again", proposal_id)
    return closed


def sweep() -> dict[str, int]:
    """Due votes closed, then pending decision effects re-run: what each did."""
    from federage.governance import services

    closed = proposals_close_due()
    applied = services.decision_effects_retry()
    return {"proposals_closed": closed, "effects_applied": applied}
