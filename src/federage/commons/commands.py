"""Command handlers of commons: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.commons import services
from federage.commons.presenters import commons_detail_out, invitation_out, membership_out
from federage.commons.schemas import (
    CommonsCreateIn,
    CommonsDetailOut,
    CommonsUpdateCommand,
    InvitationAcceptCommand,
    InvitationCommand,
    InvitationOut,
    InvitationRevokeCommand,
    LeaveCommand,
    MembershipOut,
    SetRolesCommand,
)
from federage.core.commands import command

# Commands: the one path every write takes, from the SPA's outbox or from a REST call.


@command("commons.create", CommonsCreateIn, success_status=201)
def commons_create_command(user, data: CommonsCreateIn):
    commons = services.commons_create(user=user, **data.dict())
    return CommonsDetailOut(**commons_detail_out(user, commons))


@command("commons.update", CommonsUpdateCommand)
def commons_update_command(user, data: CommonsUpdateCommand):
    changes = data.dict(exclude_unset=True)
    commons = services.commons_update(user=user, **changes)
    return CommonsDetailOut(**commons_detail_out(user, commons))


@command("invitation.create", InvitationCommand, success_status=201)
def invitation_create_command(user, data: InvitationCommand):
    invitation, link = services.invitation_create(
        user=user,
        slug=data.commons_slug,
        email=data.email,
        roles=data.roles,
        anyone_with_link=data.anyone_with_link,
    )
    return InvitationOut(**invitation_out(invitation, link))


@command("invitation.revoke", InvitationRevokeCommand)
def invitation_revoke_command(user, data: InvitationRevokeCommand):
    invitation = services.invitation_revoke(
        user=user, slug=data.commons_slug, invitation_id=data.invitation_id
    )
    return InvitationOut(**invitation_out(invitation))


@command("invitation.accept", InvitationAcceptCommand)
def invitation_accept_command(user, data: InvitationAcceptCommand):
    membership = services.invitation_accept(user=user, token=data.token, agent_id=data.agent_id)
    return MembershipOut(**membership_out(membership))


@command("membership.set_roles", SetRolesCommand)
def membership_set_roles_command(user, data: SetRolesCommand):
    membership = services.membership_set_roles(
        user=user, slug=data.commons_slug, membership_id=data.membership_id, roles=data.roles
    )
    return MembershipOut(**membership_out(membership))


@command("membership.leave", LeaveCommand)
def membership_leave_command(user, data: LeaveCommand):
    membership = services.membership_leave(
        user=user, slug=data.commons_slug, agent_id=data.agent_id
    )
    return MembershipOut(**membership_out(membership))
