"""Fan-out of "changed up to cursor N" pokes to the open streams of this process.

Two feeds, one hub:
  - after commit, `core.events` calls `HUB.publish` in the writing process (any database);
  - with PostgreSQL, each worker process also holds ONE `LISTEN federage_events` connection
    (started by the first stream it serves) that publishes what other processes committed.
A write in this process is then heard twice; streams skip cursors they already sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass, field

from django.db import connections

from federage.core.events import NOTIFY_CHANNEL
from federage.live import domain

logger = logging.getLogger(__name__)

ANY = -1  # a commons id matching every subscription (resynchronisation after reconnecting)


@dataclass(eq=False)
class Subscription:
    commons_id: int | None  # None: every commons (the instance-wide stream)
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def next_cursor(self, timeout: float) -> int | None:
        """The highest cursor waiting, or None after `timeout` seconds of silence."""
        try:
            cursor = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None
        # Pokes only say "changed up to N": several waiting collapse into the highest.
        while not self.queue.empty():
            cursor = max(cursor, self.queue.get_nowait())
        return cursor


class Hub:
    """Subscriptions live in event loops; publishers may be any thread (after-commit hooks)."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        self._lock = threading.Lock()

    def subscribe(self, commons_id: int | None) -> Subscription:
        subscription = Subscription(commons_id, asyncio.get_running_loop())
        with self._lock:
            self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def publish(self, cursor: int, commons_id: int | None) -> None:
        with self._lock:
            targets = [
                item
                for item in self._subscriptions
                if item.commons_id is None
                or commons_id == ANY
                or (commons_id is not None and item.commons_id == commons_id)
            ]
        for subscription in targets:
            try:
                subscription.loop.call_soon_threadsafe(subscription.queue.put_nowait, cursor)
            except RuntimeError:  # its loop has closed: the stream is gone
                self.unsubscribe(subscription)

    def __len__(self) -> int:
        return len(self._subscriptions)


HUB = Hub()


# PostgreSQL: one LISTEN connection per process (per event loop, which is one per worker).

_listeners: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task, asyncio.Event]] = {}


def _conninfo() -> dict:
    settings = connections["default"].settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
    }
    # Only connection options psycopg understands (not Django's, such as "pool").
    options = settings.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"):
        if key in options:
            params[key] = options[key]
    return {key: value for key, value in params.items() if value is not None}


async def _listen(ready: asyncio.Event, hub: Hub) -> None:
    import psycopg

    reconnecting = False
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(
                **_conninfo(), autocommit=True
            ) as connection:
                await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                ready.set()
                if reconnecting:
                    # Notifications sent while we were away are lost: tell every stream to
                    # pull; the client's cursor makes the pull exact.
                    hub.publish(0, ANY)
                async for notify in connection.notifies():
                    parsed = domain.parse_payload(notify.payload)
                    if parsed is not None:
                        hub.publish(*parsed)
        except asyncio.CancelledError:
            raise
        except Exception:  # a dropped connection: retry, the streams stay open
            logger.warning("live: LISTEN connection lost, reconnecting", exc_info=True)
            reconnecting = True
            await asyncio.sleep(1)


async def listener_ensure(hub: Hub = HUB) -> None:
    """Starts this loop's LISTEN task on PostgreSQL (no-op on SQLite) and waits until it listens."""
    if connections["default"].vendor != "postgresql":
        return
    loop = asyncio.get_running_loop()
    current = _listeners.get(loop)
    if current is None or current[0].done():
        ready = asyncio.Event()
        task = loop.create_task(_listen(ready, hub), name="federage-live-listen")
        current = _listeners[loop] = (task, ready)
        for stale in [item for item in _listeners if item.is_closed()]:
            _listeners.pop(stale, None)
    await asyncio.wait_for(current[1].wait(), 5)


async def listener_stop() -> None:
    """Cancels this loop's LISTEN task (tests; a server just exits)."""
    current = _listeners.pop(asyncio.get_running_loop(), None)
    if current is not None:
        current[0].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await current[0]
