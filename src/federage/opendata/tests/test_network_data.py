"""The network in the data package: links, exchanges, holdings and federations between public
commons only, valid for frictionless, with shared contributors counted and persons never named."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from django.core.management import call_command
from frictionless import validate

from federage.commons import services as commons_services
from federage.commons.models import Commons
from federage.contributions.tests import scene as contribution_scene
from federage.core import clock
from federage.federation import domain as federation_domain
from federage.federation import services as federation_services
from federage.federation.models import FederationMember
from federage.federation.tests.scene import Pair, execute, hold, legs, make_pair, stock
from federage.federation.tests.scene import vote_through as vote_exchange

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
NETWORK_TABLES = (
    "network_links",
    "exchanges",
    "exchange_legs",
    "participations",
    "federations",
    "federation_members",
)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _rows(directory, name: str) -> list[dict]:
    with open(directory / "data" / f"{name}.csv") as handle:
        return list(csv.DictReader(handle))


def _valid(path) -> None:
    report = validate(str(path))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


@pytest.fixture
def linked(make_user, make_commons):
    """Two public commons that exchanged at two valuations, one holding the other's titles,
    sharing a contributor, federated; and a commons made private after exchanging with them."""
    pair = make_pair(make_user, make_commons)
    stock(pair.a, 200_000)
    exchange = execute(pair)
    hold(pair)
    # The workshop's contributor also contributes to the soil fund, accepted in both.
    contribution_scene.accept(pair.a, title="Fil", proposed_price_cents=5_000)
    _, link = commons_services.invitation_create(
        user=pair.b.steward, slug=pair.b.slug, email=pair.a.contributor.email, roles=["contributor"]
    )
    commons_services.invitation_accept(user=pair.a.contributor, token=link.rsplit("/", 1)[1])
    contribution_scene.accept(pair.b, user=pair.a.contributor, title="Sol", proposed_price_cents=7)
    federation_services.federation_create(
        user=pair.a.steward, slug="reseau-ouvert", name="Réseau ouvert", commons_slug=pair.a.slug
    )
    member = FederationMember.objects.get(commons_id=pair.a.commons.pk)
    vote_exchange(pair.a, member.proposal_id)
    member = federation_services.federation_join(
        user=pair.b.steward, federation_slug="reseau-ouvert", commons_slug=pair.b.slug
    )
    vote_exchange(pair.b, member.proposal_id)
    # An exchange with a commons that is private now: never published, nor its link.
    hidden = contribution_scene.build(make_user, make_commons, slug="fonds-discret")
    secret = execute(Pair(pair.a, hidden), legs=legs(book=40_000), terms="Échange discret")
    assert secret.state == "executed"
    Commons.objects.filter(pk=hidden.commons.pk).update(visibility="private")
    return pair, exchange


def test_the_network_tables_hold_public_links_only_and_validate(linked, tmp_path):
    pair, exchange = linked
    call_command("export", "datapackage", "--out", str(tmp_path))
    _valid(tmp_path / "datapackage.json")
    a, b = pair.a.slug, pair.b.slug

    assert _rows(tmp_path, "exchanges") == [
        {
            "exchange_id": str(exchange.pk),
            "commons_a_slug": a,
            "commons_b_slug": b,
            "executed_at": "2026-06-15T10:00:00Z",
            "terms_hash": exchange.terms_hash,
            "decision_a_id": str(exchange.decision_a_id),
            "decision_b_id": str(exchange.decision_b_id),
            "entry_a_id": str(exchange.entry_a_id),
            "entry_b_id": str(exchange.entry_b_id),
            # A values the hours 800 €, gives fibre booked 600 €; B values the fibre 600 €.
            "received_a_cents": "80000",
            "received_b_cents": "60000",
            "equity_change_a_cents": "20000",
            "equity_change_b_cents": "60000",
        }
    ]
    legs_rows = _rows(tmp_path, "exchange_legs")
    assert [
        (row["number"], row["giver_slug"], row["receiver_slug"], row["kind"]) for row in legs_rows
    ] == [("1", a, b, "resource"), ("2", b, a, "use")]
    fibre, hours = legs_rows
    assert (fibre["giver_book_cents"], fibre["giver_value_cents"]) == ("60000", "80000")
    assert fibre["receiver_value_cents"] == "60000"
    assert (hours["giver_value_cents"], hours["receiver_value_cents"]) == ("70000", "80000")

    [holding] = _rows(tmp_path, "participations")
    assert (holding["holder_slug"], holding["host_slug"], holding["method"]) == (
        a,
        b,
        "cost_impairment",
    )
    assert holding["cost_cents"] == holding["carrying_cents"] == "120000"

    assert [
        (row["federation_slug"], row["accounts"]) for row in _rows(tmp_path, "federations")
    ] == [("reseau-ouvert", "aggregated")]
    members = _rows(tmp_path, "federation_members")
    assert sorted(row["commons_slug"] for row in members) == sorted([a, b])
    assert all(row["decision_id"] for row in members)

    links = {
        (row["source_slug"], row["target_slug"], row["kind"]): row
        for row in _rows(tmp_path, "network_links")
    }
    assert {key[2] for key in links} == {"membership", "holding", "exchange", "contributors"}
    assert all({key[0], key[1]} == {a, b} for key in links)
    assert links[(a, b, "holding")]["value_cents"] == "120000"
    assert links[(a, b, "exchange")]["count"] == "1"
    shared = [row for key, row in links.items() if key[2] == "contributors"]
    assert [row["count"] for row in shared] == ["1"]

    text = (
        "\n".join((tmp_path / "data" / f"{name}.csv").read_text() for name in NETWORK_TABLES)
        + (tmp_path / "datapackage.json").read_text()
    )
    assert "fonds-discret" not in text and "Échange discret" not in text
    for user in (pair.a.steward, pair.a.contributor, pair.b.steward, pair.b.contributor):
        assert user.display_name not in text and user.email not in text


def test_one_commons_package_keeps_its_links_and_validates(linked, tmp_path):
    pair, exchange = linked
    call_command("export", "datapackage", "--commons", pair.b.slug, "--out", str(tmp_path))
    _valid(tmp_path / "datapackage.json")
    assert [row["exchange_id"] for row in _rows(tmp_path, "exchanges")] == [str(exchange.pk)]
    assert len(_rows(tmp_path, "federation_members")) == 2


def test_the_dictionary_knows_every_code_the_network_tables_write(linked, tmp_path):
    call_command("export", "datapackage", "--out", str(tmp_path))
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert set(NETWORK_TABLES) <= {resource["name"] for resource in descriptor["resources"]}
    from federage.opendata.dictionary import RESOURCES_BY_NAME

    def codes(resource: str, field: str) -> list[str]:
        [item] = [f for f in RESOURCES_BY_NAME[resource].fields if f.name == field]
        return [value.code for value in item.values]

    assert codes("exchange_legs", "kind") == list(federation_domain.LEG_KINDS)
    assert codes("participations", "method") == list(federation_domain.VALUATION_METHODS)
    for resource, field in (
        ("network_links", "kind"),
        ("exchange_legs", "kind"),
        ("participations", "method"),
        ("federations", "accounts"),
    ):
        written = {row[field] for row in _rows(tmp_path, resource)}
        assert written and written <= set(codes(resource, field)), (resource, written)


def test_the_demo_network_is_in_a_valid_package(tmp_path):
    from federage.demo import loader
    from federage.federation import selectors as federation_selectors

    loader.demo_load()
    call_command("export", "datapackage", "--out", str(tmp_path))
    _valid(tmp_path / "datapackage.json")
    published = {row["exchange_id"] for row in _rows(tmp_path, "exchanges")}
    assert published and published == {
        str(row["id"]) for row in federation_selectors.public_exchanges()
    }
    links = _rows(tmp_path, "network_links")
    assert links and {"exchange", "borrowing"} <= {row["kind"] for row in links}
