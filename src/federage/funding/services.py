"""Writes on financings: offer, put to vote, withdraw, the vote's effect, disburse tranches,
repay loans, tag spending to an earmark, release tranches on verified milestones, post reprises,
accrued interest and fonds dédiés at year end.

Booking choices (DESIGN §3, research/anchors-impact-funding.md §5), all in journal FI:
- operating grant: each disbursed tranche D 512 / C 741 (subventions d'exploitation);
- investment grant: each disbursed tranche D 512 / C 131 (nothing at acceptance: the notice
  entry 441/131 is left out, the grant is booked when the cash comes); each year the worker
  posts D 139 / C 747 (777 for a fiscal year opened before 1 January 2025) in step with the
  depreciation of the earmarked resource;
- loan: each disbursed tranche D 512 / C 1641xx (one sub-account of 164 per loan); each
  instalment D 1641xx (principal) + D 661 (interest) / C 512; an early repayment D 1641xx / C 512.
- loan, year end: on 31 December the worker posts D 661 / C 1688 for the interest run since the
  last instalment (or the disbursement), 30E/360, half up (domain's year-end block), and on
  1 January the contre-passation D 1688 / C 661, so the next instalment's 661 leaves only the
  new year's share in the new year;
- earmarked operating grant, year end (ANC 2018-06): the part received and not yet spent on
  the earmark (tagged spending) is carried D 6894 / C 194 on 31 December; in later years the
  fund spent comes back D 194 / C 789, oldest money first, on 31 December of the year spent.
"""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F, Sum

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import services as contributions_services
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money
from federage.core.transactions import write
from federage.funding import domain, selectors
from federage.funding.models import (
    Earmark,
    EarmarkTag,
    Financing,
    Instalment,
    LoanTerms,
    Reprise,
    Tranche,
    YearEndPosting,
)
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger import selectors as ledger_selectors
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput
from federage.resources import selectors as resources_selectors

KIND = "accept_financing"
SUBJECT = "financing"
STEWARD = ("steward",)


def _impact():
    # impact's selectors (objective_progress, objective_commons_id), per notes/interfaces.md.
    from federage.impact import selectors as impact_selectors

    return impact_selectors


def _event(financing: Financing, type: str, user_id: int | None, **data: Any) -> None:
    event_record(
        type=f"financing.{type}",
        commons_id=financing.commons_id,
        actor_user_id=user_id,
        data={"financing_id": financing.pk, "kind": financing.kind, **data},
    )


def _lock(financing_id: int, user=None) -> Financing:
    """The financing, locked; with `user`, answered 404 to whoever may not read it (a 403
    would tell an outsider that the id exists)."""
    financing = Financing.objects.select_for_update().filter(pk=financing_id).first()
    if financing is None:
        raise ApplicationError("not_found")
    if user is not None:
        selectors.require_readable(user=user, financing=financing)
    return financing


def _member_roles(commons) -> dict[int, set[str]]:
    return {
        membership.agent_id: {role.role for role in membership.roles.all()}
        for membership in commons_selectors.active_members(commons=commons)
    }


def _funder_agent(user, commons, agent_id: int | None):
    """The organisation the user offers for: a member of the commons holding the funder role,
    or an organisation outside it that the user represents. Never a person or a commons."""
    agent = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    if agent.kind in ("person", "commons"):
        raise ApplicationError.on_field("agent_id", "permission_denied")
    roles = _member_roles(commons).get(agent.pk)
    if roles is not None and "funder" not in roles:
        raise ApplicationError.on_field("agent_id", "permission_denied")
    return agent


def _user_acts_for_funder(user, financing: Financing) -> None:
    if financing.funder_id not in agent_selectors.agent_ids_of_user(user=user):
        raise ApplicationError("permission_denied")


def _steward_of(user, financing: Financing):
    commons = commons_selectors.commons_by_ids(commons_ids=[financing.commons_id])[
        financing.commons_id
    ]
    commons_selectors.require_role(user=user, commons=commons, any_of=STEWARD)
    return commons


def _threshold(value) -> Decimal:
    try:
        threshold = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ApplicationError.on_field("tranches.threshold", "invalid_value") from error
    if not threshold.is_finite() or abs(threshold) >= Decimal(10) ** 15:
        raise ApplicationError.on_field("tranches.threshold", "invalid_value")
    return threshold


def _objective_of_commons(objective_id, commons_id: int, field: str) -> int:
    if isinstance(objective_id, bool) or not isinstance(objective_id, int):
        raise ApplicationError.on_field(field, "invalid_value")
    owner = _impact().objective_commons_id(objective_id=objective_id)
    if owner is None:
        raise ApplicationError.on_field(field, "not_found")
    if owner != commons_id:
        raise ApplicationError.on_field(field, "earmark_other_commons")
    return objective_id


def _resource_of_commons(resource_id, commons, field: str):
    if isinstance(resource_id, bool) or not isinstance(resource_id, int):
        raise ApplicationError.on_field(field, "invalid_value")
    try:
        return resources_selectors.resource_of(commons=commons, resource_id=resource_id)
    except ApplicationError as error:
        try:
            resources_selectors.resource_row(resource_id=resource_id)
        except (ApplicationError, LookupError):
            raise ApplicationError.on_field(field, "not_found") from error
        # It exists, in another commons: an earmark stays within the funded commons.
        raise ApplicationError.on_field(field, "earmark_other_commons") from error


# --- Offers ---------------------------------------------------------------------------------


@write
def financing_offer(
    *,
    user,
    commons_slug: str,
    kind: str,
    title: str,
    amount_cents: int,
    agent_id: int | None = None,
    conditions: str = "",
    resource_ids: list[int] | None = None,
    objective_ids: list[int] | None = None,
    tranches: list[dict] | None = None,
    loan: dict | None = None,
) -> Financing:
    """A funder offers a grant, a loan or an equity subscription, earmarked and in tranches; a
    member of the commons who offers puts it to the vote at once (accept_financing), an outside
    funder waits for a member to do so (`financing_put_to_vote`)."""
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    funder = _funder_agent(user, commons, agent_id)
    if kind not in domain.KINDS:
        raise ApplicationError.on_field("kind", "invalid_value")
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError.on_field("title", "required")
    domain.check_amount(amount_cents)
    resources = [
        _resource_of_commons(rid, commons, f"resource_ids.{index}")
        for index, rid in enumerate(dict.fromkeys(resource_ids or []))
    ]
    objectives = [
        _objective_of_commons(oid, commons.pk, f"objective_ids.{index}")
        for index, oid in enumerate(dict.fromkeys(objective_ids or []))
    ]
    if kind == domain.GRANT_INVESTMENT:
        # Its reprise follows the depreciation of the resource it finances.
        depreciable = [r for r in resources if r.depreciation_years]
        if len(depreciable) != 1:
            raise ApplicationError.on_field("resource_ids", "invalid_value")
    raw_tranches = tranches or [{"amount_cents": amount_cents}]
    clean_tranches = []
    for index, raw in enumerate(raw_tranches):
        objective_id = raw.get("objective_id")
        threshold = raw.get("threshold")
        if (objective_id is None) != (threshold is None):
            raise ApplicationError.on_field(f"tranches.{index}.threshold", "required")
        if objective_id is not None:
            _objective_of_commons(objective_id, commons.pk, f"tranches.{index}.objective_id")
            threshold = _threshold(threshold)
        clean_tranches.append((raw.get("amount_cents"), objective_id, threshold))
    domain.check_tranches(amount_cents, [cents for cents, _, _ in clean_tranches])
    terms = rows = None
    if kind == domain.LOAN:
        if not isinstance(loan, dict):
            raise ApplicationError.on_field("loan", "required")
        try:
            terms = domain.Terms(
                principal_cents=amount_cents,
                rate_bp=int(loan.get("rate_bp", 0)),
                periods=int(loan.get("periods", 0)),
                period_months=int(loan.get("period_months", 12)),
                method=str(loan.get("method") or domain.ANNUITY),
                grace_periods=int(loan.get("grace_periods", 0)),
                first_due=loan["first_due"]
                if isinstance(loan.get("first_due"), dt.date)
                else dt.date.fromisoformat(str(loan.get("first_due"))),
            ).check()
        except (TypeError, ValueError) as error:
            raise ApplicationError.on_field("loan", "invalid_value") from error
        rows = domain.schedule(terms)
        domain.check_schedule(amount_cents, rows)
    financing = Financing.objects.create(
        commons=commons,
        funder=funder,
        offered_by=user,
        kind=kind,
        title=title[:160],
        conditions=(conditions or "").strip(),
        amount_cents=amount_cents,
        tranches_cents=amount_cents,
        created_at=clock.now(),
    )
    Earmark.objects.bulk_create(
        [Earmark(financing=financing, resource=resource) for resource in resources]
        + [Earmark(financing=financing, objective_id=oid) for oid in objectives]
    )
    Tranche.objects.bulk_create(
        Tranche(
            financing=financing,
            number=number,
            amount_cents=cents,
            objective_id=objective_id,
            threshold=threshold,
        )
        for number, (cents, objective_id, threshold) in enumerate(clean_tranches, start=1)
    )
    if terms is not None:
        _schedule_write(financing, terms, rows)
    _event(financing, "offered", user.pk, amount_cents=amount_cents)
    if funder.pk in _member_roles(commons) or (
        agent_selectors.agent_ids_of_user(user=user) & set(_member_roles(commons))
    ):
        _open_vote(user, financing)
    return financing


def _schedule_write(financing: Financing, terms: domain.Terms, rows) -> LoanTerms:
    loan = LoanTerms.objects.create(
        financing=financing,
        principal_cents=terms.principal_cents,
        scheduled_principal_cents=sum(row.principal_cents for row in rows),
        rate_bp=terms.rate_bp,
        periods=terms.periods,
        period_months=terms.period_months,
        method=terms.method,
        grace_periods=terms.grace_periods,
        first_due=terms.first_due,
        account_number=domain.loan_account(financing.pk),
    )
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            number=row.number,
            due_date=row.due_date,
            principal_cents=row.principal_cents,
            interest_cents=row.interest_cents,
        )
        for row in rows
    )
    return loan


def _open_vote(user, financing: Financing) -> None:
    """Opens the accept_financing vote; the funder (and whoever opens it) never votes on it."""
    funder = agent_selectors.agents_by_ids(agent_ids=[financing.funder_id])[financing.funder_id]
    proposal = governance_services.proposal_open(
        user=user,
        commons_id=financing.commons_id,
        kind=KIND,
        title=f"Financement : {financing.title}"[:200],
        body=financing.conditions,
        subject_type=SUBJECT,
        subject_id=financing.pk,
        payload={
            "financing_id": financing.pk,
            "kind": financing.kind,
            "amount_cents": financing.amount_cents,
            "funder": funder.display_name,
        },
        author_agent_ids=[financing.funder_id],
    )
    financing.proposal_id = proposal.pk
    financing.status = "voting"
    financing.save(update_fields=["proposal_id", "status"])
    _event(financing, "put_to_vote", user.pk, proposal_id=proposal.pk)


@write
def financing_put_to_vote(*, user, financing_id: int) -> Financing:
    """A member of the commons opens the vote on an outside funder's offer."""
    financing = _lock(financing_id, user)
    commons = commons_selectors.commons_by_ids(commons_ids=[financing.commons_id])[
        financing.commons_id
    ]
    commons_selectors.require_member(user=user, commons=commons)
    if financing.status != "offered":
        raise ApplicationError("financing_closed")
    _open_vote(user, financing)
    return financing


@write
def financing_withdraw(*, user, financing_id: int) -> Financing:
    """The funder takes back an offer not yet decided; its vote, if open, is withdrawn."""
    financing = _lock(financing_id, user)
    _user_acts_for_funder(user, financing)
    if financing.status not in domain.OPEN_STATUSES:
        raise ApplicationError("financing_closed")
    if financing.proposal_id is not None:
        proposal = governance_selectors.proposal_get(proposal_id=financing.proposal_id)
        if proposal.status in ("draft", "open"):
            governance_services.proposal_withdraw(
                user=user, proposal_id=financing.proposal_id, checked_by_caller=True
            )
    financing.status = "withdrawn"
    financing.save(update_fields=["status"])
    _event(financing, "withdrawn", user.pk)
    return financing


def financing_decide(
    *, financing_id: int | None, proposal_id: int, passed: bool, decision_id: int | None
) -> dict[str, Any]:
    """The accept_financing vote closed (governance's outcome handler, via reactions.py): the
    offer is accepted, with the decision's id, or refused. No decision, no acceptance."""
    if decision_id is None:
        raise ApplicationError("financing_needs_decision")
    financing = _lock(financing_id) if financing_id is not None else None
    if financing is None or financing.proposal_id != proposal_id:
        raise ApplicationError("not_found")
    if financing.status != "voting":
        # Withdrawn meanwhile, or already applied (a retried effect): nothing more to do.
        return {"financing_id": financing.pk, "status": financing.status}
    financing.status = "accepted" if passed else "refused"
    financing.decision_id = decision_id
    financing.decided_at = clock.now()
    financing.save(update_fields=["status", "decision_id", "decided_at"])
    _event(financing, financing.status, None, decision_id=decision_id)
    # Tranches whose milestone is already reached are ready at once.
    if passed:
        _release_met(financing)
    return {"financing_id": financing.pk, "status": financing.status}


def financing_on_decision(context) -> dict[str, Any]:
    """The outcome handler registered for (accept_financing, passed|rejected)."""
    return financing_decide(
        financing_id=context.proposal.subject_id,
        proposal_id=context.proposal.pk,
        passed=context.status == "passed",
        decision_id=context.decision_id,
    )


# --- Milestones -----------------------------------------------------------------------------


def _milestone_met(tranche: Tranche) -> bool:
    if tranche.objective_id is None:
        return True
    progress = _impact().objective_progress(objective_id=tranche.objective_id)
    return domain.milestone_met(progress, tranche.threshold)


def _release_met(financing: Financing) -> int:
    released = 0
    for tranche in financing.tranches.filter(status="pending").order_by("number"):
        if _milestone_met(tranche):
            tranche.status = "released"
            tranche.released_at = clock.now()
            tranche.save(update_fields=["status", "released_at"])
            _event(financing, "tranche_released", None, tranche=tranche.number)
            released += 1
    return released


def tranches_release_on_measurement(*, commons_id: int, objective_id: int, **_: Any) -> None:
    """Reaction to impact's "measurement.verified": tranches of accepted financings whose
    milestone is on that objective and now reached become "released" (ready to disburse)."""
    pending = Tranche.objects.select_related("financing").filter(
        objective_id=objective_id,
        status="pending",
        financing__status__in=("accepted", "active"),
        financing__commons_id=commons_id,
    )
    for tranche in pending:
        if _milestone_met(tranche):
            tranche.status = "released"
            tranche.released_at = clock.now()
            tranche.save(update_fields=["status", "released_at"])
            _event(tranche.financing, "tranche_released", None, tranche=tranche.number)


# --- Disbursements --------------------------------------------------------------------------


def _ensure_account(commons_id: int, number: str, label: str, type: str | None, user_id) -> None:
    ledger_services.account_ensure(
        commons_id=commons_id, number=number, label=label, type=type, actor_user_id=user_id
    )


def _authorisation(financing: Financing) -> dict:
    return {
        "source_type": "financing",
        "source_id": str(financing.pk),
        "decision_id": financing.decision_id,
    }


def _credit_account(financing: Financing, user_id) -> str:
    if financing.kind == domain.GRANT_OPERATING:
        return domain.ACCOUNT_OPERATING
    if financing.kind == domain.GRANT_INVESTMENT:
        return domain.ACCOUNT_INVESTMENT
    number = financing.loan.account_number
    _ensure_account(
        financing.commons_id, number, f"Emprunt – {financing.title}"[:160], None, user_id
    )
    return number


@write
def tranche_disburse(
    *,
    user,
    financing_id: int,
    number: int,
    amount_cents: int | None = None,
    entry_date: dt.date | None = None,
) -> Tranche:
    """The funder pays a tranche: refused above what is left of the financing, or before its
    milestone is reached by verified measurements; booked in the commons' book (FI)."""
    financing = _lock(financing_id, user)
    _user_acts_for_funder(user, financing)
    if financing.status not in ("accepted", "active"):
        raise ApplicationError(
            "financing_needs_decision"
            if financing.status in domain.OPEN_STATUSES
            else "financing_closed"
        )
    tranche = financing.tranches.select_for_update().filter(number=number).first()
    if tranche is None:
        raise ApplicationError.on_field("number", "not_found")
    cents = tranche.amount_cents if amount_cents is None else amount_cents
    domain.check_amount(cents)
    if (
        tranche.status == "disbursed"
        or cents > tranche.amount_cents
        or financing.disbursed_cents + cents > financing.amount_cents
    ):
        raise ApplicationError.on_field("amount_cents", "disbursement_exceeds_financing")
    if cents != tranche.amount_cents:
        raise ApplicationError.on_field("amount_cents", "invalid_value")
    if tranche.status == "pending" and not _milestone_met(tranche):
        raise ApplicationError("milestone_not_verified")
    day = entry_date or clock.today()
    if financing.kind == domain.EQUITY:
        # Not booked in FI: the cash is a subscription of titles (see the equity block).
        entry = _equity_subscribe(financing, tranche, cents, day, user)
    else:
        credit = _credit_account(financing, user.pk)
        entry = ledger_services.entry_post(
            commons_id=financing.commons_id,
            journal=domain.JOURNAL,
            entry_date=day,
            label=f"{financing.title} – tranche {tranche.number}"[:200],
            piece_ref=f"FIN-{financing.pk}-T{tranche.number}",
            lines=[
                LineInput(domain.ACCOUNT_BANK, debit=Money(cents)),
                LineInput(credit, credit=Money(cents)),
            ],
            idempotency_key=f"funding:tranche:{tranche.pk}",
            authorised_by=_authorisation(financing),
            actor_user_id=user.pk,
        )
    updated = Financing.objects.filter(
        pk=financing.pk, disbursed_cents__lte=F("amount_cents") - cents
    ).update(disbursed_cents=F("disbursed_cents") + cents, status="active")
    if not updated:
        raise ApplicationError.on_field("amount_cents", "disbursement_exceeds_financing")
    tranche.status = "disbursed"
    tranche.disbursed_entry_id = entry.pk
    tranche.disbursed_at = clock.now()
    tranche.released_at = tranche.released_at or tranche.disbursed_at
    tranche.save(update_fields=["status", "disbursed_entry_id", "disbursed_at", "released_at"])
    financing.refresh_from_db()
    _event(
        financing,
        "disbursed",
        user.pk,
        tranche=tranche.number,
        amount_cents=cents,
        entry_id=entry.pk,
        **getattr(entry, "links", {}),
    )
    return tranche


# --- Equity subscriptions (issue 17) ---------------------------------------------------------
# An equity offer is voted like a grant (accept_financing); its titles are issued when each
# tranche's cash comes, not at acceptance: the funder then holds titles only for money the
# commons received, at the value per title of that day (no holder is diluted by an unpaid
# promise, and a tranche never disbursed leaves nothing to unwind). The booking is the
# contributions app's ordinary cash chain (D 4562 / C 1013, then D 512 / C 4562): funding
# posts nothing of its own, so the bank is debited once.


def _equity_subscribe(financing: Financing, tranche: Tranche, cents: int, day, user):
    """The tranche as a cash contribution of the funder, issued as titles at the NAV in force;
    returns the payment entry (the one debiting 512), which the tranche points to."""
    if financing.decision_id is None or financing.proposal_id is None:
        raise ApplicationError("financing_needs_decision")
    if day != clock.today():
        # Titles are issued at today's value: a back-dated cash entry would not match it.
        raise ApplicationError.on_field("entry_date", "invalid_value")
    contribution = contributions_services.cash_subscription_record(
        commons_id=financing.commons_id,
        contributor_id=financing.funder_id,
        author_id=user.pk,
        title=f"{financing.title} – tranche {tranche.number}",
        price_cents=cents,
        proposal_id=financing.proposal_id,
        decision_id=financing.decision_id,
        source=f"financing:{financing.pk}:tranche:{tranche.number}",
    )
    # The links go in the "financing.disbursed" event (funding keeps no column for them).
    return types.SimpleNamespace(
        pk=contribution.payment_entry_id,
        links={"contribution_id": contribution.pk, "issuance_id": contribution.issuance_id},
    )


# --- Loans ----------------------------------------------------------------------------------


def _loan_locked(financing_id: int, user) -> tuple[Financing, LoanTerms]:
    """The loan and its terms, locked, for a steward of the borrowing commons."""
    financing = _lock(financing_id, user)
    _steward_of(user, financing)
    if financing.kind != domain.LOAN:
        raise ApplicationError.on_field("financing_id", "invalid_value")
    return financing, LoanTerms.objects.select_for_update().get(financing=financing)


def _pay_entry(financing, loan, key, label, principal, interest, day, user_id):
    lines = []
    if principal:
        lines.append(LineInput(loan.account_number, debit=Money(principal)))
    if interest:
        lines.append(LineInput(domain.ACCOUNT_INTEREST, debit=Money(interest)))
    lines.append(LineInput(domain.ACCOUNT_BANK, credit=Money(principal + interest)))
    return ledger_services.entry_post(
        commons_id=financing.commons_id,
        journal=domain.JOURNAL,
        entry_date=day,
        label=label[:200],
        piece_ref=f"FIN-{financing.pk}-{key}",
        lines=lines,
        idempotency_key=f"funding:loan:{financing.pk}:{key}",
        authorised_by=_authorisation(financing),
        actor_user_id=user_id,
    )


@write
def loan_repay(
    *,
    user,
    financing_id: int,
    early_amount_cents: int | None = None,
    entry_date: dt.date | None = None,
) -> Instalment:
    """A steward pays the next instalment (D 164x + D 661 / C 512), or, with
    `early_amount_cents`, repays that much principal early: the instalments left are
    recomputed over the principal still pending (same dates, smaller instalments)."""
    financing, loan = _loan_locked(financing_id, user)
    if financing.status != "active":
        raise ApplicationError("financing_closed")
    day = entry_date or clock.today()
    open_rows = list(
        loan.instalments.exclude(status__in=("paid", "cancelled")).order_by("number", "id")
    )
    if not open_rows:
        raise ApplicationError("financing_closed")
    if early_amount_cents is None:
        row = open_rows[0]
        if financing.repaid_cents + row.principal_cents > financing.disbursed_cents:
            raise ApplicationError.on_field("financing_id", "disbursement_exceeds_financing")
        entry = _pay_entry(
            financing,
            loan,
            f"I{row.number}",
            f"{financing.title} – échéance {row.number}",
            row.principal_cents,
            row.interest_cents,
            day,
            user.pk,
        )
        row.status = "paid"
        row.paid_entry_id = entry.pk
        row.paid_at = clock.now()
        row.save(update_fields=["status", "paid_entry_id", "paid_at"])
        principal, interest = row.principal_cents, row.interest_cents
    else:
        domain.check_amount(early_amount_cents, "early_amount_cents")
        terms = _terms_of(loan)
        regular = list(
            loan.instalments.filter(kind="regular").exclude(status="cancelled").order_by("number")
        )
        paid = [r for r in regular if r.status == "paid"]
        pending = loan.principal_cents - financing.repaid_cents
        if (
            early_amount_cents > pending
            or early_amount_cents > financing.disbursed_cents - financing.repaid_cents
        ):
            raise ApplicationError.on_field("early_amount_cents", "schedule_not_summing")
        paid_count = len(paid)
        # The schedule as stored, seen from the paid rows, is the one recomputed.
        stored = [
            domain.Row(r.number, r.due_date, r.principal_cents, r.interest_cents) for r in regular
        ]
        prepaid_before = sum(
            r.principal_cents for r in loan.instalments.filter(kind="early", status="paid")
        )
        base = domain.Terms(
            **{**terms.__dict__, "principal_cents": loan.principal_cents - prepaid_before}
        )
        new_rows = domain.reschedule(base, stored, paid_count, early_amount_cents)
        key = f"E{loan.instalments.filter(kind='early').count() + 1}"
        entry = _pay_entry(
            financing,
            loan,
            key,
            f"{financing.title} – remboursement anticipé",
            early_amount_cents,
            0,
            day,
            user.pk,
        )
        loan.instalments.filter(pk__in=[r.pk for r in open_rows]).update(status="cancelled")
        row = Instalment.objects.create(
            loan=loan,
            number=paid_count + 1,
            kind="early",
            due_date=day,
            principal_cents=early_amount_cents,
            interest_cents=0,
            status="paid",
            paid_entry_id=entry.pk,
            paid_at=clock.now(),
        )
        Instalment.objects.bulk_create(
            Instalment(
                loan=loan,
                number=r.number,
                due_date=r.due_date,
                principal_cents=r.principal_cents,
                interest_cents=r.interest_cents,
            )
            for r in new_rows
        )
        scheduled = (
            loan.instalments.exclude(status="cancelled").aggregate(total=Sum("principal_cents"))[
                "total"
            ]
            or 0
        )
        domain.check_schedule(loan.principal_cents, [domain.Row(0, day, scheduled, 0)])
        loan.scheduled_principal_cents = scheduled
        loan.save(update_fields=["scheduled_principal_cents"])
        principal, interest = early_amount_cents, 0
    financing.repaid_cents += principal
    financing.interest_paid_cents += interest
    if financing.repaid_cents == loan.principal_cents:
        financing.status = "closed"
    financing.save(update_fields=["repaid_cents", "interest_paid_cents", "status"])
    _event(
        financing,
        "repaid",
        user.pk,
        principal_cents=principal,
        interest_cents=interest,
        entry_id=row.paid_entry_id,
    )
    return row


def _terms_of(loan: LoanTerms) -> domain.Terms:
    return domain.Terms(
        principal_cents=loan.principal_cents,
        rate_bp=loan.rate_bp,
        periods=loan.periods,
        period_months=loan.period_months,
        method=loan.method,
        grace_periods=loan.grace_periods,
        first_due=loan.first_due,
    )


# --- Earmarks -------------------------------------------------------------------------------

TAGGABLE_CLASSES = ("2", "6")


@write
def earmark_tag(
    *, user, financing_id: int, line_id: int, amount_cents: int | None = None
) -> EarmarkTag:
    """A steward says which expense a financing paid for: part or all of a debit line on a
    class 6 (charge) or class 2 (asset) account of the funded commons, within the earmark."""
    financing = _lock(financing_id, user)
    _steward_of(user, financing)
    if financing.status not in ("accepted", "active", "closed"):
        raise ApplicationError("financing_needs_decision")
    line = ledger_selectors.lines_info(line_ids=[line_id]).get(line_id)
    if line is None:
        raise ApplicationError.on_field("line_id", "not_found")
    if (
        line["commons_id"] != financing.commons_id
        or not line["debit_cents"]
        or line["account_number"][:1] not in TAGGABLE_CLASSES
    ):
        raise ApplicationError.on_field("line_id", "earmark_line_not_expense")
    cents = line["debit_cents"] if amount_cents is None else amount_cents
    domain.check_amount(cents)
    already_on_line = (
        EarmarkTag.objects.filter(line_id=line_id).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    if already_on_line + cents > line["debit_cents"]:
        raise ApplicationError.on_field("amount_cents", "earmark_exceeded")
    updated = Financing.objects.filter(
        pk=financing.pk, tagged_cents__lte=F("amount_cents") - cents
    ).update(tagged_cents=F("tagged_cents") + cents)
    if not updated:
        raise ApplicationError.on_field("amount_cents", "earmark_exceeded")
    if EarmarkTag.objects.filter(financing=financing, line_id=line_id).exists():
        raise ApplicationError.on_field("line_id", "invalid_value")
    tag = EarmarkTag.objects.create(
        financing=financing,
        line_id=line_id,
        entry_id=line["entry_id"],
        amount_cents=cents,
        tagged_by=user,
        created_at=clock.now(),
    )
    _event(financing, "tagged", user.pk, line_id=line_id, amount_cents=cents)
    return tag


# --- Jobs -----------------------------------------------------------------------------------


@write
def reprise_post(*, financing_id: int, year: int) -> Reprise | None:
    """One year's reprise of an investment grant (D 139 / C 747, 777 before 2025), in step
    with the depreciation plan of the resource it finances; once per year."""
    financing = _lock(financing_id)
    if financing.kind != domain.GRANT_INVESTMENT or not financing.disbursed_cents:
        return None
    if Reprise.objects.filter(financing=financing, year=year).exists():
        return None
    resource = next(
        (
            e.resource
            for e in financing.earmarks.select_related("resource")
            if e.resource_id and e.resource.depreciation_years
        ),
        None,
    )
    if resource is None:
        return None
    amount = domain.reprise_for_year(
        financing.disbursed_cents,
        resource.depreciation_years,
        resource.in_service_on,
        year,
        financing.reprised_cents,
    )
    if amount <= 0:
        return None
    book = ledger_selectors.book_of(commons_id=financing.commons_id)
    period = ledger_selectors.period_of_year(book=book, year=year)
    income = domain.reprise_account(period.start)
    _ensure_account(
        financing.commons_id,
        domain.ACCOUNT_REPRISE_SUBSIDY,
        "Subventions d'investissement inscrites au compte de résultat",
        "equity",
        None,
    )
    label = (
        "Quote-part des subventions d'investissement virée au résultat"
        if income == "747"
        else "Quote-part des subventions d'investissement virée au résultat (777)"
    )
    _ensure_account(financing.commons_id, income, label, "income", None)
    entry = ledger_services.entry_post(
        commons_id=financing.commons_id,
        journal=domain.JOURNAL,
        entry_date=dt.date(year, 12, 31),
        label=f"Reprise {year} – {financing.title}"[:200],
        piece_ref=f"FIN-{financing.pk}-R{year}",
        lines=[
            LineInput(domain.ACCOUNT_REPRISE_SUBSIDY, debit=Money(amount)),
            LineInput(income, credit=Money(amount)),
        ],
        idempotency_key=f"funding:reprise:{financing.pk}:{year}",
        authorised_by=_authorisation(financing),
        actor_user_id=None,
    )
    Financing.objects.filter(pk=financing.pk).update(reprised_cents=F("reprised_cents") + amount)
    reprise = Reprise.objects.create(
        financing=financing,
        year=year,
        amount_cents=amount,
        entry_id=entry.pk,
        created_at=clock.now(),
    )
    _event(financing, "reprised", None, year=year, amount_cents=amount)
    return reprise


def reprises_post_due() -> int:
    """Every past year's reprise not yet posted (the worker's job; idempotent)."""
    today = clock.today()
    posted = 0
    for financing in Financing.objects.filter(
        kind=domain.GRANT_INVESTMENT, disbursed_cents__gt=0
    ).order_by("pk"):
        first = financing.created_at.year
        for year in range(first, today.year):
            try:
                if reprise_post(financing_id=financing.pk, year=year) is not None:
                    posted += 1
            except ApplicationError:
                continue  # a closed period or a missing year: nothing is posted there
    return posted


@write
def instalments_mark_due() -> int:
    """Scheduled instalments whose date has come become "due"; due ones a month late "overdue"."""
    today = clock.today()
    changed = Instalment.objects.filter(
        status="scheduled", due_date__lte=today, loan__financing__status="active"
    ).update(status="due")
    changed += Instalment.objects.filter(
        status="due", due_date__lt=today - dt.timedelta(days=30)
    ).update(status="overdue")
    return changed


# --- Year end: accrued interest (1688) and fonds dédiés (194) --------------------------------


def _disbursements(financing: Financing) -> list[tuple[dt.date, int]]:
    """(entry date, amount) of each disbursed tranche, in date order: the entry date may differ
    from the day it was recorded (tranche_disburse's `entry_date`)."""
    tranches = list(financing.tranches.filter(status="disbursed"))
    if not tranches:
        return []
    book = ledger_selectors.book_of(commons_id=financing.commons_id)
    return sorted(
        (
            ledger_selectors.entry_get(book=book, entry_id=t.disbursed_entry_id).entry_date,
            t.amount_cents,
        )
        for t in tranches
    )


def _year_end_post(financing, year, kind, day, label, lines, amount) -> YearEndPosting:
    entry = ledger_services.entry_post(
        commons_id=financing.commons_id,
        journal=domain.JOURNAL,
        entry_date=day,
        label=f"{label} {year} – {financing.title}"[:200],
        piece_ref=f"FIN-{financing.pk}-{kind.upper()[:3]}{year}",
        lines=lines,
        idempotency_key=f"funding:year_end:{kind}:{financing.pk}:{year}",
        authorised_by=_authorisation(financing),
        actor_user_id=None,
    )
    posting = YearEndPosting.objects.create(
        financing=financing,
        year=year,
        kind=kind,
        amount_cents=amount,
        entry_id=entry.pk,
        created_at=clock.now(),
    )
    _event(financing, kind, None, year=year, amount_cents=amount, entry_id=entry.pk)
    return posting


def loan_accrued_interest(*, financing: Financing, year: int) -> int:
    """The interest accrued on 31 December `year` (domain.accrued_interest), from the schedule
    as stored: the next regular instalment due after that day, not cancelled."""
    at = domain.year_end(year)
    disbursed = [day for day, _ in _disbursements(financing) if day <= at]
    if not disbursed:
        return 0
    loan = financing.loan
    row = (
        loan.instalments.filter(kind="regular", due_date__gt=at)
        .exclude(status="cancelled")
        .order_by("due_date", "number")
        .first()
    )
    if row is None:
        return 0
    return domain.accrued_interest(
        next_interest_cents=row.interest_cents,
        period_from=domain.period_start(loan.first_due, loan.period_months, row.number),
        due=row.due_date,
        disbursed_on=disbursed[0],
        at=at,
    )


@write
def interest_accrue(*, financing_id: int, year: int) -> YearEndPosting | None:
    """31 December `year`: D 661 / C 1688 for the interest run since the last instalment (or the
    disbursement), once per loan and year; only once that day has come (server clock)."""
    if clock.today() < domain.year_end(year):
        return None
    financing = _lock(financing_id)
    if financing.kind != domain.LOAN or not financing.disbursed_cents:
        return None
    if YearEndPosting.objects.filter(
        financing=financing, year=year, kind=domain.YEAR_END_ACCRUAL
    ).exists():
        return None
    amount = loan_accrued_interest(financing=financing, year=year)
    if amount <= 0:
        return None
    _ensure_account(
        financing.commons_id,
        domain.ACCOUNT_ACCRUED,
        domain.ACCOUNT_ACCRUED_LABEL,
        "liability",
        None,
    )
    return _year_end_post(
        financing,
        year,
        domain.YEAR_END_ACCRUAL,
        domain.year_end(year),
        "Intérêts courus",
        [
            LineInput(domain.ACCOUNT_INTEREST, debit=Money(amount)),
            LineInput(domain.ACCOUNT_ACCRUED, credit=Money(amount)),
        ],
        amount,
    )


@write
def interest_accrual_reverse(*, financing_id: int, year: int) -> YearEndPosting | None:
    """1 January `year` + 1: the contre-passation D 1688 / C 661 of `year`'s accrual, so the
    next instalment's 661 leaves only the new year's share in the new year; once."""
    day = dt.date(year + 1, 1, 1)
    if clock.today() < day:
        return None
    financing = _lock(financing_id)
    accrual = YearEndPosting.objects.filter(
        financing=financing, year=year, kind=domain.YEAR_END_ACCRUAL
    ).first()
    if (
        accrual is None
        or YearEndPosting.objects.filter(
            financing=financing, year=year, kind=domain.YEAR_END_REVERSAL
        ).exists()
    ):
        return None
    amount = accrual.amount_cents
    return _year_end_post(
        financing,
        year,
        domain.YEAR_END_REVERSAL,
        day,
        "Contre-passation des intérêts courus",
        [
            LineInput(domain.ACCOUNT_ACCRUED, debit=Money(amount)),
            LineInput(domain.ACCOUNT_INTEREST, credit=Money(amount)),
        ],
        amount,
    )


def _years_to_close(first: dt.date) -> range:
    """The years from `first`'s whose 31 December has come (server clock, Paris day)."""
    today = clock.today()
    last = today.year if today >= domain.year_end(today.year) else today.year - 1
    return range(first.year, last + 1)


def interest_accruals_post_due() -> tuple[int, int]:
    """Every loan's accruals and reversals not yet posted (the worker's job; idempotent).
    A closed period or a missing year skips that posting, as for reprises."""
    accrued = reversed_ = 0
    for financing in Financing.objects.filter(
        kind=domain.LOAN, disbursed_cents__gt=0, status__in=("active", "closed")
    ).order_by("pk"):
        disbursements = _disbursements(financing)
        if not disbursements:
            continue
        done = set(YearEndPosting.objects.filter(financing=financing).values_list("year", "kind"))
        last_due = financing.loan.instalments.order_by("-due_date").values_list(
            "due_date", flat=True
        )[0]
        # A year's reversal (1 January after) is tried with it: it waits for that day. From
        # the year of the last due date on, no instalment runs over a 31 December any more.
        for year in _years_to_close(disbursements[0][0]):
            if year >= last_due.year:
                break
            for step, kind in (
                (interest_accrue, domain.YEAR_END_ACCRUAL),
                (interest_accrual_reverse, domain.YEAR_END_REVERSAL),
            ):
                if (year, kind) in done:
                    continue
                try:
                    posted = step(financing_id=financing.pk, year=year) is not None
                except ApplicationError:
                    continue
                if kind == domain.YEAR_END_ACCRUAL:
                    accrued += posted
                else:
                    reversed_ += posted
    return accrued, reversed_


def _tagged_by_date(financing: Financing) -> list[tuple[dt.date, int]]:
    """The financing's tagged spending with the date of the tagged expense's entry."""
    tags = list(financing.tags.all())
    lines = ledger_selectors.lines_info(line_ids=[t.line_id for t in tags])
    return [(lines[t.line_id]["entry_date"], t.amount_cents) for t in tags if t.line_id in lines]


def _is_earmarked_operating(financing: Financing) -> bool:
    return financing.kind == domain.GRANT_OPERATING and financing.earmarks.exists()


@write
def dedicated_funds_post(*, financing_id: int, year: int) -> YearEndPosting | None:
    """31 December `year`, for an earmarked operating grant: the fund carried from earlier years
    and spent on the earmark this year comes back (D 194 / C 789), this year's unspent money is
    carried (D 6894 / C 194); domain.dedicated_funds_year. Once per financing and year, years in
    order; the "dedicated" row (even at 0) marks the year done."""
    if clock.today() < domain.year_end(year):
        return None
    financing = _lock(financing_id)
    if not _is_earmarked_operating(financing) or not financing.disbursed_cents:
        return None
    done = YearEndPosting.objects.filter(financing=financing, kind=domain.YEAR_END_DEDICATED)
    if done.filter(year__gte=year).exists():
        return None
    at = domain.year_end(year)
    balance = _dedicated_balance(financing)
    tagged = _tagged_by_date(financing)
    figures = domain.dedicated_funds_year(
        balance_before=balance,
        disbursed_through=sum(c for day, c in _disbursements(financing) if day <= at),
        tagged_through=sum(c for day, c in tagged if day <= at),
        tagged_in_year=sum(c for day, c in tagged if day.year == year),
    )
    if figures.release_cents or figures.allocation_cents:
        _ensure_account(
            financing.commons_id,
            domain.ACCOUNT_DEDICATED,
            domain.ACCOUNT_DEDICATED_LABEL,
            "liability",
            None,
        )
    if figures.release_cents:
        _ensure_account(
            financing.commons_id,
            domain.ACCOUNT_DEDICATED_USE,
            domain.ACCOUNT_DEDICATED_USE_LABEL,
            "income",
            None,
        )
        _year_end_post(
            financing,
            year,
            domain.YEAR_END_RELEASE,
            at,
            "Utilisation des fonds dédiés",
            [
                LineInput(domain.ACCOUNT_DEDICATED, debit=Money(figures.release_cents)),
                LineInput(domain.ACCOUNT_DEDICATED_USE, credit=Money(figures.release_cents)),
            ],
            figures.release_cents,
        )
    if figures.allocation_cents:
        _ensure_account(
            financing.commons_id,
            domain.ACCOUNT_DEDICATED_CHARGE,
            domain.ACCOUNT_DEDICATED_CHARGE_LABEL,
            "expense",
            None,
        )
        return _year_end_post(
            financing,
            year,
            domain.YEAR_END_DEDICATED,
            at,
            "Report en fonds dédiés",
            [
                LineInput(domain.ACCOUNT_DEDICATED_CHARGE, debit=Money(figures.allocation_cents)),
                LineInput(domain.ACCOUNT_DEDICATED, credit=Money(figures.allocation_cents)),
            ],
            figures.allocation_cents,
        )
    return YearEndPosting.objects.create(
        financing=financing,
        year=year,
        kind=domain.YEAR_END_DEDICATED,
        amount_cents=0,
        entry_id=None,
        created_at=clock.now(),
    )


def _dedicated_balance(financing: Financing) -> int:
    """194 held for the financing: Σ carried − Σ released, from its year-end rows."""
    sums = dict(
        YearEndPosting.objects.filter(
            financing=financing,
            kind__in=(domain.YEAR_END_DEDICATED, domain.YEAR_END_RELEASE),
        )
        .values_list("kind")
        .annotate(total=Sum("amount_cents"))
    )
    return sums.get(domain.YEAR_END_DEDICATED, 0) - sums.get(domain.YEAR_END_RELEASE, 0)


def dedicated_funds_post_due() -> int:
    """Every earmarked operating grant's closed years not yet done, in order (the worker's job;
    idempotent). Counts the entries posted. A year whose period is closed is skipped: the next
    year's figures aim at the unspent balance itself, so they make up for it."""
    posted = 0
    for financing in (
        Financing.objects.filter(
            kind=domain.GRANT_OPERATING, disbursed_cents__gt=0, earmarks__isnull=False
        )
        .distinct()
        .order_by("pk")
    ):
        disbursements = _disbursements(financing)
        if not disbursements:
            continue
        last_done = (
            YearEndPosting.objects.filter(financing=financing, kind=domain.YEAR_END_DEDICATED)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        for year in _years_to_close(disbursements[0][0]):
            if last_done is not None and year <= last_done:
                continue
            before = (
                YearEndPosting.objects.filter(financing=financing).exclude(entry_id=None).count()
            )
            try:
                dedicated_funds_post(financing_id=financing.pk, year=year)
            except ApplicationError:
                continue
            posted += (
                YearEndPosting.objects.filter(financing=financing).exclude(entry_id=None).count()
                - before
            )
    return posted
