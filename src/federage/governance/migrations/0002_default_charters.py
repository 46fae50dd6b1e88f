"""Gives commons created before governance existed their charter version 1 and an empty log."""

import datetime as dt

from django.db import migrations

from federage.governance.domain import GENESIS_HASH, default_parameters, validate_parameters


def forwards(apps, schema_editor):
    Commons = apps.get_model("commons", "Commons")
    CharterVersion = apps.get_model("governance", "CharterVersion")
    DecisionLog = apps.get_model("governance", "DecisionLog")
    parameters = validate_parameters(default_parameters())
    now = dt.datetime.now(dt.UTC)
    for commons in Commons.objects.exclude(charter_versions__isnull=False):
        CharterVersion.objects.create(
            commons=commons,
            number=1,
            parameters=parameters,
            created_by_id=commons.created_by_id,
            created_at=now,
        )
    for commons in Commons.objects.exclude(decision_log__isnull=False):
        DecisionLog.objects.create(commons=commons, length=0, head_hash=GENESIS_HASH)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial"), ("commons", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
