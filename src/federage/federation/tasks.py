"""Federation's time-driven work, run by `federage worker`'s sweep: loans returned on their date
(with their fee), holdings of other commons booked at cost and revalued once a day, uses received
in an exchange moved from 486 to the expense on the day they are consumed. All idempotent."""

from __future__ import annotations


def sweep() -> dict[str, int]:
    from federage.federation import services

    return {
        "borrowings_returned": services.borrowings_return_due(),
        "participations_booked": services.participations_sync(),
        "participations_revalued": services.participations_revalue(),
        "prepaid_uses_expensed": services.exchange_uses_consume_due(),
    }
