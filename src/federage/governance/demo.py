"""Demo governance: a charter amendment, passed, rejected, expired and open votes, via the services."""

from __future__ import annotations

import datetime as dt

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.governance import services

DAY = dt.timedelta(days=1)


def _user(email: str):
    user = account_selectors.user_by_email(email=email)
    assert user is not None, f"demo user {email} missing"
    return user


def _commons_id(user, slug: str) -> int:
    return commons_selectors.commons_get_visible(user=user, slug=slug).pk


def _organisation(user, name: str) -> int:
    return agent_selectors.agents_of_user(user=user).get(display_name=name).pk


def _vote(user, proposal, choice: str, comment: str = "", at: dt.datetime | None = None) -> None:
    with clock.frozen(at or clock.now()):
        services.ballot_cast(user=user, proposal_id=proposal.pk, choice=choice, comment=comment)


def demo_load_governance(domain_name: str = "demo.federage.fr") -> None:
    """Adds governance history to the demo commons; called at the end of demo_load()."""
    people = {
        key: _user(f"{email}@{domain_name}")
        for key, email in {
            "camille": "camille.martin",
            "yannick": "yannick.legoff",
            "aicha": "aicha.benali",
            "louis": "louis.bernard",
            "sofia": "sofia.rossi",
            "marc": "marc.dupuis",
            "ines": "ines.moreau",
        }.items()
    }
    now = clock.now()
    atelier = _commons_id(people["camille"], "atelier-textile-circulaire")

    # Passed two months ago: the transfer tax goes from 1 % to 2 %, a 3 % commercial levy.
    opened = now - 60 * DAY
    with clock.frozen(opened):
        amendment = services.proposal_open(
            user=people["camille"],
            commons_id=atelier,
            kind="amend_charter",
            title="Porter la taxe sur les cessions à 2 % et créer une redevance de 3 %",
            body=(
                "Les cessions de parts se multiplient : une taxe de 2 % et une redevance de 3 % "
                "sur les ventes de pièces fabriquées avec les machines financent l'entretien."
            ),
            payload={"changes": {"transfer_tax_bp": 200, "levy.default.rate_bp": 300}},
        )
    _vote(people["aicha"], amendment, "for", "D'accord, l'entretien coûte cher.", opened + DAY)
    _vote(people["ines"], amendment, "for", "", opened + 2 * DAY)

    # Rejected last month: opening on Sundays.
    opened = now - 40 * DAY
    with clock.frozen(opened):
        sunday = services.proposal_open(
            user=people["aicha"],
            commons_id=atelier,
            kind="free_motion",
            title="Ouvrir l'atelier le dimanche matin",
            body="Beaucoup de couturières ne sont libres que le dimanche.",
        )
    _vote(people["camille"], sunday, "against", "Pas de bénévole pour ouvrir.", opened + DAY)
    _vote(people["sofia"], sunday, "for", "", opened + 2 * DAY)
    _vote(people["ines"], sunday, "against", "", opened + 3 * DAY)

    # Open now: admitting the software cooperative, one ballot so far.
    with clock.frozen(now - 2 * DAY):
        admit = services.proposal_open(
            user=people["camille"],
            commons_id=atelier,
            kind="admit_member",
            title="Admettre la SCIC Code Commun comme contributrice",
            body="La SCIC propose de maintenir le logiciel de suivi des stocks de l'atelier.",
            payload={
                "agent_id": _organisation(people["marc"], "SCIC Code Commun"),
                "roles": ["contributor"],
            },
        )
    _vote(people["aicha"], admit, "for", "Bienvenue !", now - DAY)
    services.proposal_comment_add(
        user=people["ines"], proposal_id=admit.pk, body="Qui formera les bénévoles au logiciel ?"
    )

    # Expired: too few voters in the soil fund before the deadline.
    fonds = _commons_id(people["yannick"], "fonds-sols-vivants")
    opened = now - 20 * DAY
    with clock.frozen(opened):
        protocol = services.proposal_open(
            user=people["yannick"],
            commons_id=fonds,
            kind="free_motion",
            title="Adopter le protocole de mesure du carbone des sols",
            body="Un prélèvement par parcelle et par an, analysé par un laboratoire agréé.",
        )
    _vote(people["louis"], protocol, "for", "", opened + DAY)
    with clock.frozen(opened + 8 * DAY):
        services.proposals_close_due(commons_id=fonds)

    # Open in the software commons.
    carto = _commons_id(people["marc"], "carto-libre")
    with clock.frozen(now - DAY):
        licence = services.proposal_open(
            user=people["ines"],
            commons_id=carto,
            kind="free_motion",
            title="Publier les données cartographiques sous licence ODbL",
        )
    _vote(people["camille"], licence, "for", "Comme OpenStreetMap.", now - DAY / 2)
