"""Reads of the event log for live clients: the latest cursor and the changes after one."""

from __future__ import annotations

from django.db.models import Max

from federage.commons import selectors as commons_selectors
from federage.core import events as core_events


def public_commons_ids() -> dict[int, str]:
    """Public commons by id → slug: only their events are shown to the public."""
    return dict(commons_selectors.commons_visible_to(user=None).values_list("id", "slug"))


def latest_cursor(*, commons_id: int | None) -> int:
    """The last event's id of one commons (or of every public commons when None)."""
    ids = [commons_id] if commons_id is not None else list(public_commons_ids())
    events = core_events.events_after(0, commons_ids=ids, up_to=core_events.settled_bound())
    return events.aggregate(last=Max("id"))["last"] or 0


def changes_since(*, since: int, commons_id: int | None, limit: int) -> dict:
    """Events after `since`, oldest first: their ids, types and dates, never their data.

    Event data can name invitations and agents; a public client refetches what it shows
    through the public API, which applies the privacy rules, so it needs the cursor only.
    """
    slugs = public_commons_ids()
    ids = [commons_id] if commons_id is not None else list(slugs)
    events = core_events.events_after(since, commons_ids=ids, up_to=core_events.settled_bound())
    rows = list(events.order_by("id").values("id", "type", "commons_id", "created_at")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "since": since,
        "cursor": rows[-1]["id"] if rows else since,
        "has_more": has_more,
        "items": [
            {
                "id": row["id"],
                "type": row["type"],
                "commons_slug": slugs.get(row["commons_id"], ""),
                "created_at": row["created_at"],
            }
            for row in rows
        ],
    }
