"""Agents through the API: organisations with checked SIREN/SIRET, and who may act for them."""

import pytest

from federage.agents.models import Agent

VALID_SIREN = "732829320"
VALID_SIRET = "73282932000074"


def test_create_an_organisation_with_siret_fills_its_siren(make_user, api_client):
    client = api_client(make_user())
    response = client.post(
        "/agents",
        {"kind": "cooperative", "display_name": "Coop", "siret": "732 829 320 00074"},
    )
    assert response.status_code == 201, response.json()
    agent = response.json()
    assert (agent["siren"], agent["siret"]) == (VALID_SIREN, VALID_SIRET)
    kinds = [item["kind"] for item in client.get("/agents").json()]
    assert kinds == ["person", "cooperative"]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"kind": "company", "siren": "732829321"}, "invalid_siren", "siren"),
        ({"kind": "company", "siret": "73282932000075"}, "invalid_siret", "siret"),
        (
            {"kind": "company", "siren": "552100554", "siret": VALID_SIRET},
            "siret_siren_mismatch",
            "siret",
        ),
        # Issue 14: nobody creates another person, or a commons, to pose as them.
        ({"kind": "person"}, "agent_person_is_own", "kind"),
        ({"kind": "person", "siren": VALID_SIREN}, "agent_person_is_own", "kind"),
        ({"kind": "commons"}, "agent_commons_reserved", "kind"),
        ({"kind": "spaceship"}, "invalid_value", "kind"),
        ({"kind": "ngo", "website": "javascript:alert(1)"}, "invalid_website", "website"),
    ],
)
def test_bad_identifiers_are_refused_and_nothing_is_written(
    make_user, api_client, body, code, field
):
    client = api_client(make_user())
    before = Agent.objects.count()
    response = client.post("/agents", {"display_name": "X", **body})
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert Agent.objects.count() == before


def test_a_siren_belongs_to_one_organisation(make_user, api_client):
    first, second = api_client(make_user()), api_client(make_user())
    body = {"kind": "company", "display_name": "SA", "siren": VALID_SIREN}
    assert first.post("/agents", body).status_code == 201
    response = second.post("/agents", body)
    assert response.status_code == 409
    assert response.json()["code"] == "siren_taken"


def test_only_representatives_may_read_or_edit_an_agent(make_user, api_client):
    owner, stranger = api_client(make_user()), api_client(make_user())
    agent = owner.post("/agents", {"kind": "association", "display_name": "Asso"}).json()
    assert owner.patch(f"/agents/{agent['id']}", {"display_name": "Asso 2"}).status_code == 200
    assert stranger.get(f"/agents/{agent['id']}").status_code == 403
    refused = stranger.patch(f"/agents/{agent['id']}", {"display_name": "Pirate"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert stranger.get("/agents/999999").status_code == 404
    assert Agent.objects.get(pk=agent["id"]).display_name == "Asso 2"


def test_agents_need_a_login(db, api_client):
    response = api_client().get("/agents")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
