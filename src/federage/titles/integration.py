"""The thin adapter between titles/contributions and the ledger and governance apps.

Everything this app needs from the books (net assets, posting an entry) and from the charter
(rules in force, version) goes through here, so the contract is in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.money import Money
from federage.governance import domain as governance_domain
from federage.governance import selectors as governance_selectors
from federage.ledger import domain as ledger_domain
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


def net_assets(*, commons_id: int) -> Money:
    """Assets minus liabilities of the commons' book today, from the ledger's running balances."""
    try:
        book = ledger_selectors.book_of(commons_id=commons_id)
    except ApplicationError:
        return Money(0)  # no book yet: nothing booked
    today = clock.today()
    try:
        balances = ledger_selectors.account_balances(book=book, at=today)
    except ApplicationError as error:
        if error.code != "no_period":
            raise
        # A new year not opened yet: nothing can be posted in it, so the last year's closing
        # balances are today's.
        ends = [period.end for period in ledger_selectors.periods_of(book=book)]
        past = [end for end in ends if end < today]
        if not past:
            raise
        balances = ledger_selectors.account_balances(book=book, at=max(past))
    signed = 0
    for row in balances.rows.values():
        # Balances are signed debit − credit: assets count as they are, liabilities negatively
        # already, so their sum is the net assets.
        if row.account.type in (ledger_domain.ASSET, ledger_domain.LIABILITY):
            signed += row.closing
    return Money(signed)


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
) -> int:
    """Posts one balanced entry through the ledger's one door; returns the entry id.

    `lines` are (account number, debit cents, credit cents).
    """
    ledger_services.book_open(commons_id=commons_id)
    entry = ledger_services.entry_post(
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
    return entry.pk
