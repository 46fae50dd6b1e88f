"""Resources through the services: the register, uses and their levy, dues, jobs, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.agents import services as agent_services
from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger import receivables
from federage.ledger.models import Due, DuePayment, Entry, Line
from federage.resources import selectors, services
from federage.resources.models import Depreciation, RecurringUsage, Resource, Usage
from federage.resources.tests.conftest import NOW, amend
from federage.titles import services as titles_services

pytestmark = pytest.mark.django_db

TODAY = NOW.date()


def lines_of(entry_id: int) -> list[tuple[str, int, int]]:
    return sorted(
        (line.account.number, line.debit_cents, line.credit_cents)
        for line in Line.objects.filter(entry_id=entry_id).select_related("account")
    )


def counts() -> tuple[int, ...]:
    return (
        Usage.objects.count(),
        Entry.objects.count(),
        Due.objects.count(),
        DuePayment.objects.count(),
        Resource.objects.count(),
        RecurringUsage.objects.count(),
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


def declare(world, user=None, **fields):
    fields.setdefault("commons_slug", world.slug)
    if "resource_id" not in fields:
        fields["resource_id"] = world.machine.pk
    fields.setdefault("quantity", "10")
    fields.setdefault("period_start", TODAY - dt.timedelta(days=3))
    fields.setdefault("period_end", TODAY)
    return services.usage_declare(user=user or world.contributor, **fields)


def test_register_values_the_resource_from_its_contributions(world):
    row = selectors.resource_row(resource_id=world.machine.pk)
    assert (row["value_cents"], row["net_value_cents"], row["account_code"]) == (
        1_200_000,
        1_200_000,
        "2154",
    )
    assert row["levy"] == {"rate_bp": 0, "per_unit_cents": 0, "line": "default"}
    # Labour enriches it too; a cash contribution cannot form a resource.
    labour = accept(
        world.scene, kind="labour", title="Réglage", proposed_price_cents=30_000, user=world.other
    )
    services.resource_link_contribution(
        user=world.steward,
        commons_slug=world.slug,
        resource_id=world.machine.pk,
        contribution_id=labour.pk,
    )
    assert selectors.resource_row(resource_id=world.machine.pk)["value_cents"] == 1_230_000
    cash = accept(world.scene, proposed_price_cents=10_000)
    refused(
        "contribution_not_linkable",
        services.resource_link_contribution,
        user=world.steward,
        commons_slug=world.slug,
        resource_id=world.machine.pk,
        contribution_id=cash.pk,
    )
    refused(
        "contribution_already_linked",
        services.resource_link_contribution,
        user=world.steward,
        commons_slug=world.slug,
        resource_id=world.machine.pk,
        contribution_id=labour.pk,
    )
    refused(
        "permission_denied",
        services.resource_register,
        user=world.contributor,
        commons_slug=world.slug,
        key="autre",
        name="Autre",
        kind="equipment",
        unit="hour",
    )
    refused(
        "resource_key_taken",
        services.resource_register,
        user=world.steward,
        commons_slug=world.slug,
        key="metier",
        name="Doublon",
        kind="equipment",
        unit="hour",
    )
    refused(
        "not_depreciable",
        services.resource_register,
        user=world.steward,
        commons_slug=world.slug,
        key="champ",
        name="Champ",
        kind="land",
        unit="ha",
        depreciation_years=10,
    )
    refused(
        "invalid_value",
        services.resource_register,
        user=world.steward,
        commons_slug=world.slug,
        key="x",
        name="Compte 28",
        kind="equipment",
        unit="hour",
        account_code="28154",
    )


def test_a_commercial_use_charges_the_charter_levy_and_opens_a_due(world):
    amend(world.scene, {"levy.metier.rate_bp": 250, "levy.metier.per_unit_cents": 15})
    version = governance_selectors.charter_current(commons_id=world.commons.pk)
    usage = declare(
        world,
        user=world.company_user,
        agent_id=world.company.pk,
        quantity="12.5",
        commercial=True,
        sale_amount_cents=100_010,
        unit="hour",
    )
    # 2.5 % of 1 000.10 € = 25.0025 € -> 25.00 €; 12.5 h × 0.15 € = 1.875 € -> 1.88 €.
    assert usage.levy_cents == 2500 + 188
    assert (usage.levy_line, usage.charter_version_id) == ("resource", version.pk)
    assert lines_of(usage.entry_id) == [("411", 2688, 0), ("706", 0, 2688)]
    due = Due.objects.get(pk=usage.due_id)
    assert (due.kind, due.agent_id, due.amount_cents, due.paid_cents) == (
        "levy",
        world.company.pk,
        2688,
        0,
    )
    assert receivables.due_status(due) == "due"
    assert due.due_on == TODAY + dt.timedelta(days=30)


def test_a_levy_to_reserves_raises_net_assets_and_value_per_title_by_exactly_it(world):
    amend(
        world.scene,
        {
            "levy.metier.per_unit_cents": 1000,
            "levies.destination": "reserves",
            "levies.reserve_account": "1063",
        },
    )
    before = titles_services.nav_now(commons_id=world.commons.pk)
    usage = declare(world, quantity="7")
    after = titles_services.nav_now(commons_id=world.commons.pk)
    assert usage.levy_cents == 7000 and usage.levy_destination == "reserves"
    assert lines_of(usage.entry_id) == [("1063", 0, 7000), ("411", 7000, 0)]
    assert after.net_assets_cents - before.net_assets_cents == 7000
    outstanding = Decimal(before.outstanding_ticks).scaleb(-4)
    # Value per title: net assets over the same units, up by exactly levy / units.
    assert after.outstanding_ticks == before.outstanding_ticks
    assert after.cents_per_unit() - before.cents_per_unit() == pytest.approx(
        Decimal(7000) / outstanding, abs=Decimal("0.000001")
    )
    assert Entry.objects.filter(pk=usage.entry_id, lines__account__number="706").count() == 0


def test_dues_partial_and_full_payments_and_overpayment(world):
    amend(world.scene, {"levy.metier.per_unit_cents": 100})
    usage = declare(world, quantity="50")  # 50.00 €
    pay = dict(user=world.steward, commons_slug=world.slug, due_id=usage.due_id, paid_on=TODAY)
    services.due_pay(amount_cents=2000, **pay)
    due = Due.objects.get(pk=usage.due_id)
    assert (due.paid_cents, receivables.due_status(due)) == (2000, "due")
    refused("overpayment", services.due_pay, amount_cents=3001, **pay)
    refused("amount_not_positive", services.due_pay, amount_cents=0, **pay)
    refused(
        "permission_denied",
        services.due_pay,
        **{**pay, "user": world.contributor, "amount_cents": 100},
    )
    payment = services.due_pay(amount_cents=3000, **pay)
    assert lines_of(payment.entry_id) == [("411", 0, 3000), ("512", 3000, 0)]
    due.refresh_from_db()
    assert receivables.due_status(due) == "paid" and due.paid_at is not None
    refused("overpayment", services.due_pay, amount_cents=1, **pay)
    # The debtor sees their own due; the steward sees all, overdue listed after the term.
    [mine] = selectors.dues_of(commons=world.commons, reader=world.contributor)
    assert (mine["paid_cents"], mine["outstanding_cents"], len(mine["payments"])) == (5000, 0, 2)
    assert selectors.dues_of(commons=world.commons, reader=world.other) == []
    late = declare(world, quantity="1")
    with clock.frozen(NOW + dt.timedelta(days=40)):
        overdue = selectors.dues_of(commons=world.commons, reader=world.steward, status="overdue")
        assert [row["id"] for row in overdue] == [late.due_id]
        assert selectors.stats(commons=world.commons)["levies"] == {
            "due_cents": 5100,
            "collected_cents": 5000,
            "outstanding_cents": 100,
            "overdue_cents": 100,
        }


def test_a_transfer_tax_becomes_a_due_and_is_paid(world):
    accept(world.scene, proposed_price_cents=100_000)  # the contributor holds titles
    transfer = titles_services.transfer_propose(
        user=world.contributor,
        commons_slug=world.slug,
        buyer_agent_id=agent_of(world.other),
        units=Decimal("30"),
        unit_price_cents=1250,
    )
    transfer = titles_services.transfer_accept(user=world.other, transfer_id=transfer.pk)
    due = Due.objects.get(source_type="transfer", source_id=str(transfer.pk))
    assert (due.kind, due.agent_id, due.amount_cents, due.entry_id) == (
        "transfer_tax",
        agent_of(world.other),
        375,
        transfer.entry_id,
    )
    [row] = selectors.dues_of(commons=world.commons, reader=world.other)
    assert (row["transfer_id"], row["usage_id"]) == (transfer.pk, None)
    services.due_pay(
        user=world.steward, commons_slug=world.slug, due_id=due.pk, amount_cents=375, paid_on=TODAY
    )
    due.refresh_from_db()
    assert receivables.due_status(due) == "paid"


def test_recurring_uses_are_generated_once_per_month_even_when_the_job_runs_twice(world):
    amend(world.scene, {"levy.metier.per_unit_cents": 200})
    with clock.frozen(dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)):
        first = declare(
            world,
            quantity="20",
            period_start=dt.date(2026, 9, 10),
            period_end=None,
            recurring=True,
        )
    assert (first.period_start, first.period_end) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    # November 16: October and November are due; run twice, they are declared once.
    assert services.recurring_usages_generate() == 2
    assert services.recurring_usages_generate() == 0
    months = sorted(
        Usage.objects.filter(recurring=first.recurring).values_list("period_start", flat=True)
    )
    assert months == [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    assert Due.objects.filter(kind="levy").count() == 3
    assert {u.levy_cents for u in Usage.objects.all()} == {4000}
    # The database holds the rule too.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Usage.objects.create(
            commons=world.commons,
            resource=world.machine,
            agent_id=first.agent_id,
            quantity=Decimal("1"),
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            recurring=first.recurring,
            created_at=NOW,
        )


def test_depreciation_is_posted_once_a_year_by_the_job(world):
    # In service 1 January 2026 for 5 years: 12 000 € / 5 = 2 400 € for 2026, on 31 December.
    assert services.depreciations_post_due() == 0  # 2026 has not ended
    with clock.frozen(dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)):
        assert services.depreciations_post_due() == 1
        assert services.depreciations_post_due() == 0
    [charge] = Depreciation.objects.all()
    assert (charge.year, charge.amount_cents) == (2026, 240_000)
    assert lines_of(charge.entry_id) == [("28154", 0, 240_000), ("6811", 240_000, 0)]
    row = selectors.resource_row(resource_id=world.machine.pk)
    assert (row["accumulated_depreciation_cents"], row["net_value_cents"]) == (240_000, 960_000)


def test_bad_uses_are_refused_with_nothing_written(world, make_user, make_commons):
    amend(world.scene, {"levy.metier.per_unit_cents": 100})
    elsewhere = build(make_user, make_commons, slug="fonds-sols")
    field = services.resource_register(
        user=elsewhere.steward,
        commons_slug=elsewhere.slug,
        key="parcelle",
        name="Parcelle",
        kind="land",
        unit="ha",
    )
    refused("resource_other_commons", declare, world=world, resource_id=field.pk)
    refused("wrong_unit", declare, world=world, unit="kg")
    for quantity in ("-1", "0", "0.0001", "1000000000.001", "NaN", "1e400", "abc", True):
        refused("quantity_out_of_range", declare, world=world, quantity=quantity)
    refused("invalid_period", declare, world=world, period_end=TODAY - dt.timedelta(days=30))
    refused("sale_amount_required", declare, world=world, commercial=True)
    refused("amount_too_large", declare, world=world, commercial=True, sale_amount_cents=10**14)
    # A user who is not a member may act for their own person, not for an organisation
    # without a SIREN.
    outsider = make_user()
    club = agent_services.agent_create(user=outsider, kind="association", display_name="Club")
    refused("agent_not_registered", declare, world=world, user=outsider, agent_id=club.pk)
    assert declare(world, user=outsider).agent_id == agent_of(outsider)
    services.resource_retire(
        user=elsewhere.steward, commons_slug=elsewhere.slug, resource_id=field.pk
    )
    refused(
        "resource_retired",
        declare,
        world=elsewhere,
        user=elsewhere.contributor,
        resource_id=field.pk,
        unit="ha",
    )


def test_a_levy_line_on_another_commons_resource_is_refused(world, make_user, make_commons):
    elsewhere = build(make_user, make_commons, slug="fonds-sols")
    services.resource_register(
        user=elsewhere.steward,
        commons_slug=elsewhere.slug,
        key="parcelle",
        name="Parcelle",
        kind="land",
        unit="ha",
    )
    with pytest.raises(ApplicationError) as caught:
        governance_services.proposal_open(
            user=world.steward,
            commons_id=world.commons.pk,
            kind="amend_charter",
            title="Ligne d'un autre commun",
            payload={"changes": {"levy.parcelle.per_unit_cents": 500}},
        )
    assert caught.value.fields["payload.changes.levy.parcelle.per_unit_cents"].code == (
        "levy_line_other_commons"
    )
    assert not governance_selectors.proposals_of(commons_id=world.commons.pk).filter(
        kind="amend_charter"
    )
    # Its own key, or a key nobody has yet, is fine.
    amend(world.scene, {"levy.metier.rate_bp": 100, "levy.futur.rate_bp": 100})
