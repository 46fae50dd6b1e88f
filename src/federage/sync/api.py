"""HTTP API of offline sync: pull the read model since a cursor; apply a batch of commands."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.core import commands
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
    """Each command in order, each atomic on its own: a refusal stops nothing after it."""
    items = [commands.BatchItem(item.id, item.type, item.payload) for item in data.commands]
    return {
        "results": commands.execute_batch(
            user=request.auth, items=items, language=request_language(request)
        )
    }


__all__ = ["CommandBatchOut", "batch_apply", "router"]
