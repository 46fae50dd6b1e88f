"""Carbon footprints: lines of activity × factor (value copied, rounded half to even) recorded
as one measurement of a ghg_emissions objective; archived or unknown factors refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.core.errors import ApplicationError
from federage.impact import domain, services
from federage.impact.models import EmissionFactor, EmissionLine, Measurement
from federage.impact.tests import scene_impact
from federage.impact.tests.scene_impact import adopted

pytestmark = pytest.mark.django_db

# The scene's fixtures, used by name.
frozen, world = scene_impact.frozen, scene_impact.world


def test_rounding_is_half_even_to_three_decimals():
    assert domain.emission_kg(Decimal("0.0125"), Decimal("1")) == Decimal("0.012")
    assert domain.emission_kg(Decimal("0.0135"), Decimal("1")) == Decimal("0.014")
    assert domain.emission_kg(Decimal("1000"), Decimal("0.052")) == Decimal("52.000")
    assert domain.emission_kg(Decimal("0.5"), Decimal("0.000005")) == Decimal("0.000")
    assert domain.footprint_tonnes([Decimal("52.000"), Decimal("3170.000")]) == Decimal("3.222")
    assert domain.footprint_tonnes([Decimal("0.5")]) == Decimal("0.000")
    assert domain.footprint_tonnes([Decimal("1.5")]) == Decimal("0.002")


def _objective(world):
    return adopted(
        world,
        indicator_code="ghg_emissions",
        baseline="100",
        target="60",
        title="Bilan carbone annuel",
    )


def _footprint(world, objective, lines, **extra):
    return services.footprint_declare(
        user=world.contributor,
        objective_id=objective.pk,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 10, 31),
        lines=lines,
        **extra,
    )


def test_footprint_becomes_a_measurement_with_copied_factors(world):
    objective = _objective(world)
    measurement = _footprint(
        world,
        objective,
        [
            {"category": "2", "factor_code": "electricity_fr", "activity": "12000"},
            {"category": "1", "factor_code": "diesel_road", "activity": "850.5"},
        ],
    )
    assert measurement.unit == "tCO2e"
    # 12000 × 0.052 = 624 kg; 850.5 × 3.17 = 2696.085 kg → 3.320085 t → 3.320
    assert measurement.value == Decimal("3.320")
    lines = list(EmissionLine.objects.filter(measurement=measurement).order_by("id"))
    assert [line.emission_kg for line in lines] == [Decimal("624.000"), Decimal("2696.085")]
    # A later change of the factor never rewrites the footprint.
    EmissionFactor.objects.filter(code="electricity_fr").update(kg_co2e_per_unit=Decimal("0.06"))
    lines[0].refresh_from_db()
    assert lines[0].factor_value == Decimal("0.052")


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([], "footprint_empty"),
        ([{"category": "7", "factor_code": "electricity_fr", "activity": "1"}], "invalid_value"),
        ([{"category": "1", "factor_code": "nope", "activity": "1"}], "emission_factor_unknown"),
        (
            [{"category": "1", "factor_code": "archived", "activity": "1"}],
            "emission_factor_unknown",
        ),
        ([{"category": "1", "factor_code": "diesel_road", "activity": "-3"}], "out_of_range"),
    ],
)
def test_bad_footprint_writes_nothing(world, lines, code):
    staff = world.steward
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    services.emission_factor_add(
        user=staff,
        code="archived",
        label_fr="Vieux",
        label_en="Old",
        activity_unit="kgCO2e/kWh",
        kg_co2e_per_unit="0.1",
        source="ADEME Base Carbone",
        source_version="22.0",
    )
    services.emission_factor_archive(user=staff, code="archived")
    objective = _objective(world)
    before = (Measurement.objects.count(), EmissionLine.objects.count())
    with pytest.raises(ApplicationError) as caught:
        _footprint(world, objective, lines)
    assert caught.value.code == code
    assert (Measurement.objects.count(), EmissionLine.objects.count()) == before


def test_footprint_only_on_emissions_objective(world):
    objective = adopted(world)
    with pytest.raises(ApplicationError) as caught:
        _footprint(
            world, objective, [{"category": "1", "factor_code": "diesel_road", "activity": "1"}]
        )
    assert caught.value.code == "footprint_not_emissions"
    assert Measurement.objects.count() == 0


def test_decrease_progress_reads_the_latest_verified_level(world):
    from federage.impact import selectors

    objective = _objective(world)
    measurement = _footprint(
        world,
        objective,
        [
            {"category": "1", "factor_code": "diesel_road", "activity": "25000"},  # 79.25 t
        ],
    )
    services.measurement_verify(user=world.verifier, measurement_id=measurement.pk)
    progress = selectors.objective_progress(objective_id=objective.pk)
    # (100 − 79.25) ÷ (100 − 60) = 51.875 % → 5187 bp
    assert progress["progress_bp"] == 5187


def test_staff_only_catalogue(world):
    with pytest.raises(ApplicationError) as caught:
        services.indicator_add(
            user=world.steward,
            code="trees_planted",
            label_fr="Arbres",
            label_en="Trees",
            unit="count",
            direction="increase",
        )
    assert caught.value.code == "permission_denied"
    world.steward.is_staff = True
    indicator = services.indicator_add(
        user=world.steward,
        code="trees_planted",
        label_fr="Arbres plantés",
        label_en="Trees planted",
        unit="count",
        direction="increase",
        references={"sdg": "15.2"},
    )
    assert indicator.origin == "instance"
    with pytest.raises(ApplicationError) as caught:
        services.indicator_add(
            user=world.steward,
            code="trees_planted",
            label_fr="x",
            label_en="x",
            unit="count",
            direction="increase",
        )
    assert caught.value.code == "indicator_code_taken"
    with pytest.raises(ApplicationError) as caught:
        services.indicator_add(
            user=world.steward,
            code="bad_unit",
            label_fr="x",
            label_en="x",
            unit="furlongs",
            direction="increase",
        )
    assert caught.value.code == "invalid_value"
