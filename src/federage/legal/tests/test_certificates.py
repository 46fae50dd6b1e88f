"""Title certificates: issued for titles held, checked publicly, revoked when the holding moves."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pypdf
import pytest

from federage.agents import selectors as agent_selectors
from federage.core import clock
from federage.legal.models import Certificate
from federage.legal.tests.conftest import T0
from federage.titles import services as titles_services

pytestmark = pytest.mark.django_db
LATER = T0 + dt.timedelta(days=10)


def agent_of(user) -> int:
    return agent_selectors.self_agent(user=user).pk


def issue(client, slug, **body):
    with clock.frozen(LATER):
        return client.post(f"/legal/{slug}/certificates", body)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_holder_gets_a_certificate_anyone_can_check(scene, api_client):
    client = api_client(scene.contributor)
    response = issue(client, scene.slug, agent_id=agent_of(scene.contributor))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["units"], body["value_cents"], body["class_name"]) == (
        "100.0000",
        100_000,
        "Parts du commun",
    )
    assert Decimal(body["value_per_title_cents"]) == Decimal(1000)
    assert body["holder_name"] == "Camille Contributor"
    [entry] = body["entries"]
    assert entry["date"] == "2026-03-03"
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", body["code"])  # 24 random bytes: 192 bits
    assert body["verify_url"].endswith(f"/verify/{body['code']}")

    document = client.get(f"/legal/certificates/{body['code']}.pdf")
    assert document["Content-Type"] == "application/pdf"
    import hashlib

    assert hashlib.sha256(document.content).hexdigest() == body["pdf_sha256"]
    text = pdf_text(document.content)
    for expected in (
        "Attestation de parts d'intérêt",
        "Camille Contributor",
        "Parts du commun",
        "100",
        "1 000,00",
        body["verify_url"],
        f"n° {entry['entry_id']}",
    ):
        assert expected.replace("\u202f", " ") in text.replace("\u202f", " "), expected

    check = api_client().get(f"/public/certificates/{body['code']}")
    assert check.status_code == 200
    public = check.json()
    assert public["status"] == "valid"
    assert public["pdf_sha256"] == body["pdf_sha256"]
    assert (public["units"], public["value_cents"]) == ("100.0000", 100_000)
    # An outsider reads a natural person's name only with their consent: hidden here.
    assert public["holder_name"] == ""


def test_an_altered_or_unknown_code_is_not_found(scene, api_client):
    code = issue(api_client(scene.contributor), scene.slug).json()["code"]
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for probe in (altered, code[:-1], "x", code + "A"):
        response = api_client().get(f"/public/certificates/{probe}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), probe
        pdf = f"/legal/certificates/{probe}.pdf"
        assert api_client(scene.contributor).get(pdf).status_code == 404


def test_a_transfer_after_the_date_revokes_it(scene, api_client):
    code = issue(api_client(scene.contributor), scene.slug).json()["code"]
    with clock.frozen(LATER + dt.timedelta(days=1)):
        transfer = titles_services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(scene.approver1),
            units=Decimal("10"),
            unit_price_cents=1000,
        )
        assert api_client().get(f"/public/certificates/{code}").status_code == 200
        titles_services.transfer_accept(user=scene.approver1, transfer_id=transfer.pk)
    response = api_client().get(f"/public/certificates/{code}")
    assert response.status_code == 410
    body = response.json()
    assert (body["status"], body["revoked_because"]) == ("revoked", "holding_changed")
    assert body["units"] == "100.0000"
    # A new certificate at today's date attests the 90 titles left.
    fresh = api_client(scene.contributor).post(f"/legal/{scene.slug}/certificates", {})
    assert fresh.json()["units"] == "90.0000"
    assert api_client().get(f"/public/certificates/{fresh.json()['code']}").status_code == 200


def test_a_certificate_at_a_past_date(scene, api_client):
    client = api_client(scene.contributor)
    before = issue(client, scene.slug, as_of=T0.isoformat())
    assert (before.status_code, before.json()["code"]) == (409, "no_titles_held")
    past = issue(client, scene.slug, as_of=(T0 + dt.timedelta(days=5)).isoformat())
    assert past.status_code == 201, past.json()
    assert past.json()["units"] == "100.0000"
    future = issue(client, scene.slug, as_of=(LATER + dt.timedelta(days=1)).isoformat())
    assert (future.status_code, future.json()["code"]) == (422, "date_in_future")


def test_refusals_write_nothing(scene, api_client, make_user, make_commons):
    holder = api_client(scene.contributor)
    approver = api_client(scene.approver1)
    cases = [
        (approver, {}, 409, "no_titles_held"),
        (approver, {"agent_id": agent_of(scene.contributor)}, 403, "permission_denied"),
        (holder, {"agent_id": 10**9}, 404, "not_found"),
    ]
    for client, body, status, code in cases:
        response = issue(client, scene.slug, **body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    english = approver.send("post", f"/legal/{scene.slug}/certificates", {}, language="en")
    assert english.json()["message"].startswith("No titles held")
    private = make_commons(make_user(), visibility="private")
    hidden = issue(holder, private.slug)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    assert not Certificate.objects.exists()


def test_the_same_certificate_pdf_is_served_as_issued(scene, api_client, make_user):
    body = issue(api_client(scene.contributor), scene.slug, lang="en").json()
    pdf = f"/legal/certificates/{body['code']}.pdf"
    first = api_client(scene.contributor).get(pdf).content
    second = api_client(scene.contributor).get(pdf).content
    assert first == second
    assert "Certificate of partnership rights" in pdf_text(first)
    # It names the holder: only the holder's side and the commons' members read it; the code
    # alone gives the public check (no name), not the PDF.
    assert api_client(scene.steward).get(pdf).status_code == 200
    assert api_client(make_user()).get(pdf).status_code == 404
    assert api_client().get(pdf).status_code == 401
