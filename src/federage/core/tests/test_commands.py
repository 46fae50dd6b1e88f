"""The command envelope: a write retried under its UUID happens once; other content is refused."""

import threading
import uuid

import pytest
from django.db import connection

from federage.commons.models import Commons
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
