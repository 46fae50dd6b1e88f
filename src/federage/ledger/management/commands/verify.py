"""`federage verify [--commons SLUG]`: recompute hash chains and balances; non-zero on any fault."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from federage.core.errors import ApplicationError
from federage.ledger import exports, selectors


class Command(BaseCommand):
    help = "Check every book (or one): hash chain, numbering, debits = credits, running balances."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--commons", help="slug of the commons (all books by default)")

    def handle(self, *args, **options) -> None:
        if options["commons"]:
            try:
                commons = exports.commons_by_slug(options["commons"])
                books = [selectors.book_of(commons_id=commons.pk)]
            except ApplicationError as error:
                raise CommandError(f"{error.code}: {options['commons']}") from None
        else:
            books = selectors.books_all()
        faults = 0
        for book in books:
            problems = selectors.book_verify(book=book)
            name = f"book of commons {book.commons_id}"
            if problems:
                faults += len(problems)
                self.stderr.write(f"{name}: {len(problems)} problem(s)")
                for problem in problems:
                    self.stderr.write(f"  {problem}")
            else:
                self.stdout.write(
                    f"{name}: ok, {book.entry_count} entries, head {book.head_hash[:16]}"
                )
        if faults:
            raise CommandError(f"{faults} problem(s) found")
