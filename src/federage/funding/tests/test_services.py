"""Financings through the services: offer, vote, disburse on milestones, book, repay, tag, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.funding import selectors, services
from federage.funding.models import EarmarkTag, Financing, Instalment, LoanTerms, Reprise, Tranche
from federage.funding.tests.conftest import NOW, verified
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger.models import Entry, Line
from federage.testing import post_pair

pytestmark = pytest.mark.django_db

TODAY = NOW.date()


def counts() -> tuple[int, ...]:
    return (
        Financing.objects.count(),
        Tranche.objects.count(),
        Instalment.objects.count(),
        EarmarkTag.objects.count(),
        Entry.objects.count(),
        Reprise.objects.count(),
        tuple(
            Financing.objects.values_list(
                "status", "disbursed_cents", "repaid_cents", "tagged_cents"
            ).order_by("pk")
        ),
        tuple(Tranche.objects.values_list("status").order_by("pk")),
    )


def refused(code: str, call, **kwargs) -> ApplicationError:
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    assert caught.value.code == code or code in {
        field.code for field in caught.value.fields.values()
    }, caught.value
    assert counts() == before, "a refusal wrote something"
    return caught.value


def lines_of(entry_id: int) -> list[tuple[str, int, int]]:
    return sorted(
        (line.account.number, line.debit_cents, line.credit_cents)
        for line in Line.objects.filter(entry_id=entry_id).select_related("account")
    )


def offer(world, **fields):
    fields.setdefault("commons_slug", world.slug)
    fields.setdefault("kind", "grant_operating")
    fields.setdefault("title", "Subvention sols vivants")
    fields.setdefault("amount_cents", 1_000_000)
    fields.setdefault("agent_id", world.funder.pk)
    return services.financing_offer(user=world.funder_user, **fields)


def vote(world, financing, choice="for") -> Financing:
    financing.refresh_from_db()
    if financing.status == "offered":
        services.financing_put_to_vote(user=world.steward, financing_id=financing.pk)
        financing.refresh_from_db()
    for user in (world.steward, world.approver1, world.approver2, world.contributor, world.other):
        if governance_selectors.proposal_get(proposal_id=financing.proposal_id).status != "open":
            break
        try:
            governance_services.ballot_cast(
                user=user, proposal_id=financing.proposal_id, choice=choice
            )
        except ApplicationError:
            continue  # not in the electorate (the one who opened it)
    financing.refresh_from_db()
    return financing


def grant_with_milestone(world):
    return offer(
        world,
        objective_ids=[world.objective.pk],
        resource_ids=[world.machine.pk],
        tranches=[
            {"amount_cents": 400_000},
            {"amount_cents": 600_000, "objective_id": world.objective.pk, "threshold": "10"},
        ],
    )


def test_grant_offered_accepted_by_vote_disbursed_on_verified_milestone(world):
    financing = grant_with_milestone(world)
    assert financing.status == "offered"  # an outside funder waits for a member
    financing = vote(world, financing)
    assert financing.status == "accepted" and financing.decision_id is not None
    # The first tranche has no milestone: it is ready at once; the second waits.
    assert list(financing.tranches.order_by("number").values_list("status", flat=True)) == [
        "released",
        "pending",
    ]
    first = services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    assert lines_of(first.disbursed_entry_id) == [("512", 400_000, 0), ("741", 0, 400_000)]
    entry = Entry.objects.get(pk=first.disbursed_entry_id)
    assert entry.journal == "FI"
    # Before its milestone is verified: refused, nothing written.
    refused(
        "milestone_not_verified",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=2,
    )
    # A declared measurement does not count; a verified one does (and the reaction releases it).
    verified(world.objective, "12.5", world.contributor, world.approver1)
    services.tranches_release_on_measurement(
        commons_id=world.commons.pk, objective_id=world.objective.pk
    )
    assert Tranche.objects.get(financing=financing, number=2).status == "released"
    second = services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=2)
    financing.refresh_from_db()
    assert financing.disbursed_cents == 1_000_000 and financing.status == "active"
    assert second.status == "disbursed"
    # Above the financing: the same tranche again is refused.
    refused(
        "disbursement_exceeds_financing",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=2,
    )
    board = selectors.dashboard(user=world.funder_user, financing_id=financing.pk)
    assert board["tranches"][1]["verified_total"] == "12.5"
    assert {e["type"] for e in board["earmarks"]} == {"resource", "objective"}
    public = selectors.public_financings(slug=world.slug)
    assert public[0]["disbursed_cents"] == 1_000_000
    assert public[0]["tranches"][0]["disbursed_entry_id"] is None
    csv_text = selectors.dashboard_csv(user=world.funder_user, financing_id=financing.pk)
    assert "tranche;2" in csv_text and "10000,00" in csv_text


def test_refused_vote_refuses_the_offer(world):
    financing = vote(world, offer(world), choice="against")
    assert financing.status == "refused"
    refused(
        "financing_closed",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
    )


def test_accepting_without_a_decision_is_impossible(world):
    financing = offer(world)
    # No route: the generic proposal endpoint refuses the kind, the disbursement waits.
    refused(
        "financing_needs_decision",
        services.tranche_disburse,
        user=world.funder_user,
        financing_id=financing.pk,
        number=1,
    )
    refused(
        "financing_needs_decision",
        services.financing_decide,
        financing_id=financing.pk,
        proposal_id=0,
        passed=True,
        decision_id=None,
    )
    # And the database itself refuses an acceptance without a decision.
    with pytest.raises(IntegrityError), transaction.atomic():
        Financing.objects.filter(pk=financing.pk).update(status="accepted")


def test_offer_refusals_write_nothing(world):
    refused("earmark_other_commons", offer, world=world, objective_ids=[world.other_objective.pk])
    refused(
        "tranches_not_summing",
        offer,
        world=world,
        tranches=[{"amount_cents": 400_000}, {"amount_cents": 500_000}],
    )
    refused("invalid_value", offer, world=world, kind="shares")  # equity is offerable now
    refused("required", offer, world=world, kind="loan")
    refused(
        "required",
        offer,
        world=world,
        tranches=[{"amount_cents": 1_000_000, "objective_id": world.objective.pk}],
    )
    # A person is not a funder organisation.
    with pytest.raises(ApplicationError):
        services.financing_offer(
            user=world.funder_user,
            commons_slug=world.slug,
            kind="grant_operating",
            title="x",
            amount_cents=100,
        )


def test_earmark_to_another_commons_resource_is_refused(world):
    from federage.resources import services as resources_services

    other_resource = resources_services.resource_register(
        user=world.other_steward,
        commons_slug="autre-commun",
        key="pre",
        name="Pré",
        kind="land",
        unit="ha",
    )
    refused("earmark_other_commons", offer, world=world, resource_ids=[other_resource.pk])
    refused(
        "earmark_other_commons",
        offer,
        world=world,
        tranches=[
            {"amount_cents": 1_000_000, "objective_id": world.other_objective.pk, "threshold": "1"}
        ],
    )


def loan(world, **terms):
    fields = {
        "rate_bp": 400,
        "periods": 5,
        "period_months": 12,
        "method": "constant_annuity",
        "grace_periods": 0,
        "first_due": dt.date(2027, 11, 16),
        **terms,
    }
    return vote(world, offer(world, kind="loan", title="Prêt sols", loan=fields))


def test_loan_disbursed_repaid_and_prepaid(world):
    financing = loan(world)
    terms = LoanTerms.objects.get(financing=financing)
    assert terms.account_number == f"1641{financing.pk:02d}"
    rows = list(terms.instalments.order_by("number"))
    assert [r.principal_cents + r.interest_cents for r in rows] == [224_627] * 4 + [224_628]
    refused("financing_closed", services.loan_repay, user=world.steward, financing_id=financing.pk)
    tranche = services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    assert lines_of(tranche.disbursed_entry_id) == sorted(
        [("512", 1_000_000, 0), (terms.account_number, 0, 1_000_000)]
    )
    first = services.loan_repay(user=world.steward, financing_id=financing.pk)
    assert lines_of(first.paid_entry_id) == sorted(
        [(terms.account_number, 184_627, 0), ("661", 40_000, 0), ("512", 0, 224_627)]
    )
    # Only a steward pays.
    refused(
        "permission_denied", services.loan_repay, user=world.funder_user, financing_id=financing.pk
    )
    services.loan_repay(user=world.steward, financing_id=financing.pk, early_amount_cents=300_000)
    terms.refresh_from_db()
    live = terms.instalments.exclude(status="cancelled")
    assert sum(r.principal_cents for r in live) == 1_000_000 == terms.scheduled_principal_cents
    financing.refresh_from_db()
    assert financing.repaid_cents == 484_627
    # Repaying beyond what is pending is refused.
    refused(
        "schedule_not_summing",
        services.loan_repay,
        user=world.steward,
        financing_id=financing.pk,
        early_amount_cents=600_000,
    )
    for _ in range(4):
        services.loan_repay(user=world.steward, financing_id=financing.pk)
    financing.refresh_from_db()
    assert financing.repaid_cents == 1_000_000 and financing.status == "closed"


def test_a_schedule_not_summing_is_refused_by_the_database(world):
    financing = loan(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanTerms.objects.filter(financing=financing).update(scheduled_principal_cents=999_999)


def test_instalments_marked_due(world):
    financing = loan(world, first_due=dt.date(2026, 12, 20))
    services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    with clock.frozen(dt.datetime(2027, 1, 15, 10, 0, tzinfo=dt.UTC)):
        assert services.instalments_mark_due() == 1
        assert services.instalments_mark_due() == 0
    board = selectors.dashboard(user=world.funder_user, financing_id=financing.pk)
    assert board["loan"]["due_cents"] == 224_627


def test_spending_tagged_within_the_earmark(world):
    financing = vote(world, offer(world, amount_cents=100_000, resource_ids=[world.machine.pk]))
    services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    expense = post_pair(world.commons, "entretien", TODAY, "615", "512", 80_000)
    line = Line.objects.get(entry=expense, account__number="615")
    tag = services.earmark_tag(user=world.steward, financing_id=financing.pk, line_id=line.pk)
    assert tag.amount_cents == 80_000
    second = post_pair(world.commons, "reparation", TODAY, "615", "512", 30_000)
    line2 = Line.objects.get(entry=second, account__number="615")
    refused(
        "earmark_exceeded",
        services.earmark_tag,
        user=world.steward,
        financing_id=financing.pk,
        line_id=line2.pk,
    )
    bank = Line.objects.get(entry=second, account__number="512")
    refused(
        "earmark_line_not_expense",
        services.earmark_tag,
        user=world.steward,
        financing_id=financing.pk,
        line_id=bank.pk,
    )
    elsewhere = post_pair(world.other_commons, "ailleurs", TODAY, "615", "512", 1_000)
    far = Line.objects.get(entry=elsewhere, account__number="615")
    refused(
        "earmark_line_not_expense",
        services.earmark_tag,
        user=world.steward,
        financing_id=financing.pk,
        line_id=far.pk,
    )
    services.earmark_tag(
        user=world.steward, financing_id=financing.pk, line_id=line2.pk, amount_cents=20_000
    )
    board = selectors.dashboard(user=world.funder_user, financing_id=financing.pk)
    assert [t["amount_cents"] for t in board["tagged_lines"]] == [80_000, 20_000]
    assert board["earmark_left_cents"] == 0


def test_investment_grant_reprise_follows_depreciation(world):
    financing = vote(
        world,
        offer(
            world, kind="grant_investment", amount_cents=500_000, resource_ids=[world.machine.pk]
        ),
    )
    tranche = services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    assert lines_of(tranche.disbursed_entry_id) == [("131", 0, 500_000), ("512", 500_000, 0)]
    with clock.frozen(dt.datetime(2027, 1, 10, 10, 0, tzinfo=dt.UTC)):
        assert services.reprises_post_due() == 1
        assert services.reprises_post_due() == 0
    reprise = Reprise.objects.get(financing=financing)
    # The machine (5 years from 1 January 2026): a fifth of the grant in 2026, to 747.
    assert reprise.year == 2026 and reprise.amount_cents == 100_000
    assert lines_of(reprise.entry_id) == [("139", 100_000, 0), ("747", 0, 100_000)]


def test_withdraw(world):
    financing = offer(world)
    refused(
        "permission_denied",
        services.financing_withdraw,
        user=world.steward,
        financing_id=financing.pk,
    )
    services.financing_withdraw(user=world.funder_user, financing_id=financing.pk)
    financing.refresh_from_db()
    assert financing.status == "withdrawn"
    refused(
        "financing_closed",
        services.financing_withdraw,
        user=world.funder_user,
        financing_id=financing.pk,
    )
