"""Reactions: what an upper app does, in the same transaction, when a lower app's fact happens."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

# A fact's reactions run in order inside the writing transaction: an exception in one undoes
# the whole write, the fact included.
Reaction = Callable[..., Any]

_TABLE: dict[str, tuple[Reaction, ...]] = {}


def install(table: Mapping[str, Sequence[Reaction]]) -> None:
    """Called once at start-up with the table of `federage/reactions.py`."""
    _TABLE.clear()
    _TABLE.update({fact: tuple(reactions) for fact, reactions in table.items()})


def react(fact: str, **data: Any) -> None:
    """Runs every reaction to `fact`; a fact missing from the table is a programming error."""
    assert fact in _TABLE, f"no reactions installed for {fact!r} (see federage/reactions.py)"
    for reaction in _TABLE[fact]:
        reaction(**data)
