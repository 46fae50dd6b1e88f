"""Tables of impact: taxonomy, locations, indicators, objectives, measurements and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from federage.impact.domain import (
    BEGES_CATEGORIES,
    DIRECTIONS,
    MEASUREMENT_STATUSES,
    OBJECTIVE_STATUSES,
    ORIGINS,
    UNITS,
    VALUE_PLACES,
)

VALUE = {"max_digits": 15 + VALUE_PLACES, "decimal_places": VALUE_PLACES}


class Term(models.Model):
    """A term of the controlled vocabulary (themes and their sub-terms), with a stable code."""

    # Reference rows a migration seeds: a new instance holds them (core.backup.restore).
    seeded_by_migrations = True

    code = models.CharField(max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    label_fr = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)
    origin = models.CharField(max_length=8, default="federage")
    # The vocabulary's version that added it, and the one that retired it (never deleted:
    # classifications and published data keep pointing at it).
    added_in = models.PositiveIntegerField(default=1)
    retired_in = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(origin__in=ORIGINS), name="term_origin_known"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z0-9_.-]+$"), name="term_code_form"
            ),
            models.CheckConstraint(
                condition=Q(retired_in__isnull=True) | Q(retired_in__gt=models.F("added_in")),
                name="term_retired_after_added",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CommonsTerm(models.Model):
    commons = models.ForeignKey("commons.Commons", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commons", "term"], name="commons_term_once"),
        ]


class ResourceTerm(models.Model):
    resource = models.ForeignKey("resources.Resource", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "term"], name="resource_term_once"),
        ]


class Location(models.Model):
    """Where a commons acts: an official commune code (COG) with its département and région
    copied at the time it was set, so a search at every scale is one indexed filter."""

    commons = models.OneToOneField("commons.Commons", on_delete=models.CASCADE, related_name="+")
    commune_code = models.CharField(max_length=5)
    departement_code = models.CharField(max_length=3)
    region_code = models.CharField(max_length=2)
    cog_year = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["commune_code"]),
            models.Index(fields=["departement_code"]),
            models.Index(fields=["region_code"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(commune_code__regex=r"^([0-9]{2}|2A|2B)[0-9]{3}$"),
                name="location_commune_code_form",
            ),
            models.CheckConstraint(
                condition=Q(departement_code__regex=r"^([0-9]{2}|2A|2B|9[78][0-9])$"),
                name="location_departement_code_form",
            ),
            models.CheckConstraint(
                condition=Q(region_code__regex=r"^[0-9]{2}$"), name="location_region_code_form"
            ),
        ]


class Indicator(models.Model):
    """An entry of the indicator catalogue: stable code, unit, direction, external references."""

    # Reference rows a migration seeds: a new instance holds them (core.backup.restore).
    seeded_by_migrations = True

    code = models.CharField(max_length=60, unique=True)
    label_fr = models.CharField(max_length=160)
    label_en = models.CharField(max_length=160)
    unit = models.CharField(max_length=10)
    direction = models.CharField(max_length=8)
    # {"iris": "OI4862", "eu": "CCM", "sdg": "13.2"}: references, never our own key.
    references = models.JSONField(default=dict, blank=True)
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(max_length=8, default="federage")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(unit__in=UNITS), name="indicator_unit_known"),
            models.CheckConstraint(
                condition=Q(direction__in=DIRECTIONS), name="indicator_direction_known"
            ),
            models.CheckConstraint(condition=Q(origin__in=ORIGINS), name="indicator_origin_known"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z0-9_.-]+$"), name="indicator_code_form"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Objective(models.Model):
    """What a commons commits to reach on one indicator, adopted or changed by a decision."""

    commons = models.ForeignKey("commons.Commons", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=160)
    baseline = models.DecimalField(**VALUE)
    target = models.DecimalField(**VALUE)
    starts_on = models.DateField()
    target_date = models.DateField()
    method = models.TextField(blank=True, default="")
    method_reference = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=8, default="proposed")
    # The decision that adopted it, or changed it last (ids in governance's log).
    proposal_id = models.BigIntegerField(null=True, blank=True)
    decision_id = models.BigIntegerField(null=True, blank=True)
    resources = models.ManyToManyField("resources.Resource", blank=True, related_name="+")
    terms = models.ManyToManyField(Term, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OBJECTIVE_STATUSES), name="objective_status_known"
            ),
            models.CheckConstraint(
                condition=Q(target_date__gt=models.F("starts_on")),
                name="objective_target_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(decision_id__isnull=False),
                name="objective_adopted_by_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Measurement(models.Model):
    """A value of an objective's indicator over a period, declared then verified or disputed."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="measurements")
    value = models.DecimalField(**VALUE)
    # Copied from the indicator when declared; must equal it (checked in services and domain).
    unit = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    method = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, default="declared")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, default="")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MEASUREMENT_STATUSES), name="measurement_status_known"
            ),
            models.CheckConstraint(condition=Q(unit__in=UNITS), name="measurement_unit_known"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="measurement_period_ordered",
            ),
            # The verifier is never the declarer (Verra, Label bas-carbone).
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("declared_by")),
                name="measurement_reviewer_not_declarer",
            ),
            models.CheckConstraint(
                condition=Q(status="declared")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False)
                | Q(status="superseded"),
                name="measurement_reviewed_has_reviewer",
            ),
        ]


class MeasurementEvidence(models.Model):
    """A file backing a measurement, stored by its SHA-256 under VAR_DIR/evidence."""

    measurement = models.ForeignKey(Measurement, on_delete=models.PROTECT, related_name="evidence")
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
            models.UniqueConstraint(
                fields=["measurement", "sha256"], name="measurement_evidence_once"
            ),
            models.CheckConstraint(
                condition=Q(size__lte=10 * 1024 * 1024), name="measurement_evidence_size_limit"
            ),
        ]


class EmissionFactor(models.Model):
    """An emission factor (e.g. from ADEME Base Empreinte) entered with its source and unit."""

    # Reference rows a migration seeds: a new instance holds them (core.backup.restore).
    seeded_by_migrations = True

    code = models.CharField(max_length=60, unique=True)
    label_fr = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    # kgCO2e per activity unit: "kgCO2e/kWh", "kgCO2e/km", "kgCO2e/€"…
    activity_unit = models.CharField(max_length=20)
    kg_co2e_per_unit = models.DecimalField(max_digits=18, decimal_places=6)
    uncertainty_pct = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200)
    source_version = models.CharField(max_length=40, blank=True, default="")
    archived = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kg_co2e_per_unit__gte=0), name="emission_factor_not_negative"
            ),
        ]


class EmissionLine(models.Model):
    """One line of a carbon footprint: activity × factor in a BEGES category; the factor's
    value is copied so a later change of the factor never rewrites a past footprint."""

    measurement = models.ForeignKey(Measurement, on_delete=models.PROTECT, related_name="lines")
    category = models.CharField(max_length=1)
    activity = models.DecimalField(**VALUE)
    factor = models.ForeignKey(EmissionFactor, on_delete=models.PROTECT, related_name="+")
    factor_value = models.DecimalField(max_digits=18, decimal_places=6)
    emission_kg = models.DecimalField(**VALUE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=BEGES_CATEGORIES), name="emission_line_category_known"
            ),
            models.CheckConstraint(condition=Q(activity__gte=0), name="emission_activity_positive"),
        ]
