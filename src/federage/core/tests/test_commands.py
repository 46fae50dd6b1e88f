"""The command envelope: a write retried under its UUID happens once; other content is refused."""

import threading
import uuid

import pydantic
import pytest
from django.db import connection

from federage.commons.models import Commons
from federage.core import clock, commands
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.models import AppliedCommand, Event
from federage.testing import ApiClient


def payload(slug="atelier"):
    return {"slug": slug, "name": "Atelier"}


def test_a_lost_answer_retried_creates_one_commons(make_user, api_client):
    client = api_client(make_user())
    command_id = str(uuid.uuid4())
    first = client.command("commons.create", payload(), command_id)
    second = client.command("commons.create", payload(), command_id)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Federage-Replayed"] == "true"
    assert Commons.objects.count() == 1
    assert Event.objects.filter(type="commons.created").count() == 1


def test_rest_route_honours_the_idempotency_key(make_user, api_client):
    client = api_client(make_user())
    key = str(uuid.uuid4())
    for _ in range(3):
        assert client.post("/commons", payload(), key=key).status_code == 201
    assert Commons.objects.count() == 1


def test_same_id_other_content_is_refused(make_user, api_client):
    client = api_client(make_user())
    command_id = str(uuid.uuid4())
    assert client.command("commons.create", payload("premier"), command_id).status_code == 201
    reused = client.command("commons.create", payload("second"), command_id)
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert list(Commons.objects.values_list("slug", flat=True)) == ["premier"]


def test_same_id_from_another_user_is_refused(make_user, api_client):
    command_id = str(uuid.uuid4())
    api_client(make_user()).command("commons.create", payload(), command_id)
    other = api_client(make_user()).command("commons.create", payload(), command_id)
    assert other.json()["code"] == "idempotency_key_reused"


def test_a_refusal_is_stored_and_replayed_without_writing(make_user, make_commons, api_client):
    user = make_user()
    make_commons(user, slug="pris")
    client = api_client(user)
    command_id = str(uuid.uuid4())
    first = client.command("commons.create", payload("pris"), command_id)
    assert (first.status_code, first.json()["code"]) == (409, "slug_taken")
    replay = client.command("commons.create", payload("pris"), command_id)
    assert replay.json() == first.json()
    assert AppliedCommand.objects.get(pk=command_id).status_code == 409
    assert Commons.objects.count() == 1


def test_bad_envelopes(make_user, api_client):
    client = api_client(make_user())
    unknown = client.command("commons.explode", {})
    assert unknown.json()["code"] == "unknown_command"
    invalid = client.post("/commands", {"id": "not-a-uuid", "type": "commons.create"})
    assert (invalid.status_code, invalid.json()["code"]) == (422, "validation_error")
    missing = client.command("commons.create", {"slug": "sans-nom"})
    assert missing.json()["fields"]["name"]["code"] == "required"
    assert api_client().command("commons.create", payload()).status_code == 401
    assert Commons.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_twins_apply_once(make_user):
    user = make_user()
    command_id = str(uuid.uuid4())
    statuses: list[int] = []

    def send() -> None:
        try:
            statuses.append(
                ApiClient(user).command("commons.create", payload(), command_id).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 6
    assert Commons.objects.count() == 1
    assert AppliedCommand.objects.filter(pk=command_id).count() == 1


class _Marker(pydantic.BaseModel):
    refuse: bool


@pytest.fixture
def write_then_maybe_refuse():
    """A test command that writes an event, then refuses when asked: its write must not stay."""

    def handler(user, data: _Marker) -> dict:
        event_record(type="test.marker", commons_id=None, actor_user_id=user.pk, data={})
        if data.refuse:
            raise ApplicationError("permission_denied")
        return {"ok": True}

    commands.command("test.marker", _Marker)(handler)
    yield "test.marker"
    del commands.REGISTRY["test.marker"]


def test_a_batch_undoes_only_the_refused_commands_writes(make_user, write_then_maybe_refuse):
    user = make_user()
    items = [
        commands.BatchItem(uuid.uuid4(), write_then_maybe_refuse, {"refuse": refuse})
        for refuse in (False, True, False)
    ]
    results = commands.execute_batch(user=user, items=items)
    assert [item["status"] for item in results] == [200, 403, 200]
    assert Event.objects.filter(type="test.marker").count() == 2
    stored = dict(AppliedCommand.objects.values_list("id", "status_code"))
    assert stored == {items[0].id: 200, items[1].id: 403, items[2].id: 200}
    replayed = commands.execute_batch(user=user, items=items)
    assert [item["replayed"] for item in replayed] == [True, True, True]
    assert [item["body"] for item in replayed] == [item["body"] for item in results]
    assert Event.objects.filter(type="test.marker").count() == 2


def test_an_id_sent_twice_in_one_batch_runs_once(make_user, write_then_maybe_refuse):
    user = make_user()
    twice = commands.BatchItem(uuid.uuid4(), write_then_maybe_refuse, {"refuse": False})
    other = commands.BatchItem(twice.id, write_then_maybe_refuse, {"refuse": True})
    results = commands.execute_batch(user=user, items=[twice, twice, other])
    assert [(item["status"], item["replayed"]) for item in results] == [
        (200, False),
        (200, True),
        (422, False),
    ]
    assert results[2]["body"]["fields"]["id"]["code"] == "idempotency_key_reused"
    assert Event.objects.filter(type="test.marker").count() == 1
    assert AppliedCommand.objects.count() == 1


class _Twin(pydantic.BaseModel):
    twin: uuid.UUID


@pytest.fixture
def store_a_twin(write_then_maybe_refuse):
    """A test command that stores, as another request would, the outcome of a later id."""

    def handler(user, data: _Twin) -> dict:
        AppliedCommand.objects.create(
            id=data.twin,
            type=write_then_maybe_refuse,
            request_hash=commands.request_hash(user.pk, write_then_maybe_refuse, {"refuse": False}),
            user=user,
            status_code=200,
            response={"ok": "twin"},
            created_at=clock.now(),
        )
        return {}

    commands.command("test.twin", _Twin)(handler)
    yield "test.twin"
    del commands.REGISTRY["test.twin"]


def test_a_batch_meeting_a_twin_stored_meanwhile_replays_it(
    make_user, write_then_maybe_refuse, store_a_twin
):
    user = make_user()
    later = uuid.uuid4()
    items = [
        commands.BatchItem(uuid.uuid4(), store_a_twin, {"twin": str(later)}),
        commands.BatchItem(later, write_then_maybe_refuse, {"refuse": False}),
    ]
    results = commands.execute_batch(user=user, items=items)
    assert [(item["status"], item["replayed"]) for item in results] == [(200, False), (200, True)]
    assert results[1]["body"] == {"ok": "twin"}
    assert not Event.objects.filter(type="test.marker").exists()
    assert AppliedCommand.objects.count() == 2


def test_a_parsed_payload_is_run_as_is_and_hashed_like_its_json(make_user, write_then_maybe_refuse):
    """A REST route hands over the schema instance it parsed: the handler gets that very object
    (no second validation), and a replay of its JSON form under the same id matches it."""
    user = make_user()
    received = []
    spec = commands.REGISTRY[write_then_maybe_refuse]
    commands.REGISTRY[write_then_maybe_refuse] = commands.CommandSpec(
        spec.type, spec.payload_schema, lambda user, data: received.append(data) or {}, 200
    )
    parsed = _Marker(refuse=False)
    command_id = uuid.uuid4()
    first = commands.execute(
        user=user, command_id=command_id, type=write_then_maybe_refuse, payload=parsed
    )
    again = commands.execute(
        user=user, command_id=command_id, type=write_then_maybe_refuse, payload={"refuse": False}
    )
    assert received == [parsed] and received[0] is parsed
    assert (first.replayed, again.replayed) == (False, True)
