"""Command handlers of ledger: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

import uuid

from federage.commons import selectors as commons_selectors
from federage.core.commands import command
from federage.core.money import Money
from federage.ledger import selectors, services
from federage.ledger.api import entry_out
from federage.ledger.domain import LineInput
from federage.ledger.schemas import (
    AccountCreateCommand,
    AccountOut,
    EntryDetailOut,
    EntryPostCommand,
    EntryReverseCommand,
    PeriodCommand,
    PeriodOpenCommand,
    PeriodOut,
)

STEWARD = "steward"


def _steward_commons(user, slug: str):
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    commons_selectors.require_role(user=user, commons=commons, any_of=(STEWARD,))
    return commons


def _money(cents: int | None) -> Money | None:
    return None if cents is None else Money(int(cents))


# Commands (stewards only).


@command("ledger.entry_post", EntryPostCommand, success_status=201)
def entry_post_command(user, data: EntryPostCommand):
    commons = _steward_commons(user, data.commons_slug)
    entry = services.entry_post(
        commons_id=commons.pk,
        journal=data.journal,
        entry_date=data.entry_date,
        label=data.label,
        piece_ref=data.piece_ref,
        piece_date=data.piece_date,
        lines=[
            LineInput(
                line.account_number, _money(line.debit_cents), _money(line.credit_cents), line.label
            )
            for line in data.lines
        ],
        idempotency_key=data.idempotency_key or f"api:{uuid.uuid4()}",
        authorised_by={
            "source_type": data.source_type,
            "source_id": data.source_id,
            "decision_id": data.decision_id,
            "charter_version_id": data.charter_version_id,
        },
        actor_user_id=user.pk,
    )
    book = selectors.book_of(commons_id=commons.pk)
    return EntryDetailOut(**entry_out(selectors.entry_get(book=book, entry_id=entry.pk), []))


@command("ledger.entry_reverse", EntryReverseCommand, success_status=201)
def entry_reverse_command(user, data: EntryReverseCommand):
    commons = _steward_commons(user, data.commons_slug)
    entry = services.entry_reverse(
        commons_id=commons.pk,
        entry_id=data.entry_id,
        entry_date=data.entry_date,
        label=data.label,
        idempotency_key=data.idempotency_key or f"api:{uuid.uuid4()}",
        actor_user_id=user.pk,
    )
    book = selectors.book_of(commons_id=commons.pk)
    return EntryDetailOut(**entry_out(selectors.entry_get(book=book, entry_id=entry.pk), []))


@command("ledger.account_create", AccountCreateCommand, success_status=201)
def account_create_command(user, data: AccountCreateCommand):
    commons = _steward_commons(user, data.commons_slug)
    account = services.account_create(
        commons_id=commons.pk,
        number=data.number,
        label=data.label,
        type=data.type,
        capital_kind=data.capital_kind,
        actor_user_id=user.pk,
    )
    return AccountOut.from_orm(account)


@command("ledger.period_open", PeriodOpenCommand, success_status=201)
def period_open_command(user, data: PeriodOpenCommand):
    commons = _steward_commons(user, data.commons_slug)
    period = services.period_open(
        commons_id=commons.pk, start=data.start, end=data.end, actor_user_id=user.pk
    )
    return PeriodOut(**selectors.period_out(period))


@command("ledger.period_close", PeriodCommand)
def period_close_command(user, data: PeriodCommand):
    commons = _steward_commons(user, data.commons_slug)
    period = services.period_close(
        commons_id=commons.pk, period_id=data.period_id, actor_user_id=user.pk
    )
    return PeriodOut(**selectors.period_out(period))


@command("ledger.period_reopen", PeriodCommand)
def period_reopen_command(user, data: PeriodCommand):
    commons = _steward_commons(user, data.commons_slug)
    period = services.period_reopen(
        commons_id=commons.pk, period_id=data.period_id, actor_user_id=user.pk
    )
    return PeriodOut(**selectors.period_out(period))
