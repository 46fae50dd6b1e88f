"""The demo: every commons has its contract, the textile workshop a version after its charter
amendment that some partners accepted, and a certificate anyone can check."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.demo import loader
from federage.legal.models import Certificate, ContractAcceptance, ContractVersion
from federage.legal.selectors import certificate_public

pytestmark = pytest.mark.django_db


def test_the_demo_has_contracts_acceptances_and_a_certificate():
    with clock.frozen(dt.datetime(2026, 12, 1, 21, 0, tzinfo=dt.UTC)):
        slugs = loader.demo_load()
        for slug in slugs:
            versions = ContractVersion.objects.filter(commons__slug=slug).order_by("number")
            assert versions[0].number == 1 and versions[0].reason == "founded", slug
        atelier = ContractVersion.objects.filter(commons__slug="atelier-textile-circulaire")
        latest = atelier.order_by("-number").first()
        assert latest.reason == "charter_amended"
        [change] = [c for c in latest.changes if c["section"] == "transfers"]
        assert any("2\u00a0%" in line for line in change["after"])
        assert ContractAcceptance.objects.filter(version=latest).count() == 3
        certificate = Certificate.objects.get()
        status, body = certificate_public(code=certificate.code)
        assert (status, body["status"]) == (200, "valid")
