"""Tables of resources: the register, contributions that brought them, uses, depreciation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from federage.resources.domain import (
    CAPITAL_KINDS,
    KINDS,
    MAX_DEPRECIATION_YEARS,
    MAX_QUANTITY,
    QUANTITY_PLACES,
    STATUSES,
    UNITS,
)

# Up to 10^9 with three places (12 digits): inside every database's decimals.
QUANTITY = {"max_digits": 15, "decimal_places": QUANTITY_PLACES}


class Resource(models.Model):
    """What a commons holds or organises; its key names it in the charter's levy lines."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=50)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16)
    capital_kind = models.CharField(max_length=14)
    unit = models.CharField(max_length=10)
    location = models.CharField(max_length=200, blank=True, default="")
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=8, default="active")
    account_code = models.CharField(max_length=12)
    # Straight-line plan: years, from the day it entered service (None: not depreciated).
    depreciation_years = models.PositiveSmallIntegerField(null=True, blank=True)
    in_service_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commons", "key"], name="resource_key_per_commons"),
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="resource_kind_known"),
            models.CheckConstraint(
                condition=Q(capital_kind__in=CAPITAL_KINDS), name="resource_capital_kind_known"
            ),
            models.CheckConstraint(condition=Q(unit__in=UNITS), name="resource_unit_known"),
            models.CheckConstraint(condition=Q(status__in=STATUSES), name="resource_status_known"),
            models.CheckConstraint(
                condition=Q(account_code__regex=r"^[23][0-9]{2,11}$"),
                name="resource_account_class_2_or_3",
            ),
            models.CheckConstraint(
                condition=Q(depreciation_years__isnull=True)
                | Q(depreciation_years__gte=1, depreciation_years__lte=MAX_DEPRECIATION_YEARS),
                name="resource_depreciation_years_range",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(retired_at__isnull=False),
                name="resource_retired_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceContribution(models.Model):
    """An accepted in-kind or labour contribution that created or enriched a resource: the
    structural link its value is summed from (a contribution forms one resource at most)."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="links")
    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.PROTECT, related_name="+"
    )
    value_cents = models.BigIntegerField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value_cents__gt=0), name="resource_contribution_value_positive"
            ),
        ]


class Depreciation(models.Model):
    """One year's charge of a resource's plan (D 6811 / C 28xx), once per year."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="depreciations")
    year = models.PositiveSmallIntegerField()
    amount_cents = models.BigIntegerField()
    entry_id = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "year"], name="depreciation_once_a_year"),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="depreciation_amount_positive"
            ),
        ]


class RecurringUsage(models.Model):
    """A use repeated every month (a machine rented monthly): the job declares each month's."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY)
    commercial = models.BooleanField(default=False)
    sale_amount_cents = models.BigIntegerField(default=0)
    first_month = models.DateField()
    last_month = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0, quantity__lte=MAX_QUANTITY),
                name="recurring_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(sale_amount_cents__gte=0), name="recurring_sale_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(last_month__isnull=True) | Q(last_month__gte=F("first_month")),
                name="recurring_last_after_first",
            ),
        ]


class Usage(models.Model):
    """A declared use of a resource, and the levy the charter in force charged on it."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="usages")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY)
    period_start = models.DateField()
    period_end = models.DateField()
    commercial = models.BooleanField(default=False)
    sale_amount_cents = models.BigIntegerField(default=0)
    levy_cents = models.BigIntegerField(default=0)
    levy_rate_bp = models.IntegerField(default=0)
    levy_per_unit_cents = models.BigIntegerField(default=0)
    levy_line = models.CharField(max_length=8, default="default")
    levy_destination = models.CharField(max_length=8, default="result")
    # The charter version whose rates charged this levy, the entry and the due it opened.
    charter_version_id = models.BigIntegerField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)
    due_id = models.BigIntegerField(null=True, blank=True)
    recurring = models.ForeignKey(
        RecurringUsage, null=True, blank=True, on_delete=models.PROTECT, related_name="usages"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["commons", "period_start"], name="usage_commons_start"),
            models.Index(fields=["resource", "period_start"], name="usage_resource_start"),
        ]
        constraints = [
            # A recurring use is declared once per month, however often its job runs.
            models.UniqueConstraint(
                fields=["recurring", "period_start"],
                condition=Q(recurring__isnull=False),
                name="usage_recurring_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0, quantity__lte=MAX_QUANTITY),
                name="usage_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="usage_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(sale_amount_cents__gte=0) & Q(levy_cents__gte=0),
                name="usage_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(commercial=True) | Q(sale_amount_cents=0),
                name="usage_sale_only_if_commercial",
            ),
            models.CheckConstraint(
                condition=Q(levy_cents=0) | Q(entry_id__isnull=False, due_id__isnull=False),
                name="usage_levy_is_booked",
            ),
            models.CheckConstraint(
                condition=Q(levy_line__in=["resource", "default"]), name="usage_levy_line_known"
            ),
        ]
