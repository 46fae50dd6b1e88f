"""Services are atomic alone and join their command's block inside one (no savepoint each)."""

import uuid

import pydantic
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federage.core import commands
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.models import AppliedCommand, Event
from federage.core.transactions import write

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
