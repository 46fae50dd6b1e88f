"""Entries post to accounts of three digits or more: 741 and 311 replace the headings 74 and 31.

Why not a CHECK of three digits on every account: books opened before the rule hold 74 and 31,
and the entries booked on them are immutable and hashed with their account numbers, so those
accounts can be neither renumbered nor dropped. They stay as they are, readable in every report;
unused ones are removed. What the database refuses from now on is a new account of fewer than
three digits, and a new line on one, except in the two kinds of entry that must be able to
touch an old account: the à-nouveaux (journal AN) that carry its balance and the reversals that
correct its entries, so that a balance can be moved to 741 or 311.
"""

from django.db import migrations

from federage.core import clock

# The two headings the chart used to post to, and the accounts that take their place.
REPLACED = {
    "74": ("741", "Subventions d'exploitation", "income"),
    "31": ("311", "Matières premières", "asset"),
}

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION ledger_refuse_short_account() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'account_number_too_short: entries post to accounts of at least three digits' USING ERRCODE = 'check_violation';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_line_account_postable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT length(number) FROM ledger_account WHERE id = NEW.account_id) < 3
           AND EXISTS (SELECT 1 FROM ledger_entry WHERE id = NEW.entry_id
                       AND journal <> 'AN' AND reverses_id IS NULL) THEN
            RAISE EXCEPTION 'account_number_too_short: entries post to accounts of at least three digits' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER ledger_account_postable BEFORE INSERT ON ledger_account "
    "FOR EACH ROW WHEN (length(NEW.number) < 3) EXECUTE FUNCTION ledger_refuse_short_account()",
    "CREATE TRIGGER ledger_line_postable BEFORE INSERT ON ledger_line "
    "FOR EACH ROW EXECUTE FUNCTION ledger_line_account_postable()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_line_postable ON ledger_line",
    "DROP TRIGGER IF EXISTS ledger_account_postable ON ledger_account",
    "DROP FUNCTION IF EXISTS ledger_line_account_postable()",
    "DROP FUNCTION IF EXISTS ledger_refuse_short_account()",
]

SQLITE = [
    "CREATE TRIGGER ledger_account_postable BEFORE INSERT ON ledger_account "
    "WHEN length(NEW.number) < 3 BEGIN SELECT RAISE(ABORT, 'account_number_too_short: entries post to accounts of at least three digits'); END",
    "CREATE TRIGGER ledger_line_postable BEFORE INSERT ON ledger_line "
    "WHEN (SELECT length(number) FROM ledger_account WHERE id = NEW.account_id) < 3 "
    "AND EXISTS (SELECT 1 FROM ledger_entry WHERE id = NEW.entry_id "
    "AND journal <> 'AN' AND reverses_id IS NULL) "
    "BEGIN SELECT RAISE(ABORT, 'account_number_too_short: entries post to accounts of at least three digits'); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_line_postable",
    "DROP TRIGGER IF EXISTS ledger_account_postable",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        assert statements is not None, "account triggers exist for SQLite and PostgreSQL"
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


def replace_headings(apps, schema_editor):
    """Every book gets 741 and 311; a 74 or 31 that nothing was ever posted to goes."""
    Account = apps.get_model("ledger", "Account")
    Book = apps.get_model("ledger", "Book")
    Line = apps.get_model("ledger", "Line")
    AccountDay = apps.get_model("ledger", "AccountDay")
    now = clock.now()
    for book in Book.objects.all():
        numbers = set(Account.objects.filter(book=book).values_list("number", flat=True))
        for heading, (number, label, kind) in REPLACED.items():
            old = Account.objects.filter(book=book, number=heading).first()
            if number not in numbers:
                Account.objects.create(
                    book=book,
                    number=number,
                    label=label,
                    type=old.type if old else kind,
                    capital_kind=old.capital_kind if old else "financial",
                    created_at=now,
                )
            if (
                old is not None
                and not Line.objects.filter(account=old).exists()
                and not AccountDay.objects.filter(account=old).exists()
            ):
                old.delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutability_triggers")]

    operations = [
        migrations.RunPython(replace_headings, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
