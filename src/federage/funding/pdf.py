"""The funder's dashboard of one financing as PDF, through the legal app's typst machinery.

`dashboard_document` is pure: it turns the dashboard (selectors.dashboard) into the JSON the
template reads; every user string (titles, names, labels) is data shown as text, never typst
markup. The document date is the clock's, so the same dashboard at the same instant gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from federage.core.money import Money
from federage.legal import pdf as legal_pdf

_DASHBOARD = (
    legal_pdf.PREAMBLE
    + """
#set par(justify: false)
#align(center, text(size: 15pt, weight: "bold", data.title))
#align(center, text(size: 9pt, data.subtitle))
#v(0.6em)
#table(columns: (auto, 1fr), stroke: 0.4pt + gray, inset: 5pt,
  ..data.summary.map(row => (text(weight: "bold", row.at(0)), row.at(1))).flatten())
#for section in data.sections [
  #block(above: 1.1em, below: 0.5em, text(size: 11.5pt, weight: "bold", section.title))
  #if section.rows.len() == 0 [
    #text(style: "italic", section.empty)
  ] else [
    #set text(size: 8.5pt)
    #table(columns: section.columns.len(), stroke: 0.4pt + gray, inset: 4pt,
      ..section.columns.map(c => text(weight: "bold", c)),
      ..section.rows.flatten())
  ]
]
"""
)

_WORDS = {
    "fr": {
        "title": "Suivi du financement",
        "subtitle": "Tableau de bord du financeur, état au {date} (UTC)",
        "funder": "Financeur",
        "commons": "Commun financé",
        "kind": "Nature",
        "amount": "Montant",
        "status": "Statut",
        "decision": "Décision",
        "decision_ref": "décision n° {decision}, vote n° {proposal}, du {date}",
        "no_decision": "pas encore décidé",
        "disbursed": "Versé",
        "tagged": "Dépenses affectées",
        "left": "Reste à affecter",
        "repaid": "Remboursé (capital / intérêts)",
        "conditions": "Conditions",
        "tranches": "Tranches et jalons",
        "tranche_cols": ["N°", "Montant", "Statut", "Jalon", "Vérifié / seuil", "Justificatif"],
        "no_milestone": "sans jalon",
        "entry": "écriture n° {entry}",
        "tagged_title": "Dépenses financées (lignes du grand livre)",
        "tagged_cols": ["Date", "Compte", "Libellé", "Montant", "Référence"],
        "line": "ligne {line}, écriture {entry}",
        "no_tagged": "Aucune dépense affectée pour l'instant.",
        "instalments": "Échéances du prêt",
        "instalment_cols": ["N°", "Échéance", "Capital", "Intérêts", "Statut", "Justificatif"],
        "no_instalments": "Pas d'échéancier (ce financement n'est pas un prêt).",
        "due": "Échu à payer",
        "footer": "Federage · financement n° {id}",
        "kinds": {
            "grant_operating": "Subvention d'exploitation",
            "grant_investment": "Subvention d'investissement",
            "loan": "Prêt",
            "equity": "Souscription de titres",
        },
        "statuses": {
            "offered": "proposé",
            "voting": "au vote",
            "accepted": "accepté",
            "active": "en cours",
            "closed": "clos",
            "withdrawn": "retiré",
            "refused": "refusé",
            "pending": "en attente du jalon",
            "released": "débloquée",
            "disbursed": "versée",
            "scheduled": "à venir",
            "due": "échue",
            "overdue": "en retard",
            "paid": "payée",
            "cancelled": "annulée",
        },
        "early": "anticipé",
    },
    "en": {
        "title": "Financing follow-up",
        "subtitle": "Funder's dashboard, as of {date} (UTC)",
        "funder": "Funder",
        "commons": "Funded commons",
        "kind": "Kind",
        "amount": "Amount",
        "status": "Status",
        "decision": "Decision",
        "decision_ref": "decision no. {decision}, vote no. {proposal}, of {date}",
        "no_decision": "not decided yet",
        "disbursed": "Disbursed",
        "tagged": "Tagged spending",
        "left": "Left to tag",
        "repaid": "Repaid (principal / interest)",
        "conditions": "Conditions",
        "tranches": "Tranches and milestones",
        "tranche_cols": [
            "No.",
            "Amount",
            "Status",
            "Milestone",
            "Verified / threshold",
            "Evidence",
        ],
        "no_milestone": "no milestone",
        "entry": "entry no. {entry}",
        "tagged_title": "Spending financed (ledger lines)",
        "tagged_cols": ["Date", "Account", "Label", "Amount", "Reference"],
        "line": "line {line}, entry {entry}",
        "no_tagged": "No spending tagged yet.",
        "instalments": "Loan instalments",
        "instalment_cols": ["No.", "Due", "Principal", "Interest", "Status", "Evidence"],
        "no_instalments": "No schedule (this financing is not a loan).",
        "due": "Due to pay",
        "footer": "Federage · financing no. {id}",
        "kinds": {
            "grant_operating": "Operating grant",
            "grant_investment": "Investment grant",
            "loan": "Loan",
            "equity": "Equity subscription",
        },
        "statuses": {
            "offered": "offered",
            "voting": "being voted",
            "accepted": "accepted",
            "active": "active",
            "closed": "closed",
            "withdrawn": "withdrawn",
            "refused": "refused",
            "pending": "waiting for its milestone",
            "released": "released",
            "disbursed": "disbursed",
            "scheduled": "scheduled",
            "due": "due",
            "overdue": "overdue",
            "paid": "paid",
            "cancelled": "cancelled",
        },
        "early": "early",
    },
}


def amount(cents: int, lang: str) -> str:
    """'1 234,50 €' in French, '€1,234.50' in English."""
    if lang == "fr":
        return Money(cents).format_fr()
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€{euros:,}.{rest:02d}"


def _day(value: dt.date | dt.datetime | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return value.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")


def dashboard_document(data: dict[str, Any], *, lang: str, now: dt.datetime) -> dict[str, Any]:
    """The JSON the template reads: summary, tranches, tagged lines, instalments (pure)."""
    words = _WORDS["en" if lang == "en" else "fr"]
    lang = "en" if lang == "en" else "fr"
    status = words["statuses"]

    def money(cents: int) -> str:
        return amount(cents, lang)

    if data.get("decision_id"):
        decision = words["decision_ref"].format(
            decision=data["decision_id"],
            proposal=data.get("proposal_id") or "—",
            date=_day(data.get("decided_at"), lang),
        )
    else:
        decision = words["no_decision"]
    summary = [
        [words["funder"], data["funder_name"]],
        [words["commons"], data["commons_name"]],
        [words["kind"], words["kinds"].get(data["kind"], data["kind"])],
        [words["amount"], money(data["amount_cents"])],
        [words["status"], status.get(data["status"], data["status"])],
        [words["decision"], decision],
        [words["disbursed"], money(data["disbursed_cents"])],
        [words["tagged"], money(data["tagged_cents"])],
        [words["left"], money(data.get("earmark_left_cents", 0))],
    ]
    if data["kind"] == "loan":
        summary.append(
            [
                words["repaid"],
                f"{money(data['repaid_cents'])} / {money(data['interest_paid_cents'])}",
            ]
        )
    if data.get("conditions"):
        summary.append([words["conditions"], data["conditions"]])
    tranches = []
    for tranche in data["tranches"]:
        if tranche["objective_id"]:
            milestone = tranche["indicator_code"] or f"#{tranche['objective_id']}"
            unit = f" {tranche['unit']}" if tranche.get("unit") else ""
            progress = f"{tranche['verified_total'] or 0} / {tranche['threshold']}{unit}"
        else:
            milestone, progress = words["no_milestone"], ""
        evidence = (
            words["entry"].format(entry=tranche["disbursed_entry_id"])
            if tranche.get("disbursed_entry_id")
            else ""
        )
        if tranche.get("disbursed_at"):
            evidence = f"{evidence} ({_day(tranche['disbursed_at'], lang)})"
        tranches.append(
            [
                str(tranche["number"]),
                money(tranche["amount_cents"]),
                status.get(tranche["status"], tranche["status"]),
                milestone,
                progress,
                evidence,
            ]
        )
    tagged = [
        [
            _day(line.get("entry_date"), lang),
            line["account_number"],
            line["label"],
            money(line["amount_cents"]),
            words["line"].format(line=line["line_id"], entry=line["entry_id"]),
        ]
        for line in data.get("tagged_lines", [])
    ]
    loan = data.get("loan") or {}
    instalments = [
        [
            str(row["number"]) + (f" ({words['early']})" if row["kind"] == "early" else ""),
            _day(row["due_date"], lang),
            money(row["principal_cents"]),
            money(row["interest_cents"]),
            status.get(row["status"], row["status"]),
            words["entry"].format(entry=row["paid_entry_id"]) if row.get("paid_entry_id") else "",
        ]
        for row in loan.get("instalments", [])
    ]
    if loan:
        summary.append([words["due"], money(loan.get("due_cents", 0))])
    return {
        "title": f"{words['title']} — {data['title']}",
        "subtitle": words["subtitle"].format(date=_day(now, lang)),
        "footer": words["footer"].format(id=data["id"]),
        "lang": lang,
        "stamp": legal_pdf.stamp(now),
        "summary": summary,
        "sections": [
            {
                "title": words["tranches"],
                "columns": words["tranche_cols"],
                "rows": tranches,
                "empty": "—",
            },
            {
                "title": words["tagged_title"],
                "columns": words["tagged_cols"],
                "rows": tagged,
                "empty": words["no_tagged"],
            },
            {
                "title": words["instalments"],
                "columns": words["instalment_cols"],
                "rows": instalments,
                "empty": words["no_instalments"],
            },
        ],
    }


def dashboard_pdf(data: dict[str, Any], *, lang: str, now: dt.datetime) -> bytes:
    return legal_pdf.compile_pdf(_DASHBOARD, dashboard_document(data, lang=lang, now=now))
