"""A person downloads their data and has it erased (GDPR art. 15, 17, 20; issue 14, item 10)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from federage.accounts.models import ApiToken, User
from federage.agents.models import Agent
from federage.contributions import services as contributions_services
from federage.contributions.tests.scene import accept, agent_of, build, propose
from federage.core.models import Event
from federage.governance import selectors as governance_selectors
from federage.governance.models import Decision
from federage.ledger import selectors as ledger_selectors
from federage.ledger.models import Entry
from federage.testing import PASSWORD
from federage.titles import services as titles_services

pytestmark = pytest.mark.django_db

NAME = "Camille Contributor"


@pytest.fixture
def scene(make_user, make_commons):
    scene = build(make_user, make_commons)
    contribution = accept(scene, proposed_price_cents=100_000)  # 100 units, cash
    contributions_services.contribution_call(user=scene.steward, contribution_id=contribution.pk)
    contributions_services.contribution_pay(user=scene.steward, contribution_id=contribution.pk)
    return scene


def sell_everything(scene) -> None:
    transfer = titles_services.transfer_propose(
        user=scene.contributor,
        commons_slug=scene.slug,
        buyer_agent_id=agent_of(scene.other),
        units=Decimal("100"),
        unit_price_cents=1000,
    )
    titles_services.transfer_accept(user=scene.other, transfer_id=transfer.pk)


def state() -> tuple:
    """What an erasure could write: users, agents, tokens, events."""
    return (
        list(User.objects.order_by("id").values_list("email", "display_name", "is_active")),
        list(Agent.objects.order_by("id").values_list("display_name", "public_name_consent")),
        list(ApiToken.objects.order_by("id").values_list("revoked_at", flat=True)),
        Event.objects.count(),
    )


def books(scene) -> tuple:
    book = ledger_selectors.book_of(commons_id=scene.commons.pk)
    return (
        list(Entry.objects.order_by("id").values_list("hash", flat=True)),
        list(Decision.objects.order_by("id").values_list("hash", flat=True)),
        ledger_selectors.net_assets_of(commons_id=scene.commons.pk),
        ledger_selectors.book_totals(book=book),
    )


def verify_clean(slug: str) -> None:
    out = io.StringIO()
    call_command("verify", "--commons", slug, stdout=out, stderr=io.StringIO())
    assert "verified" in out.getvalue()


def test_the_export_holds_everything_about_the_person(scene, api_client):
    sell_everything(scene)
    answer = api_client(scene.contributor).get("/auth/me/export")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    assert answer["Cache-Control"] == "no-store"
    data = json.loads(answer.content)
    assert data["format"] == "federage.personal-data/1"
    assert data["account"]["email"] == scene.contributor.email
    assert [agent["display_name"] for agent in data["agents"]] == [NAME]
    assert data["consents"] == [{"agent_id": agent_of(scene.contributor), "public_name": False}]
    assert [row["commons_slug"] for row in data["memberships"]] == [scene.slug]
    assert [row["state"] for row in data["contributions"]] == ["paid"]
    assert [row["units"] for row in data["issuances"]] == ["100.0000"]
    assert [(row["units"], row["state"]) for row in data["transfers"]] == [("100.0000", "accepted")]
    assert data["titles"][0]["units"] == "0.0000"
    assert data["notifications"], "the buyer's acceptance notified the seller"
    # An approver's export holds the ballots they cast.
    ballots = json.loads(api_client(scene.approver1).get("/auth/me/export").content)["ballots"]
    assert [ballot["choice"] for ballot in ballots] == ["for"]
    # Someone else's data is not in it; and the anonymous get nothing.
    assert scene.other.email not in answer.content.decode()
    assert api_client().get("/auth/me/export").status_code == 401


def test_erasure_pseudonymises_everywhere_and_keeps_the_books(scene, api_client):
    sell_everything(scene)
    before = books(scene)
    verify_clean(scene.slug)
    client = api_client(scene.contributor)
    answer = client.post("/auth/me/erase", {"password": PASSWORD})
    assert answer.status_code == 200, answer.json()
    pseudonym = answer.json()["pseudonym"]
    assert pseudonym.startswith("Personne effacée ")
    # The books and the decision log: same hashes, same balances, `verify` clean.
    assert books(scene) == before
    verify_clean(scene.slug)
    # The name is gone from every answer that showed it, replaced by the pseudonym.
    other = api_client(scene.other)
    readings = [
        other.get(f"/titles/{scene.slug}/transfers"),
        other.get(f"/titles/{scene.slug}/cap-table"),
        other.get(f"/commons/{scene.slug}/members"),
        other.get("/notifications"),
        other.get("/auth/me/export"),
        api_client(scene.steward).get(f"/contributions/commons/{scene.slug}"),
        api_client().get(f"/public/commons/{scene.slug}/members"),
    ]
    texts = []
    for reading in readings:
        assert reading.status_code == 200, reading.content
        # Read as JSON and written back unescaped, so that accents compare as typed.
        texts.append(json.dumps(json.loads(reading.content), ensure_ascii=False))
        assert NAME not in texts[-1], reading.request["PATH_INFO"]
    assert pseudonym in texts[0]
    assert pseudonym in texts[2]
    # Nobody logs in as the person again, by password, session or token.
    user = User.objects.get(pk=scene.contributor.pk)
    assert (user.is_active, user.has_usable_password(), user.erased_at is not None) == (
        False,
        False,
        True,
    )
    assert client.get("/auth/me").status_code == 401
    stranger = api_client()
    login = stranger.post("/auth/login", {"email": scene.contributor.email, "password": PASSWORD})
    assert (login.status_code, login.json()["code"]) == (401, "invalid_credentials")
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    # The ids the chains cover stay: the agent is the same row.
    agent = Agent.objects.get(pk=agent_of(scene.contributor))
    assert (agent.display_name, agent.public_name_consent) == (pseudonym, False)


def test_erasure_is_refused_without_the_password_having_written_nothing(scene, api_client):
    sell_everything(scene)
    before = state()
    answer = api_client(scene.contributor).post("/auth/me/erase", {"password": "pas-le-bon"})
    assert (answer.status_code, answer.json()["code"]) == (403, "wrong_password")
    assert state() == before


def test_erasure_is_refused_while_titles_are_held(scene, api_client):
    before = state()
    answer = api_client(scene.contributor).post("/auth/me/erase", {"password": PASSWORD})
    assert (answer.status_code, answer.json()["code"]) == (409, "erasure_titles_held")
    assert state() == before


def test_erasure_is_refused_while_an_obligation_is_open(scene, api_client):
    sell_everything(scene)
    propose(scene)  # a draft contribution, still under way
    before = state()
    answer = api_client(scene.contributor).post("/auth/me/erase", {"password": PASSWORD})
    assert (answer.status_code, answer.json()["code"]) == (409, "erasure_obligations_open")
    assert state() == before


def test_a_pending_transfer_to_the_person_is_an_open_obligation(scene, api_client):
    titles_services.transfer_propose(
        user=scene.contributor,
        commons_slug=scene.slug,
        buyer_agent_id=agent_of(scene.other),
        units=Decimal("1"),
        unit_price_cents=1000,
    )
    before = state()
    answer = api_client(scene.other).post("/auth/me/erase", {"password": PASSWORD})
    assert (answer.status_code, answer.json()["code"]) == (409, "erasure_obligations_open")
    assert state() == before


def test_the_decision_log_covers_agent_ids_not_names(scene):
    """Why erasure cannot break a chain: the hashed content of a decision names nobody."""
    decision = Decision.objects.order_by("id").first()
    content = json.dumps(decision.content, ensure_ascii=False)
    assert NAME not in content
    assert governance_selectors.decision_log_verify(scene.commons.pk) == []
