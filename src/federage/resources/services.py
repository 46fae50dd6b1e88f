"""Writes on resources: register, retire, link contributions, declare uses (and their levy),
record payments of dues, post depreciation and generate recurring uses (the jobs).

A use's levy follows the charter in force, in the use's own transaction: the use row, the
entry (D 411 / C 706, or C 106x when the charter sends levies to reserves) and the due that
collects it are written together, or nothing is.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import domain as contribution_domain
from federage.contributions import selectors as contribution_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money, check_cents
from federage.core.transactions import write
from federage.governance import domain as governance_domain
from federage.governance import selectors as governance_selectors
from federage.ledger import domain as ledger_domain
from federage.ledger import receivables
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput
from federage.resources import domain
from federage.resources.models import (
    Depreciation,
    RecurringUsage,
    Resource,
    ResourceContribution,
    Usage,
)

logger = logging.getLogger(__name__)

STEWARD = ("steward",)


def _commons_for_steward(user, slug: str):
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    commons_selectors.require_role(user=user, commons=commons, any_of=STEWARD)
    return commons


def _resource_locked(commons, resource_id: int) -> Resource:
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None:
        raise ApplicationError("not_found")
    if resource.commons_id != commons.pk:
        raise ApplicationError.on_field("resource_id", "resource_other_commons")
    return resource


# --- The register ---------------------------------------------------------------------------


@write
def resource_register(
    *,
    user,
    commons_slug: str,
    key: str,
    name: str,
    kind: str,
    unit: str,
    capital_kind: str | None = None,
    location: str = "",
    description: str = "",
    account_code: str | None = None,
    depreciation_years: int | None = None,
    in_service_on: dt.date | None = None,
    contribution_ids: list[int] | None = None,
) -> Resource:
    """A steward registers a resource; accepted contributions may be linked at once."""
    commons = _commons_for_steward(user, commons_slug)
    key = domain.clean_key(key)
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError.on_field("name", "required")
    if kind not in domain.KINDS:
        raise ApplicationError.on_field("kind", "invalid_value")
    if unit not in domain.UNITS:
        raise ApplicationError.on_field("unit", "invalid_value")
    capital_kind = capital_kind or domain.DEFAULT_CAPITAL_KIND.get(kind, "financial")
    if capital_kind not in domain.CAPITAL_KINDS:
        raise ApplicationError.on_field("capital_kind", "invalid_value")
    account = domain.check_account(account_code or domain.DEFAULT_ACCOUNT[kind])
    ledger_domain.check_account_number(account)  # the ledger's own rule for a PCG number
    if depreciation_years is not None:
        if not 1 <= depreciation_years <= domain.MAX_DEPRECIATION_YEARS:
            raise ApplicationError.on_field("depreciation_years", "out_of_range")
        if not domain.is_depreciable(account):
            raise ApplicationError.on_field("depreciation_years", "not_depreciable")
    in_service_on = in_service_on or clock.today()
    if in_service_on > clock.today() + dt.timedelta(days=366):
        raise ApplicationError.on_field("in_service_on", "invalid_value")
    if Resource.objects.filter(commons=commons, key=key).exists():
        raise ApplicationError.on_field("key", "resource_key_taken")
    resource = Resource.objects.create(
        commons=commons,
        key=key,
        name=name[:160],
        kind=kind,
        capital_kind=capital_kind,
        unit=unit,
        location=" ".join((location or "").split())[:200],
        description=(description or "").strip(),
        account_code=account,
        depreciation_years=depreciation_years,
        in_service_on=in_service_on,
        created_by=user,
        created_at=clock.now(),
    )
    for contribution_id in contribution_ids or []:
        _link(user, commons, resource, contribution_id)
    event_record(
        type="resource.registered",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"resource_id": resource.pk, "key": key},
    )
    return resource


@write
def resource_retire(*, user, commons_slug: str, resource_id: int) -> Resource:
    commons = _commons_for_steward(user, commons_slug)
    resource = _resource_locked(commons, resource_id)
    if resource.status == domain.RETIRED:
        raise ApplicationError("resource_retired")
    resource.status = domain.RETIRED
    resource.retired_at = clock.now()
    resource.save(update_fields=["status", "retired_at"])
    RecurringUsage.objects.filter(resource=resource, last_month__isnull=True).update(
        last_month=clock.today().replace(day=1)
    )
    event_record(
        type="resource.retired",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"resource_id": resource.pk},
    )
    return resource


def _link(user, commons, resource: Resource, contribution_id: int) -> ResourceContribution:
    try:
        contribution = contribution_selectors.contribution_written(contribution_id=contribution_id)
    except Exception:  # DoesNotExist of another app's model
        raise ApplicationError.on_field("contribution_id", "not_found") from None
    if (
        contribution.commons_id != commons.pk
        or contribution.kind not in (contribution_domain.IN_KIND, contribution_domain.LABOUR)
        or contribution.state not in contribution_domain.VALIDATED
        or not contribution.accepted_price_cents
    ):
        raise ApplicationError.on_field("contribution_id", "contribution_not_linkable")
    if ResourceContribution.objects.filter(contribution_id=contribution.pk).exists():
        raise ApplicationError.on_field("contribution_id", "contribution_already_linked")
    return ResourceContribution.objects.create(
        resource=resource,
        contribution_id=contribution.pk,
        value_cents=contribution.accepted_price_cents,
        linked_by=user,
        linked_at=clock.now(),
    )


@write
def resource_link_contribution(
    *, user, commons_slug: str, resource_id: int, contribution_id: int
) -> Resource:
    """An accepted in-kind or labour contribution of the commons creates or enriches the
    resource: its accepted price adds to the resource's value."""
    commons = _commons_for_steward(user, commons_slug)
    resource = _resource_locked(commons, resource_id)
    link = _link(user, commons, resource, contribution_id)
    event_record(
        type="resource.contribution_linked",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={
            "resource_id": resource.pk,
            "contribution_id": contribution_id,
            "value_cents": link.value_cents,
        },
    )
    return resource


def resource_value_cents(resource_id: int) -> int:
    total = ResourceContribution.objects.filter(resource_id=resource_id).aggregate(
        total=Sum("value_cents")
    )["total"]
    return int(total or 0)


# --- Uses and their levy --------------------------------------------------------------------


def _charter(commons_id: int) -> tuple[int | None, dict]:
    try:
        version = governance_selectors.charter_current(commons_id=commons_id)
    except ApplicationError:
        return None, governance_domain.default_parameters()
    return version.pk, dict(version.parameters)


def _ensure_account(commons_id: int, number: str, type: str, capital_kind: str, label: str):
    """Adds an account the book lacks (1063, 6811, 28154…), typed as the PCG says."""
    ledger_services.account_ensure(
        commons_id=commons_id, number=number, label=label, type=type, capital_kind=capital_kind
    )


RESERVE_LABELS = {"1068": "Autres réserves", "1063": "Réserves statutaires ou contractuelles"}


def _acting_agent(user, commons, agent_id: int | None):
    """Who declares the use: a member of the commons, or a registered outsider (an organisation
    with its SIREN, or a user acting for their own person), else `agent_not_registered`."""
    agent = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    if commons_selectors.active_members(commons=commons).filter(agent_id=agent.pk).exists():
        return agent
    if agent.kind == "commons":
        raise ApplicationError.on_field("agent_id", "agent_not_registered")
    if agent.kind == "person":
        if agent.pk != agent_selectors.self_agent_id(user=user):
            raise ApplicationError.on_field("agent_id", "agent_not_registered")
        return agent
    if not agent.siren:
        raise ApplicationError.on_field("agent_id", "agent_not_registered")
    return agent


def _book_usage(usage: Usage, resource: Resource, actor_user_id: int | None) -> Usage:
    """Charges the charter's levy on a use just written: entry, due, and the use's links."""
    version_id, parameters = _charter(usage.commons_id)
    terms = domain.levy_terms(parameters, resource.key)
    levy = domain.levy_amount(terms, Money(usage.sale_amount_cents), usage.quantity)
    destination = parameters.get("levies.destination", "result")
    usage.levy_rate_bp = terms.rate_bp
    usage.levy_per_unit_cents = terms.per_unit_cents
    usage.levy_line = terms.line
    usage.levy_destination = destination
    usage.charter_version_id = version_id
    usage.levy_cents = levy.cents
    if levy.is_positive():
        if destination == "reserves":
            credit = parameters.get("levies.reserve_account", "1068")
            _ensure_account(usage.commons_id, credit, "equity", "financial", RESERVE_LABELS[credit])
        else:
            credit = "706"
        label = f"Redevance d'usage : {resource.name} ({usage.period_start:%m/%Y})"
        entry = ledger_services.entry_post(
            commons_id=usage.commons_id,
            journal="VE",
            entry_date=usage.period_end if usage.period_end <= clock.today() else clock.today(),
            label=label,
            piece_ref=f"USAGE-{usage.pk}",
            lines=[LineInput("411", debit=levy), LineInput(credit, credit=levy)],
            idempotency_key=f"usage:{usage.pk}:levy",
            authorised_by={
                "source_type": "usage",
                "source_id": str(usage.pk),
                "charter_version_id": version_id,
            },
            actor_user_id=actor_user_id,
        )
        due = receivables.due_open(
            commons_id=usage.commons_id,
            kind="levy",
            agent_id=usage.agent_id,
            label=label,
            amount=levy,
            due_on=max(usage.period_end, entry.entry_date)
            + dt.timedelta(days=receivables.PAYMENT_DAYS),
            source_type="usage",
            source_id=usage.pk,
            entry_id=entry.pk,
        )
        usage.entry_id, usage.due_id = entry.pk, due.pk
    usage.save()
    event_record(
        type="usage.declared",
        commons_id=usage.commons_id,
        actor_user_id=actor_user_id,
        data={
            "usage_id": usage.pk,
            "resource_id": resource.pk,
            "levy_cents": usage.levy_cents,
            "entry_id": usage.entry_id,
        },
    )
    return usage


def _clean_use(
    resource: Resource,
    *,
    quantity,
    unit: str | None,
    commercial: bool,
    sale_amount_cents: int | None,
    period_start: dt.date,
    period_end: dt.date,
) -> tuple[Decimal, int]:
    if resource.status == domain.RETIRED:
        raise ApplicationError.on_field("resource_id", "resource_retired")
    if unit is not None and unit != resource.unit:
        raise ApplicationError.on_field("unit", "wrong_unit", detail=resource.unit)
    quantity = domain.check_quantity(quantity)
    domain.check_period(period_start, period_end)
    if period_start > clock.today():
        raise ApplicationError.on_field("period_start", "invalid_period")
    sale = sale_amount_cents or 0
    check_cents(sale, "sale_amount_cents")
    if sale < 0:
        raise ApplicationError.on_field("sale_amount_cents", "amount_not_positive")
    if commercial and sale <= 0:
        raise ApplicationError.on_field("sale_amount_cents", "sale_amount_required")
    if not commercial and sale:
        raise ApplicationError.on_field("sale_amount_cents", "invalid_value")
    return quantity, sale


@write
def usage_declare(
    *,
    user,
    commons_slug: str,
    resource_id: int,
    quantity,
    period_start: dt.date,
    period_end: dt.date | None = None,
    commercial: bool = False,
    sale_amount_cents: int | None = None,
    unit: str | None = None,
    agent_id: int | None = None,
    recurring: bool = False,
) -> Usage:
    """Declares a use; the charter's levy in force is charged at once (see `_book_usage`).

    `recurring`: the same use every month from `period_start`'s month on (a monthly rental): the
    job `recurring_usages_generate` declares the following months, once each.
    """
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        raise ApplicationError.on_field("resource_id", "not_found")
    if resource.commons_id != commons.pk:
        raise ApplicationError.on_field("resource_id", "resource_other_commons")
    agent = _acting_agent(user, commons, agent_id)
    if recurring:
        period_start = period_start.replace(day=1)
        period_end = domain.month_end(period_start)
    period_end = period_end or period_start
    quantity, sale = _clean_use(
        resource,
        quantity=quantity,
        unit=unit,
        commercial=commercial,
        sale_amount_cents=sale_amount_cents,
        period_start=period_start,
        period_end=period_end,
    )
    plan = None
    if recurring:
        plan = RecurringUsage.objects.create(
            commons=commons,
            resource=resource,
            agent=agent,
            quantity=quantity,
            commercial=commercial,
            sale_amount_cents=sale,
            first_month=period_start,
            created_by=user,
            created_at=clock.now(),
        )
    usage = Usage.objects.create(
        commons=commons,
        resource=resource,
        agent=agent,
        quantity=quantity,
        period_start=period_start,
        period_end=period_end,
        commercial=commercial,
        sale_amount_cents=sale,
        recurring=plan,
        created_by=user,
        created_at=clock.now(),
    )
    return _book_usage(usage, resource, user.pk)


@write
def _recurring_month(plan_id: int, month: dt.date) -> bool:
    """Declares one month of a recurring use; False when it already exists."""
    plan = RecurringUsage.objects.select_related("resource").get(pk=plan_id)
    if Usage.objects.filter(recurring=plan, period_start=month).exists():
        return False
    if plan.resource.status == domain.RETIRED:
        return False
    try:
        with transaction.atomic():
            usage = Usage.objects.create(
                commons_id=plan.commons_id,
                resource=plan.resource,
                agent_id=plan.agent_id,
                quantity=plan.quantity,
                period_start=month,
                period_end=domain.month_end(month),
                commercial=plan.commercial,
                sale_amount_cents=plan.sale_amount_cents,
                recurring=plan,
                created_by=None,
                created_at=clock.now(),
            )
    except IntegrityError:
        return False  # a concurrent run declared it (the UNIQUE of (recurring, period_start))
    _book_usage(usage, plan.resource, None)
    return True


def recurring_usages_generate() -> int:
    """The job: every recurring use's months up to the current one, each declared once (the
    database's UNIQUE (recurring, period_start) holds it even when two runs race); how many."""
    this_month = clock.today().replace(day=1)
    created = 0
    for plan in RecurringUsage.objects.order_by("id"):
        last = min(plan.last_month or this_month, this_month)
        for month in domain.months_between(plan.first_month, last):
            try:
                created += _recurring_month(plan.pk, month)
            except ApplicationError as error:
                logger.info("recurring use %s of %s waits: %s", plan.pk, month, error.code)
                break
    return created


# --- Depreciation ---------------------------------------------------------------------------


@write
def depreciation_post(*, resource_id: int, year: int) -> Depreciation | None:
    """Posts the year's straight-line charge of a resource (D 6811 / C 28xx) on 31 December;
    once a year (UNIQUE (resource, year)); None when nothing is due."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    if not resource.depreciation_years:
        return None
    existing = Depreciation.objects.filter(resource=resource, year=year).first()
    if existing is not None:
        return existing
    already = Depreciation.objects.filter(resource=resource).aggregate(total=Sum("amount_cents"))
    amount = domain.depreciation_for_year(
        resource_value_cents(resource.pk),
        resource.depreciation_years,
        resource.in_service_on,
        year,
        int(already["total"] or 0),
    )
    if amount <= 0:
        return None
    contra = domain.amortisation_account(resource.account_code)
    _ensure_account(
        resource.commons_id,
        contra,
        "asset",
        "financial",
        f"Amortissements – {resource.account_code}",
    )
    _ensure_account(
        resource.commons_id,
        domain.DEPRECIATION_EXPENSE_ACCOUNT,
        "expense",
        "financial",
        "Dotations aux amortissements des immobilisations",
    )
    entry = ledger_services.entry_post(
        commons_id=resource.commons_id,
        journal="OD",
        entry_date=dt.date(year, 12, 31),
        label=f"Dotation aux amortissements {year} : {resource.name}",
        piece_ref=f"AMORT-{resource.pk}-{year}",
        lines=[
            LineInput(domain.DEPRECIATION_EXPENSE_ACCOUNT, debit=Money(amount)),
            LineInput(contra, credit=Money(amount)),
        ],
        idempotency_key=f"resource:{resource.pk}:depreciation:{year}",
        authorised_by={"source_type": "resource", "source_id": str(resource.pk)},
        actor_user_id=None,
    )
    depreciation = Depreciation.objects.create(
        resource=resource, year=year, amount_cents=amount, entry_id=entry.pk, created_at=clock.now()
    )
    event_record(
        type="resource.depreciated",
        commons_id=resource.commons_id,
        actor_user_id=None,
        data={"resource_id": resource.pk, "year": year, "amount_cents": amount},
    )
    return depreciation


def depreciations_post_due() -> int:
    """The job: each depreciable resource's charge of every year ended (31 December reached)
    since it entered service, each once; a year whose books are closed is left (logged)."""
    today = clock.today()
    last_year = today.year if today >= dt.date(today.year, 12, 31) else today.year - 1
    posted = 0
    resources = Resource.objects.filter(depreciation_years__isnull=False).order_by("id")
    for resource in resources:
        done = set(Depreciation.objects.filter(resource=resource).values_list("year", flat=True))
        for year in range(resource.in_service_on.year, last_year + 1):
            if year in done:
                continue
            try:
                posted += depreciation_post(resource_id=resource.pk, year=year) is not None
            except ApplicationError as error:
                logger.info("depreciation of %s for %s waits: %s", resource.pk, year, error.code)
    return posted


# --- Dues -----------------------------------------------------------------------------------


@write
def due_pay(*, user, commons_slug: str, due_id: int, amount_cents: int, paid_on: dt.date):
    """A steward records a payment received for a due of the commons (D 512 / C 411)."""
    commons = _commons_for_steward(user, commons_slug)
    due = receivables.due_get(due_id=due_id)
    if due.commons_id != commons.pk:
        raise ApplicationError("not_found")
    return receivables.due_pay(
        due_id=due_id, amount_cents=amount_cents, paid_on=paid_on, actor_user_id=user.pk
    )


# --- The charter's levy lines ---------------------------------------------------------------


def levy_lines_check(commons_id: int, payload) -> dict:
    """Governance's check of an amend_charter proposal: a levy line (`levy.<key>.*`) may not
    name a resource key that only another commons has (a line on a key this commons has not
    registered yet is allowed: the resource may come later)."""
    changes = payload.get("changes") if isinstance(payload, dict) else None
    if not isinstance(changes, dict):
        return dict(payload)
    keys = {}
    for name in changes:
        match = governance_domain.levy_line_key(name)
        if match and match != "default":
            keys[match] = name
    if keys:
        own = set(
            Resource.objects.filter(commons_id=commons_id, key__in=keys).values_list(
                "key", flat=True
            )
        )
        others = set(
            Resource.objects.filter(key__in=set(keys) - own)
            .exclude(commons_id=commons_id)
            .values_list("key", flat=True)
        )
        for key in sorted(others):
            raise ApplicationError.on_field(
                f"payload.changes.{keys[key]}", "levy_line_other_commons"
            )
    return dict(payload)
