"""Command handlers of titles: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.core.commands import command
from federage.titles import selectors, services
from federage.titles.api import redemption_out, transfer_out
from federage.titles.schemas import (
    RedemptionCommand,
    RedemptionExecuteCommand,
    RedemptionOut,
    TransferActionCommand,
    TransferCommand,
    TransferOut,
)


def _reload_transfer(transfer_id: int) -> dict:
    return transfer_out(selectors.transfer_get(transfer_id=transfer_id))


# Commands.


@command("transfer.propose", TransferCommand, success_status=201)
def transfer_propose_command(user, data: TransferCommand):
    transfer = services.transfer_propose(user=user, **data.dict())
    return TransferOut(**_reload_transfer(transfer.pk))


@command("transfer.accept", TransferActionCommand)
def transfer_accept_command(user, data: TransferActionCommand):
    transfer = services.transfer_accept(user=user, transfer_id=data.transfer_id)
    return TransferOut(**_reload_transfer(transfer.pk))


@command("transfer.refuse", TransferActionCommand)
def transfer_refuse_command(user, data: TransferActionCommand):
    transfer = services.transfer_refuse(user=user, transfer_id=data.transfer_id)
    return TransferOut(**_reload_transfer(transfer.pk))


@command("transfer.cancel", TransferActionCommand)
def transfer_cancel_command(user, data: TransferActionCommand):
    transfer = services.transfer_cancel(user=user, transfer_id=data.transfer_id)
    return TransferOut(**_reload_transfer(transfer.pk))


@command("redemption.request", RedemptionCommand, success_status=201)
def redemption_request_command(user, data: RedemptionCommand):
    return RedemptionOut(**redemption_out(services.redemption_request(user=user, **data.dict())))


@command("redemption.execute", RedemptionExecuteCommand)
def redemption_execute_command(user, data: RedemptionExecuteCommand):
    redemption = services.redemption_execute(user=user, redemption_id=data.redemption_id)
    return RedemptionOut(**redemption_out(redemption))


@command("redemption.withdraw", RedemptionExecuteCommand)
def redemption_withdraw_command(user, data: RedemptionExecuteCommand):
    redemption = services.redemption_withdraw(user=user, redemption_id=data.redemption_id)
    return RedemptionOut(**redemption_out(redemption))
