"""HTTP API of live updates: the SSE stream of pokes and the pull of changes since a cursor."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from federage.commons import selectors as commons_selectors
from federage.core.schemas import with_errors
from federage.live import domain, selectors, stream
from federage.live.schemas import LiveChangesOut

router = Router(tags=["live"], auth=None)


def _commons_id(slug: str) -> int | None:
    """None for the whole instance; 404 for unknown, draft and private commons alike."""
    if not slug:
        return None
    return commons_selectors.commons_get_public(slug=slug).pk


@router.get("/stream", response=with_errors({200: None}))
async def live_stream(request: HttpRequest, commons: str = "", since: int | None = None):
    """Server-sent events: `id: N` + `data: {"cursor": N}` when the commons changed up to N.

    Pull `/live/changes?since=…` on each poke. Honours `Last-Event-ID` (or `since`) after a
    reconnect; sends a comment every 15 s as a heartbeat; ends after an hour (the browser
    reconnects by itself). Under a WSGI server it polls each second and ends after 20 s.
    """
    commons_id = await sync_to_async(_commons_id)(commons[:50])
    last = domain.parse_cursor(request.headers.get("Last-Event-ID"))
    if last is None and since is not None and since >= 0:
        last = since
    if isinstance(request, ASGIRequest):
        chunks = stream.events(commons_id=commons_id, last_event_id=last)
    else:
        chunks = stream.events_polling(commons_id=commons_id, last_event_id=last)
    response = StreamingHttpResponse(chunks, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response


@router.get("/changes", response=with_errors({200: LiveChangesOut}))
def live_changes(request: HttpRequest, since: int = 0, commons: str = "", limit: int = 100):
    """Events after the cursor `since`, oldest first (at most 500 a page; follow `cursor`)."""
    commons_id = _commons_id(commons[:50])
    return selectors.changes_since(
        since=max(0, since), commons_id=commons_id, limit=domain.changes_limit(limit)
    )
