"""The server clock, the only time that decides deadlines; tests move it through `frozen`."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

# Books are kept in French civil time: an entry made at 00:30 in Paris belongs to that day.
BOOKS_TIME_ZONE = ZoneInfo("Europe/Paris")

_frozen: list[dt.datetime] = []


def now() -> dt.datetime:
    if _frozen:
        return _frozen[-1]
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().astimezone(BOOKS_TIME_ZONE).date()


@contextlib.contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    assert moment.tzinfo is not None, "the clock only holds aware datetimes"
    _frozen.append(moment)
    try:
        yield
    finally:
        _frozen.pop()
