"""Titles never dilute: an issuance is priced on every entry recorded before it, whatever its date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.core.money import Money
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput
from federage.titles import selectors as titles_selectors
from federage.titles.models import Issuance

pytestmark = pytest.mark.django_db

PARIS = clock.BOOKS_TIME_ZONE


def grant(commons, *, dated: dt.date, cents: int) -> None:
    ledger_services.entry_post(
        commons_id=commons.pk,
        journal="OD",
        entry_date=dated,
        label="Subvention",
        piece_ref=f"SUB-{dated:%Y%m%d}",
        lines=[LineInput("512", debit=Money(cents)), LineInput("741", credit=Money(cents))],
        idempotency_key=f"grant:{dated}",
        authorised_by={"source_type": "test"},
        actor_user_id=None,
    )


def test_an_entry_recorded_later_but_dated_earlier_prices_only_later_issuances(
    make_user, make_commons
):
    with clock.frozen(dt.datetime(2026, 6, 10, 10, tzinfo=PARIS)):
        scene = build(make_user, make_commons)
        first = accept(scene, proposed_price_cents=100_000)
    with clock.frozen(dt.datetime(2026, 6, 20, 10, tzinfo=PARIS)):
        # A grant received in May, booked only now: the first issuance keeps its price...
        grant(scene.commons, dated=dt.date(2026, 5, 28), cents=50_000)
        second = accept(scene, user=scene.other, proposed_price_cents=150_000)
    by_id = {issuance.pk: issuance for issuance in Issuance.objects.all()}
    # ...10 € a unit, the charter's initial value (nothing was issued before it);
    assert by_id[first.issuance_id].units == Decimal("100.0000")
    # the second sees the grant: (100 000 + 50 000) cents over 100 units, 15 € a unit.
    assert by_id[second.issuance_id].nav_net_assets_cents == 150_000
    assert by_id[second.issuance_id].units == Decimal("100.0000")
    assert titles_selectors.titles_verify(commons_id=scene.commons.pk) == []


def test_verify_finds_an_issuance_priced_off_the_books(make_user, make_commons):
    with clock.frozen(dt.datetime(2026, 6, 10, 10, tzinfo=PARIS)):
        scene = build(make_user, make_commons)
        accept(scene, proposed_price_cents=100_000)
        grant(scene.commons, dated=dt.date(2026, 6, 10), cents=50_000)
        second = accept(scene, user=scene.other, proposed_price_cents=150_000)
    # As if the second had been priced on yesterday's books (the old demo's fault): 10 € a unit.
    Issuance.objects.filter(pk=second.issuance_id).update(
        nav_net_assets_cents=100_000, units=Decimal("150.0000")
    )
    problems = titles_selectors.titles_verify(commons_id=scene.commons.pk)
    assert any(
        f"issuance {second.issuance_id}: priced on net assets" in problem for problem in problems
    )
    assert any("150.0000 units issued, 100.0000 due" in problem for problem in problems)
