"""Our FEC check finds what the DGFiP's tester (Test Compta Demat) reports, and passes our files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from federage.agents import services as agent_services
from federage.ledger import domain, exports, selectors

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
HEADER = domain.FEC_SEPARATOR.join(domain.FEC_COLUMNS)


def line(**changes) -> str:
    fields = {
        "journal": "FI",
        "number": 1,
        "entry_date": dt.date(2026, 6, 20),
        "account_number": "741",
        "account_label": "Subventions d'exploitation",
        "piece_ref": "SUB-1",
        "piece_date": None,
        "label": "Subvention",
        "debit_cents": 0,
        "credit_cents": 750_000,
        "validation_date": dt.date(2026, 6, 20),
    }
    fields.update(changes)
    return domain.fec_line(**fields)


GOOD = [
    HEADER,
    line(account_number="512", account_label="Banque", debit_cents=750_000, credit_cents=0),
    line(),
]


def anomalies(rows) -> list[str]:
    return domain.fec_anomalies([row + "\r\n" for row in rows], start=START, end=END)


def test_a_well_formed_file_has_no_anomaly():
    assert anomalies(GOOD) == []


def replace(column: str, value: str, row: int = 2) -> list[str]:
    rows = list(GOOD)
    fields = rows[row].split("\t")
    fields[domain.FEC_COLUMNS.index(column)] = value
    rows[row] = "\t".join(fields)
    return rows


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # The anomaly of issue 11: an account of two digits.
        (replace("CompteNum", "74"), "[A] Le champ CompteNum est incorrect"),
        (replace("CompteNum", "7A1"), "[A] Le champ CompteNum est incorrect"),
        (replace("CompteNum", ""), "[E] Le champ CompteNum est vide"),
        (replace("EcritureNum", ""), "[E] Le champ EcritureNum est vide"),
        (replace("EcritureLib", " "), "[E] Le champ EcritureLib est vide"),
        (replace("Credit", "7 500,00"), "[E] Le champ Credit n'est pas au format"),
        (replace("Credit", "7500.00"), "[E] Le champ Credit n'est pas au format"),
        (replace("Debit", "7500,00"), "[A] Débit et crédit renseignés sur une même ligne"),
        (replace("Credit", "0,00"), "[A] Débit et crédit renseignés"),
        (replace("EcritureDate", "20261340"), "[E] Le champ EcritureDate n'est pas une date"),
        (replace("ValidDate", "2026-06-20"), "[E] Le champ ValidDate n'est pas une date"),
        (replace("PieceDate", "21260620"), "[A] Le champ PieceDate contient une date hors période"),
        (replace("EcritureDate", "20250620"), "[A] L'écriture de la ligne 3 est datée hors"),
        (GOOD[:2], "[E] L'écriture FI000001 n'est pas équilibrée"),
        ([GOOD[0], GOOD[1], GOOD[2] + "\textra"], "[E] La structure du fichier est incorrecte"),
        ([GOOD[0]], "[E] Le fichier ne contient aucune écriture"),
        ([GOOD[0].replace("CompteNum", "NumCompte"), *GOOD[1:]], "[E] L'en-tête"),
        ([GOOD[0], "", *GOOD[1:]], "[E] La ligne 2 est vide"),
    ],
)
def test_each_anomaly_is_found(rows, expected):
    found = anomalies(rows)
    assert any(anomaly.startswith(expected) for anomaly in found), found


def test_the_list_is_bounded():
    rows = [HEADER] + [line(account_number="74", debit_cents=1, credit_cents=0)] * 500
    assert len(anomalies(rows)) == domain.FEC_MAX_ANOMALIES


@pytest.fixture
def filed_commons(make_user, make_commons, post):
    """A commons managed by an association with a SIREN, with a grant and a purchase in 2026."""
    user = make_user()
    association = agent_services.agent_create(
        user=user, kind="association", display_name="Association gérante", siren="900100017"
    )
    commons = make_commons(user, agent_id=association.pk)
    post(("512", 750_000, None), ("741", None, 750_000), journal="FI", commons_id=commons.pk)
    post(("606", 12_345, None), ("401", None, 12_345), journal="AC", commons_id=commons.pk)
    return commons


def test_the_fec_command_checks_what_it_writes(filed_commons, tmp_path, monkeypatch):
    arguments = ("export", "fec", "--commons", filed_commons.slug, "--year", "2026")
    out = io.StringIO()
    call_command(*arguments, "--out", str(tmp_path), stdout=out)
    path = tmp_path / "900100017FEC20261231.txt"
    assert out.getvalue() == f"{path}\n"
    book = selectors.book_of(commons_id=filed_commons.pk)
    assert exports.fec_check(path=path, period=selectors.period_of_year(book=book, year=2026)) == []
    # A file with anomalies is still written, its anomalies listed, and the command fails.
    monkeypatch.setattr(domain, "fec_anomalies", lambda lines, **_: ["[A] Le champ CompteNum"])
    out = io.StringIO()
    with pytest.raises(CommandError, match="fec_invalid"):
        call_command(*arguments, "--out", str(tmp_path / "bad"), stdout=out)
    assert "[A] Le champ CompteNum" in out.getvalue()
