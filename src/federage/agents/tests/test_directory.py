"""The company directory client through real HTTP (httpx) against a local fake of the API, and the
organisation fields it pre-fills."""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
from stdnum import luhn

from federage.agents import directory, domain
from federage.agents.directory import DirectoryClient, retry_after_seconds
from federage.agents.models import Agent
from federage.agents.tests.fake_directory import Answer, FakeDirectory, page
from federage.core import clock
from federage.core.errors import ApplicationError

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
LA_POSTE_SIRET = "35600000049837"  # an office of La Poste: fails Luhn, sums to a multiple of 5


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake():
    with FakeDirectory() as server:
        yield server


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen(NOW):
        yield


def client_of(server: FakeDirectory, timeout: float = 2.0, **kwargs) -> DirectoryClient:
    return DirectoryClient(server.url, timeout, **kwargs)


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def test_a_siren_is_looked_up_and_mapped_to_our_fields(fake):
    answer = client_of(fake).search("356 000 000")
    assert (answer.query_kind, answer.query, answer.total_results) == ("siren", "356000000", 1)
    (entry,) = answer.entries
    assert entry.siren == "356000000"
    assert entry.siret == "35600000000048"
    assert entry.name == "LA POSTE"
    assert (entry.legal_form, entry.legal_form_label) == (
        "5510",
        "SA nationale à conseil d'administration",
    )
    # The one-line address loses the postcode and town, which are kept apart; the commune is
    # the INSEE code, the town its name.
    assert entry.address == "9 RUE DU COLONEL PIERRE AVIA"
    assert (entry.postcode, entry.commune_code, entry.town) == ("75015", "75115", "PARIS")
    assert entry.activity_code == "53.10Z"
    assert (entry.state, entry.closed, entry.closed_on) == ("active", False, None)
    assert entry.looked_up_at == NOW
    (request,) = fake.requests
    assert request["path"] == "/search"
    assert request["query"] == {"q": "356000000"}
    assert request["user_agent"].startswith("Federage/")


def test_a_name_is_searched_and_every_match_returned(fake):
    answer = client_of(fake).search("  cooperative ")
    assert answer.query_kind == "name"
    assert [entry.siren for entry in answer.entries] == ["812345684", "812345676"]
    cooperative, workshop = answer.entries
    assert cooperative.name == "COOPERATIVE DES SOLS VIVANTS (CSV)"
    assert (cooperative.commune_code, cooperative.town) == ("2A004", "AJACCIO")  # Corsica
    assert cooperative.legal_form_label == "SARL coopérative ouvrière de production (SCOP)"
    assert workshop.closed
    assert fake.requests[0]["query"] == {"q": "cooperative", "per_page": "10"}


def test_a_closed_company_says_so_and_since_when(fake):
    (entry,) = client_of(fake).search("812345676").entries
    assert (entry.state, entry.closed, entry.closed_on) == ("closed", True, dt.date(2023, 6, 30))
    assert entry.siret == "81234567600017"


def test_an_unknown_siren_is_not_found(fake):
    error = refusal(lambda: client_of(fake).search("732829320"))
    assert error.code == "directory_not_found"
    assert len(fake.requests) == 1


def test_a_number_lookup_keeps_only_that_company(fake):
    fake.answers["552032534"] = Answer(
        body=page(dict(fake.answers["356000000"].body["results"][0]))
    )
    assert refusal(lambda: client_of(fake).search("552032534")).code == "directory_not_found"


@pytest.mark.parametrize("query", ["356000001", "35600000000049", "12", "1234567890", "ab", "  "])
def test_an_invalid_number_or_short_name_is_refused_before_any_request(fake, query):
    error = refusal(lambda: client_of(fake).search(query))
    assert error.code == "siren_invalid"
    assert "q" in error.fields
    assert fake.requests == []


def test_la_poste_sirets_are_accepted_though_they_fail_luhn(fake):
    assert not luhn.is_valid(LA_POSTE_SIRET)
    assert domain.directory_query(LA_POSTE_SIRET) == ("siret", LA_POSTE_SIRET)
    answer = client_of(fake).search(LA_POSTE_SIRET)
    assert answer.query_kind == "siret"
    assert answer.entries[0].siren == "356000000"
    assert fake.requests[0]["query"] == {"q": LA_POSTE_SIRET}


def test_a_429_is_told_with_its_retry_after_and_the_directory_is_left_alone_meanwhile(fake):
    fake.answers["552032534"] = Answer(
        status=429, body={"erreur": "Trop de requêtes"}, headers={"Retry-After": "30"}
    )
    ticks = FakeMonotonic()
    client = client_of(fake, monotonic=ticks)
    started = time.monotonic()
    error = refusal(lambda: client.search("552032534"))
    assert time.monotonic() - started < 1.0  # told, not slept on
    assert (error.code, error.extra) == ("directory_rate_limited", {"retry_after": 30})
    assert error.http_status == 429
    ticks.now += 10
    again = refusal(lambda: client.search("356000000"))
    assert (again.code, again.extra) == ("directory_rate_limited", {"retry_after": 20})
    assert len(fake.requests) == 1
    ticks.now += 20
    assert client.search("356000000").entries[0].name == "LA POSTE"


def test_retry_after_reads_seconds_or_a_date_within_bounds():
    assert retry_after_seconds("7", NOW) == 7
    assert retry_after_seconds("Wed, 02 Dec 2026 10:00:42 GMT", NOW) == 42
    assert retry_after_seconds(None, NOW) == 1
    assert retry_after_seconds("soon", NOW) == 1
    assert retry_after_seconds("999999", NOW) == 3600


def test_this_process_sends_at_most_seven_requests_a_second(fake):
    ticks = FakeMonotonic()
    client = client_of(fake, monotonic=ticks)
    for number in range(7):
        with pytest.raises(ApplicationError, match="directory_not_found"):
            client.search(f"nobody {number}")
    error = refusal(lambda: client.search("nobody 7"))
    assert (error.code, error.extra) == ("directory_rate_limited", {"retry_after": 1})
    assert len(fake.requests) == 7
    ticks.now += 1.0
    assert client.search("cooperative").total_results == 2
    assert len(fake.requests) == 8


def test_a_slow_directory_times_out(fake):
    fake.answers["356000000"] = Answer(body=page(), delay=1.0)
    started = time.monotonic()
    error = refusal(lambda: client_of(fake, timeout=0.2).search("356000000"))
    assert error.code == "directory_timeout"
    assert time.monotonic() - started < 0.9


def test_an_unreachable_directory_is_said_so():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = refusal(lambda: DirectoryClient(f"http://127.0.0.1:{port}", 0.5).search("356000000"))
    assert error.code == "directory_unreachable"


def test_a_server_error_reads_as_unreachable(fake):
    fake.answers["356000000"] = Answer(status=503, body=b"<html>maintenance</html>")
    assert refusal(lambda: client_of(fake).search("356000000")).code == "directory_unreachable"


@pytest.mark.parametrize(
    "body",
    [
        b"<html>not json</html>",
        b'{"results": [',
        [],
        {"results": "none", "total_results": 0},
        {"results": [], "total_results": "0"},
        {"total_results": 1},
        {"results": ["LA POSTE"], "total_results": 1},
        {"results": [{"siren": "35600000", "nom_complet": "X"}], "total_results": 1},
        {"results": [{"siren": "356000000", "etat_administratif": "A"}], "total_results": 1},
        {
            "results": [{"siren": "356000000", "nom_complet": "X", "etat_administratif": "?"}],
            "total_results": 1,
        },
        {
            "results": [
                {"siren": "356000000", "nom_complet": "X", "etat_administratif": "A", "siege": 3}
            ],
            "total_results": 1,
        },
    ],
)
def test_a_malformed_answer_is_refused(fake, body):
    fake.answers["356000000"] = Answer(body=body)
    assert refusal(lambda: client_of(fake).search("356000000")).code == "directory_malformed"


def test_an_unexpected_status_is_malformed(fake):
    fake.answers["356000000"] = Answer(status=400, body={"erreur": "bad"})
    assert refusal(lambda: client_of(fake).search("356000000")).code == "directory_malformed"


def test_odd_fields_are_left_empty_rather_than_failing(fake):
    odd = dict(fake.answers["356000000"].body["results"][0])
    odd["siege"] = {**odd["siege"], "code_postal": "F-75", "commune": None, "siret": "123"}
    odd["nature_juridique"] = None
    odd["activite_principale"] = "5310"
    fake.answers["356000000"] = Answer(body=page(odd))
    (entry,) = client_of(fake).search("356000000").entries
    assert (entry.postcode, entry.commune_code, entry.siret, entry.legal_form) == ("", "", "", "")
    assert entry.activity_code == "53.10Z"[:0]  # "5310" has no class letter: not a NAF code


def test_a_siren_is_answered_from_the_cache_for_a_while(fake):
    ticks = FakeMonotonic()
    client = client_of(fake, monotonic=ticks)
    assert not client.search("356000000").from_cache
    cached = client.search("35600000049837")  # same SIREN, through a SIRET
    assert cached.from_cache and cached.entries[0].name == "LA POSTE"
    assert len(fake.requests) == 1
    ticks.now += directory.CACHE_SECONDS
    assert not client.search("356000000").from_cache
    assert len(fake.requests) == 2


# --- Through the API ---------------------------------------------------------------------------


@pytest.fixture
def directory_at(fake, settings, monkeypatch):
    # A fresh process client: no budget or cache left by another test.
    monkeypatch.setattr(directory, "_client", None)
    settings.DIRECTORY_URL = fake.url
    settings.DIRECTORY_TIMEOUT_SECONDS = 2.0
    return fake


def test_the_route_looks_up_for_a_logged_in_user_and_writes_nothing(
    directory_at, make_user, api_client
):
    client = api_client(make_user())
    agents_before = Agent.objects.count()
    response = client.get("/agents/directory", q="812345676")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["query_kind"] == "siren"
    (result,) = body["results"]
    assert result["closed"] is True
    assert result["closed_on"] == "2023-06-30"
    assert result["town"] == "LYON" and result["commune_code"] == "69384"
    assert Agent.objects.count() == agents_before
    assert api_client().get("/agents/directory", q="812345676").status_code == 401


def test_the_route_refuses_by_code_in_both_languages(directory_at, make_user, api_client):
    client = api_client(make_user())
    response = client.get("/agents/directory", q="356000001")
    assert response.status_code == 422
    assert response.json()["code"] == "siren_invalid"
    assert set(response.json()["messages"]) == {"fr", "en"}
    assert directory_at.requests == []
    missing = client.get("/agents/directory", q="732829320")
    assert (missing.status_code, missing.json()["code"]) == (404, "directory_not_found")
    directory_at.answers["552032534"] = Answer(status=429, headers={"Retry-After": "12"})
    limited = client.get("/agents/directory", q="552032534")
    assert limited.status_code == 429
    assert (limited.json()["code"], limited.json()["retry_after"]) == (
        "directory_rate_limited",
        12,
    )


def prefilled(entry: dict) -> dict:
    """The organisation form's body once the lookup filled it in."""
    return {
        "kind": "company",
        "display_name": entry["name"],
        "siren": entry["siren"],
        "siret": entry["siret"],
        "legal_form": entry["legal_form"],
        "address": entry["address"],
        "postcode": entry["postcode"],
        "commune_code": entry["commune_code"],
        "town": entry["town"],
        "activity_code": entry["activity_code"],
        "directory_state": entry["state"],
        "closed_on": entry["closed_on"],
        "looked_up_at": entry["looked_up_at"],
    }


def test_an_organisation_registers_from_its_siren_and_a_closed_one_is_flagged(
    directory_at, make_user, api_client
):
    client = api_client(make_user())
    entry = client.get("/agents/directory", q="812345676").json()["results"][0]
    response = client.post("/agents", prefilled(entry))
    assert response.status_code == 201, response.json()
    agent = response.json()
    assert agent["closed"] is True
    assert agent["closed_on"] == "2023-06-30"
    assert agent["legal_form_label"] == "Société par actions simplifiée (SAS)"
    assert (agent["postcode"], agent["commune_code"], agent["town"]) == ("69004", "69384", "LYON")
    assert agent["activity_code"] == "13.92Z"
    stored = Agent.objects.get(pk=agent["id"])
    assert stored.looked_up_at == NOW and stored.directory_state == "closed"
    # A new SIREN makes what the directory said about the former one void.
    changed = client.patch(f"/agents/{agent['id']}", {"siren": "552032534", "siret": ""})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["directory_state"], changed.json()["looked_up_at"]) == ("", None)
    assert changed.json()["closed"] is False


def test_manual_entry_needs_no_lookup(make_user, api_client):
    client = api_client(make_user())
    response = client.post(
        "/agents",
        {
            "kind": "association",
            "display_name": "Les Jardins Partagés",
            "legal_form": "9220",
            "address": "1 place du Marché",
            "postcode": "33000",
            "town": "Bordeaux",
            "activity_code": "9499z",
        },
    )
    assert response.status_code == 201, response.json()
    agent = response.json()
    assert agent["activity_code"] == "94.99Z"
    assert (agent["directory_state"], agent["closed"], agent["looked_up_at"]) == ("", False, None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"postcode": "7500"}, "postcode"),
        ({"commune_code": "2C004"}, "commune_code"),
        ({"activity_code": "ABCDE"}, "activity_code"),
        ({"legal_form": "55a0"}, "legal_form"),
        ({"directory_state": "asleep", "looked_up_at": "2026-12-02T09:00:00Z"}, "directory_state"),
        ({"directory_state": "active", "closed_on": "2023-06-30"}, "closed_on"),
        ({"directory_state": "active"}, "looked_up_at"),
        ({"directory_state": "active", "looked_up_at": "2026-12-03T09:00:00Z"}, "looked_up_at"),
    ],
)
def test_bad_organisation_fields_are_refused_and_nothing_is_written(
    make_user, api_client, fields, field
):
    client = api_client(make_user())
    before = Agent.objects.count()
    response = client.post(
        "/agents", {"kind": "company", "display_name": "X", "siren": "900100041", **fields}
    )
    assert response.status_code == 422, response.json()
    assert field in response.json()["fields"]
    assert Agent.objects.count() == before
