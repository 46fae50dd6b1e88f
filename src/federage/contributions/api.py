"""HTTP API of contributions: drafts, evidence, submission, counter-offers, payment and needs."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from federage.contributions import selectors, services
from federage.contributions.presenters import (
    contribution_detail_out,
    contribution_out,
)
from federage.contributions.schemas import (
    ContributionDetailOut,
    ContributionIn,
    ContributionOut,
    ContributionUpdateIn,
    CounterIn,
    EvidenceOut,
    NeedIn,
    NeedOut,
    RevisionCommentIn,
)
from federage.core.errors import ApplicationError
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors

router = Router(tags=["contributions"], auth=AUTH)


@router.get("/mine", response=with_errors({200: list[ContributionOut]}))
def my_contributions(request: HttpRequest):
    """My validated and pending contributions across commons (the portfolio's list)."""
    return [contribution_out(item) for item in selectors.my_contributions(user=request.auth)]


@router.get("/commons/{slug}", response=with_errors({200: list[ContributionOut]}))
def commons_contributions(request: HttpRequest, slug: str, state: str = ""):
    return [
        contribution_out(item)
        for item in selectors.contributions_of_commons(user=request.auth, slug=slug, state=state)
    ]


@router.post("/commons/{slug}", response=with_errors({201: ContributionDetailOut}))
def contribution_create(request: HttpRequest, slug: str, data: ContributionIn):
    return run_command(request, "contribution.create", data, commons_slug=slug)


@router.get("/commons/{slug}/needs", response=with_errors({200: list[NeedOut]}))
def needs(request: HttpRequest, slug: str, all: bool = False):
    return selectors.needs_of(user=request.auth, slug=slug, open_only=not all)


@router.post("/commons/{slug}/needs", response=with_errors({201: NeedOut}))
def need_create(request: HttpRequest, slug: str, data: NeedIn):
    return run_command(request, "need.create", data, commons_slug=slug)


@router.post("/needs/{need_id}/close", response=with_errors({200: NeedOut}))
def need_close(request: HttpRequest, need_id: int):
    return run_command(request, "need.close", {"need_id": need_id})


@router.get("/{contribution_id}", response=with_errors({200: ContributionDetailOut}))
def contribution_detail(request: HttpRequest, contribution_id: int):
    return contribution_detail_out(
        selectors.contribution_get(user=request.auth, contribution_id=contribution_id)
    )


@router.patch("/{contribution_id}", response=with_errors({200: ContributionDetailOut}))
def contribution_update(request: HttpRequest, contribution_id: int, data: ContributionUpdateIn):
    return run_command(
        request,
        "contribution.update",
        {"contribution_id": contribution_id, **data.dict(exclude_unset=True)},
    )


@router.post(
    "/{contribution_id}/evidence", response=with_errors({201: EvidenceOut, 413: dict, 415: dict})
)
def evidence_upload(request: HttpRequest, contribution_id: int, file: UploadedFile = File(...)):  # noqa: B008
    """Uploads one evidence file (multipart, field `file`); the same file twice is stored once.

    Not a command: a file does not fit the JSON envelope, and the SHA-256 makes a retry safe.
    """
    with transaction.atomic():
        evidence = services.evidence_add(
            user=request.auth,
            contribution_id=contribution_id,
            name=file.name or "",
            size=file.size or 0,
            stream=file.file,
        )
    return Status(201, evidence)


@router.get("/{contribution_id}/evidence/{evidence_id}", response=with_errors({200: None}))
def evidence_download(request: HttpRequest, contribution_id: int, evidence_id: int):
    evidence = selectors.evidence_get(
        user=request.auth, contribution_id=contribution_id, evidence_id=evidence_id
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


def _route(name: str, command_type: str):
    @router.post(f"/{{contribution_id}}/{name}", response=with_errors({200: ContributionDetailOut}))
    def route(request: HttpRequest, contribution_id: int, data: RevisionCommentIn):
        return run_command(
            request, command_type, {"contribution_id": contribution_id, "comment": data.comment}
        )

    route.__name__ = f"contribution_{name.replace('-', '_')}"
    return route


for _name, _type in (
    ("submit", "contribution.submit"),
    ("accept-counter", "contribution.accept_counter"),
    ("withdraw", "contribution.withdraw"),
    ("call", "contribution.call"),
    ("pay", "contribution.pay"),
):
    _route(_name, _type)


@router.post("/{contribution_id}/counter", response=with_errors({200: ContributionDetailOut}))
def contribution_counter(request: HttpRequest, contribution_id: int, data: CounterIn):
    return run_command(request, "contribution.counter", data, contribution_id=contribution_id)
