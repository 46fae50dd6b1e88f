"""Objectives: proposed, adopted or changed only by an adopt_objective decision; refusals write
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.impact import selectors, services
from federage.impact.models import Objective
from federage.impact.tests import scene_impact
from federage.impact.tests.scene_impact import adopted, declare, fields, vote

pytestmark = pytest.mark.django_db

# The scene's fixtures, used by name.
frozen, world = scene_impact.frozen, scene_impact.world


def _refused(code: str, call, *args, **kwargs):
    before = (Objective.objects.count(), governance_selectors_count())
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    assert (Objective.objects.count(), governance_selectors_count()) == before


def governance_selectors_count() -> int:
    from federage.governance.models import Proposal  # test-only read of the vote rows

    return Proposal.objects.count()


def test_catalogue_is_seeded():
    codes = {row["code"]: row for row in selectors.indicators_all()}
    for code in (
        "ghg_avoided",
        "ghg_emissions",
        "energy_saved",
        "energy_produced",
        "area_regenerated",
        "waste_recycled",
        "water_saved",
        "jobs_created",
        "training_hours",
        "people_reached",
    ):
        assert code in codes
    assert codes["ghg_avoided"]["references"] == {"iris": "OI4862", "eu": "CCM", "sdg": "13.2"}
    assert codes["ghg_emissions"]["direction"] == "decrease"
    assert codes["area_regenerated"]["unit"] == "ha"
    factors = {row["code"]: row for row in selectors.emission_factors()}
    assert factors["electricity_fr"]["kg_co2e_per_unit"] == "0.052000"
    assert factors["diesel_road"]["source"] == "ADEME Base Empreinte"


def test_propose_opens_a_vote_and_the_decision_adopts(world):
    objective = services.objective_propose(user=world.steward, commons_slug=world.slug, **fields())
    assert objective.status == "proposed"
    proposal = governance_selectors.proposal_get(proposal_id=objective.proposal_id)
    assert proposal.kind == "adopt_objective"
    assert proposal.payload["objective_id"] == objective.pk
    assert proposal.payload["target"] == "120.000"
    assert vote(world, objective.proposal_id) == "passed"
    objective.refresh_from_db()
    assert objective.status == "adopted"
    assert objective.decision_id is not None
    assert objective.proposal_id == proposal.pk


def test_rejected_decision_rejects(world):
    objective = services.objective_propose(user=world.steward, commons_slug=world.slug, **fields())
    assert vote(world, objective.proposal_id, "against") == "rejected"
    objective.refresh_from_db()
    assert objective.status == "rejected"
    assert objective.decision_id is None


def test_change_applies_only_when_passed(world):
    objective = adopted(world)
    changed = services.objective_change(user=world.steward, objective_id=objective.pk, target="150")
    objective.refresh_from_db()
    assert objective.target == Decimal("120")  # nothing changes before the decision
    assert vote(world, changed.pending_proposal_id) == "passed"
    objective.refresh_from_db()
    assert objective.target == Decimal("150")
    assert objective.proposal_id == changed.pending_proposal_id


def test_change_rejected_leaves_objective(world):
    objective = adopted(world)
    first_decision = objective.decision_id
    changed = services.objective_change(user=world.steward, objective_id=objective.pk, target="150")
    assert vote(world, changed.pending_proposal_id, "against") == "rejected"
    objective.refresh_from_db()
    assert objective.status == "adopted"
    assert objective.target == Decimal("120")
    assert objective.decision_id == first_decision


def test_change_of_a_proposed_objective_refused(world):
    objective = services.objective_propose(user=world.steward, commons_slug=world.slug, **fields())
    _refused(
        "objective_not_adopted",
        services.objective_change,
        user=world.steward,
        objective_id=objective.pk,
        target="200",
    )


def test_change_without_decision_refused_by_the_effect(world):
    """An effect run for a proposal that is not this objective's decision changes nothing."""
    objective = adopted(world)
    other = adopted(world, title="Autre")
    changed = services.objective_change(user=world.steward, objective_id=objective.pk, target="150")
    proposal = governance_selectors.proposal_get(proposal_id=changed.pending_proposal_id)
    proposal.subject_id = other.pk  # a forged link: the payload's objective is not the subject

    class Context:
        status = "passed"
        decision_id = 1

    Context.proposal = proposal
    with pytest.raises(ApplicationError) as caught:
        services.objective_on_decision(Context)
    assert caught.value.code == "objective_change_needs_decision"
    objective.refresh_from_db()
    assert objective.target == Decimal("120")


def test_indicator_cannot_change(world):
    objective = adopted(world)
    _refused(
        "invalid_value",
        services.objective_change,
        user=world.steward,
        objective_id=objective.pk,
        indicator_code="ghg_avoided",
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"indicator_code": "nope"}, "indicator_unknown"),
        ({"target": "0"}, "objective_target_not_beyond_baseline"),
        ({"target_date": dt.date(2025, 1, 1)}, "objective_dates_invalid"),
        ({"terms": ["climat", "pas-un-terme"]}, "term_unknown"),
        ({"target": "1.0001"}, "invalid_value"),
        ({"target": "1000000000000"}, "out_of_range"),
        ({"title": "  "}, "required"),
        ({"resource_ids": [999999]}, "resource_other_commons"),
    ],
)
def test_bad_objective_writes_nothing(world, changes, code):
    _refused(
        code,
        services.objective_propose,
        user=world.steward,
        commons_slug=world.slug,
        **fields(**changes),
    )


def test_decrease_direction_target_below(world):
    objective = adopted(
        world, indicator_code="ghg_emissions", baseline="100", target="60", title="Bilan carbone"
    )
    assert objective.indicator.direction == "decrease"
    _refused(
        "objective_target_not_beyond_baseline",
        services.objective_propose,
        user=world.steward,
        commons_slug=world.slug,
        **fields(indicator_code="ghg_emissions", baseline="100", target="120"),
    )


def test_terms_are_validated_and_linked(world):
    objective = adopted(world, terms=["climat", "biodiversite"])
    assert sorted(objective.terms.values_list("code", flat=True)) == ["biodiversite", "climat"]


def test_outsider_cannot_propose(world):
    with pytest.raises(ApplicationError):
        services.objective_propose(user=world.outsider, commons_slug=world.slug, **fields())
    assert Objective.objects.count() == 0


def test_objectives_of_commons_public_view(world):
    adopted(world)
    services.objective_propose(user=world.steward, commons_slug=world.slug, **fields(title="B"))
    member_rows = selectors.objectives_of_commons(commons_id=world.commons.pk, reader=world.steward)
    outsider_rows = selectors.objectives_of_commons(
        commons_id=world.commons.pk, reader=world.outsider
    )
    assert len(member_rows) == 2
    assert [row["status"] for row in outsider_rows] == ["adopted"]


def test_progress_contract(world):
    objective = adopted(world)
    measurement = declare(world, objective, value="30")
    progress = selectors.objective_progress(objective_id=objective.pk)
    assert progress["verified_total"] == Decimal("0")
    services.measurement_verify(user=world.verifier, measurement_id=measurement.pk)
    progress = selectors.objective_progress(objective_id=objective.pk)
    assert set(progress) >= {
        "objective_id",
        "indicator_code",
        "unit",
        "baseline",
        "target",
        "verified_total",
        "progress_bp",
        "status",
    }
    assert progress["verified_total"] == Decimal("30")
    assert progress["progress_bp"] == 2500
    assert progress["status"] == "adopted"
    assert selectors.measurement_status(measurement_id=measurement.pk) == "verified"
    assert selectors.measurement_status(measurement_id=10**9) is None
    assert selectors.objective_commons_id(objective_id=objective.pk) == world.commons.pk
    assert selectors.objective_commons_id(objective_id=10**9) is None
    with pytest.raises(ApplicationError):
        selectors.objective_progress(objective_id=10**9)
