"""Fixtures of governance tests: a commons with a steward and members, and a clock to move."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from federage.core import clock
from federage.governance.models import CharterVersion
from federage.governance.testing import append_only_lifted

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class Circle:
    commons: object
    steward: object
    members: list = field(default_factory=list)


@pytest.fixture
def frozen_clock():
    """A clock set to T0; `frozen_clock.set(moment)` moves it."""

    class Mover:
        def __init__(self) -> None:
            self.stack: list = []

        def set(self, moment: dt.datetime) -> None:
            if self.stack:
                self.stack.pop().__exit__(None, None, None)
            context = clock.frozen(moment)
            context.__enter__()
            self.stack.append(context)

    mover = Mover()
    mover.set(T0)
    yield mover
    while mover.stack:
        mover.stack.pop().__exit__(None, None, None)


@pytest.fixture
def circle(make_user, make_commons, frozen_clock):
    """A public commons: a steward and three members who are contributors and approvers."""
    steward = make_user(name="Steward")
    members = [make_user(name=f"Member {index}") for index in range(3)]
    commons = make_commons(
        steward, members={member: ["contributor", "approver"] for member in members}
    )
    return Circle(commons, steward, members)


def set_rules(commons, **changes) -> None:
    """Test shortcut: rewrite version 1 in place (the real path is an amend_charter vote)."""
    version = CharterVersion.objects.get(commons=commons, number=1)
    updates = {name.replace("__", "."): value for name, value in changes.items()}
    with append_only_lifted():
        CharterVersion.objects.filter(pk=version.pk).update(
            parameters={**version.parameters, **updates}
        )
