"""The invariants on the database, through the real services, the ledger and governance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.titles import domain, integration, selectors, services

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
NOTICE = dt.timedelta(days=31)  # past the default 30 days

step = st.one_of(
    st.tuples(
        st.just("contribute"),
        st.sampled_from(["contributor", "other"]),
        st.sampled_from(["cash", "in_kind", "labour"]),
        st.integers(1, 2_000_000),
    ),
    st.tuples(
        st.just("transfer"),
        st.sampled_from(["contributor", "other"]),
        st.integers(1, 10_000),
        st.integers(1, 50_000),
    ),
    st.tuples(st.just("redeem"), st.sampled_from(["contributor", "other"]), st.integers(1, 10_000)),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=6))
# Found by hypothesis: on SQLite 0.005 − 0.0048 units summed as floats to 0.000200000000000001.
@example(steps=[("contribute", "contributor", "cash", 5), ("redeem", "contributor", 9600)])
def test_invariants_on_any_sequence_of_movements(make_user, make_commons, steps):
    # Each example runs in a transaction rolled back at its end: examples do not see each other.
    # A fixed start keeps every step, notice periods included, inside the book's first year.
    moment = T0
    with transaction.atomic(), clock.frozen(T0):
        scene = build(make_user, make_commons, slug="proprietes")
        users = {"contributor": scene.contributor, "other": scene.other}
        for index, action in enumerate(steps):
            moment += NOTICE + dt.timedelta(days=1)
            with clock.frozen(moment):
                run(scene, users, index, action)
            # Checked once a redemption's notice has run and its entry is in the books.
            with clock.frozen(moment + NOTICE):
                check(scene)
        transaction.set_rollback(True)


def run(scene, users, index, action) -> None:
    kind = action[0]
    commons_id = scene.commons.pk
    if kind == "contribute":
        _, who, contribution_kind, price = action
        before = services.nav_now(commons_id=commons_id)
        holders = selectors.holdings_at(
            title_class=services.title_class_of(commons_id=commons_id), at=None
        )
        accept(
            scene,
            user=users[who],
            kind=contribution_kind,
            title=f"Apport {index}",
            proposed_price_cents=price,
        )
        after = services.nav_now(commons_id=commons_id)
        if before.outstanding_ticks and holders:
            # No holder diluted: the unit value did not fall (exact cross-multiplication).
            assert (
                after.net_assets_cents * before.outstanding_ticks
                >= before.net_assets_cents * after.outstanding_ticks
            )
        return
    title_class = services.title_class_of(commons_id=commons_id)
    seller = users[action[1]]
    held = services.units_held(title_class=title_class, agent_id=agent_of(seller))
    units = domain.from_ticks(domain.to_ticks(held) * action[2] // 10_000)
    if units <= 0:
        return
    if kind == "transfer":
        buyer = scene.other if seller is scene.contributor else scene.contributor
        transfer = services.transfer_propose(
            user=seller,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(buyer),
            units=units,
            unit_price_cents=action[3],
        )
        services.transfer_accept(user=buyer, transfer_id=transfer.pk)
    else:
        try:
            redemption = services.redemption_request(
                user=seller, commons_slug=scene.slug, units=units
            )
            with clock.frozen(clock.now() + NOTICE):
                services.redemption_execute(user=seller, redemption_id=redemption.pk)
        except ApplicationError as error:
            assert error.code == "insufficient_titles", error


def check(scene) -> None:
    commons_id = scene.commons.pk
    totals = selectors.totals(commons_id=commons_id)
    assert totals["issued"] - totals["redeemed"] == totals["held"] == totals["outstanding"]
    table = selectors.cap_table(commons_id=commons_id)
    assert all(row["units"] > 0 for row in table["holders"])
    if table["holders"]:
        net = integration.net_assets(commons_id=commons_id).cents
        values = sum(row["value_cents"] for row in table["holders"])
        # NAV × units = net assets, within half a cent per holding.
        assert abs(values - net) * 2 <= len(table["holders"])
        assert sum((row["units"] for row in table["holders"]), Decimal(0)) == table["outstanding"]
