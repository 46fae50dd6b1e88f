"""Pure rules about commons: short names, roles, visibility and the sub-commons tree."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from federage.core.errors import ApplicationError

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,48})[a-z0-9]$")
VISIBILITIES = ("draft", "public", "private")
STEWARD = "steward"
ROLES = ("steward", "contributor", "approver", "funder", "verifier", "observer")
# Longest chain of sub-commons accepted; a limit on everything that loops.
TREE_DEPTH_MAX = 16


def clean_slug(slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise ApplicationError.on_field("slug", "invalid_slug")
    return slug


def clean_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise ApplicationError.on_field("visibility", "invalid_value")
    return visibility


def clean_roles(roles: Iterable[str]) -> list[str]:
    """Known roles, each once, in the canonical order; at least one."""
    wanted = set(roles)
    unknown = wanted - set(ROLES)
    if unknown:
        raise ApplicationError.on_field("roles", "invalid_role", detail=", ".join(sorted(unknown)))
    if not wanted:
        raise ApplicationError.on_field("roles", "roles_required")
    return [role for role in ROLES if role in wanted]


def check_parent(commons_id: int | None, parent_id: int, parents: Mapping[int, int | None]) -> None:
    """Refuses a parent that would make a cycle or a tree deeper than TREE_DEPTH_MAX.

    `parents` maps each commons id to its parent id, as stored before the change.
    """
    depth = 1
    cursor: int | None = parent_id
    while cursor is not None:
        if cursor == commons_id:
            raise ApplicationError.on_field("parent_slug", "invalid_parent")
        depth += 1
        if depth > TREE_DEPTH_MAX:
            raise ApplicationError.on_field("parent_slug", "invalid_parent")
        cursor = parents.get(cursor)


def steward_count_after(
    roles_by_membership: Mapping[int, set[str]], membership_id: int, new_roles: set[str]
) -> int:
    """How many memberships would still hold the steward role after one membership changes."""
    count = 0
    for current_id, roles in roles_by_membership.items():
        effective = new_roles if current_id == membership_id else roles
        count += STEWARD in effective
    return count
