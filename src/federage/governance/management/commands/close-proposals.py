"""`federage close-proposals`: closes every vote past its deadline and re-runs effects that wait.

The worker (`federage worker`) does the same every 30 seconds; this runs it once, by hand. A
decision whose effect was refused (a missing account, a closed period, a charter changed
meanwhile) applies by itself at the first run after its cause is gone, e.g. once the period it
needs opens.
"""

from django.core.management.base import BaseCommand

from federage.governance import selectors
from federage.governance.services import decision_effects_retry, proposals_close_due


class Command(BaseCommand):
    help = (
        "Close every open proposal whose deadline has passed and log its decision; then re-run "
        "every decision effect still pending, which applies once its cause is gone."
    )

    def handle(self, *args, **options) -> None:
        closed = proposals_close_due()
        self.stdout.write(f"{closed} proposal(s) closed")
        applied = decision_effects_retry()
        waiting = selectors.decision_effects_pending_count()
        self.stdout.write(f"{applied} pending effect(s) applied, {waiting} still pending")
