"""`federage demo`: loads the demo commons (once; `--if-empty` makes it a no-op when present)."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from federage.demo.loader import DEMO_PASSWORD, PEOPLE, demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "Load the fictional demo commons, agents and users."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if already loaded.")

    def handle(self, *args, if_empty: bool, **options) -> None:
        if demo_is_loaded():
            if if_empty:
                return
            raise CommandError("The demo is already loaded.")
        # Demo invitations go to fictional addresses: do not print or send them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            slugs = demo_load()
        self.stdout.write(f"Demo loaded: {len(slugs)} commons ({', '.join(slugs)}).")
        self.stdout.write(f"Log in as {PEOPLE[0].email} with the password {DEMO_PASSWORD}.")
