"""The chain through the HTTP API: propose with evidence, counter, accept, vote, titles appear."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from federage.contributions import domain
from federage.contributions.models import Contribution, Evidence
from federage.contributions.tests.scene import agent_of, build

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% devis\n" + b"0" * 200


@pytest.fixture
def scene(make_user, make_commons, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return build(make_user, make_commons)


def upload(client, contribution_id, name, content):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.client.post(
            f"/api/v1/contributions/{contribution_id}/evidence",
            {"file": SimpleUploadedFile(name, content)},
            HTTP_X_CSRFTOKEN=client.client.cookies["csrftoken"].value,
        )


def test_the_whole_chain_through_the_api(scene, api_client, tmp_path):
    camille = api_client(scene.contributor)
    created = camille.post(
        f"/contributions/commons/{scene.slug}",
        {
            "kind": "labour",
            "title": "Patronage des tabliers",
            "quantity": "35",
            "unit": "h",
            "unit_price_cents": 4500,
            "proposed_price_cents": 157_500,
            "delivery_date": "2026-12-15",
        },
    )
    assert created.status_code == 201, created.json()
    contribution_id = created.json()["id"]
    assert created.json()["state"] == "draft"

    uploaded = upload(camille, contribution_id, "feuille-de-temps.pdf", PDF)
    assert uploaded.status_code == 201, uploaded.json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert uploaded.json()["sha256"] == digest
    assert (tmp_path / "evidence" / digest[:2] / digest).read_bytes() == PDF
    # The same file twice is stored once.
    assert upload(camille, contribution_id, "copie.pdf", PDF).json()["id"] == uploaded.json()["id"]
    download = camille.client.get(
        f"/api/v1/contributions/{contribution_id}/evidence/{uploaded.json()['id']}"
    )
    assert b"".join(download.streaming_content) == PDF

    submitted = camille.post(f"/contributions/{contribution_id}/submit", {"comment": "Prêt"})
    assert submitted.json()["state"] == "in_review", submitted.json()

    alice, arthur = api_client(scene.approver1), api_client(scene.approver2)
    countered = alice.post(
        f"/contributions/{contribution_id}/counter",
        {"price_cents": 140_000, "comment": "Tarif de l'atelier : 40 € de l'heure"},
    )
    assert countered.json()["state"] == "countered", countered.json()
    restarted = camille.post(
        f"/contributions/{contribution_id}/accept-counter", {"comment": "Entendu"}
    )
    assert restarted.json()["state"] == "in_review"
    proposal_id = restarted.json()["proposal_id"]

    own = camille.post(f"/proposals/{proposal_id}/ballots", {"choice": "for"})
    assert (own.status_code, own.json()["code"]) == (409, "own_item")
    for client in (alice, arthur):
        cast = client.post(f"/proposals/{proposal_id}/ballots", {"choice": "for"})
        assert cast.status_code == 201, cast.json()

    detail = camille.get(f"/contributions/{contribution_id}").json()
    assert detail["state"] == "accepted"
    assert detail["accepted_price_cents"] == 140_000
    assert detail["entry_id"] and detail["issuance_id"] and detail["decision_id"]
    assert [item["action"] for item in detail["revisions"]][-3:] == [
        "accept_counter",
        "open_vote",
        "accept",
    ]

    # Titles appear in the portfolio and the cap table: 1 400 € at the initial 10 € = 140 units.
    [row] = camille.get("/titles/portfolio").json()
    assert (row["units"], row["value_cents"]) == ("140.0000", 140_000)
    table = alice.get(f"/titles/{scene.slug}/cap-table").json()
    assert [(holder["agent_id"], holder["units"]) for holder in table["holders"]] == [
        (agent_of(scene.contributor), "140.0000")
    ]
    history = alice.get(f"/titles/{scene.slug}/nav-history").json()
    assert history[-1]["cause"] == "issuance"
    assert [item["id"] for item in camille.get("/contributions/mine").json()] == [contribution_id]


def test_evidence_refusals(scene, api_client, monkeypatch):
    camille = api_client(scene.contributor)
    created = camille.post(
        f"/contributions/commons/{scene.slug}",
        {"kind": "cash", "title": "Apport", "proposed_price_cents": 10_000},
    )
    contribution_id = created.json()["id"]
    forbidden = upload(camille, contribution_id, "virus.exe", b"MZ\x90\x00")
    assert (forbidden.status_code, forbidden.json()["code"]) == (415, "evidence_type_forbidden")
    renamed = upload(camille, contribution_id, "facture.pdf", b"MZ\x90\x00 not a pdf")
    assert renamed.json()["code"] == "evidence_type_forbidden"
    monkeypatch.setattr(domain, "EVIDENCE_MAX_BYTES", 1024)
    large = upload(camille, contribution_id, "devis.pdf", PDF + b"0" * 1024)
    assert (large.status_code, large.json()["code"]) == (413, "evidence_too_large")
    assert not Evidence.objects.exists()
    stranger = api_client(scene.other)
    assert upload(stranger, contribution_id, "devis.pdf", PDF).status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"proposed_price_cents": 0}, 422, "amount_not_positive"),
        (
            {"quantity": "35", "unit_price_cents": 4500, "proposed_price_cents": 150_000},
            422,
            "price_mismatch",
        ),
        ({"kind": "gift"}, 422, "invalid_value"),
    ],
)
def test_bad_contributions_are_refused_with_their_code(scene, api_client, body, status, code):
    response = api_client(scene.contributor).post(
        f"/contributions/commons/{scene.slug}",
        {"kind": "cash", "title": "Apport", "proposed_price_cents": 10_000, **body},
        language="en",
    )
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["message"]
    assert not Contribution.objects.exists()


def test_drafts_are_private_to_their_author(scene, api_client):
    camille = api_client(scene.contributor)
    created = camille.post(
        f"/contributions/commons/{scene.slug}",
        {"kind": "cash", "title": "Brouillon", "proposed_price_cents": 10_000},
    )
    other = api_client(scene.other)
    assert other.get(f"/contributions/{created.json()['id']}").status_code == 404
    assert other.get(f"/contributions/commons/{scene.slug}").json() == []
    assert len(camille.get(f"/contributions/commons/{scene.slug}").json()) == 1
