"""The sync pull: a full snapshot at 0, then only the commons that changed after the cursor."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection, transaction

from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.core.events import event_record
from federage.governance import tasks as governance_tasks
from federage.ledger.testing import ledger_rows_purge

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def scene(make_user, make_commons):
    with clock.frozen(T0):
        scene = build(make_user, make_commons)
        accept(scene, proposed_price_cents=100_000)
        yield scene


def test_full_snapshot_then_only_what_changed(scene, api_client, make_user, make_commons):
    with clock.frozen(T0):
        elsewhere = make_commons(make_user(), slug="jardin-partage")  # not Camille's
        mine = make_commons(scene.contributor, slug="four-a-pain")
        camille = api_client(scene.contributor)
        full = camille.get("/sync", since=0).json()
        assert full["full"] is True
        assert full["member_of"] == sorted([scene.slug, mine.slug])
        assert {item["slug"] for item in full["commons"]} == {scene.slug, mine.slug}
        assert elsewhere.slug not in full["changed"]
        [holding] = full["holdings"]
        assert (holding["commons_slug"], holding["units"]) == (scene.slug, "100.0000")
        assert [item["state"] for item in full["contributions"]] == ["accepted"]

        # Nothing happened: nothing to send, same cursor.
        idle = camille.get("/sync", since=full["cursor"]).json()
        assert (idle["cursor"], idle["changed"], idle["commons"]) == (full["cursor"], [], [])

        # A contribution submitted in one commons: only that commons comes back, whole.
        created = camille.command(
            "contribution.create",
            {
                "commons_slug": scene.slug,
                "kind": "cash",
                "title": "Apport",
                "proposed_price_cents": 5000,
            },
        )
        submitted = camille.command(
            "contribution.submit", {"contribution_id": created.json()["id"], "comment": ""}
        )
        assert submitted.status_code == 200, submitted.json()
        delta = camille.get("/sync", since=full["cursor"]).json()
    assert delta["full"] is False and delta["cursor"] > full["cursor"]
    assert delta["changed"] == [scene.slug]
    assert [item["title"] for item in delta["contributions"]] == ["Apport", "Apport en numéraire"]
    [proposal] = delta["proposals"]
    assert proposal["id"] == submitted.json()["proposal_id"] and proposal["status"] == "open"
    assert proposal["tally"] is not None
    # The author of the item may not vote on it: the read model says why, offline too.
    assert proposal["my_vote"]["can_vote"] is False

    # An approver sees the same open proposal with their own ballot once cast.
    alice = api_client(scene.approver1)
    with clock.frozen(T0):
        alice.command("ballot.cast", {"proposal_id": proposal["id"], "choice": "abstain"})
        [seen] = alice.get("/sync", since=0).json()["proposals"]
    assert [agent["choice"] for agent in seen["my_vote"]["agents"]] == ["abstain"]


def test_a_proposal_past_its_deadline_leaves_the_read_model(scene, api_client):
    camille = api_client(scene.contributor)
    with clock.frozen(T0):
        created = camille.command(
            "contribution.create",
            {
                "commons_slug": scene.slug,
                "kind": "cash",
                "title": "Tard",
                "proposed_price_cents": 10,
            },
        )
        camille.command(
            "contribution.submit", {"contribution_id": created.json()["id"], "comment": ""}
        )
        before = camille.get("/sync", since=0).json()
        assert len(before["proposals"]) == 1
    assert before["proposals"][0]["closing_due"] is False
    closes_at = dt.datetime.fromisoformat(before["proposals"][0]["closes_at"])
    with clock.frozen(closes_at + dt.timedelta(minutes=1)):
        # Reading writes nothing: the vote shows as closing until the worker closes it.
        due = camille.get("/sync", since=0).json()
        assert [item["closing_due"] for item in due["proposals"]] == [True]
        assert camille.get("/sync", since=before["cursor"]).json()["changed"] == []
        governance_tasks.sweep()
        after = camille.get("/sync", since=before["cursor"]).json()
    assert after["changed"] == [scene.slug] and after["proposals"] == []


def test_sync_needs_a_login(api_client):
    response = api_client().get("/sync")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_sync_changes_come_after_the_commands_of_a_batch(scene, api_client):
    camille = api_client(scene.contributor)
    cursor = camille.get("/sync").json()["cursor"]
    with clock.frozen(T0):
        camille.post(
            "/commands/batch",
            {
                "commands": [
                    {
                        "id": str(uuid.uuid4()),
                        "type": "contribution.create",
                        "payload": {
                            "commons_slug": scene.slug,
                            "kind": "cash",
                            "title": f"Lot {index}",
                            "proposed_price_cents": 100,
                        },
                    }
                    for index in range(3)
                ]
            },
        )
    delta = camille.get("/sync", since=cursor).json()
    assert {"Lot 0", "Lot 1", "Lot 2"} <= {item["title"] for item in delta["contributions"]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time: ids commit in order",
)
def test_a_write_committing_after_a_later_one_is_not_skipped(make_user, make_commons, api_client):
    """Event ids are taken at insert: the first write takes the lower id and commits last."""
    steward = make_user()
    early = make_commons(steward, slug="premier-ecrit")
    late = make_commons(steward, slug="second-ecrit")
    member = api_client(steward)
    since = member.get("/sync").json()["cursor"]
    inserted, release = threading.Event(), threading.Event()

    def slow_write() -> None:
        try:
            with transaction.atomic():
                event_record(type="test.slow", commons_id=early.pk, actor_user_id=None, data={})
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_write)
    writer.start()
    try:
        assert inserted.wait(10)
        with transaction.atomic():
            event_record(type="test.fast", commons_id=late.pk, actor_user_id=None, data={})
        during = member.get("/sync", since=since).json()
        assert during["changed"] == [late.slug]
    finally:
        release.set()
        writer.join()
    after = member.get("/sync", since=during["cursor"]).json()
    assert early.slug in after["changed"], "the slow write's commons came after the cursor"
    ledger_rows_purge()
