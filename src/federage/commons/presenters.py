"""Presenters of commons: one output per entity, for the member API and sync."""

from __future__ import annotations

from federage.commons import selectors
from federage.commons.domain import ROLES
from federage.commons.models import Commons, Invitation, Membership
from federage.core import clock


def commons_out(commons: Commons, roles: set[str]) -> dict:
    return {
        "slug": commons.slug,
        "name": commons.name,
        "purpose": commons.purpose,
        "category": commons.category,
        "location": commons.location,
        "visibility": commons.visibility,
        "parent_slug": commons.parent.slug if commons.parent_id else None,
        "member_count": commons.member_count
        if hasattr(commons, "member_count")
        else selectors.member_count(commons=commons),
        "my_roles": [role for role in ROLES if role in roles],
    }


def commons_detail_out(user, commons: Commons) -> dict:
    return {
        **commons_out(commons, selectors.roles_of_user(user=user, commons=commons)),
        "children": list(selectors.commons_visible_to(user=user).filter(parent=commons)),
        "ancestors": selectors.ancestors_of(commons=commons),
        "created_at": commons.created_at,
    }


def membership_out(membership: Membership) -> dict:
    return selectors.membership_row(membership)


def invitation_out(invitation: Invitation, link: str | None = None) -> dict:
    status = invitation.status
    if status == Invitation.PENDING and invitation.expires_at <= clock.now():
        status = "expired"
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "roles": invitation.roles,
        "status": status,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "link": link,
    }


# Routes.
