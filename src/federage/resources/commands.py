"""Command handlers of resources: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.core.commands import command
from federage.resources import selectors, services
from federage.resources.schemas import (
    DueOut,
    DuePayCommand,
    LinkContributionCommand,
    ResourceActionCommand,
    ResourceCommand,
    ResourceOut,
    UsageCommand,
    UsageOut,
)


@command("resource.register", ResourceCommand, success_status=201)
def resource_register_command(user, data: ResourceCommand):
    resource = services.resource_register(user=user, **data.dict())
    return ResourceOut(**selectors.resource_row(resource_id=resource.pk))


@command("resource.retire", ResourceActionCommand)
def resource_retire_command(user, data: ResourceActionCommand):
    resource = services.resource_retire(user=user, **data.dict())
    return ResourceOut(**selectors.resource_row(resource_id=resource.pk))


@command("resource.link_contribution", LinkContributionCommand)
def resource_link_contribution_command(user, data: LinkContributionCommand):
    resource = services.resource_link_contribution(user=user, **data.dict())
    return ResourceOut(**selectors.resource_row(resource_id=resource.pk))


@command("usage.declare", UsageCommand, success_status=201)
def usage_declare_command(user, data: UsageCommand):
    usage = services.usage_declare(user=user, **data.dict())
    return UsageOut(**selectors.usage_row(usage_id=usage.pk, reader=user))


@command("due.pay", DuePayCommand, success_status=201)
def due_pay_command(user, data: DuePayCommand):
    payment = services.due_pay(user=user, **data.dict())
    return DueOut(**selectors.due_row(due_id=payment.due_id, reader=user))
