"""Titles' time-driven jobs, run by `federage worker`: a redemption executes when its notice ran.

Queued with `run_after=due_at` in the transaction that records the request; the worker's sweep
executes any a lost task missed. Idempotent: an executed redemption is left as it is.
"""

from __future__ import annotations

from django_tasks import task

from federage.titles.models import Redemption


@task()
def redemption_execute(redemption_id: int) -> bool:
    """Executes one redemption whose notice has run; True if it did now."""
    from federage.titles import services

    return services.redemption_execute_due(redemption_id=redemption_id)


def redemption_execute_enqueue(redemption: Redemption) -> None:
    redemption_execute.using(run_after=redemption.due_at).enqueue(redemption.pk)


def sweep() -> dict[str, int]:
    from federage.titles import services

    return {"redemptions_executed": services.redemptions_execute_due()}
