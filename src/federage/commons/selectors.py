"""Reads on commons: what a user may see, their roles, members and invitations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet

from federage.agents import selectors as agent_selectors
from federage.commons.domain import ROLES, STEWARD
from federage.commons.models import Commons, Invitation, Membership, MembershipRole
from federage.core.errors import ApplicationError


def _member_filter(agent_ids: set[int]) -> Q:
    return Q(memberships__agent_id__in=agent_ids, memberships__left_at__isnull=True)


def commons_visible_to(*, user, query: str = "") -> QuerySet[Commons]:
    """Public commons for everyone; drafts and private ones for their members only."""
    visible = Q(visibility="public")
    if user is not None and user.is_authenticated:
        visible |= _member_filter(agent_selectors.agent_ids_of_user(user=user))
    commons = Commons.objects.filter(
        pk__in=Commons.objects.filter(visible).values("pk")
    ).select_related("parent")
    if query:
        commons = commons.filter(
            Q(name__icontains=query)
            | Q(purpose__icontains=query)
            | Q(slug__icontains=query)
            | Q(location__icontains=query)
            | Q(category__icontains=query)
        )
    return commons.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).order_by("name")


def commons_get_visible(*, user, slug: str) -> Commons:
    """The commons if the user may see it; 404, not 403, so private commons do not leak."""
    commons = commons_visible_to(user=user).filter(slug=slug).first()
    if commons is None:
        raise ApplicationError("not_found")
    return commons


def require_visible(*, user, commons: Commons) -> None:
    """A row of a commons the user may not see is answered 404 like the commons itself: a
    403 would tell an outsider that the id exists in a private commons."""
    if commons.visibility != "public" and not visible_among(user=user, commons_ids=[commons.pk]):
        raise ApplicationError("not_found")


def roles_of_user(*, user, commons: Commons) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    agent_ids = agent_selectors.agent_ids_of_user(user=user)
    return set(
        MembershipRole.objects.filter(
            membership__commons=commons,
            membership__left_at__isnull=True,
            membership__agent_id__in=agent_ids,
        ).values_list("role", flat=True)
    )


def roles_by_commons_for_user(*, user, commons_ids) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = defaultdict(set)
    if user is None or not user.is_authenticated:
        return roles
    rows = MembershipRole.objects.filter(
        membership__commons_id__in=commons_ids,
        membership__left_at__isnull=True,
        membership__agent_id__in=agent_selectors.agent_ids_of_user(user=user),
    ).values_list("membership__commons_id", "role")
    for commons_id, role in rows:
        roles[commons_id].add(role)
    return roles


def require_role(*, user, commons: Commons, any_of: tuple[str, ...]) -> set[str]:
    roles = roles_of_user(user=user, commons=commons)
    if not roles & set(any_of):
        raise ApplicationError("permission_denied")
    return roles


def require_member(*, user, commons: Commons) -> set[str]:
    roles = roles_of_user(user=user, commons=commons)
    if not roles:
        raise ApplicationError("permission_denied")
    return roles


def membership_acting(*, user, slug: str, agent_id: int | None) -> Membership:
    """The active membership in the commons `slug` of the agent the user acts for, with the
    commons and the agent, in one query: the write path's check.

    A member sees their commons whatever its visibility. On refusal it answers as the long way
    does: the agent's refusal (agent_for_user), 404 for a commons the user may not see,
    `permission_denied` for a user who is not a member, `not_a_member` for an agent of theirs
    who is not.
    """
    found = list(
        Membership.objects.select_related("commons", "agent").filter(
            agent_selectors.acting_agent_filter(user=user, agent_id=agent_id, through="agent"),
            commons__slug=slug,
            left_at__isnull=True,
        )[:1]
    )
    if found:
        return found[0]
    agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    require_member(user=user, commons=commons_get_visible(user=user, slug=slug))
    raise ApplicationError.on_field("agent_id", "not_a_member")


def active_members(*, commons: Commons) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(commons=commons, left_at__isnull=True)
        .select_related("agent")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("id")))
        .order_by("joined_at", "id")
    )


def membership_row(membership: Membership, *, agent_name: str | None = None) -> dict:
    """A membership as the member API shows it; `agent_name` replaces the agent's display name
    when the reader may not see it (governance.selectors.PersonNames decides)."""
    agent = membership.agent
    return {
        "id": membership.pk,
        "commons_slug": membership.commons.slug,
        "agent": {
            "id": agent.pk,
            "kind": agent.kind,
            "display_name": agent.display_name if agent_name is None else agent_name,
        },
        "roles": membership_roles(membership),
        "joined_at": membership.joined_at,
        "left_at": membership.left_at,
    }


def membership_roles(membership: Membership) -> list[str]:
    held = {role.role for role in membership.roles.all()}
    return [role for role in ROLES if role in held]


def invitations_of(*, commons: Commons) -> QuerySet[Invitation]:
    return Invitation.objects.filter(commons=commons).order_by("-created_at")


def commons_left_without_steward(*, agent_ids: Iterable[int]) -> list[str]:
    """Slugs of the commons whose every active steward is one of `agent_ids`: without them
    the commons would have nobody to run it."""
    ids = set(agent_ids)
    stewarded = MembershipRole.objects.filter(
        role=STEWARD, membership__left_at__isnull=True
    ).values_list("membership__commons__slug", "membership__agent_id")
    by_commons: dict[str, set[int]] = {}
    for slug, agent_id in stewarded:
        by_commons.setdefault(slug, set()).add(agent_id)
    return sorted(
        slug for slug, stewards in by_commons.items() if stewards <= ids and stewards & ids
    )


def visible_among(*, user, commons_ids: Iterable[int]) -> set[int]:
    """Those of `commons_ids` the user may see (`commons_visible_to`)."""
    ids = set(commons_ids)
    if not ids:
        return set()
    return set(commons_visible_to(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def ancestors_of(*, commons: Commons) -> list[Commons]:
    chain: list[Commons] = []
    cursor = commons.parent
    while cursor is not None and len(chain) < 32:
        chain.append(cursor)
        cursor = cursor.parent
    return list(reversed(chain))


def parent_map() -> dict[int, int | None]:
    return dict(Commons.objects.values_list("id", "parent_id"))


def commons_all_with_member_counts() -> QuerySet[Commons]:
    """Every commons, whatever its visibility: for operators at the console only."""
    return Commons.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).order_by("slug")


def member_count(*, commons: Commons) -> int:
    return Membership.objects.filter(commons=commons, left_at__isnull=True).count()


def commons_get_public(*, slug: str) -> Commons:
    """A public commons by slug, in one light query (no member count): for the public API's
    hot paths. 404 for unknown, draft and private commons alike."""
    commons = Commons.objects.filter(slug=slug, visibility="public").first()
    if commons is None:
        raise ApplicationError("not_found")
    return commons


def memberships_of_agents(*, agent_ids: Iterable[int]) -> list[dict]:
    """Every membership of these agents, past ones included: a person's data export."""
    rows = (
        Membership.objects.filter(agent_id__in=list(agent_ids))
        .select_related("commons")
        .prefetch_related("roles")
        .order_by("joined_at", "id")
    )
    return [
        {
            "commons_slug": membership.commons.slug,
            "commons_name": membership.commons.name,
            "agent_id": membership.agent_id,
            "roles": sorted(role.role for role in membership.roles.all()),
            "joined_at": membership.joined_at.isoformat(),
            "left_at": membership.left_at.isoformat() if membership.left_at else None,
        }
        for membership in rows
    ]


def commons_by_ids(*, commons_ids: Iterable[int]) -> dict[int, Commons]:
    """Commons by id, whatever their visibility: for the federation app's own checks."""
    return {commons.pk: commons for commons in Commons.objects.filter(pk__in=list(commons_ids))}


def steward_agent_ids(*, commons_id: int) -> set[int]:
    """The agents holding the steward role in the commons now."""
    return set(
        MembershipRole.objects.filter(
            membership__commons_id=commons_id,
            membership__left_at__isnull=True,
            role="steward",
        ).values_list("membership__agent_id", flat=True)
    )


def commons_memberships_between_commons() -> list[tuple[int, int]]:
    """(member commons id, host commons id) for every active membership of a commons' agent in
    another commons: the edges of the network of commons."""
    return list(
        Membership.objects.filter(left_at__isnull=True, agent__kind="commons")
        .values_list("agent__commons__id", "commons_id")
        .order_by("agent__commons__id", "commons_id")
    )
