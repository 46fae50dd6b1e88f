"""HTTP API of the legal vehicle: the SEP contract, its versions and acceptance, certificates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.core.http import AUTH, request_language, run_command
from federage.core.schemas import with_errors
from federage.legal import domain, pdf, selectors
from federage.legal.schemas import (
    CertificateCheckOut,
    CertificateIn,
    CertificateOut,
    ContractAcceptIn,
    ContractOut,
    Language,
    VersionHistoryOut,
)


def anyone(request: HttpRequest):
    """After the session and the token: an anonymous reader, for what public commons show
    anyone (the user object, AnonymousUser then; every read checks what it may see)."""
    return request.user


router = Router(tags=["legal"], auth=AUTH)
READ = [*AUTH, anyone]
public_router = Router(tags=["public"], auth=None)


def _visible(request: HttpRequest, slug: str):
    """A public commons for anyone, a private or draft one for its members only (404 else)."""
    return commons_selectors.commons_get_visible(user=request.auth, slug=slug)


def _lang(request: HttpRequest, lang: str | None) -> str:
    return lang if lang in domain.LANGUAGES else request_language(request)


def _current(commons):
    version = selectors.version_latest(commons_id=commons.pk)
    if version is None:
        raise ApplicationError("not_found")
    return version


def _pdf_response(document: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.get("/{slug}/contract", auth=READ, response=with_errors({200: ContractOut}))
def contract(request: HttpRequest, slug: str, lang: Language | None = None):
    """The contract in force, who accepted which version, and what my agents may accept."""
    commons = _visible(request, slug)
    return selectors.contract_view(
        user=request.auth, commons=commons, version=_current(commons), lang=_lang(request, lang)
    )


@router.get(
    "/{slug}/contract/versions", auth=READ, response=with_errors({200: list[VersionHistoryOut]})
)
def contract_versions(request: HttpRequest, slug: str, lang: Language | None = None):
    """Every version, oldest first, each with its amendment: the sections changed since the
    previous one, before and after."""
    commons = _visible(request, slug)
    return selectors.version_history(
        commons=commons, reader=request.auth, lang=_lang(request, lang)
    )


@router.get(
    "/{slug}/contract/versions/{number}", auth=READ, response=with_errors({200: ContractOut})
)
def contract_version(request: HttpRequest, slug: str, number: int, lang: Language | None = None):
    commons = _visible(request, slug)
    version = selectors.version_get(commons_id=commons.pk, number=number)
    return selectors.contract_view(
        user=request.auth, commons=commons, version=version, lang=_lang(request, lang)
    )


@router.get("/{slug}/contract.pdf", auth=READ, response=with_errors({200: None}))
def contract_pdf(
    request: HttpRequest, slug: str, version: int | None = None, lang: Language | None = None
):
    """The contract as PDF (the version in force unless `version`), rendered on the fly from
    the stored text; the same version gives the same bytes."""
    commons = _visible(request, slug)
    row = (
        _current(commons)
        if version is None
        else selectors.version_get(commons_id=commons.pk, number=version)
    )
    language = _lang(request, lang)
    hidden = selectors.hidden_names(
        commons=commons, reader=request.auth, facts=row.facts, lang=language
    )
    title, sections = selectors.rendered(row, lang=language, hidden=hidden)
    document = pdf.contract_pdf(
        title=title,
        sections=sections,
        lang=language,
        number=row.number,
        text_sha256=row.sha256,
        created_at=row.created_at,
    )
    return _pdf_response(document, f"contrat-{commons.slug}-v{row.number}-{language}.pdf")


@router.post("/{slug}/contract/accept", response=with_errors({200: ContractOut}))
def contract_accept(request: HttpRequest, slug: str, data: ContractAcceptIn):
    return run_command(request, "contract.accept", data, commons_slug=slug)


@router.post("/{slug}/certificates", response=with_errors({201: CertificateOut}))
def certificate_issue(request: HttpRequest, slug: str, data: CertificateIn):
    return run_command(request, "certificate.issue", data, commons_slug=slug)


@router.get("/certificates/{code}.pdf", response=with_errors({200: None}))
def certificate_pdf(request: HttpRequest, code: str):
    """The certificate's PDF as issued, to its holder's representatives and the commons' members:
    it names the holder (the public check does not)."""
    certificate = selectors.certificate_for_reader(user=request.auth, code=code)
    return _pdf_response(bytes(certificate.pdf), f"attestation-{certificate.code[:8]}.pdf")


@public_router.get(
    "/certificates/{code}",
    response=with_errors({200: CertificateCheckOut, 410: CertificateCheckOut}),
)
def certificate_check(request: HttpRequest, code: str):
    """Whether a certificate still holds: 200 "valid", 410 "revoked" when the holder's titles
    moved after its date (computed now, nothing written), 404 for an unknown or altered code."""
    status, body = selectors.certificate_public(code=code)
    return Status(status, body)
