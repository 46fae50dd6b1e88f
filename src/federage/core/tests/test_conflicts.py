"""A command chosen as a deadlock's victim runs again instead of failing (PostgreSQL)."""

from __future__ import annotations

import threading
import uuid

import pydantic
import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection

from federage.core import commands
from federage.core.models import AppliedCommand
from federage.core.transactions import CONFLICT_ATTEMPTS, is_conflict, retrying_conflicts
from federage.testing import ApiClient


class _Order(pydantic.BaseModel):
    first: int
    second: int


@pytest.fixture
def crossing_locks():
    """A command locking two users' rows in the order it is given; on a first attempt it waits
    until the other thread holds its first lock too, so that the two cross for certain."""
    barrier = threading.Barrier(2)
    attempts: dict[int, int] = {}

    def handler(user, data: _Order) -> dict:
        users = get_user_model().objects.select_for_update()
        users.get(pk=data.first)
        attempts[data.first] = attempts.get(data.first, 0) + 1
        if attempts[data.first] == 1:
            barrier.wait(timeout=10)
        users.get(pk=data.second)
        return {"first": data.first}

    commands.command("test.crossing", _Order)(handler)
    yield attempts
    del commands.REGISTRY["test.crossing"]


@pytest.mark.django_db(transaction=True)
def test_two_commands_locking_rows_in_opposite_orders_both_pass(make_user, crossing_locks):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE: no deadlock to survive")
    one, two = make_user(), make_user()
    ids = {one.pk: uuid.uuid4(), two.pk: uuid.uuid4()}
    outcomes: dict[int, commands.CommandOutcome] = {}
    errors: list[BaseException] = []

    def run(user, first: int, second: int) -> None:
        try:
            outcomes[first] = commands.execute(
                user=user,
                command_id=ids[first],
                type="test.crossing",
                payload={"first": first, "second": second},
            )
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(one, one.pk, two.pk)),
        threading.Thread(target=run, args=(two, two.pk, one.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert {first: outcome.status_code for first, outcome in outcomes.items()} == {
        one.pk: 200,
        two.pk: 200,
    }
    # PostgreSQL broke the deadlock by aborting one of them, which ran again.
    assert sorted(crossing_locks.values()) == [1, 2]
    assert AppliedCommand.objects.filter(pk__in=ids.values(), status_code=200).count() == 2


class _Victim(Exception):
    sqlstate = "40P01"


def _conflict() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _Victim()
    return error


def test_a_conflict_runs_again_and_other_errors_do_not():
    tries = []

    def twice() -> str:
        tries.append(1)
        if len(tries) < 2:
            raise _conflict()
        return "done"

    assert retrying_conflicts(twice) == "done"
    assert len(tries) == 2

    def locked() -> None:
        tries.append(1)
        raise OperationalError("database is locked")

    tries.clear()
    with pytest.raises(OperationalError):
        retrying_conflicts(locked)
    assert len(tries) == 1
    assert is_conflict(_conflict()) and not is_conflict(OperationalError("other"))


def test_retries_are_bounded():
    tries = []

    def always() -> None:
        tries.append(1)
        raise _conflict()

    with pytest.raises(OperationalError):
        retrying_conflicts(always)
    assert len(tries) == CONFLICT_ATTEMPTS


@pytest.fixture
def always_locked():
    def handler(user, data: _Order) -> dict:
        raise OperationalError("database is locked")

    commands.command("test.locked", _Order)(handler)
    yield "test.locked"
    del commands.REGISTRY["test.locked"]


@pytest.mark.django_db
def test_a_database_that_stays_busy_answers_503_to_retry_and_writes_nothing(
    make_user, always_locked
):
    command_id = str(uuid.uuid4())
    response = ApiClient(make_user()).command(
        always_locked, {"first": 1, "second": 2}, command_id=command_id, language="en"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json()["code"] == "database_busy"
    assert "nothing was recorded" in response.json()["message"]
    assert not AppliedCommand.objects.filter(pk=command_id).exists()
