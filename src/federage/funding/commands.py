"""Command handlers of funding: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.core.commands import command
from federage.funding import selectors, services
from federage.funding.schemas import (
    DisburseCommand,
    FinancingActionCommand,
    FinancingOut,
    OfferCommand,
    RepayCommand,
    TagCommand,
    TagOut,
)


def _out(user, financing_id: int) -> FinancingOut:
    return FinancingOut(**selectors.financing_detail(user=user, financing_id=financing_id))


def _offer_fields(data: OfferCommand) -> dict:
    fields = data.dict()
    fields["tranches"] = [
        {**t, "threshold": None if t["threshold"] is None else str(t["threshold"])}
        for t in fields["tranches"]
    ]
    return fields


@command("financing.offer", OfferCommand, success_status=201)
def financing_offer_command(user, data: OfferCommand):
    financing = services.financing_offer(user=user, **_offer_fields(data))
    return _out(user, financing.pk)


@command("financing.put_to_vote", FinancingActionCommand)
def financing_put_to_vote_command(user, data: FinancingActionCommand):
    financing = services.financing_put_to_vote(user=user, **data.dict())
    return _out(user, financing.pk)


@command("financing.withdraw", FinancingActionCommand)
def financing_withdraw_command(user, data: FinancingActionCommand):
    financing = services.financing_withdraw(user=user, **data.dict())
    return _out(user, financing.pk)


@command("tranche.disburse", DisburseCommand, success_status=201)
def tranche_disburse_command(user, data: DisburseCommand):
    tranche = services.tranche_disburse(user=user, **data.dict())
    return _out(user, tranche.financing_id)


@command("loan.repay", RepayCommand, success_status=201)
def loan_repay_command(user, data: RepayCommand):
    services.loan_repay(user=user, **data.dict())
    return _out(user, data.financing_id)


@command("earmark.tag", TagCommand, success_status=201)
def earmark_tag_command(user, data: TagCommand):
    tag = services.earmark_tag(user=user, **data.dict())
    return TagOut(
        id=tag.pk,
        financing_id=tag.financing_id,
        line_id=tag.line_id,
        entry_id=tag.entry_id,
        amount_cents=tag.amount_cents,
    )
