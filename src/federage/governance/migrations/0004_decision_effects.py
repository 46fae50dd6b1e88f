"""Decision effects that wait: a refused outcome handler is re-run until it applies, once."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0001_initial"),
        ("governance", "0003_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DecisionEffect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("proposal_kind", models.CharField(max_length=24)),
                ("status", models.CharField(max_length=10)),
                ("reason", models.CharField(blank=True, default="", max_length=60)),
                ("attempts", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField()),
                ("last_attempt_at", models.DateTimeField()),
                ("applied_at", models.DateTimeField(blank=True, null=True)),
                ("result", models.JSONField(blank=True, null=True)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="notification",
            name="notification_kind_known",
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        (
                            "proposal_opened",
                            "vote_needed",
                            "decision_reached",
                            "comment_added",
                            "effect_pending",
                        ),
                    )
                ),
                name="notification_kind_known",
            ),
        ),
        migrations.AddField(
            model_name="decisioneffect",
            name="commons",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="commons.commons"
            ),
        ),
        migrations.AddField(
            model_name="decisioneffect",
            name="decision",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="effect",
                to="governance.decision",
            ),
        ),
        migrations.AddIndex(
            model_name="decisioneffect",
            index=models.Index(fields=["status", "commons"], name="decision_effect_status"),
        ),
        migrations.AddConstraint(
            model_name="decisioneffect",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ("pending", "applied"))),
                name="decision_effect_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisioneffect",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("applied_at__isnull", True), ("status", "pending")),
                    models.Q(("applied_at__isnull", False), ("status", "applied")),
                    _connector="OR",
                ),
                name="decision_effect_applied_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisioneffect",
            constraint=models.CheckConstraint(
                condition=models.Q(("attempts__gte", 1)), name="decision_effect_attempted"
            ),
        ),
    ]
