"""Tables of federation: holdings between commons, exchanges and their legs, borrowed assets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from federage.federation.domain import (
    BORROWING_KINDS,
    BORROWING_STATES,
    COST_IMPAIRMENT,
    EXCHANGE_STATES,
    FAIR_VALUE,
    FINANCING_KEYS,
    FINANCING_KINDS,
    LEG_KINDS,
    VALUATION_METHODS,
)


class Party(models.Model):
    """One row per commons taking part in exchanges: locked, in commons id order, so that two
    exchanges touching the same books run one after the other on PostgreSQL (SQLite's
    BEGIN IMMEDIATE already serialises writers)."""

    commons_id = models.BigIntegerField(unique=True)


class Participation(models.Model):
    """Titles of a host commons held by a member commons, as its own books carry them (261)."""

    holder_commons_id = models.BigIntegerField()
    host_commons_id = models.BigIntegerField()
    cost_cents = models.BigIntegerField(default=0)
    impairment_cents = models.BigIntegerField(default=0)
    # The host's NAV of the units held at the last revaluation (a memo of fair value).
    fair_value_cents = models.BigIntegerField(default=0)
    # Above cost, under the fair-value method only: the gap carried in 261 against 1052.
    revaluation_cents = models.BigIntegerField(default=0)
    # The charter's method at the last revaluation (governance `participations.valuation`).
    method = models.CharField(max_length=16, default=COST_IMPAIRMENT)
    revalued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["holder_commons_id", "host_commons_id"], name="participation_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(holder_commons_id=models.F("host_commons_id")),
                name="participation_not_in_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_cents__gte=0)
                & models.Q(impairment_cents__gte=0)
                & models.Q(impairment_cents__lte=models.F("cost_cents")),
                name="participation_impairment_within_cost",
            ),
            models.CheckConstraint(
                condition=models.Q(revaluation_cents=0)
                | (
                    models.Q(revaluation_cents__gt=0)
                    & models.Q(impairment_cents=0)
                    & models.Q(method=FAIR_VALUE)
                ),
                name="participation_revaluation_above_cost_only",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=VALUATION_METHODS),
                name="participation_method_known",
            ),
        ]


class ParticipationDisposal(models.Model):
    """Units of a holding that left (a sale by the holder's agent, an executed redemption), once
    booked in the holder's books: one row per movement of the titles register, so that the
    sweep, however often it runs, books each one once."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="disposals"
    )
    source_type = models.CharField(max_length=10)  # "sale" (titles Transfer) or "redemption"
    source_id = models.BigIntegerField()
    units = models.DecimalField(max_digits=18, decimal_places=4)
    proceeds_cents = models.BigIntegerField()
    cost_cents = models.BigIntegerField()
    impairment_released_cents = models.BigIntegerField(default=0)
    revaluation_released_cents = models.BigIntegerField(default=0)
    entry_id = models.BigIntegerField(null=True, blank=True)
    booked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], name="participation_disposal_once"
            ),
            models.CheckConstraint(
                condition=models.Q(source_type__in=["sale", "redemption"]),
                name="participation_disposal_source_known",
            ),
            models.CheckConstraint(
                condition=models.Q(units__gt=0)
                & models.Q(proceeds_cents__gte=0)
                & models.Q(cost_cents__gte=0)
                & models.Q(impairment_released_cents__gte=0)
                & models.Q(revaluation_released_cents__gte=0),
                name="participation_disposal_amounts",
            ),
        ]


class Exchange(models.Model):
    commons_a_id = models.BigIntegerField()
    commons_b_id = models.BigIntegerField()
    terms = models.TextField()
    terms_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, default="proposed")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    proposal_a_id = models.BigIntegerField(null=True, blank=True)
    proposal_b_id = models.BigIntegerField(null=True, blank=True)
    decision_a_id = models.BigIntegerField(null=True, blank=True)
    decision_b_id = models.BigIntegerField(null=True, blank=True)
    entry_a_id = models.BigIntegerField(null=True, blank=True)
    entry_b_id = models.BigIntegerField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(commons_a_id=models.F("commons_b_id")),
                name="exchange_two_commons",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=EXCHANGE_STATES), name="exchange_state_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="executed")
                | (
                    models.Q(decision_a_id__isnull=False)
                    & models.Q(decision_b_id__isnull=False)
                    & models.Q(entry_a_id__isnull=False)
                    & models.Q(entry_b_id__isnull=False)
                ),
                name="exchange_executed_after_both_decisions",
            ),
        ]


class ExchangeLeg(models.Model):
    """What one side gives the other, with each side's own valuation in cents."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="legs")
    giver = models.CharField(max_length=1)  # "a" or "b"
    kind = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=18, decimal_places=4, default=1)
    unit = models.CharField(max_length=20, blank=True, default="")
    giver_account = models.CharField(max_length=10, blank=True, default="")
    receiver_account = models.CharField(max_length=10, blank=True, default="")
    giver_book_cents = models.BigIntegerField(default=0)
    value_a_cents = models.BigIntegerField()
    value_b_cents = models.BigIntegerField()
    # A use or service received: the day its receiver has used it by (null: at execution); the
    # receiver's entry moving it from 486 to the expense on that day, once.
    consumed_on = models.DateField(null=True, blank=True)
    consumption_entry_id = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consumed_on__isnull=True)
                | models.Q(kind__in=["use", "service"]),
                name="exchange_leg_consumed_use_only",
            ),
            models.CheckConstraint(
                condition=models.Q(giver__in=["a", "b"]), name="exchange_leg_giver_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=LEG_KINDS), name="exchange_leg_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(giver_book_cents__gte=0)
                & models.Q(value_a_cents__gt=0)
                & models.Q(value_b_cents__gt=0)
                & models.Q(quantity__gt=0),
                name="exchange_leg_amounts_positive",
            ),
        ]


class Borrowing(models.Model):
    """An asset lent by one commons to another until a date, for a fee."""

    lender_commons_id = models.BigIntegerField()
    borrower_commons_id = models.BigIntegerField()
    kind = models.CharField(max_length=9)  # fungible (1892) or specific (1875)
    label = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=18, decimal_places=4)
    unit = models.CharField(max_length=20, blank=True, default="")
    lender_account = models.CharField(max_length=10)
    borrower_account = models.CharField(max_length=10)
    lender_book_cents = models.BigIntegerField()
    borrower_value_cents = models.BigIntegerField()
    fee_cents = models.BigIntegerField(default=0)
    return_on = models.DateField()
    # What the quantity measures, so that it may count toward an objective of the borrower.
    indicator_code = models.CharField(max_length=40, blank=True, default="")
    state = models.CharField(max_length=9, default="proposed")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    entry_lender_id = models.BigIntegerField(null=True, blank=True)
    entry_borrower_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(lender_commons_id=models.F("borrower_commons_id")),
                name="borrowing_two_commons",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=BORROWING_KINDS), name="borrowing_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=BORROWING_STATES), name="borrowing_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0)
                & models.Q(lender_book_cents__gt=0)
                & models.Q(borrower_value_cents__gt=0)
                & models.Q(fee_cents__gte=0),
                name="borrowing_amounts_positive",
            ),
        ]


class Federation(models.Model):
    """A named group of commons, each member agreeing by its own join_federation decision."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=160)
    # "Comptes combinés" only under a written combination agreement meeting ANC 2020-01.
    combination_agreement = models.BooleanField(default=False)
    agreement_ref = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(combination_agreement=False) | ~models.Q(agreement_ref=""),
                name="federation_agreement_has_reference",
            ),
        ]


class FederationMember(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="members")
    commons_id = models.BigIntegerField()
    state = models.CharField(max_length=7, default="pending")  # pending, active, left
    proposal_id = models.BigIntegerField(null=True, blank=True)
    decision_id = models.BigIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "commons_id"],
                condition=models.Q(state__in=["pending", "active"]),
                name="federation_member_once",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "active", "left"]),
                name="federation_member_state_known",
            ),
        ]


class FederationFinancing(models.Model):
    """A funder's offer to a federation as one, split by `key` into one ordinary financing
    per active member (funding's Financing), each accepted or refused by that member's vote."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="financings")
    funder_agent_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=160)
    amount_cents = models.BigIntegerField()
    key = models.CharField(max_length=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="federation_financing_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(key__in=FINANCING_KEYS), name="federation_financing_key_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=FINANCING_KINDS),
                name="federation_financing_kind_known",
            ),
        ]


class FederationFinancingShare(models.Model):
    """One member's share of a group financing: the funding financing offered to it."""

    group = models.ForeignKey(FederationFinancing, on_delete=models.CASCADE, related_name="shares")
    commons_id = models.BigIntegerField()
    financing_id = models.BigIntegerField(unique=True)
    amount_cents = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "commons_id"], name="federation_financing_share_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0),
                name="federation_financing_share_positive",
            ),
        ]
