"""A federation's combined books on a hand-computed example: combined = sum − eliminations."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.federation import selectors, services
from federage.federation.models import FederationMember
from federage.federation.tests.scene import legs, make_pair, propose, stock, vote_through

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def federated(make_user, make_commons):
    pair = make_pair(make_user, make_commons)
    services.federation_create(
        user=pair.a.steward,
        slug="reseau-nord-sud",
        name="Réseau Nord-Sud",
        commons_slug=pair.a.slug,
    )
    member = FederationMember.objects.get(commons_id=pair.a.commons.pk)
    vote_through(pair.a, member.proposal_id)
    member = services.federation_join(
        user=pair.b.steward, federation_slug="reseau-nord-sud", commons_slug=pair.b.slug
    )
    vote_through(pair.b, member.proposal_id)
    assert FederationMember.objects.filter(state="active").count() == 2
    return pair


def test_combined_books_are_the_sum_less_the_elimination_journal(federated):
    pair = federated
    stock(pair.a, 100_000)
    exchange = propose(pair, legs=legs(book=50_000, b_value=60_000))
    vote_through(pair.a, exchange.proposal_a_id)
    exchange = services.exchange_submit(user=pair.b.steward, exchange_id=exchange.pk)
    vote_through(pair.b, exchange.proposal_b_id)
    combined = selectors.combined_statements(slug="reseau-nord-sud")
    assert combined["title"] == "comptes agrégés"
    rows = {row["account"]: row for row in combined["accounts"]}
    # By hand: A 311 = 100 000 − 50 000, B 311 = 60 000 (its value); 613 = 80 000 (A's value
    # of the hours, used at once); 757 −80 000 and 657 50 000 at A, 706 −60 000 at B.
    expected = {
        "311": (110_000, -10_000, 100_000),
        "613": (80_000, -80_000, 0),
        "757": (-80_000, 80_000, 0),
        "657": (50_000, -50_000, 0),
        "706": (-60_000, 60_000, 0),
        "1014": (-100_000, 0, -100_000),
    }
    for number, (total, eliminated, result) in expected.items():
        row = rows[number]
        assert (row["sum_cents"], row["elimination_cents"], row["combined_cents"]) == (
            total,
            eliminated,
            result,
        ), number
    assert combined["totals"]["assets_cents"] == 100_000 == combined["totals"]["equity_cents"]
    assert combined["totals"]["result_cents"] == 0
    journal = combined["elimination_journal"]
    assert sum(line["debit_cents"] for i in journal for line in i["lines"]) == sum(
        line["credit_cents"] for i in journal for line in i["lines"]
    )


def test_hours_used_later_are_eliminated_in_486_then_in_613_once_consumed(federated):
    pair = federated
    stock(pair.a, 100_000)
    day = dt.date(2026, 9, 30)
    exchange = propose(pair, legs=legs(book=50_000, b_value=60_000, consumed_on=day))
    vote_through(pair.a, exchange.proposal_a_id)
    exchange = services.exchange_submit(user=pair.b.steward, exchange_id=exchange.pk)
    vote_through(pair.b, exchange.proposal_b_id)

    def check(expected):
        combined = selectors.combined_statements(slug="reseau-nord-sud")
        rows = {row["account"]: row for row in combined["accounts"]}
        for number, (total, eliminated) in expected.items():
            row = rows[number]
            assert (row["sum_cents"], row["elimination_cents"], row["combined_cents"]) == (
                total,
                eliminated,
                total + eliminated,
            ), number
            assert total + eliminated == (100_000 if number == "311" else 0), number
        assert combined["totals"]["assets_cents"] == 100_000 == combined["totals"]["equity_cents"]
        assert combined["totals"]["result_cents"] == 0

    check({"311": (110_000, -10_000), "486": (80_000, -80_000), "757": (-80_000, 80_000)})
    with clock.frozen(dt.datetime(2026, 10, 1, 6, 0, tzinfo=dt.UTC)):
        assert services.exchange_uses_consume_due() == 1
        check({"311": (110_000, -10_000), "613": (80_000, -80_000), "757": (-80_000, 80_000)})
        rows = {
            row["account"]: row
            for row in selectors.combined_statements(slug="reseau-nord-sud")["accounts"]
        }
        assert rows.get("486", {"sum_cents": 0})["sum_cents"] == 0


def test_a_member_with_an_open_exchange_cannot_leave(federated):
    pair = federated
    propose(pair)
    with pytest.raises(ApplicationError) as refusal:
        services.federation_leave(
            user=pair.b.steward, federation_slug="reseau-nord-sud", commons_slug=pair.b.slug
        )
    assert refusal.value.code == "federation_open_exchanges"
    assert FederationMember.objects.get(commons_id=pair.b.commons.pk).state == "active"


def test_combined_only_under_a_written_agreement(make_user, make_commons):
    pair = make_pair(make_user, make_commons)
    with pytest.raises(ApplicationError) as refusal:
        services.federation_create(
            user=pair.a.steward,
            slug="groupe",
            name="Groupe",
            commons_slug=pair.a.slug,
            combination_agreement=True,
        )
    assert refusal.value.code == "required"
    services.federation_create(
        user=pair.a.steward,
        slug="groupe",
        name="Groupe",
        commons_slug=pair.a.slug,
        combination_agreement=True,
        agreement_ref="Convention de combinaison du 2 mars 2026",
    )
    assert selectors.combined_statements(slug="groupe")["title"] == "comptes combinés"
