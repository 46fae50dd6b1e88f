"""PostgreSQL notifies `federage_events` of each event from a trigger, not a second statement.

The payload is `core.events.notify_payload`'s `<cursor>:<commons id>`; PostgreSQL delivers it
on commit only, so a rolled-back event pokes nobody. SQLite has no LISTEN: nothing to do there.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION core_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('federage_events', NEW.id::text || ':' || coalesce(NEW.commons_id::text, ''));
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER core_event_notify AFTER INSERT ON core_event "
    "FOR EACH ROW EXECUTE FUNCTION core_event_notify()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS core_event_notify ON core_event",
    "DROP FUNCTION IF EXISTS core_event_notify()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
