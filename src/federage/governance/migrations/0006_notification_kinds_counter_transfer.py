"""Notification kinds sent by contributions and titles: counter-offers and transfers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_allocate_result_kind"),
    ]

    operations = [
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
                            "counter_offered",
                            "transfer_proposed",
                            "transfer_accepted",
                            "transfer_refused",
                            "transfer_cancelled",
                        ),
                    )
                ),
                name="notification_kind_known",
            ),
        ),
    ]
