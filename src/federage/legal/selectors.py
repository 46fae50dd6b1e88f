"""Reads of the legal vehicle: the facts a contract is written from, versions, who accepted,
and what a certificate attests (valid, or revoked because the holding changed since)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import selectors as contributions_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import domain as governance_domain
from federage.governance import selectors as governance_selectors
from federage.ledger import selectors as ledger_selectors
from federage.legal import domain
from federage.legal.models import Certificate, ContractAcceptance, ContractVersion
from federage.titles import selectors as titles_selectors

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
# Where the SPA shows a certificate's public check (the QR code and the PDF point there).
VERIFY_PATH = "/verify/"


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(clock.BOOKS_TIME_ZONE).date().isoformat()


def charter_in_force(*, commons_id: int) -> tuple[int, dict[str, Any]]:
    """(number, parameters) of the charter in force; a commons from before governance: (0,
    defaults)."""
    try:
        version = governance_selectors.charter_current(commons_id=commons_id)
    except ApplicationError:
        return 0, governance_domain.default_parameters()
    return version.number, {**governance_domain.default_parameters(), **version.parameters}


def contract_facts(*, commons) -> dict[str, Any]:
    """What the contract is written from, as plain JSON (legal.domain's `facts`)."""
    number, parameters = charter_in_force(commons_id=commons.pk)
    parties = [
        {
            "agent_id": membership.agent_id,
            "name": membership.agent.display_name,
            "kind": membership.agent.kind,
            "siren": membership.agent.siren,
            "roles": commons_selectors.membership_roles(membership),
            "joined_on": _day(membership.joined_at),
        }
        for membership in commons_selectors.active_members(commons=commons)
    ]
    validated = list(
        contributions_selectors.contributions_accepted_of(commons_id=commons.pk).select_related(
            "contributor"
        )
    )
    contributions = [
        {
            "agent_id": item.contributor_id,
            "name": item.contributor.display_name,
            "kind": item.kind,
            "title": item.title,
            # The value the vote validated: the accepted price, else the one proposed.
            "value_cents": item.accepted_price_cents or item.proposed_price_cents,
            "decided_on": _day(item.decided_at or item.updated_at),
        }
        for item in validated
    ]
    title_class = titles_selectors.title_class_get(commons_id=commons.pk)
    held = titles_selectors.holdings_at(title_class=title_class, at=None) if title_class else {}
    agents = agent_selectors.agents_by_ids(agent_ids=list(held))
    holdings = sorted(
        (
            {"agent_id": agent_id, "name": agents[agent_id].display_name, "units": str(units)}
            for agent_id, units in held.items()
        ),
        key=lambda row: (-Decimal(row["units"]), row["name"], row["agent_id"]),
    )
    return {
        "commons": {
            "name": commons.name,
            "slug": commons.slug,
            "purpose": commons.purpose,
            "location": commons.location,
            "founded_on": _day(commons.created_at),
        },
        "charter": {"number": number, "parameters": parameters},
        "parties": parties,
        "contributions": contributions,
        "titles": {
            "class_name": title_class.name if title_class else "Parts du commun",
            "holdings": holdings,
        },
    }


def hidden_names(*, commons, reader, facts: Mapping[str, Any], lang: str) -> dict[int, str]:
    """Pseudonyms for the natural persons this reader may not see by name (the one rule,
    governance.selectors.PersonNames); empty for members."""
    names = governance_selectors.PersonNames(commons=commons, reader=reader)
    if names.member:
        return {}
    ids = [party["agent_id"] for party in facts["parties"]]
    ids += [item["agent_id"] for item in facts["contributions"]]
    ids += [row["agent_id"] for row in facts["titles"]["holdings"]]
    agents = agent_selectors.agents_by_ids(agent_ids=set(ids))
    label = "Associé" if lang == "fr" else "Partner"
    hidden: dict[int, str] = {}
    for agent_id in dict.fromkeys(ids):
        if not names.shows(agents.get(agent_id)):
            hidden[agent_id] = f"{label} {len(hidden) + 1}"
    return hidden


# --- Versions ------------------------------------------------------------------------------


def version_latest(*, commons_id: int) -> ContractVersion | None:
    return ContractVersion.objects.filter(commons_id=commons_id).order_by("-number").first()


def version_get(*, commons_id: int, number: int) -> ContractVersion:
    version = ContractVersion.objects.filter(commons_id=commons_id, number=number).first()
    if version is None:
        raise ApplicationError("not_found")
    return version


def versions_of(*, commons_id: int) -> list[ContractVersion]:
    return list(ContractVersion.objects.filter(commons_id=commons_id).order_by("number"))


def accepted_versions(*, commons_id: int) -> dict[int, tuple[int, dt.datetime]]:
    """agent id → (the highest version number it accepted, when)."""
    accepted: dict[int, tuple[int, dt.datetime]] = {}
    rows = ContractAcceptance.objects.filter(commons_id=commons_id).values_list(
        "agent_id", "version__number", "accepted_at"
    )
    for agent_id, number, at in rows:
        if agent_id not in accepted or number > accepted[agent_id][0]:
            accepted[agent_id] = (number, at)
    return accepted


def acceptances_of(*, version: ContractVersion) -> list[ContractAcceptance]:
    return list(ContractAcceptance.objects.filter(version=version).order_by("accepted_at", "id"))


def rendered(
    version: ContractVersion, *, lang: str, hidden: Mapping[int, str]
) -> tuple[str, list[dict[str, Any]]]:
    """(title, sections) of a version: the stored French text as written, unless names are
    hidden or English is asked, which are rendered again from its facts."""
    if lang == "fr" and not hidden:
        return domain.contract_title(version.facts, "fr"), list(version.sections)
    return (
        domain.contract_title(version.facts, lang),
        domain.contract_sections(version.facts, lang, hidden),
    )


def contract_view(*, user, commons, version: ContractVersion, lang: str) -> dict[str, Any]:
    """A version with who accepted what, and what the reader's agents may do."""
    current = version_latest(commons_id=commons.pk)
    hidden = hidden_names(commons=commons, reader=user, facts=version.facts, lang=lang)
    title, sections = rendered(version, lang=lang, hidden=hidden)
    accepted = accepted_versions(commons_id=commons.pk)
    members = commons_selectors.active_members(commons=commons)
    names = governance_selectors.PersonNames(commons=commons, reader=user)
    none = (None, None)
    rows = [
        {
            "agent_id": membership.agent_id,
            "agent_name": names.name(membership.agent),
            "accepted_version": accepted.get(membership.agent_id, none)[0],
            "accepted_at": accepted.get(membership.agent_id, none)[1],
            "up_to_date": accepted.get(membership.agent_id, none)[0] == current.number,
        }
        for membership in members
    ]
    mine = (
        agent_selectors.agent_ids_of_user(user=user)
        if user is not None and user.is_authenticated
        else set()
    )
    my_agents = [
        {
            "agent_id": membership.agent_id,
            "name": membership.agent.display_name,
            "accepted_version": accepted.get(membership.agent_id, none)[0],
            "can_accept": accepted.get(membership.agent_id, none)[0] != current.number,
        }
        for membership in members
        if membership.agent_id in mine
    ]
    return {
        "commons_slug": commons.slug,
        "lang": lang,
        "version": version_out(version),
        "in_force": version.number == current.number,
        "current_number": current.number,
        "redacted": bool(hidden),
        "title": title,
        "sections": sections,
        "members": rows,
        "my_agents": my_agents,
    }


def version_out(version: ContractVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "sha256": version.sha256,
        "created_at": version.created_at,
        "reason": version.reason,
        "template_version": version.template_version,
        "charter_number": version.charter_number,
    }


def version_history(*, commons, reader, lang: str) -> list[dict[str, Any]]:
    """Every version with its avenant; in French the stored one, else rendered again."""
    rows = []
    previous: list[dict[str, Any]] | None = None
    for version in versions_of(commons_id=commons.pk):
        hidden = hidden_names(commons=commons, reader=reader, facts=version.facts, lang=lang)
        _, sections = rendered(version, lang=lang, hidden=hidden)
        changes = (
            list(version.changes)
            if lang == "fr" and not hidden
            else domain.changes(previous, sections)
        )
        rows.append({**version_out(version), "changes": changes})
        previous = sections
    return rows


# --- Certificates --------------------------------------------------------------------------


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL}{VERIFY_PATH}{code}"


def movements_of(*, commons_id: int, agent_id: int) -> list[dict[str, Any]]:
    """Every movement of the agent's titles in the commons (issued, bought, sold, redeemed),
    oldest first: when, its kind, units (signed) and its ledger entry."""
    rows = []
    for issuance in titles_selectors.issuances_of(commons_id=commons_id):
        if issuance.agent_id == agent_id:
            rows.append(("issuance", issuance.issued_at, issuance.units, issuance.entry_id))
    for transfer in titles_selectors.transfers_of(commons_id=commons_id, agent_ids=[agent_id]):
        if transfer.state != "accepted":
            continue
        sign = 1 if transfer.buyer_id == agent_id else -1
        rows.append(("transfer", transfer.closed_at, sign * transfer.units, transfer.entry_id))
    for redemption in titles_selectors.redemptions_of(commons_id=commons_id):
        if redemption.agent_id == agent_id and redemption.state == "executed":
            rows.append(
                ("redemption", redemption.executed_at, -redemption.units, redemption.entry_id)
            )
    rows.sort(key=lambda row: (row[1], row[0]))
    return [
        {"kind": kind, "at": at, "units": units, "entry_id": entry_id}
        for kind, at, units, entry_id in rows
    ]


def entries_behind(*, commons_id: int, movements: Iterable[Mapping[str, Any]]) -> list[dict]:
    """The ledger entries of these movements: id, date, label."""
    ids = [row["entry_id"] for row in movements if row["entry_id"] is not None]
    if not ids:
        return []
    book = ledger_selectors.book_of(commons_id=commons_id)
    entries = []
    for entry_id in dict.fromkeys(ids):
        entry = ledger_selectors.entry_get(book=book, entry_id=entry_id)
        entries.append(
            {
                "entry_id": entry.pk,
                "date": entry.entry_date.isoformat(),
                "label": entry.label,
            }
        )
    return entries


def certificate_by_code(code: str) -> Certificate:
    """The certificate of a code; 404 for an unknown or altered one (looked up whole)."""
    if not CODE_PATTERN.match(code or ""):
        raise ApplicationError("not_found")
    certificate = Certificate.objects.select_related("commons", "agent").filter(code=code).first()
    if certificate is None:
        raise ApplicationError("not_found")
    return certificate


def certificate_for_reader(*, user, code: str) -> Certificate:
    """The certificate of a code for someone who may read its PDF, which names the holder: a user
    acting for the holder, or a member of the commons (who sees every name). Anyone else, the
    code in hand or not, gets 404: the public check shows the facts without the name, and a
    verifier compares the PDF it was given with the hash that check shows."""
    certificate = certificate_by_code(code)
    if certificate.agent_id in agent_selectors.agent_ids_of_user(user=user):
        return certificate
    if commons_selectors.roles_of_user(user=user, commons=certificate.commons):
        return certificate
    raise ApplicationError("not_found")


def certificate_out(certificate: Certificate, *, holder_name: str | None = None) -> dict:
    facts = certificate.facts
    return {
        "code": certificate.code,
        "verify_url": verify_url(certificate.code),
        "commons_slug": facts["commons_slug"],
        "commons_name": facts["commons_name"],
        "holder_name": facts["holder_name"] if holder_name is None else holder_name,
        "class_name": facts["class_name"],
        "units": facts["units"],
        "value_per_title_cents": facts["value_per_title_cents"],
        "value_cents": facts["value_cents"],
        "as_of": certificate.as_of,
        "issued_at": certificate.issued_at,
        "entries": facts["entries"],
        "pdf_sha256": certificate.pdf_sha256,
        "pdf_url": f"/api/v1/legal/certificates/{certificate.code}.pdf",
    }


def certificate_status(certificate: Certificate) -> tuple[str, dt.datetime | None]:
    """("valid", None), or ("revoked", when the holding first changed after the date):
    computed at every read from the register, never stored."""
    later = [
        row["at"]
        for row in movements_of(commons_id=certificate.commons_id, agent_id=certificate.agent_id)
        if row["at"] > certificate.as_of
    ]
    return ("revoked", min(later)) if later else ("valid", None)


def certificate_public(*, code: str) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of the public check: 200 valid or 410 revoked; the holder named by
    the charter's public_data.persons rule (PersonNames, as for an anonymous reader)."""
    certificate = certificate_by_code(code)
    names = governance_selectors.PersonNames(commons=certificate.commons, reader=None)
    body = certificate_out(certificate, holder_name=names.name(certificate.agent))
    status, changed_at = certificate_status(certificate)
    body["status"] = status
    if status == "revoked":
        body["revoked_because"] = "holding_changed"
        body["changed_at"] = changed_at
        return 410, body
    return 200, body
