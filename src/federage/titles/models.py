"""Tables of titles: classes, holdings (never negative), movements and the NAV history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from federage.titles.domain import UNIT_SCALE

# Up to 10^14 units with 4 places: far beyond any commons, inside every database's decimals.
UNITS = {"max_digits": 18, "decimal_places": UNIT_SCALE}


class TitleClass(models.Model):
    """A category of titles of a commons (one per commons by default: "Parts du commun")."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    scale = models.PositiveSmallIntegerField(default=UNIT_SCALE)
    # Units issued minus redeemed, kept in step with holdings in every movement's transaction.
    outstanding = models.DecimalField(default=0, **UNITS)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commons", "name"], name="title_class_name_unique"),
            models.CheckConstraint(condition=Q(outstanding__gte=0), name="title_class_outstanding"),
            models.CheckConstraint(condition=Q(scale=UNIT_SCALE), name="title_class_scale"),
        ]

    def __str__(self) -> str:
        return self.name


class Holding(models.Model):
    """What one agent holds of one class; the CHECKs are the last line against overdrawing.

    `reserved_units` are the units under a redemption request not yet executed or withdrawn:
    they stay held (and vote) but cannot be offered, transferred or redeemed again. Always the
    sum of the holder's requested redemptions (`titles_verify` checks it).
    """

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    title_class = models.ForeignKey(TitleClass, on_delete=models.PROTECT, related_name="holdings")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    units = models.DecimalField(default=0, **UNITS)
    reserved_units = models.DecimalField(default=0, **UNITS)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "title_class"], name="holding_once"),
            models.CheckConstraint(condition=Q(units__gte=0), name="holding_units_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved_units__gte=0), name="holding_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved_units__lte=models.F("units")),
                name="holding_reserved_within_units",
            ),
        ]


class Issuance(models.Model):
    """Units created for a contributor, at the NAV just before the contribution was booked."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    title_class = models.ForeignKey(TitleClass, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    units = models.DecimalField(**UNITS)
    price_cents = models.BigIntegerField()
    # The NAV used, as its exact ratio and its rounded display value.
    nav_net_assets_cents = models.BigIntegerField()
    nav_outstanding = models.DecimalField(**UNITS)
    unit_value_cents = models.DecimalField(max_digits=24, decimal_places=6)
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=64)
    decision_id = models.BigIntegerField(null=True, blank=True)
    charter_version_id = models.BigIntegerField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="issuance_units_positive"),
            models.CheckConstraint(condition=Q(price_cents__gt=0), name="issuance_price_positive"),
            # One issuance per source: a replayed acceptance cannot issue twice.
            models.UniqueConstraint(
                fields=["commons", "source_type", "source_id"], name="issuance_source_once"
            ),
        ]


TRANSFER_STATES = ("proposed", "accepted", "refused", "cancelled")
# "cancelled": withdrawn by the member (or a steward) before execution; its units are released.
REDEMPTION_STATES = ("requested", "executed", "cancelled")


class Transfer(models.Model):
    PROPOSED, ACCEPTED, REFUSED, CANCELLED = TRANSFER_STATES

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    title_class = models.ForeignKey(TitleClass, on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    units = models.DecimalField(**UNITS)
    unit_price_cents = models.BigIntegerField()
    price_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField(default=0)
    tax_rate_bp = models.IntegerField(default=0)
    # NAV at acceptance, beside the agreed price: the class's price history.
    unit_value_cents = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    state = models.CharField(max_length=10, default=PROPOSED)
    entry_id = models.BigIntegerField(null=True, blank=True)
    charter_version_id = models.BigIntegerField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="transfer_units_positive"),
            models.CheckConstraint(
                condition=Q(unit_price_cents__gt=0), name="transfer_price_positive"
            ),
            models.CheckConstraint(condition=Q(tax_cents__gte=0), name="transfer_tax_not_neg"),
            models.CheckConstraint(condition=~Q(seller=models.F("buyer")), name="transfer_two"),
            models.CheckConstraint(
                condition=Q(state__in=TRANSFER_STATES), name="transfer_state_known"
            ),
        ]


class Redemption(models.Model):
    """Titles bought back by the commons when a member leaves, per the charter's exit rules."""

    REQUESTED, EXECUTED, CANCELLED = REDEMPTION_STATES

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    title_class = models.ForeignKey(TitleClass, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    units = models.DecimalField(**UNITS)
    haircut_bp = models.IntegerField(default=0)
    value_cents = models.BigIntegerField(null=True, blank=True)
    unit_value_cents = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    state = models.CharField(max_length=10, default=REQUESTED)
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    executed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)
    charter_version_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="redemption_units_positive"),
            models.CheckConstraint(
                condition=Q(state__in=REDEMPTION_STATES), name="redemption_state_known"
            ),
        ]


class NavPoint(models.Model):
    """The unit value after a movement: the NAV history and the cap table's time axis."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    title_class = models.ForeignKey(TitleClass, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    net_assets_cents = models.BigIntegerField()
    outstanding = models.DecimalField(**UNITS)
    unit_value_cents = models.DecimalField(max_digits=24, decimal_places=6)
    # issuance | transfer | redemption | revaluation; `books` marks the unstored point of today
    cause = models.CharField(max_length=20)
    cause_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["title_class", "at", "id"], name="nav_point_class_at")]
