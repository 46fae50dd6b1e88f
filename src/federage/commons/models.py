"""Commons, their members and roles, and invitations."""

from django.conf import settings
from django.db import models

from federage.commons.domain import ROLES, VISIBILITIES


class Commons(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=160)
    purpose = models.TextField(blank=True, default="")
    category = models.CharField(max_length=80, blank=True, default="")
    location = models.CharField(max_length=160, blank=True, default="")
    visibility = models.CharField(max_length=8, default="draft")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The commons as an agent: it can be a member of another commons and hold its titles.
    agent = models.OneToOneField("agents.Agent", on_delete=models.PROTECT, related_name="commons")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "commons"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=VISIBILITIES), name="commons_visibility_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="commons_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(slug__regex=r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$"),
                name="commons_slug_format",
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class Membership(models.Model):
    commons = models.ForeignKey(Commons, on_delete=models.PROTECT, related_name="memberships")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="memberships")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commons", "agent"],
                condition=models.Q(left_at__isnull=True),
                name="membership_one_active_per_agent",
            ),
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True)
                | models.Q(left_at__gte=models.F("joined_at")),
                name="membership_leaves_after_joining",
            ),
        ]


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="membership_role_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=ROLES), name="membership_role_known"
            ),
        ]


class Invitation(models.Model):
    """An invitation by email; only the SHA-256 of its link's secret is stored."""

    PENDING, ACCEPTED, REVOKED = "pending", "accepted", "revoked"

    commons = models.ForeignKey(Commons, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    roles = models.JSONField()
    # False: only the account whose verified address is `email` may accept. True: the steward
    # chose to let anyone holding the link join (`email` may then be blank).
    anyone_with_link = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=8, default=PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "revoked"]),
                name="invitation_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(membership__isnull=False),
                name="invitation_accepted_has_membership",
            ),
        ]
