"""A funder finances a federation as one: the split by key, each share an ordinary financing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federage.agents import services as agent_services
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.models import Event
from federage.federation import domain, selectors, services
from federage.federation.models import (
    FederationFinancing,
    FederationFinancingShare,
    FederationMember,
)
from federage.federation.tests.scene import make_pair, stock, vote_through
from federage.funding.models import Financing, Tranche
from federage.testing import post_pair

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
SLUG = "reseau-nord-sud"


# --- The pure rule ----------------------------------------------------------------------------


def test_equal_split_gives_the_extra_cents_to_the_first_members():
    assert domain.financing_split(1_000, "equal", [0, 0, 0]) == [334, 333, 333]
    assert domain.financing_split(2, "equal", [5, 5, 5]) == [1, 1, 0]


def test_net_worth_split_follows_equity_and_ignores_members_without_any():
    # 1 000 001 over 100 000 / 300 000: exact parts 250 000.25 and 750 000.75; the cent left
    # goes to the larger remainder; a member with negative equity weighs nothing.
    assert domain.financing_split(1_000_001, "net_worth", [100_000, 300_000]) == [250_000, 750_001]
    assert domain.financing_split(500, "net_worth", [-10, 40_000, 0]) == [0, 500, 0]


@pytest.mark.parametrize(
    ("total", "key", "equities", "field", "code"),
    [
        (100, "shares", [1], "key", "invalid_value"),
        (100, "net_worth", [0, -5], "key", "invalid_value"),
        (100, "equal", [], "key", "invalid_value"),
        (0, "equal", [1], "amount_cents", "amount_not_positive"),
    ],
)
def test_the_split_refuses_what_it_cannot_place(total, key, equities, field, code):
    with pytest.raises(ApplicationError) as caught:
        domain.financing_split(total, key, equities)
    assert caught.value.fields[field].code == code


@given(
    total=st.integers(min_value=1, max_value=10**15),
    key=st.sampled_from(domain.FINANCING_KEYS),
    equities=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=12),
)
def test_shares_sum_to_the_total_and_follow_their_weight_within_a_cent(total, key, equities):
    try:
        weights = domain.financing_weights(key, equities)
    except ApplicationError:
        assert key == "net_worth" and all(cents <= 0 for cents in equities)
        return
    shares = domain.financing_split(total, key, equities)
    assert sum(shares) == total
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        # |share − total × weight / whole| < 1, in integers.
        assert abs(share * whole - total * weight) < whole
        if weight == 0:
            assert share == 0


# --- The service ------------------------------------------------------------------------------


@pytest.fixture
def federated(make_user, make_commons):
    with clock.frozen(NOW):
        pair = make_pair(make_user, make_commons)
        services.federation_create(
            user=pair.a.steward, slug=SLUG, name="Réseau Nord-Sud", commons_slug=pair.a.slug
        )
        vote_through(pair.a, FederationMember.objects.get(commons_id=pair.a.commons.pk).proposal_id)
        member = services.federation_join(
            user=pair.b.steward, federation_slug=SLUG, commons_slug=pair.b.slug
        )
        vote_through(pair.b, member.proposal_id)
        funder_user = make_user(name="Sofia Agence")
        funder = agent_services.agent_create(
            user=funder_user,
            kind="company",
            display_name="Agence du développement",
            siren="900100041",
        )
        pair.funder_user, pair.funder = funder_user, funder
        yield pair


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def offer(pair, **fields):
    fields.setdefault("user", pair.funder_user)
    fields.setdefault("federation_slug", SLUG)
    fields.setdefault("agent_id", pair.funder.pk)
    fields.setdefault("title", "Fonds de transition")
    fields.setdefault("amount_cents", 1_000_001)
    fields.setdefault("key", "equal")
    return services.federation_financing_offer(**fields)


def counts() -> tuple[int, ...]:
    return (
        FederationFinancing.objects.count(),
        FederationFinancingShare.objects.count(),
        Financing.objects.count(),
        Tranche.objects.count(),
        Event.objects.filter(type__in=["federation.financed", "financing.offered"]).count(),
    )


def refused(pair, field: str | None, code: str, **fields) -> None:
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        offer(pair, **fields)
    error = caught.value
    if field is None:
        assert error.code == code, error
    else:
        assert error.fields[field].code == code, error
    assert counts() == before, "a refusal wrote something"


@pytest.mark.django_db
def test_equal_split_offers_each_member_its_share(federated):
    pair = federated
    group = offer(pair)
    assert (group.key, group.kind, group.amount_cents) == ("equal", "grant_operating", 1_000_001)
    shares = {
        share.commons_id: share for share in FederationFinancingShare.objects.filter(group=group)
    }
    # Members in commons id order: the first (A, created first) gets the odd cent.
    assert {c: s.amount_cents for c, s in shares.items()} == {
        pair.a.commons.pk: 500_001,
        pair.b.commons.pk: 500_000,
    }
    for commons_id, share in shares.items():
        financing = Financing.objects.get(pk=share.financing_id)
        assert financing.commons_id == commons_id
        assert financing.funder_id == pair.funder.pk
        assert financing.kind == "grant_operating"
        assert financing.amount_cents == share.amount_cents
        assert financing.status == "offered"  # an outside funder: a member puts it to the vote
        assert financing.title == "Fonds de transition (fédération Réseau Nord-Sud)"
    assert Event.objects.filter(type="federation.financed").count() == 2
    rows = selectors.federation_financings(slug=SLUG)
    assert [row["id"] for row in rows] == [group.pk]
    assert rows[0]["funder"] == "Agence du développement"
    assert [(s["commons_slug"], s["amount_cents"], s["status"]) for s in rows[0]["shares"]] == [
        (pair.a.slug, 500_001, "offered"),
        (pair.b.slug, 500_000, "offered"),
    ]


@pytest.mark.django_db
def test_net_worth_split_weighs_each_member_by_its_equity(federated):
    pair = federated
    stock(pair.a, 100_000, key="stock-a")  # equity 100 000
    stock(pair.b, 300_000, key="stock-b")  # equity 300 000
    group = offer(pair, key="net_worth")
    shares = dict(
        FederationFinancingShare.objects.filter(group=group).values_list(
            "commons_id", "amount_cents"
        )
    )
    assert shares == {pair.a.commons.pk: 250_000, pair.b.commons.pk: 750_001}


@pytest.mark.django_db
def test_a_member_without_equity_gets_no_share(federated):
    pair = federated
    stock(pair.a, 100_000, key="stock-a")
    post_pair(pair.b.commons, "charge-b", NOW.date(), "606", "401", 50_000)  # equity −50 000
    group = offer(pair, key="net_worth", amount_cents=80_000)
    assert list(
        FederationFinancingShare.objects.filter(group=group).values_list(
            "commons_id", "amount_cents"
        )
    ) == [(pair.a.commons.pk, 80_000)]
    assert Financing.objects.filter(commons_id=pair.b.commons.pk).count() == 0


@pytest.mark.django_db
def test_a_share_is_decided_by_its_member_own_vote(federated):
    from federage.funding import services as funding_services

    pair = federated
    group = offer(pair)
    share = FederationFinancingShare.objects.get(group=group, commons_id=pair.a.commons.pk)
    funding_services.financing_put_to_vote(user=pair.a.steward, financing_id=share.financing_id)
    financing = Financing.objects.get(pk=share.financing_id)
    vote_through(pair.a, financing.proposal_id)
    statuses = {
        s["commons_slug"]: s["status"]
        for s in selectors.federation_financings(slug=SLUG)[0]["shares"]
    }
    assert statuses == {pair.a.slug: "accepted", pair.b.slug: "offered"}


@pytest.mark.django_db
def test_refusals_write_nothing(federated, make_user):
    pair = federated
    refused(pair, "amount_cents", "amount_not_positive", amount_cents=0)
    refused(pair, "amount_cents", "amount_too_large", amount_cents=10**18)
    refused(pair, "amount_cents", "not_an_integer", amount_cents="100")
    refused(pair, "key", "invalid_value", key="shares")
    # Nobody has any equity yet: net_worth has nowhere to put the money.
    refused(pair, "key", "invalid_value", key="net_worth")
    refused(pair, "kind", "invalid_value", kind="loan")
    refused(pair, "kind", "invalid_value", kind="grant_investment")
    refused(pair, "title", "required", title="  ")
    refused(pair, None, "not_found", federation_slug="no-such-federation")
    # A person is not a funder organisation: funding refuses the first member's share, so the
    # whole offer (the group row already created included) is undone.
    refused(pair, "agent_id", "permission_denied", agent_id=None)


@pytest.mark.django_db
def test_a_federation_with_no_active_member_is_refused(federated):
    pair = federated
    FederationMember.objects.update(state="left")
    refused(pair, "federation_slug", "invalid_value")


@pytest.mark.django_db
def test_an_invisible_federation_is_not_found(make_user, make_commons):
    steward = make_user(name="Priv Steward")
    approver = make_user(name="Priv Approver")
    hidden = make_commons(
        steward, slug="commun-prive", visibility="private", members={approver: ["approver"]}
    )
    services.federation_create(
        user=steward, slug="reseau-prive", name="Réseau privé", commons_slug=hidden.slug
    )
    FederationMember.objects.update(state="active")
    stranger = make_user(name="Sofia Agence")
    funder = agent_services.agent_create(
        user=stranger, kind="company", display_name="Agence", siren="900100041"
    )
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.federation_financing_offer(
            user=stranger,
            federation_slug="reseau-prive",
            agent_id=funder.pk,
            title="Fonds",
            amount_cents=1_000,
            key="equal",
        )
    assert caught.value.code == "not_found"
    assert counts() == before


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_financing_through_the_api_and_its_lists(federated, api_client):
    pair = federated
    funder = api_client(pair.funder_user)
    body = {
        "agent_id": pair.funder.pk,
        "title": "Fonds de transition",
        "amount_cents": 1_000,
        "key": "equal",
    }
    response = funder.post(f"/federation/federations/{SLUG}/financings", body)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["amount_cents"] == 1_000 and created["key"] == "equal"
    assert [s["amount_cents"] for s in created["shares"]] == [500, 500]
    listed = api_client(pair.b.steward).get(f"/federation/federations/{SLUG}/financings")
    assert listed.status_code == 200 and listed.json() == [created]
    public = api_client().get(f"/public/federations/{SLUG}/financings")
    assert public.status_code == 200 and public.json() == [created]
    assert "Sofia" not in public.content.decode()  # who offered it is not said
    refusal = funder.post(f"/federation/federations/{SLUG}/financings", {**body, "kind": "loan"})
    assert refusal.status_code == 422
    assert refusal.json()["fields"]["kind"]["code"] == "invalid_value"
    missing = funder.get("/federation/federations/no-such/financings")
    assert missing.status_code == 404
