"""Command handlers of federation: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from federage.core.commands import command
from federage.core.errors import ApplicationError
from federage.federation import selectors, services
from federage.federation.schemas import (
    BorrowingIdCommand,
    BorrowingOut,
    BorrowingProposeCommand,
    CombinedOut,
    ExchangeIdCommand,
    ExchangeOut,
    ExchangeProposeCommand,
    FederationCreateCommand,
    FederationFinanceCommand,
    FederationFinancingOut,
    FederationMemberCommand,
    FederationMemberOut,
)


def _quantity(raw, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ApplicationError.on_field(field, "invalid_value") from None
    if not value.is_finite() or abs(value) >= Decimal(10**14):
        raise ApplicationError.on_field(field, "invalid_value")
    return value


@command("exchange.propose", ExchangeProposeCommand, success_status=201)
def exchange_propose_command(user, data: ExchangeProposeCommand):
    legs = []
    for index, leg in enumerate(data.legs):
        row = leg.dict()
        row["quantity"] = _quantity(row["quantity"], f"legs.{index}.quantity")
        legs.append(row)
    exchange = services.exchange_propose(
        user=user,
        commons_slug=data.commons_slug,
        other_slug=data.other_slug,
        terms=data.terms,
        legs=legs,
    )
    return ExchangeOut(**selectors.exchange_row(exchange_id=exchange.pk))


@command("exchange.submit", ExchangeIdCommand)
def exchange_submit_command(user, data: ExchangeIdCommand):
    exchange = services.exchange_submit(user=user, exchange_id=data.exchange_id)
    return ExchangeOut(**selectors.exchange_row(exchange_id=exchange.pk))


@command("exchange.execute", ExchangeIdCommand)
def exchange_execute_command(user, data: ExchangeIdCommand):
    exchange = services.exchange_execute(user=user, exchange_id=data.exchange_id)
    return ExchangeOut(**selectors.exchange_row(exchange_id=exchange.pk))


@command("borrowing.propose", BorrowingProposeCommand, success_status=201)
def borrowing_propose_command(user, data: BorrowingProposeCommand):
    fields = data.dict()
    fields["quantity"] = _quantity(fields["quantity"], "quantity")
    borrowing = services.borrowing_propose(user=user, **fields)
    return BorrowingOut(**selectors.borrowing_row(borrowing_id=borrowing.pk))


@command("borrowing.accept", BorrowingIdCommand)
def borrowing_accept_command(user, data: BorrowingIdCommand):
    borrowing = services.borrowing_accept(user=user, borrowing_id=data.borrowing_id)
    return BorrowingOut(**selectors.borrowing_row(borrowing_id=borrowing.pk))


def _member_out(member) -> FederationMemberOut:
    return FederationMemberOut(**selectors.federation_member_row(member_id=member.pk))


@command("federation.create", FederationCreateCommand, success_status=201)
def federation_create_command(user, data: FederationCreateCommand):
    federation = services.federation_create(user=user, **data.dict())
    return CombinedOut(**selectors.combined_statements(slug=federation.slug))


@command("federation.join", FederationMemberCommand, success_status=201)
def federation_join_command(user, data: FederationMemberCommand):
    return _member_out(services.federation_join(user=user, **data.dict()))


@command("federation.leave", FederationMemberCommand)
def federation_leave_command(user, data: FederationMemberCommand):
    return _member_out(services.federation_leave(user=user, **data.dict()))


@command("federation.finance", FederationFinanceCommand, success_status=201)
def federation_finance_command(user, data: FederationFinanceCommand):
    group = services.federation_financing_offer(user=user, **data.dict())
    rows = selectors.federation_financings(slug=data.federation_slug)
    return FederationFinancingOut(**next(row for row in rows if row["id"] == group.pk))
