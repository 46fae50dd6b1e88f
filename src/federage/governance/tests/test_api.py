"""HTTP API of governance: the steward's amendment story, reads, and every refusal's code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from federage.agents import selectors as agent_selectors
from federage.governance import tasks
from federage.governance.models import Ballot, Proposal
from federage.governance.tests.conftest import T0

WEEK = dt.timedelta(hours=168)


def propose(client, slug, changes=None, **extra):
    body = {
        "kind": "amend_charter",
        "title": "Raise the transfer tax to 2.5 %",
        "payload": {"changes": changes if changes is not None else {"transfer_tax_bp": 250}},
        **extra,
    }
    return client.post(f"/commons/{slug}/proposals", body)


def test_steward_raises_the_transfer_tax(circle, api_client):
    slug = circle.commons.slug
    steward = api_client(circle.steward)
    response = propose(steward, slug)
    assert response.status_code == 201, response.json()
    proposal = response.json()
    assert proposal["status"] == "open"
    assert proposal["my_vote"] == {"can_vote": False, "reason": "own_item", "agents": []}
    assert proposal["policy"]["method"] == "majority"
    assert proposal["tally"]["eligible_weight"] == 3

    first = api_client(circle.members[0])
    detail = first.get(f"/proposals/{proposal['id']}").json()
    assert detail["my_vote"]["can_vote"] is True
    response = first.post(f"/proposals/{proposal['id']}/ballots", {"choice": "for"})
    assert response.status_code == 201, response.json()
    assert response.json()["proposal"]["tally"]["weight_for"] == 1
    response = api_client(circle.members[1]).post(
        f"/proposals/{proposal['id']}/ballots", {"choice": "for", "comment": "Fine by me"}
    )
    assert response.json()["proposal"]["status"] == "passed"

    charter = api_client().get(f"/commons/{slug}/charter").json()
    assert charter["number"] == 2
    assert charter["parameters"]["transfer_tax_bp"] == 250
    assert charter["changes"] == [{"name": "transfer_tax_bp", "before": 100, "after": 250}]
    rule = next(rule for rule in charter["rules"] if rule["name"] == "transfer_tax_bp")
    assert rule["text_fr"] == "2,5\u00a0%"
    assert rule["label"]["fr"] == "Taxe sur les cessions de titres"
    assert "taxe de 2,5\u00a0% du prix" in " ".join(charter["summary_fr"])

    versions = api_client().get(f"/commons/{slug}/charter/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["proposal_id"] == proposal["id"]

    decisions = api_client().get(f"/commons/{slug}/decisions").json()
    assert [d["outcome"] for d in decisions] == ["passed"]
    assert decisions[0]["authorised"]["charter_version"] == 2
    # Anyone can recompute the chain from the published content.
    canonical = json.dumps(
        decisions[0]["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    recomputed = hashlib.sha256(f"{decisions[0]['previous_hash']}\n{canonical}".encode())
    assert recomputed.hexdigest() == decisions[0]["hash"]
    verify = api_client().get(f"/commons/{slug}/decisions/verify").json()
    assert verify == {"ok": True, "problems": [], "length": 1}

    ballots = first.get(f"/proposals/{proposal['id']}/ballots")
    assert [b["choice"] for b in ballots.json()] == ["for", "for"]
    assert api_client().get(f"/proposals/{proposal['id']}/ballots").status_code == 401


def test_refusals_have_codes_and_write_nothing(circle, api_client, make_user, frozen_clock):
    slug = circle.commons.slug
    steward = api_client(circle.steward)
    response = propose(steward, slug, {"transfer_tax_bp": -100})
    assert response.status_code == 422
    assert response.json()["code"] == "out_of_range"
    assert "parameters.transfer_tax_bp" in response.json()["fields"]
    response = propose(steward, slug, {"decisions.quorum_bp": 12000, "transfer_tax_bp": -1})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {
        "parameters.decisions.quorum_bp",
        "parameters.transfer_tax_bp",
    }
    response = propose(api_client(make_user()), slug)
    assert (response.status_code, response.json()["code"]) == (409, "not_a_member")
    response = steward.post(
        f"/commons/{slug}/proposals",
        {"kind": "validate_contribution", "title": "Sneaky", "payload": {}},
    )
    assert (response.status_code, response.json()["code"]) == (422, "invalid_kind")
    assert Proposal.objects.count() == 0

    proposal_id = propose(steward, slug).json()["id"]
    response = steward.post(f"/proposals/{proposal_id}/ballots", {"choice": "for"})
    assert (response.status_code, response.json()["code"]) == (409, "own_item")
    response = api_client(make_user()).post(f"/proposals/{proposal_id}/ballots", {"choice": "for"})
    assert (response.status_code, response.json()["code"]) == (409, "not_eligible")
    response = api_client(circle.members[0]).post(
        f"/proposals/{proposal_id}/ballots", {"choice": "perhaps"}
    )
    assert response.status_code == 422
    frozen_clock.set(T0 + WEEK)
    response = api_client(circle.members[0]).post(
        f"/proposals/{proposal_id}/ballots", {"choice": "for"}, language="en"
    )
    assert (response.status_code, response.json()["code"]) == (409, "vote_closed")
    assert response.json()["message"].startswith("Voting is closed")
    assert Ballot.objects.count() == 0
    # A read never closes it: "clôture en cours" until the worker's job runs.
    read = api_client().get(f"/proposals/{proposal_id}").json()
    assert (read["status"], read["closing_due"]) == ("open", True)
    assert tasks.proposal_close.call(proposal_id) is True
    read = api_client().get(f"/proposals/{proposal_id}").json()
    assert (read["status"], read["closing_due"]) == ("expired", False)


def test_private_commons_is_hidden(make_user, make_commons, api_client):
    steward = make_user()
    commons = make_commons(steward, visibility="private")
    response = propose(api_client(steward), commons.slug, {"transfer_tax_bp": 300})
    proposal_id = response.json()["id"]
    stranger = api_client(make_user())
    assert stranger.get(f"/proposals/{proposal_id}").status_code == 404
    assert stranger.get(f"/commons/{commons.slug}/charter").status_code == 404
    assert api_client().get(f"/commons/{commons.slug}/decisions").status_code == 404
    response = stranger.post(f"/proposals/{proposal_id}/ballots", {"choice": "for"})
    assert response.status_code == 404


def test_ballot_replay_under_the_same_key(circle, api_client):
    proposal_id = propose(api_client(circle.steward), circle.commons.slug).json()["id"]
    member = api_client(circle.members[0])
    key = str(uuid.uuid4())
    first = member.post(f"/proposals/{proposal_id}/ballots", {"choice": "against"}, key=key)
    again = member.post(f"/proposals/{proposal_id}/ballots", {"choice": "against"}, key=key)
    assert first.status_code == again.status_code == 201
    assert again["Federage-Replayed"] == "true"
    assert Ballot.objects.count() == 1
    other = member.post(f"/proposals/{proposal_id}/ballots", {"choice": "for"}, key=key)
    assert other.json()["code"] == "idempotency_key_reused"
    # The same write through the command endpoint, as the SPA's outbox sends it.
    response = member.command("ballot.cast", {"proposal_id": proposal_id, "choice": "for"})
    assert response.status_code == 201
    assert Ballot.objects.filter(is_effective=True).get().choice == "for"


def test_drafts_comments_and_notifications(circle, api_client):
    slug = circle.commons.slug
    steward = api_client(circle.steward)
    draft = propose(steward, slug, draft=True).json()
    assert draft["status"] == "draft"
    member = api_client(circle.members[0])
    assert member.get(f"/proposals/{draft['id']}").status_code == 404
    assert [p["id"] for p in member.get(f"/commons/{slug}/proposals").json()] == []
    published = steward.post(f"/proposals/{draft['id']}/publish").json()
    assert published["status"] == "open"
    assert [p["id"] for p in member.get(f"/commons/{slug}/proposals").json()] == [draft["id"]]

    comment = member.post(f"/proposals/{draft['id']}/comments", {"body": "Why?"}).json()
    reply = steward.post(
        f"/proposals/{draft['id']}/comments", {"body": "Repairs.", "parent_id": comment["id"]}
    )
    assert reply.status_code == 201
    thread = api_client().get(f"/proposals/{draft['id']}/comments").json()
    assert [(c["body"], c["parent_id"]) for c in thread] == [
        ("Why?", None),
        ("Repairs.", comment["id"]),
    ]

    inbox = member.get("/notifications").json()
    assert inbox["unread"] == 1 and inbox["items"][0]["kind"] == "vote_needed"
    assert inbox["items"][0]["commons_slug"] == slug
    assert steward.get("/notifications").json()["items"][0]["kind"] == "comment_added"
    assert member.post("/notifications/read", {}).json() == {"marked": 1}
    assert member.get("/notifications", unread="true").json()["items"] == []
    assert member.get("/notifications/preferences").json() == {"email_enabled": False}
    assert member.put("/notifications/preferences", {"email_enabled": True}).json() == {
        "email_enabled": True
    }
    assert api_client().get("/notifications").status_code == 401

    withdrawn = steward.post(f"/proposals/{draft['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    response = member.post(f"/proposals/{draft['id']}/ballots", {"choice": "for"})
    assert response.json()["code"] == "vote_closed"


def test_parameter_catalogue_for_the_spa(api_client):
    catalogue = api_client().get("/charter-parameters").json()
    names = [row["name"] for row in catalogue]
    assert "transfer_tax_bp" in names and "decisions.quorum_bp" in names
    quorum = next(row for row in catalogue if row["name"] == "decisions.quorum_bp")
    assert (quorum["minimum"], quorum["maximum"], quorum["unit"]) == (0, 10000, "bp")
    method = next(row for row in catalogue if row["name"] == "decisions.method")
    assert {c["value"] for c in method["choices"]} == {
        "majority",
        "qualified",
        "unanimity",
        "consent",
    }
    assert all(row["label"]["fr"] and row["label"]["en"] for row in catalogue)


def test_natural_persons_are_named_to_outsiders_only_with_consent(circle, api_client):
    proposal_id = propose(api_client(circle.steward), circle.commons.slug).json()["id"]
    outsider_view = api_client().get(f"/proposals/{proposal_id}").json()
    assert outsider_view["author"]["display_name"] == ""
    member_view = api_client(circle.members[0]).get(f"/proposals/{proposal_id}").json()
    assert member_view["author"]["display_name"] == "Steward"
    agent = agent_selectors.self_agent(user=circle.steward)
    agent.public_name_consent = True
    agent.save()
    assert api_client().get(f"/proposals/{proposal_id}").json()["author_agent"] == {
        "id": agent.pk,
        "display_name": "Steward",
    }


def test_openapi_lists_governance(api_client):
    document = api_client().client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/commons/{slug}/charter",
        "/api/v1/commons/{slug}/proposals",
        "/api/v1/proposals/{proposal_id}/ballots",
        "/api/v1/commons/{slug}/decisions",
        "/api/v1/notifications",
    ):
        assert path in document["paths"], path
    types = api_client().get("/commands/types").json()
    assert {"proposal.open", "ballot.cast", "comment.add"} <= set(types)
