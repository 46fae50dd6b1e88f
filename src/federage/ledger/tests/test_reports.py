"""Reports, FEC and hledger exports, and the console commands, on a small two-year book."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from federage.agents import services as agent_services
from federage.core.errors import ApplicationError
from federage.ledger import domain, exports, selectors, services
from federage.ledger.testing import TODAY

SIREN = "900100017"
HLEDGER = shutil.which("hledger") or "hledger"
LEDGER = shutil.which("ledger") or "ledger"


@pytest.fixture
def two_years(commons, post):
    """2025 (closed, with à-nouveaux) and 2026 to date: contributions, purchases, income."""
    old = services.period_open(
        commons_id=commons.pk,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        actor_user_id=None,
    )
    day = dt.date(2025, 2, 10)
    post(("4562", 200_000, None), ("1013", None, 200_000), journal="AP", entry_date=day)
    post(("512", 200_000, None), ("4562", None, 200_000), journal="BQ", entry_date=day)
    post(("2154", 80_000, None), ("1014", None, 80_000), journal="AP", entry_date=day)
    post(("208", 35_000, None), ("1015", None, 35_000), journal="AI", entry_date=day)
    post(("601", 12_345, None), ("401", None, 12_345), journal="AC", entry_date=dt.date(2025, 4, 2))
    post(
        ("401", 12_345, None), ("512", None, 12_345), journal="BQ", entry_date=dt.date(2025, 4, 30)
    )
    post(("411", 9_900, None), ("706", None, 9_900), journal="VE", entry_date=dt.date(2025, 9, 1))
    services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    post(("512", 50_000, None), ("741", None, 50_000), journal="FI", entry_date=dt.date(2026, 2, 1))
    post(("613", 4_000, None), ("512", None, 4_000), journal="AC", entry_date=dt.date(2026, 3, 1))
    post(("512", 9_900, None), ("411", None, 9_900), journal="BQ", entry_date=dt.date(2026, 3, 2))
    post(
        ("211", 150_000, None),
        ("1014", None, 150_000),
        journal="AP",
        entry_date=dt.date(2026, 4, 1),
    )
    return selectors.book_of(commons_id=commons.pk)


def test_trial_balance_and_statements(two_years):
    book = two_years
    trial = selectors.trial_balance(book=book, at=TODAY)
    rows = {row["number"]: row for row in trial["rows"]}
    assert rows["512"]["opening_debit_cents"] == 187_655
    assert rows["512"]["closing_debit_cents"] == 187_655 + 50_000 - 4_000 + 9_900
    assert rows["129"]["opening_debit_cents"] == 2_445 and "120" not in rows
    totals = trial["totals"]
    assert totals["closing_debit_cents"] == totals["closing_credit_cents"]
    assert totals["debit_cents"] == totals["credit_cents"]

    sheet = selectors.balance_sheet(book=book, at=TODAY)
    assert sheet["total_actif_cents"] == sheet["total_passif_cents"]
    headings = {section["heading"] for section in sheet["actif"]}
    assert {
        "Immobilisations incorporelles",
        "Immobilisations corporelles",
        "Disponibilités",
    } <= headings
    assert sheet["result_cents"] == 50_000 - 4_000
    # 2025 ended with a loss of 2 445,00 € (9 900 − 12 345): it is carried in 129.
    passif = {a["number"]: a["amount_cents"] for s in sheet["passif"] for a in s["accounts"]}
    assert passif["129"] == -2_445
    # Not allocated yet, that loss stands on its own line, apart from the year's result.
    headings = {s["heading"]: s["amount_cents"] for s in sheet["passif"]}
    assert headings[domain.PRIOR_RESULT_HEADING] == sheet["prior_result_cents"] == -2_445
    assert headings[domain.CURRENT_RESULT_HEADING] == sheet["result_cents"]

    income = selectors.income_statement(book=book, at=TODAY)
    assert (income["total_produits_cents"], income["total_charges_cents"]) == (50_000, 4_000)
    last_year = selectors.income_statement(book=book, at=dt.date(2025, 12, 31))
    assert last_year["result_cents"] == -2_445

    kinds = {item["kind"]: item for item in selectors.capital_kinds(book=book, at=TODAY)["kinds"]}
    assert kinds["human"]["assets_cents"] == 35_000 and kinds["human"]["equity_cents"] == 35_000
    assert kinds["natural"]["assets_cents"] == 150_000

    ledger = selectors.general_ledger(book=book, account_number="512", at=TODAY)
    assert ledger["opening_cents"] == 187_655
    assert [line["balance_cents"] for line in ledger["lines"]] == [237_655, 233_655, 243_555]


def test_balance_sheet_at_an_earlier_date(two_years):
    sheet = selectors.balance_sheet(book=two_years, at=dt.date(2025, 3, 1))
    assert sheet["total_actif_cents"] == 200_000 + 80_000 + 35_000
    assert sheet["result_cents"] == 0
    with pytest.raises(ApplicationError) as refusal:
        selectors.balance_sheet(book=two_years, at=dt.date(2020, 1, 1))
    assert refusal.value.code == "no_period"


@pytest.fixture
def managed_commons(make_user, make_commons):
    """A commons whose steward is an association with a SIREN (the SEP's manager)."""
    user = make_user()
    association = agent_services.agent_create(
        user=user, kind="association", display_name="Association gérante", siren=SIREN
    )
    return make_commons(user, agent_id=association.pk), user


def test_fec_export(managed_commons, tmp_path):
    commons, user = managed_commons
    services.entry_post(
        commons_id=commons.pk,
        journal="AC",
        entry_date=dt.date(2026, 3, 4),
        label="Fil\tcoton « bio »",
        piece_ref="F-2026-001",
        lines=[
            domain.LineInput("601", debit=domain.Money(123_456)),
            domain.LineInput("401", credit=domain.Money(123_456), label="Filature du Nord"),
        ],
        idempotency_key="fec-1",
        authorised_by={"source_type": "test"},
        actor_user_id=user.pk,
    )
    path = exports.fec_write(commons=commons, year=2026, out_dir=tmp_path)
    assert path.name == f"{SIREN}FEC20261231.txt"
    raw = path.read_bytes()
    text = raw.decode("iso-8859-15")
    lines = text.split("\r\n")
    assert lines[0].split("\t") == list(domain.FEC_COLUMNS)
    assert lines[-1] == ""
    first, second = (line.split("\t") for line in lines[1:3])
    assert len(first) == len(second) == 18
    assert first[:6] == [
        "AC",
        "Achats",
        "AC000001",
        "20260304",
        "601",
        "Achats stockés - matières premières",
    ]
    assert first[8:13] == ["F-2026-001", "20260304", "Fil coton « bio »", "1234,56", "0,00"]
    assert first[15] == "20260615"
    assert second[10] == "Filature du Nord" and second[12] == "1234,56"


def test_fec_needs_a_siren(commons, tmp_path):
    with pytest.raises(ApplicationError) as refusal:
        exports.fec_write(commons=commons, year=2026, out_dir=tmp_path)
    assert refusal.value.code == "no_siren"


def _hledger_balances(path, *args) -> dict[str, int]:
    output = subprocess.run(  # noqa: S603 - fixed programs on a file we wrote
        [HLEDGER, "-f", str(path), "bal", "-O", "csv", "-N", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    balances = {}
    for account, amount in list(csv.reader(io.StringIO(output)))[1:]:
        number = account.split(" ", 1)[0]
        value = amount.replace(" EUR", "").replace("EUR", "").strip() or "0"
        sign = -1 if value.startswith("-") else 1
        euros, _, cents = value.lstrip("-").partition(".")
        balances[number] = sign * (int(euros) * 100 + int((cents or "0").ljust(2, "0")))
    return balances


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
def test_hledger_reads_the_journal_with_the_same_balances(two_years, commons, tmp_path):
    path = exports.journal_write(commons=commons, out=tmp_path / "book.journal")
    for checks in ([], ["accounts", "ordereddates", "payees"][:2]):
        result = subprocess.run(  # noqa: S603 - fixed programs on a file we wrote
            [HLEDGER, "-f", str(path), "check", *checks], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    for at in (TODAY, dt.date(2026, 3, 1), dt.date(2025, 12, 31), dt.date(2025, 4, 2)):
        period = selectors.period_at(book=two_years, at=at)
        trial = selectors.trial_balance(book=two_years, at=at)
        ours = {
            row["number"]: row["balance_cents"] for row in trial["rows"] if row["balance_cents"]
        }
        # The derived closing transactions of a closed year are set aside by their tag.
        theirs = _hledger_balances(
            path,
            "-b",
            period.start.isoformat(),
            "-e",
            (at + dt.timedelta(days=1)).isoformat(),
            f"not:tag:{exports.CLOSING_TAG}",
        )
        assert {k: v for k, v in theirs.items() if v} == ours, at


@pytest.mark.skipif(shutil.which("ledger") is None, reason="ledger is not installed")
def test_ledger_reads_the_journal(two_years, commons, tmp_path):
    path = exports.journal_write(commons=commons, out=tmp_path / "book.journal")
    result = subprocess.run(  # noqa: S603 - fixed programs on a file we wrote
        [LEDGER, "-f", str(path), "bal", "-b", "2026-01-01"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "512 Banque" in result.stdout


def test_report_command(two_years, commons):
    out = io.StringIO()
    call_command(
        "report",
        "trial-balance",
        "--commons",
        commons.slug,
        "--at",
        "2026-06-15",
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["totals"]["closing_debit_cents"] == report["totals"]["closing_credit_cents"]
    out = io.StringIO()
    call_command(
        "report", "balance-sheet", "--commons", commons.slug, "--format", "csv", stdout=out
    )
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows[0] == ["Côté", "Rubrique", "Compte", "Libellé", "Montant"]
    assert any(row[3] == "Total actif" for row in rows)
    out = io.StringIO()
    call_command("report", "income", "--commons", commons.slug, stdout=out)
    assert "Total produits" in out.getvalue()
    out = io.StringIO()
    call_command(
        "report", "general-ledger", "--commons", commons.slug, "--account", "512", stdout=out
    )
    assert "Solde d'ouverture" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("report", "balance-sheet", "--commons", "nope", stdout=io.StringIO())


def test_export_and_verify_commands(managed_commons, tmp_path):
    commons, user = managed_commons
    services.entry_post(
        commons_id=commons.pk,
        journal="VE",
        entry_date=TODAY,
        label="Redevance",
        piece_ref="R-1",
        lines=[
            domain.LineInput("411", debit=domain.Money(500)),
            domain.LineInput("706", credit=domain.Money(500)),
        ],
        idempotency_key="cmd-1",
        authorised_by={"source_type": "test"},
        actor_user_id=user.pk,
    )
    out = io.StringIO()
    call_command(
        "export",
        "fec",
        "--commons",
        commons.slug,
        "--year",
        "2026",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    assert (tmp_path / f"{SIREN}FEC20261231.txt").exists()
    call_command(
        "export",
        "journal",
        "--commons",
        commons.slug,
        "--out",
        str(tmp_path / "j.journal"),
        stdout=out,
    )
    assert "706 Redevances d'usage" in (tmp_path / "j.journal").read_text()
    out = io.StringIO()
    call_command("verify", "--commons", commons.slug, stdout=out)
    assert "ok (book: 1 entries" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_accountday SET credit_cents = credit_cents + 1")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", stdout=io.StringIO(), stderr=err)
    assert "running balance" in err.getvalue()
