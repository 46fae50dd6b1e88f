"""Demo of cooperation: the textile workshop and the soil fund exchange fibre crops against
workshop capacity at different valuations (both decisions passed, executed), and the soil fund
borrows carbon credits from its pilot plots. Runs at the end of the demo loader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.federation import services
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services

ATELIER, FONDS, PARCELLES = (
    "atelier-textile-circulaire",
    "fonds-sols-vivants",
    "sols-vivants-parcelles-gers",
)


def _user(key: str):
    return account_selectors.user_by_email(email=f"{key}@demo.federage.fr")


def _commons(slug: str):
    return commons_selectors.commons_get_public(slug=slug)


def _agent(user, name: str) -> int | None:
    for agent in agent_selectors.agents_of_user(user=user):
        if agent.display_name == name:
            return agent.pk
    return None


def _vote(proposal_id: int, voters) -> None:
    for user, agent_name in voters:
        if governance_selectors.proposal_get(proposal_id=proposal_id).status != "open":
            break
        governance_services.ballot_cast(
            user=user,
            proposal_id=proposal_id,
            choice="for",
            agent_id=_agent(user, agent_name) if agent_name else None,
        )


def demo_load_federation() -> None:
    camille, yannick = _user("camille.martin"), _user("yannick.legoff")
    aicha, ines = _user("aicha.benali"), _user("ines.moreau")
    sofia, louis = _user("sofia.rossi"), _user("louis.bernard")
    exchange = services.exchange_propose(
        user=camille,
        commons_slug=ATELIER,
        other_slug=FONDS,
        terms=(
            "Le Fonds Sols Vivants livre 400 kg de fibres de chanvre de ses couverts ; l'atelier "
            "lui ouvre 40 heures de ses machines pour transformer ses fibres en toile de paillage. "
            "Chaque commun retient sa propre valeur de ce qu'il reçoit."
        ),
        legs=[
            {
                "giver": "b",
                "kind": "resource",
                "label": "Fibres de chanvre (400 kg)",
                "quantity": Decimal("400"),
                "unit": "kg",
                "giver_account": "311",
                "receiver_account": "311",
                "giver_book_cents": 0,  # grown on the fund's plots, never bought
                "value_a_cents": 180_000,
                "value_b_cents": 120_000,
            },
            {
                "giver": "a",
                "kind": "use",
                # Used at once (no `consumed_on`): the fund books a hire (613) when the exchange
                # executes, so nothing stays in 486 on its balance sheet.
                "label": "Capacité de l'atelier (40 heures machines)",
                "quantity": Decimal("40"),
                "unit": "hour",
                "value_a_cents": 180_000,
                "value_b_cents": 200_000,
            },
        ],
    )
    _vote(
        exchange.proposal_a_id,
        [(aicha, None), (ines, None), (sofia, "Agence de Développement Solidaire")],
    )
    exchange = services.exchange_submit(user=yannick, exchange_id=exchange.pk)
    _vote(
        exchange.proposal_b_id,
        [
            (louis, "Banque Coopérative des Terroirs"),
            (sofia, "Agence de Développement Solidaire"),
            (aicha, None),
        ],
    )
    # Carbon credits of the pilot plots (Label bas-carbone), lent to the fund until year end.
    parcelles = _commons(PARCELLES)
    services.demo_stock(
        commons_id=parcelles.pk,
        number="2081",
        label="Crédits carbone (Label bas-carbone)",
        cents=90_000,
        key="federation:demo:carbon",
    )
    borrowing = services.borrowing_propose(
        user=yannick,
        borrower_slug=FONDS,
        lender_slug=PARCELLES,
        kind="fungible",
        label="Crédits carbone Label bas-carbone (30 tCO2e)",
        quantity=Decimal("30"),
        unit="tCO2e",
        lender_account="2081",
        borrower_account="2081",
        lender_book_cents=90_000,
        borrower_value_cents=105_000,
        fee_cents=4_500,
        return_on=clock.today() + dt.timedelta(days=120),
        indicator_code="ghg_avoided",
    )
    services.borrowing_accept(user=yannick, borrowing_id=borrowing.pk)
    services.participations_sync()
    _federation(camille, yannick, aicha, ines, sofia, louis)


def _federation(camille, yannick, aicha, ines, sofia, louis) -> None:
    """The demo commons federate (each by its own join_federation decision); no combination
    agreement, so their books are "comptes agrégés"."""
    agence, banque = "Agence de Développement Solidaire", "Banque Coopérative des Terroirs"
    marc = _user("marc.dupuis")
    services.federation_create(
        user=camille,
        slug="reseau-des-communs",
        name="Réseau des communs du Nord et du Gers",
        commons_slug=ATELIER,
    )
    joins = [
        (camille, ATELIER, [(aicha, None), (ines, None), (sofia, agence)]),
        (yannick, FONDS, [(louis, banque), (sofia, agence), (aicha, None)]),
        (yannick, PARCELLES, [(aicha, None)]),
        (marc, "carto-libre", [(ines, None), (camille, None)]),
    ]
    for steward, slug, voters in joins:
        member = services.federation_join_pending(
            federation_slug="reseau-des-communs", commons_slug=slug
        )
        if member is None:
            member = services.federation_join(
                user=steward, federation_slug="reseau-des-communs", commons_slug=slug
            )
        _vote(member.proposal_id, voters)
