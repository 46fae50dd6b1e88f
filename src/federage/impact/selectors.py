"""Reads on impact: the indicator catalogue, objectives with their verified progress, measurements,
evidence and emission factors. Every public figure counts VERIFIED measurements only."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.impact import domain
from federage.impact.models import (
    EmissionFactor,
    EmissionLine,
    Indicator,
    Measurement,
    MeasurementEvidence,
    Objective,
)

ZERO = Decimal("0.000")
VERIFIED = "verified"
# What a reader outside the commons may see of its objectives: those a decision adopted.
PUBLIC_OBJECTIVE_STATUSES = ("adopted", "closed")


def value_text(value: Decimal | None) -> str:
    return f"{(value if value is not None else ZERO).quantize(domain.VALUE_STEP)}"


# --- The catalogues ---------------------------------------------------------------------------


def indicator_row(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "label_fr": indicator.label_fr,
        "label_en": indicator.label_en,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "references": dict(indicator.references or {}),
        "term": indicator.term.code if indicator.term_id else None,
        "origin": indicator.origin,
    }


def indicators_all() -> list[dict]:
    return [
        indicator_row(indicator)
        for indicator in Indicator.objects.select_related("term").order_by("code")
    ]


def indicator_by_code(code: str) -> Indicator | None:
    if not isinstance(code, str):
        return None
    return Indicator.objects.filter(code=code).first()


def factor_row(factor: EmissionFactor) -> dict:
    return {
        "code": factor.code,
        "label_fr": factor.label_fr,
        "label_en": factor.label_en,
        "activity_unit": factor.activity_unit,
        "kg_co2e_per_unit": f"{factor.kg_co2e_per_unit.quantize(domain.FACTOR_STEP)}",
        "uncertainty_pct": factor.uncertainty_pct,
        "source": factor.source,
        "source_version": factor.source_version,
        "archived": factor.archived,
    }


def emission_factors(*, include_archived: bool = False) -> list[dict]:
    """The factors a footprint may use (archived ones hidden unless asked)."""
    factors = EmissionFactor.objects.order_by("code")
    if not include_archived:
        factors = factors.filter(archived=False)
    return [factor_row(factor) for factor in factors]


# --- Progress (the contract with funding, notes/interfaces.md) -----------------------------


def _verified(objective_ids) -> dict[int, tuple[Decimal, Decimal | None]]:
    """objective id → (sum of verified values, latest verified value by period end)."""
    ids = list(objective_ids)
    totals = dict(
        Measurement.objects.filter(objective_id__in=ids, status=VERIFIED)
        .values("objective_id")
        .annotate(total=Sum("value"))
        .values_list("objective_id", "total")
    )
    latest: dict[int, Decimal] = {}
    rows = (
        Measurement.objects.filter(objective_id__in=ids, status=VERIFIED)
        .order_by("objective_id", "period_end", "id")
        .values_list("objective_id", "value")
    )
    for objective_id, value in rows:
        latest[objective_id] = value  # the last one in period order wins
    return {
        objective_id: (Decimal(totals.get(objective_id) or ZERO), latest.get(objective_id))
        for objective_id in ids
    }


def _progress(objective: Objective, verified: tuple[Decimal, Decimal | None]) -> dict:
    total, latest = verified
    return {
        "objective_id": objective.pk,
        "indicator_code": objective.indicator.code,
        "unit": objective.indicator.unit,
        "direction": objective.indicator.direction,
        "baseline": objective.baseline,
        "target": objective.target,
        "verified_total": total.quantize(domain.VALUE_STEP),
        "latest_verified": latest,
        "progress_bp": domain.progress_bp(
            direction=objective.indicator.direction,
            baseline=objective.baseline,
            target=objective.target,
            verified_total=total,
            latest_verified=latest,
        ),
        "status": objective.status,
    }


def objective_progress(*, objective_id: int) -> dict:
    """Keys objective_id, indicator_code, unit, baseline, target (Decimal), verified_total
    (Decimal: VERIFIED measurements only), progress_bp (0..10000, direction-aware), status;
    plus direction and latest_verified. `not_found` for an unknown objective."""
    objective = Objective.objects.select_related("indicator").filter(pk=objective_id).first()
    if objective is None:
        raise ApplicationError("not_found")
    return _progress(objective, _verified([objective.pk])[objective.pk])


def measurement_status(*, measurement_id: int) -> str | None:
    return Measurement.objects.filter(pk=measurement_id).values_list("status", flat=True).first()


def objective_commons_id(*, objective_id: int) -> int | None:
    return Objective.objects.filter(pk=objective_id).values_list("commons_id", flat=True).first()


# --- Objectives -------------------------------------------------------------------------------


def _objective_rows(objectives: list[Objective], commons_slug: str) -> list[dict]:
    verified = _verified([objective.pk for objective in objectives])
    rows = []
    for objective in objectives:
        progress = _progress(objective, verified[objective.pk])
        rows.append(
            {
                "id": objective.pk,
                "commons_slug": commons_slug,
                "title": objective.title,
                "indicator_code": objective.indicator.code,
                "indicator_label_fr": objective.indicator.label_fr,
                "indicator_label_en": objective.indicator.label_en,
                "unit": objective.indicator.unit,
                "direction": objective.indicator.direction,
                "baseline": value_text(objective.baseline),
                "target": value_text(objective.target),
                "starts_on": objective.starts_on,
                "target_date": objective.target_date,
                "method": objective.method,
                "method_reference": objective.method_reference,
                "status": objective.status,
                "proposal_id": objective.proposal_id,
                "decision_id": objective.decision_id,
                "verified_total": value_text(progress["verified_total"]),
                "latest_verified": (
                    value_text(progress["latest_verified"])
                    if progress["latest_verified"] is not None
                    else None
                ),
                "progress_bp": progress["progress_bp"],
                "terms": sorted(term.code for term in objective.terms.all()),
                "resource_ids": sorted(resource.pk for resource in objective.resources.all()),
            }
        )
    return rows


def _objectives(queryset) -> list[Objective]:
    return list(
        queryset.select_related("indicator")
        .prefetch_related("terms", "resources")
        .order_by("starts_on", "id")
    )


def objectives_of_commons(*, commons_id: int, reader) -> list[dict]:
    """A commons' objectives: members see every one (proposed, rejected…); anybody else, for a
    public commons, the adopted ones. Progress always counts verified measurements only."""
    commons = commons_selectors.commons_by_ids(commons_ids=[commons_id]).get(commons_id)
    if commons is None:
        return []
    queryset = Objective.objects.filter(commons_id=commons_id)
    if not _is_member(reader, commons):
        if commons.visibility != "public":
            return []
        queryset = queryset.filter(status__in=PUBLIC_OBJECTIVE_STATUSES)
    return _objective_rows(_objectives(queryset), commons.slug)


def public_objectives(*, commons) -> list[dict]:
    """The open data of a public commons: adopted objectives, verified figures only."""
    queryset = Objective.objects.filter(commons=commons, status__in=PUBLIC_OBJECTIVE_STATUSES)
    return _objective_rows(_objectives(queryset), commons.slug)


def _is_member(reader, commons) -> bool:
    return bool(
        reader is not None and commons_selectors.roles_of_user(user=reader, commons=commons)
    )


def objective_visible(*, user, objective_id: int) -> tuple[Objective, bool]:
    """The objective and whether the reader is a member; 404 for what they may not see."""
    objective = (
        Objective.objects.select_related("commons", "indicator").filter(pk=objective_id).first()
    )
    if objective is None:
        raise ApplicationError("not_found")
    member = _is_member(user, objective.commons)
    if not member and (
        objective.commons.visibility != "public"
        or objective.status not in PUBLIC_OBJECTIVE_STATUSES
    ):
        raise ApplicationError("not_found")
    return objective, member


def objective_row(*, objective_id: int) -> dict:
    objective = Objective.objects.select_related("commons").filter(pk=objective_id).first()
    if objective is None:
        raise ApplicationError("not_found")
    return _objective_rows(
        _objectives(Objective.objects.filter(pk=objective_id)), objective.commons.slug
    )[0]


def objective_detail(*, user, objective_id: int) -> dict:
    """An objective with its measurements and their evidence: members see every measurement,
    others the verified ones only, without names."""
    objective, member = objective_visible(user=user, objective_id=objective_id)
    row = objective_row(objective_id=objective.pk)
    measurements = Measurement.objects.filter(objective=objective)
    if not member:
        measurements = measurements.filter(status=VERIFIED)
    row["measurements"] = measurement_rows(
        list(measurements.order_by("period_start", "id")), names=member
    )
    row["resources"] = [
        {"id": resource.pk, "name": resource.name} for resource in objective_resources(objective)
    ]
    return row


def objective_resources(objective: Objective) -> list:
    return list(objective.resources.order_by("name", "id"))


# --- Measurements -----------------------------------------------------------------------------


def _name(user) -> str:
    return getattr(user, "display_name", "") or "" if user is not None else ""


def measurement_rows(measurements: list[Measurement], *, names: bool) -> list[dict]:
    ids = [measurement.pk for measurement in measurements]
    evidence: dict[int, list[dict]] = {}
    for item in MeasurementEvidence.objects.filter(measurement_id__in=ids).order_by("id"):
        evidence.setdefault(item.measurement_id, []).append(
            {
                "id": item.pk,
                "name": item.name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
                "uploaded_at": item.uploaded_at,
            }
        )
    lines: dict[int, list[dict]] = {}
    for line in (
        EmissionLine.objects.filter(measurement_id__in=ids).select_related("factor").order_by("id")
    ):
        lines.setdefault(line.measurement_id, []).append(
            {
                "category": line.category,
                "factor_code": line.factor.code,
                "activity": value_text(line.activity),
                "factor_value": f"{line.factor_value.quantize(domain.FACTOR_STEP)}",
                "emission_kg": value_text(line.emission_kg),
            }
        )
    users = {}
    if names:
        wanted = {m.declared_by_id for m in measurements} | {
            m.reviewed_by_id for m in measurements if m.reviewed_by_id
        }
        users = get_user_model().objects.in_bulk(list(wanted))
    return [
        {
            "id": measurement.pk,
            "objective_id": measurement.objective_id,
            "value": value_text(measurement.value),
            "unit": measurement.unit,
            "period_start": measurement.period_start,
            "period_end": measurement.period_end,
            "method": measurement.method,
            "status": measurement.status,
            "declared_by_id": measurement.declared_by_id if names else None,
            "declared_by_name": _name(users.get(measurement.declared_by_id)),
            "declared_at": measurement.declared_at,
            "reviewed_by_name": _name(users.get(measurement.reviewed_by_id))
            if measurement.reviewed_by_id
            else None,
            "reviewed_at": measurement.reviewed_at,
            "review_comment": measurement.review_comment if names else "",
            "supersedes_id": measurement.supersedes_id,
            "evidence": evidence.get(measurement.pk, []),
            "lines": lines.get(measurement.pk, []),
        }
        for measurement in measurements
    ]


def measurement_row(*, measurement_id: int) -> dict:
    measurement = Measurement.objects.filter(pk=measurement_id).first()
    if measurement is None:
        raise ApplicationError("not_found")
    return measurement_rows([measurement], names=True)[0]


def evidence_get(*, user, measurement_id: int, evidence_id: int) -> MeasurementEvidence:
    """An evidence file of a measurement the reader may see (members: all; others: verified
    measurements of adopted objectives of public commons)."""
    measurement = Measurement.objects.filter(pk=measurement_id).first()
    if measurement is None:
        raise ApplicationError("not_found")
    _, member = objective_visible(user=user, objective_id=measurement.objective_id)
    if not member and measurement.status != VERIFIED:
        raise ApplicationError("not_found")
    evidence = MeasurementEvidence.objects.filter(pk=evidence_id, measurement=measurement).first()
    if evidence is None:
        raise ApplicationError("not_found")
    return evidence


def public_measurements(*, commons) -> list[dict]:
    """Verified measurements of a public commons' adopted objectives (open data, no names)."""
    measurements = Measurement.objects.filter(
        objective__commons=commons,
        objective__status__in=PUBLIC_OBJECTIVE_STATUSES,
        status=VERIFIED,
    ).order_by("objective_id", "period_start", "id")
    return measurement_rows(list(measurements), names=False)


def verified_totals_by_indicator(*, commons_ids) -> list[dict]:
    """Per indicator, the sum of the VERIFIED measurements of the given commons' adopted
    objectives: a group's combined indicators (federation pages). A sum, so meant for flows
    (tCO2e avoided, t recycled, hours); each commons' own objectives only, so a measurement
    counts once even where a borrowing lets it count toward another commons' objective."""
    rows = (
        Measurement.objects.filter(
            objective__commons_id__in=list(commons_ids),
            objective__status__in=PUBLIC_OBJECTIVE_STATUSES,
            status=VERIFIED,
        )
        .values("objective__indicator__code", "objective__indicator__unit")
        .annotate(total=Sum("value"))
        .order_by("objective__indicator__code")
    )
    return [
        {
            "code": row["objective__indicator__code"],
            "unit": row["objective__indicator__unit"],
            "total": value_text(Decimal(row["total"])),
        }
        for row in rows
    ]
