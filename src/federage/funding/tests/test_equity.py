"""Equity offers: voted like grants, each disbursed tranche a cash subscription of titles at the NAV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from federage.contributions.models import Contribution
from federage.core.models import Event
from federage.core.money import MAX_CENTS, Money
from federage.funding import services
from federage.funding.tests.test_services import TODAY, counts, lines_of, offer, vote
from federage.ledger.models import Entry, Line
from federage.titles import services as titles_services
from federage.titles.models import Holding, Issuance

pytestmark = pytest.mark.django_db


def everything() -> tuple:
    return (
        counts(),
        Contribution.objects.count(),
        Issuance.objects.count(),
        tuple(Holding.objects.values_list("agent_id", "units").order_by("pk")),
    )


def refused(code: str, call, **kwargs):
    from federage.core.errors import ApplicationError

    before = everything()
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    assert caught.value.code == code or code in {
        field.code for field in caught.value.fields.values()
    }, caught.value
    assert everything() == before, "a refusal wrote something"


def equity(world, **fields):
    fields.setdefault("title", "Souscription de l'agence")
    return offer(world, kind="equity", **fields)


def held(world) -> Holding | None:
    return Holding.objects.filter(agent_id=world.funder.pk).first()


def test_equity_offer_accepted_by_vote_gives_titles_at_the_nav(world):
    financing = equity(
        world,
        amount_cents=900_000,
        tranches=[{"amount_cents": 300_000}, {"amount_cents": 600_000}],
    )
    assert financing.kind == "equity" and financing.status == "offered"
    financing = vote(world, financing)
    assert financing.status == "accepted" and financing.decision_id is not None
    # Accepted, nothing paid: no titles yet (they follow the cash).
    assert held(world) is None and not Issuance.objects.filter(agent_id=world.funder.pk).exists()

    for number, cents in ((1, 300_000), (2, 600_000)):
        nav = titles_services.nav_now(commons_id=financing.commons_id)
        units = titles_services.issuance_units(Money(cents), nav)
        fi_before = Entry.objects.filter(journal="FI").count()
        tranche = services.tranche_disburse(
            user=world.funder_user, financing_id=financing.pk, number=number
        )
        # The ordinary cash chain books it, and only it: no FI entry of funding's own.
        assert Entry.objects.filter(journal="FI").count() == fi_before
        assert lines_of(tranche.disbursed_entry_id) == [("4562", 0, cents), ("512", cents, 0)]
        contribution = Contribution.objects.get(payment_entry_id=tranche.disbursed_entry_id)
        assert (contribution.kind, contribution.state, contribution.contributor_id) == (
            "cash",
            "paid",
            world.funder.pk,
        )
        assert contribution.decision_id == financing.decision_id
        assert contribution.proposal_id == financing.proposal_id
        assert lines_of(contribution.entry_id) == [("1013", 0, cents), ("4562", cents, 0)]
        issuance = Issuance.objects.get(pk=contribution.issuance_id)
        assert (issuance.agent_id, issuance.units, issuance.price_cents) == (
            world.funder.pk,
            units,
            cents,
        )
        assert issuance.unit_value_cents == nav.cents_per_unit()
        assert issuance.decision_id == financing.decision_id
        event = Event.objects.filter(type="financing.disbursed").order_by("-id").first()
        assert event.data["contribution_id"] == contribution.pk
        assert event.data["issuance_id"] == issuance.pk

    financing.refresh_from_db()
    assert (financing.status, financing.disbursed_cents) == ("active", 900_000)
    assert held(world).units == sum(
        Issuance.objects.filter(agent_id=world.funder.pk).values_list("units", flat=True)
    )
    # Every entry of the book balances; the bank got the cash once.
    for entry in Entry.objects.filter(commons_id=financing.commons_id):
        totals = Line.objects.filter(entry=entry).aggregate(
            d=Sum("debit_cents"), c=Sum("credit_cents")
        )
        assert totals["d"] == totals["c"]
    bank = Line.objects.filter(
        entry__commons_id=financing.commons_id,
        account__number="512",
        entry__source_type="contribution",
        entry__source_id__in=[
            str(pk)
            for pk in Contribution.objects.filter(contributor_id=world.funder.pk).values_list(
                "pk", flat=True
            )
        ],
    ).aggregate(total=Sum("debit_cents"))["total"]
    assert bank == 900_000


def test_equity_refusals_write_nothing(world):
    refused("amount_not_positive", equity, world=world, amount_cents=0)
    refused("amount_too_large", equity, world=world, amount_cents=MAX_CENTS + 1)
    financing = equity(world, amount_cents=500_000)
    # Not decided (offered, then voting): no titles without the decision.
    refused(
        "financing_needs_decision",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
    )
    services.financing_put_to_vote(user=world.steward, financing_id=financing.pk)
    refused(
        "financing_needs_decision",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
    )
    financing = vote(world, financing)
    assert financing.status == "accepted"
    # Above the offer, or a back-dated entry the day's NAV would not match.
    refused(
        "disbursement_exceeds_financing",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
        amount_cents=500_001,
    )
    refused(
        "invalid_value",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
        entry_date=TODAY - dt.timedelta(days=3),
    )
    # Only the funder's people disburse.
    refused(
        "permission_denied",
        services.tranche_disburse,
        user=world.steward,
        financing_id=financing.pk,
        number=1,
    )
    services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    refused(
        "disbursement_exceeds_financing",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
    )


def test_a_refused_equity_offer_issues_nothing(world):
    financing = vote(world, equity(world, amount_cents=200_000), choice="against")
    assert financing.status == "refused"
    refused(
        "financing_closed",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
    )
    assert held(world) is None
