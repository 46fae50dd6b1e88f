"""`federage export <format> …`: one subcommand per registered exporter (fec, journal, …)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from federage.core.errors import ApplicationError, messages_for
from federage.ledger.exports import EXPORTERS


class Command(BaseCommand):
    help = "Export data: " + ", ".join(sorted(EXPORTERS)) + " (see `federage export FORMAT -h`)."

    def add_arguments(self, parser) -> None:
        formats = parser.add_subparsers(dest="export_format", required=True, metavar="FORMAT")
        for name in sorted(EXPORTERS):
            exporter = EXPORTERS[name]
            exporter.add_arguments(formats.add_parser(name, help=exporter.help))

    def handle(self, *args, **options) -> None:
        exporter = EXPORTERS[options["export_format"]]
        try:
            exporter.run(options, self.stdout)
        except ApplicationError as error:
            raise CommandError(f"{error.code}: {messages_for(error.code)['en']}") from None
