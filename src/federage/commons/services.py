"""Writes on commons: create, edit, invite, accept, change roles, leave."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from federage.accounts import services as account_services
from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.commons import domain, selectors
from federage.commons.models import Commons, Invitation, Membership, MembershipRole
from federage.core import clock, reactions
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.transactions import write


def _lock(slug: str) -> Commons:
    commons = Commons.objects.select_for_update().filter(slug=slug).first()
    if commons is None:
        raise ApplicationError("not_found")
    return commons


def _visible_for_write(user, slug: str) -> Commons:
    selectors.commons_get_visible(user=user, slug=slug)
    return _lock(slug)


def _parent_for(user, parent_slug: str | None, commons_id: int | None) -> Commons | None:
    if not parent_slug:
        return None
    parent = selectors.commons_visible_to(user=user).filter(slug=parent_slug).first()
    if parent is None:
        raise ApplicationError.on_field("parent_slug", "invalid_parent")
    # Attaching under a commons is a decision of that commons' stewards.
    if domain.STEWARD not in selectors.roles_of_user(user=user, commons=parent):
        raise ApplicationError.on_field("parent_slug", "invalid_parent")
    domain.check_parent(commons_id, parent.pk, selectors.parent_map())
    return parent


def _membership_add(commons: Commons, agent_id: int, roles: list[str]) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                commons=commons, agent_id=agent_id, joined_at=clock.now()
            )
    except IntegrityError:
        raise ApplicationError("already_member") from None
    MembershipRole.objects.bulk_create(
        MembershipRole(membership=membership, role=role) for role in roles
    )
    return membership


@write
def commons_create(
    *,
    user,
    slug: str,
    name: str,
    purpose: str = "",
    category: str = "",
    location: str = "",
    visibility: str = "draft",
    parent_slug: str | None = None,
    agent_id: int | None = None,
) -> Commons:
    """Creates a commons; the acting agent becomes its first steward."""
    slug = domain.clean_slug(slug)
    name = (name or "").strip()
    if not name:
        raise ApplicationError.on_field("name", "required")
    visibility = domain.clean_visibility(visibility)
    acting = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    parent = _parent_for(user, parent_slug, None)
    if Commons.objects.filter(slug=slug).exists():
        raise ApplicationError.on_field("slug", "slug_taken")
    now = clock.now()
    try:
        with transaction.atomic():
            commons = Commons.objects.create(
                slug=slug,
                name=name,
                purpose=purpose,
                category=category,
                location=location,
                visibility=visibility,
                parent=parent,
                agent=agent_services.agent_create_for_commons(display_name=name),
                created_by=user,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise ApplicationError.on_field("slug", "slug_taken") from None
    _membership_add(commons, acting.pk, [domain.STEWARD])
    # Its charter and its book (federage/reactions.py), in this transaction.
    reactions.react("commons.founded", commons_id=commons.pk, user=user)
    event_record(
        type="commons.created", commons_id=commons.pk, actor_user_id=user.pk, data={"slug": slug}
    )
    return commons


_EDITABLE = ("name", "purpose", "category", "location", "visibility")


@write
def commons_update(*, user, slug: str, parent_slug: str | None = None, **changes) -> Commons:
    commons = _visible_for_write(user, slug)
    selectors.require_role(user=user, commons=commons, any_of=(domain.STEWARD,))
    unknown = set(changes) - set(_EDITABLE)
    assert not unknown, f"not editable: {unknown}"
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ApplicationError.on_field("name", "required")
        agent_services.agent_rename_for_commons(
            agent_id=commons.agent_id, display_name=changes["name"]
        )
    if "visibility" in changes:
        domain.clean_visibility(changes["visibility"])
    for field, value in changes.items():
        setattr(commons, field, value)
    if parent_slug is not None:
        commons.parent = _parent_for(user, parent_slug, commons.pk) if parent_slug else None
    commons.updated_at = clock.now()
    commons.save()
    event_record(
        type="commons.updated",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"fields": sorted(changes)},
    )
    return commons


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL}/invitations/{token}"


@write
def invitation_create(
    *, user, slug: str, email: str, roles: list[str], anyone_with_link: bool = False
) -> tuple[Invitation, str]:
    """Invites an email address; returns the invitation and its link (the secret is not kept).

    Only the account of that address may accept, unless the steward chose `anyone_with_link`
    (then the address is optional: without one, no mail is sent and the steward shares the
    link)."""
    commons = _visible_for_write(user, slug)
    selectors.require_role(user=user, commons=commons, any_of=(domain.STEWARD,))
    email = (email or "").strip().lower()
    if email or not anyone_with_link:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError.on_field("email", "invalid_email") from None
    roles = domain.clean_roles(roles)
    now = clock.now()
    if (
        email
        and Invitation.objects.filter(
            commons=commons, email=email, status=Invitation.PENDING, expires_at__gt=now
        ).exists()
    ):
        raise ApplicationError.on_field("email", "already_invited")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        commons=commons,
        email=email,
        roles=roles,
        anyone_with_link=anyone_with_link,
        token_hash=_hash_token(token),
        invited_by=user,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    link = invitation_link(token)
    subject = f"Invitation à rejoindre {commons.name} / Invitation to join {commons.name}"
    body = (
        f"{user.display_name} vous invite à rejoindre le commun « {commons.name} » sur Federage.\n"
        f"Pour accepter : {link}\n\n"
        f"{user.display_name} invites you to join the commons “{commons.name}” on Federage.\n"
        f"To accept: {link}\n"
    )
    if email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    event_record(
        type="invitation.created",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"invitation_id": invitation.pk},
    )
    return invitation, link


@write
def invitation_revoke(*, user, slug: str, invitation_id: int) -> Invitation:
    commons = _visible_for_write(user, slug)
    selectors.require_role(user=user, commons=commons, any_of=(domain.STEWARD,))
    invitation = (
        Invitation.objects.select_for_update().filter(pk=invitation_id, commons=commons).first()
    )
    if invitation is None:
        raise ApplicationError("not_found")
    if invitation.status != Invitation.PENDING:
        raise ApplicationError("invitation_not_pending")
    invitation.status = Invitation.REVOKED
    invitation.closed_at = clock.now()
    invitation.save(update_fields=["status", "closed_at"])
    event_record(
        type="invitation.revoked",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"invitation_id": invitation.pk},
    )
    return invitation


def invitation_by_token(token: str, *, for_update: bool = False) -> Invitation:
    queryset = Invitation.objects.select_related("commons")
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=_hash_token(token or "")).first()
    if invitation is None:
        raise ApplicationError.on_field("token", "invalid_token")
    return invitation


@write
def invitation_accept(*, user, token: str, agent_id: int | None = None) -> Membership:
    """Attaches the user's chosen agent to the commons with the invited roles.

    An invitation is bound to its address (compared without case): another account is refused
    `invitation_other_address`, unless the steward let anyone with the link join. Holding the
    link mailed to that address proves the account controls it: an address not yet confirmed
    is confirmed by accepting."""
    invitation = invitation_by_token(token, for_update=True)
    if invitation.status != Invitation.PENDING:
        raise ApplicationError("invitation_not_pending")
    now = clock.now()
    if invitation.expires_at <= now:
        raise ApplicationError("invitation_expired")
    if not invitation.anyone_with_link:
        if (user.email or "").strip().lower() != invitation.email:
            raise ApplicationError("invitation_other_address")
        account_services.user_email_confirmed_by_link(user=user)
    acting = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    membership = _membership_add(invitation.commons, acting.pk, invitation.roles)
    invitation.status = Invitation.ACCEPTED
    invitation.closed_at = now
    invitation.membership = membership
    invitation.save(update_fields=["status", "closed_at", "membership"])
    reactions.react(
        "membership.joined", commons_id=invitation.commons_id, user=user, agent_id=acting.pk
    )
    event_record(
        type="membership.joined",
        commons_id=invitation.commons_id,
        actor_user_id=user.pk,
        data={"membership_id": membership.pk, "agent_id": acting.pk},
    )
    return membership


def _roles_by_membership(commons: Commons) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for membership in selectors.active_members(commons=commons):
        roles[membership.pk] = {role.role for role in membership.roles.all()}
    return roles


@write
def membership_set_roles(*, user, slug: str, membership_id: int, roles: list[str]) -> Membership:
    commons = _visible_for_write(user, slug)
    selectors.require_role(user=user, commons=commons, any_of=(domain.STEWARD,))
    roles = domain.clean_roles(roles)
    current = _roles_by_membership(commons)
    if membership_id not in current:
        raise ApplicationError("not_found")
    if domain.steward_count_after(current, membership_id, set(roles)) == 0:
        raise ApplicationError.on_field("roles", "last_steward")
    membership = Membership.objects.get(pk=membership_id)
    MembershipRole.objects.filter(membership=membership).exclude(role__in=roles).delete()
    MembershipRole.objects.bulk_create(
        MembershipRole(membership=membership, role=role)
        for role in roles
        if role not in current[membership_id]
    )
    reactions.react("membership.roles_changed", commons_id=commons.pk, user=user)
    event_record(
        type="membership.roles_changed",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"membership_id": membership.pk, "roles": roles},
    )
    return membership


def invitations_forget_address(*, email: str) -> int:
    """Erasure: invitations sent to `email` forget it; pending ones are revoked, so nobody
    can later claim a place meant for the erased person. Returns how many were changed."""
    now = clock.now()
    invitations = Invitation.objects.filter(email__iexact=email)
    invitations.filter(status=Invitation.PENDING).update(status=Invitation.REVOKED, closed_at=now)
    return invitations.update(email="")


@write
def membership_leave(*, user, slug: str, agent_id: int | None = None) -> Membership:
    commons = _visible_for_write(user, slug)
    acting = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    membership = (
        Membership.objects.select_for_update()
        .filter(commons=commons, agent=acting, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise ApplicationError("not_a_member")
    current = _roles_by_membership(commons)
    if domain.steward_count_after(current, membership.pk, set()) == 0:
        raise ApplicationError("last_steward")
    membership.left_at = clock.now()
    membership.save(update_fields=["left_at"])
    reactions.react("membership.left", commons_id=commons.pk, user=user)
    event_record(
        type="membership.left",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"membership_id": membership.pk, "agent_id": acting.pk},
    )
    return membership


@write
def membership_admit(
    *, commons_id: int, agent_id: int, roles: list[str], actor_user_id: int | None
) -> Membership:
    """Admits an agent by a decision of the commons (entry by approval): no invitation needed."""
    commons = Commons.objects.get(pk=commons_id)
    membership = _membership_add(commons, agent_id, domain.clean_roles(roles))
    reactions.react("membership.joined", commons_id=commons.pk, user=None, agent_id=agent_id)
    event_record(
        type="membership.joined",
        commons_id=commons.pk,
        actor_user_id=actor_user_id,
        data={"membership_id": membership.pk, "agent_id": agent_id, "by": "decision"},
    )
    return membership


@write
def membership_grant_roles(
    *, commons_id: int, agent_id: int, roles: list[str], actor_user_id: int | None
) -> Membership:
    """Adds roles to an active member by a decision of the commons; roles held stay."""
    roles = domain.clean_roles(roles)
    membership = (
        Membership.objects.select_for_update()
        .filter(commons_id=commons_id, agent_id=agent_id, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise ApplicationError("not_a_member")
    held = set(MembershipRole.objects.filter(membership=membership).values_list("role", flat=True))
    MembershipRole.objects.bulk_create(
        MembershipRole(membership=membership, role=role) for role in roles if role not in held
    )
    reactions.react("membership.roles_changed", commons_id=commons_id, user=None)
    event_record(
        type="membership.roles_changed",
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data={"membership_id": membership.pk, "roles_added": sorted(set(roles) - held)},
    )
    return membership
