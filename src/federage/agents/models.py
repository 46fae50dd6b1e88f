"""Persons and organisations, and the users who may act for them."""

from django.conf import settings
from django.db import models

from federage.agents.domain import AGENT_KINDS, DIRECTORY_STATES


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
    # Organisation details, pre-filled from the public company directory or typed by hand.
    legal_form = models.CharField(max_length=4, blank=True, default="")  # INSEE category
    address = models.CharField(max_length=300, blank=True, default="")
    postcode = models.CharField(max_length=5, blank=True, default="")
    commune_code = models.CharField(max_length=5, blank=True, default="")  # INSEE, not a postcode
    town = models.CharField(max_length=100, blank=True, default="")
    activity_code = models.CharField(max_length=6, blank=True, default="")  # NAF, "53.10Z"
    # What the directory said when last looked up: '' (never), active, or closed (and since when).
    directory_state = models.CharField(max_length=6, blank=True, default="")
    closed_on = models.DateField(null=True, blank=True)
    looked_up_at = models.DateTimeField(null=True, blank=True)

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
            models.CheckConstraint(
                condition=models.Q(directory_state="")
                | models.Q(directory_state__in=DIRECTORY_STATES),
                name="agent_directory_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(directory_state="closed"),
                name="agent_closed_on_only_when_closed",
            ),
            models.CheckConstraint(
                condition=models.Q(legal_form="") | models.Q(legal_form__regex=r"^[0-9]{4}$"),
                name="agent_legal_form_four_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(postcode="") | models.Q(postcode__regex=r"^[0-9]{5}$"),
                name="agent_postcode_five_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(commune_code="")
                | models.Q(commune_code__regex=r"^[0-9]([0-9]|A|B)[0-9]{3}$"),
                name="agent_commune_code_insee",
            ),
            models.CheckConstraint(
                condition=models.Q(activity_code="")
                | models.Q(activity_code__regex=r"^[0-9]{2}\.[0-9]{2}[A-Z]$"),
                name="agent_activity_code_naf",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="person")
                | (models.Q(directory_state="") & models.Q(legal_form="")),
                name="agent_person_not_in_directory",
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
