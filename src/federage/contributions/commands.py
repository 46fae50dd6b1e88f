"""Command handlers of contributions: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.contributions import services
from federage.contributions.presenters import contribution_detail_out, need_out, written_out
from federage.contributions.schemas import (
    ContributionActionCommand,
    ContributionCreateCommand,
    ContributionDetailOut,
    ContributionUpdateCommand,
    CounterCommand,
    NeedCloseCommand,
    NeedCreateCommand,
    NeedOut,
)
from federage.core.commands import command

# Commands.


@command("contribution.create", ContributionCreateCommand, success_status=201)
def contribution_create_command(user, data: ContributionCreateCommand):
    contribution = services.contribution_create(user=user, **data.dict())
    # The hot path of an offline flush: the service holds the new row with its commons and
    # contributor and its first revision, a new contribution has no evidence yet and most have
    # no co-author: nothing is read back.
    known = {"evidence": []} if data.co_author_agent_ids else {"evidence": [], "co_authors": []}
    return ContributionDetailOut(**contribution_detail_out(contribution, **known))


@command("contribution.update", ContributionUpdateCommand)
def contribution_update_command(user, data: ContributionUpdateCommand):
    changes = data.dict(exclude_unset=True)
    contribution = services.contribution_update(user=user, **changes)
    return written_out(contribution)


@command("contribution.submit", ContributionActionCommand)
def contribution_submit_command(user, data: ContributionActionCommand):
    contribution = services.contribution_submit(
        user=user, contribution_id=data.contribution_id, comment=data.comment
    )
    return written_out(contribution)


@command("contribution.accept_counter", ContributionActionCommand)
def contribution_accept_counter_command(user, data: ContributionActionCommand):
    contribution = services.contribution_accept_counter(
        user=user, contribution_id=data.contribution_id, comment=data.comment
    )
    return written_out(contribution)


@command("contribution.withdraw", ContributionActionCommand)
def contribution_withdraw_command(user, data: ContributionActionCommand):
    contribution = services.contribution_withdraw(
        user=user, contribution_id=data.contribution_id, comment=data.comment
    )
    return written_out(contribution)


@command("contribution.call", ContributionActionCommand)
def contribution_call_command(user, data: ContributionActionCommand):
    contribution = services.contribution_call(
        user=user, contribution_id=data.contribution_id, comment=data.comment
    )
    return written_out(contribution)


@command("contribution.pay", ContributionActionCommand)
def contribution_pay_command(user, data: ContributionActionCommand):
    contribution = services.contribution_pay(
        user=user, contribution_id=data.contribution_id, comment=data.comment
    )
    return written_out(contribution)


@command("contribution.counter", CounterCommand)
def contribution_counter_command(user, data: CounterCommand):
    contribution = services.contribution_counter(
        user=user,
        contribution_id=data.contribution_id,
        price_cents=data.price_cents,
        comment=data.comment,
        agent_id=data.agent_id,
    )
    return written_out(contribution)


@command("need.create", NeedCreateCommand, success_status=201)
def need_create_command(user, data: NeedCreateCommand):
    return NeedOut(**need_out(services.need_create(user=user, **data.dict())))


@command("need.close", NeedCloseCommand)
def need_close_command(user, data: NeedCloseCommand):
    return NeedOut(**need_out(services.need_close(user=user, need_id=data.need_id)))
