"""HTTP API of offline sync: pull the read model since a cursor; apply a batch of commands."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.core import commands
from federage.core.errors import ApplicationError
from federage.core.http import AUTH, request_language
from federage.core.schemas import with_errors
from federage.sync import selectors
from federage.sync.schemas import CommandBatchIn, CommandBatchOut, SyncOut

router = Router(tags=["sync"], auth=AUTH)


@router.get("", response=with_errors({200: SyncOut}))
def sync_pull(request: HttpRequest, since: int = 0):
    """What changed for me after the cursor `since` (everything when 0), and the new cursor."""
    return selectors.read_model_since(user=request.auth, since=max(0, since))


def batch_apply(request: HttpRequest, data: CommandBatchIn) -> dict:
    """Each command in order, each in its own transaction: a refusal stops nothing after it."""
    language = request_language(request)
    results = []
    for item in data.commands:
        try:
            outcome = commands.execute(
                user=request.auth,
                command_id=item.id,
                type=item.type,
                payload=item.payload,
                language=language,
            )
            status, body, replayed = outcome.status_code, outcome.body, outcome.replayed
        except ApplicationError as refusal:
            # Unknown type or a reused id: refused before running, so nothing is stored.
            status, body, replayed = refusal.http_status, refusal.as_dict(language), False
        results.append({"id": item.id, "status": status, "body": body, "replayed": replayed})
    return {"results": results}


__all__ = ["CommandBatchOut", "batch_apply", "router"]
