"""Amounts have an upper bound: no line, entry or day's sum beyond MAX_CENTS is booked (issue 14)."""

from __future__ import annotations

import pytest

from federage.agents.models import Agent
from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS
from federage.ledger import selectors
from federage.ledger.models import AccountDay, Entry


def entry(*lines):
    return {
        "journal": "OD",
        "entry_date": "2026-06-15",
        "label": "Écriture",
        "lines": [{"account_number": number, side: cents} for number, side, cents in lines],
    }


def base(commons) -> str:
    return f"/commons/{commons.slug}/ledger"


@pytest.mark.parametrize("cents", [2**63, 2**63 - 1, 2**53 + 1, MAX_CENTS + 1, -(2**63) - 1])
def test_a_line_beyond_the_maximum_is_refused_on_its_field(commons, steward, api_client, cents):
    body = entry(("512", "debit_cents", cents), ("1013", "credit_cents", cents))
    response = api_client(steward).post(f"{base(commons)}/entries", body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    fields = response.json()["fields"]
    assert fields["lines.0.debit_cents"]["code"] == "amount_too_large"
    assert Entry.objects.count() == 0


def test_the_maximum_itself_is_booked(commons, steward, api_client):
    body = entry(("512", "debit_cents", MAX_CENTS), ("1013", "credit_cents", MAX_CENTS))
    assert api_client(steward).post(f"{base(commons)}/entries", body).status_code == 201


def test_an_entry_whose_total_is_beyond_the_maximum_is_refused(post):
    half = MAX_CENTS // 2 + 1
    with pytest.raises(ApplicationError) as refusal:
        post(("512", half, None), ("512", half, None), ("1013", None, 2 * half))
    assert refusal.value.code == "amount_too_large"
    assert Entry.objects.count() == 0


def test_a_line_beyond_the_maximum_is_refused_by_the_service(post):
    with pytest.raises(ApplicationError) as refusal:
        post(("512", 2**63, None), ("1013", None, 2**63))
    assert refusal.value.code == "amount_too_large"


def test_the_day_sum_of_an_account_stays_exact_and_bounded(commons, steward, api_client):
    """The defect: two entries on 512 the same day whose sum passed 2^63 were both accepted and
    the running balance became a float on SQLite (verify and the balance sheet broke for good)."""
    client = api_client(steward)
    for cents in (9223372036854775807, 4611686018427387913):
        body = entry(("512", "debit_cents", cents), ("1013", "credit_cents", cents))
        assert client.post(f"{base(commons)}/entries", body).status_code == 422
    three_quarters = MAX_CENTS * 3 // 4
    body = entry(("512", "debit_cents", three_quarters), ("1013", "credit_cents", three_quarters))
    assert client.post(f"{base(commons)}/entries", body).status_code == 201
    second = client.post(f"{base(commons)}/entries", body)
    assert (second.status_code, second.json()["code"]) == (422, "amount_too_large")
    assert Entry.objects.count() == 1
    sums = list(AccountDay.objects.values_list("debit_cents", "credit_cents"))
    assert sorted(sums) == [(0, three_quarters), (three_quarters, 0)]
    assert all(type(value) is int for pair in sums for value in pair)
    book = selectors.book_of(commons_id=commons.pk)
    assert selectors.book_verify(book=book) == []
    assert client.get(f"{base(commons)}/balance-sheet").status_code == 200
    assert api_client().get(f"/public/commons/{commons.slug}/balance-sheet").status_code == 200


@pytest.mark.parametrize("value", [True, 1.0, "100", 100.5, None])
def test_cents_are_json_integers(commons, steward, api_client, value):
    body = entry(("512", "debit_cents", value), ("1013", "credit_cents", 100))
    response = api_client(steward).post(f"{base(commons)}/entries", body)
    assert response.status_code == 422
    if value is not None:
        assert response.json()["fields"]["lines.0.debit_cents"]["code"] == "not_an_integer"
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("year", [0, -1, 10_000, 2**63])
def test_fec_of_an_impossible_year_is_a_refusal(commons, steward, api_client, year):
    Agent.objects.filter(pk=commons.agent_id).update(siren="900100017")
    response = api_client(steward).get(f"{base(commons)}/exports/fec", year=year)
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in ("invalid_value", "validation_error")
