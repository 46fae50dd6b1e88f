"""Writes on impact: the indicator and emission-factor catalogues, objectives (adopted or changed
only by an adopt_objective decision), measurements with their evidence, their verification or
dispute by a verifier who is not the declarer, and carbon footprints recorded as measurements.

Every write is one transaction: a refusal (`measurement_unit_mismatch`, `verifier_is_declarer`,
`term_unknown`…) writes nothing. A verified measurement never changes again: a correction is a
new measurement that supersedes it once the correction is verified in turn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, BinaryIO

from federage.commons import selectors as commons_selectors
from federage.contributions import domain as contribution_domain
from federage.contributions import services as contribution_services
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money
from federage.core.reactions import react
from federage.core.transactions import write
from federage.governance import services as governance_services
from federage.impact import domain
from federage.impact.models import (
    EmissionFactor,
    EmissionLine,
    Indicator,
    Measurement,
    MeasurementEvidence,
    Objective,
    Term,
)
from federage.resources import selectors as resource_selectors

KIND = "adopt_objective"
SUBJECT = "objective"
VERIFIER = ("verifier",)
MAX_TERMS = 12
MAX_RESOURCES = 50
MAX_LINES = 200
# The fields a decision adopts or changes, as they travel in the proposal's payload.
OBJECTIVE_FIELDS = (
    "title",
    "indicator_code",
    "baseline",
    "target",
    "starts_on",
    "target_date",
    "method",
    "method_reference",
    "resource_ids",
    "terms",
)


def _event(commons_id: int, type: str, user_id: int | None, **data: Any) -> None:
    event_record(type=type, commons_id=commons_id, actor_user_id=user_id, data=data)


def _require_staff(user) -> None:
    if user is None or not user.is_authenticated or not user.is_staff:
        raise ApplicationError("permission_denied")


def _value(
    raw, field: str, *, places: int = domain.VALUE_PLACES, maximum=domain.MAX_VALUE
) -> Decimal:
    try:
        return domain.parse_value(raw, places=places, maximum=maximum)
    except ValueError as error:
        code = "out_of_range" if str(error) == "range" else "invalid_value"
        raise ApplicationError.on_field(field, code) from None


def _date(raw, field: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except (TypeError, ValueError):
        raise ApplicationError.on_field(field, "invalid_value") from None


def _text(raw, field: str, limit: int, *, required: bool = False) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ApplicationError.on_field(field, "invalid_value")
    text = raw.strip()
    if required and not text:
        raise ApplicationError.on_field(field, "required")
    if len(text) > limit:
        raise ApplicationError.on_field(field, "too_long")
    return text


# --- Catalogues (the instance's staff) -------------------------------------------------------


@write
def indicator_add(
    *,
    user,
    code: str,
    label_fr: str,
    label_en: str,
    unit: str,
    direction: str,
    references: Mapping[str, str] | None = None,
) -> Indicator:
    """The instance's staff adds an indicator (origin "instance") in a unit of the list."""
    _require_staff(user)
    code = _text(code, "code", 60, required=True).lower()
    if not all(char.isalnum() or char in "_.-" for char in code) or not code.isascii():
        raise ApplicationError.on_field("code", "invalid_value")
    if unit not in domain.UNITS:
        raise ApplicationError.on_field("unit", "invalid_value")
    if direction not in domain.DIRECTIONS:
        raise ApplicationError.on_field("direction", "invalid_value")
    clean_references = {}
    for key, value in dict(references or {}).items():
        if (
            not isinstance(key, str)
            or not isinstance(value, str)
            or len(key) > 20
            or len(value) > 60
        ):
            raise ApplicationError.on_field("references", "invalid_value")
        clean_references[key] = value
    if Indicator.objects.filter(code=code).exists():
        raise ApplicationError.on_field("code", "indicator_code_taken")
    indicator = Indicator.objects.create(
        code=code,
        label_fr=_text(label_fr, "label_fr", 160, required=True),
        label_en=_text(label_en, "label_en", 160, required=True),
        unit=unit,
        direction=direction,
        references=clean_references,
        origin="instance",
    )
    _event(None, "indicator.added", user.pk, code=code)
    return indicator


@write
def emission_factor_add(
    *,
    user,
    code: str,
    label_fr: str,
    label_en: str,
    activity_unit: str,
    kg_co2e_per_unit,
    source: str,
    source_version: str = "",
    uncertainty_pct: int | None = None,
) -> EmissionFactor:
    """The instance's staff enters a factor with its source (e.g. ADEME Base Empreinte 23.6)."""
    _require_staff(user)
    code = _text(code, "code", 60, required=True).lower()
    if not code.isascii() or not all(char.isalnum() or char in "_.-" for char in code):
        raise ApplicationError.on_field("code", "invalid_value")
    unit = _text(activity_unit, "activity_unit", 20, required=True)
    if not unit.startswith("kgCO2e/") or len(unit) <= len("kgCO2e/"):
        raise ApplicationError.on_field("activity_unit", "invalid_value")
    value = _value(kg_co2e_per_unit, "kg_co2e_per_unit", places=domain.FACTOR_PLACES)
    if uncertainty_pct is not None and (
        isinstance(uncertainty_pct, bool) or not 0 <= int(uncertainty_pct) <= 100
    ):
        raise ApplicationError.on_field("uncertainty_pct", "out_of_range")
    if EmissionFactor.objects.filter(code=code).exists():
        raise ApplicationError.on_field("code", "emission_factor_code_taken")
    factor = EmissionFactor.objects.create(
        code=code,
        label_fr=_text(label_fr, "label_fr", 200, required=True),
        label_en=_text(label_en, "label_en", 200, required=True),
        activity_unit=unit,
        kg_co2e_per_unit=value,
        uncertainty_pct=uncertainty_pct,
        source=_text(source, "source", 200, required=True),
        source_version=_text(source_version, "source_version", 40),
    )
    _event(None, "emission_factor.added", user.pk, code=code)
    return factor


@write
def emission_factor_archive(*, user, code: str) -> EmissionFactor:
    """Archived factors stay on the footprints that used them (their value is copied) but no
    new line may use them."""
    _require_staff(user)
    factor = EmissionFactor.objects.select_for_update().filter(code=code).first()
    if factor is None:
        raise ApplicationError("not_found")
    if not factor.archived:
        factor.archived = True
        factor.save(update_fields=["archived"])
        _event(None, "emission_factor.archived", user.pk, code=code)
    return factor


# --- Objectives ------------------------------------------------------------------------------


def objective_fields_check(commons_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The objective's fields, checked and made JSON-able (the proposal's payload): indicator in
    the catalogue, target beyond the baseline, dates ordered, terms in force, resources of
    this commons. Raises on the first fault; writes nothing."""
    indicator = Indicator.objects.filter(code=fields.get("indicator_code") or "").first()
    if indicator is None or not isinstance(fields.get("indicator_code"), str):
        raise ApplicationError.on_field("indicator_code", "indicator_unknown")
    title = _text(fields.get("title"), "title", 160, required=True)
    baseline = _value(fields.get("baseline", "0"), "baseline")
    target = _value(fields.get("target"), "target")
    if not domain.target_beyond_baseline(indicator.direction, baseline, target):
        raise ApplicationError.on_field("target", "objective_target_not_beyond_baseline")
    starts_on = _date(fields.get("starts_on"), "starts_on")
    target_date = _date(fields.get("target_date"), "target_date")
    if target_date <= starts_on:
        raise ApplicationError.on_field("target_date", "objective_dates_invalid")
    terms = fields.get("terms") or []
    if not isinstance(terms, (list, tuple)) or len(terms) > MAX_TERMS:
        raise ApplicationError.on_field("terms", "invalid_value")
    wanted_terms = list(dict.fromkeys(terms))
    if any(not isinstance(code, str) for code in wanted_terms):
        raise ApplicationError.on_field("terms", "term_unknown")
    known = set(
        Term.objects.filter(code__in=wanted_terms, retired_in__isnull=True).values_list(
            "code", flat=True
        )
    )
    missing = [code for code in wanted_terms if code not in known]
    if missing:
        raise ApplicationError.on_field("terms", "term_unknown", ", ".join(missing)[:200])
    resource_ids = fields.get("resource_ids") or []
    if not isinstance(resource_ids, (list, tuple)) or len(resource_ids) > MAX_RESOURCES:
        raise ApplicationError.on_field("resource_ids", "invalid_value")
    wanted_resources = sorted(set(resource_ids))
    commons = commons_selectors.commons_by_ids(commons_ids=[commons_id]).get(commons_id)
    for resource_id in wanted_resources:
        if isinstance(resource_id, bool) or not isinstance(resource_id, int):
            raise ApplicationError.on_field("resource_ids", "invalid_value")
        try:
            resource_selectors.resource_of(commons=commons, resource_id=resource_id)
        except ApplicationError:
            raise ApplicationError.on_field("resource_ids", "resource_other_commons") from None
    return {
        "title": title,
        "indicator_code": indicator.code,
        "baseline": str(baseline),
        "target": str(target),
        "starts_on": starts_on.isoformat(),
        "target_date": target_date.isoformat(),
        "method": _text(fields.get("method"), "method", 5000),
        "method_reference": _text(fields.get("method_reference"), "method_reference", 200),
        "resource_ids": wanted_resources,
        "terms": sorted(wanted_terms),
    }


def adopt_objective_payload_check(commons_id: int, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Governance's payload check for adopt_objective (federage/reactions.py PAYLOAD_CHECKS)."""
    objective_id = payload.get("objective_id")
    if isinstance(objective_id, bool) or not isinstance(objective_id, int):
        raise ApplicationError.on_field("payload.objective_id", "required")
    if not Objective.objects.filter(pk=objective_id, commons_id=commons_id).exists():
        raise ApplicationError.on_field("payload.objective_id", "not_found")
    clean = objective_fields_check(commons_id, payload)
    return {"objective_id": objective_id, "change": bool(payload.get("change")), **clean}


def _apply(objective: Objective, clean: Mapping[str, Any]) -> None:
    objective.title = clean["title"]
    objective.indicator = Indicator.objects.get(code=clean["indicator_code"])
    objective.baseline = Decimal(clean["baseline"])
    objective.target = Decimal(clean["target"])
    objective.starts_on = dt.date.fromisoformat(clean["starts_on"])
    objective.target_date = dt.date.fromisoformat(clean["target_date"])
    objective.method = clean["method"]
    objective.method_reference = clean["method_reference"]


def _links_set(objective: Objective, clean: Mapping[str, Any]) -> None:
    objective.resources.set(clean["resource_ids"])
    objective.terms.set(list(Term.objects.filter(code__in=clean["terms"])))


def _open_vote(user, objective: Objective, clean: dict, *, change: bool, agent_id: int) -> int:
    verb = "Modifier" if change else "Adopter"
    proposal = governance_services.proposal_open(
        user=user,
        commons_id=objective.commons_id,
        kind=KIND,
        title=f"{verb} l'objectif : {clean['title']}"[:200],
        body=clean["method"],
        subject_type=SUBJECT,
        subject_id=objective.pk,
        payload={"objective_id": objective.pk, "change": change, **clean},
        agent_id=agent_id,
    )
    return proposal.pk


@write
def objective_propose(
    *, user, commons_slug: str, agent_id: int | None = None, **fields: Any
) -> Objective:
    """A member proposes an objective: it is written "proposed" and an adopt_objective vote
    opens; only the passed decision adopts it."""
    unknown = set(fields) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise ApplicationError.on_field(sorted(unknown)[0], "invalid_value")
    membership = commons_selectors.membership_acting(
        user=user, slug=commons_slug, agent_id=agent_id
    )
    commons = membership.commons
    clean = objective_fields_check(commons.pk, fields)
    objective = Objective(commons=commons, created_by=user, created_at=clock.now())
    _apply(objective, clean)
    objective.status = "proposed"
    objective.save()
    _links_set(objective, clean)
    objective.proposal_id = _open_vote(
        user, objective, clean, change=False, agent_id=membership.agent_id
    )
    objective.save(update_fields=["proposal_id"])
    _event(
        commons.pk,
        "objective.proposed",
        user.pk,
        objective_id=objective.pk,
        proposal_id=objective.proposal_id,
    )
    return objective


@write
def objective_change(
    *, user, objective_id: int, agent_id: int | None = None, **fields: Any
) -> Objective:
    """A member proposes a change of an adopted objective (target, date, method…): an
    adopt_objective vote carrying the objective's id opens; the objective itself is changed
    only when that decision passes. Fields not given keep their current value."""
    unknown = set(fields) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise ApplicationError.on_field(sorted(unknown)[0], "invalid_value")
    objective = (
        Objective.objects.select_related("commons", "indicator").filter(pk=objective_id).first()
    )
    if objective is None:
        raise ApplicationError("not_found")
    commons_selectors.require_visible(user=user, commons=objective.commons)
    membership = commons_selectors.membership_acting(
        user=user, slug=objective.commons.slug, agent_id=agent_id
    )
    if objective.status != "adopted":
        raise ApplicationError("objective_not_adopted")
    current = {
        "title": objective.title,
        "indicator_code": objective.indicator.code,
        "baseline": str(objective.baseline),
        "target": str(objective.target),
        "starts_on": objective.starts_on.isoformat(),
        "target_date": objective.target_date.isoformat(),
        "method": objective.method,
        "method_reference": objective.method_reference,
        "resource_ids": sorted(objective.resources.values_list("pk", flat=True)),
        "terms": sorted(objective.terms.values_list("code", flat=True)),
    }
    given = {name: value for name, value in fields.items() if value is not None}
    if given.get("indicator_code", current["indicator_code"]) != current["indicator_code"]:
        # Another indicator is another objective: its measurements would change meaning.
        raise ApplicationError.on_field("indicator_code", "invalid_value")
    clean = objective_fields_check(objective.commons_id, {**current, **given})
    if clean == objective_fields_check(objective.commons_id, current):
        raise ApplicationError("invalid_value")
    proposal_id = _open_vote(user, objective, clean, change=True, agent_id=membership.agent_id)
    _event(
        objective.commons_id,
        "objective.change_proposed",
        user.pk,
        objective_id=objective.pk,
        proposal_id=proposal_id,
    )
    objective.pending_proposal_id = proposal_id
    return objective


def objective_on_decision(context: governance_services.OutcomeContext) -> dict[str, Any]:
    """The effect of an adopt_objective decision (federage/reactions.py DECISION_EFFECTS):
    passed → the objective is adopted, or changed as the payload says; rejected or expired →
    a proposed objective is rejected, an adopted one stays as it was."""
    proposal = context.proposal
    payload = proposal.payload or {}
    objective = (
        Objective.objects.select_for_update()
        .filter(pk=payload.get("objective_id"), commons_id=proposal.commons_id)
        .first()
    )
    if objective is None or objective.pk != proposal.subject_id:
        raise ApplicationError("objective_change_needs_decision")
    change = bool(payload.get("change"))
    passed = context.status == "passed"
    if not passed:
        if not change and objective.status == "proposed":
            objective.status = "rejected"
            objective.save(update_fields=["status"])
        return {"objective_id": objective.pk, "applied": False}
    if change and objective.status != "adopted":
        raise ApplicationError("objective_not_adopted")
    if not change and objective.status != "proposed":
        raise ApplicationError("objective_change_needs_decision")
    clean = objective_fields_check(objective.commons_id, payload)
    _apply(objective, clean)
    objective.status = "adopted"
    objective.proposal_id = proposal.pk
    objective.decision_id = context.decision_id
    objective.save()
    _links_set(objective, clean)
    _event(
        objective.commons_id,
        "objective.changed" if change else "objective.adopted",
        None,
        objective_id=objective.pk,
        decision_id=context.decision_id,
    )
    return {"objective_id": objective.pk, "applied": True, "change": change}


# --- Measurements ----------------------------------------------------------------------------


def _objective_for_member(user, objective_id: int, agent_id: int | None = None):
    objective = (
        Objective.objects.select_related("commons", "indicator").filter(pk=objective_id).first()
    )
    if objective is None:
        raise ApplicationError("not_found")
    commons_selectors.require_visible(user=user, commons=objective.commons)
    commons_selectors.membership_acting(user=user, slug=objective.commons.slug, agent_id=agent_id)
    return objective


def _measurement_checked(
    objective: Objective,
    *,
    value: Decimal,
    unit: str,
    period_start,
    period_end,
    supersedes_id: int | None,
) -> tuple[dt.date, dt.date, Measurement | None]:
    if objective.status != "adopted":
        raise ApplicationError("objective_not_adopted")
    if unit != objective.indicator.unit:
        raise ApplicationError.on_field("unit", "measurement_unit_mismatch")
    start = _date(period_start, "period_start")
    end = _date(period_end, "period_end")
    if start < objective.starts_on:
        raise ApplicationError.on_field("period_start", "measurement_period_before_objective")
    if end < start:
        raise ApplicationError.on_field("period_end", "invalid_period")
    if end > clock.today():
        raise ApplicationError.on_field("period_end", "date_in_future")
    previous = None
    if supersedes_id is not None:
        previous = (
            Measurement.objects.select_for_update()
            .filter(pk=supersedes_id, objective=objective)
            .first()
        )
        if previous is None:
            raise ApplicationError.on_field("supersedes_id", "not_found")
        if (
            previous.status == "superseded"
            or Measurement.objects.filter(supersedes=previous).exists()
        ):
            raise ApplicationError.on_field("supersedes_id", "measurement_already_corrected")
    return start, end, previous


@write
def measurement_declare(
    *,
    user,
    objective_id: int,
    value,
    unit: str,
    period_start,
    period_end,
    method: str = "",
    supersedes_id: int | None = None,
    agent_id: int | None = None,
) -> Measurement:
    """A member declares a value of an adopted objective's indicator over a period, in the
    indicator's unit, not before the objective starts; `supersedes_id` makes it the correction
    of an earlier measurement (which it replaces once it is verified)."""
    objective = _objective_for_member(user, objective_id, agent_id)
    clean_value = _value(value, "value")
    start, end, previous = _measurement_checked(
        objective,
        value=clean_value,
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        supersedes_id=supersedes_id,
    )
    measurement = Measurement.objects.create(
        objective=objective,
        value=clean_value,
        unit=unit,
        period_start=start,
        period_end=end,
        method=_text(method, "method", 5000),
        status="declared",
        declared_by=user,
        declared_at=clock.now(),
        supersedes=previous,
    )
    _event(
        objective.commons_id,
        "measurement.declared",
        user.pk,
        objective_id=objective.pk,
        measurement_id=measurement.pk,
        value=str(clean_value),
    )
    return measurement


def _evidence_store(stream: BinaryIO, head: bytes) -> tuple[str, int]:
    """Streams the file into the content-addressed store contributions use (one copy per
    SHA-256), never reading more than the limit."""
    target_dir = contribution_services.evidence_path("00").parent.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(head)
    descriptor, temporary = tempfile.mkstemp(dir=target_dir, prefix=".upload-")
    written = len(head)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(head)
            while chunk := stream.read(1024 * 1024):
                written += len(chunk)
                if written > contribution_domain.EVIDENCE_MAX_BYTES:
                    raise ApplicationError.on_field("file", "evidence_too_large")
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        target = contribution_services.evidence_path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return sha256, written


@write
def measurement_evidence_add(
    *, user, measurement_id: int, name: str, size: int, stream: BinaryIO
) -> MeasurementEvidence:
    """The declarer attaches a file (≤ 10 MB, the types contributions accept) to a measurement
    still waiting for its review; the same file twice is stored once."""
    measurement = Measurement.objects.select_for_update().filter(pk=measurement_id).first()
    if measurement is None:
        raise ApplicationError("not_found")
    objective = _objective_for_member(user, measurement.objective_id)
    if measurement.declared_by_id != user.pk:
        raise ApplicationError("permission_denied")
    if measurement.status != "declared":
        raise ApplicationError("measurement_not_declared")
    head = stream.read(16)
    clean_name, content_type = contribution_domain.check_evidence(name, size, head)
    sha256, written = _evidence_store(stream, head)
    existing = MeasurementEvidence.objects.filter(measurement=measurement, sha256=sha256).first()
    if existing is not None:
        return existing
    evidence = MeasurementEvidence.objects.create(
        measurement=measurement,
        name=clean_name,
        content_type=content_type,
        size=written,
        sha256=sha256,
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    _event(
        objective.commons_id,
        "measurement.evidence_added",
        user.pk,
        measurement_id=measurement.pk,
        evidence_id=evidence.pk,
    )
    return evidence


def evidence_path(sha256: str):
    return contribution_services.evidence_path(sha256)


def _for_review(user, measurement_id: int) -> Measurement:
    measurement = (
        Measurement.objects.select_for_update()
        .select_related("objective__commons")
        .filter(pk=measurement_id)
        .first()
    )
    if measurement is None:
        raise ApplicationError("not_found")
    commons = measurement.objective.commons
    commons_selectors.require_visible(user=user, commons=commons)
    if not commons_selectors.roles_of_user(user=user, commons=commons) & set(VERIFIER):
        raise ApplicationError("not_a_verifier")
    if measurement.declared_by_id == user.pk:
        raise ApplicationError("verifier_is_declarer")
    if measurement.status != "declared":
        raise ApplicationError("measurement_not_declared")
    return measurement


def _hours(hours, hourly_rate_cents) -> tuple[Decimal, int] | None:
    if hours is None and hourly_rate_cents is None:
        return None
    if hours is None:
        raise ApplicationError.on_field("hours", "required")
    if hourly_rate_cents is None:
        raise ApplicationError.on_field("hourly_rate_cents", "required")
    clean = _value(hours, "hours", places=2, maximum=Decimal(10_000))
    if clean <= 0:
        raise ApplicationError.on_field("hours", "amount_not_positive")
    if (
        isinstance(hourly_rate_cents, bool)
        or not isinstance(hourly_rate_cents, int)
        or not (0 < hourly_rate_cents <= 100_000_00)
    ):
        raise ApplicationError.on_field("hourly_rate_cents", "out_of_range")
    return clean, hourly_rate_cents


@write
def measurement_verify(
    *,
    user,
    measurement_id: int,
    comment: str = "",
    hours=None,
    hourly_rate_cents: int | None = None,
) -> Measurement:
    """A member holding the verifier role, who did not declare it, verifies a measurement: it
    counts from now on in every figure and never changes again; the measurement it corrects
    is superseded. With `hours` and `hourly_rate_cents`, the verifier's work is recorded as a
    draft labour contribution (the verifier submits it as any contribution)."""
    measurement = _for_review(user, measurement_id)
    work = _hours(hours, hourly_rate_cents)
    comment = _text(comment, "comment", 5000)
    measurement.status = "verified"
    measurement.reviewed_by = user
    measurement.reviewed_at = clock.now()
    measurement.review_comment = comment
    measurement.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    if measurement.supersedes_id is not None:
        Measurement.objects.filter(pk=measurement.supersedes_id).update(status="superseded")
    commons = measurement.objective.commons
    contribution_id = None
    if work is not None:
        quantity, rate = work
        price = Money.from_decimal(quantity * Money(rate).to_decimal())
        contribution = contribution_services.contribution_create(
            user=user,
            commons_slug=commons.slug,
            kind=contribution_domain.LABOUR,
            title=f"Vérification de la mesure n° {measurement.pk}",
            description=f"Vérification : {measurement.objective.title}",
            proposed_price_cents=price.cents,
            quantity=quantity,
            unit="h",
            unit_price_cents=rate,
        )
        contribution_id = contribution.pk
    _event(
        commons.pk,
        "measurement.verified",
        user.pk,
        objective_id=measurement.objective_id,
        measurement_id=measurement.pk,
        contribution_id=contribution_id,
    )
    react(
        "measurement.verified",
        commons_id=commons.pk,
        objective_id=measurement.objective_id,
        measurement_id=measurement.pk,
    )
    measurement.labour_contribution_id = contribution_id
    return measurement


@write
def measurement_dispute(*, user, measurement_id: int, comment: str) -> Measurement:
    """A verifier who did not declare it disputes a measurement, saying why: it never counts;
    the declarer may declare a correction that supersedes it."""
    measurement = _for_review(user, measurement_id)
    comment = _text(comment, "comment", 5000, required=True)
    measurement.status = "disputed"
    measurement.reviewed_by = user
    measurement.reviewed_at = clock.now()
    measurement.review_comment = comment
    measurement.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    _event(
        measurement.objective.commons_id,
        "measurement.disputed",
        user.pk,
        objective_id=measurement.objective_id,
        measurement_id=measurement.pk,
    )
    return measurement


# --- Carbon footprint ------------------------------------------------------------------------


@write
def footprint_declare(
    *,
    user,
    objective_id: int,
    period_start,
    period_end,
    lines: list[Mapping[str, Any]],
    method: str = "",
    supersedes_id: int | None = None,
    agent_id: int | None = None,
) -> Measurement:
    """A carbon footprint (bilan carbone by BEGES category) recorded as one measurement of a
    ghg_emissions objective: each line is activity × factor, the factor's value copied, the
    emission rounded to 3 decimals half to even (domain.emission_kg); the measurement's value
    is the sum in tCO2e. Archived or unknown factors are refused."""
    objective = _objective_for_member(user, objective_id, agent_id)
    if objective.indicator.code != domain.FOOTPRINT_INDICATOR:
        raise ApplicationError.on_field("objective_id", "footprint_not_emissions")
    if not isinstance(lines, (list, tuple)) or not lines:
        raise ApplicationError.on_field("lines", "footprint_empty")
    if len(lines) > MAX_LINES:
        raise ApplicationError.on_field("lines", "out_of_range")
    codes = {line.get("factor_code") for line in lines if isinstance(line, Mapping)}
    factors = {
        factor.code: factor
        for factor in EmissionFactor.objects.filter(
            code__in=[code for code in codes if isinstance(code, str)], archived=False
        )
    }
    prepared = []
    for index, line in enumerate(lines):
        if not isinstance(line, Mapping):
            raise ApplicationError.on_field(f"lines.{index}", "invalid_value")
        category = str(line.get("category", ""))
        if category not in domain.BEGES_CATEGORIES:
            raise ApplicationError.on_field(f"lines.{index}.category", "invalid_value")
        factor = factors.get(line.get("factor_code"))
        if factor is None:
            raise ApplicationError.on_field(f"lines.{index}.factor_code", "emission_factor_unknown")
        activity = _value(line.get("activity"), f"lines.{index}.activity")
        emission = domain.emission_kg(activity, factor.kg_co2e_per_unit)
        if emission >= domain.MAX_VALUE:
            raise ApplicationError.on_field(f"lines.{index}.activity", "out_of_range")
        prepared.append((category, activity, factor, emission))
    total = domain.footprint_tonnes(emission for *_, emission in prepared)
    start, end, previous = _measurement_checked(
        objective,
        value=total,
        unit="tCO2e",
        period_start=period_start,
        period_end=period_end,
        supersedes_id=supersedes_id,
    )
    measurement = Measurement.objects.create(
        objective=objective,
        value=total,
        unit="tCO2e",
        period_start=start,
        period_end=end,
        method=_text(method, "method", 5000) or "Bilan carbone (BEGES v5)",
        status="declared",
        declared_by=user,
        declared_at=clock.now(),
        supersedes=previous,
    )
    EmissionLine.objects.bulk_create(
        EmissionLine(
            measurement=measurement,
            category=category,
            activity=activity,
            factor=factor,
            factor_value=factor.kg_co2e_per_unit,
            emission_kg=emission,
        )
        for category, activity, factor, emission in prepared
    )
    _event(
        objective.commons_id,
        "measurement.declared",
        user.pk,
        objective_id=objective.pk,
        measurement_id=measurement.pk,
        value=str(total),
        footprint_lines=len(prepared),
    )
    return measurement
