"""A use or service received in an exchange: the day it is consumed, and the entry expensing it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0005_participation_proceeds"),
    ]

    operations = [
        migrations.AddField(
            model_name="exchangeleg",
            name="consumed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exchangeleg",
            name="consumption_entry_id",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddConstraint(
            model_name="exchangeleg",
            constraint=models.CheckConstraint(
                condition=models.Q(consumed_on__isnull=True)
                | models.Q(kind__in=["use", "service"]),
                name="exchange_leg_consumed_use_only",
            ),
        ),
    ]
