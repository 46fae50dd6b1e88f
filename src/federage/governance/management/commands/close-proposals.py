"""`federage close-proposals`: closes every vote past its deadline; run it from a periodic task."""

from django.core.management.base import BaseCommand

from federage.governance.services import proposals_close_due


class Command(BaseCommand):
    help = "Close every open proposal whose deadline has passed and log its decision."

    def handle(self, *args, **options) -> None:
        closed = proposals_close_due()
        self.stdout.write(f"{closed} proposal(s) closed")
