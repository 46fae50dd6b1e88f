"""The member's read model since a cursor: whole per-commons snapshots of what changed."""

from __future__ import annotations

from typing import Any

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.commons.presenters import commons_list_out
from federage.contributions import selectors as contribution_selectors
from federage.contributions.presenters import contribution_out
from federage.core import events
from federage.governance import selectors as governance_selectors
from federage.governance.presenters import proposal_detail_out
from federage.titles import selectors as title_selectors


def latest_cursor() -> int:
    return events.settled_bound()


def commons_changed_since(*, since: int, commons_ids: list[int]) -> set[int]:
    return set(
        events.events_after(since, commons_ids=commons_ids)
        .values_list("commons_id", flat=True)
        .distinct()
    )


def read_model_since(*, user, since: int) -> dict[str, Any]:
    """Rows of the commons the user belongs to that changed after `since` (all when 0).

    A changed commons is sent whole (its row, open proposals, my contributions and holdings
    there): the client replaces what it held for it, so a row that left (a closed vote, a
    withdrawn contribution, a holding sold out) leaves the client too, without tombstones.
    """
    visible = list(commons_selectors.commons_visible_to(user=user))
    roles = commons_selectors.roles_by_commons_for_user(
        user=user, commons_ids=[item.pk for item in visible]
    )
    mine = [item for item in visible if roles.get(item.pk)]
    # A vote past its deadline stays open here until the worker closes it (`closing_due`).
    # Read before the rows: anything committed after it is sent again next time, never lost.
    cursor = latest_cursor()
    if since <= 0:
        changed = {item.pk for item in mine}
    else:
        changed = commons_changed_since(since=since, commons_ids=[item.pk for item in mine])
    commons = [item for item in mine if item.pk in changed]
    slugs = {item.slug for item in commons}
    proposals = [
        proposal_detail_out(user, proposal)
        for item in commons
        for proposal in governance_selectors.proposals_of(commons_id=item.pk, status="open")
        .select_related("commons")
        .order_by("closes_at", "id")
    ]
    contributions = [
        contribution_out(contribution)
        for contribution in contribution_selectors.my_contributions(user=user)
        if contribution.commons.slug in slugs
    ]
    holdings = [
        row
        for row in title_selectors.portfolio(agent_ids=agent_selectors.agent_ids_of_user(user=user))
        if row["commons_slug"] in slugs
    ]
    return {
        "since": since,
        "cursor": max(cursor, since),
        "full": since <= 0,
        "member_of": sorted(item.slug for item in mine),
        "changed": sorted(slugs),
        "commons": commons_list_out(user, commons, roles),
        "proposals": proposals,
        "contributions": contributions,
        "holdings": holdings,
    }
