"""`federage report trial-balance|balance-sheet|income|capital-kinds|general-ledger --commons SLUG`."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from federage.core import clock
from federage.core.errors import ApplicationError, messages_for
from federage.ledger import exports, selectors, tables

REPORTS = ("trial-balance", "balance-sheet", "income", "capital-kinds", "general-ledger")


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Command(BaseCommand):
    help = "Print a report of a commons' books: table (default), CSV (;) or JSON; amounts in euros."

    def add_arguments(self, parser) -> None:
        parser.add_argument("report", choices=REPORTS)
        parser.add_argument("--commons", required=True, help="slug of the commons")
        parser.add_argument("--at", type=_date, help="date of the report, YYYY-MM-DD (today)")
        parser.add_argument("--since", type=_date, help="start, YYYY-MM-DD (start of the year)")
        parser.add_argument("--account", help="account number, for general-ledger")
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")

    def handle(self, *args, **options) -> None:
        try:
            report, table = self._report(options)
        except ApplicationError as error:
            raise CommandError(f"{error.code}: {messages_for(error.code)['en']}") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        elif options["format"] == "csv":
            self.stdout.write(tables.csv_text(table).lstrip("\ufeff"), ending="")
        else:
            self.stdout.write(tables.plain_text(table), ending="")

    def _report(self, options: dict) -> tuple[dict, tables.Table]:
        commons = exports.commons_by_slug(options["commons"])
        book = selectors.book_of(commons_id=commons.pk)
        at = options["at"] or clock.today()
        since = options["since"]
        kind = options["report"]
        if kind == "trial-balance":
            report = selectors.trial_balance(book=book, at=at, since=since)
            return report, tables.trial_balance_table(report)
        if kind == "balance-sheet":
            report = selectors.balance_sheet(book=book, at=at)
            return report, tables.balance_sheet_table(report)
        if kind == "income":
            report = selectors.income_statement(book=book, at=at, since=since)
            return report, tables.income_statement_table(report)
        if kind == "capital-kinds":
            report = selectors.capital_kinds(book=book, at=at)
            return report, tables.capital_kinds_table(report)
        if not options["account"]:
            raise CommandError("general-ledger needs --account NUMBER")
        report = selectors.general_ledger(
            book=book, account_number=options["account"], at=at, since=since
        )
        return report, tables.general_ledger_table(report)
