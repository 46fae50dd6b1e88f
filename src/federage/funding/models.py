"""Tables of funding: financings, their earmarks and tranches, loan terms and instalments, tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from federage.core.money import MAX_CENTS
from federage.funding.domain import (
    DECIDED_STATUSES,
    INSTALMENT_KINDS,
    INSTALMENT_STATUSES,
    KINDS,
    MAX_PERIODS,
    MAX_RATE_BP,
    METHODS,
    PERIOD_MONTHS,
    STATUSES,
    TRANCHE_STATUSES,
    YEAR_END_KINDS,
)


class Financing(models.Model):
    """A funder's offer to a commons (grant, loan, equity), accepted only by a decision."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    funder = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=160)
    conditions = models.TextField(blank=True, default="")
    amount_cents = models.BigIntegerField()
    # Σ tranches, written with them: the CHECK below holds it equal to the amount.
    tranches_cents = models.BigIntegerField()
    disbursed_cents = models.BigIntegerField(default=0)
    repaid_cents = models.BigIntegerField(default=0)
    interest_paid_cents = models.BigIntegerField(default=0)
    tagged_cents = models.BigIntegerField(default=0)
    reprised_cents = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, default="offered")
    # The accept_financing vote and its decision (ids in governance's log).
    proposal_id = models.BigIntegerField(null=True, blank=True)
    decision_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="financing_kind_known"),
            models.CheckConstraint(condition=Q(status__in=STATUSES), name="financing_status_known"),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0) & Q(amount_cents__lte=MAX_CENTS),
                name="financing_amount_bounded",
            ),
            models.CheckConstraint(
                condition=Q(tranches_cents=F("amount_cents")), name="financing_tranches_sum"
            ),
            models.CheckConstraint(
                condition=Q(disbursed_cents__gte=0) & Q(disbursed_cents__lte=F("amount_cents")),
                name="financing_disbursed_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(repaid_cents__gte=0) & Q(repaid_cents__lte=F("disbursed_cents")),
                name="financing_repaid_within_disbursed",
            ),
            models.CheckConstraint(
                condition=Q(tagged_cents__gte=0) & Q(tagged_cents__lte=F("amount_cents")),
                name="financing_tagged_within_earmark",
            ),
            models.CheckConstraint(
                condition=Q(reprised_cents__gte=0) & Q(reprised_cents__lte=F("disbursed_cents")),
                name="financing_reprise_within_disbursed",
            ),
            models.CheckConstraint(
                condition=Q(interest_paid_cents__gte=0), name="financing_interest_positive"
            ),
            # Accepted only by a decision: no decision, no acceptance.
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_STATUSES) | Q(decision_id__isnull=False),
                name="financing_accepted_by_decision",
            ),
        ]
        indexes = [models.Index(fields=["commons", "status"]), models.Index(fields=["funder"])]


class Earmark(models.Model):
    """What a financing pays for: a resource or an objective of the same commons."""

    financing = models.ForeignKey(Financing, on_delete=models.CASCADE, related_name="earmarks")
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    objective = models.ForeignKey(
        "impact.Objective", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=True, objective__isnull=False)
                | Q(resource__isnull=False, objective__isnull=True),
                name="earmark_one_target",
            ),
            models.UniqueConstraint(fields=["financing", "resource"], name="earmark_resource_once"),
            models.UniqueConstraint(
                fields=["financing", "objective"], name="earmark_objective_once"
            ),
        ]


class Tranche(models.Model):
    """A part of the financing, released when its milestone (a verified total) is reached."""

    financing = models.ForeignKey(Financing, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField()
    amount_cents = models.BigIntegerField()
    objective = models.ForeignKey(
        "impact.Objective", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    threshold = models.DecimalField(max_digits=21, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=10, default="pending")
    released_at = models.DateTimeField(null=True, blank=True)
    disbursed_entry_id = models.BigIntegerField(null=True, blank=True)
    disbursed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["financing", "number"], name="tranche_number_once"),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0) & Q(amount_cents__lte=MAX_CENTS),
                name="tranche_amount_bounded",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TRANCHE_STATUSES), name="tranche_status_known"
            ),
            models.CheckConstraint(
                condition=Q(objective__isnull=True, threshold__isnull=True)
                | Q(objective__isnull=False, threshold__isnull=False),
                name="tranche_milestone_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status="disbursed") | Q(disbursed_entry_id__isnull=False),
                name="tranche_disbursed_has_entry",
            ),
        ]


class LoanTerms(models.Model):
    """A loan's terms; its schedule is the Instalment rows, Σ principal = principal (CHECK)."""

    financing = models.OneToOneField(Financing, on_delete=models.CASCADE, related_name="loan")
    principal_cents = models.BigIntegerField()
    # Σ principal of the instalments not cancelled, written with them.
    scheduled_principal_cents = models.BigIntegerField()
    rate_bp = models.PositiveIntegerField()
    periods = models.PositiveSmallIntegerField()
    period_months = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=24)
    grace_periods = models.PositiveSmallIntegerField(default=0)
    first_due = models.DateField()
    account_number = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_cents__gt=0) & Q(principal_cents__lte=MAX_CENTS),
                name="loan_principal_bounded",
            ),
            models.CheckConstraint(
                condition=Q(scheduled_principal_cents=F("principal_cents")),
                name="loan_schedule_sums_to_principal",
            ),
            models.CheckConstraint(condition=Q(rate_bp__lte=MAX_RATE_BP), name="loan_rate_bounded"),
            models.CheckConstraint(
                condition=Q(periods__gte=1) & Q(periods__lte=MAX_PERIODS),
                name="loan_periods_bounded",
            ),
            models.CheckConstraint(
                condition=Q(period_months__in=PERIOD_MONTHS), name="loan_period_months_known"
            ),
            models.CheckConstraint(condition=Q(method__in=METHODS), name="loan_method_known"),
            models.CheckConstraint(
                condition=Q(grace_periods__lt=F("periods")), name="loan_grace_within_periods"
            ),
        ]


class Instalment(models.Model):
    """One row of a loan's schedule; an early repayment cancels the rows left and writes new ones."""

    loan = models.ForeignKey(LoanTerms, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, default="regular")
    due_date = models.DateField()
    principal_cents = models.BigIntegerField()
    interest_cents = models.BigIntegerField()
    status = models.CharField(max_length=10, default="scheduled")
    paid_entry_id = models.BigIntegerField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_cents__gte=0) & Q(interest_cents__gte=0),
                name="instalment_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=INSTALMENT_STATUSES), name="instalment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=INSTALMENT_KINDS), name="instalment_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_entry_id__isnull=False),
                name="instalment_paid_has_entry",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]


class Reprise(models.Model):
    """One year's reprise of an investment grant (D 139 / C 747), once per year."""

    financing = models.ForeignKey(Financing, on_delete=models.PROTECT, related_name="reprises")
    year = models.PositiveSmallIntegerField()
    amount_cents = models.BigIntegerField()
    entry_id = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["financing", "year"], name="reprise_once_a_year"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="reprise_amount_positive"),
        ]


class EarmarkTag(models.Model):
    """The analytic tag: part of a ledger line (an expense of the commons) paid by a financing."""

    financing = models.ForeignKey(Financing, on_delete=models.PROTECT, related_name="tags")
    # A ledger line id (the ledger app owns the line; entries are immutable, so it stays).
    line_id = models.BigIntegerField()
    entry_id = models.BigIntegerField()
    amount_cents = models.BigIntegerField()
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["financing", "line_id"], name="earmark_tag_line_once"),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0) & Q(amount_cents__lte=MAX_CENTS),
                name="earmark_tag_amount_bounded",
            ),
        ]


# --- Year end --------------------------------------------------------------------------------


class YearEndPosting(models.Model):
    """One year-end booking of a financing, once per (financing, year, kind): accrued interest
    (1688) and its 1 January reversal, fonds dédiés carried (6894/194) and released (194/789).
    A "dedicated" row is written even at 0: it marks the year as done."""

    financing = models.ForeignKey(Financing, on_delete=models.PROTECT, related_name="year_ends")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    amount_cents = models.BigIntegerField()
    entry_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["financing", "year", "kind"], name="year_end_posting_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=YEAR_END_KINDS), name="year_end_posting_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gte=0) & Q(amount_cents__lte=MAX_CENTS),
                name="year_end_posting_amount_bounded",
            ),
            # An amount is always booked; only a zero marker goes without an entry.
            models.CheckConstraint(
                condition=Q(amount_cents=0) | Q(entry_id__isnull=False),
                name="year_end_posting_booked",
            ),
        ]
