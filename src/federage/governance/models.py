"""Tables of governance: charter versions, proposals, ballots, decisions, comments, notifications."""

from django.conf import settings
from django.db import models

from federage.governance.domain import CHOICES, KINDS, STATUSES


class CharterVersion(models.Model):
    """One version of a commons' rules; never edited, a new version supersedes it."""

    commons = models.ForeignKey(
        "commons.Commons", on_delete=models.PROTECT, related_name="charter_versions"
    )
    number = models.PositiveIntegerField()
    # Flat {parameter name: value}, validated by governance.domain.validate_parameters.
    parameters = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # The decision that adopted it; only the first version, set at creation, has none.
    decision = models.OneToOneField(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charter_version_adopted",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commons", "number"], name="charter_version_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="charter_version_gte_1"),
            models.CheckConstraint(
                condition=models.Q(number=1) | models.Q(decision__isnull=False),
                name="charter_amended_by_decision",
            ),
        ]


class Proposal(models.Model):
    commons = models.ForeignKey(
        "commons.Commons", on_delete=models.PROTECT, related_name="proposals"
    )
    kind = models.CharField(max_length=24)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    # What the proposal is about in another app (e.g. "contribution", 42), for its handlers.
    subject_type = models.CharField(max_length=40, blank=True, default="")
    subject_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    # Agents who may not vote: the author's agents and co-authors of the subject.
    excluded_agent_ids = models.JSONField(default=list)
    # The rules in force when it opened: a later amendment does not change a running vote.
    charter_version = models.ForeignKey(
        CharterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["commons", "status"], name="proposal_commons_status"),
            models.Index(fields=["status", "closes_at"], name="proposal_due"),
            models.Index(fields=["subject_type", "subject_id"], name="proposal_subject"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=KINDS), name="proposal_kind_known"),
            models.CheckConstraint(
                condition=models.Q(status__in=STATUSES), name="proposal_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (
                    models.Q(opened_at__isnull=False, closes_at__isnull=False)
                    & models.Q(closes_at__gt=models.F("opened_at"))
                )
                | models.Q(status="withdrawn", opened_at__isnull=True),
                name="proposal_opened_has_deadline",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open"])
                | models.Q(closed_at__isnull=False),
                name="proposal_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class ProposalVoter(models.Model):
    """The electorate, fixed when the proposal opens: who may vote and with what weight."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="voters")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "agent"], name="proposal_voter_once"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="proposal_voter_weight"),
        ]


class Ballot(models.Model):
    """Append-only: a new ballot of the same voter supersedes the previous one, which stays."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="ballots")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8)
    comment = models.TextField(blank=True, default="")
    cast_at = models.DateTimeField()
    is_effective = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice__in=CHOICES), name="ballot_choice_known"
            ),
            models.UniqueConstraint(
                fields=["proposal", "agent"],
                condition=models.Q(is_effective=True),
                name="ballot_one_effective_per_voter",
            ),
        ]


class DecisionLog(models.Model):
    """The head of a commons' decision chain: a row to lock when appending, and a tail check."""

    commons = models.OneToOneField(
        "commons.Commons", on_delete=models.PROTECT, related_name="decision_log"
    )
    length = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64)


class Decision(models.Model):
    """An entry of the append-only, hash-chained decision log of a commons."""

    commons = models.ForeignKey(
        "commons.Commons", on_delete=models.PROTECT, related_name="decisions"
    )
    sequence = models.PositiveIntegerField()
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10)
    # The charter version in force when the proposal opened.
    charter_version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField()
    # Everything hashed, as hashed: proposal, tally, ballots digest, what it authorised.
    content = models.JSONField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commons", "sequence"], name="decision_sequence_once"),
            models.UniqueConstraint(fields=["commons", "previous_hash"], name="decision_no_fork"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="decision_seq_gte_1"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["passed", "rejected", "expired"]),
                name="decision_outcome_known",
            ),
        ]


class Comment(models.Model):
    """A threaded comment on anything of a commons: a proposal, later a contribution."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="comment_subject")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="comment_not_own_parent"
            )
        ]


# The effect of a decision whose outcome handler was refused: it waits, visibly, to be re-run.
EFFECT_PENDING, EFFECT_APPLIED = "pending", "applied"
EFFECT_STATUSES = (EFFECT_PENDING, EFFECT_APPLIED)


class DecisionEffect(models.Model):
    """What a decision still has to do when its outcome handler was refused at closing.

    The decision row is hash-chained and never changes after its transaction: its content says
    the effect was pending, with the reason; what happens later (each retry, the application)
    is recorded here. Only decisions whose effect was refused have one.
    """

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="effect")
    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    proposal_kind = models.CharField(max_length=24)
    status = models.CharField(max_length=10)
    # The error code (core.errors) of the last refusal: the reason shown, in French or English.
    reason = models.CharField(max_length=60, blank=True, default="")
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)
    # What the handler authorised once it ran: the dict a decision normally hashes.
    result = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "commons"], name="decision_effect_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EFFECT_STATUSES), name="decision_effect_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status=EFFECT_PENDING, applied_at__isnull=True)
                | models.Q(status=EFFECT_APPLIED, applied_at__isnull=False),
                name="decision_effect_applied_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(attempts__gte=1), name="decision_effect_attempted"
            ),
        ]


NOTIFICATION_KINDS = (
    "proposal_opened",
    "vote_needed",
    "decision_reached",
    "comment_added",
    "effect_pending",
    # Sent by the apps above through `services.notify_agents`.
    "counter_offered",
    "transfer_proposed",
    "transfer_accepted",
    "transfer_refused",
    "transfer_cancelled",
)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    commons = models.ForeignKey(
        "commons.Commons", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "read_at", "id"], name="notification_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NOTIFICATION_KINDS), name="notification_kind_known"
            )
        ]


class NotificationPreference(models.Model):
    """Whether a user also wants notifications by email (off unless they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField()
