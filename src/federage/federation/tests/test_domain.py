"""Pure rules: an exchange posts balanced entries on both sides, each side's equity moving by its
own valuation difference less what it consumes at once (property test over valuations and
consumption days), a use consumed later waiting in 486 until its day, holdings' impairment,
loops."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federage.core.errors import ApplicationError
from federage.federation import domain
from federage.federation.domain import Leg

TYPES = {number: type for number, (_, type) in domain.ACCOUNTS.items()} | {
    "311": "asset",
    "2154": "asset",
    "261": "asset",
    "512": "asset",
    "706": "income",
    "6132": "expense",
}
YEAR = dt.date(2026, 1, 1)
EXECUTED = dt.date(2026, 6, 15)

cents = st.integers(min_value=1, max_value=10**9)


def _equity(lines):
    """Net assets change of the lines: assets up minus liabilities up (equity = the rest)."""
    total = 0
    for number, debit, credit in lines:
        type = TYPES[number]
        if type == "asset":
            total += debit - credit
        elif type == "liability":
            total -= credit - debit
    return total


@given(
    book=st.integers(min_value=0, max_value=10**9),
    a_gives_a=cents,
    a_gives_b=cents,
    b_gives_a=cents,
    b_gives_b=cents,
    cash=st.integers(min_value=0, max_value=10**6),
    financial=st.booleans(),
    kind=st.sampled_from([domain.USE, domain.SERVICE]),
    consumed_in=st.one_of(st.none(), st.integers(min_value=-30, max_value=400)),
    own_account=st.booleans(),
)
def test_both_books_balance_and_equity_moves_by_own_difference(
    book,
    a_gives_a,
    a_gives_b,
    b_gives_a,
    b_gives_b,
    cash,
    financial,
    kind,
    consumed_in,
    own_account,
):
    """At execution each side's equity moves by its valuation difference less its value of the
    uses it consumed at once (an expense, 613/604/its own 6xx); a use consumed later sits in 486
    and its release on `consumed_on` takes that value out of equity then: in the end the
    receiver's equity has moved by its valuation difference less all it received for use."""
    consumed_on = None if consumed_in is None else EXECUTED + dt.timedelta(days=consumed_in)
    legs = [
        Leg(
            "a",
            domain.FINANCIAL if financial else domain.RESOURCE,
            "Fibres",
            a_gives_a,
            a_gives_b,
            book,
            "261" if financial else "311",
            "311",
        ),
        Leg(
            "b",
            kind,
            "Capacité de l'atelier",
            b_gives_a + cash,
            b_gives_b,
            receiver_account="6132" if own_account else "",
            consumed_on=consumed_on,
        ),
    ]
    if cash:
        legs.append(Leg("a", domain.CASH, "Soulte", cash, cash))
    legs = domain.clean_legs(legs)
    use = legs[1]
    later = consumed_on is not None and consumed_on > EXECUTED
    for side in ("a", "b"):
        lines = domain.posting_lines(side, legs, YEAR, EXECUTED)
        assert sum(d for _, d, _ in lines) == sum(c for _, _, c in lines)
        assert all((d > 0) != (c > 0) for _, d, c in lines)
        consumed = domain.consumed_at_execution(side, legs, EXECUTED)
        assert consumed == (0 if side == "b" or later else b_gives_a + cash)
        assert _equity(lines) == domain.equity_change(side, legs) - consumed
    received = dict((n, d) for n, d, _ in domain.posting_lines("a", legs, YEAR, EXECUTED) if d)
    expense = "6132" if own_account else (domain.USE_EXPENSE if kind == domain.USE else "604")
    assert received.get("486" if later else expense) == b_gives_a + cash
    assert (domain.PREPAID in received) == later
    # Released on its day: D expense / C 486, balanced, taking exactly its value out of equity.
    release = domain.consumption_lines("a", use)
    assert release == [(expense, b_gives_a + cash, 0), ("486", 0, b_gives_a + cash)]
    if later:
        after = domain.posting_lines("a", legs, YEAR, EXECUTED) + release
        assert _equity(after) == domain.equity_change("a", legs) - (b_gives_a + cash)


def test_the_anchor_example_gives_plus_fifty_and_minus_ten():
    # A gives X (book 100), values Y at 150; B gives Y (book 130), values X at 120.
    legs = [
        Leg("a", domain.RESOURCE, "X", 100, 120, 100, "311", "311"),
        Leg("b", domain.RESOURCE, "Y", 150, 130, 130, "2154", "2154"),
    ]
    a = domain.posting_lines("a", legs, YEAR)
    b = domain.posting_lines("b", legs, YEAR)
    assert sorted(a) == sorted(
        [("2154", 150, 0), ("657", 100, 0), ("757", 0, 150), ("311", 0, 100)]
    )
    assert sorted(b) == sorted(
        [("311", 120, 0), ("657", 130, 0), ("757", 0, 120), ("2154", 0, 130)]
    )
    assert domain.equity_change("a", legs) == 50
    assert domain.equity_change("b", legs) == -10


def test_a_use_consumed_at_once_is_an_expense_and_later_waits_in_486():
    hours = Leg("b", domain.USE, "Heures machines", 800, 600)
    fibre = Leg("a", domain.RESOURCE, "Fibres", 500, 600, 500, "311", "311")
    at_once = domain.clean_legs([fibre, hours])
    assert at_once[1].receiver_account == "613"
    a = domain.posting_lines("a", at_once, YEAR, EXECUTED)
    assert sorted(a) == sorted([("613", 800, 0), ("657", 500, 0), ("757", 0, 800), ("311", 0, 500)])
    # The same, consumed on the execution day: still at once.
    same_day = domain.clean_legs([fibre, replace(hours, consumed_on=EXECUTED)])
    assert domain.posting_lines("a", same_day, YEAR, EXECUTED) == a
    # A service consumed by year end: 486 at execution, then 604 on its day.
    later = domain.clean_legs(
        [fibre, replace(hours, kind=domain.SERVICE, consumed_on=dt.date(2026, 12, 31))]
    )
    assert later[1].receiver_account == "604"
    a = domain.posting_lines("a", later, YEAR, EXECUTED)
    assert ("486", 800, 0) in a and not any(
        number.startswith("6") and d for number, d, _ in a if number != "657"
    )
    assert domain.consumption_lines("a", later[1]) == [("604", 800, 0), ("486", 0, 800)]
    # The giver's book does not depend on when the receiver consumes.
    assert domain.posting_lines("b", later, YEAR, EXECUTED) == domain.posting_lines(
        "b", at_once, YEAR, EXECUTED
    )


@pytest.mark.parametrize(
    "leg",
    [
        Leg("b", domain.RESOURCE, "Y", 150, 130, 130, "2154", "2154", consumed_on=EXECUTED),
        Leg("b", domain.USE, "Heures", 150, 130, receiver_account="486"),
    ],
)
def test_a_consumption_day_only_for_uses_and_486_never_their_end(leg):
    with pytest.raises(ApplicationError) as refusal:
        domain.clean_legs([Leg("a", domain.RESOURCE, "X", 100, 120, 100, "311", "311"), leg])
    assert refusal.value.code == "invalid_value"


def test_terms_hash_of_a_leg_without_consumption_day_is_unchanged():
    # Exchanges approved before `consumed_on` existed keep the hash their decisions approved.
    legs = [Leg("a", domain.SERVICE, "Cours", 100, 100), Leg("b", domain.CASH, "Prix", 100, 100)]
    old = [
        {**{k: v for k, v in asdict(leg).items() if k != "consumed_on"}, "quantity": "1.0000"}
        for leg in legs
    ]
    content = json.dumps({"terms": "t", "legs": old}, sort_keys=True).encode()
    assert domain.terms_hash("t", legs) == hashlib.sha256(content).hexdigest()
    dated = [replace(legs[0], consumed_on=EXECUTED), legs[1]]
    assert domain.terms_hash("t", dated) != domain.terms_hash("t", legs)


def test_years_before_2025_use_775_and_675():
    legs = [
        Leg("a", domain.RESOURCE, "X", 100, 120, 100, "311", "311"),
        Leg("b", domain.RESOURCE, "Y", 150, 130, 130, "2154", "2154"),
    ]
    numbers = {number for number, _, _ in domain.posting_lines("a", legs, dt.date(2024, 1, 1))}
    assert {"775", "675"} <= numbers


@pytest.mark.parametrize(
    "legs",
    [
        # Cash valued differently by the two sides contradicts the terms.
        [Leg("a", domain.CASH, "Soulte", 100, 90), Leg("b", domain.SERVICE, "Cours", 100, 100)],
        # Buying for cash is at cost: the value received must equal the cash given.
        [Leg("a", domain.CASH, "Prix", 100, 100), Leg("b", domain.SERVICE, "Cours", 150, 100)],
    ],
)
def test_amounts_contradicting_the_terms_are_refused(legs):
    with pytest.raises(ApplicationError) as refusal:
        domain.clean_legs(legs)
    assert refusal.value.code == "exchange_terms_mismatch"


def test_an_exchange_moves_something_each_way():
    with pytest.raises(ApplicationError) as refusal:
        domain.clean_legs([Leg("a", domain.SERVICE, "Cours", 100, 100)])
    assert refusal.value.code == "exchange_one_sided"


def test_impairment_follows_nav_below_cost_only():
    assert domain.impairment_lines(cost=1000, impairment=0, fair_value=800) == (
        200,
        [("6866", 200, 0), ("2961", 0, 200)],
    )
    assert domain.impairment_lines(cost=1000, impairment=200, fair_value=1500) == (
        0,
        [("2961", 200, 0), ("7866", 0, 200)],
    )
    assert domain.impairment_lines(cost=1000, impairment=0, fair_value=1500) == (0, [])


def test_loops_and_subcommons():
    assert domain.holding_cycle([(2, 1)], member=1, host=2)
    assert domain.holding_cycle([(2, 3), (3, 1)], member=1, host=2)
    assert not domain.holding_cycle([(3, 1)], member=1, host=2)
    assert domain.descendants({1: None, 2: 1, 3: 2, 4: None}, 1) == {2, 3}


def test_fungible_loan_swaps_asset_for_receivable():
    lender, borrower = domain.borrowing_lines(
        domain.FUNGIBLE,
        lender_account="311",
        borrower_account="311",
        lender_book=500,
        borrower_value=700,
    )
    assert lender == [("2748", 500, 0), ("311", 0, 500)]
    assert borrower == [("311", 700, 0), ("1678", 0, 700)]


# --- the charter's valuation method for holdings ---------------------------------------------

TYPES |= {"1052": "equity", "6866": "expense", "7866": "income", "2961": "asset"}


def _carried(state: dict[str, int], lines) -> dict[str, int]:
    after = dict(state)
    for number, debit, credit in lines:
        after[number] = after.get(number, 0) + debit - credit
    return after


@given(
    method=st.sampled_from(domain.VALUATION_METHODS),
    cost=st.integers(min_value=0, max_value=10**9),
    navs=st.lists(st.integers(min_value=-(10**9), max_value=2 * 10**9), min_size=1, max_size=6),
)
def test_revaluation_carries_the_holding_by_the_charters_method(method, cost, navs):
    """Over any series of NAVs: the lines balance; 261 less 2961 is the carrying amount, the
    NAV under fair value and min(cost, NAV) under cost; the result only moves below cost, the
    gap above it sits in 1052, and the state returned is what the books hold."""
    books = {"261": cost}
    impairment = revaluation = 0
    for nav in navs:
        result_before = books.get("7866", 0) + books.get("6866", 0)
        reserve_before = books.get("1052", 0)
        impairment, revaluation, lines = domain.revaluation_lines(
            method=method,
            cost=cost,
            impairment=impairment,
            revaluation=revaluation,
            fair_value=nav,
        )
        assert sum(d for _, d, _ in lines) == sum(c for _, _, c in lines)
        assert all(d >= 0 and c >= 0 and (d or c) for _, d, c in lines)
        books = _carried(books, lines)
        fair = max(0, nav)
        carrying = books["261"] + books.get("2961", 0)
        expected = fair if method == domain.FAIR_VALUE else min(cost, fair)
        assert carrying == expected == cost - impairment + revaluation
        assert -books.get("1052", 0) == revaluation
        assert -books.get("2961", 0) == impairment
        assert not (impairment and revaluation)
        # What went through the result: the impairment's change, and nothing else.
        moved = (books.get("7866", 0) + books.get("6866", 0)) - result_before
        reserve_moved = books.get("1052", 0) - reserve_before
        assert _equity(lines) == -(moved + reserve_moved)


def test_fair_value_books_the_gap_above_cost_in_equity_and_takes_it_back_first():
    impairment, revaluation, lines = domain.revaluation_lines(
        method=domain.FAIR_VALUE, cost=1000, impairment=0, revaluation=0, fair_value=1300
    )
    assert (impairment, revaluation) == (0, 300)
    assert lines == [("261", 300, 0), ("1052", 0, 300)]
    # The NAV falls below cost: the gap goes back first, then the shortfall is impaired.
    impairment, revaluation, lines = domain.revaluation_lines(
        method=domain.FAIR_VALUE, cost=1000, impairment=0, revaluation=300, fair_value=900
    )
    assert (impairment, revaluation) == (100, 0)
    assert lines == [("1052", 300, 0), ("261", 0, 300), ("6866", 100, 0), ("2961", 0, 100)]
    # Back to cost with impairment: the gap is reversed, never above cost.
    assert domain.revaluation_lines(
        method=domain.COST_IMPAIRMENT, cost=1000, impairment=0, revaluation=300, fair_value=1300
    ) == (0, 0, [("1052", 300, 0), ("261", 0, 300)])
    assert domain.revaluation_lines(
        method=domain.COST_IMPAIRMENT, cost=1000, impairment=0, revaluation=0, fair_value=1300
    ) == (0, 0, [])
