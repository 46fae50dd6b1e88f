"""HTTP API of commons; every write is a command, replayable under its Idempotency-Key."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.commons import selectors, services
from federage.commons.presenters import (
    commons_detail_out,
    commons_list_out,
    invitation_out,
)
from federage.commons.schemas import (
    CommonsCreateIn,
    CommonsDetailOut,
    CommonsOut,
    CommonsUpdateIn,
    InvitationAcceptIn,
    InvitationIn,
    InvitationOut,
    InvitationPublicOut,
    LeaveIn,
    MembershipOut,
    PublicCommonsOut,
    RolesIn,
)
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors

router = Router(tags=["commons"], auth=AUTH)
invitations_router = Router(tags=["commons"], auth=AUTH)
public_router = Router(tags=["public"], auth=None)


@router.get("", response=list[CommonsOut])
def commons_list(request: HttpRequest, q: str = ""):
    commons = list(selectors.commons_visible_to(user=request.auth, query=q[:100]))
    roles = selectors.roles_by_commons_for_user(
        user=request.auth, commons_ids=[item.pk for item in commons]
    )
    return commons_list_out(request.auth, commons, roles)


@router.post("", response=with_errors({201: CommonsDetailOut}))
def commons_create(request: HttpRequest, data: CommonsCreateIn):
    return run_command(request, "commons.create", data)


@router.get("/{slug}", response=with_errors({200: CommonsDetailOut}))
def commons_detail(request: HttpRequest, slug: str):
    return commons_detail_out(
        request.auth, selectors.commons_get_visible(user=request.auth, slug=slug)
    )


@router.patch("/{slug}", response=with_errors({200: CommonsDetailOut}))
def commons_update(request: HttpRequest, slug: str, data: CommonsUpdateIn):
    return run_command(request, "commons.update", {"slug": slug, **data.dict(exclude_unset=True)})


# GET /commons/{slug}/members is served by governance/api.py: who may read a member's name
# depends on the charter (`public_data.persons`), which this app, below governance, cannot read.


@router.put("/{slug}/members/{membership_id}/roles", response=with_errors({200: MembershipOut}))
def membership_set_roles(request: HttpRequest, slug: str, membership_id: int, data: RolesIn):
    return run_command(
        request,
        "membership.set_roles",
        {"commons_slug": slug, "membership_id": membership_id, "roles": data.roles},
    )


@router.post("/{slug}/leave", response=with_errors({200: MembershipOut}))
def membership_leave(request: HttpRequest, slug: str, data: LeaveIn):
    return run_command(request, "membership.leave", data, commons_slug=slug)


@router.get("/{slug}/invitations", response=with_errors({200: list[InvitationOut]}))
def commons_invitations(request: HttpRequest, slug: str):
    commons = selectors.commons_get_visible(user=request.auth, slug=slug)
    selectors.require_role(user=request.auth, commons=commons, any_of=("steward",))
    return [invitation_out(item) for item in selectors.invitations_of(commons=commons)]


@router.post("/{slug}/invitations", response=with_errors({201: InvitationOut}))
def invitation_create(request: HttpRequest, slug: str, data: InvitationIn):
    return run_command(request, "invitation.create", data, commons_slug=slug)


@router.delete("/{slug}/invitations/{invitation_id}", response=with_errors({200: InvitationOut}))
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int):
    return run_command(
        request, "invitation.revoke", {"commons_slug": slug, "invitation_id": invitation_id}
    )


@invitations_router.get("/{token}", auth=None, response=with_errors({200: InvitationPublicOut}))
def invitation_detail(request: HttpRequest, token: str):
    invitation = services.invitation_by_token(token)
    return {**invitation_out(invitation), "commons": invitation.commons}


@invitations_router.post("/{token}/accept", response=with_errors({200: MembershipOut}))
def invitation_accept(request: HttpRequest, token: str, data: InvitationAcceptIn):
    return run_command(request, "invitation.accept", data, token=token)


@public_router.get("/commons/{slug}", response=with_errors({200: PublicCommonsOut}))
def public_commons(request: HttpRequest, slug: str):
    commons = selectors.commons_get_public(slug=slug)
    # Members are listed by /public/commons/{slug}/members, which applies the charter's rule on
    # naming natural persons; this card only counts them.
    return {
        "slug": commons.slug,
        "name": commons.name,
        "purpose": commons.purpose,
        "category": commons.category,
        "location": commons.location,
        "parent": commons.parent
        if commons.parent and commons.parent.visibility == "public"
        else None,
        "children": list(selectors.commons_visible_to(user=None).filter(parent=commons)),
        "member_count": selectors.member_count(commons=commons),
    }
