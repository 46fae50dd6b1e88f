"""The funder's dashboard as PDF: content, same bytes for the same state and clock, same readers as the CSV."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from federage.core import clock
from federage.funding import pdf, selectors, services
from federage.funding.models import Financing
from federage.funding.tests.conftest import NOW
from federage.funding.tests.test_services import offer, vote
from federage.ledger.models import Line
from federage.testing import post_pair

pytestmark = pytest.mark.django_db


def text_of(document: bytes) -> str:
    """The PDF's text with every kind of space (narrow no-break ones included) as one space."""
    reader = PdfReader(io.BytesIO(document))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def disbursed_grant(world) -> Financing:
    financing = vote(
        world,
        offer(
            world,
            title="Subvention #sols [vivants]",
            amount_cents=250_000,
            objective_ids=[world.objective.pk],
            tranches=[
                {"amount_cents": 100_000},
                {"amount_cents": 150_000, "objective_id": world.objective.pk, "threshold": "10"},
            ],
        ),
    )
    services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    return financing


def test_pdf_route_answers_a_deterministic_pdf_with_the_amounts(world, api_client):
    financing = disbursed_grant(world)
    funder = api_client(world.funder_user)
    response = funder.get(f"/funding/financings/{financing.pk}/dashboard.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    # Same state, same clock: the same bytes.
    assert funder.get(f"/funding/financings/{financing.pk}/dashboard.pdf").content == (
        response.content
    )
    text = text_of(response.content)
    for expected in (
        "Suivi du financement",
        "Subvention #sols [vivants]",  # user text printed as itself, not run as markup
        "Agence du développement",
        "Subvention d'exploitation",
        "2 500,00 €",  # the amount
        "1 000,00 €",  # the first tranche, disbursed
        "1 500,00 €",  # the second, waiting for its milestone
        f"décision n° {financing.decision_id}",
        "en attente du jalon",
        "ghg_avoided",
    ):
        assert expected in text, (expected, text)
    english = funder.get(f"/funding/financings/{financing.pk}/dashboard.pdf", lang="en")
    assert english.status_code == 200
    text = text_of(english.content)
    assert "Financing follow-up" in text and "€2,500.00" in text and "€1,000.00" in text
    assert english.content != response.content


def test_pdf_lists_the_tagged_lines_and_the_instalments(world):
    loan = vote(
        world,
        offer(
            world,
            kind="loan",
            title="Prêt d'amorçage",
            amount_cents=300_000,
            loan={"rate_bp": 300, "periods": 3, "period_months": 12, "first_due": "2027-11-16"},
        ),
    )
    services.tranche_disburse(user=world.funder_user, financing_id=loan.pk, number=1)
    entry = post_pair(world.commons, "Laine mérinos", NOW.date(), "615", "512", 12_345)
    line = Line.objects.get(entry=entry, account__number="615")
    services.earmark_tag(user=world.steward, financing_id=loan.pk, line_id=line.pk)
    services.loan_repay(user=world.steward, financing_id=loan.pk)
    document = selectors.dashboard_pdf(user=world.funder_user, financing_id=loan.pk, lang="fr")
    text = text_of(document)
    assert "Laine mérinos" in text and "123,45 €" in text and "615" in text
    assert "Échéances du prêt" in text and "payée" in text and "à venir" in text
    assert "3 000,00 €" in text
    # A later instant is another document date, so other bytes; the same instant, the same.
    with clock.frozen(NOW + dt.timedelta(days=1)):
        later = selectors.dashboard_pdf(user=world.funder_user, financing_id=loan.pk, lang="fr")
    assert later != document
    assert (
        selectors.dashboard_pdf(user=world.funder_user, financing_id=loan.pk, lang="fr") == document
    )


def test_pdf_refuses_outsiders_like_the_csv(world, api_client, make_user):
    financing = disbursed_grant(world)
    for user in (world.other_steward, make_user(name="Nina Nobody"), None):
        client = api_client(user)
        csv = client.get(f"/funding/financings/{financing.pk}/dashboard", format="csv")
        document = client.get(f"/funding/financings/{financing.pk}/dashboard.pdf")
        assert document.status_code == csv.status_code
        assert document.status_code in (401, 403, 404)
        assert not document.content.startswith(b"%PDF")
    # A member of the commons reads it, as they read the CSV.
    steward = api_client(world.steward)
    assert steward.get(f"/funding/financings/{financing.pk}/dashboard.pdf").status_code == 200
    missing = api_client(world.funder_user).get("/funding/financings/999999/dashboard.pdf")
    assert missing.status_code == 404


def test_the_document_is_pure_data():
    """User strings reach typst as JSON data; the document itself is a pure function."""
    data = {
        "id": 1,
        "title": "#panic() $x$",
        "funder_name": "F",
        "commons_name": "C",
        "kind": "equity",
        "status": "active",
        "amount_cents": 100,
        "disbursed_cents": 100,
        "tagged_cents": 0,
        "earmark_left_cents": 100,
        "repaid_cents": 0,
        "interest_paid_cents": 0,
        "decision_id": None,
        "tranches": [],
        "tagged_lines": [],
        "loan": None,
    }
    document = pdf.dashboard_document(data, lang="en", now=NOW)
    assert document == pdf.dashboard_document(data, lang="en", now=NOW)
    assert document["title"] == "Financing follow-up — #panic() $x$"
    assert ["Kind", "Equity subscription"] in document["summary"]
    assert ["Decision", "not decided yet"] in document["summary"]
    assert text_of(pdf.dashboard_pdf(data, lang="en", now=NOW)).count("#panic() $x$") == 1
