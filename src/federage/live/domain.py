"""Pure rules of the live stream: the SSE wire format and the notification payload."""

from __future__ import annotations

import json

# Server-sent events: a comment line keeps proxies from closing an idle connection.
HEARTBEAT = ": heartbeat\n\n"
# How long EventSource waits before reconnecting after the server ends a stream.
RETRY_MS = 3000
CHANGES_LIMIT_DEFAULT = 100
CHANGES_LIMIT_MAX = 500


def sse_poke(cursor: int) -> str:
    """`id: N` lets the browser send `Last-Event-ID: N` when it reconnects."""
    return f"id: {cursor}\nevent: changed\ndata: {json.dumps({'cursor': cursor})}\n\n"


def sse_retry() -> str:
    return f"retry: {RETRY_MS}\n\n"


def parse_payload(payload: str) -> tuple[int, int | None] | None:
    """`<cursor>:<commons id>` as written by core.events; None when it is not ours."""
    cursor, _, commons = payload.partition(":")
    try:
        return int(cursor), int(commons) if commons else None
    except ValueError:
        return None


def parse_cursor(raw: str | None) -> int | None:
    """A cursor from `Last-Event-ID` or `since`: a non-negative integer, else none."""
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


def changes_limit(raw: int | None) -> int:
    """Oversized pages are capped, not refused: a client asking 10⁶ gets the maximum."""
    if raw is None or raw < 1:
        return CHANGES_LIMIT_DEFAULT
    return min(raw, CHANGES_LIMIT_MAX)
