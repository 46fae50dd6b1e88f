"""Writes of the legal vehicle: contract versions (on a fact or by the sweep), acceptances and
title certificates."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock, events
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.transactions import write
from federage.legal import domain, pdf, selectors
from federage.legal.models import Certificate, ContractAcceptance, ContractVersion
from federage.titles import domain as titles_domain
from federage.titles import selectors as titles_selectors

logger = logging.getLogger(__name__)

# 24 random bytes: 192 bits, 32 URL-safe characters.
CODE_BYTES = 24


# --- Contract versions -------------------------------------------------------------------------


def _commons(commons_id: int):
    # By id, whatever its visibility: the contract is written for every commons (the commons
    # app has no other by-id read).
    return commons_selectors.commons_all_with_member_counts().get(pk=commons_id)


def contract_version_write(*, commons_id: int, reason: str) -> ContractVersion | None:
    """Writes the next version when the text generated now differs from the latest one's;
    None when it does not (so it is idempotent: run twice, it writes once).

    Called in the transaction of the fact that changes the contract (federage/reactions.py) and
    by the sweep. Two writers racing for the same number: the unique constraint refuses the
    second, whose savepoint is undone, and the next sweep writes what is still missing.
    """
    commons = _commons(commons_id)
    facts = selectors.contract_facts(commons=commons)
    sections = domain.contract_sections(facts, "fr")
    text = domain.canonical_text(domain.contract_title(facts, "fr"), sections)
    digest = domain.text_sha256(text)
    latest = selectors.version_latest(commons_id=commons_id)
    if latest is not None and latest.sha256 == digest:
        return None
    try:
        with transaction.atomic():
            version = ContractVersion.objects.create(
                commons_id=commons_id,
                number=(latest.number + 1) if latest else 1,
                template_version=domain.TEMPLATE_VERSION,
                reason=reason if latest else "founded",
                facts=facts,
                sections=sections,
                canonical_text=text,
                sha256=digest,
                changes=domain.changes(latest.sections if latest else None, sections),
                charter_number=facts["charter"]["number"],
                member_agent_ids=domain.members_signature(facts),
                created_at=clock.now(),
            )
    except IntegrityError:
        logger.warning("contract version of commons %s written concurrently", commons_id)
        return None
    event_record(
        type="contract.version_created",
        commons_id=commons_id,
        actor_user_id=None,
        data={"number": version.number, "sha256": digest, "reason": version.reason},
    )
    return version


def contract_versions_catch_up() -> int:
    """The sweep: a version for every commons whose charter or members moved since its latest
    version (or that has none: a commons from before this app). Idempotent."""
    written = 0
    for commons in commons_selectors.commons_all_with_member_counts():
        version = selectors.version_latest(commons_id=commons.pk)
        if version is not None:
            number, _ = selectors.charter_in_force(commons_id=commons.pk)
            members = sorted(
                commons_selectors.active_members(commons=commons).values_list("agent_id", flat=True)
            )
            if version.charter_number == number and version.member_agent_ids == members:
                continue
        with transaction.atomic(), events.collected():
            if contract_version_write(commons_id=commons.pk, reason="catch_up"):
                written += 1
    return written


@write
def contract_accept(
    *, user, commons_slug: str, version_number: int, sha256: str, agent_id: int | None
) -> ContractAcceptance:
    """A partner accepts the version in force, bound to its hash, through a user acting for it.

    Refusals, nothing written: an agent the user does not act for (the representation check),
    one not a member, an older version (`contract_outdated`), a hash not the version's
    (`contract_hash_mismatch`), a version it accepted already (`contract_already_accepted`).
    """
    membership = commons_selectors.membership_acting(
        user=user, slug=commons_slug, agent_id=agent_id
    )
    current = (
        ContractVersion.objects.select_for_update()
        .filter(commons_id=membership.commons_id)
        .order_by("-number")
        .first()
    )
    if current is None or version_number > current.number or version_number < 1:
        raise ApplicationError.on_field("version_number", "not_found")
    if version_number != current.number:
        raise ApplicationError.on_field("version_number", "contract_outdated")
    if sha256 != current.sha256:
        raise ApplicationError.on_field("sha256", "contract_hash_mismatch")
    if ContractAcceptance.objects.filter(version=current, agent_id=membership.agent_id).exists():
        raise ApplicationError("contract_already_accepted")
    acceptance = ContractAcceptance.objects.create(
        version=current,
        commons_id=membership.commons_id,
        agent_id=membership.agent_id,
        user=user,
        sha256=sha256,
        accepted_at=clock.now(),
    )
    event_record(
        type="contract.accepted",
        commons_id=membership.commons_id,
        actor_user_id=user.pk,
        data={"number": current.number, "agent_id": membership.agent_id, "sha256": sha256},
    )
    return acceptance


# --- Certificates --------------------------------------------------------------------------


def certificate_facts(*, commons, agent, as_of: dt.datetime | None) -> dict:
    """What a certificate attests: the holding at `as_of` (now when None), its value at the NAV
    of that moment, and the ledger entries of the movements behind it. `no_titles_held` when
    the agent held none then."""
    title_class = titles_selectors.title_class_get(commons_id=commons.pk)
    held = titles_selectors.holdings_at(title_class=title_class, at=as_of) if title_class else {}
    units = held.get(agent.pk, Decimal(0))
    if units <= 0:
        raise ApplicationError.on_field("agent_id", "no_titles_held")
    nav = titles_selectors.nav_at(commons_id=commons.pk, title_class=title_class, at=as_of)
    moment = as_of or clock.now()
    movements = [
        row
        for row in selectors.movements_of(commons_id=commons.pk, agent_id=agent.pk)
        if row["at"] <= moment
    ]
    return {
        "commons_slug": commons.slug,
        "commons_name": commons.name,
        "holder_agent_id": agent.pk,
        "holder_name": agent.display_name,
        "class_name": title_class.name,
        "units": str(units),
        "value_per_title_cents": str(nav.cents_per_unit()),
        "value_cents": titles_domain.holding_value(units, nav).cents,
        "as_of": moment.isoformat(),
        "entries": selectors.entries_behind(commons_id=commons.pk, movements=movements),
    }


def _entry_line(entry: dict, lang: str) -> str:
    when = domain.date_text(entry["date"], lang)
    return f"n° {entry['entry_id']} — {when} — {entry['label']}"


@write
def certificate_issue(
    *,
    user,
    commons_slug: str,
    agent_id: int | None = None,
    as_of: dt.datetime | None = None,
    lang: str = "fr",
) -> Certificate:
    """A certificate of the titles an agent the user acts for holds in the commons, at `as_of`
    (now by default; never in the future), with its PDF and a random verification code."""
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    agent = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    now = clock.now()
    if as_of is not None:
        if as_of.tzinfo is None:
            raise ApplicationError.on_field("as_of", "invalid_value", "time zone required")
        if as_of > now:
            raise ApplicationError.on_field("as_of", "date_in_future")
    facts = certificate_facts(commons=commons, agent=agent, as_of=as_of)
    code = secrets.token_urlsafe(CODE_BYTES)
    lang = lang if lang in domain.LANGUAGES else "fr"
    document = pdf.certificate_pdf(
        rows=domain.certificate_lines(facts, lang),
        entries=[_entry_line(entry, lang) for entry in facts["entries"]],
        lang=lang,
        verify_url=selectors.verify_url(code),
        issued_at=now,
    )
    certificate = Certificate.objects.create(
        code=code,
        commons=commons,
        agent=agent,
        issued_by=user,
        as_of=dt.datetime.fromisoformat(facts["as_of"]),
        facts=facts,
        units=Decimal(facts["units"]),
        value_cents=facts["value_cents"],
        pdf=document,
        pdf_sha256=pdf.sha256(document),
        issued_at=now,
    )
    event_record(
        type="certificate.issued",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"certificate_id": certificate.pk, "agent_id": agent.pk, "units": facts["units"]},
    )
    return certificate
