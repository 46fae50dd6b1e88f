"""Funding's time-driven jobs, run by `federage worker`'s sweep: reprises, instalments due, and
the year end's accrued interest (and its reversal) and fonds dédiés.

All are idempotent: a year's reprise is posted once per financing (UNIQUE (financing, year)
and the entry's idempotency key), a year-end posting once per (financing, year, kind) (UNIQUE,
and its key); marking instalments due or overdue only moves them forward.
"""

from __future__ import annotations


def sweep() -> dict[str, int]:
    from federage.funding import services

    reprises = services.reprises_post_due()
    instalments = services.instalments_mark_due()
    accrued, reversed_ = services.interest_accruals_post_due()
    return {
        "reprises_posted": reprises,
        "instalments_marked": instalments,
        "interest_accrued": accrued,
        "interest_accruals_reversed": reversed_,
        "dedicated_funds_posted": services.dedicated_funds_post_due(),
    }
