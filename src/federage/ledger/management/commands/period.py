"""`federage period close --commons SLUG --year YYYY`: closes a fiscal year of a commons' books."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from federage.core.errors import ApplicationError, messages_for
from federage.core.money import Money
from federage.ledger import domain, exports, selectors, services


class Command(BaseCommand):
    help = (
        "Close a fiscal year (the one ending in --year): generates its à-nouveaux and carries its "
        "result into 120 (profit) or 129 (loss), where it waits for the members' allocation."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        close = actions.add_parser("close", help="close the fiscal year ending in YEAR")
        close.add_argument("--commons", required=True, help="slug of the commons")
        close.add_argument("--year", required=True, type=int, help="year the fiscal year ends in")

    def handle(self, *args, **options) -> None:
        try:
            self.stdout.write(self._close(options["commons"], options["year"]))
        except ApplicationError as error:
            message = messages_for(error.code)["fr"]
            detail = f" ({error.detail})" if error.detail else ""
            raise CommandError(f"{error.code} : {message}{detail}") from None

    def _close(self, slug: str, year: int) -> str:
        commons = exports.commons_by_slug(slug)
        book = selectors.book_of(commons_id=commons.pk)
        period = selectors.period_of_year(book=book, year=year)
        closed = services.period_close(
            commons_id=commons.pk, period_id=period.pk, actor_user_id=None
        )
        result = selectors.period_result(book=book, period=closed)
        span = f"{closed.start:%d/%m/%Y} – {closed.end:%d/%m/%Y}"
        lines = [f"Exercice {span} de {commons.slug} clôturé."]
        opening = closed.carried_forward_by
        if opening is not None:
            number = domain.fec_entry_number(opening.journal, opening.number)
            lines.append(f"À-nouveaux : écriture {number} du {opening.entry_date:%d/%m/%Y}.")
        else:
            lines.append("À-nouveaux : aucun solde à reporter.")
        if result > 0:
            lines.append(
                f"Résultat reporté : bénéfice de {Money(result).format_fr()} en 120, "
                "en attente d'affectation."
            )
        elif result < 0:
            lines.append(
                f"Résultat reporté : perte de {Money(-result).format_fr()} en 129, "
                "en attente d'affectation."
            )
        else:
            lines.append("Résultat reporté : nul.")
        return "\n".join(lines)
