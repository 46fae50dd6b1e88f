"""Tables of contributions: needs, contributions, co-authors, evidence files and revisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from federage.contributions.domain import KINDS, STATES


class Need(models.Model):
    """An "apport recherché": what a commons looks for, with a target amount."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    target_cents = models.BigIntegerField()
    wanted_by = models.DateField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(target_cents__gt=0), name="need_target_positive"),
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="need_kind_known"),
        ]


class Contribution(models.Model):
    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    # The agent who brings it and receives the titles; the user who acts for it.
    contributor = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    quantity = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True, default="")
    unit_price_cents = models.BigIntegerField(null=True, blank=True)
    proposed_price_cents = models.BigIntegerField()
    price_explanation = models.TextField(blank=True, default="")
    delivery_date = models.DateField(null=True, blank=True)
    # Debit account of an in-kind or labour contribution (e.g. 205 software, 211 land).
    resource_account = models.CharField(max_length=12, blank=True, default="")
    resource_label = models.CharField(max_length=200, blank=True, default="")
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    state = models.CharField(max_length=10, default="draft")
    # The approver's counter-offer while countered.
    counter_price_cents = models.BigIntegerField(null=True, blank=True)
    countered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Links across apps (ids: this app does not hold other apps' rows).
    proposal_id = models.BigIntegerField(null=True, blank=True)
    decision_id = models.BigIntegerField(null=True, blank=True)
    charter_version_id = models.BigIntegerField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)
    payment_entry_id = models.BigIntegerField(null=True, blank=True)
    issuance_id = models.BigIntegerField(null=True, blank=True)
    accepted_price_cents = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["commons", "state"], name="contribution_commons_state"),
            models.Index(fields=["contributor", "state"], name="contribution_agent_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="contribution_kind_known"),
            models.CheckConstraint(condition=Q(state__in=STATES), name="contribution_state_known"),
            models.CheckConstraint(
                condition=Q(proposed_price_cents__gt=0), name="contribution_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(counter_price_cents__isnull=True) | Q(counter_price_cents__gt=0),
                name="contribution_counter_positive",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "called", "paid"])
                | Q(entry_id__isnull=False, issuance_id__isnull=False, decision_id__isnull=False),
                name="contribution_accepted_is_linked",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CoAuthor(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="co_authors"
    )
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "agent"], name="co_author_once")
        ]


class Evidence(models.Model):
    """A file (quote, invoice, timesheet, photo) stored by its SHA-256 under VAR_DIR/evidence."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="evidence"
    )
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "sha256"], name="evidence_once"),
            models.CheckConstraint(
                condition=Q(size__lte=10 * 1024 * 1024), name="evidence_size_limit"
            ),
        ]


class Revision(models.Model):
    """One step of a contribution's history: what changed, who, when, and why (mandatory)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    state_before = models.CharField(max_length=10)
    state_after = models.CharField(max_length=10)
    changes = models.JSONField(default=dict)
    comment = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "number"], name="revision_once"),
            models.CheckConstraint(condition=~Q(comment=""), name="revision_has_comment"),
        ]
