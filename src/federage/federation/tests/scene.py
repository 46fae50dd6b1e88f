"""Two commons with their members, fibre in stock, and the shortcuts to vote an exchange through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from federage.contributions.tests.scene import build
from federage.federation import services
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.testing import post_pair


@dataclass
class Pair:
    a: Any  # contributions' Scene of the workshop
    b: Any  # the soil fund


def make_pair(make_user, make_commons) -> Pair:
    a = build(make_user, make_commons, slug="atelier-textile")
    b = build(make_user, make_commons, slug="fonds-sols")
    return Pair(a, b)


def stock(scene, cents: int, key: str = "stock", day=None):
    from federage.core import clock

    return post_pair(scene.commons, key, day or clock.today(), "311", "1014", cents)


def legs(book=60_000, a_value=80_000, b_value=60_000, use_a=80_000, use_b=70_000, consumed_on=None):
    """A gives fibre (book `book`; A values it `a_value`, B `b_value`); B gives workshop hours,
    which A uses by `consumed_on` (None: at once)."""
    return [
        {
            "giver": "a",
            "kind": "resource",
            "label": "Fibres de chanvre",
            "quantity": "400",
            "unit": "kg",
            "giver_account": "311",
            "receiver_account": "311",
            "giver_book_cents": book,
            "value_a_cents": a_value,
            "value_b_cents": b_value,
        },
        {
            "giver": "b",
            "kind": "use",
            "label": "Capacité de l'atelier",
            "quantity": "40",
            "unit": "hour",
            "value_a_cents": use_a,
            "value_b_cents": use_b,
            "consumed_on": consumed_on,
        },
    ]


def vote_through(scene, proposal_id: int, choice: str = "for", leave_last: bool = False) -> None:
    voters = [scene.approver1, scene.approver2, scene.contributor, scene.other]
    for cast, user in enumerate(voters):
        if governance_selectors.proposal_get(proposal_id=proposal_id).status != "open":
            break
        if leave_last and cast == 2:
            break
        governance_services.ballot_cast(user=user, proposal_id=proposal_id, choice=choice)


def propose(pair: Pair, **kwargs):
    return services.exchange_propose(
        user=pair.a.steward,
        commons_slug=pair.a.slug,
        other_slug=pair.b.slug,
        terms=kwargs.pop("terms", "400 kg de fibres contre 40 heures d'atelier"),
        legs=kwargs.pop("legs", legs()),
    )


def join(host, member):
    """`member`'s commons joins `host`'s through an open invitation its steward accepts."""
    from federage.commons import services as commons_services

    _, link = commons_services.invitation_create(
        user=host.steward, slug=host.slug, email="", roles=["contributor"], anyone_with_link=True
    )
    return commons_services.invitation_accept(
        user=member.steward, token=link.rsplit("/", 1)[1], agent_id=member.commons.agent_id
    )


def hold(pair: Pair, cents: int = 120_000):
    """A joins B and brings labour B accepts: A holds every unit of B, booked at cost."""
    from federage.contributions import services as contributions_services
    from federage.contributions.tests.scene import vote
    from federage.federation.models import Participation

    join(pair.b, pair.a)
    contribution = contributions_services.contribution_create(
        user=pair.a.steward,
        commons_slug=pair.b.slug,
        agent_id=pair.a.commons.agent_id,
        kind="labour",
        title="Journées d'atelier",
        proposed_price_cents=cents,
    )
    contribution = contributions_services.contribution_submit(
        user=pair.a.steward, contribution_id=contribution.pk
    )
    vote(pair.b, contribution)
    services.participations_sync()
    return Participation.objects.get(
        holder_commons_id=pair.a.commons.pk, host_commons_id=pair.b.commons.pk
    )


def execute(pair: Pair, **kwargs):
    """An exchange proposed by A, voted through on both sides: executed."""
    exchange = propose(pair, **kwargs)
    vote_through(pair.a, exchange.proposal_a_id)
    exchange = services.exchange_submit(user=pair.b.steward, exchange_id=exchange.pk)
    vote_through(pair.b, exchange.proposal_b_id)
    exchange.refresh_from_db()
    return exchange
