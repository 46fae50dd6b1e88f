"""Reads on resources: the register with values and levies, uses, dues, statistics, open data."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.governance import domain as governance_domain
from federage.governance import selectors as governance_selectors
from federage.ledger import receivables
from federage.resources import domain
from federage.resources.models import Depreciation, Resource, ResourceContribution, Usage

ZERO = Decimal("0.000")


def _parameters(commons_id: int) -> dict:
    try:
        return governance_selectors.charter_parameters(commons_id=commons_id)
    except ApplicationError:
        return governance_domain.default_parameters()


def quantity_text(value: Decimal | None) -> str:
    return f"{(value or ZERO).quantize(domain.QUANTITY_STEP)}"


def resources_of(*, commons, status: str = "") -> list[dict]:
    """The register of a commons, each resource with its value, levy terms and usage totals."""
    queryset = Resource.objects.filter(commons=commons)
    if status:
        queryset = queryset.filter(status=status)
    resources = list(queryset.order_by("name", "id"))
    return _rows(commons, resources)


def _rows(commons, resources: list[Resource]) -> list[dict]:
    ids = [resource.pk for resource in resources]
    values = dict(
        ResourceContribution.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(total=Sum("value_cents"))
        .values_list("resource_id", "total")
    )
    depreciated = dict(
        Depreciation.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("resource_id", "total")
    )
    uses = {
        row["resource_id"]: row
        for row in Usage.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(
            count=Count("id"),
            levies=Sum("levy_cents"),
            quantity=Sum("quantity"),
            sales=Sum("sale_amount_cents"),
        )
    }
    parameters = _parameters(commons.pk)
    rows = []
    for resource in resources:
        value = int(values.get(resource.pk) or 0)
        amortised = int(depreciated.get(resource.pk) or 0)
        use = uses.get(resource.pk, {})
        rows.append(
            {
                "id": resource.pk,
                "commons_slug": commons.slug,
                "key": resource.key,
                "name": resource.name,
                "kind": resource.kind,
                "capital_kind": resource.capital_kind,
                "unit": resource.unit,
                "location": resource.location,
                "description": resource.description,
                "status": resource.status,
                "account_code": resource.account_code,
                "depreciation_years": resource.depreciation_years,
                "in_service_on": resource.in_service_on,
                "value_cents": value,
                "accumulated_depreciation_cents": amortised,
                "net_value_cents": value - amortised,
                "levy": domain.levy_terms(parameters, resource.key).as_dict(),
                "usage_count": int(use.get("count") or 0),
                "levies_cents": int(use.get("levies") or 0),
                "quantity_used": quantity_text(use.get("quantity")),
                "sales_cents": int(use.get("sales") or 0),
                "created_at": resource.created_at,
                "retired_at": resource.retired_at,
            }
        )
    return rows


def resource_row(*, resource_id: int) -> dict:
    resource = Resource.objects.select_related("commons").filter(pk=resource_id).first()
    if resource is None:
        raise ApplicationError("not_found")
    return _rows(resource.commons, [resource])[0]


def resource_of(*, commons, resource_id: int) -> Resource:
    resource = Resource.objects.filter(pk=resource_id, commons=commons).first()
    if resource is None:
        raise ApplicationError("not_found")
    return resource


def _names(commons, reader, agent_ids) -> dict[int, str]:
    """Agents' names as this reader may see them (governance's one rule)."""
    names = governance_selectors.PersonNames(commons=commons, reader=reader)
    agents = agent_selectors.agents_by_ids(agent_ids=set(agent_ids))
    return {agent_id: names.name(agent) for agent_id, agent in agents.items()}


def _usages(queryset: QuerySet[Usage]) -> QuerySet[Usage]:
    return queryset.select_related("resource").order_by("-period_start", "-id")


def usage_rows(usages: list[Usage], names: dict[int, str]) -> list[dict]:
    return [
        {
            "id": usage.pk,
            "resource_id": usage.resource_id,
            "resource_name": usage.resource.name,
            "agent_id": usage.agent_id,
            "agent_name": names.get(usage.agent_id, ""),
            "quantity": quantity_text(usage.quantity),
            "unit": usage.resource.unit,
            "period_start": usage.period_start,
            "period_end": usage.period_end,
            "commercial": usage.commercial,
            "sale_amount_cents": usage.sale_amount_cents,
            "levy_cents": usage.levy_cents,
            "levy_rate_bp": usage.levy_rate_bp,
            "levy_per_unit_cents": usage.levy_per_unit_cents,
            "levy_line": usage.levy_line,
            "levy_destination": usage.levy_destination,
            "charter_version": usage.charter_version_id,
            "due_id": usage.due_id,
            "recurring": usage.recurring_id is not None,
            "entry_id": usage.entry_id,
            "created_at": usage.created_at,
        }
        for usage in usages
    ]


def usages_of(*, commons, reader, resource_id: int | None = None, agent_ids=None) -> list[dict]:
    """Uses of a commons' resources (`agent_ids`: only theirs; None: all)."""
    queryset = Usage.objects.filter(commons=commons)
    if resource_id is not None:
        queryset = queryset.filter(resource_id=resource_id)
    if agent_ids is not None:
        queryset = queryset.filter(agent_id__in=list(agent_ids))
    usages = list(_usages(queryset)[:1000])
    return usage_rows(usages, _names(commons, reader, [u.agent_id for u in usages]))


def usage_row(*, usage_id: int, reader) -> dict:
    usage = _usages(Usage.objects.filter(pk=usage_id)).select_related("commons").get()
    return usage_rows([usage], _names(usage.commons, reader, [usage.agent_id]))[0]


def by_month(queryset: QuerySet[Usage]) -> list[dict]:
    months: dict[str, list] = defaultdict(lambda: [ZERO, 0, 0, 0])
    for start, quantity, sales, levy in queryset.values_list(
        "period_start", "quantity", "sale_amount_cents", "levy_cents"
    ):
        month = months[f"{start:%Y-%m}"]
        month[0] += quantity
        month[1] += sales
        month[2] += levy
        month[3] += 1
    return [
        {
            "month": month,
            "quantity": quantity_text(values[0]),
            "sales_cents": values[1],
            "levy_cents": values[2],
            "uses": values[3],
        }
        for month, values in sorted(months.items())
    ]


def resource_detail(*, commons, resource_id: int, reader) -> dict:
    resource = resource_of(commons=commons, resource_id=resource_id)
    row = _rows(commons, [resource])[0]
    member = bool(commons_selectors.roles_of_user(user=reader, commons=commons))
    names = governance_selectors.PersonNames(commons=commons, reader=reader, member=member)
    links = list(
        ResourceContribution.objects.filter(resource=resource)
        .select_related("contribution", "contribution__contributor")
        .order_by("linked_at", "id")
    )
    row["contributions"] = [
        {
            "contribution_id": link.contribution_id,
            "title": link.contribution.title,
            "kind": link.contribution.kind,
            "value_cents": link.value_cents,
            "contributor_name": names.name(link.contribution.contributor),
            "accepted_at": link.contribution.decided_at,
        }
        for link in links
    ]
    usages = Usage.objects.filter(resource=resource)
    agent_ids = None if member else agent_selectors.agent_ids_of_user(user=reader)
    row["usages"] = usages_of(
        commons=commons, reader=reader, resource_id=resource.pk, agent_ids=agent_ids
    )
    row["by_month"] = by_month(usages)
    users = (
        usages.values("agent_id")
        .annotate(quantity=Sum("quantity"), uses=Count("id"))
        .order_by("-quantity", "agent_id")
    )
    users = list(users)
    agents = agent_selectors.agents_by_ids(agent_ids=[user["agent_id"] for user in users])
    row["users"] = [
        {
            "agent_id": user["agent_id"],
            "agent_name": names.name(agents.get(user["agent_id"])),
            "quantity": quantity_text(user["quantity"]),
            "uses": user["uses"],
        }
        for user in users
    ]
    row["depreciations"] = [
        {"year": item.year, "amount_cents": item.amount_cents, "entry_id": item.entry_id}
        for item in Depreciation.objects.filter(resource=resource).order_by("year")
    ]
    return row


def due_rows(dues, reader_names: dict[int, str], usage_by_due: dict[int, int]) -> list[dict]:
    rows = []
    for due in dues:
        source_id = int(due.source_id) if due.source_id.isdigit() else None
        rows.append(
            {
                "id": due.pk,
                "commons_slug": due.commons.slug,
                "kind": due.kind,
                "agent_id": due.agent_id,
                "agent_name": reader_names.get(due.agent_id, ""),
                "label": due.label,
                "amount_cents": due.amount_cents,
                "paid_cents": due.paid_cents,
                "outstanding_cents": due.amount_cents - due.paid_cents,
                "due_on": due.due_on,
                "status": receivables.due_status(due),
                "usage_id": source_id if due.source_type == "usage" else None,
                "transfer_id": source_id if due.source_type == "transfer" else None,
                "entry_id": due.entry_id,
                "payments": [
                    {
                        "id": payment.pk,
                        "amount_cents": payment.amount_cents,
                        "paid_on": payment.paid_on,
                        "entry_id": payment.entry_id,
                    }
                    for payment in due.payments.all()
                ],
            }
        )
    return rows


def dues_of(*, commons, reader, status: str = "") -> list[dict]:
    """Stewards see every due of the commons; anyone else the dues of the agents they act for."""
    roles = commons_selectors.roles_of_user(user=reader, commons=commons)
    agent_ids = None if "steward" in roles else agent_selectors.agent_ids_of_user(user=reader)
    dues = receivables.dues_of(commons_id=commons.pk, agent_ids=agent_ids, status=status)
    for due in dues:
        due.commons = commons
    return due_rows(dues, _names(commons, reader, [due.agent_id for due in dues]), {})


def due_row(*, due_id: int, reader) -> dict:
    due = receivables.due_get(due_id=due_id)
    return due_rows([due], _names(due.commons, reader, [due.agent_id]), {})[0]


def stats(*, commons) -> dict:
    usages = Usage.objects.filter(commons=commons)
    per_resource = (
        usages.values("resource_id", "resource__name", "resource__unit")
        .annotate(
            quantity=Sum("quantity"),
            sales=Sum("sale_amount_cents"),
            levy=Sum("levy_cents"),
            uses=Count("id"),
        )
        .order_by("resource__name", "resource_id")
    )
    levies = receivables.dues_totals(commons_id=commons.pk, kind="levy")
    return {
        "by_resource": [
            {
                "resource_id": row["resource_id"],
                "name": row["resource__name"],
                "unit": row["resource__unit"],
                "quantity": quantity_text(row["quantity"]),
                "sales_cents": int(row["sales"] or 0),
                "levy_cents": int(row["levy"] or 0),
                "uses": row["uses"],
            }
            for row in per_resource
        ],
        "by_month": by_month(usages),
        "levies": levies,
        "transfer_taxes": receivables.dues_totals(commons_id=commons.pk, kind="transfer_tax"),
    }


# --- Open data ------------------------------------------------------------------------------


def public_resources(*, commons) -> list[dict]:
    """A public commons' register with usage aggregates: no user's name, no single use."""
    rows = []
    for row in resources_of(commons=commons):
        users = Usage.objects.filter(resource_id=row["id"]).values("agent_id").distinct().count()
        commercial = Usage.objects.filter(resource_id=row["id"], commercial=True).count()
        rows.append(
            {
                key: row[key]
                for key in (
                    "id",
                    "key",
                    "name",
                    "kind",
                    "capital_kind",
                    "unit",
                    "location",
                    "status",
                    "account_code",
                    "value_cents",
                    "accumulated_depreciation_cents",
                    "net_value_cents",
                    "levy",
                    "usage_count",
                    "levies_cents",
                    "quantity_used",
                    "sales_cents",
                )
            }
            | {
                "distinct_users": users,
                "commercial_uses": commercial,
                "by_month": by_month(Usage.objects.filter(resource_id=row["id"])),
            }
        )
    return rows


def public_levies(*, commons) -> dict:
    totals = receivables.dues_totals(commons_id=commons.pk, kind="levy")
    return {
        "due_cents": totals["due_cents"],
        "collected_cents": totals["collected_cents"],
        "outstanding_cents": totals["outstanding_cents"],
        "by_month": receivables.dues_by_month(commons_id=commons.pk, kind="levy"),
    }
