"""Triggers that keep the decision log, ballots and charter versions append-only.

Allowed updates: a decision's one-time finalisation (its hash is set in the closing
transaction, after the outcome handlers ran) and a ballot losing its `is_effective` flag when
the same voter votes again. On SQLite only updates are refused: Django's test flush there is a
DELETE; a deleted decision still breaks `decision_log_verify` (sequence and log head).
"""

from django.db import migrations

BALLOT_UNCHANGED = (
    "NEW.choice = OLD.choice AND NEW.agent_id = OLD.agent_id AND NEW.proposal_id = OLD.proposal_id"
    " AND NEW.user_id = OLD.user_id AND NEW.cast_at = OLD.cast_at AND NEW.comment = OLD.comment"
)
# table -> the condition under which an UPDATE is allowed (SQL over OLD and NEW).
ALLOWED_UPDATE = {
    "governance_decision": "OLD.hash = ''",
    "governance_ballot": f"OLD.is_effective AND NOT NEW.is_effective AND {BALLOT_UNCHANGED}",
    "governance_charterversion": "FALSE",
}


def _postgresql(table: str, allowed: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND ({allowed}) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
    ]


POSTGRESQL = [s for table, allowed in ALLOWED_UPDATE.items() for s in _postgresql(table, allowed)]
POSTGRESQL_REVERSE = [
    s
    for table in ALLOWED_UPDATE
    for s in (
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_append_only()",
    )
]
SQLITE = [
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
    f"WHEN NOT ({allowed.replace('TRUE', '1').replace('FALSE', '0')}) "
    f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: UPDATE refused'); END"
    for table, allowed in ALLOWED_UPDATE.items()
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_append_only" for table in ALLOWED_UPDATE]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        assert statements is not None, "append-only triggers exist for SQLite and PostgreSQL"
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_default_charters")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
