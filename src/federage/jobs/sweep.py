"""The worker's sweep: one table of every app's time-driven work, run every 30 seconds.

Each app queues its own jobs at the moment they become due (a vote's closing at `closes_at`, a
redemption at the end of its notice); the sweep does whatever a lost, failed or late job missed,
so nothing waits on a page being read. Every sweep is idempotent: run twice, it does nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from federage.federation import tasks as federation_tasks
from federage.funding import tasks as funding_tasks
from federage.governance import tasks as governance_tasks
from federage.legal import tasks as legal_tasks
from federage.resources import tasks as resources_tasks
from federage.titles import tasks as titles_tasks

logger = logging.getLogger(__name__)

# In order: votes close first, so a decision's effect and a redemption see the closing.
SWEEPS: tuple[tuple[str, Callable[[], dict[str, int]]], ...] = (
    ("governance", governance_tasks.sweep),
    ("titles", titles_tasks.sweep),
    ("resources", resources_tasks.sweep),
    # After resources: a grant's reprise follows its resource's depreciation of the same year.
    ("funding", funding_tasks.sweep),
    # Loans of assets between commons come back on their date; holdings are revalued daily.
    ("federation", federation_tasks.sweep),
    # Last: a contract version follows whatever the sweeps before changed.
    ("legal", legal_tasks.sweep),
)

# Finished jobs are kept this long for inspection, then deleted.
RESULTS_KEPT = dt.timedelta(days=7)


def sweep() -> dict[str, int]:
    """Runs every app's sweep; one that fails is logged and does not stop the others."""
    done: dict[str, int] = {}
    for name, run in SWEEPS:
        try:
            done.update(run())
        except Exception:
            logger.exception("the %s sweep failed; the next one tries again", name)
    return done


def results_prune() -> int:
    """Deletes finished jobs older than RESULTS_KEPT (by the real clock, like the queue)."""
    old = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - RESULTS_KEPT)
    deleted, _ = old.delete()
    return deleted
