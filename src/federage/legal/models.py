"""Tables of the legal vehicle: contract versions, their acceptances, title certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

SHA256 = r"^[0-9a-f]{64}$"
REASONS = ("founded", "charter_amended", "member_joined", "member_left", "catch_up")


class ContractVersion(models.Model):
    """One version of a commons' SEP contract: never updated; a change makes the next one."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    template_version = models.CharField(max_length=40)
    reason = models.CharField(max_length=20)
    # What the text was generated from (legal.domain's facts), its French sections, the
    # canonical text those give and its hash, and the avenant (changes since the previous one).
    facts = models.JSONField()
    sections = models.JSONField()
    canonical_text = models.TextField()
    sha256 = models.CharField(max_length=64)
    changes = models.JSONField(default=list)
    # What a later change is compared with: the charter version and the partners' agent ids.
    charter_number = models.PositiveIntegerField()
    member_agent_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commons", "number"], name="contract_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="contract_version_positive"),
            models.CheckConstraint(condition=Q(sha256__regex=SHA256), name="contract_sha256_hex"),
            models.CheckConstraint(condition=Q(reason__in=REASONS), name="contract_reason_known"),
        ]


class ContractAcceptance(models.Model):
    """A partner (agent) accepted a version, through a user acting for it, bound to its hash."""

    version = models.ForeignKey(ContractVersion, on_delete=models.PROTECT, related_name="+")
    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "agent"], name="contract_accepted_once"),
            models.CheckConstraint(condition=Q(sha256__regex=SHA256), name="acceptance_sha256_hex"),
        ]


class Certificate(models.Model):
    """An attestation of a holder's titles at a date; its code is the only way to it."""

    code = models.CharField(max_length=64, unique=True)
    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateTimeField()
    # The facts printed (legal.services.certificate_facts) and the PDF, kept as issued.
    facts = models.JSONField()
    units = models.DecimalField(max_digits=18, decimal_places=4)
    value_cents = models.BigIntegerField()
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="certificate_units_positive"),
            models.CheckConstraint(
                condition=Q(pdf_sha256__regex=SHA256), name="certificate_sha256_hex"
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Za-z0-9_-]{22,64}$"), name="certificate_code_form"
            ),
        ]
