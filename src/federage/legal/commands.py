"""Command handlers of the legal vehicle: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.commons import selectors as commons_selectors
from federage.core.commands import command
from federage.legal import selectors, services
from federage.legal.schemas import (
    CertificateCommand,
    CertificateOut,
    ContractAcceptCommand,
    ContractOut,
)


@command("contract.accept", ContractAcceptCommand)
def contract_accept_command(user, data: ContractAcceptCommand):
    acceptance = services.contract_accept(
        user=user,
        commons_slug=data.commons_slug,
        version_number=data.version_number,
        sha256=data.sha256,
        agent_id=data.agent_id,
    )
    commons = commons_selectors.commons_get_visible(user=user, slug=data.commons_slug)
    version = selectors.version_get(commons_id=commons.pk, number=acceptance.version.number)
    return ContractOut(
        **selectors.contract_view(user=user, commons=commons, version=version, lang=data.lang)
    )


@command("certificate.issue", CertificateCommand, success_status=201)
def certificate_issue_command(user, data: CertificateCommand):
    certificate = services.certificate_issue(
        user=user,
        commons_slug=data.commons_slug,
        agent_id=data.agent_id,
        as_of=data.as_of,
        lang=data.lang,
    )
    return CertificateOut(**selectors.certificate_out(certificate))
