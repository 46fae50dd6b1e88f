"""The demo's financings: the development agency's grant and loan to the soil fund, earmarked to
its meadow and its carbon objective, accepted by vote, a tranche released on a verified
measurement, the loan's first instalment repaid. Runs after impact's demo (its objectives)."""

from __future__ import annotations

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.funding import services
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.impact import selectors as impact_selectors
from federage.resources import selectors as resources_selectors

FONDS = "fonds-sols-vivants"
AGENCY = "Agence de Développement Solidaire"
VOTERS = ("yannick.legoff", "louis.bernard", "aicha.benali", "camille.martin", "ines.moreau")


def _user(name: str, domain_name: str):
    return account_selectors.user_by_email(email=f"{name}@{domain_name}")


def _vote(financing, domain_name: str) -> None:
    """Every member in the electorate votes for (the agency itself never votes on its offer)."""
    proposal = governance_selectors.proposal_get(proposal_id=financing.proposal_id)
    electorate = set(governance_selectors.electorate(proposal))
    for name in VOTERS:
        user = _user(name, domain_name)
        if user is None:
            continue
        for agent_id in sorted(agent_selectors.agent_ids_of_user(user=user) & electorate):
            if governance_selectors.proposal_get(proposal_id=proposal.pk).status == "open":
                governance_services.ballot_cast(
                    user=user, proposal_id=proposal.pk, choice="for", agent_id=agent_id
                )
    financing.refresh_from_db()


def demo_load_funding(domain_name: str = "demo.federage.fr") -> None:
    sofia = _user("sofia.rossi", domain_name)
    yannick = _user("yannick.legoff", domain_name)
    agency = agent_selectors.agents_of_user(user=sofia).get(display_name=AGENCY)
    commons = commons_selectors.commons_get_public(slug=FONDS)
    meadow = next(
        r for r in resources_selectors.resources_of(commons=commons) if r["key"] == "prairie"
    )
    carbon = next(
        o
        for o in impact_selectors.objectives_of_commons(commons_id=commons.pk, reader=yannick)
        if o["indicator_code"] == "ghg_avoided"
    )
    today = clock.today()

    # A grant in three tranches: one at signature, one once 150 tCO2e are verified (already
    # the case: released as soon as the vote accepts it), one at 600 tCO2e (still waiting).
    grant = services.financing_offer(
        user=sofia,
        agent_id=agency.pk,
        commons_slug=FONDS,
        kind="grant_operating",
        title="Subvention « Sols vivants » de l'Agence",
        amount_cents=3_000_000,
        conditions="Versée par tranches, sur mesures vérifiées du carbone stocké.",
        resource_ids=[meadow["id"]],
        objective_ids=[carbon["id"]],
        tranches=[
            {"amount_cents": 1_000_000},
            {"amount_cents": 1_000_000, "objective_id": carbon["id"], "threshold": "150"},
            {"amount_cents": 1_000_000, "objective_id": carbon["id"], "threshold": "600"},
        ],
    )
    _vote(grant, domain_name)
    for number in (1, 2):
        try:
            services.tranche_disburse(user=sofia, financing_id=grant.pk, number=number)
        except ApplicationError:
            break  # a milestone not reached in this demo's data: the tranche waits

    # A loan for the meadow's fences and hedges: 20 000 € at 1.5 % over five years.
    loan = services.financing_offer(
        user=sofia,
        agent_id=agency.pk,
        commons_slug=FONDS,
        kind="loan",
        title="Prêt haies et clôtures de l'Agence",
        amount_cents=2_000_000,
        resource_ids=[meadow["id"]],
        objective_ids=[carbon["id"]],
        loan={
            "rate_bp": 150,
            "periods": 5,
            "period_months": 12,
            "method": "constant_annuity",
            "grace_periods": 0,
            "first_due": today,
        },
    )
    _vote(loan, domain_name)
    if loan.status == "accepted":
        services.tranche_disburse(user=sofia, financing_id=loan.pk, number=1)
        services.loan_repay(user=yannick, financing_id=loan.pk)
