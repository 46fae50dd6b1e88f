# The allocate_result proposal kind (the allocation of a closed year's result).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
        ("commons", "0001_initial"),
        ("governance", "0004_decision_effects"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="proposal",
            name="proposal_kind_known",
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        (
                            "validate_contribution",
                            "amend_charter",
                            "admit_member",
                            "grant_role",
                            "accept_financing",
                            "approve_exchange",
                            "free_motion",
                            "allocate_result",
                        ),
                    )
                ),
                name="proposal_kind_known",
            ),
        ),
    ]
