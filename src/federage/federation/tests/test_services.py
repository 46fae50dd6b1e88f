"""A commons acting in another through its stewards, its holdings, exchanges approved on both
sides and booked at two valuations, borrowed assets; every refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.agents import selectors as agent_selectors
from federage.commons import services as commons_services
from federage.contributions import services as contributions_services
from federage.contributions.tests.scene import vote
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.federation import selectors, services
from federage.federation.models import Borrowing, Exchange, Participation
from federage.federation.tests.scene import (
    execute,
    hold,
    legs,
    make_pair,
    propose,
    stock,
    vote_through,
)
from federage.ledger import selectors as ledger_selectors

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def pair(make_user, make_commons):
    return make_pair(make_user, make_commons)


def balances(commons):
    book = ledger_selectors.book_of(commons_id=commons.pk)
    return ledger_selectors.account_balances(book=book, at=clock.today()).closing()


def entry_count(commons):
    book = ledger_selectors.book_of(commons_id=commons.pk)
    return len(ledger_selectors.entries_of(book=book))


def equity(commons):
    closing = balances(commons)
    book = ledger_selectors.book_of(commons_id=commons.pk)
    types = {account.number: account.type for account in ledger_selectors.accounts_of(book=book)}
    return sum(c for n, c in closing.items() if types[n] == "asset") - sum(
        -c for n, c in closing.items() if types[n] == "liability"
    )


# --- a commons acts through its stewards ----------------------------------------------------


def test_stewards_act_for_their_commons_agent_and_follow_role_changes(pair):
    agent_id = pair.a.commons.agent_id
    assert agent_selectors.agent_for_user(user=pair.a.steward, agent_id=agent_id).pk == agent_id
    with pytest.raises(ApplicationError):
        agent_selectors.agent_for_user(user=pair.a.other, agent_id=agent_id)
    membership = next(
        m
        for m in pair.a.commons.memberships.all()
        if m.agent_id == agent_selectors.self_agent(user=pair.a.other).pk
    )
    commons_services.membership_set_roles(
        user=pair.a.steward,
        slug=pair.a.slug,
        membership_id=membership.pk,
        roles=["contributor", "steward"],
    )
    assert agent_selectors.agent_for_user(user=pair.a.other, agent_id=agent_id).pk == agent_id
    commons_services.membership_set_roles(
        user=pair.a.steward, slug=pair.a.slug, membership_id=membership.pk, roles=["contributor"]
    )
    with pytest.raises(ApplicationError):
        agent_selectors.agent_for_user(user=pair.a.other, agent_id=agent_id)


def _join(host_scene, member_scene):
    _, link = commons_services.invitation_create(
        user=host_scene.steward,
        slug=host_scene.slug,
        email="",
        roles=["contributor"],
        anyone_with_link=True,
    )
    return commons_services.invitation_accept(
        user=member_scene.steward,
        token=link.rsplit("/", 1)[1],
        agent_id=member_scene.commons.agent_id,
    )


def test_a_commons_joins_contributes_and_books_261_then_impairs(pair):
    _join(pair.b, pair.a)
    contribution = contributions_services.contribution_create(
        user=pair.a.steward,
        commons_slug=pair.b.slug,
        agent_id=pair.a.commons.agent_id,
        kind="labour",
        title="Journées d'atelier",
        proposed_price_cents=120_000,
    )
    contribution = contributions_services.contribution_submit(
        user=pair.a.steward, contribution_id=contribution.pk
    )
    vote(pair.b, contribution)
    contribution.refresh_from_db()
    assert contribution.state == "accepted"
    assert services.participations_sync() == 1
    assert services.participations_sync() == 0  # idempotent
    closing = balances(pair.a.commons)
    assert closing["261"] == 120_000 and closing["1014"] == -120_000
    participation = Participation.objects.get()
    assert participation.cost_cents == 120_000
    # The host loses value: its NAV of the units falls below cost, provided in 2961.
    from federage.testing import post_pair

    post_pair(pair.b.commons, "perte", clock.today(), "606", "208", 60_000)
    services.participation_revalue(participation_id=participation.pk)
    participation.refresh_from_db()
    assert participation.fair_value_cents == 60_000
    assert participation.impairment_cents == 60_000
    assert balances(pair.a.commons)["2961"] == -60_000
    assert selectors.participations_of(commons_id=pair.a.commons.pk)[0]["carrying_cents"] == 60_000


def test_a_commons_cannot_join_itself(pair):
    before = entry_count(pair.a.commons)
    with pytest.raises(ApplicationError) as refusal:
        _join(pair.a, pair.a)
    assert refusal.value.code == "commons_joins_itself"
    assert entry_count(pair.a.commons) == before
    assert not pair.a.commons.memberships.filter(agent_id=pair.a.commons.agent_id).exists()


def test_a_circular_holding_is_refused(pair):
    _join(pair.b, pair.a)  # A is a member of B
    with pytest.raises(ApplicationError) as refusal:
        _join(pair.a, pair.b)  # B joining A would close the loop
    assert refusal.value.code == "circular_holding"
    assert not pair.a.commons.memberships.filter(agent_id=pair.b.commons.agent_id).exists()


def test_a_commons_cannot_join_its_own_subcommons(pair, make_commons):
    child = make_commons(pair.a.steward, slug="atelier-enfant", parent_slug=pair.a.slug)
    _, link = commons_services.invitation_create(
        user=pair.a.steward,
        slug=child.slug,
        email="",
        roles=["contributor"],
        anyone_with_link=True,
    )
    with pytest.raises(ApplicationError) as refusal:
        commons_services.invitation_accept(
            user=pair.a.steward, token=link.rsplit("/", 1)[1], agent_id=pair.a.commons.agent_id
        )
    assert refusal.value.code == "commons_joins_own_subcommons"


# --- exchanges --------------------------------------------------------------------------------


def test_an_exchange_approved_on_both_sides_posts_in_both_books(pair):
    stock(pair.a, 100_000)
    equity_a, equity_b = equity(pair.a.commons), equity(pair.b.commons)
    exchange = propose(pair)
    vote_through(pair.a, exchange.proposal_a_id)
    exchange.refresh_from_db()
    assert exchange.decision_a_id and exchange.state == "proposed"
    exchange = services.exchange_submit(user=pair.b.steward, exchange_id=exchange.pk)
    vote_through(pair.b, exchange.proposal_b_id)
    exchange.refresh_from_db()
    assert exchange.state == "executed"
    a, b = balances(pair.a.commons), balances(pair.b.commons)
    # A: receives workshop hours it values 800 €, gives fibre booked 600 € → +200 € of
    # valuation difference; the hours are used at once (no `consumed_on`): a hire, 613.
    assert a["613"] == 80_000 and a["757"] == -80_000 and a["657"] == 60_000
    assert a["311"] == 40_000 and a.get("486", 0) == 0
    # B: receives fibre it values 600 €, gives hours (a service, nothing in its books) → +600 €.
    assert b["311"] == 60_000 and b["706"] == -60_000
    # Equity moves by the valuation difference less what was consumed at once (800 €).
    assert equity(pair.a.commons) - equity_a == 20_000 - 80_000
    assert equity(pair.b.commons) - equity_b == 60_000
    view = selectors.exchange_row(exchange_id=exchange.pk)
    assert view["entry_a_id"] == exchange.entry_a_id and view["decision_b_id"]


def test_hours_used_later_wait_in_486_and_the_sweep_expenses_them_on_their_day_once(pair):
    from federage.federation import tasks
    from federage.federation.models import ExchangeLeg

    stock(pair.a, 100_000)
    equity_a = equity(pair.a.commons)
    day = dt.date(2026, 9, 30)
    exchange = execute(pair, legs=legs(consumed_on=day.isoformat()))
    assert exchange.state == "executed"
    a = balances(pair.a.commons)
    assert a["486"] == 80_000 and a.get("613", 0) == 0
    assert equity(pair.a.commons) - equity_a == 20_000  # nothing consumed yet
    assert services.exchange_uses_consume_due() == 0  # not its day yet
    with clock.frozen(dt.datetime(2026, 10, 2, 8, 0, tzinfo=dt.UTC)):
        before = entry_count(pair.a.commons), entry_count(pair.b.commons)
        assert tasks.sweep()["prepaid_uses_expensed"] == 1
        assert tasks.sweep()["prepaid_uses_expensed"] == 0
        assert (
            services.exchange_use_consume(
                leg_id=ExchangeLeg.objects.get(exchange=exchange, kind="use").pk
            )
            is None
        )
        assert (entry_count(pair.a.commons), entry_count(pair.b.commons)) == (
            before[0] + 1,
            before[1],
        )
        a = balances(pair.a.commons)
        assert a.get("486", 0) == 0 and a["613"] == 80_000
        assert equity(pair.a.commons) - equity_a == 20_000 - 80_000
    leg = ExchangeLeg.objects.get(exchange=exchange, kind="use")
    book = ledger_selectors.book_of(commons_id=pair.a.commons.pk)
    entry = next(
        e for e in ledger_selectors.entries_of(book=book) if e.pk == leg.consumption_entry_id
    )
    assert entry.entry_date == day and entry.journal == "OD"
    assert sum(line.debit_cents for line in entry.lines.all()) == sum(
        line.credit_cents for line in entry.lines.all()
    )
    view = selectors.exchange_row(exchange_id=exchange.pk)
    assert view["legs"][1]["consumed_on"] == day
    assert view["legs"][1]["consumption_entry_id"] == entry.pk


def test_a_consumption_day_on_a_resource_is_refused(pair):
    rows = legs()
    rows[0]["consumed_on"] = "2026-09-30"
    with pytest.raises(ApplicationError) as refusal:
        propose(pair, legs=rows)
    assert refusal.value.code == "invalid_value"
    assert set(refusal.value.fields) == {"legs.0.consumed_on"}


def test_an_exchange_approved_on_one_side_only_moves_nothing(pair):
    stock(pair.a, 100_000)
    exchange = propose(pair)
    vote_through(pair.a, exchange.proposal_a_id)
    before = entry_count(pair.a.commons), entry_count(pair.b.commons)
    with pytest.raises(ApplicationError) as refusal:
        services.exchange_execute(user=pair.a.steward, exchange_id=exchange.pk)
    assert refusal.value.code == "exchange_not_approved"
    assert (entry_count(pair.a.commons), entry_count(pair.b.commons)) == before
    assert Exchange.objects.get().state == "proposed"


def test_amounts_contradicting_the_terms_write_nothing(pair):
    bad = legs()
    bad.append(
        {"giver": "a", "kind": "cash", "label": "Soulte", "value_a_cents": 100, "value_b_cents": 90}
    )
    with pytest.raises(ApplicationError) as refusal:
        propose(pair, legs=bad)
    assert refusal.value.code == "exchange_terms_mismatch"
    assert not Exchange.objects.exists()


def test_a_refused_side_ends_the_exchange(pair):
    stock(pair.a, 100_000)
    exchange = propose(pair)
    vote_through(pair.a, exchange.proposal_a_id, choice="against")
    assert Exchange.objects.get().state == "refused"


def test_giving_more_than_the_books_hold_is_refused(pair):
    stock(pair.a, 10_000)
    exchange = propose(pair)
    vote_through(pair.a, exchange.proposal_a_id)
    services.exchange_submit(user=pair.b.steward, exchange_id=exchange.pk)
    exchange.refresh_from_db()
    vote_through(pair.b, exchange.proposal_b_id)
    exchange.refresh_from_db()
    assert exchange.state == "approving" and exchange.entry_a_id is None
    assert balances(pair.a.commons)["311"] == 10_000


# --- borrowed assets --------------------------------------------------------------------------


def test_carbon_credits_borrowed_are_booked_both_sides_and_returned_with_the_fee(pair):
    stock(pair.a, 50_000)
    borrowing = services.borrowing_propose(
        user=pair.b.steward,
        borrower_slug=pair.b.slug,
        lender_slug=pair.a.slug,
        kind="fungible",
        label="Crédits carbone",
        quantity=Decimal("20"),
        unit="tCO2e",
        lender_account="311",
        borrower_account="311",
        lender_book_cents=50_000,
        borrower_value_cents=70_000,
        fee_cents=5_000,
        return_on=dt.date(2026, 9, 30),
        indicator_code="ghg_avoided",
    )
    services.borrowing_accept(user=pair.a.steward, borrowing_id=borrowing.pk)
    assert balances(pair.a.commons)["2748"] == 50_000
    assert balances(pair.b.commons)["1678"] == -70_000
    counted = selectors.borrowed_toward(commons_id=pair.b.commons.pk, indicator_code="ghg_avoided")
    assert counted[0]["quantity"] == Decimal("20")
    assert services.borrowings_return_due() == 0
    with clock.frozen(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)):
        assert services.borrowings_return_due() == 1
        a, b = balances(pair.a.commons), balances(pair.b.commons)
    assert a["2748"] == 0 and a["311"] == 50_000 and a["768"] == -5_000
    assert b["1678"] == 0 and b["661"] == 5_000
    assert Borrowing.objects.get().state == "returned"


# --- the charter's valuation method -----------------------------------------------------------


def _holding_of_b_by_a(pair) -> Participation:
    """A joins B and brings 1 200 € of labour: it holds every unit of B, at cost 1 200 €."""
    return hold(pair, 120_000)


def test_cost_with_impairment_never_carries_a_holding_above_cost(pair):
    from federage.testing import post_pair

    participation = _holding_of_b_by_a(pair)
    post_pair(pair.b.commons, "gain", clock.today(), "512", "758", 30_000)
    before = entry_count(pair.a.commons)
    services.participation_revalue(participation_id=participation.pk)
    participation.refresh_from_db()
    assert participation.method == "cost_impairment"
    assert participation.fair_value_cents == 150_000
    assert (participation.impairment_cents, participation.revaluation_cents) == (0, 0)
    assert entry_count(pair.a.commons) == before
    row = selectors.participations_of(commons_id=pair.a.commons.pk)[0]
    assert row["method"] == "cost_impairment" and row["carrying_cents"] == 120_000


def test_fair_value_carries_the_holding_at_the_hosts_nav_the_gap_in_equity(pair):
    from federage.governance.tests.conftest import set_rules
    from federage.testing import post_pair

    set_rules(pair.a.commons, participations__valuation="fair_value")
    participation = _holding_of_b_by_a(pair)
    post_pair(pair.b.commons, "gain", clock.today(), "512", "758", 30_000)
    services.participation_revalue(participation_id=participation.pk)
    participation.refresh_from_db()
    assert participation.method == "fair_value"
    assert (participation.impairment_cents, participation.revaluation_cents) == (0, 30_000)
    closing = balances(pair.a.commons)
    # Up: 261 at the NAV, the gap in equity (1052), nothing in the result.
    assert closing["261"] == 150_000 and closing["1052"] == -30_000
    assert not any(closing.get(number) for number in ("6866", "7866", "2961"))
    row = selectors.participations_of(commons_id=pair.a.commons.pk)[0]
    assert row["carrying_cents"] == 150_000 and row["revaluation_cents"] == 30_000
    # Down below cost in the same instant: the gap goes back first, the rest is impaired.
    post_pair(pair.b.commons, "perte", clock.today(), "606", "512", 60_000)
    services.participation_revalue(participation_id=participation.pk)
    participation.refresh_from_db()
    assert participation.fair_value_cents == 90_000
    assert (participation.impairment_cents, participation.revaluation_cents) == (30_000, 0)
    closing = balances(pair.a.commons)
    assert closing["261"] == 120_000 and closing["1052"] == 0
    assert closing["2961"] == -30_000 and closing["6866"] == 30_000
    assert selectors.participations_of(commons_id=pair.a.commons.pk)[0]["carrying_cents"] == (
        90_000
    )


def test_a_refused_valuation_method_is_named():
    from federage.governance import domain as governance_domain

    charter = {**governance_domain.default_parameters(), "participations.valuation": "market"}
    with pytest.raises(ApplicationError) as refusal:
        governance_domain.validate_parameters(charter)
    assert set(refusal.value.fields) == {"parameters.participations.valuation"}
    assert governance_domain.default_parameters()["participations.valuation"] == "cost_impairment"
