"""Reads on financings: the funder's dashboard, a commons' financings, a funder's portfolio,
the public financings of public commons, and the dashboard's CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.funding import domain
from federage.funding.models import EarmarkTag, Financing, Instalment
from federage.ledger import domain as ledger_domain
from federage.ledger import selectors as ledger_selectors


def _impact():
    from federage.impact import selectors as impact_selectors

    return impact_selectors


def _with_details(queryset: QuerySet[Financing]) -> QuerySet[Financing]:
    return queryset.select_related("commons", "funder").prefetch_related(
        "earmarks__resource", "tranches", "loan__instalments", "year_ends"
    )


def _progress(objective_id: int) -> dict | None:
    try:
        return _impact().objective_progress(objective_id=objective_id)
    except (ApplicationError, ImportError, AttributeError):
        return None


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def financing_row(financing: Financing, *, public: bool = False) -> dict[str, Any]:
    """One financing with its earmarks, tranches (milestone progress) and loan schedule."""
    earmarks = []
    for earmark in financing.earmarks.all():
        if earmark.resource_id:
            earmarks.append(
                {"type": "resource", "id": earmark.resource_id, "name": earmark.resource.name}
            )
        else:
            progress = _progress(earmark.objective_id) or {}
            earmarks.append(
                {
                    "type": "objective",
                    "id": earmark.objective_id,
                    "name": progress.get("indicator_code", ""),
                }
            )
    tranches = []
    for tranche in sorted(financing.tranches.all(), key=lambda t: t.number):
        progress = _progress(tranche.objective_id) if tranche.objective_id else None
        tranches.append(
            {
                "number": tranche.number,
                "amount_cents": tranche.amount_cents,
                "status": tranche.status,
                "objective_id": tranche.objective_id,
                "threshold": _decimal_text(tranche.threshold),
                "indicator_code": (progress or {}).get("indicator_code"),
                "unit": (progress or {}).get("unit"),
                "verified_total": _decimal_text((progress or {}).get("verified_total")),
                "progress_bp": (progress or {}).get("progress_bp"),
                "released_at": tranche.released_at,
                "disbursed_at": tranche.disbursed_at,
                "disbursed_entry_id": None if public else tranche.disbursed_entry_id,
            }
        )
    loan = None
    if financing.kind == domain.LOAN and hasattr(financing, "loan"):
        terms = financing.loan
        rows = sorted(terms.instalments.all(), key=lambda r: (r.number, r.id))
        loan = {
            "rate_bp": terms.rate_bp,
            "periods": terms.periods,
            "period_months": terms.period_months,
            "method": terms.method,
            "grace_periods": terms.grace_periods,
            "first_due": terms.first_due,
            "account_number": terms.account_number,
            "instalments": [
                {
                    "number": row.number,
                    "kind": row.kind,
                    "due_date": row.due_date,
                    "principal_cents": row.principal_cents,
                    "interest_cents": row.interest_cents,
                    "status": row.status,
                    "paid_entry_id": None if public else row.paid_entry_id,
                }
                for row in rows
            ],
            "due_cents": sum(
                r.principal_cents + r.interest_cents for r in rows if r.status in ("due", "overdue")
            ),
        }
    return {
        "id": financing.pk,
        "commons_slug": financing.commons.slug,
        "commons_name": financing.commons.name,
        "funder_id": financing.funder_id,
        "funder_name": financing.funder.display_name,
        "kind": financing.kind,
        "title": financing.title,
        "conditions": financing.conditions,
        "status": financing.status,
        "amount_cents": financing.amount_cents,
        "disbursed_cents": financing.disbursed_cents,
        "repaid_cents": financing.repaid_cents,
        "interest_paid_cents": financing.interest_paid_cents,
        "tagged_cents": financing.tagged_cents,
        "reprised_cents": financing.reprised_cents,
        **year_end_figures(financing),
        "proposal_id": financing.proposal_id,
        "decision_id": financing.decision_id,
        "created_at": financing.created_at,
        "decided_at": financing.decided_at,
        "earmarks": earmarks,
        "tranches": tranches,
        "loan": loan,
    }


# --- Year end (accrued interest, fonds dédiés) ------------------------------------------------


def year_end_figures(financing: Financing) -> dict[str, int]:
    """What the year-end postings hold now for the financing: interest accrued in 1688 and not
    yet reversed, and the fonds dédiés carried in 194 and not yet released."""
    totals = dict.fromkeys(domain.YEAR_END_KINDS, 0)
    for posting in financing.year_ends.all():
        totals[posting.kind] += posting.amount_cents
    return {
        "accrued_interest_cents": totals[domain.YEAR_END_ACCRUAL]
        - totals[domain.YEAR_END_REVERSAL],
        "dedicated_funds_cents": totals[domain.YEAR_END_DEDICATED]
        - totals[domain.YEAR_END_RELEASE],
    }


def require_readable(*, user, financing: Financing) -> None:
    """The funder's representatives and the commons' members read a financing; others 404."""
    if user is None or not user.is_authenticated:
        raise ApplicationError("not_found")
    if financing.funder_id in agent_selectors.agent_ids_of_user(user=user):
        return
    if not commons_selectors.roles_of_user(user=user, commons=financing.commons):
        raise ApplicationError("not_found")


def financing_statuses(*, financing_ids) -> dict[int, str]:
    """Status of each financing by id, with no other detail: for a caller (federation's group
    financings) that has already decided who may read the group it shows them in."""
    return dict(Financing.objects.filter(pk__in=list(financing_ids)).values_list("pk", "status"))


def financing_get(*, user, financing_id: int) -> Financing:
    financing = _with_details(Financing.objects.filter(pk=financing_id)).first()
    if financing is None:
        raise ApplicationError("not_found")
    require_readable(user=user, financing=financing)
    return financing


def financing_detail(*, user, financing_id: int) -> dict[str, Any]:
    return financing_row(financing_get(user=user, financing_id=financing_id))


def dashboard(*, user, financing_id: int) -> dict[str, Any]:
    """The funder's follow-up: the financing, what it paid for (tagged ledger lines), milestones
    against verified progress, repayments due and paid."""
    financing = financing_get(user=user, financing_id=financing_id)
    row = financing_row(financing)
    tags = list(EarmarkTag.objects.filter(financing=financing).order_by("id"))
    lines = ledger_selectors.lines_info(line_ids=[tag.line_id for tag in tags])
    row["tagged_lines"] = [
        {
            "line_id": tag.line_id,
            "entry_id": tag.entry_id,
            "amount_cents": tag.amount_cents,
            "entry_date": lines.get(tag.line_id, {}).get("entry_date"),
            "account_number": lines.get(tag.line_id, {}).get("account_number", ""),
            "label": lines.get(tag.line_id, {}).get("label", ""),
        }
        for tag in tags
    ]
    row["earmark_left_cents"] = financing.amount_cents - financing.tagged_cents
    return row


def financings_of_commons(*, user, slug: str) -> list[dict[str, Any]]:
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    commons_selectors.require_member(user=user, commons=commons)
    queryset = _with_details(Financing.objects.filter(commons=commons)).order_by(
        "-created_at", "-id"
    )
    return [financing_row(f) for f in queryset]


def financings_of_funder(*, agent_ids) -> list[dict[str, Any]]:
    """The financings these agents offered, for the portfolio screen beside their titles
    (titles.selectors.portfolio): one row each, with what is disbursed and repaid."""
    queryset = _with_details(Financing.objects.filter(funder_id__in=list(agent_ids)))
    return [financing_row(f) for f in queryset.order_by("-created_at", "-id")]


def my_financings(*, user) -> list[dict[str, Any]]:
    return financings_of_funder(agent_ids=agent_selectors.agent_ids_of_user(user=user))


PUBLIC_STATUSES = ("accepted", "active", "closed")


def public_financings(*, slug: str) -> list[dict[str, Any]]:
    """Accepted financings of a public commons (amounts, earmarks, milestones, disbursed and
    repaid): the funder is named, since an organisation's financing is public by nature."""
    commons = commons_selectors.commons_get_public(slug=slug)
    queryset = _with_details(
        Financing.objects.filter(commons=commons, status__in=PUBLIC_STATUSES)
    ).order_by("created_at", "id")
    return [financing_row(f, public=True) for f in queryset]


def public_financings_all() -> list[dict[str, Any]]:
    """Every accepted financing of every public commons (the open data package)."""
    queryset = _with_details(
        Financing.objects.filter(commons__visibility="public", status__in=PUBLIC_STATUSES)
    ).order_by("commons_id", "created_at", "id")
    return [financing_row(f, public=True) for f in queryset]


def instalments_due(*, financing_id: int) -> list[Instalment]:
    return list(
        Instalment.objects.filter(loan__financing_id=financing_id, status__in=("due", "overdue"))
    )


CSV_COLUMNS = ("section", "number", "date", "label", "account", "amount", "status", "detail")


def dashboard_csv(*, user, financing_id: int) -> str:
    """The dashboard as CSV (semicolon, French amounts, UTF-8): tranches, tagged lines, instalments."""
    data = dashboard(user=user, financing_id=financing_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(
        [
            "financement",
            data["id"],
            data["created_at"].date().isoformat(),
            data["title"],
            "",
            ledger_domain.csv_amount(data["amount_cents"]),
            data["status"],
            data["kind"],
        ]
    )
    for tranche in data["tranches"]:
        detail = ""
        if tranche["objective_id"]:
            detail = f"{tranche['indicator_code'] or ''} {tranche['verified_total'] or 0}/{tranche['threshold']}"
        date = tranche["disbursed_at"].date().isoformat() if tranche["disbursed_at"] else ""
        writer.writerow(
            [
                "tranche",
                tranche["number"],
                date,
                "",
                "",
                ledger_domain.csv_amount(tranche["amount_cents"]),
                tranche["status"],
                detail,
            ]
        )
    for line in data["tagged_lines"]:
        date = line["entry_date"].isoformat() if line["entry_date"] else ""
        writer.writerow(
            [
                "depense",
                line["line_id"],
                date,
                line["label"],
                line["account_number"],
                ledger_domain.csv_amount(line["amount_cents"]),
                "",
                f"entry {line['entry_id']}",
            ]
        )
    for row in (data["loan"] or {}).get("instalments", []):
        writer.writerow(
            [
                "echeance",
                row["number"],
                row["due_date"].isoformat(),
                row["kind"],
                "",
                ledger_domain.csv_amount(row["principal_cents"] + row["interest_cents"]),
                row["status"],
                f"capital {ledger_domain.csv_amount(row['principal_cents'])} "
                f"interets {ledger_domain.csv_amount(row['interest_cents'])}",
            ]
        )
    return out.getvalue()


# --- The dashboard as PDF (issue 17) -----------------------------------------------------------


def dashboard_pdf(*, user, financing_id: int, lang: str) -> bytes:
    """The dashboard as PDF (typst, French or English), read by the same people as the CSV;
    dated by the clock, so the same state at the same instant gives the same bytes."""
    from federage.core import clock
    from federage.funding import pdf

    data = dashboard(user=user, financing_id=financing_id)
    return pdf.dashboard_pdf(data, lang=lang, now=clock.now())
