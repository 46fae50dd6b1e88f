"""Discovery by impact: filters at every territorial scale, and rankings that follow their formulas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import services as governance_services
from federage.governance.models import Ballot, Proposal, ProposalVoter
from federage.impact import discovery, taxonomy
from federage.impact.models import Indicator, Location, Measurement, Objective

NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def indicator(code: str, unit: str) -> Indicator:
    found, _ = Indicator.objects.get_or_create(
        code=code,
        defaults={"label_fr": code, "label_en": code, "unit": unit, "direction": "increase"},
    )
    return found


def objective(scene, code: str, unit: str, baseline: str, target: str, status="adopted"):
    return Objective.objects.create(
        commons=scene.commons,
        indicator=indicator(code, unit),
        title=f"{code} de {scene.slug}",
        baseline=Decimal(baseline),
        target=Decimal(target),
        starts_on=dt.date(2026, 1, 1),
        target_date=dt.date(2030, 12, 31),
        status=status,
        decision_id=1 if status == "adopted" else None,
        created_by=scene.steward,
        created_at=NOW,
    )


def measure(scene, goal, value: str, status: str) -> Measurement:
    return Measurement.objects.create(
        objective=goal,
        value=Decimal(value),
        unit=goal.indicator.unit,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        status=status,
        declared_by=scene.contributor,
        declared_at=NOW,
        reviewed_by=None if status == "declared" else scene.other,
        reviewed_at=None if status == "declared" else NOW,
    )


@pytest.fixture
def fixture(make_user, make_commons):
    """Three public commons and a private one:
    - sols (Auch, Gers, Occitanie): 2 000 € received, 30 tCO2e verified (+ 500 declared, 70 disputed);
    - textile (Roubaix): 10 000 € received, 60 tCO2e verified;
    - paris (Paris 1er arrondissement): 1 000 € received, no objective on ghg_avoided;
    - secret (Auch, private): 1 000 tCO2e verified — never found."""
    scenes = {}
    for key, commune, terms in (
        ("sols", "32013", ["climat.sequestration", "biodiversite"]),
        ("textile", "59512", ["production-circulaire.textile"]),
        ("paris", "75101", ["communs-numeriques"]),
    ):
        scene = build(make_user, make_commons, slug=f"commun-{key}")
        taxonomy.commons_classify(
            user=scene.steward, commons_slug=scene.slug, terms=terms, commune_code=commune
        )
        scenes[key] = scene
    accept(scenes["sols"], kind="cash", proposed_price_cents=200_000)
    accept(scenes["textile"], kind="cash", proposed_price_cents=600_000)
    accept(scenes["textile"], kind="cash", proposed_price_cents=400_000)
    accept(scenes["paris"], kind="cash", proposed_price_cents=100_000)
    carbon = objective(scenes["sols"], "ghg_avoided", "tCO2e", "0", "100")
    measure(scenes["sols"], carbon, "20", "verified")
    measure(scenes["sols"], carbon, "10", "verified")
    measure(scenes["sols"], carbon, "500", "declared")
    measure(scenes["sols"], carbon, "70", "disputed")
    textile = objective(scenes["textile"], "ghg_avoided", "tCO2e", "0", "300")
    measure(scenes["textile"], textile, "60", "verified")
    recycled = objective(scenes["textile"], "waste_recycled", "t", "0", "10")
    measure(scenes["textile"], recycled, "5", "verified")
    # A proposed objective never counts, verified or not.
    draft = objective(scenes["paris"], "ghg_avoided", "tCO2e", "0", "10", status="proposed")
    measure(scenes["paris"], draft, "9", "verified")
    secret_steward = make_user(name="Secret")
    secret = make_commons(secret_steward, slug="commun-secret", visibility="private")
    taxonomy.commons_classify(
        user=secret_steward, commons_slug=secret.slug, terms=["climat"], commune_code="32013"
    )

    class Secret:
        commons, steward, contributor, other, slug = secret, secret_steward, None, None, secret.slug

    Secret.contributor = Secret.other = secret_steward
    other = make_user()
    Secret.other = other
    hidden = objective(Secret, "ghg_avoided", "tCO2e", "0", "5000")
    measure(Secret, hidden, "1000", "verified")
    # Paris: a motion only one approver votes on, left to expire (1 ballot of 5 voters).
    motion = governance_services.proposal_open(
        user=scenes["paris"].steward,
        commons_id=scenes["paris"].commons.pk,
        kind="free_motion",
        title="Motion",
    )
    governance_services.ballot_cast(
        user=scenes["paris"].approver1, proposal_id=motion.pk, choice="for"
    )
    with clock.frozen(NOW + dt.timedelta(days=60)):
        governance_services.proposals_close_due(commons_id=scenes["paris"].commons.pk)
    return scenes


def slugs(result) -> list[str]:
    return [row["slug"] for row in result["results"]]


def expected_participation(commons) -> int | None:
    """Formula (c) computed from the governance tables directly."""
    closed = Proposal.objects.filter(
        commons=commons, status__in=("passed", "rejected", "expired")
    ).order_by("-created_at", "-id")[:5]
    eligible = voted = 0
    for proposal in closed:
        voters = set(
            ProposalVoter.objects.filter(proposal=proposal).values_list("agent_id", flat=True)
        )
        ballots = set(
            Ballot.objects.filter(proposal=proposal, is_effective=True).values_list(
                "agent_id", flat=True
            )
        )
        eligible += len(voters)
        voted += len(ballots & voters)
    return voted * 10000 // eligible if eligible else None


def test_territory_search_at_the_three_levels(fixture):
    for filters in ({"commune": "32013"}, {"departement": "32"}, {"region": "76"}):
        assert slugs(discovery.discover(**filters)) == ["commun-sols"], filters
    assert slugs(discovery.discover(region="32")) == ["commun-textile"]
    # Perimeters both ways: Paris finds its arrondissement's commons, and the reverse.
    assert slugs(discovery.discover(commune="75056")) == ["commun-paris"]
    assert slugs(discovery.discover(commune="75101")) == ["commun-paris"]
    assert slugs(discovery.discover(commune="75102")) == []
    assert slugs(discovery.discover(departement="2A")) == []
    # An old code is read as today's commune.
    Location.objects.filter(commons__slug="commun-textile").update(commune_code="01015")
    assert slugs(discovery.discover(commune="01340")) == ["commun-textile"]


def test_filters_by_theme_indicator_text_and_size(fixture):
    assert slugs(discovery.discover(theme="climat")) == ["commun-sols"]
    assert slugs(discovery.discover(theme="production-circulaire")) == ["commun-textile"]
    assert slugs(discovery.discover(indicator="ghg_avoided")) == ["commun-sols", "commun-textile"]
    assert slugs(discovery.discover(q="tCO2e")) == ["commun-sols", "commun-textile"]
    assert slugs(discovery.discover(q="Séquestration")) == ["commun-sols"]
    assert slugs(discovery.discover(q="tCO2e", region="76")) == ["commun-sols"]
    assert slugs(discovery.discover(min_members=6)) == []
    assert len(slugs(discovery.discover(min_members=5))) == 3
    everything = discovery.discover()
    assert "commun-secret" not in slugs(everything)
    values = {row["slug"]: row["titles_value_cents"] for row in everything["results"]}
    assert slugs(discovery.discover(min_value_cents=values["commun-textile"])) == ["commun-textile"]


@pytest.mark.parametrize(
    ("filters", "field", "code"),
    [
        ({"theme": "inexistant"}, "theme", "term_unknown"),
        ({"commune": "99999"}, "commune", "commune_unknown"),
        ({"departement": "00"}, "departement", "invalid_value"),
        ({"sort": "random"}, "sort", "invalid_value"),
        ({"sort": "impact_per_euro"}, "indicator", "required"),
        ({"indicator": "nope"}, "indicator", "not_found"),
    ],
)
def test_bad_filters_are_refused(fixture, filters, field, code):
    with pytest.raises(ApplicationError) as refused:
        discovery.discover(**filters)
    assert refused.value.fields[field].code == code


def test_impact_per_euro_follows_its_formula(fixture):
    found = discovery.discover(indicator="ghg_avoided", sort="impact_per_euro")
    rows = {row["slug"]: row for row in found["results"]}
    # Only verified measurements of adopted objectives count.
    assert rows["commun-sols"]["verified_total"] == "30.000"
    assert rows["commun-textile"]["verified_total"] == "60.000"
    assert rows["commun-sols"]["received_cents"] == 200_000
    assert rows["commun-textile"]["received_cents"] == 1_000_000
    # 30 t / 2 000 € = 0.015 t/€ ; 60 t / 10 000 € = 0.006 t/€.
    assert rows["commun-sols"]["impact_per_euro"] == "0.015000"
    assert rows["commun-textile"]["impact_per_euro"] == "0.006000"
    assert slugs(found) == ["commun-sols", "commun-textile"]
    assert found["formula"] == discovery.FORMULAS["impact_per_euro"]


def test_participation_follows_its_formula(fixture):
    found = discovery.discover(sort="participation")
    by_slug = {row["slug"]: row for row in found["results"]}
    for scene in fixture.values():
        assert by_slug[scene.slug]["participation_bp"] == expected_participation(scene.commons)
    paris = by_slug["commun-paris"]["participation_bp"]
    assert paris is not None and paris < by_slug["commun-sols"]["participation_bp"]
    values = [row["participation_bp"] for row in found["results"]]
    assert values == sorted(values, reverse=True)


def test_progress_follows_its_formula(fixture):
    found = discovery.discover(sort="progress")
    rows = {row["slug"]: row for row in found["results"]}
    # sols: 30 of 100 = 3000 bp; textile: mean of 60/300 = 2000 and 5/10 = 5000 → 3500.
    assert rows["commun-sols"]["progress_bp"] == 3000
    assert rows["commun-textile"]["progress_bp"] == 3500
    assert rows["commun-paris"]["progress_bp"] is None
    assert slugs(found) == ["commun-textile", "commun-sols", "commun-paris"]


def test_the_map_counts_and_totals_per_area(fixture):
    found = discovery.discover_map(indicator="ghg_avoided")
    assert found["unit"] == "tCO2e"
    assert found["departements"] == [
        {"code": "32", "name": "Gers", "count": 1, "verified_total": "30.000"},
        {"code": "59", "name": "Nord", "count": 1, "verified_total": "60.000"},
    ]
    assert {row["code"]: row["count"] for row in found["regions"]} == {"32": 1, "76": 1}
    everything = discovery.discover_map()
    assert sum(row["count"] for row in everything["departements"]) == 3


def test_the_funder_view(fixture, api_client, make_user):
    scene = fixture["sols"]
    view = discovery.funder_view(commons=scene.commons)
    assert view["location"]["commune_name"] == "Auch"
    assert view["books"]["received_cents"] == 200_000
    assert view["books"]["total_assets_cents"] >= 200_000
    assert view["titles"]["value_cents"] > 0
    (carbon,) = view["objectives"]
    assert carbon["verified_total"] == "30.000"
    assert carbon["measurements"] == {"verified": 2, "declared": 1, "disputed": 1}
    assert view["governance"]["participation_bp"] == expected_participation(scene.commons)
    assert view["governance"]["decisions_last_12_months"] >= 1
    public = api_client().get(f"/public/commons/{scene.slug}/funder-view")
    assert public.status_code == 200, public.json()
    text = public.content.decode()
    for user in (scene.steward, scene.approver1, scene.contributor):
        assert user.display_name not in text
    assert api_client().get("/public/commons/commun-secret/funder-view").status_code == 404
    assert (
        api_client(make_user()).get("/impact/commons/commun-secret/funder-view").status_code == 404
    )
    member = api_client(scene.steward).get(f"/impact/commons/{scene.slug}/funder-view")
    assert member.status_code == 200


def test_over_http(fixture, api_client):
    public = api_client()
    found = public.get(
        "/public/discover", indicator="ghg_avoided", region="76", sort="impact_per_euro"
    )
    assert found.status_code == 200, found.json()
    assert [row["slug"] for row in found.json()["results"]] == ["commun-sols"]
    refused = public.get("/public/discover", commune="00000")
    assert refused.status_code == 422
    assert refused.json()["fields"]["commune"]["code"] == "commune_unknown"
    mapped = public.get("/public/discover/map", indicator="ghg_avoided")
    assert mapped.status_code == 200
    assert {row["code"] for row in mapped.json()["departements"]} == {"32", "59"}
