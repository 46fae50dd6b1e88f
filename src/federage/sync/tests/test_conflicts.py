"""The offline conflict rules, proved through the command endpoints a flushing outbox calls."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from federage.contributions.models import Contribution
from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.core.models import AppliedCommand
from federage.governance.models import Ballot, Proposal
from federage.ledger.models import Entry
from federage.titles.models import Holding, Transfer

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def scene(make_user, make_commons):
    with clock.frozen(T0):
        yield build(make_user, make_commons)


def contribution_payload(scene, title: str = "Journée de chantier") -> dict:
    return {
        "commons_slug": scene.slug,
        "kind": "labour",
        "title": title,
        "quantity": "7",
        "unit": "h",
        "unit_price_cents": 2000,
        "proposed_price_cents": 14_000,
    }


def submitted_proposal(scene, api_client) -> int:
    """A contribution put to the approvers' vote; returns the proposal id."""
    camille = api_client(scene.contributor)
    created = camille.command("contribution.create", contribution_payload(scene))
    assert created.status_code == 201, created.json()
    submitted = camille.command(
        "contribution.submit", {"contribution_id": created.json()["id"], "comment": ""}
    )
    assert submitted.status_code == 200, submitted.json()
    return submitted.json()["proposal_id"]


def test_a_contribution_created_offline_is_stored_once_however_often_it_is_replayed(
    scene, api_client
):
    client = api_client(scene.contributor)
    command_id = str(uuid.uuid4())
    payload = contribution_payload(scene)
    first = client.command("contribution.create", payload, command_id)
    assert first.status_code == 201, first.json()
    again = client.command("contribution.create", payload, command_id)
    batch = client.post(
        "/commands/batch",
        {"commands": [{"id": command_id, "type": "contribution.create", "payload": payload}]},
    )
    assert again.status_code == 201 and again["Federage-Replayed"] == "true"
    assert again.json() == first.json()
    [result] = batch.json()["results"]
    assert (result["status"], result["replayed"], result["body"]) == (201, True, first.json())
    assert Contribution.objects.filter(title=payload["title"]).count() == 1
    # The same id with other content is refused, not applied as a second contribution.
    other = client.command("contribution.create", {**payload, "title": "Autre"}, command_id)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert Contribution.objects.filter(commons=scene.commons).count() == 1


def test_two_offline_contributions_never_conflict(scene, api_client):
    client = api_client(scene.contributor)
    commands = [
        {"id": str(uuid.uuid4()), "type": "contribution.create", "payload": payload}
        for payload in (contribution_payload(scene, "Lundi"), contribution_payload(scene, "Mardi"))
    ]
    results = client.post("/commands/batch", {"commands": commands}).json()["results"]
    assert [item["status"] for item in results] == [201, 201]
    assert sorted(Contribution.objects.values_list("title", flat=True)) == ["Lundi", "Mardi"]


def test_the_last_ballot_received_wins_while_the_vote_is_open(scene, api_client):
    with clock.frozen(T0):
        proposal_id = submitted_proposal(scene, api_client)
        alice = api_client(scene.approver1)
        # Two devices of the same member; the one that syncs last wins.
        first = alice.command("ballot.cast", {"proposal_id": proposal_id, "choice": "abstain"})
        second = alice.command("ballot.cast", {"proposal_id": proposal_id, "choice": "for"})
    assert (first.status_code, second.status_code) == (201, 201), second.json()
    ballots = Ballot.objects.filter(proposal_id=proposal_id, agent_id=agent_of(scene.approver1))
    assert ballots.count() == 2  # every ballot stays in the audit trail
    assert list(ballots.filter(is_effective=True).values_list("choice", flat=True)) == ["for"]


def test_a_ballot_received_after_the_deadline_is_refused_and_replays_refused(scene, api_client):
    with clock.frozen(T0):
        proposal_id = submitted_proposal(scene, api_client)
    closes_at = Proposal.objects.get(pk=proposal_id).closes_at
    alice = api_client(scene.approver1)
    command_id = str(uuid.uuid4())
    payload = {"proposal_id": proposal_id, "choice": "for"}
    # Cast offline well before the deadline; the server receives it one second after it.
    with clock.frozen(closes_at + dt.timedelta(seconds=1)):
        late = alice.command("ballot.cast", payload, command_id, language="en")
    assert (late.status_code, late.json()["code"]) == (409, "vote_closed")
    assert late.json()["message"] == "Voting is closed: this ballot was not counted."
    assert not Ballot.objects.filter(proposal_id=proposal_id).exists()
    # A replay gets the stored refusal, even if the clock were turned back.
    with clock.frozen(T0):
        replay = alice.command("ballot.cast", payload, command_id, language="en")
    assert (replay.status_code, replay.json()["code"], replay["Federage-Replayed"]) == (
        409,
        "vote_closed",
        "true",
    )
    assert not Ballot.objects.filter(proposal_id=proposal_id).exists()


def test_a_ballot_received_just_before_the_deadline_counts(scene, api_client):
    with clock.frozen(T0):
        proposal_id = submitted_proposal(scene, api_client)
    closes_at = Proposal.objects.get(pk=proposal_id).closes_at
    with clock.frozen(closes_at - dt.timedelta(seconds=1)):
        cast = api_client(scene.approver1).command(
            "ballot.cast", {"proposal_id": proposal_id, "choice": "for"}
        )
    assert cast.status_code == 201, cast.json()


def test_a_member_who_may_not_vote_is_refused_not_eligible(scene, api_client):
    with clock.frozen(T0):
        proposal_id = submitted_proposal(scene, api_client)
        # `other` is a contributor, not an approver: not among this vote's electorate.
        refused = api_client(scene.other).command(
            "ballot.cast", {"proposal_id": proposal_id, "choice": "for"}
        )
    assert (refused.status_code, refused.json()["code"]) == (409, "not_eligible")
    assert not Ballot.objects.filter(proposal_id=proposal_id).exists()


def test_an_overdrawing_transfer_is_refused_whole_and_replays_the_same_refusal(scene, api_client):
    with clock.frozen(T0):
        accept(scene, proposed_price_cents=100_000)  # 100 units for Camille
        seller = api_client(scene.contributor)
        offers = []
        for buyer in (scene.other, scene.approver1):
            body = {
                "commons_slug": scene.slug,
                "buyer_agent_id": agent_of(buyer),
                "units": "60",
                "unit_price_cents": 1000,
            }
            proposed = seller.command("transfer.propose", body)
            assert proposed.status_code == 201, proposed.json()
            offers.append(proposed.json()["id"])
        entries_before = Entry.objects.count()
        # Both buyers accept offline; the server takes them in the order they arrive.
        ids = [str(uuid.uuid4()), str(uuid.uuid4())]
        first = api_client(scene.other).command(
            "transfer.accept", {"transfer_id": offers[0]}, ids[0]
        )
        applied_before = AppliedCommand.objects.count()
        second = api_client(scene.approver1).command(
            "transfer.accept", {"transfer_id": offers[1]}, ids[1]
        )
    assert first.status_code == 200 and first.json()["state"] == "accepted", first.json()
    assert (second.status_code, second.json()["code"]) == (409, "insufficient_titles")
    # Nothing written for the refusal but its applied-command row.
    assert AppliedCommand.objects.count() == applied_before + 1
    assert Transfer.objects.get(pk=offers[1]).state == "proposed"
    assert Holding.objects.get(agent_id=agent_of(scene.contributor)).units == Decimal("40")
    assert Entry.objects.count() == entries_before + 1  # the accepted transfer's tax entry
    # The seller's balance rises again, but the replay still gets the stored refusal.
    replay = api_client(scene.approver1).command(
        "transfer.accept", {"transfer_id": offers[1]}, ids[1]
    )
    assert (replay.status_code, replay.json()["code"]) == (409, "insufficient_titles")
    assert Transfer.objects.filter(state="accepted").count() == 1


def test_an_entry_into_a_closed_period_is_refused_period_closed(scene, api_client):
    client = api_client(scene.steward)
    base = f"/commons/{scene.slug}/ledger"
    with clock.frozen(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)):
        opened = client.post(f"{base}/periods", {"start": "2025-01-01", "end": "2025-12-31"})
        assert opened.status_code == 201, opened.json()
        closed = client.post(f"{base}/periods/{opened.json()['id']}/close")
        assert closed.status_code == 200, closed.json()
        entries_before = Entry.objects.count()
        refused = client.command(
            "ledger.entry_post",
            {
                "commons_slug": scene.slug,
                "journal": "AC",
                "entry_date": "2025-05-02",
                "label": "Achat de fil, saisi hors ligne",
                "lines": [
                    {"account_number": "601", "debit_cents": 4200},
                    {"account_number": "512", "credit_cents": 4200},
                ],
            },
        )
    assert (refused.status_code, refused.json()["code"]) == (409, "period_closed")
    assert Entry.objects.count() == entries_before


def test_a_batch_goes_on_after_a_refusal_and_answers_each_command(scene, api_client):
    client = api_client(scene.contributor)
    ok = {"id": str(uuid.uuid4()), "type": "contribution.create"}
    commands = [
        {**ok, "payload": contribution_payload(scene, "Avant")},
        {"id": str(uuid.uuid4()), "type": "ballot.cast", "payload": {"proposal_id": 999_999}},
        {"id": str(uuid.uuid4()), "type": "no.such", "payload": {}},
        {"id": str(uuid.uuid4()), "type": "contribution.create", "payload": {"title": "x"}},
        {
            "id": str(uuid.uuid4()),
            "type": "contribution.create",
            "payload": contribution_payload(scene, "Après"),
        },
    ]
    response = client.post("/commands/batch", {"commands": commands}, language="en")
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [item["id"] for item in results] == [item["id"] for item in commands]
    assert [item["status"] for item in results] == [201, 422, 422, 422, 201]
    assert results[2]["body"]["code"] == "unknown_command"
    assert results[3]["body"]["code"] == "validation_error"
    assert sorted(Contribution.objects.values_list("title", flat=True)) == ["Après", "Avant"]


def test_a_script_flushes_with_its_token_and_no_csrf(scene, api_client):
    from django.test import Client

    from federage.accounts import services as account_services

    _, clear = account_services.api_token_create(user=scene.contributor, name="outbox")
    # A real client: CSRF enforced, as on a server (the default test client skips it).
    client = Client(enforce_csrf_checks=True)
    body = {
        "commands": [
            {
                "id": str(uuid.uuid4()),
                "type": "contribution.create",
                "payload": contribution_payload(scene, "Par script"),
            }
        ]
    }
    response = client.post(
        "/api/v1/commands/batch",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {clear}",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["results"][0]["status"] == 201
    # A browser session without the CSRF header is still refused.
    session = Client(enforce_csrf_checks=True)
    session.force_login(scene.contributor)
    refused = session.post("/api/v1/commands/batch", body, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf_failed")
