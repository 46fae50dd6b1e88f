"""The demo's financings: the agency's grant and loan to the soil fund, accepted by vote, booked."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.demo import loader
from federage.funding.models import Financing, Instalment, Tranche

pytestmark = pytest.mark.django_db


def test_demo_grant_and_loan():
    with clock.frozen(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)):
        loader.demo_load()
    grant = Financing.objects.get(kind="grant_operating", commons__slug="fonds-sols-vivants")
    loan = Financing.objects.get(kind="loan", commons__slug="fonds-sols-vivants")
    assert grant.decision_id and loan.decision_id
    assert grant.funder.display_name == "Agence de Développement Solidaire"
    tranches = dict(Tranche.objects.filter(financing=grant).values_list("number", "status"))
    # The second tranche was released by the verified carbon measurement, the third waits.
    assert tranches == {1: "disbursed", 2: "disbursed", 3: "pending"}
    assert grant.disbursed_cents == 2_000_000
    assert loan.disbursed_cents == 2_000_000 and loan.repaid_cents > 0
    first = Instalment.objects.filter(loan__financing=loan).order_by("number").first()
    assert first.status == "paid" and first.paid_entry_id
    assert {e.resource.key for e in grant.earmarks.exclude(resource=None)} == {"prairie"}
    assert grant.earmarks.exclude(objective=None).count() == 1
