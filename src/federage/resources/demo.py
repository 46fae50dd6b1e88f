"""Demo resources: the workshop's machines rented by a local company, the soil fund's meadow.

Called at the end of demo/loader.demo_load(), after the books and the contributions: the
resources are formed from the demo's accepted in-kind contributions, uses are declared through
the services (so every levy is booked, owed and, for most, paid), and the demo's transfer taxes
are collected. Everything goes through the services, as a user would.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.contributions import selectors as contribution_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger import receivables
from federage.resources import services

logger = logging.getLogger(__name__)

ATELIER, FONDS = "atelier-textile-circulaire", "fonds-sols-vivants"
DAY = dt.timedelta(days=1)


def _user(name: str, domain_name: str):
    return account_selectors.user_by_email(email=f"{name}@{domain_name}")


def _contribution_id(user, slug: str, title: str) -> int | None:
    for contribution in contribution_selectors.contributions_of_commons(user=user, slug=slug):
        if contribution.title == title and contribution.accepted_price_cents:
            return contribution.pk
    return None


def _agent(user, name: str):
    return agent_selectors.agents_of_user(user=user).get(display_name=name)


def demo_load_resources(domain_name: str = "demo.federage.fr") -> None:
    """Adds the resource register, uses, levies and their payments to the demo commons."""
    camille = _user("camille.martin", domain_name)
    yannick = _user("yannick.legoff", domain_name)
    marc = _user("marc.dupuis", domain_name)
    today = clock.today()
    year_start = dt.date(today.year, 1, 1)

    # The workshop's overlocker, brought in kind by the association, rented by a local company
    # that makes aprons with it and pays the charter's 3 % levy on each sale.
    juki = _contribution_id(camille, ATELIER, "Surjeteuse industrielle Juki")
    surjeteuse = services.resource_register(
        user=camille,
        commons_slug=ATELIER,
        key="surjeteuse",
        name="Surjeteuse industrielle Juki",
        kind="equipment",
        unit="hour",
        location="Atelier, Roubaix (59)",
        account_code="2154",
        depreciation_years=5,
        in_service_on=year_start,
        contribution_ids=[juki] if juki else [],
    )
    services.resource_register(
        user=camille,
        commons_slug=ATELIER,
        key="table-de-coupe",
        name="Table de coupe de 3 mètres",
        kind="equipment",
        unit="hour",
        location="Atelier, Roubaix (59)",
    )
    company = agent_services.agent_create(
        user=marc,
        kind="company",
        display_name="Confections Roubaisiennes",
        siren="900100066",
        description="Petite entreprise de confection (fictive) qui loue les machines de l'atelier.",
    )
    sales = [(84, 186_000), (64, 142_500), (44, 231_000), (24, 98_000), (10, 154_000)]
    usages = []
    for days_ago, sale in sales:
        end = today - days_ago * DAY
        start = end - 4 * DAY
        if start < year_start:
            continue  # a closed year takes no new entry
        usages.append(
            services.usage_declare(
                user=marc,
                commons_slug=ATELIER,
                resource_id=surjeteuse.pk,
                agent_id=company.pk,
                quantity=Decimal(sale // 6000),
                unit="hour",
                period_start=start,
                period_end=end,
                commercial=True,
                sale_amount_cents=sale,
            )
        )
    # Paid in full, but one partly paid, one overdue (its term ran, nothing paid) and the
    # latest not yet due.
    for index, usage in enumerate(usages):
        if not usage.due_id:
            continue
        due = receivables.due_get(due_id=usage.due_id)
        paid_on = min(due.due_on - 10 * DAY, today)
        if index == 1:
            amount = due.amount_cents // 2
        elif index == 2 or index == len(usages) - 1:
            continue
        else:
            amount = due.amount_cents
        services.due_pay(
            user=camille,
            commons_slug=ATELIER,
            due_id=due.pk,
            amount_cents=amount,
            paid_on=max(paid_on, usage.period_end),
        )

    # The soil fund's meadow, made available by the GAEC, farmed by members who pay 15 € per
    # hectare and month under a line of the charter they voted.
    gaec = _agent(yannick, "GAEC des Trois Chênes")
    prairie_id = _contribution_id(yannick, FONDS, "Mise à disposition de deux hectares de prairie")
    prairie = services.resource_register(
        user=yannick,
        commons_slug=FONDS,
        key="prairie",
        name="Prairie des Trois Chênes",
        kind="land",
        unit="ha",
        location="Gers (32)",
        account_code="211",
        contribution_ids=[prairie_id] if prairie_id else [],
    )
    _levy_per_hectare(yannick, domain_name)
    first_month = max((today - 75 * DAY).replace(day=1), year_start)
    with clock.frozen(dt.datetime.combine(first_month, dt.time(9), tzinfo=dt.UTC)):
        services.usage_declare(
            user=yannick,
            commons_slug=FONDS,
            resource_id=prairie.pk,
            agent_id=gaec.pk,
            quantity="2",
            unit="ha",
            period_start=first_month,
            recurring=True,
        )
    services.recurring_usages_generate()

    # The demo's transfer taxes: collected, but for the latest one.
    for slug, steward in ((ATELIER, camille), (FONDS, yannick)):
        commons_id = _commons_id(steward, slug)
        taxes = [
            due
            for due in receivables.dues_of(commons_id=commons_id, status="")
            if due.kind == "transfer_tax" and due.paid_cents < due.amount_cents
        ]
        for due in taxes[:-1]:
            try:
                services.due_pay(
                    user=steward,
                    commons_slug=slug,
                    due_id=due.pk,
                    amount_cents=due.amount_cents - due.paid_cents,
                    paid_on=min(due.entry.entry_date + 7 * DAY, today),
                )
            except ApplicationError as error:  # a payment date in a closed year
                logger.info("demo transfer tax %s left due: %s", due.pk, error.code)


def _commons_id(user, slug: str) -> int:
    from federage.commons import selectors as commons_selectors

    return commons_selectors.commons_get_visible(user=user, slug=slug).pk


def _levy_per_hectare(yannick, domain_name: str) -> None:
    """The fund's members vote a levy line of 15 € per hectare on the meadow."""
    commons_id = _commons_id(yannick, FONDS)
    proposal = governance_services.proposal_open(
        user=yannick,
        commons_id=commons_id,
        kind="amend_charter",
        title="Une contribution de 15 € par hectare et par mois pour la prairie",
        body="Les membres qui cultivent la prairie du fonds contribuent à son entretien.",
        payload={"changes": {"levy.prairie.per_unit_cents": 1500}},
    )
    for name in ("louis.bernard", "sofia.rossi", "aicha.benali"):
        if governance_selectors.proposal_get(proposal_id=proposal.pk).status != "open":
            break
        governance_services.ballot_cast(
            user=_user(name, domain_name), proposal_id=proposal.pk, choice="for"
        )
