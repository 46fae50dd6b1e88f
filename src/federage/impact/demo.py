"""Demo impact: the soil fund's tCO2e and hectare objectives, the workshop's tonnes recycled.

Called by demo/loader.demo_load() after demo_load_resources(). Each objective is proposed by the
steward and adopted by the members' vote; measurements are declared with small evidence files,
then verified or disputed by Aïcha, the fund's verifier (the workshop's stewards give her the
role there too). Dates follow the demo's clock, so two loads on the same day are identical.
"""

from __future__ import annotations

import datetime as dt
import io

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.impact import services, taxonomy

ATELIER, FONDS = "atelier-textile-circulaire", "fonds-sols-vivants"
DAY = dt.timedelta(days=1)


def _user(name: str, domain_name: str):
    return account_selectors.user_by_email(email=f"{name}@{domain_name}")


def _adopt(user, slug: str, voters: list, **fields):
    objective = services.objective_propose(user=user, commons_slug=slug, **fields)
    for voter in voters:
        if governance_selectors.proposal_get(proposal_id=objective.proposal_id).status != "open":
            break
        governance_services.ballot_cast(user=voter, proposal_id=objective.proposal_id, choice="for")
    objective.refresh_from_db()
    return objective


def _declare(
    user,
    objective,
    value: str,
    start: dt.date,
    end: dt.date,
    method: str,
    evidence: tuple[str, bytes] | None = None,
):
    measurement = services.measurement_declare(
        user=user,
        objective_id=objective.pk,
        value=value,
        unit=objective.indicator.unit,
        period_start=start,
        period_end=end,
        method=method,
    )
    if evidence is not None:
        name, content = evidence
        services.measurement_evidence_add(
            user=user,
            measurement_id=measurement.pk,
            name=name,
            size=len(content),
            stream=io.BytesIO(content),
        )
    return measurement


def demo_load_impact(domain_name: str = "demo.federage.fr") -> None:
    """Adds objectives, measurements and their reviews to the demo's fund and workshop."""
    yannick = _user("yannick.legoff", domain_name)
    aicha = _user("aicha.benali", domain_name)
    louis = _user("louis.bernard", domain_name)
    sofia = _user("sofia.rossi", domain_name)
    camille = _user("camille.martin", domain_name)
    ines = _user("ines.moreau", domain_name)
    today = clock.today()
    last_year = dt.date(today.year - 1, 1, 1)
    last_year_end = dt.date(today.year - 1, 12, 31)
    this_year = dt.date(today.year, 1, 1)
    recent = max(this_year, today - 30 * DAY)

    # The soil fund: carbon stored by its farms under a Label bas-carbone method, and hectares
    # brought back to living soil.
    carbon = _adopt(
        yannick,
        FONDS,
        [louis, sofia, aicha],
        title="Carbone stocké dans les sols des fermes du fonds",
        indicator_code="ghg_avoided",
        baseline="0",
        target="1200",
        starts_on=last_year,
        target_date=dt.date(today.year + 4, 12, 31),
        method="Couverts végétaux permanents, réduction du travail du sol, haies ; "
        "suivi annuel des pratiques et analyses de sol tous les cinq ans.",
        method_reference="Label bas-carbone, méthode « Grandes cultures »",
        terms=["climat", "climat.sequestration"] if _term("climat.sequestration") else ["climat"],
    )
    hectares = _adopt(
        yannick,
        FONDS,
        [louis, sofia, aicha],
        title="Hectares en agriculture régénératrice",
        indicator_code="area_regenerated",
        baseline="0",
        target="350",
        starts_on=last_year,
        target_date=dt.date(today.year + 3, 12, 31),
        method="Surfaces en couverts permanents déclarées à la PAC, vérifiées sur relevés.",
        method_reference="Relevés parcellaires PAC",
        terms=["biodiversite"],
    )
    first = _declare(
        yannick,
        carbon,
        "182.400",
        last_year,
        last_year_end,
        "Calcul LBC Grandes cultures sur 9 fermes",
        (
            "bilan-carbone-fermes.csv",
            b"ferme;tco2e\nTrois Chenes;41.2\nLa Brune;38.9\nAutres;102.3\n",
        ),
    )
    services.measurement_verify(
        user=aicha,
        measurement_id=first.pk,
        comment="Rapport de suivi et calculs conformes à la méthode.",
    )
    disputed = _declare(
        yannick,
        carbon,
        "96.000",
        this_year,
        recent,
        "Estimation à mi-année",
        ("estimation-mi-annee.txt", b"Estimation a mi-annee, sans analyses de sol.\n"),
    )
    services.measurement_dispute(
        user=aicha,
        measurement_id=disputed.pk,
        comment="Une estimation à mi-année n'est pas une mesure : attendre le suivi annuel.",
    )
    area = _declare(
        yannick,
        hectares,
        "124.500",
        last_year,
        last_year_end,
        "Déclarations PAC des fermes membres",
        ("surfaces-pac.csv", b"ferme;ha\nTrois Chenes;42.0\nLa Brune;37.5\nAutres;45.0\n"),
    )
    services.measurement_verify(user=aicha, measurement_id=area.pk, comment="Relevés vérifiés.")
    _declare(
        yannick,
        hectares,
        "38.000",
        this_year,
        recent,
        "Nouvelles parcelles en couverts",
        ("nouvelles-parcelles.csv", b"parcelle;ha\nP12;18.0\nP13;20.0\n"),
    )

    # The workshop: tonnes of textile collected and sent back into use; Aïcha, an approver there,
    # is given the verifier role by the steward.
    atelier = commons_selectors.commons_get_visible(user=camille, slug=ATELIER)
    for membership in commons_selectors.active_members(commons=atelier):
        if aicha.pk in _user_ids(membership.agent_id):
            roles = commons_selectors.membership_roles(membership)
            if "verifier" not in roles:
                commons_services.membership_set_roles(
                    user=camille,
                    slug=ATELIER,
                    membership_id=membership.pk,
                    roles=[*roles, "verifier"],
                )
    recycled = _adopt(
        camille,
        ATELIER,
        [aicha, ines],
        title="Textiles recyclés ou réemployés",
        indicator_code="waste_recycled",
        baseline="0",
        target="40",
        starts_on=last_year,
        target_date=dt.date(today.year + 2, 12, 31),
        method="Pesée à l'entrée de l'atelier et à la sortie (réemploi, réparation, recyclage).",
        method_reference="Registre des pesées",
        terms=["production-circulaire"],
    )
    weighed = _declare(
        camille,
        recycled,
        "11.850",
        last_year,
        last_year_end,
        "Registre des pesées",
        ("registre-pesees.csv", b"mois;kg\njanvier;870\nfevrier;910\n"),
    )
    services.measurement_verify(user=aicha, measurement_id=weighed.pk, comment="Registre tenu.")
    _declare(camille, recycled, "4.200", this_year, recent, "Registre des pesées")


def _term(code: str) -> bool:
    return bool(taxonomy.term_codes_under(code))


def _user_ids(agent_id: int) -> set[int]:
    return agent_selectors.user_ids_of_agents(agent_ids=[agent_id])
