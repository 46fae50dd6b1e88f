"""Redemption requests reserve their units (issue 14, item 5): `Holding.reserved_units` with
CHECK 0 <= reserved <= units, and `Redemption.withdrawn_at`.

Existing requested redemptions reserve their units, oldest first. A request that no longer
fits (the holder transferred the units away while it waited, which the old code allowed) could
never execute: it is withdrawn, with `withdrawn_at` set, so the CHECK holds from the start.
"""

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def reserve_requested(apps, schema_editor):
    Holding = apps.get_model("titles", "Holding")
    Redemption = apps.get_model("titles", "Redemption")
    now = timezone.now()
    requested = Redemption.objects.filter(state="requested").order_by("requested_at", "id")
    for redemption in requested:
        reserved = Holding.objects.filter(
            title_class_id=redemption.title_class_id,
            agent_id=redemption.agent_id,
            units__gte=F("reserved_units") + redemption.units,
        ).update(reserved_units=F("reserved_units") + redemption.units)
        if not reserved:
            Redemption.objects.filter(pk=redemption.pk).update(state="cancelled", withdrawn_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("titles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="holding",
            name="reserved_units",
            field=models.DecimalField(decimal_places=4, default=0, max_digits=18),
        ),
        migrations.AddField(
            model_name="redemption",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(reserve_requested, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="holding",
            constraint=models.CheckConstraint(
                condition=models.Q(("reserved_units__gte", 0)),
                name="holding_reserved_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="holding",
            constraint=models.CheckConstraint(
                condition=models.Q(("reserved_units__lte", models.F("units"))),
                name="holding_reserved_within_units",
            ),
        ),
    ]
