"""Service transactions: a service called alone is one transaction; inside a command, the command's.

A command runs in one atomic block of its own (`commands.execute`): a savepoint in a batch, the
transaction otherwise. That block is the unit of rollback, so a service it calls need not take a
savepoint of its own, which on PostgreSQL costs two round trips per call and undoes nothing more.
Whoever catches a refusal inside a command to go on takes an explicit savepoint around what it
calls (`with transaction.atomic():`), as governance does around an outcome handler.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction

from federage.core import events

_in_command: ContextVar[bool] = ContextVar("federage_in_command", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def write(service: Callable[P, R]) -> Callable[P, R]:
    """Decorates a service: atomic on its own, or part of the command that runs it; its events
    are inserted together at the end of the outermost block (`events.collected`)."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if _in_command.get():
            assert transaction.get_connection().in_atomic_block, "a command runs atomically"
            return service(*args, **kwargs)
        with transaction.atomic(), events.collected():
            return service(*args, **kwargs)

    return run


@contextmanager
def command_block() -> Iterator[None]:
    """The atomic block of one command; the services it calls join it, and the events they
    record are inserted together at its end (`events.collected`)."""
    with transaction.atomic(), events.collected():
        token = _in_command.set(True)
        try:
            yield
        finally:
            _in_command.reset(token)


# PostgreSQL's deadlock_detected and serialization_failure: the database chose this transaction
# to give way, and advises running it again (PostgreSQL manual, "Serialization Failure
# Handling"). Only a whole transaction can be run again; inside one, the error propagates.
CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})
CONFLICT_ATTEMPTS = 5


def is_conflict(error: BaseException) -> bool:
    """True when a database error is a deadlock's or a serialization conflict's victim."""
    return getattr(error.__cause__, "sqlstate", None) in CONFLICT_SQLSTATES


def retrying_conflicts(run: Callable[[], R]) -> R:
    """Runs `run`, one whole transaction, again when the database made it a conflict's victim
    (up to CONFLICT_ATTEMPTS times in all, after a random pause of up to 20 ms × attempt, so that
    the two sides of a deadlock do not meet again); any other error, or a conflict inside an
    outer transaction, propagates."""
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return run()
        except OperationalError as error:
            outer = transaction.get_connection().in_atomic_block
            if attempt == CONFLICT_ATTEMPTS or outer or not is_conflict(error):
                raise
        time.sleep(random.uniform(0, 0.02 * attempt))
    raise AssertionError("unreachable")
