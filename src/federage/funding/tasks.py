"""Funding's time-driven jobs, run by `federage worker`'s sweep: reprises and instalments due.

Both are idempotent: a year's reprise is posted once per financing (UNIQUE (financing, year)
and the entry's idempotency key); marking instalments due or overdue only moves them forward.
"""

from __future__ import annotations


def sweep() -> dict[str, int]:
    from federage.funding import services

    return {
        "reprises_posted": services.reprises_post_due(),
        "instalments_marked": services.instalments_mark_due(),
    }
