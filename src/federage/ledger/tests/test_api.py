"""The ledger over HTTP: commands for stewards, reports by visibility, details for members."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from federage.ledger.models import Entry, Line

ENTRY = {
    "journal": "AC",
    "entry_date": "2026-05-02",
    "label": "Achat de fil",
    "piece_ref": "F-12",
    "lines": [
        {"account_number": "601", "debit_cents": 4200},
        {"account_number": "512", "credit_cents": 4200, "label": "Virement"},
    ],
}


@pytest.fixture
def members(make_user, make_commons, steward):
    contributor = make_user()
    commons = make_commons(steward, visibility="private", members={contributor: ["contributor"]})
    return commons, contributor


def base(commons) -> str:
    return f"/commons/{commons.slug}/ledger"


def test_steward_posts_and_reads(members, steward, api_client):
    commons, _ = members
    client = api_client(steward)
    key = str(uuid.uuid4())
    response = client.post(f"{base(commons)}/entries", ENTRY, key=key)
    assert response.status_code == 201, response.json()
    entry = response.json()
    assert entry["reference"] == "AC000001" and entry["total_cents"] == 4200
    assert entry["authorised_by"]["source_type"] == "manual"
    assert [line["account_number"] for line in entry["lines"]] == ["601", "512"]
    replay = client.post(f"{base(commons)}/entries", ENTRY, key=key)
    assert replay.status_code == 201 and replay["Federage-Replayed"] == "true"
    assert Entry.objects.count() == 1

    detail = client.get(f"{base(commons)}/entries/{entry['id']}").json()
    assert detail["reversed_by"] == [] and detail["hash"] == entry["hash"]
    page = client.get(f"{base(commons)}/entries", journal="AC").json()
    assert page["count"] == 1 and page["items"][0]["id"] == entry["id"]

    reversal = client.post(f"{base(commons)}/entries/{entry['id']}/reverse", {})
    assert reversal.status_code == 201 and reversal.json()["reverses_id"] == entry["id"]
    assert client.get(f"{base(commons)}/entries/{entry['id']}").json()["reversed_by"] == [
        reversal.json()["id"]
    ]
    trial = client.get(f"{base(commons)}/trial-balance", at="2026-06-15").json()
    assert trial["totals"]["debit_cents"] == trial["totals"]["credit_cents"] == 8400
    sheet = client.get(f"{base(commons)}/balance-sheet", at="2026-06-15").json()
    assert sheet["total_actif_cents"] == sheet["total_passif_cents"]
    assert client.get(f"{base(commons)}/income-statement").status_code == 200
    assert len(client.get(f"{base(commons)}/capital-kinds").json()["kinds"]) == 3
    ledger = client.get(f"{base(commons)}/general-ledger/601").json()
    assert [line["balance_cents"] for line in ledger["lines"]] == [4200, 0]
    book = client.get(base(commons)).json()
    assert (
        book["entry_count"] == 2
        and {"code": "AI", "label": "Apports en industrie"} in book["journals"]
    )
    verify = client.get(f"{base(commons)}/verify").json()
    assert verify == {"ok": True, "entry_count": 2, "head_hash": book["head_hash"], "problems": []}


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (
            {
                "lines": [
                    {"account_number": "601", "debit_cents": 1},
                    {"account_number": "512", "credit_cents": 2},
                ]
            },
            "unbalanced_entry",
            "lines",
        ),
        (
            {
                "lines": [
                    {"account_number": "601", "debit_cents": 0},
                    {"account_number": "512", "credit_cents": 0},
                ]
            },
            "amount_not_positive",
            "lines.0",
        ),
        (
            {
                "lines": [
                    {"account_number": "601", "debit_cents": -3},
                    {"account_number": "512", "credit_cents": -3},
                ]
            },
            "amount_not_positive",
            "lines.0",
        ),
        (
            {
                "lines": [
                    {"account_number": "6999", "debit_cents": 3},
                    {"account_number": "512", "credit_cents": 3},
                ]
            },
            "unknown_account",
            "lines.0.account_number",
        ),
        ({"entry_date": "2031-01-01"}, "no_period", "entry_date"),
        ({"journal": "AN"}, "journal_reserved", "journal"),
        (
            {
                "lines": [
                    {"account_number": "601", "debit_cents": 1.5},
                    {"account_number": "512", "credit_cents": 1.5},
                ]
            },
            "validation_error",
            None,
        ),
    ],
)
def test_refusals_carry_their_code(members, steward, api_client, change, code, field):
    commons, _ = members
    response = api_client(steward).post(f"{base(commons)}/entries", {**ENTRY, **change})
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["code"] == code
    if field:
        assert field in body["fields"]
    assert body["message"] and body["messages"]["en"]
    assert Entry.objects.count() == 0 and Line.objects.count() == 0


def test_closed_period_and_reused_key(members, steward, api_client):
    commons, _ = members
    client = api_client(steward)
    opened = client.post(f"{base(commons)}/periods", {"start": "2025-01-01", "end": "2025-12-31"})
    assert opened.status_code == 201, opened.json()
    period_id = opened.json()["id"]
    closed = client.post(f"{base(commons)}/periods/{period_id}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    response = client.post(f"{base(commons)}/entries", {**ENTRY, "entry_date": "2025-05-02"})
    assert response.status_code == 409 and response.json()["code"] == "period_closed"
    reopened = client.post(f"{base(commons)}/periods/{period_id}/reopen")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    periods = client.get(f"{base(commons)}/periods").json()
    assert [item["start"] for item in periods] == ["2025-01-01", "2026-01-01"]

    first = client.post(f"{base(commons)}/entries", {**ENTRY, "idempotency_key": "same"})
    assert first.status_code == 201
    other = client.post(
        f"{base(commons)}/entries", {**ENTRY, "idempotency_key": "same", "label": "Autre"}
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Entry.objects.count() == 1


def test_accounts(members, steward, api_client):
    commons, _ = members
    client = api_client(steward)
    created = client.post(f"{base(commons)}/accounts", {"number": "5121", "label": "Banque 2"})
    assert created.status_code == 201 and created.json()["type"] == "asset"
    again = client.post(f"{base(commons)}/accounts", {"number": "5121", "label": "Banque 2"})
    assert again.status_code == 409 and again.json()["code"] == "account_exists"
    numbers = [item["number"] for item in client.get(f"{base(commons)}/accounts").json()]
    assert "5121" in numbers and numbers == sorted(numbers)


def test_permissions(members, steward, make_user, api_client):
    commons, contributor = members
    as_member = api_client(contributor)
    refused = as_member.post(f"{base(commons)}/entries", ENTRY)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert as_member.get(f"{base(commons)}/entries").status_code == 200
    stranger = api_client(make_user())
    assert stranger.get(f"{base(commons)}/balance-sheet").status_code == 404
    assert stranger.post(f"{base(commons)}/entries", ENTRY).status_code == 404
    assert api_client().get(f"{base(commons)}/trial-balance").status_code == 401


def test_public_commons_publishes_statements_not_entries(
    make_commons, steward, make_user, api_client
):
    commons = make_commons(steward, visibility="public")
    stranger = api_client(make_user())
    assert stranger.get(f"{base(commons)}/balance-sheet").status_code == 200
    assert stranger.get(f"{base(commons)}/entries").status_code == 403
    assert stranger.get(f"{base(commons)}/exports/fec", year=2026).status_code == 403


def test_csv_downloads(members, steward, api_client):
    commons, _ = members
    client = api_client(steward)
    client.post(f"{base(commons)}/entries", ENTRY)
    for path, header in (
        ("trial-balance", "Compte"),
        ("balance-sheet", "Côté"),
        ("income-statement", "Section"),
        ("capital-kinds", "Capital"),
        ("general-ledger/512", "Date"),
        ("entries", "Journal"),
    ):
        response = client.get(f"{base(commons)}/{path}", format="csv")
        assert response.status_code == 200, path
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        assert rows[0][0] == header, path
    body = client.get(f"{base(commons)}/trial-balance", format="csv").content.decode()
    assert "42,00" in body


def test_exports_over_http(members, steward, api_client):
    commons, _ = members
    client = api_client(steward)
    client.post(f"{base(commons)}/entries", ENTRY)
    refused = client.get(f"{base(commons)}/exports/fec", year=2026)
    assert refused.status_code == 422 and refused.json()["code"] == "no_siren"
    journal = client.get(f"{base(commons)}/exports/journal")
    assert journal.status_code == 200
    assert "601 Achats stockés" in b"".join(journal.streaming_content).decode()
