"""Presenters of commons: one output per entity, for the member API and sync."""

from __future__ import annotations

from federage.commons import selectors
from federage.commons.domain import ROLES
from federage.commons.models import Commons, Invitation, Membership
from federage.core import clock


def commons_out(commons: Commons, roles: set[str], visible_ids: set[int]) -> dict:
    """`visible_ids`: the commons among its parent's the reader may see (`selectors.visible_among`):
    a private or draft parent is not named to someone who may not see it."""
    return {
        "slug": commons.slug,
        "name": commons.name,
        "purpose": commons.purpose,
        "category": commons.category,
        "location": commons.location,
        "visibility": commons.visibility,
        "parent_slug": commons.parent.slug if commons.parent_id in visible_ids else None,
        "member_count": commons.member_count
        if hasattr(commons, "member_count")
        else selectors.member_count(commons=commons),
        "my_roles": [role for role in ROLES if role in roles],
    }


def commons_detail_out(user, commons: Commons) -> dict:
    ancestors = selectors.ancestors_of(commons=commons)
    visible = selectors.visible_among(user=user, commons_ids=[item.pk for item in ancestors])
    # Nearest first, up to the first the reader may not see: nothing above it is named either.
    shown: list[Commons] = []
    for ancestor in reversed(ancestors):
        if ancestor.pk not in visible:
            break
        shown.insert(0, ancestor)
    return {
        **commons_out(commons, selectors.roles_of_user(user=user, commons=commons), visible),
        "children": list(selectors.commons_visible_to(user=user).filter(parent=commons)),
        "ancestors": shown,
        "created_at": commons.created_at,
    }


def commons_list_out(user, commons: list[Commons], roles: dict[int, set[str]]) -> list[dict]:
    """Commons as a reader lists them, their parents named only where the reader may see them."""
    parents = {item.parent_id for item in commons if item.parent_id is not None}
    visible = selectors.visible_among(user=user, commons_ids=parents)
    return [commons_out(item, roles.get(item.pk, set()), visible) for item in commons]


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
        "anyone_with_link": invitation.anyone_with_link,
        "status": status,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "link": link,
    }


# Routes.
