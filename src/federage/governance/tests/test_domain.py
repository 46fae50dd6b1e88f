"""Pure rules: charter validation, economic rules, the tally against a brute-force reference."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from federage.core.errors import ApplicationError
from federage.core.money import Money
from federage.governance import domain

DEADLINE = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(seconds=1)


# --- Charter -------------------------------------------------------------------------------


def test_defaults_are_valid_and_complete():
    parameters = domain.validate_parameters(domain.default_parameters())
    assert parameters["transfer_tax_bp"] == 100
    assert domain.policy_for(parameters, "validate_contribution").voters == "approvers"
    assert domain.policy_for(parameters, "amend_charter").voters == "members"


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("transfer_tax_bp", -1, "out_of_range"),
        ("decisions.quorum_bp", 10001, "out_of_range"),
        ("contributions.threshold_bp", 4999, "out_of_range"),
        ("contributions.duration_hours", 0, "out_of_range"),
        ("initial_unit_value_cents", 0, "out_of_range"),
        ("transfer_tax_bp", 1.5, "invalid_value"),
        ("transfer_tax_bp", "100", "invalid_value"),
        ("transfer_tax_bp", True, "invalid_value"),
        ("decisions.method", "dictatorship", "invalid_value"),
        ("exit.redemption_allowed", 1, "invalid_value"),
        ("no.such.thing", 1, "unknown_parameter"),
        ("levy.Bad Key.rate_bp", 10, "unknown_parameter"),
        ("levy.metier-a-tisser.rate_bp", -5, "out_of_range"),
    ],
)
def test_bad_amendments_are_refused(name, value, code):
    with pytest.raises(ApplicationError) as caught:
        domain.apply_changes(domain.default_parameters(), {name: value})
    assert caught.value.code == code
    assert caught.value.fields[f"parameters.{name}"].code == code


def test_amendment_diff_and_levy_lines():
    before = domain.validate_parameters(domain.default_parameters())
    after = domain.apply_changes(
        before,
        {"transfer_tax_bp": 250, "levy.metier-a-tisser.rate_bp": 500},
    )
    assert domain.diff(before, after) == [
        {"name": "levy.metier-a-tisser.rate_bp", "before": None, "after": 500},
        {"name": "transfer_tax_bp", "before": 100, "after": 250},
    ]
    removed = domain.apply_changes(after, {"levy.metier-a-tisser.rate_bp": None})
    assert "levy.metier-a-tisser.rate_bp" not in removed
    with pytest.raises(ApplicationError) as caught:
        domain.apply_changes(before, {"transfer_tax_bp": 100})
    assert caught.value.code == "no_change"
    with pytest.raises(ApplicationError):
        domain.apply_changes(before, {"transfer_tax_bp": None})


def test_economic_rules_round_half_even_to_the_cent():
    parameters = domain.apply_changes(
        domain.default_parameters(),
        {
            "transfer_tax_bp": 150,
            "levy.default.rate_bp": 333,
            "levy.four.rate_bp": 0,
            "levy.four.per_unit_cents": 125,
            "exit.haircut_bp": 1000,
        },
    )
    assert domain.transfer_tax(parameters, Money(10_000)) == Money(150)
    # 1.5 % of 0.50 € = 0.0075 € -> 0.01 € (half to even from 0.75 cent rounds up).
    assert domain.transfer_tax(parameters, Money(50)) == Money(1)
    assert domain.usage_levy(parameters, "any", Money(1000), 0) == Money(33)
    assert domain.usage_levy(parameters, "four", Money(1000), Decimal("2.5")) == Money(312)
    assert domain.exit_haircut(parameters, Money(1000)) == Money(900)
    assert domain.initial_unit_value(parameters) == Money(1000)


def test_french_texts():
    spec = domain.SPECS
    assert domain.format_value_fr(spec["transfer_tax_bp"], 150) == "1,5\u00a0%"
    assert domain.format_value_fr(spec["transfer_tax_bp"], 100) == "1\u00a0%"
    assert domain.format_value_fr(spec["initial_unit_value_cents"], 1000) == "10,00\u00a0€"
    assert domain.format_value_fr(spec["decisions.duration_hours"], 168) == "7 jours"
    assert domain.format_value_fr(spec["decisions.method"], "consent").startswith("consentement")


# --- Tally: a straightforward reference ----------------------------------------------------


def reference_result(policy, weights, ballots):
    """Counting as a person would with the rules written out, at the deadline."""
    total = sum(weights.values())
    cast = {voter: choice for voter, choice in ballots.items() if voter in weights}
    by_choice = {choice: 0 for choice in domain.CHOICES}
    for voter, choice in cast.items():
        by_choice[choice] += weights[voter]
    turnout = sum(by_choice.values())
    if total == 0 or Decimal(turnout) / Decimal(total) < Decimal(policy.quorum_bp) / 10000:
        return "expired"
    yes, no = by_choice["for"], by_choice["against"] + by_choice["object"]
    if policy.method == "majority":
        ok = yes > no
    elif policy.method == "qualified":
        ok = yes > 0 and Decimal(yes) / Decimal(yes + no) >= Decimal(policy.threshold_bp) / 10000
    elif policy.method == "unanimity":
        ok = yes > 0 and no == 0
    else:
        ok = by_choice["object"] == 0
    return "passed" if ok else "rejected"


def reference_early(policy, weights, ballots):
    """Before the deadline: settled iff every way the missing voters could act gives one result."""
    missing = [voter for voter in weights if voter not in ballots]
    results = set()
    for completion in itertools.product((None, *domain.CHOICES), repeat=len(missing)):
        filled = dict(ballots)
        for voter, choice in zip(missing, completion, strict=True):
            if choice is not None:
                filled[voter] = choice
        results.add(reference_result(policy, weights, filled))
    return results.pop() if len(results) == 1 else "open"


policies = st.builds(
    domain.Policy,
    voters=st.sampled_from(domain.VOTERS),
    method=st.sampled_from(domain.METHODS),
    threshold_bp=st.integers(5000, 10000),
    weighting=st.sampled_from(domain.WEIGHTINGS),
    quorum_bp=st.one_of(st.sampled_from([0, 5000, 10000]), st.integers(0, 10000)),
    duration_hours=st.just(24),
)


@st.composite
def votes(draw):
    policy = draw(policies)
    voters = draw(st.integers(0, 5))
    raw = {voter: draw(st.integers(1, 7)) for voter in range(voters)}
    ballots = {voter: draw(st.sampled_from(domain.CHOICES)) for voter in raw if draw(st.booleans())}
    # A ballot from outside the electorate must be ignored.
    if draw(st.booleans()):
        ballots[99] = draw(st.sampled_from(domain.CHOICES))
    return policy, raw, ballots


@settings(max_examples=400, deadline=None)
@given(votes())
def test_tally_at_deadline_matches_reference(case):
    policy, raw, ballots = case
    weights = domain.effective_weights(policy, raw)
    outcome = domain.tally(policy, ballots, raw, DEADLINE, DEADLINE)
    assert outcome.final and not outcome.early
    assert outcome.status == reference_result(policy, weights, ballots)
    assert outcome.eligible_weight == sum(weights.values())


@settings(max_examples=400, deadline=None)
@given(votes())
def test_early_closing_matches_brute_force(case):
    policy, raw, ballots = case
    weights = domain.effective_weights(policy, raw)
    outcome = domain.tally(policy, ballots, raw, BEFORE, DEADLINE)
    assert outcome.status == reference_early(policy, weights, ballots)
    assert outcome.early == (outcome.status != "open")


@pytest.mark.parametrize(
    ("method", "ballots", "status"),
    [
        ("majority", {1: "for", 2: "for"}, "passed"),  # 2 of 3: the third cannot tie
        ("majority", {1: "for", 2: "against"}, "open"),
        ("unanimity", {1: "against"}, "rejected"),
        ("consent", {1: "object"}, "rejected"),
        ("consent", {1: "for", 2: "against"}, "open"),  # the third may still object
        ("consent", {1: "for", 2: "against", 3: "abstain"}, "passed"),
        ("qualified", {1: "for", 2: "for"}, "open"),  # 2/3 needs 6667 bp; a no makes 6666
    ],
)
def test_early_closing_examples(method, ballots, status):
    policy = domain.Policy("members", method, 6667, "per_member", 0, 24)
    outcome = domain.tally(policy, ballots, {1: 1, 2: 1, 3: 1}, BEFORE, DEADLINE)
    assert outcome.status == status


def test_titles_weighting_and_quorum_in_integers():
    policy = domain.Policy("title_holders", "majority", 6667, "titles", 3334, 24)
    outcome = domain.tally(policy, {1: "for"}, {1: 1, 2: 1, 3: 1}, DEADLINE, DEADLINE)
    assert outcome.status == "expired"  # 1/3 = 3333.3 bp < 3334
    outcome = domain.tally(policy, {1: "for", 2: "against"}, {1: 5, 2: 4}, DEADLINE, DEADLINE)
    assert (outcome.status, outcome.weight_for, outcome.weight_against) == ("passed", 5, 4)
    assert domain.quorum_weight(3, 3334) == 2
    empty = domain.tally(policy, {}, {}, DEADLINE, DEADLINE)
    assert empty.status == "expired"


# --- Decision chain ------------------------------------------------------------------------


def _chain(n):
    links, previous = [], domain.GENESIS_HASH
    for sequence in range(1, n + 1):
        content = {"sequence": sequence, "outcome": "passed"}
        digest = domain.decision_hash(previous, content)
        links.append(domain.ChainLink(sequence, previous, digest, content))
        previous = digest
    return links


def test_chain_verifies_and_detects_tampering():
    links = _chain(3)
    assert domain.chain_problems(links, (3, links[-1].hash)) == []
    altered = [*links[:1], domain.ChainLink(2, links[1].previous_hash, links[1].hash, {"x": 1})]
    assert any("content" in problem for problem in domain.chain_problems(altered, None))
    assert domain.chain_problems(links[:2], (3, links[-1].hash))  # cut tail
    assert domain.chain_problems([links[0], links[2]], None)  # gap


def test_plain_french_summary_and_partial_levy_lines():
    parameters = domain.apply_changes(
        domain.default_parameters(),
        {"levy.four.per_unit_cents": 250, "decisions.method": "unanimity"},
    )
    summary = domain.summary_fr(parameters)
    assert summary[1].startswith("Les autres décisions sont prises par tous les membres, à l'unan")
    assert (
        "Pour la ressource « four » : 0\u00a0% du prix de vente et 2,50\u00a0€ par unité."
        in summary
    )
    assert domain.usage_levy(parameters, "four", Money(1000), 2) == Money(500)
    assert domain.usage_levy(parameters, "other", Money(1000), 2) == Money(0)
