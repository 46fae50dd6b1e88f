"""`federage verify [--commons SLUG]`: recompute books, decision logs and title registers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from federage.core.errors import ApplicationError, messages_for
from federage.governance import selectors as governance_selectors
from federage.ledger import exports, selectors
from federage.titles import selectors as titles_selectors


class Command(BaseCommand):
    help = (
        "Check every commons (or one): the book's hash chain, numbering, debits = credits and "
        "running balances; the decision log's hash chain; units issued − redeemed = units held; "
        "and list every decision whose effect is still pending."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--commons", help="slug of the commons (all commons by default)")

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
            checks = {
                "book": selectors.book_verify(book=book),
                "decision log": governance_selectors.decision_log_verify(book.commons_id),
                "titles": titles_selectors.titles_verify(commons_id=book.commons_id),
                "pending effects": _pending_effects(book.commons_id),
            }
            for what, problems in checks.items():
                name = f"commons {book.commons_id}, {what}"
                if problems:
                    faults += len(problems)
                    self.stderr.write(f"{name}: {len(problems)} problem(s)")
                    for problem in problems:
                        self.stderr.write(f"  {problem}")
            if not any(checks.values()):
                self.stdout.write(
                    f"commons {book.commons_id}: ok (book: {book.entry_count} entries, head "
                    f"{book.head_hash[:16]}; decision log, titles and issuance prices "
                    "verified, no effect pending)"
                )
        if faults:
            raise CommandError(f"{faults} problem(s) found")


def _pending_effects(commons_id: int) -> list[str]:
    """One line per decision whose effect waits: `federage close-proposals` re-runs them."""
    return [
        f"commons {effect.commons.slug}, decision #{effect.decision.sequence} "
        f"({effect.proposal_kind}): effect pending since {effect.created_at:%Y-%m-%d}, "
        f"{effect.attempts} attempt(s), reason {effect.reason}: {messages_for(effect.reason)['en']}"
        for effect in governance_selectors.decision_effects_pending(commons_id=commons_id)
    ]
