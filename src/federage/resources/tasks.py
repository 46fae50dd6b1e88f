"""Resources' time-driven jobs, run by `federage worker`'s sweep: recurring uses and depreciation.

Both are idempotent: a recurring use is declared once per month (UNIQUE (recurring, month) in
the database), a year's depreciation once per resource (UNIQUE (resource, year)); run twice,
the sweep does nothing more.
"""

from __future__ import annotations


def sweep() -> dict[str, int]:
    from federage.resources import services

    return {
        "recurring_usages_declared": services.recurring_usages_generate(),
        "depreciations_posted": services.depreciations_post_due(),
    }
