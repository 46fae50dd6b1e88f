"""Writes on contributions: draft, edit, evidence, submit, counter-offer, decide, call, pay, needs.

Acceptance is one transaction, run by governance's on-passed handler: the NAV before the
entry, the ledger entry (DESIGN §3), the issuance of titles at that NAV, the holding, the NAV
point, the links contribution ↔ decision ↔ entry ↔ issuance, and the event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Count, Subquery
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import domain, integration
from federage.contributions.models import CoAuthor, Contribution, Evidence, Need, Revision
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money
from federage.core.transactions import write
from federage.titles import domain as titles_domain
from federage.titles import integration as books
from federage.titles import services as titles_services

APPROVING_ROLES = ("approver", "steward")


def _lock(contribution_id: int) -> Contribution:
    contribution = (
        Contribution.objects.select_for_update()
        .select_related("commons")
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None:
        raise ApplicationError("not_found")
    return contribution


def _visible_for_write(user, contribution_id: int) -> Contribution:
    contribution = _lock(contribution_id)
    # Only members of the commons see and act on its contributions.
    commons = commons_selectors.commons_get_visible(user=user, slug=contribution.commons.slug)
    commons_selectors.require_member(user=user, commons=commons)
    return contribution


def _require_author(user, contribution: Contribution) -> None:
    if contribution.contributor_id not in agent_selectors.agent_ids_of_user(user=user):
        raise ApplicationError("permission_denied")


def _revise(
    contribution: Contribution,
    *,
    action: str,
    state_before: str,
    comment: str,
    user_id: int | None,
    changes: dict[str, Any] | None = None,
    number: int | None = None,
) -> Revision:
    comment = (comment or "").strip()
    if not comment:
        raise ApplicationError.on_field("comment", "comment_required")
    revision = Revision.objects.create(
        contribution=contribution,
        # The next number, counted by the insert itself (the contribution's row is locked).
        number=number if number is not None else _next_revision_number(contribution),
        action=action,
        state_before=state_before,
        state_after=contribution.state,
        changes=changes or {},
        comment=comment[:4000],
        user_id=user_id,
        created_at=clock.now(),
    )
    if number is None:
        del revision.number  # the expression: read from the row if anybody asks
    return revision


def _next_revision_number(contribution: Contribution) -> CombinedExpression:
    count = (
        Revision.objects.filter(contribution=contribution)
        .order_by()
        .values("contribution")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(count), 0) + 1


def _move(contribution: Contribution, action: str) -> str:
    before = contribution.state
    contribution.state = domain.next_state(contribution.kind, before, action)
    contribution.updated_at = clock.now()
    return before


def _event(contribution: Contribution, type: str, user_id: int | None, **data: Any) -> None:
    event_record(
        type=f"contribution.{type}",
        commons_id=contribution.commons_id,
        actor_user_id=user_id,
        data={"contribution_id": contribution.pk, "state": contribution.state, **data},
    )


def _clean_fields(
    *,
    kind: str,
    title: str,
    proposed_price_cents: int,
    quantity: Decimal | None,
    unit_price_cents: int | None,
    price_explanation: str,
    resource_account: str,
) -> dict[str, Any]:
    kind = domain.clean_kind(kind)
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError.on_field("title", "required")
    domain.check_price(
        proposed_price=Money(proposed_price_cents),
        quantity=quantity,
        unit_price=Money(unit_price_cents) if unit_price_cents is not None else None,
        explanation=price_explanation,
    )
    return {
        "kind": kind,
        "title": title[:200],
        "resource_account": domain.clean_resource_account(kind, resource_account),
    }


def _co_author_ids(commons, contributor_id: int, agent_ids: list[int]) -> list[int]:
    wanted = sorted(set(agent_ids) - {contributor_id})
    if wanted and len(agent_selectors.agents_by_ids(agent_ids=wanted)) != len(wanted):
        raise ApplicationError.on_field("co_author_agent_ids", "not_found")
    return wanted


@write
def contribution_create(
    *,
    user,
    commons_slug: str,
    kind: str,
    title: str,
    proposed_price_cents: int,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    unit_price_cents: int | None = None,
    price_explanation: str = "",
    delivery_date: dt.date | None = None,
    resource_account: str = "",
    resource_label: str = "",
    co_author_agent_ids: list[int] | None = None,
    need_id: int | None = None,
    agent_id: int | None = None,
) -> Contribution:
    """Records a draft contribution by a member of the commons."""
    membership = commons_selectors.membership_acting(
        user=user, slug=commons_slug, agent_id=agent_id
    )
    commons, contributor = membership.commons, membership.agent
    clean = _clean_fields(
        kind=kind,
        title=title,
        proposed_price_cents=proposed_price_cents,
        quantity=quantity,
        unit_price_cents=unit_price_cents,
        price_explanation=price_explanation,
        resource_account=resource_account,
    )
    need = None
    if need_id is not None:
        need = Need.objects.filter(pk=need_id, commons=commons, is_open=True).first()
        if need is None:
            raise ApplicationError.on_field("need_id", "not_found")
    co_authors = _co_author_ids(commons, contributor.pk, co_author_agent_ids or [])
    now = clock.now()
    contribution = Contribution.objects.create(
        commons=commons,
        contributor=contributor,
        author=user,
        description=description or "",
        quantity=quantity,
        unit=(unit or "")[:20],
        unit_price_cents=unit_price_cents,
        proposed_price_cents=proposed_price_cents,
        price_explanation=price_explanation or "",
        delivery_date=delivery_date,
        resource_label=(resource_label or "")[:200],
        need=need,
        state=domain.DRAFT,
        created_at=now,
        updated_at=now,
        **clean,
    )
    CoAuthor.objects.bulk_create(
        CoAuthor(contribution=contribution, agent_id=agent) for agent in co_authors
    )
    revision = _revise(
        contribution,
        action="create",
        state_before=domain.DRAFT,
        comment="Création de l'apport",
        user_id=user.pk,
        changes={"proposed_price_cents": proposed_price_cents},
        number=1,
    )
    revision.user = user
    contribution.history = [revision]  # what selectors read as `history`: the answer needs no read
    _event(contribution, "created", user.pk)
    return contribution


_EDITABLE = (
    "title",
    "description",
    "quantity",
    "unit",
    "unit_price_cents",
    "proposed_price_cents",
    "price_explanation",
    "delivery_date",
    "resource_account",
    "resource_label",
)


def _json_value(value: Any) -> Any:
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    return value


@write
def contribution_update(
    *, user, contribution_id: int, comment: str, **changes: Any
) -> Contribution:
    """Edits a draft; every change needs a comment and is kept in the history."""
    unknown = set(changes) - set(_EDITABLE)
    assert not unknown, f"not editable: {unknown}"
    contribution = _visible_for_write(user, contribution_id)
    _require_author(user, contribution)
    before = _move(contribution, "edit")
    diff = {}
    for name, value in changes.items():
        if getattr(contribution, name) != value:
            diff[name] = [_json_value(getattr(contribution, name)), _json_value(value)]
            setattr(contribution, name, value)
    clean = _clean_fields(
        kind=contribution.kind,
        title=contribution.title,
        proposed_price_cents=contribution.proposed_price_cents,
        quantity=contribution.quantity,
        unit_price_cents=contribution.unit_price_cents,
        price_explanation=contribution.price_explanation,
        resource_account=contribution.resource_account,
    )
    contribution.title = clean["title"]
    contribution.resource_account = clean["resource_account"]
    _revise(
        contribution,
        action="edit",
        state_before=before,
        comment=comment,
        user_id=user.pk,
        changes=diff,
    )
    contribution.save()
    _event(contribution, "updated", user.pk, fields=sorted(diff))
    return contribution


def _evidence_dir() -> Path:
    return Path(settings.VAR_DIR) / "evidence"


def evidence_path(sha256: str) -> Path:
    """Where a file is stored: content-addressed, so the same file is stored once."""
    return _evidence_dir() / sha256[:2] / sha256


@write
def evidence_add(*, user, contribution_id: int, name: str, size: int, stream: BinaryIO) -> Evidence:
    """Stores an evidence file (≤ 10 MB, allowed types) by its SHA-256 and links it."""
    contribution = _visible_for_write(user, contribution_id)
    _require_author(user, contribution)
    if contribution.state not in domain.PENDING:
        raise ApplicationError("invalid_transition")
    head = stream.read(16)
    clean_name, content_type = domain.check_evidence(name, size, head)
    digest = hashlib.sha256(head)
    directory = _evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # Stream to a temporary file, hashing on the way; never more than the limit is read.
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-")
    written = len(head)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(head)
            while chunk := stream.read(1024 * 1024):
                written += len(chunk)
                if written > domain.EVIDENCE_MAX_BYTES:
                    raise ApplicationError.on_field("file", "evidence_too_large")
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        target = evidence_path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    existing = Evidence.objects.filter(contribution=contribution, sha256=sha256).first()
    if existing is not None:
        return existing
    evidence = Evidence.objects.create(
        contribution=contribution,
        name=clean_name,
        content_type=content_type,
        size=written,
        sha256=sha256,
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    _revise(
        contribution,
        action="evidence",
        state_before=contribution.state,
        comment=f"Pièce jointe : {clean_name}",
        user_id=user.pk,
        changes={"evidence": [clean_name, sha256]},
    )
    _event(contribution, "evidence_added", user.pk, evidence_id=evidence.pk)
    return evidence


def _open_vote(user, contribution: Contribution) -> None:
    price = Money(contribution.proposed_price_cents)
    proposal_id = integration.proposal_open(
        user=user,
        commons_id=contribution.commons_id,
        contribution_id=contribution.pk,
        title=f"Valider l'apport « {contribution.title} » ({price.format_fr()})",
        body=contribution.description,
        payload={
            "contribution_id": contribution.pk,
            "kind": contribution.kind,
            "price_cents": price.cents,
        },
        agent_id=contribution.contributor_id,
        co_author_ids=contribution.co_authors.values_list("agent_id", flat=True),
    )
    before = _move(contribution, "open_vote")
    contribution.proposal_id = proposal_id
    contribution.submitted_at = clock.now()
    contribution.save()
    _revise(
        contribution,
        action="open_vote",
        state_before=before,
        comment=f"Vote ouvert (proposition n° {proposal_id})",
        user_id=user.pk,
        changes={"proposal_id": proposal_id},
    )


@write
def contribution_submit(*, user, contribution_id: int, comment: str = "") -> Contribution:
    """Submits a draft: the charter's checks, then the validation vote opens."""
    contribution = _visible_for_write(user, contribution_id)
    _require_author(user, contribution)
    before = _move(contribution, "submit")
    charter = books.charter_in_force(commons_id=contribution.commons_id)
    if charter.evidence_required and not contribution.evidence.exists():
        raise ApplicationError.on_field("file", "evidence_required")
    contribution.save()
    _revise(
        contribution,
        action="submit",
        state_before=before,
        comment=comment or "Apport soumis à validation",
        user_id=user.pk,
    )
    _open_vote(user, contribution)
    _event(contribution, "submitted", user.pk, proposal_id=contribution.proposal_id)
    return contribution


@write
def contribution_counter(
    *, user, contribution_id: int, price_cents: int, comment: str, agent_id: int | None = None
) -> Contribution:
    """An approver proposes another price; the contributor accepts (new vote) or withdraws.

    With `agent_id`, the counter-offer is made for that member agent of the user, which must
    hold an approving role itself (refusals on `agent_id`)."""
    contribution = _visible_for_write(user, contribution_id)
    if agent_id is None:
        commons_selectors.require_role(
            user=user, commons=contribution.commons, any_of=APPROVING_ROLES
        )
    else:
        try:
            membership = commons_selectors.membership_acting(
                user=user, slug=contribution.commons.slug, agent_id=agent_id
            )
        except ApplicationError as error:
            # The commons is the user's (checked above): the refusal is about the agent chosen.
            raise ApplicationError.on_field("agent_id", error.code) from error
        if not set(commons_selectors.membership_roles(membership)) & set(APPROVING_ROLES):
            raise ApplicationError.on_field("agent_id", "permission_denied")
    own = agent_selectors.agent_ids_of_user(user=user)
    co_authors = set(contribution.co_authors.values_list("agent_id", flat=True))
    if contribution.contributor_id in own or own & co_authors:
        # Nobody counters their own contribution, whoever they act for.
        if agent_id is not None:
            raise ApplicationError.on_field("agent_id", "own_item")
        raise ApplicationError("own_item")
    if price_cents <= 0:
        raise ApplicationError.on_field("price_cents", "amount_not_positive")
    before = _move(contribution, "counter")
    contribution.counter_price_cents = price_cents
    contribution.countered_by = user
    _revise(
        contribution,
        action="counter",
        state_before=before,
        comment=comment,
        user_id=user.pk,
        changes={
            "counter_price_cents": [contribution.proposed_price_cents, price_cents],
            **({"agent_id": agent_id} if agent_id is not None else {}),
        },
    )
    contribution.save()
    _event(contribution, "countered", user.pk, counter_price_cents=price_cents)
    # The contributor and co-authors hear of it: they accept the new price or withdraw.
    integration.notify(
        commons_id=contribution.commons_id,
        kind="counter_offered",
        agent_ids=[contribution.contributor_id, *co_authors],
        title=contribution.title,
        path=f"/contributions/{contribution.pk}",
        data={
            "contribution_id": contribution.pk,
            "proposed_price_cents": contribution.proposed_price_cents,
            "counter_price_cents": price_cents,
        },
        except_user_id=user.pk,
    )
    return contribution


@write
def contribution_accept_counter(*, user, contribution_id: int, comment: str) -> Contribution:
    """The contributor takes the counter-offer: the price changes and the vote restarts."""
    contribution = _visible_for_write(user, contribution_id)
    _require_author(user, contribution)
    before = _move(contribution, "accept_counter")
    integration.proposal_withdraw_if_open(user=user, proposal_id=contribution.proposal_id)
    old_price = contribution.proposed_price_cents
    contribution.proposed_price_cents = contribution.counter_price_cents
    contribution.price_explanation = (
        contribution.price_explanation or f"Contre-proposition acceptée ({comment.strip()})"
    )
    contribution.counter_price_cents = None
    contribution.save()
    _revise(
        contribution,
        action="accept_counter",
        state_before=before,
        comment=comment,
        user_id=user.pk,
        changes={"proposed_price_cents": [old_price, contribution.proposed_price_cents]},
    )
    _open_vote(user, contribution)
    _event(contribution, "counter_accepted", user.pk, proposal_id=contribution.proposal_id)
    return contribution


@write
def contribution_withdraw(*, user, contribution_id: int, comment: str) -> Contribution:
    contribution = _visible_for_write(user, contribution_id)
    _require_author(user, contribution)
    before = _move(contribution, "withdraw")
    integration.proposal_withdraw_if_open(user=user, proposal_id=contribution.proposal_id)
    contribution.save()
    _revise(contribution, action="withdraw", state_before=before, comment=comment, user_id=user.pk)
    _event(contribution, "withdrawn", user.pk)
    return contribution


@write
def contribution_decide(
    *,
    proposal_id: int,
    contribution_id: int,
    passed: bool,
    decision_id: int,
    charter_version_id: int | None,
    outcome: str = "",
    charter_in_force: tuple[int, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Governance's outcome handler: accept (book + issue) or reject, in the closing transaction.

    A decision on a proposal the contribution no longer follows (withdrawn, superseded by a
    counter-offer) changes nothing: the contribution follows its current proposal only.
    """
    contribution = _lock(contribution_id)
    if contribution.proposal_id != proposal_id or contribution.state != domain.IN_REVIEW:
        return {"contribution_id": contribution.pk, "ignored": contribution.state}
    contribution.decision_id = decision_id
    contribution.charter_version_id = charter_version_id
    contribution.decided_at = clock.now()
    if not passed:
        before = _move(contribution, "reject")
        contribution.save()
        _revise(
            contribution,
            action="reject",
            state_before=before,
            # An expired vote (quorum not reached) rejects too: the contributor may propose again.
            comment=f"Refusé par la décision n° {decision_id} ({outcome or 'rejected'})",
            user_id=None,
        )
        _event(contribution, "rejected", None, decision_id=decision_id)
        return {"contribution_id": contribution.pk, "state": contribution.state}
    return _accept(contribution, decision_id, charter_version_id, charter_in_force)


def _accept(
    contribution: Contribution,
    decision_id: int,
    charter_version_id: int | None,
    charter_in_force: tuple[int, Mapping[str, Any]] | None,
) -> dict[str, Any]:
    price = Money(contribution.proposed_price_cents)
    # The NAV before the entry: the contributor buys in at the value holders had until now.
    # Read once: the class row (locked), the charter in force, the net assets; the issuance
    # reuses them.
    pricing = titles_services.pricing_locked(
        commons_id=contribution.commons_id, charter_in_force=charter_in_force
    )
    nav = pricing.nav
    # Every refusal before the first write (governance runs this effect without a savepoint):
    # the units the price buys, the move, then the posting's own checks.
    titles_services.issuance_units(price, nav)
    before = _move(contribution, "accept")
    posting = domain.acceptance_posting(
        contribution.kind, price, contribution.title, contribution.resource_account
    )
    entry_id, change = books.entry_post(
        commons_id=contribution.commons_id,
        journal=posting.journal,
        label=posting.label,
        piece_ref=f"APPORT-{contribution.pk}",
        lines=posting.lines,
        idempotency_key=f"contribution:{contribution.pk}:accepted:decision:{decision_id}",
        source_type="contribution",
        source_id=contribution.pk,
        decision_id=decision_id,
        charter_version_id=charter_version_id,
        actor_user_id=None,
        entry_date=clock.today(),
    )
    issuance = titles_services.issuance_create(
        commons_id=contribution.commons_id,
        agent_id=contribution.contributor_id,
        price=price,
        nav=nav,
        source_type="contribution",
        source_id=contribution.pk,
        decision_id=decision_id,
        charter_version_id=charter_version_id,
        entry_id=entry_id,
        actor_user_id=None,
        pricing=pricing,
        # The class row is locked since the NAV was read: what moved the net assets since
        # is this entry (None: it was there already, they are read).
        net_assets_after=(Money(nav.net_assets_cents) + change if change is not None else None),
    )
    contribution.entry_id = entry_id
    contribution.issuance_id = issuance.pk
    contribution.accepted_price_cents = price.cents
    contribution.save()
    _revise(
        contribution,
        action="accept",
        state_before=before,
        comment=(
            f"Validé par la décision n° {decision_id} : "
            f"{titles_domain.units_text(issuance.units)} titres émis"
        ),
        user_id=None,
        changes={"entry_id": entry_id, "issuance_id": issuance.pk, "units": str(issuance.units)},
    )
    _event(
        contribution,
        "accepted",
        None,
        decision_id=decision_id,
        entry_id=entry_id,
        issuance_id=issuance.pk,
    )
    return {
        "contribution_id": contribution.pk,
        "entry_id": entry_id,
        "issuance_id": issuance.pk,
        "units": str(issuance.units),
    }


def _steward_action(user, contribution_id: int, action: str) -> tuple[Contribution, str]:
    contribution = _visible_for_write(user, contribution_id)
    commons_selectors.require_role(user=user, commons=contribution.commons, any_of=("steward",))
    return contribution, _move(contribution, action)


@write
def contribution_call(*, user, contribution_id: int, comment: str = "") -> Contribution:
    """A steward calls the accepted cash contribution: the contributor is asked to pay."""
    contribution, before = _steward_action(user, contribution_id, "call")
    contribution.save()
    _revise(
        contribution,
        action="call",
        state_before=before,
        comment=comment or "Appel du versement",
        user_id=user.pk,
    )
    _event(contribution, "called", user.pk)
    return contribution


@write
def contribution_pay(*, user, contribution_id: int, comment: str = "") -> Contribution:
    """A steward records the payment of a cash contribution: D 512 / C 4562."""
    contribution, before = _steward_action(user, contribution_id, "pay")
    return _payment_record(contribution, before, user.pk, comment or "Versement reçu")


def _payment_record(
    contribution: Contribution, before: str, user_id: int | None, comment: str
) -> Contribution:
    """The cash came: D 512 / C 4562, the revision and the event (the move is the caller's)."""
    posting = domain.payment_posting(Money(contribution.accepted_price_cents), contribution.title)
    contribution.payment_entry_id, _ = books.entry_post(
        commons_id=contribution.commons_id,
        journal=posting.journal,
        label=posting.label,
        piece_ref=f"APPORT-{contribution.pk}",
        lines=posting.lines,
        idempotency_key=f"contribution:{contribution.pk}:paid",
        source_type="contribution",
        source_id=contribution.pk,
        decision_id=contribution.decision_id,
        charter_version_id=contribution.charter_version_id,
        actor_user_id=user_id,
        entry_date=clock.today(),
    )
    contribution.paid_at = clock.now()
    contribution.save()
    _revise(
        contribution,
        action="pay",
        state_before=before,
        comment=comment,
        user_id=user_id,
        changes={"payment_entry_id": contribution.payment_entry_id},
    )
    _event(contribution, "paid", user_id, entry_id=contribution.payment_entry_id)
    return contribution


# --- Needs ---------------------------------------------------------------------------------


@write
def need_create(
    *,
    user,
    commons_slug: str,
    kind: str,
    title: str,
    target_cents: int,
    description: str = "",
    wanted_by: dt.date | None = None,
) -> Need:
    """A steward publishes what the commons looks for, with a target amount."""
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    commons_selectors.require_role(user=user, commons=commons, any_of=("steward",))
    kind = domain.clean_kind(kind)
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError.on_field("title", "required")
    if target_cents <= 0:
        raise ApplicationError.on_field("target_cents", "amount_not_positive")
    need = Need.objects.create(
        commons=commons,
        kind=kind,
        title=title[:200],
        description=description or "",
        target_cents=target_cents,
        wanted_by=wanted_by,
        created_by=user,
        created_at=clock.now(),
    )
    event_record(
        type="need.created", commons_id=commons.pk, actor_user_id=user.pk, data={"need_id": need.pk}
    )
    return need


@write
def need_close(*, user, need_id: int) -> Need:
    need = Need.objects.select_for_update().select_related("commons").filter(pk=need_id).first()
    if need is None:
        raise ApplicationError("not_found")
    commons_selectors.require_visible(user=user, commons=need.commons)
    commons_selectors.require_role(user=user, commons=need.commons, any_of=("steward",))
    need.is_open = False
    need.save(update_fields=["is_open"])
    event_record(
        type="need.closed",
        commons_id=need.commons_id,
        actor_user_id=user.pk,
        data={"need_id": need.pk},
    )
    return need


# --- Cash subscriptions decided by another vote (funding's equity offers, issue 17) ---------


@write
def cash_subscription_record(
    *,
    commons_id: int,
    contributor_id: int,
    author_id: int,
    title: str,
    price_cents: int,
    proposal_id: int,
    decision_id: int,
    source: str,
) -> Contribution:
    """A cash contribution already decided by another vote (a funder's equity subscription,
    accepted by accept_financing) whose cash has come: the ordinary chain, in one go and in
    this app's tables — acceptance (D 4562 / C 1013, titles issued at the NAV in force before
    the entry), then payment (D 512 / C 4562). The bank is debited once, here; `source` names
    the caller's row (e.g. "financing:7:tranche:2") in the history."""
    if decision_id is None:
        raise ApplicationError("financing_needs_decision")
    clean = _clean_fields(
        kind=domain.CASH,
        title=title,
        proposed_price_cents=price_cents,
        quantity=None,
        unit_price_cents=None,
        price_explanation="",
        resource_account="",
    )
    now = clock.now()
    # Born in review under the caller's proposal: the decision below is that vote's.
    contribution = Contribution.objects.create(
        commons_id=commons_id,
        contributor_id=contributor_id,
        author_id=author_id,
        proposed_price_cents=price_cents,
        state=domain.IN_REVIEW,
        proposal_id=proposal_id,
        created_at=now,
        updated_at=now,
        submitted_at=now,
        **clean,
    )
    _revise(
        contribution,
        action="create",
        state_before=domain.IN_REVIEW,
        comment=f"Souscription en numéraire ({source}), décision n° {decision_id}",
        user_id=author_id,
        changes={"proposed_price_cents": price_cents, "source": source},
        number=1,
    )
    contribution.decision_id = decision_id
    contribution.decided_at = now
    _accept(contribution, decision_id, None, None)
    before = _move(contribution, "pay")
    return _payment_record(contribution, before, author_id, "Versement reçu")
