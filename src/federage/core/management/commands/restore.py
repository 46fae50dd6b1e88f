"""`federage restore FILE`: an archive of `federage backup` onto an empty instance, then verify."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from federage.core import backup


class Command(BaseCommand):
    help = "Restores an archive of `federage backup` onto an empty instance, then runs verify."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")

    def handle(self, *args, archive: str, **options) -> None:
        call_command("migrate", verbosity=0)
        try:
            manifest = backup.restore(Path(archive))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored the snapshot of {manifest['created_at']}; verifying…")
        # The books' and the titles' chains and balances, as after any restore.
        call_command("verify", stdout=self.stdout)
