"""Titles have bounds: a unit price, a number of units and their product beyond them are refused
before anything is stored (issue 14)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS, Money
from federage.titles import services
from federage.titles.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_user, make_commons):
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)  # contributor: 100 units at 10 €
    return scene


def propose(scene, api_client, units, unit_price_cents):
    body = {
        "buyer_agent_id": agent_of(scene.other),
        "units": units,
        "unit_price_cents": unit_price_cents,
    }
    return api_client(scene.contributor).post(f"/titles/{scene.slug}/transfers", body)


@pytest.mark.parametrize(
    ("units", "unit_price_cents", "field", "code"),
    [
        ("1", 2**63, "unit_price_cents", "amount_too_large"),
        ("1", MAX_CENTS + 1, "unit_price_cents", "amount_too_large"),
        ("1", True, "unit_price_cents", "not_an_integer"),
        ("1", "100", "unit_price_cents", "not_an_integer"),
        ("1", 1.0, "unit_price_cents", "not_an_integer"),
        ("1000000000001", 1, "units", "units_too_large"),
        ("1e30", 1, "units", "units_too_large"),
        # 100 units × the maximum unit price: the product is refused, not stored.
        ("100", MAX_CENTS, "unit_price_cents", "amount_too_large"),
    ],
)
def test_out_of_bounds_transfers_are_refused(
    scene, api_client, units, unit_price_cents, field, code
):
    response = propose(scene, api_client, units, unit_price_cents)
    assert response.status_code == 422, response.content
    assert response.json()["fields"][field]["code"] == code
    assert Transfer.objects.count() == 0


def test_the_largest_price_is_accepted(scene, api_client):
    response = propose(scene, api_client, "1", MAX_CENTS)
    assert response.status_code == 201, response.content
    assert response.json()["price_cents"] == MAX_CENTS


def test_the_service_checks_the_product_too(scene):
    with pytest.raises(ApplicationError) as refusal:
        services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(scene.other),
            units=Decimal("100"),
            unit_price_cents=2**63,
        )
    assert refusal.value.code == "amount_too_large"
    assert Transfer.objects.count() == 0


def test_redemption_units_are_bounded(scene, api_client):
    response = api_client(scene.contributor).post(
        f"/titles/{scene.slug}/redemptions", {"units": "1e20"}
    )
    assert response.status_code == 422
    assert response.json()["fields"]["units"]["code"] == "units_too_large"


def test_an_issuance_beyond_the_units_bound_is_refused(scene):
    """At 1 cent a unit, 100 billion euros would issue 10^13 units: refused, not stored."""
    from federage.titles.domain import Nav
    from federage.titles.models import Issuance

    before = Issuance.objects.count()
    with pytest.raises(ApplicationError) as refusal:
        services.issuance_create(
            commons_id=scene.commons.pk,
            agent_id=agent_of(scene.contributor),
            price=Money(MAX_CENTS),
            nav=Nav(net_assets_cents=1, outstanding_ticks=10**4, initial_cents=100),
            source_type="test",
            source_id=1,
            decision_id=None,
            charter_version_id=None,
            entry_id=None,
            actor_user_id=None,
        )
    assert refusal.value.code == "units_too_large"
    assert Issuance.objects.count() == before
