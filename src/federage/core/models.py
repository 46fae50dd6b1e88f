"""Tables of the shared kernel: the idempotency record of every command and the ordered event log."""

from django.conf import settings
from django.db import models


class AppliedCommand(models.Model):
    """The stored outcome of one command, keyed by the client's UUID, so a retry replays it."""

    id = models.UUIDField(primary_key=True)
    type = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status_code__gte=200, status_code__lt=500),
                name="applied_command_final_status",
            )
        ]


class Event(models.Model):
    """One state change; its id is the cursor that sync and live clients pull from."""

    type = models.CharField(max_length=64)
    commons_id = models.BigIntegerField(null=True, db_index=True)
    actor_user_id = models.BigIntegerField(null=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["commons_id", "id"], name="event_commons_cursor")]
