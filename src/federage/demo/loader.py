"""Loads the demo: the commons of DESIGN §5 with their people and organisations, via the services.

Everything is fictional; SIREN numbers are Luhn-valid but invented (prefix 9001).
Every demo user's password is DEMO_PASSWORD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from federage.accounts import selectors as account_selectors
from federage.accounts import services as account_services
from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.contributions.demo import demo_load_contributions
from federage.core import clock
from federage.federation.demo import demo_load_federation
from federage.funding.demo import demo_load_funding
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.governance.demo import demo_load_governance
from federage.impact.demo import demo_load_impact
from federage.impact.demo_territory import demo_load_territories
from federage.ledger import selectors as ledger_selectors
from federage.ledger.demo import DemoBooks, ledger_demo_prepare
from federage.legal.demo import demo_load_legal
from federage.resources.demo import demo_load_resources

DAY = dt.timedelta(days=1)
DEMO_PASSWORD = "federage-demo-2026"  # noqa: S105 - published on purpose, demo only


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    name: str


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    kind: str
    name: str
    siren: str
    representative: str
    description: str


PEOPLE = (
    DemoPerson("camille", "camille.martin@demo.federage.fr", "Camille Martin"),
    DemoPerson("yannick", "yannick.legoff@demo.federage.fr", "Yannick Le Goff"),
    DemoPerson("aicha", "aicha.benali@demo.federage.fr", "Aïcha Benali"),
    DemoPerson("louis", "louis.bernard@demo.federage.fr", "Louis Bernard"),
    DemoPerson("sofia", "sofia.rossi@demo.federage.fr", "Sofia Rossi"),
    DemoPerson("marc", "marc.dupuis@demo.federage.fr", "Marc Dupuis"),
    DemoPerson("ines", "ines.moreau@demo.federage.fr", "Inès Moreau"),
)

ORGANISATIONS = (
    DemoOrganisation(
        "fil",
        "association",
        "Association Fil Commun",
        "900100017",
        "camille",
        "Association de couturières et de créateurs du Roubaisis.",
    ),
    DemoOrganisation(
        "gaec",
        "company",
        "GAEC des Trois Chênes",
        "900100025",
        "yannick",
        "Exploitation en polyculture-élevage, conversion en agriculture de conservation.",
    ),
    DemoOrganisation(
        "banque",
        "cooperative",
        "Banque Coopérative des Terroirs",
        "900100033",
        "louis",
        "Banque coopérative régionale (fictive).",
    ),
    DemoOrganisation(
        "agence",
        "public_body",
        "Agence de Développement Solidaire",
        "900100041",
        "sofia",
        "Agence publique de développement (fictive), financeur.",
    ),
    DemoOrganisation(
        "scic",
        "cooperative",
        "SCIC Code Commun",
        "900100058",
        "marc",
        "Coopérative d'intérêt collectif qui maintient des logiciels libres.",
    ),
)

# slug, name, purpose, category, location, visibility, parent, steward, members {key: roles}
COMMONS = (
    (
        "atelier-textile-circulaire",
        "Atelier textile circulaire",
        "Un atelier partagé qui collecte, répare et transforme les textiles usagés du quartier.",
        "Textile",
        "Roubaix (59)",
        "public",
        None,
        "camille",
        {
            "fil": ["contributor", "approver"],
            "aicha": ["contributor", "approver"],
            "ines": ["contributor"],
            "agence": ["funder"],
        },
    ),
    (
        "fonds-sols-vivants",
        "Fonds Sols Vivants",
        "Un fonds porté par des agriculteurs et leurs partenaires pour régénérer les sols.",
        "Agriculture",
        "Gers (32)",
        "public",
        None,
        "yannick",
        {
            "gaec": ["contributor", "approver"],
            "banque": ["funder", "approver"],
            "agence": ["funder"],
            "aicha": ["verifier"],
        },
    ),
    (
        "sols-vivants-parcelles-gers",
        "Parcelles pilotes du Gers",
        "Douze parcelles pilotes en couverts végétaux permanents, suivies pendant cinq ans.",
        "Agriculture",
        "Auch (32)",
        "public",
        "fonds-sols-vivants",
        "yannick",
        {"gaec": ["contributor"], "aicha": ["verifier"]},
    ),
    (
        "carto-libre",
        "Carto Libre",
        "Un outil libre de cartographie participative, maintenu par ses contributeurs.",
        "Logiciel libre",
        "En ligne",
        "public",
        None,
        "marc",
        {
            "scic": ["contributor", "approver"],
            "ines": ["contributor", "approver"],
            "camille": ["observer"],
        },
    ),
    (
        "cercle-des-financeurs",
        "Cercle des financeurs",
        "Espace privé de coordination entre financeurs.",
        "Financement",
        "Paris (75)",
        "private",
        None,
        "sofia",
        {"banque": ["funder"]},
    ),
)


def demo_is_loaded() -> bool:
    return account_selectors.user_by_email(email=PEOPLE[0].email) is not None


@transaction.atomic
def demo_load() -> list[str]:
    """Creates the demo; returns the slugs of the commons it made."""
    users = {}
    for person in PEOPLE:
        users[person.key] = account_services.user_sign_up(
            email=person.email, password=DEMO_PASSWORD, display_name=person.name
        )
    agents = {key: agent_selectors.self_agent(user=user) for key, user in users.items()}
    for organisation in ORGANISATIONS:
        agents[organisation.key] = agent_services.agent_create(
            user=users[organisation.representative],
            kind=organisation.kind,
            display_name=organisation.name,
            siren=organisation.siren,
            description=organisation.description,
        )
    owner_of = {org.key: org.representative for org in ORGANISATIONS}
    created = []
    for slug, name, purpose, category, location, visibility, parent, steward, members in COMMONS:
        commons_services.commons_create(
            user=users[steward],
            slug=slug,
            name=name,
            purpose=purpose,
            category=category,
            location=location,
            visibility=visibility,
            parent_slug=parent,
        )
        for key, roles in members.items():
            user = users[owner_of.get(key, key)]
            _, link = commons_services.invitation_create(
                user=users[steward], slug=slug, email=user.email, roles=roles
            )
            commons_services.invitation_accept(
                user=user, token=link.rsplit("/", 1)[1], agent_id=agents[key].pk
            )
        created.append(slug)
    assert commons_selectors.commons_all_with_member_counts().count() >= len(created)
    demo_load_governance()
    # The books and the contributions are one history: entries are recorded in date order
    # between the contributions' steps, so each issuance sees the books of its day.
    books = ledger_demo_prepare(created)
    _general_meeting(books, users, agents)
    demo_load_contributions(catch_up=books.catch_up)
    books.finish()
    demo_load_legal()
    demo_load_resources()
    demo_load_impact()
    # After impact: the agency's grant tranches follow the fund's verified carbon.
    demo_load_funding()
    demo_load_territories()
    # Last: commons that cooperate (exchange, borrowed carbon credits) on the books made above.
    demo_load_federation()
    return created


def _general_meeting(books: DemoBooks, users: dict, agents: dict) -> None:
    """The textile workshop's members allocate last year's result in March, as a general
    meeting would: three quarters to reserves, the rest carried forward. The other commons
    leave theirs awaiting allocation, as many do until their meeting."""
    slug = "atelier-textile-circulaire"
    today = clock.today()
    meeting = dt.datetime(today.year, 3, 12, 18, tzinfo=clock.BOOKS_TIME_ZONE)
    if meeting > clock.now() - 3 * DAY:
        return  # the meeting has not been held yet this year
    commons = commons_selectors.commons_all_with_member_counts().get(slug=slug)
    voters = [(users["aicha"], None), (users["ines"], None), (users["sofia"], agents["agence"])]

    def propose_and_vote() -> None:
        book = ledger_selectors.book_of(commons_id=commons.pk)
        rows = ledger_selectors.result_allocations(book=book)
        row = next((r for r in rows if r["period"]["start"].year == today.year - 1), None)
        if row is None or row["status"] != "to_allocate":
            return
        result = row["result_cents"]
        reserves = (result * 3 // 4) // 100 * 100 if result > 0 else 0
        proposal = governance_services.proposal_open(
            user=users["camille"],
            commons_id=commons.pk,
            kind="allocate_result",
            title=f"Affectation du résultat {today.year - 1}",
            body="Trois quarts en réserves pour la brodeuse, le reste en report à nouveau.",
            payload={
                "period_id": row["period"]["id"],
                "reserves_cents": reserves,
                "carry_forward_cents": abs(result) - reserves,
                "distribution_cents": 0,
            },
        )
        for hours, (user, agent) in enumerate(voters, start=20):
            if governance_selectors.proposal_get(proposal_id=proposal.pk).status != "open":
                break
            with clock.frozen(meeting + dt.timedelta(hours=hours)):
                governance_services.ballot_cast(
                    user=user,
                    proposal_id=proposal.pk,
                    choice="for",
                    agent_id=agent.pk if agent else None,
                )

    books.add(slug, meeting, propose_and_vote)
