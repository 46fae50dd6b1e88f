"""Measurements: declared in the indicator's unit, not before the objective, verified or disputed
by a verifier who is not the declarer; only verified values count in any figure."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from federage.contributions.models import Contribution
from federage.core.errors import ApplicationError
from federage.core.models import Event
from federage.impact import selectors, services
from federage.impact.models import Measurement, MeasurementEvidence
from federage.impact.tests import scene_impact
from federage.impact.tests.scene_impact import adopted, declare

pytestmark = pytest.mark.django_db

# The scene's fixtures, used by name.
frozen, world = scene_impact.frozen, scene_impact.world


def _counts():
    return (
        Measurement.objects.count(),
        MeasurementEvidence.objects.count(),
        Event.objects.count(),
        Contribution.objects.count(),
        list(Measurement.objects.order_by("id").values_list("status", flat=True)),
    )


def _refused(code: str, call, **kwargs):
    before = _counts()
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert _counts() == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"unit": "t"}, "measurement_unit_mismatch"),
        ({"period_start": dt.date(2025, 12, 31)}, "measurement_period_before_objective"),
        (
            {"period_end": dt.date(2025, 12, 31), "period_start": dt.date(2026, 2, 1)},
            "invalid_period",
        ),
        ({"value": "-1"}, "out_of_range"),
        ({"value": "1e12"}, "out_of_range"),
        ({"value": "1.2345"}, "invalid_value"),
        ({"value": "NaN"}, "invalid_value"),
        ({"period_end": dt.date(2027, 1, 1)}, "date_in_future"),
    ],
)
def test_bad_measurement_writes_nothing(world, changes, code):
    objective = adopted(world)
    payload = {
        "objective_id": objective.pk,
        "value": "10",
        "unit": "ha",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 6, 30),
    }
    payload.update(changes)
    _refused(code, services.measurement_declare, user=world.contributor, **payload)


def test_measurement_on_a_proposed_objective_refused(world):
    objective = services.objective_propose(
        user=world.steward,
        commons_slug=world.slug,
        title="x",
        indicator_code="area_regenerated",
        baseline="0",
        target="10",
        starts_on=dt.date(2026, 1, 1),
        target_date=dt.date(2027, 1, 1),
    )
    _refused(
        "objective_not_adopted",
        services.measurement_declare,
        user=world.contributor,
        objective_id=objective.pk,
        value="1",
        unit="ha",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 2, 1),
    )


def test_outsider_cannot_declare(world):
    objective = adopted(world)
    with pytest.raises(ApplicationError):
        declare(world, objective, user=world.outsider)
    assert Measurement.objects.count() == 0


def test_verifier_cannot_verify_own(world):
    objective = adopted(world)
    measurement = declare(world, objective, user=world.verifier)
    _refused(
        "verifier_is_declarer",
        services.measurement_verify,
        user=world.verifier,
        measurement_id=measurement.pk,
    )
    _refused(
        "verifier_is_declarer",
        services.measurement_dispute,
        user=world.verifier,
        measurement_id=measurement.pk,
        comment="non",
    )


def test_the_database_refuses_a_self_review_too(world):
    from django.db import IntegrityError, transaction

    objective = adopted(world)
    measurement = declare(world, objective)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=measurement.pk).update(
            status="verified", reviewed_by=world.contributor, reviewed_at=measurement.declared_at
        )


def test_non_verifier_refused(world):
    objective = adopted(world)
    measurement = declare(world, objective)
    _refused(
        "not_a_verifier",
        services.measurement_verify,
        user=world.steward,
        measurement_id=measurement.pk,
    )
    _refused(
        "not_a_verifier",
        services.measurement_verify,
        user=world.outsider,
        measurement_id=measurement.pk,
    )


def test_dispute_needs_a_comment(world):
    objective = adopted(world)
    measurement = declare(world, objective)
    _refused(
        "required",
        services.measurement_dispute,
        user=world.verifier,
        measurement_id=measurement.pk,
        comment="  ",
    )
    disputed = services.measurement_dispute(
        user=world.verifier, measurement_id=measurement.pk, comment="Pas de pièce justificative"
    )
    assert disputed.status == "disputed"
    assert disputed.review_comment == "Pas de pièce justificative"


def test_verified_is_immutable_and_a_correction_supersedes(world):
    objective = adopted(world)
    first = declare(world, objective, value="10")
    services.measurement_verify(user=world.verifier, measurement_id=first.pk, comment="ok")
    _refused(
        "measurement_not_declared",
        services.measurement_verify,
        user=world.verifier2,
        measurement_id=first.pk,
    )
    _refused(
        "measurement_not_declared",
        services.measurement_dispute,
        user=world.verifier2,
        measurement_id=first.pk,
        comment="non",
    )
    correction = declare(world, objective, value="12", supersedes_id=first.pk)
    # Until the correction is verified, the verified value stands.
    assert selectors.objective_progress(objective_id=objective.pk)["verified_total"] == Decimal(
        "10"
    )
    _refused(
        "measurement_already_corrected",
        services.measurement_declare,
        user=world.contributor,
        objective_id=objective.pk,
        value="13",
        unit="ha",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        supersedes_id=first.pk,
    )
    services.measurement_verify(user=world.verifier2, measurement_id=correction.pk)
    first.refresh_from_db()
    assert first.status == "superseded"
    assert selectors.objective_progress(objective_id=objective.pk)["verified_total"] == Decimal(
        "12"
    )


def test_verify_emits_the_fact_in_the_transaction(world, monkeypatch):
    from federage.core import reactions

    seen = []
    monkeypatch.setitem(
        reactions._TABLE, "measurement.verified", (lambda **data: seen.append(data),)
    )
    objective = adopted(world)
    measurement = declare(world, objective)
    services.measurement_verify(user=world.verifier, measurement_id=measurement.pk)
    assert seen == [
        {
            "commons_id": world.commons.pk,
            "objective_id": objective.pk,
            "measurement_id": measurement.pk,
        }
    ]


def test_verifier_hours_become_a_draft_labour_contribution(world):
    objective = adopted(world)
    measurement = declare(world, objective)
    _refused(
        "required",
        services.measurement_verify,
        user=world.verifier,
        measurement_id=measurement.pk,
        hours="2",
    )
    verified = services.measurement_verify(
        user=world.verifier, measurement_id=measurement.pk, hours="2.5", hourly_rate_cents=4000
    )
    contribution = Contribution.objects.get(pk=verified.labour_contribution_id)
    assert contribution.kind == "labour"
    assert contribution.state == "draft"
    assert contribution.proposed_price_cents == 10_000
    assert contribution.author_id == world.verifier.pk


def test_evidence_is_stored_and_listed(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    objective = adopted(world)
    measurement = declare(world, objective)
    data = b"parcelle;surface\nA;4.2\n"
    evidence = services.measurement_evidence_add(
        user=world.contributor,
        measurement_id=measurement.pk,
        name="releve.csv",
        size=len(data),
        stream=io.BytesIO(data),
    )
    assert services.evidence_path(evidence.sha256).read_bytes() == data
    _refused(
        "evidence_type_forbidden",
        services.measurement_evidence_add,
        user=world.contributor,
        measurement_id=measurement.pk,
        name="x.exe",
        size=3,
        stream=io.BytesIO(b"MZ\x00"),
    )
    _refused(
        "permission_denied",
        services.measurement_evidence_add,
        user=world.approver1,
        measurement_id=measurement.pk,
        name="a.csv",
        size=3,
        stream=io.BytesIO(b"a;b"),
    )
    row = selectors.measurement_row(measurement_id=measurement.pk)
    assert [item["name"] for item in row["evidence"]] == ["releve.csv"]


# --- Only verified values count anywhere public (a property over random sequences) ----------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("declare"), st.integers(0, 5000), st.integers(0, 2)),
        st.tuples(st.just("verify"), st.integers(0, 20), st.integers(0, 2)),
        st.tuples(st.just("dispute"), st.integers(0, 20), st.integers(0, 2)),
    ),
    max_size=12,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_public_figures_count_verified_values_only(world, api_client, operations):
    objective = adopted(world, title=f"Objectif {Measurement.objects.count()}")
    people = [world.contributor, world.verifier, world.verifier2]
    reviewers = [world.verifier, world.verifier2, world.steward]
    made: list[tuple[int, Decimal, int]] = []  # (id, value, declarer index)
    status: dict[int, str] = {}
    for operation, number, who in operations:
        if operation == "declare":
            value = Decimal(number).scaleb(-1)
            measurement = declare(world, objective, value=str(value), user=people[who])
            made.append((measurement.pk, value, who))
            status[measurement.pk] = "declared"
            continue
        if not made:
            continue
        measurement_id, _, declarer = made[number % len(made)]
        reviewer = reviewers[who]
        try:
            if operation == "verify":
                services.measurement_verify(user=reviewer, measurement_id=measurement_id)
            else:
                services.measurement_dispute(
                    user=reviewer, measurement_id=measurement_id, comment="douteux"
                )
        except ApplicationError as error:
            expected = (
                "not_a_verifier"
                if reviewer is world.steward
                else "verifier_is_declarer"
                if reviewer is people[declarer]
                else "measurement_not_declared"
            )
            assert error.code == expected
            continue
        assert status[measurement_id] == "declared"
        assert reviewer is not people[declarer]
        status[measurement_id] = "verified" if operation == "verify" else "disputed"
    expected = sum((value for pk, value, _ in made if status[pk] == "verified"), Decimal(0))
    progress = selectors.objective_progress(objective_id=objective.pk)
    assert progress["verified_total"] == expected
    assert progress["progress_bp"] == min(10_000, int(expected * 10_000 // Decimal(120)))
    [public] = [
        row
        for row in selectors.public_objectives(commons=world.commons)
        if row["id"] == objective.pk
    ]
    assert Decimal(public["verified_total"]) == expected
    shown = [
        row
        for row in selectors.public_measurements(commons=world.commons)
        if row["objective_id"] == objective.pk
    ]
    assert {row["id"] for row in shown} == {pk for pk, s in status.items() if s == "verified"}
    response = api_client().get(f"/public/commons/{world.slug}/objectives")
    assert response.status_code == 200
    [over_http] = [row for row in response.json() if row["id"] == objective.pk]
    assert Decimal(over_http["verified_total"]) == expected
    outsider_view = selectors.objective_detail(user=world.outsider, objective_id=objective.pk)
    assert all(row["status"] == "verified" for row in outsider_view["measurements"])
    assert all(row["declared_by_name"] == "" for row in outsider_view["measurements"])


def test_verified_totals_by_indicator_sum_verified_values_only(world):
    hectares = adopted(world)
    more_hectares = adopted(world, title="Haies replantées")
    first = declare(world, hectares, value="12.5")
    second = declare(world, more_hectares, value="7.25")
    declare(world, hectares, value="100")  # declared, never verified: it counts nowhere
    disputed = declare(world, more_hectares, value="40")
    for measurement in (first, second):
        services.measurement_verify(user=world.verifier, measurement_id=measurement.pk)
    services.measurement_dispute(
        user=world.verifier, measurement_id=disputed.pk, comment="Relevé illisible"
    )
    assert selectors.verified_totals_by_indicator(commons_ids=[world.commons.pk]) == [
        {"code": "area_regenerated", "unit": "ha", "total": "19.750"}
    ]
    assert selectors.verified_totals_by_indicator(commons_ids=[]) == []
