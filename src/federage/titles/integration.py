"""The thin adapter between titles/contributions and the ledger and governance apps.

Everything this app needs from the books (net assets, posting an entry) and from the charter
(rules in force, version) goes through here, so the contract is in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from federage.core.errors import ApplicationError
from federage.core.money import Money
from federage.governance import domain as governance_domain
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger import receivables as ledger_receivables
from federage.ledger import selectors as ledger_selectors
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput


@dataclass(frozen=True)
class Charter:
    """The rules in force: parameters and the version id entries and movements point to."""

    version_id: int | None
    parameters: dict[str, Any]

    @property
    def initial_unit_value(self) -> Money:
        return Money(self.parameters["initial_unit_value_cents"])

    @property
    def transfer_tax_bp(self) -> int:
        return int(self.parameters["transfer_tax_bp"])

    @property
    def redemption_allowed(self) -> bool:
        return bool(self.parameters["exit.redemption_allowed"])

    @property
    def notice_days(self) -> int:
        return int(self.parameters["exit.notice_days"])

    @property
    def haircut_bp(self) -> int:
        return int(self.parameters["exit.haircut_bp"])

    @property
    def transfers_to_members_only(self) -> bool:
        # Not a charter parameter yet (governance issue 4 has none); members-only is the safe
        # default for an SEP, whose partners are known to each other.
        return bool(self.parameters.get("titles.transfer_members_only", True))

    @property
    def evidence_required(self) -> bool:
        return bool(self.parameters.get("contributions.evidence_required", False))


def charter_in_force(*, commons_id: int) -> Charter:
    """The charter in force; a commons created before governance existed gets the defaults."""
    try:
        version = governance_selectors.charter_current(commons_id=commons_id)
    except ApplicationError:
        return Charter(None, governance_domain.default_parameters())
    return Charter(version.pk, dict(version.parameters))


def initial_unit_values(*, commons_id: int) -> dict[int, Money]:
    """The initial unit value each charter version of the commons set, by version id."""
    return {
        version.pk: Money(version.parameters["initial_unit_value_cents"])
        for version in governance_selectors.charter_versions(commons_id=commons_id)
        if "initial_unit_value_cents" in version.parameters
    }


def net_assets(*, commons_id: int, before_entry_id: int | None = None) -> Money:
    """Assets minus liabilities over every entry the book has recorded, whatever its date
    (the rule is written at `ledger.selectors.net_assets_recorded`); `before_entry_id` gives
    them as they stood just before that entry was recorded."""
    if before_entry_id is None:
        return Money(ledger_selectors.net_assets_of(commons_id=commons_id))  # 0 without a book
    try:
        book = ledger_selectors.book_of(commons_id=commons_id)
    except ApplicationError:
        return Money(0)  # no book yet: nothing booked
    return Money(ledger_selectors.net_assets_recorded(book=book, before_entry_id=before_entry_id))


class Posted(NamedTuple):
    """An entry posted: its id, and what it added to the net assets (None when the entry was
    already there under its idempotency key, and nothing was added now)."""

    entry_id: int
    net_assets_change: Money | None


def entry_post(
    *,
    commons_id: int,
    journal: str,
    label: str,
    piece_ref: str,
    lines: Sequence[tuple[str, int, int]],
    idempotency_key: str,
    source_type: str,
    source_id: int | str,
    decision_id: int | None,
    charter_version_id: int | None,
    actor_user_id: int | None,
    entry_date: dt.date,
) -> Posted:
    """Posts one balanced entry through the ledger's one door.

    `lines` are (account number, debit cents, credit cents).
    """

    def post():
        return ledger_services.entry_post(
            commons_id=commons_id,
            journal=journal,
            entry_date=entry_date,
            label=label[:200],
            piece_ref=piece_ref,
            lines=[
                LineInput(
                    number,
                    debit=Money(debit) if debit else None,
                    credit=Money(credit) if credit else None,
                )
                for number, debit, credit in lines
            ],
            idempotency_key=idempotency_key,
            authorised_by={
                "source_type": source_type,
                "source_id": str(source_id),
                "decision_id": decision_id,
                "charter_version_id": charter_version_id,
            },
            actor_user_id=actor_user_id,
        )

    try:
        entry = post()
    except ApplicationError as error:
        # The commons' book does not exist yet (`not_found` comes from locking it, before
        # anything is read or written): open it, then post.
        if error.code != "not_found":
            raise
        ledger_services.book_open(commons_id=commons_id)
        entry = post()
    change = getattr(entry, "net_assets_change_cents", None)
    return Posted(entry.pk, Money(change) if change is not None else None)


# Days a receivable (the transfer tax) may wait before it is overdue.
PAYMENT_DAYS = ledger_receivables.PAYMENT_DAYS


def due_open(**kwargs: Any) -> int:
    """Opens the due of a receivable just booked on 411 (ledger.receivables.due_open); its id."""
    return ledger_receivables.due_open(**kwargs).pk


def notify(**kwargs: Any) -> None:
    """Notifies the users acting for some agents (governance keeps every notification)."""
    governance_services.notify_agents(**kwargs)
