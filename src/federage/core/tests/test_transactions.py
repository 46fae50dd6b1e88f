"""Services are atomic alone and join their command's block inside one (no savepoint each)."""

import uuid

import pydantic
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federage.core import commands, events
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.models import AppliedCommand, Event
from federage.core.transactions import command_block, write

pytestmark = pytest.mark.django_db


@write
def record(refuse: bool = False) -> None:
    event_record(type="test.write", commons_id=None, actor_user_id=None, data={})
    if refuse:
        raise ApplicationError("permission_denied")


@write
def record_twice(refuse: bool = False) -> None:
    record()
    record(refuse=refuse)


class _Flag(pydantic.BaseModel):
    refuse: bool


@pytest.fixture
def nested_command():
    def handler(user, data: _Flag) -> dict:
        record_twice(refuse=data.refuse)
        return {}

    commands.command("test.nested", _Flag)(handler)
    yield "test.nested"
    del commands.REGISTRY["test.nested"]


def test_a_service_called_alone_undoes_its_own_writes():
    with pytest.raises(ApplicationError):
        record_twice(refuse=True)
    assert not Event.objects.filter(type="test.write").exists()
    record_twice()
    assert Event.objects.filter(type="test.write").count() == 2


def test_inside_a_command_services_join_its_block(make_user, nested_command):
    user = make_user()
    with CaptureQueriesContext(connection) as queries:
        outcome = commands.execute(
            user=user, command_id=uuid.uuid4(), type=nested_command, payload={"refuse": False}
        )
    assert outcome.status_code == 200
    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1, "the command's own block only (nested in the test's transaction)"
    assert Event.objects.filter(type="test.write").count() == 2


def test_a_refusal_deep_in_a_command_undoes_all_its_writes(make_user, nested_command):
    user = make_user()
    command_id = uuid.uuid4()
    outcome = commands.execute(
        user=user, command_id=command_id, type=nested_command, payload={"refuse": True}
    )
    assert outcome.status_code == 403
    assert not Event.objects.filter(type="test.write").exists()
    assert AppliedCommand.objects.get(pk=command_id).status_code == 403


def _types() -> list[str]:
    return list(
        Event.objects.filter(type__startswith="test.").order_by("id").values_list("type", flat=True)
    )


def test_a_commands_events_are_inserted_together_at_its_end():
    with CaptureQueriesContext(connection) as queries, command_block():
        for name in ("first", "second", "third"):
            event_record(type=f"test.{name}", commons_id=None, actor_user_id=None, data={})
        assert _types() == [], "held back until the block ends"
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1, inserts
    assert _types() == ["test.first", "test.second", "test.third"], "in the order recorded"


def test_a_part_undone_inside_a_command_takes_its_events_with_it():
    with command_block():
        event_record(type="test.kept", commons_id=None, actor_user_id=None, data={})
        with pytest.raises(ApplicationError), events.savepoint():
            event_record(type="test.undone", commons_id=None, actor_user_id=None, data={})
            raise ApplicationError("permission_denied")
        event_record(type="test.after", commons_id=None, actor_user_id=None, data={})
    assert _types() == ["test.kept", "test.after"]


def test_a_command_that_fails_inserts_none_of_its_events():
    with pytest.raises(ApplicationError), command_block():
        event_record(type="test.lost", commons_id=None, actor_user_id=None, data={})
        raise ApplicationError("permission_denied")
    assert _types() == []
