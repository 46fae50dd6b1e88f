"""Reports as flat tables with French headers, for CSV downloads and the console.

CSV choice: semicolon separator, decimal comma, UTF-8 with a byte-order mark and CRLF line
ends: what a French Excel or LibreOffice opens without an import wizard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from federage.ledger import domain

Table = tuple[list[str], list[list[str]]]


def _amount(cents: int) -> str:
    return domain.csv_amount(cents)


def trial_balance_table(report: dict) -> Table:
    headers = [
        "Compte",
        "Libellé",
        "Ouverture débit",
        "Ouverture crédit",
        "Mouvements débit",
        "Mouvements crédit",
        "Solde débit",
        "Solde crédit",
    ]
    keys = (
        "opening_debit_cents",
        "opening_credit_cents",
        "debit_cents",
        "credit_cents",
        "closing_debit_cents",
        "closing_credit_cents",
    )
    rows = [
        [row["number"], row["label"], *(_amount(row[key]) for key in keys)]
        for row in report["rows"]
    ]
    rows.append(["", "Total", *(_amount(report["totals"][key]) for key in keys)])
    return headers, rows


def _sections_rows(side_label: str, sections: list[dict]) -> list[list[str]]:
    rows = []
    for section in sections:
        for account in section["accounts"]:
            rows.append(
                [
                    side_label,
                    section["heading"],
                    account["number"],
                    account["label"],
                    _amount(account["amount_cents"]),
                ]
            )
        rows.append(
            [side_label, section["heading"], "", "Sous-total", _amount(section["amount_cents"])]
        )
    return rows


def balance_sheet_table(report: dict) -> Table:
    headers = ["Côté", "Rubrique", "Compte", "Libellé", "Montant"]
    rows = _sections_rows("Actif", report["actif"])
    rows.append(["Actif", "", "", "Total actif", _amount(report["total_actif_cents"])])
    rows += _sections_rows("Passif", report["passif"])
    rows.append(["Passif", "", "", "Total passif", _amount(report["total_passif_cents"])])
    return headers, rows


def income_statement_table(report: dict) -> Table:
    headers = ["Section", "Rubrique", "Compte", "Libellé", "Montant"]
    rows = _sections_rows("Produits", report["produits"])
    rows.append(["Produits", "", "", "Total produits", _amount(report["total_produits_cents"])])
    rows += _sections_rows("Charges", report["charges"])
    rows.append(["Charges", "", "", "Total charges", _amount(report["total_charges_cents"])])
    rows.append(["Résultat", "", "", "Résultat", _amount(report["result_cents"])])
    return headers, rows


def capital_kinds_table(report: dict) -> Table:
    headers = ["Capital", "Actif", "Dettes", "Capitaux propres", "Produits", "Charges", "Net"]
    keys = (
        "assets_cents",
        "liabilities_cents",
        "equity_cents",
        "income_cents",
        "expenses_cents",
        "net_cents",
    )
    rows = [[item["label"], *(_amount(item[key]) for key in keys)] for item in report["kinds"]]
    return headers, rows


def general_ledger_table(report: dict) -> Table:
    headers = ["Date", "Journal", "N° écriture", "Pièce", "Libellé", "Débit", "Crédit", "Solde"]
    rows = [["", "", "", "", "Solde d'ouverture", "", "", _amount(report["opening_cents"])]]
    for line in report["lines"]:
        rows.append(
            [
                line["entry_date"].strftime("%d/%m/%Y"),
                line["journal"],
                line["number"],
                line["piece_ref"],
                line["label"],
                _amount(line["debit_cents"]),
                _amount(line["credit_cents"]),
                _amount(line["balance_cents"]),
            ]
        )
    rows.append(
        [
            "",
            "",
            "",
            "",
            "Total",
            _amount(report["debit_cents"]),
            _amount(report["credit_cents"]),
            _amount(report["closing_cents"]),
        ]
    )
    return headers, rows


def journal_table(entries: Iterable) -> Table:
    headers = [
        "Journal",
        "N° écriture",
        "Date",
        "Pièce",
        "Libellé écriture",
        "Compte",
        "Libellé compte",
        "Libellé ligne",
        "Débit",
        "Crédit",
        "Validée le",
    ]
    rows = []
    for entry in entries:
        for line in entry.lines.all():
            rows.append(
                [
                    entry.journal,
                    domain.fec_entry_number(entry.journal, entry.number),
                    entry.entry_date.strftime("%d/%m/%Y"),
                    entry.piece_ref,
                    entry.label,
                    line.account.number,
                    line.account.label,
                    line.label,
                    _amount(line.debit_cents),
                    _amount(line.credit_cents),
                    entry.validation_date.strftime("%d/%m/%Y"),
                ]
            )
    return headers, rows


def csv_text(table: Table) -> str:
    headers, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def plain_text(table: Table) -> str:
    """An aligned table for the console; amounts right-aligned."""
    headers, rows = table
    widths = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def render(cells: list[str]) -> str:
        out = []
        for index, cell in enumerate(cells):
            numeric = cell.replace(",", "").replace("-", "").isdigit()
            out.append(cell.rjust(widths[index]) if numeric else cell.ljust(widths[index]))
        return "  ".join(out).rstrip()

    return (
        "\n".join(
            [render(headers), render(["-" * width for width in widths])]
            + [render(row) for row in rows]
        )
        + "\n"
    )
