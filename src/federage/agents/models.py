"""Persons and organisations, and the users who may act for them."""

from django.conf import settings
from django.db import models

from federage.agents.domain import AGENT_KINDS


class Agent(models.Model):
    kind = models.CharField(max_length=20, choices=[(kind, kind) for kind in AGENT_KINDS])
    display_name = models.CharField(max_length=160)
    description = models.TextField(blank=True, default="")
    website = models.URLField(blank=True, default="")
    siren = models.CharField(max_length=9, blank=True, default="")
    siret = models.CharField(max_length=14, blank=True, default="")
    # Natural persons appear in public data only when they opted in.
    public_name_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AGENT_KINDS), name="agent_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(siren="") | models.Q(siren__regex=r"^[0-9]{9}$"),
                name="agent_siren_nine_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(siret="") | models.Q(siret__regex=r"^[0-9]{14}$"),
                name="agent_siret_fourteen_digits",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="person") | (models.Q(siren="") & models.Q(siret="")),
                name="agent_person_has_no_siren",
            ),
            models.UniqueConstraint(
                fields=["siren"], condition=~models.Q(siren=""), name="agent_siren_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class Representation(models.Model):
    """A user may act for this agent (a person acts for themself, an officer for their company)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="representations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    is_self = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "user"], name="representation_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_self=True), name="one_self_agent_per_user"
            ),
        ]
