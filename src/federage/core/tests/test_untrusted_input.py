"""Bad input from outside is refused with a stable code and never answers 500 (issue 14).

Bodies are JSON sent as JSON, without control characters; cents are bounded JSON integers; a
control character in a path or a query is a 400; a command that fails unexpectedly is refused
on its own, so the other commands of its batch apply.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from federage.commons.models import Commons
from federage.contributions.models import Contribution, Need
from federage.core import commands
from federage.core.models import AppliedCommand
from federage.core.money import MAX_CENTS


@pytest.fixture
def steward(make_user):
    return make_user(name="Gestionnaire")


@pytest.fixture
def commons(make_commons, steward):
    return make_commons(steward, slug="atelier")


def contribution(slug: str, **fields) -> dict:
    return {"commons_slug": slug, "kind": "cash", "title": "Apport", **fields}


def test_the_maximum_is_exact_in_javascript():
    assert MAX_CENTS == 10**13 < 2**53


@pytest.mark.parametrize(
    ("cents", "code"),
    [
        (2**63, "amount_too_large"),
        (MAX_CENTS + 1, "amount_too_large"),
        (-(MAX_CENTS + 1), "amount_too_large"),
        (True, "not_an_integer"),
        (1.0, "not_an_integer"),
        ("100", "not_an_integer"),
    ],
)
def test_a_price_must_be_a_bounded_json_integer(commons, steward, api_client, cents, code):
    client = api_client(steward)
    response = client.command(
        "contribution.create", contribution("atelier", proposed_price_cents=cents)
    )
    assert response.status_code == 422, response.content
    assert response.json()["fields"]["proposed_price_cents"]["code"] == code
    rest = client.post(
        "/contributions/commons/atelier",
        {"kind": "cash", "title": "Apport", "proposed_price_cents": cents},
    )
    assert rest.status_code == 422, rest.content
    assert rest.json()["fields"]["proposed_price_cents"]["code"] == code
    assert Contribution.objects.count() == 0


def test_every_amount_from_outside_is_bounded(commons, steward, api_client):
    client = api_client(steward)
    too_large = MAX_CENTS + 1
    need = client.command(
        "need.create",
        {"commons_slug": "atelier", "kind": "cash", "title": "Fil", "target_cents": too_large},
    )
    assert need.json()["fields"]["target_cents"]["code"] == "amount_too_large"
    unit = client.command(
        "contribution.create",
        contribution("atelier", quantity="2", unit_price_cents=too_large, proposed_price_cents=100),
    )
    assert unit.json()["fields"]["unit_price_cents"]["code"] == "amount_too_large"
    created = client.command(
        "contribution.create", contribution("atelier", proposed_price_cents=100)
    )
    assert created.status_code == 201
    counter = client.command(
        "contribution.counter",
        {"contribution_id": created.json()["id"], "price_cents": 2**64, "comment": "non"},
    )
    assert counter.json()["fields"]["price_cents"]["code"] == "amount_too_large"
    assert Need.objects.count() == 0
    assert Contribution.objects.get().proposed_price_cents == 100


def test_the_maximum_itself_is_accepted(commons, steward, api_client):
    response = api_client(steward).command(
        "contribution.create", contribution("atelier", proposed_price_cents=MAX_CENTS)
    )
    assert response.status_code == 201
    assert response.json()["proposed_price_cents"] == MAX_CENTS


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_must_be_sent_as_json(steward, content_type):
    client = Client()
    client.force_login(steward)
    body = json.dumps({"slug": "atelier", "name": "Atelier"})
    response = client.post("/api/v1/commons", body, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert set(response.json()) >= {"code", "message", "messages", "fields"}
    assert Commons.objects.count() == 0


@pytest.mark.parametrize("body", ["{", "[1,", '{"slug": NaN}', '{"name": Infinity}'])
def test_unreadable_json_is_a_400_with_a_code(steward, body):
    client = Client()
    client.force_login(steward)
    response = client.post("/api/v1/commons", body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_json")


@pytest.mark.parametrize("text", ["Apport\x00", "A\x07pport", "\x1b[31mrouge", "\ud800", "\uffff"])
def test_control_characters_are_refused_in_text_fields(commons, steward, api_client, text):
    client = api_client(steward)
    command = client.command(
        "contribution.create", contribution("atelier", title=text, proposed_price_cents=1)
    )
    assert command.status_code == 422
    assert command.json()["code"] == "invalid_characters"
    assert command.json()["fields"]["title"]["code"] == "invalid_characters"
    rest = client.post(
        "/contributions/commons/atelier", {"kind": "cash", "title": text, "proposed_price_cents": 1}
    )
    assert (rest.status_code, rest.json()["code"]) == (422, "invalid_characters")
    assert rest.json()["fields"]["title"]["code"] == "invalid_characters"
    named = client.post("/commons", {"slug": "autre", "name": "Autre", "purpose": text})
    assert named.json()["fields"]["purpose"]["code"] == "invalid_characters"
    assert Contribution.objects.count() == 0
    assert Commons.objects.count() == 1


def test_tabs_and_line_breaks_stay_allowed_in_multi_line_text(commons, steward, api_client):
    description = "Première ligne\r\nSeconde ligne\ttabulée"
    response = api_client(steward).command(
        "contribution.create",
        contribution("atelier", description=description, proposed_price_cents=1),
    )
    assert response.status_code == 201
    assert response.json()["description"] == description


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/commons/x%00",
        "/api/v1/public/commons/x%00/feed.atom",
        "/api/v1/public/commons?q=fil%00",
        "/api/v1/public/commons?q=%01",
        "/api/v1/public/datapackage.zip?commons=a%00b",
        "/api/v1/live/changes?commons=a%00b",
        "/api/v1/public/commons?x%00=1",
        "/communs/a%00b",
    ],
)
def test_a_control_character_in_a_path_or_query_is_a_400(db, url):
    response = Client().get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert response.json()["code"] == "invalid_characters"


def test_a_batch_refuses_the_command_with_a_control_character_alone(commons, steward, api_client):
    client = api_client(steward)
    batch = [
        {
            "id": str(uuid.uuid4()),
            "type": "contribution.create",
            "payload": contribution("atelier", title=title, proposed_price_cents=1),
        }
        for title in ("Avant", "Cloche\x07", "Après")
    ]
    response = client.post("/commands/batch", {"commands": batch})
    assert response.status_code == 200
    statuses = [result["status"] for result in response.json()["results"]]
    assert statuses == [201, 422, 201]
    assert response.json()["results"][1]["body"]["code"] == "invalid_characters"
    assert sorted(Contribution.objects.values_list("title", flat=True)) == ["Après", "Avant"]


def test_a_batch_with_an_overflowing_command_applies_the_others(commons, steward, api_client):
    """The defect: one command with 2^63 cents made the whole batch 500 on every retry."""
    client = api_client(steward)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    prices = (100, 2**63, 200)
    batch = [
        {
            "id": id,
            "type": "contribution.create",
            "payload": contribution("atelier", proposed_price_cents=price),
        }
        for id, price in zip(ids, prices, strict=True)
    ]
    response = client.post("/commands/batch", {"commands": batch})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["status"] for result in results] == [201, 422, 201]
    assert results[1]["body"]["fields"]["proposed_price_cents"]["code"] == "amount_too_large"
    assert sorted(Contribution.objects.values_list("proposed_price_cents", flat=True)) == [100, 200]
    again = client.post("/commands/batch", {"commands": batch}).json()["results"]
    assert [(result["status"], result["replayed"]) for result in again] == [
        (201, True),
        (422, True),
        (201, True),
    ]


@pytest.fixture
def failing_command(monkeypatch):
    """A command that writes, then fails as no check foresaw (as an overflow in the database
    would): `commons.create` of the slug "boum" raises OverflowError after its writes."""
    spec = commands.REGISTRY["commons.create"]

    def handler(user, data):
        result = spec.handler(user, data)
        if data.slug == "boum":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return result

    monkeypatch.setitem(
        commands.REGISTRY,
        "commons.create",
        commands.CommandSpec(spec.type, spec.payload_schema, handler, spec.success_status),
    )


def test_an_unexpected_failure_is_that_commands_own_refusal(
    steward, api_client, failing_command, caplog
):
    client = api_client(steward)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    batch = [
        {"id": id, "type": "commons.create", "payload": {"slug": slug, "name": slug.title()}}
        for id, slug in zip(ids, ("avant", "boum", "apres"), strict=True)
    ]
    response = client.post("/commands/batch", {"commands": batch}, language="en")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["status"] for result in results] == [201, 422, 201]
    assert results[1]["body"]["code"] == "command_failed"
    assert (
        results[1]["body"]["message"]
        == "This command could not be applied; nothing of it was recorded."
    )
    # Nothing half-written: the failed command's commons, membership and event are undone.
    assert sorted(Commons.objects.values_list("slug", flat=True)) == ["apres", "avant"]
    assert AppliedCommand.objects.get(pk=ids[1]).status_code == 422
    assert "OverflowError" in caplog.text
    single = client.command("commons.create", {"slug": "boum", "name": "Boum"})
    assert (single.status_code, single.json()["code"]) == (422, "command_failed")
    assert not Commons.objects.filter(slug="boum").exists()
