"""Receivables (créances): what agents owe a commons on 411, as dues that payments settle.

Every app above the ledger that books a receivable on 411 (a usage levy in resources, a transfer
tax in titles) opens a due for it in the same transaction, with `due_open`; a payment, full or
partial, is one bank entry D 512 / C 411 (`due_pay`), never more than what remains. The ledger
is the home of this concept because it sits below both apps that use it and owns the 411
account they post to: neither needs the other, and no reaction is needed.

A due's status is computed, never stored, from the server's day (core.clock.today()):
"paid" once paid_cents = amount_cents; else "overdue" when due_on < today; else "due".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Prefetch, QuerySet

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money, check_cents
from federage.core.transactions import write
from federage.ledger import services
from federage.ledger.domain import LineInput
from federage.ledger.models import Due, DuePayment

DUE, OVERDUE, PAID = "due", "overdue", "paid"
STATUSES = (DUE, OVERDUE, PAID)
# Payment terms when the charter sets none: 30 days, the default term of French commercial law
# (Code de commerce, art. L441-10).
PAYMENT_DAYS = 30
RECEIVABLE_ACCOUNT, BANK_ACCOUNT = "411", "512"


def due_status(due: Due, today: dt.date | None = None) -> str:
    if due.paid_cents >= due.amount_cents:
        return PAID
    return OVERDUE if due.due_on < (today or clock.today()) else DUE


@write
def due_open(
    *,
    commons_id: int,
    kind: str,
    agent_id: int,
    label: str,
    amount: Money,
    due_on: dt.date,
    source_type: str,
    source_id: int | str,
    entry_id: int,
) -> Due:
    """Opens the due of a receivable just booked on 411 by `entry_id`; once per source (the
    same source again returns the due it opened)."""
    existing = Due.objects.filter(
        commons_id=commons_id, source_type=source_type, source_id=str(source_id)
    ).first()
    if existing is not None:
        return existing
    if not amount.is_positive():
        raise ApplicationError.on_field("amount_cents", "amount_not_positive")
    due = Due.objects.create(
        commons_id=commons_id,
        kind=kind,
        agent_id=agent_id,
        label=" ".join(label.split())[:200],
        amount_cents=check_cents(amount.cents, "amount_cents"),
        due_on=due_on,
        source_type=source_type,
        source_id=str(source_id),
        entry_id=entry_id,
        created_at=clock.now(),
    )
    event_record(
        type="due.opened",
        commons_id=commons_id,
        actor_user_id=None,
        data={"due_id": due.pk, "kind": kind, "amount_cents": due.amount_cents},
    )
    return due


@write
def due_pay(
    *, due_id: int, amount_cents: int, paid_on: dt.date, actor_user_id: int | None
) -> DuePayment:
    """Records a payment of `amount_cents` received on `paid_on`: D 512 / C 411, in one step.

    Refusals, nothing written: `amount_not_positive`, `overpayment` (more than what remains),
    `invalid_value` on `paid_on` (after today), and the ledger's (`period_closed`…)."""
    due = Due.objects.select_for_update().filter(pk=due_id).first()
    if due is None:
        raise ApplicationError("not_found")
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise ApplicationError.on_field("amount_cents", "amount_not_positive")
    outstanding = due.amount_cents - due.paid_cents
    if amount_cents > outstanding:
        raise ApplicationError.on_field("amount_cents", "overpayment", detail=str(outstanding))
    if paid_on > clock.today():
        raise ApplicationError.on_field("paid_on", "invalid_value")
    number = DuePayment.objects.filter(due=due).count() + 1
    entry = services.entry_post(
        commons_id=due.commons_id,
        journal="BQ",
        entry_date=paid_on,
        label=f"Encaissement : {due.label}"[:200],
        piece_ref=f"CREANCE-{due.pk}-{number}",
        lines=[
            LineInput(BANK_ACCOUNT, debit=Money(amount_cents)),
            LineInput(RECEIVABLE_ACCOUNT, credit=Money(amount_cents)),
        ],
        idempotency_key=f"due:{due.pk}:payment:{number}",
        authorised_by={"source_type": "due", "source_id": str(due.pk)},
        actor_user_id=actor_user_id,
    )
    # Conditional, under the row lock and the CHECK: never more than the amount.
    updated = Due.objects.filter(
        pk=due.pk, paid_cents__lte=F("amount_cents") - amount_cents
    ).update(paid_cents=F("paid_cents") + amount_cents)
    if updated != 1:
        raise ApplicationError.on_field("amount_cents", "overpayment")
    if amount_cents == outstanding:
        Due.objects.filter(pk=due.pk).update(paid_at=clock.now())
    payment = DuePayment.objects.create(
        due=due,
        amount_cents=amount_cents,
        paid_on=paid_on,
        entry=entry,
        recorded_by_id=actor_user_id,
        created_at=clock.now(),
    )
    event_record(
        type="due.paid",
        commons_id=due.commons_id,
        actor_user_id=actor_user_id,
        data={"due_id": due.pk, "payment_id": payment.pk, "amount_cents": amount_cents},
    )
    return payment


# --- Reads ----------------------------------------------------------------------------------


def _with_payments(queryset: QuerySet[Due]) -> QuerySet[Due]:
    return queryset.select_related("agent").prefetch_related(
        Prefetch("payments", queryset=DuePayment.objects.order_by("paid_on", "id"))
    )


def due_get(*, due_id: int) -> Due:
    due = _with_payments(Due.objects.filter(pk=due_id)).select_related("commons").first()
    if due is None:
        raise ApplicationError("not_found")
    return due


def dues_of(
    *,
    commons_id: int,
    agent_ids: Iterable[int] | None = None,
    status: str = "",
    source_type: str = "",
    source_ids: Iterable[int | str] | None = None,
) -> list[Due]:
    """A commons' dues, oldest due date first; `agent_ids` None for all of them."""
    queryset = Due.objects.filter(commons_id=commons_id)
    if agent_ids is not None:
        queryset = queryset.filter(agent_id__in=list(agent_ids))
    if source_type:
        queryset = queryset.filter(source_type=source_type)
    if source_ids is not None:
        queryset = queryset.filter(source_id__in=[str(item) for item in source_ids])
    today = clock.today()
    if status == PAID:
        queryset = queryset.filter(paid_cents=F("amount_cents"))
    elif status == OVERDUE:
        queryset = queryset.filter(paid_cents__lt=F("amount_cents"), due_on__lt=today)
    elif status == DUE:
        queryset = queryset.filter(paid_cents__lt=F("amount_cents"), due_on__gte=today)
    elif status:
        raise ApplicationError.on_field("status", "invalid_value")
    return list(_with_payments(queryset).order_by("due_on", "id"))


def dues_unpaid_count(*, agent_ids: Iterable[int]) -> int:
    """How many dues, in any commons, the agents still owe something on."""
    return Due.objects.filter(
        agent_id__in=list(agent_ids), paid_cents__lt=F("amount_cents")
    ).count()


def dues_totals(*, commons_id: int, kind: str = "") -> dict[str, int]:
    """Due (charged), collected, outstanding and overdue, in cents, over a commons' dues."""
    queryset = Due.objects.filter(commons_id=commons_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    today = clock.today()
    totals = {"due_cents": 0, "collected_cents": 0, "outstanding_cents": 0, "overdue_cents": 0}
    for amount, paid, due_on in queryset.values_list("amount_cents", "paid_cents", "due_on"):
        totals["due_cents"] += amount
        totals["collected_cents"] += paid
        totals["outstanding_cents"] += amount - paid
        if paid < amount and due_on < today:
            totals["overdue_cents"] += amount - paid
    return totals


def dues_by_month(*, commons_id: int, kind: str = "") -> list[dict]:
    """Per month (of the receivable's entry date, "YYYY-MM"): charged and collected so far."""
    queryset = Due.objects.filter(commons_id=commons_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for amount, paid, day in queryset.values_list(
        "amount_cents", "paid_cents", "entry__entry_date"
    ):
        month = months[f"{day:%Y-%m}"]
        month[0] += amount
        month[1] += paid
    return [
        {
            "month": month,
            "due_cents": due,
            "collected_cents": collected,
            "outstanding_cents": due - collected,
        }
        for month, (due, collected) in sorted(months.items())
    ]
