"""Per-process cache of public reports, keyed by the commons' latest event cursor.

Every write that changes a commons' books records an event in the same transaction, so the
latest cursor names the state a report was computed from: a new event is a new key, and a
stale report is not served. One race remains: two transactions whose event ids commit out of
order (id 11 visible before id 10) leave the key at 11 while 10's change lands; so entries
also expire after TTL seconds, the same staleness `Cache-Control: max-age` already allows.
Only figures are cached, never names: a person withdrawing consent records no commons event.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

MAX_ITEMS = 512
TTL = 60.0

_items: OrderedDict[Hashable, tuple[float, tuple[bytes, str]]] = OrderedDict()
_lock = threading.Lock()


def get_or_compute(key: Hashable, compute: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
    """(body, etag) for `key`, computed once per process while the key holds."""
    now = time.monotonic()
    with _lock:
        found = _items.get(key)
        if found is not None and now - found[0] < TTL:
            _items.move_to_end(key)
            return found[1]
    value = compute()  # outside the lock: two requests may compute the same report once each
    with _lock:
        _items[key] = (now, value)
        while len(_items) > MAX_ITEMS:
            _items.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _items.clear()
