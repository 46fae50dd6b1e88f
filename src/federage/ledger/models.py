"""Tables of the books: book, accounts, periods, immutable entries and lines, daily balances."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from federage.ledger.domain import ACCOUNT_TYPES, CAPITAL_KINDS


class ImmutableError(Exception):
    """Raised when code tries to change a booked entry or line: corrections are new entries."""


class Book(models.Model):
    """One per commons; its row is the lock that serialises postings and the head of the chain."""

    commons = models.OneToOneField("commons.Commons", on_delete=models.PROTECT, related_name="+")
    entry_count = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(entry_count__gte=0), name="book_count_positive")
        ]


class Account(models.Model):
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="accounts")
    number = models.CharField(max_length=12)
    label = models.CharField(max_length=160)
    type = models.CharField(max_length=12)
    capital_kind = models.CharField(max_length=10)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="account_number_unique"),
            models.CheckConstraint(condition=Q(type__in=ACCOUNT_TYPES), name="account_type_known"),
            models.CheckConstraint(
                condition=Q(capital_kind__in=CAPITAL_KINDS), name="account_capital_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]{1,11}$"), name="account_number_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.label}"


class Period(models.Model):
    """A fiscal year (exercice). Closed: nothing posts into it; its opening entry is the AN."""

    OPEN, CLOSED = "open", "closed"

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="periods")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=6, default=OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The à-nouveaux entry that carried this period's balances into the next one.
    carried_forward_by = models.ForeignKey(
        "Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book", "start"], name="period_start_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_ends_after"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="period_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="period_closed_has_date",
            ),
        ]


class _Immutable(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{type(self).__name__} rows are never deleted")


class Entry(_Immutable):
    """A booked entry (écriture). Never updated nor deleted: database triggers refuse it too."""

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="entries")
    # Denormalised so the books can be sharded or partitioned by commons (DESIGN §4).
    commons_id = models.BigIntegerField()
    # Order of posting in the book: the order of the hash chain.
    sequence = models.BigIntegerField()
    journal = models.CharField(max_length=4)
    number = models.BigIntegerField()
    entry_date = models.DateField()
    validation_date = models.DateField()
    label = models.CharField(max_length=200)
    piece_ref = models.CharField(max_length=80, blank=True, default="")
    piece_date = models.DateField(null=True, blank=True)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="entries")
    total_cents = models.BigIntegerField()
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    idempotency_key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=64, blank=True, default="")
    decision_id = models.BigIntegerField(null=True, blank=True)
    charter_version_id = models.BigIntegerField(null=True, blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["book", "journal", "number"], name="entry_number_per_journal"
            ),
            models.UniqueConstraint(fields=["book", "sequence"], name="entry_sequence_unique"),
            models.UniqueConstraint(
                fields=["book", "idempotency_key"], name="entry_idempotency_key_unique"
            ),
            models.CheckConstraint(condition=Q(total_cents__gt=0), name="entry_total_positive"),
            models.CheckConstraint(condition=Q(number__gt=0), name="entry_number_positive"),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="entry_sequence_positive"),
        ]
        indexes = [
            models.Index(fields=["book", "entry_date"], name="entry_book_date"),
            models.Index(fields=["book", "period", "sequence"], name="entry_book_period_seq"),
        ]


class Line(_Immutable):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="lines")
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    # Copied from the entry: a general ledger reads lines by account and date without a join.
    entry_date = models.DateField()
    debit_cents = models.BigIntegerField(default=0)
    credit_cents = models.BigIntegerField(default=0)
    label = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="line_position_unique"),
            models.CheckConstraint(
                condition=Q(debit_cents__gte=0) & Q(credit_cents__gte=0),
                name="line_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=(Q(debit_cents__gt=0) & Q(credit_cents=0))
                | (Q(debit_cents=0) & Q(credit_cents__gt=0)),
                name="line_exactly_one_side",
            ),
        ]
        indexes = [models.Index(fields=["account", "entry_date"], name="line_account_date")]


class AccountDay(models.Model):
    """Running balances: an account's debits and credits of one day, kept in the posting's
    transaction so a balance at any date is a sum over days, not over lines.

    Opening entries (journal AN) are not counted here: they restate balances that earlier
    days already hold, and reports derive opening balances themselves (see selectors).
    """

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    debit_cents = models.BigIntegerField(default=0)
    credit_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="account_day_unique"),
            models.CheckConstraint(
                condition=Q(debit_cents__gte=0) & Q(credit_cents__gte=0),
                name="account_day_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["book", "day"], name="account_day_book_day")]


DUE_KINDS = ("levy", "transfer_tax")


class Due(models.Model):
    """A receivable an agent owes the commons (a usage levy, a transfer tax), booked on 411 by
    the entry `entry`, until payments (D 512 / C 411) settle it: nothing stays an orphan 411.

    Its status is read, never stored: paid when `paid_cents` reaches `amount_cents`, else
    overdue once `due_on` is past, else due (see receivables.due_status)."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=200)
    amount_cents = models.BigIntegerField()
    paid_cents = models.BigIntegerField(default=0)
    due_on = models.DateField()
    # What it comes from (a usage, a transfer), once: a replayed posting cannot owe twice.
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=64)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commons", "source_type", "source_id"], name="due_source_once"
            ),
            models.CheckConstraint(condition=Q(kind__in=DUE_KINDS), name="due_kind_known"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="due_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_cents__gte=0) & Q(paid_cents__lte=F("amount_cents")),
                name="due_paid_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["commons", "due_on"], name="due_commons_due_on")]


class DuePayment(models.Model):
    """A payment, full or partial, of a due: its bank entry D 512 / C 411."""

    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.BigIntegerField()
    paid_on = models.DateField()
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="due_payment_amount_positive"
            ),
        ]
