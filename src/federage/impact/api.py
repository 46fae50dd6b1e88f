"""HTTP API of impact: indicators, objectives and their decisions, measurements with evidence and
their review, carbon footprints, emission factors, and the open data of public commons."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.impact import selectors, services
from federage.impact.schemas import (
    EmissionFactorIn,
    EmissionFactorOut,
    EvidenceOut,
    FootprintIn,
    IndicatorIn,
    IndicatorOut,
    MeasurementIn,
    MeasurementOut,
    MeasurementReviewedOut,
    ObjectiveChangeIn,
    ObjectiveDetailOut,
    ObjectiveIn,
    ObjectiveOut,
    ObjectiveProposedOut,
    ReviewIn,
    VerifyIn,
)

router = Router(tags=["impact"], auth=AUTH)
# Read-only open data of public commons, mounted under /public (no authentication).
public_router = Router(tags=["open data"], auth=None)


@router.get("/indicators", response=with_errors({200: list[IndicatorOut]}))
def indicators(request: HttpRequest):
    """The indicator catalogue (built-in and the instance's)."""
    return selectors.indicators_all()


@router.post("/indicators", response=with_errors({201: IndicatorOut}))
def indicator_add(request: HttpRequest, data: IndicatorIn):
    """The instance's staff adds an indicator."""
    return run_command(request, "indicator.add", data)


@router.get("/emission-factors", response=with_errors({200: list[EmissionFactorOut]}))
def emission_factors(request: HttpRequest):
    return selectors.emission_factors()


@router.post("/emission-factors", response=with_errors({201: EmissionFactorOut}))
def emission_factor_add(request: HttpRequest, data: EmissionFactorIn):
    """The instance's staff enters an emission factor with its source."""
    return run_command(request, "emission_factor.add", data)


@router.get("/commons/{slug}/objectives", response=with_errors({200: list[ObjectiveOut]}))
def objectives(request: HttpRequest, slug: str):
    """A commons' objectives: members see all, others the adopted ones (verified figures)."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    return selectors.objectives_of_commons(commons_id=commons.pk, reader=request.auth)


@router.post("/commons/{slug}/objectives", response=with_errors({201: ObjectiveProposedOut}))
def objective_propose(request: HttpRequest, slug: str, data: ObjectiveIn):
    """Proposes an objective: an adopt_objective vote opens."""
    return run_command(request, "objective.propose", data, commons_slug=slug)


@router.get("/objectives/{objective_id}", response=with_errors({200: ObjectiveDetailOut}))
def objective_detail(request: HttpRequest, objective_id: int):
    return selectors.objective_detail(user=request.auth, objective_id=objective_id)


@router.post(
    "/objectives/{objective_id}/changes", response=with_errors({201: ObjectiveProposedOut})
)
def objective_change(request: HttpRequest, objective_id: int, data: ObjectiveChangeIn):
    """Proposes a change of an adopted objective: applied only when its decision passes."""
    return run_command(request, "objective.change", data, objective_id=objective_id)


@router.post("/objectives/{objective_id}/measurements", response=with_errors({201: MeasurementOut}))
def measurement_declare(request: HttpRequest, objective_id: int, data: MeasurementIn):
    return run_command(request, "measurement.declare", data, objective_id=objective_id)


@router.post("/objectives/{objective_id}/footprint", response=with_errors({201: MeasurementOut}))
def footprint_declare(request: HttpRequest, objective_id: int, data: FootprintIn):
    """A carbon footprint by BEGES category, recorded as one measurement in tCO2e."""
    return run_command(request, "footprint.declare", data, objective_id=objective_id)


@router.post(
    "/measurements/{measurement_id}/verify", response=with_errors({200: MeasurementReviewedOut})
)
def measurement_verify(request: HttpRequest, measurement_id: int, data: VerifyIn):
    return run_command(request, "measurement.verify", data, measurement_id=measurement_id)


@router.post("/measurements/{measurement_id}/dispute", response=with_errors({200: MeasurementOut}))
def measurement_dispute(request: HttpRequest, measurement_id: int, data: ReviewIn):
    return run_command(request, "measurement.dispute", data, measurement_id=measurement_id)


@router.post(
    "/measurements/{measurement_id}/evidence",
    response=with_errors({201: EvidenceOut, 413: dict, 415: dict}),
)
def evidence_upload(request: HttpRequest, measurement_id: int, file: UploadedFile = File(...)):  # noqa: B008
    """Uploads one evidence file (multipart, field `file`) to a measurement awaiting review.

    Not a command: a file does not fit the JSON envelope, and the SHA-256 makes a retry safe.
    """
    with transaction.atomic():
        evidence = services.measurement_evidence_add(
            user=request.auth,
            measurement_id=measurement_id,
            name=file.name or "",
            size=file.size or 0,
            stream=file.file,
        )
    return Status(201, evidence)


@router.get("/measurements/{measurement_id}/evidence/{file_id}", response=with_errors({200: None}))
def evidence_download(request: HttpRequest, measurement_id: int, file_id: int):
    evidence = selectors.evidence_get(
        user=request.auth, measurement_id=measurement_id, evidence_id=file_id
    )
    path = services.evidence_path(evidence.sha256)
    if not path.exists():
        raise ApplicationError("not_found")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )


# --- Open data ------------------------------------------------------------------------------


@public_router.get("/commons/{slug}/objectives", response=with_errors({200: list[ObjectiveOut]}))
def public_objectives(request: HttpRequest, slug: str):
    """A public commons' adopted objectives; every figure counts verified measurements only."""
    commons = commons_selectors.commons_get_public(slug=slug)
    return selectors.public_objectives(commons=commons)


@public_router.get(
    "/commons/{slug}/measurements", response=with_errors({200: list[MeasurementOut]})
)
def public_measurements(request: HttpRequest, slug: str):
    """A public commons' verified measurements with their evidence list (no names)."""
    commons = commons_selectors.commons_get_public(slug=slug)
    return selectors.public_measurements(commons=commons)
