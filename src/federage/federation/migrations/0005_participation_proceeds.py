"""Units of a holding that left, booked once each at their proceeds and average cost."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0004_federation_financing"),
    ]

    operations = [
        migrations.CreateModel(
            name="ParticipationDisposal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_type", models.CharField(max_length=10)),
                ("source_id", models.BigIntegerField()),
                ("units", models.DecimalField(decimal_places=4, max_digits=18)),
                ("proceeds_cents", models.BigIntegerField()),
                ("cost_cents", models.BigIntegerField()),
                ("impairment_released_cents", models.BigIntegerField(default=0)),
                ("revaluation_released_cents", models.BigIntegerField(default=0)),
                ("entry_id", models.BigIntegerField(blank=True, null=True)),
                ("booked_at", models.DateTimeField()),
                (
                    "participation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposals",
                        to="federation.participation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source_type", "source_id"), name="participation_disposal_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("source_type__in", ["sale", "redemption"])),
                        name="participation_disposal_source_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("units__gt", 0),
                            ("proceeds_cents__gte", 0),
                            ("cost_cents__gte", 0),
                            ("impairment_released_cents__gte", 0),
                            ("revaluation_released_cents__gte", 0),
                        ),
                        name="participation_disposal_amounts",
                    ),
                ],
            },
        ),
    ]
