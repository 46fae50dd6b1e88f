"""Demo contributions: months of priced, voted and booked contributions, titles and transfers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.contributions import services
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.titles import services as titles_services

PEOPLE = {
    "camille": "camille.martin",
    "yannick": "yannick.legoff",
    "aicha": "aicha.benali",
    "louis": "louis.bernard",
    "marc": "marc.dupuis",
    "ines": "ines.moreau",
}


# Runs the books' steps of a commons (demo entries, year end) due before a moment.
CatchUp = Callable[[str, dt.datetime], None]


class _Timeline:
    """Moments of the last eight months up to now, whatever the date: the history may start in
    the previous year, whose books the ledger demo opens first."""

    def __init__(self, catch_up: CatchUp | None = None) -> None:
        self.now = clock.now()
        self.start = self.now - dt.timedelta(days=240)
        self._catch_up = catch_up

    def at(self, fraction: float, hours: int = 0) -> dt.datetime:
        """A moment `fraction` of the way from the start to now (0 = start, 1 = now)."""
        moment = self.start + (self.now - self.start) * fraction + dt.timedelta(hours=hours)
        return min(moment, self.now - dt.timedelta(minutes=1))

    @contextmanager
    def frozen(self, slug: str, fraction: float, hours: int = 0) -> Iterator[None]:
        """The clock at that moment, once the commons' books have recorded what precedes it."""
        moment = self.at(fraction, hours)
        if self._catch_up is not None:
            self._catch_up(slug, moment)
        with clock.frozen(moment):
            yield


def _agent(user, name: str | None = None) -> int:
    if name is None:
        return agent_selectors.self_agent(user=user).pk
    return agent_selectors.agents_of_user(user=user).get(display_name=name).pk


def _contribute(timeline, moment, user, slug, voters, agent_id=None, counter=None, **fields):
    """Drafts, submits and has `voters` (user, choice) vote on a contribution at `moment`."""
    with timeline.frozen(slug, moment):
        contribution = services.contribution_create(
            user=user, commons_slug=slug, agent_id=agent_id, **fields
        )
    with timeline.frozen(slug, moment, hours=2):
        contribution = services.contribution_submit(
            user=user, contribution_id=contribution.pk, comment="Proposé au vote"
        )
    if counter is not None:
        approver, price, reason = counter
        with timeline.frozen(slug, moment, hours=20):
            services.contribution_counter(
                user=approver, contribution_id=contribution.pk, price_cents=price, comment=reason
            )
        with timeline.frozen(slug, moment, hours=30):
            contribution = services.contribution_accept_counter(
                user=user, contribution_id=contribution.pk, comment="J'accepte la contre-offre"
            )
    for index, (voter, choice) in enumerate(voters):
        proposal = governance_selectors.proposal_get(proposal_id=contribution.proposal_id)
        if proposal.status != "open":
            break
        with timeline.frozen(slug, moment, hours=36 + 12 * index):
            governance_services.ballot_cast(
                user=voter, proposal_id=proposal.pk, choice=choice, comment=""
            )
    contribution.refresh_from_db()
    return contribution


def demo_load_contributions(
    domain_name: str = "demo.federage.fr", catch_up: CatchUp | None = None
) -> None:
    """Adds contributions, issuances, transfers and needs; called at the end of demo_load().

    `catch_up(slug, moment)` lets the books record their entries up to each step first, so
    titles are issued at the value the books held then.
    """
    people = {
        key: account_selectors.user_by_email(email=f"{local}@{domain_name}")
        for key, local in PEOPLE.items()
    }
    timeline = _Timeline(catch_up)
    camille, aicha, ines = people["camille"], people["aicha"], people["ines"]
    atelier = "atelier-textile-circulaire"
    fil = _agent(camille, "Association Fil Commun")

    cash = _contribute(
        timeline,
        0.0,
        camille,
        atelier,
        [(aicha, "for")],
        kind="cash",
        title="Fonds de démarrage de l'atelier",
        description="Premier apport en numéraire pour le loyer et l'assurance.",
        proposed_price_cents=200_000,
    )
    _contribute(
        timeline,
        0.08,
        camille,
        atelier,
        [(aicha, "for")],
        agent_id=fil,
        kind="in_kind",
        title="Surjeteuse industrielle Juki",
        description="Machine révisée en 2025, facture d'origine jointe.",
        proposed_price_cents=450_000,
        resource_account="2154",
        resource_label="Surjeteuse Juki MO-6714",
    )
    _contribute(
        timeline,
        0.2,
        aicha,
        atelier,
        [(camille, "for")],
        kind="labour",
        title="Patronage de la collection de tabliers",
        quantity=Decimal("40"),
        unit="h",
        unit_price_cents=3500,
        proposed_price_cents=140_000,
        delivery_date=timeline.at(0.25).date(),
    )
    _contribute(
        timeline,
        0.32,
        ines,
        atelier,
        [(camille, "for"), (aicha, "for")],
        kind="in_kind",
        title="Coupons de lin et de coton",
        quantity=Decimal("80"),
        unit="m",
        unit_price_cents=1000,
        proposed_price_cents=80_000,
        resource_account="311",
    )
    with timeline.frozen(atelier, 0.4):
        services.contribution_call(
            user=camille, contribution_id=cash.pk, comment="Merci de verser l'apport"
        )
    with timeline.frozen(atelier, 0.42):
        services.contribution_pay(user=camille, contribution_id=cash.pk, comment="Virement reçu")
    _contribute(
        timeline,
        0.5,
        ines,
        atelier,
        [(camille, "for"), (aicha, "for")],
        counter=(aicha, 100_000, "Tarif de l'atelier : 40 € de l'heure"),
        kind="labour",
        title="Ateliers de réparation du samedi",
        quantity=Decimal("25"),
        unit="h",
        unit_price_cents=4800,
        proposed_price_cents=120_000,
    )
    with timeline.frozen(atelier, 0.62):
        transfer = titles_services.transfer_propose(
            user=camille,
            commons_slug=atelier,
            buyer_agent_id=_agent(ines),
            units=Decimal("20"),
            unit_price_cents=1100,
        )
    with timeline.frozen(atelier, 0.63):
        titles_services.transfer_accept(user=ines, transfer_id=transfer.pk)
    _contribute(
        timeline,
        0.75,
        aicha,
        atelier,
        [(camille, "against")],
        kind="in_kind",
        title="Mannequins de couture d'occasion",
        proposed_price_cents=90_000,
        price_explanation="Prix neuf",
    )
    with timeline.frozen(atelier, 0.8):
        need = services.need_create(
            user=camille,
            commons_slug=atelier,
            kind="in_kind",
            title="Une brodeuse numérique",
            description="Pour personnaliser les pièces réparées et les vendre.",
            target_cents=600_000,
        )
    # Submitted now, so its vote is still open when the demo is shown.
    pending = services.contribution_create(
        user=ines,
        commons_slug=atelier,
        kind="cash",
        title="Participation à l'achat de la brodeuse",
        proposed_price_cents=150_000,
        need_id=need.pk,
    )
    services.contribution_submit(user=ines, contribution_id=pending.pk)

    # The software commons: labour, mostly.
    marc = people["marc"]
    carto = "carto-libre"
    scic = _agent(marc, "SCIC Code Commun")
    _contribute(
        timeline,
        0.1,
        marc,
        carto,
        [(ines, "for")],
        agent_id=scic,
        kind="labour",
        title="Moteur de tuiles vectorielles",
        quantity=Decimal("120"),
        unit="h",
        unit_price_cents=5000,
        proposed_price_cents=600_000,
        resource_account="205",
    )
    _contribute(
        timeline,
        0.45,
        ines,
        carto,
        [(marc, "for")],
        kind="labour",
        title="Traduction et documentation en français",
        quantity=Decimal("60"),
        unit="h",
        unit_price_cents=4500,
        proposed_price_cents=270_000,
    )
    with timeline.frozen(carto, 0.7):
        transfer = titles_services.transfer_propose(
            user=marc,
            commons_slug=carto,
            seller_agent_id=scic,
            buyer_agent_id=_agent(ines),
            units=Decimal("50"),
            unit_price_cents=1050,
        )
    with timeline.frozen(carto, 0.71):
        titles_services.transfer_accept(user=ines, transfer_id=transfer.pk)

    # The soil fund: cash from the farm and the cooperative bank.
    yannick, louis = people["yannick"], people["louis"]
    fonds = "fonds-sols-vivants"
    _contribute(
        timeline,
        0.15,
        yannick,
        fonds,
        [(louis, "for")],
        agent_id=_agent(yannick, "GAEC des Trois Chênes"),
        kind="cash",
        title="Apport de la ferme au fonds",
        proposed_price_cents=1_000_000,
    )
    _contribute(
        timeline,
        0.3,
        louis,
        fonds,
        [(yannick, "for")],
        agent_id=_agent(louis, "Banque Coopérative des Terroirs"),
        kind="cash",
        title="Souscription de la banque coopérative",
        proposed_price_cents=2_000_000,
    )
    _contribute(
        timeline,
        0.55,
        yannick,
        fonds,
        [(louis, "for")],
        agent_id=_agent(yannick, "GAEC des Trois Chênes"),
        kind="in_kind",
        title="Mise à disposition de deux hectares de prairie",
        proposed_price_cents=1_200_000,
        resource_account="211",
    )
