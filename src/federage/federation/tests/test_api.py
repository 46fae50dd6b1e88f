"""The federation API: propose an exchange, submit the other side, read it, the public network."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.federation.tests.scene import legs, make_pair, stock, vote_through

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def test_exchange_through_the_api_and_the_public_network(make_user, make_commons, api_client):
    pair = make_pair(make_user, make_commons)
    stock(pair.a, 100_000)
    a, b = api_client(pair.a.steward), api_client(pair.b.steward)
    response = a.post(
        f"/federation/commons/{pair.a.slug}/exchanges",
        {"other_slug": pair.b.slug, "terms": "Fibres contre heures d'atelier", "legs": legs()},
    )
    assert response.status_code == 201, response.json()
    exchange = response.json()
    vote_through(pair.a, exchange["proposal_a_id"])
    response = b.post(f"/federation/exchanges/{exchange['id']}/submit")
    assert response.status_code == 200, response.json()
    vote_through(pair.b, response.json()["proposal_b_id"])
    detail = a.get(f"/federation/exchanges/{exchange['id']}").json()
    assert detail["state"] == "executed" and detail["entry_a_id"] and detail["entry_b_id"]
    links = b.get(f"/federation/commons/{pair.b.slug}").json()
    assert links["exchanges"][0]["id"] == exchange["id"]
    network = api_client().get("/public/network").json()
    assert {
        "source": pair.a.slug,
        "target": pair.b.slug,
        "kind": "exchange",
        "value_cents": None,
        "count": None,
    } in network["edges"]
    assert {"source": pair.a.slug, "target": pair.b.slug, "value_cents": 60_000} in network["flows"]


def test_a_refusal_has_its_code(make_user, make_commons, api_client):
    pair = make_pair(make_user, make_commons)
    bad = legs()
    bad.append(
        {"giver": "a", "kind": "cash", "label": "Soulte", "value_a_cents": 100, "value_b_cents": 90}
    )
    response = api_client(pair.a.steward).post(
        f"/federation/commons/{pair.a.slug}/exchanges",
        {"other_slug": pair.b.slug, "terms": "x", "legs": bad},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "exchange_terms_mismatch"


def test_federation_through_the_api(make_user, make_commons, api_client):
    pair = make_pair(make_user, make_commons)
    a = api_client(pair.a.steward)
    response = a.post(
        "/federation/federations",
        {"slug": "reseau-api", "name": "Réseau", "commons_slug": pair.a.slug},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "comptes agrégés"
    response = api_client(pair.b.steward).post(
        "/federation/federations/reseau-api/members", {"commons_slug": pair.b.slug}
    )
    assert response.status_code == 201, response.json()
    vote_through(pair.b, response.json()["proposal_id"])
    statements = a.get("/federation/federations/reseau-api/statements").json()
    assert statements["members"] == [pair.b.slug]
    assert api_client(make_user()).get(
        "/federation/federations/reseau-api/statements"
    ).status_code in (200, 404)
    public = api_client().get("/public/federations/reseau-api")
    assert public.status_code == 200


def _commons_of(make_user, make_commons, slug, visibility, accepted, proposed=()):
    """A commons where `accepted` each have a contribution accepted, `proposed` only one
    proposed (not validated)."""
    from federage.contributions.tests import scene as contribution_scene

    steward, approver1, approver2 = make_user(), make_user(), make_user()
    commons = make_commons(
        steward,
        slug=slug,
        visibility=visibility,
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            **{user: ["contributor"] for user in (*accepted, *proposed)},
        },
    )
    scene = contribution_scene.Scene(commons, steward, approver1, approver2, steward, steward)
    for user in accepted:
        contribution_scene.accept(scene, user=user, proposed_price_cents=10_000)
    for user in proposed:
        contribution_scene.propose(scene, user=user)
    return commons


def test_shared_contributors_link_public_commons_by_a_count_never_a_name(
    make_user, make_commons, api_client
):
    both = [make_user(name="Sacha Partagé"), make_user(name="Noa Partagée")]
    only_proposed = make_user(name="Lou Proposant")
    first = _commons_of(make_user, make_commons, "premier-commun", "public", both)
    second = _commons_of(
        make_user, make_commons, "second-commun", "public", [both[0], both[1]], [only_proposed]
    )
    _commons_of(make_user, make_commons, "prive-commun", "private", [both[0]])
    _commons_of(make_user, make_commons, "troisieme-commun", "public", [only_proposed])
    response = api_client().get("/public/network")
    assert response.status_code == 200
    network = response.json()
    shared = [edge for edge in network["edges"] if edge["kind"] == "contributors"]
    # Two agents validated in both public commons; the private one and a mere proposal: none.
    assert shared == [
        {
            "source": first.slug,
            "target": second.slug,
            "kind": "contributors",
            "value_cents": None,
            "count": 2,
        }
    ]
    assert "prive-commun" not in response.content.decode()
    for user in (*both, only_proposed):
        assert user.display_name not in response.content.decode()
