"""Pure rules of the books: chart of accounts, posting checks, hash chain, FEC lines, report maths."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from federage.core.errors import ApplicationError
from federage.core.hashing import GENESIS_HASH, canonical_bytes, canonical_json  # noqa: F401
from federage.core.money import Money, check_cents

ASSET, LIABILITY, EQUITY, INCOME, EXPENSE, OFF_BALANCE = (
    "asset",
    "liability",
    "equity",
    "income",
    "expense",
    "off_balance",
)
ACCOUNT_TYPES = (ASSET, LIABILITY, EQUITY, INCOME, EXPENSE, OFF_BALANCE)
BALANCE_SHEET_TYPES = (ASSET, LIABILITY, EQUITY)
RESULT_TYPES = (INCOME, EXPENSE)
# Net assets are assets minus liabilities (ledger.selectors.net_assets_recorded).
NET_ASSET_TYPES = (ASSET, LIABILITY)
# Accounts whose normal balance is on the debit side; the others are credit-normal.
DEBIT_NORMAL = (ASSET, EXPENSE, OFF_BALANCE)

FINANCIAL, HUMAN, NATURAL = "financial", "human", "natural"
CAPITAL_KINDS = (FINANCIAL, HUMAN, NATURAL)
CAPITAL_KIND_LABELS = {
    FINANCIAL: "Capital financier",
    HUMAN: "Capital humain",
    NATURAL: "Capital naturel",
}
ACCOUNT_TYPE_LABELS = {
    ASSET: "Actif",
    LIABILITY: "Dettes",
    EQUITY: "Capitaux propres",
    INCOME: "Produits",
    EXPENSE: "Charges",
    OFF_BALANCE: "Hors bilan",
}

# Result accounts of the PCG: where a year's profit or loss lands in the opening entry.
PROFIT_ACCOUNT, LOSS_ACCOUNT = "120", "129"


@dataclass(frozen=True)
class AccountSpec:
    number: str
    label: str
    type: str
    capital_kind: str = FINANCIAL


# The accounts DESIGN §3 posts to, with their PCG numbers. A commons may add sub-accounts
# (e.g. 5121 for a second bank), which inherit type and capital kind from their parent.
# Every account that entries post to has at least three digits (FEC `CompteNum`, and the PCG
# 2025 itself: 74 is a heading whose operating grants go to 741, 31 one whose materials go to 311).
CHART: tuple[AccountSpec, ...] = (
    AccountSpec("1013", "Capital – apports en numéraire", EQUITY),
    AccountSpec("1014", "Capital – apports en nature", EQUITY),
    AccountSpec("1015", "Capital – apports en industrie", EQUITY, HUMAN),
    AccountSpec("1068", "Autres réserves", EQUITY),
    AccountSpec("110", "Report à nouveau (solde créditeur)", EQUITY),
    AccountSpec("119", "Report à nouveau (solde débiteur)", EQUITY),
    AccountSpec("120", "Résultat de l'exercice (bénéfice)", EQUITY),
    AccountSpec("129", "Résultat de l'exercice (perte)", EQUITY),
    AccountSpec("131", "Subventions d'équipement", EQUITY),
    AccountSpec("164", "Emprunts auprès des établissements de crédit", LIABILITY),
    AccountSpec("205", "Concessions et droits similaires, logiciels", ASSET),
    AccountSpec("208", "Autres immobilisations incorporelles (apports en industrie)", ASSET, HUMAN),
    AccountSpec("211", "Terrains", ASSET, NATURAL),
    AccountSpec("2154", "Matériel industriel", ASSET),
    AccountSpec("2183", "Matériel de bureau et matériel informatique", ASSET),
    AccountSpec("261", "Titres de participation", ASSET),
    AccountSpec("311", "Matières premières", ASSET),
    AccountSpec("401", "Fournisseurs", LIABILITY),
    AccountSpec("411", "Usagers", ASSET),
    AccountSpec("457", "Associés – dividendes à payer", LIABILITY),
    AccountSpec("4562", "Apporteurs – capital appelé non versé", ASSET),
    AccountSpec("4567", "Associés – capital à rembourser", LIABILITY),
    AccountSpec("512", "Banque", ASSET),
    AccountSpec("530", "Caisse", ASSET),
    AccountSpec("601", "Achats stockés – matières premières", EXPENSE),
    AccountSpec("606", "Achats non stockés de matières et fournitures", EXPENSE),
    AccountSpec("613", "Locations", EXPENSE),
    AccountSpec("615", "Entretien et réparations", EXPENSE),
    AccountSpec("616", "Primes d'assurances", EXPENSE),
    AccountSpec("622", "Rémunérations d'intermédiaires et honoraires", EXPENSE),
    AccountSpec("626", "Frais postaux et de télécommunications", EXPENSE),
    AccountSpec("627", "Services bancaires et assimilés", EXPENSE),
    AccountSpec("661", "Charges d'intérêts", EXPENSE),
    AccountSpec("706", "Redevances d'usage", INCOME),
    AccountSpec("707", "Ventes de marchandises", INCOME),
    AccountSpec("708", "Taxe sur cessions de titres", INCOME),
    AccountSpec("741", "Subventions d'exploitation", INCOME),
    AccountSpec("758", "Produits divers de gestion courante", INCOME),
)

# Journal codes (FEC JournalCode). Labour contributions keep their own journal so an
# accountant can set them apart (they are not legal share capital, DESIGN §3).
JOURNALS: dict[str, str] = {
    "AN": "À-nouveaux",
    "AC": "Achats",
    "VE": "Ventes et redevances",
    "BQ": "Banque",
    "OD": "Opérations diverses",
    "AP": "Apports en numéraire et en nature",
    "AI": "Apports en industrie",
    "FI": "Financements",
    "TI": "Titres",
}
OPENING_JOURNAL = "AN"
# Only the period-closing service writes opening balances.
RESERVED_JOURNALS = frozenset({OPENING_JOURNAL})


@dataclass(frozen=True)
class LineInput:
    """One line of an entry: an account number and exactly one of debit or credit."""

    account_number: str
    debit: Money | None = None
    credit: Money | None = None
    label: str = ""

    @property
    def debit_cents(self) -> int:
        return self.debit.cents if self.debit is not None else 0

    @property
    def credit_cents(self) -> int:
        return self.credit.cents if self.credit is not None else 0


@dataclass(frozen=True)
class Authorisation:
    """Why an entry exists: the decision and charter version that allowed it, and its source."""

    source_type: str
    source_id: str = ""
    decision_id: int | None = None
    charter_version_id: int | None = None

    @classmethod
    def from_mapping(cls, raw: Mapping | None) -> Authorisation:
        raw = dict(raw or {})
        source_type = str(raw.get("source_type") or "").strip()
        if not source_type:
            raise ApplicationError.on_field("authorised_by.source_type", "required")
        return cls(
            source_type=source_type[:40],
            source_id=str(raw.get("source_id") or "")[:64],
            decision_id=_optional_int(raw.get("decision_id"), "authorised_by.decision_id"),
            charter_version_id=_optional_int(
                raw.get("charter_version_id"), "authorised_by.charter_version_id"
            ),
        )

    def as_dict(self) -> dict:
        return {
            "source_type": self.source_type,
            "source_id": self.source_id,
            "decision_id": self.decision_id,
            "charter_version_id": self.charter_version_id,
        }


def _optional_int(value, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ApplicationError.on_field(name, "invalid_value")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError.on_field(name, "invalid_value") from None


def check_lines(lines: list[LineInput]) -> int:
    """Refuses what cannot be booked; returns the entry's total in cents (debits = credits)."""
    if len(lines) < 2:
        raise ApplicationError.on_field("lines", "entry_too_few_lines")
    debit_total = credit_total = 0
    for index, line in enumerate(lines):
        name = f"lines.{index}"
        for side in (line.debit, line.credit):
            if side is not None and not isinstance(side, Money):
                raise ApplicationError.on_field(name, "invalid_value")
        if not line.account_number:
            raise ApplicationError.on_field(f"{name}.account_number", "required")
        debit, credit = line.debit_cents, line.credit_cents
        if debit < 0 or credit < 0 or (line.debit is not None and line.credit is not None):
            raise ApplicationError.on_field(name, "amount_not_positive")
        if debit == 0 and credit == 0:
            raise ApplicationError.on_field(name, "amount_not_positive")
        check_cents(debit + credit, name)
        debit_total += debit
        credit_total += credit
    if debit_total != credit_total:
        raise ApplicationError.on_field(
            "lines", "unbalanced_entry", detail=f"{debit_total} != {credit_total}"
        )
    # The entry's total is stored too, and each day's sums per account (AccountDay) add it.
    check_cents(debit_total, "lines")
    assert debit_total > 0
    return debit_total


def signed_cents(line: LineInput) -> int:
    return line.debit_cents - line.credit_cents


# Hash chain. The canonical form (JSON with sorted keys and no spaces, UTF-8) and the genesis
# hash are core's, shared with the decision logs, so that any implementation (or an auditor's
# script) can recompute them from the stored rows: see core.hashing.


def request_digest(
    *,
    journal: str,
    entry_date: dt.date,
    label: str,
    piece_ref: str,
    piece_date: dt.date | None,
    lines: Iterable[LineInput],
    authorisation: Authorisation,
) -> str:
    """What makes two postings 'the same' for idempotency: everything the caller sent."""
    content = {
        "journal": journal,
        "entry_date": entry_date.isoformat(),
        "label": label,
        "piece_ref": piece_ref,
        "piece_date": piece_date.isoformat() if piece_date else None,
        "lines": [
            [line.account_number, line.debit_cents, line.credit_cents, line.label] for line in lines
        ],
        "authorised_by": authorisation.as_dict(),
    }
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


@dataclass(frozen=True)
class EntryContent:
    """The stored facts of an entry that its hash covers."""

    commons_id: int
    sequence: int
    journal: str
    number: int
    entry_date: dt.date
    validation_date: dt.date
    label: str
    piece_ref: str
    piece_date: dt.date | None
    total_cents: int
    # (account number, debit cents, credit cents, label) in line order.
    lines: tuple[tuple[str, int, int, str], ...]
    authorisation: dict = field(default_factory=dict)
    reverses_sequence: int | None = None


def entry_hash(content: EntryContent, previous_hash: str) -> str:
    body = {
        "commons": content.commons_id,
        "seq": content.sequence,
        "journal": content.journal,
        "number": content.number,
        "date": content.entry_date.isoformat(),
        "valid": content.validation_date.isoformat(),
        "label": content.label,
        "piece": content.piece_ref,
        "piece_date": content.piece_date.isoformat() if content.piece_date else None,
        "total": content.total_cents,
        "lines": [list(line) for line in content.lines],
        "auth": content.authorisation,
        "reverses": content.reverses_sequence,
        "prev": previous_hash,
    }
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


# FEC (art. A47 A-1 LPF): 18 columns, in this order, named exactly so in the header line.

FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
FEC_SEPARATOR = "\t"
# The arrêté allows ASCII, ISO 8859-15 or EBCDIC; 8859-15 keeps French accents and the euro sign.
FEC_ENCODING = "iso-8859-15"


def fec_filename(siren: str, closing_date: dt.date) -> str:
    return f"{siren}FEC{closing_date:%Y%m%d}.txt"


def fec_amount(cents: int) -> str:
    """'1234,56': decimal comma, no grouping, always two decimals."""
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d}"


# Typography that ISO 8859-15 lacks, written the way a typewriter would.
FEC_TYPOGRAPHY = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u202f": " ",
}
# Within a field, a tab or a line break would also shift every column after it.
_FEC_TRANSLATION = str.maketrans(
    {
        "\t": " ",
        "\r": " ",
        "\n": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u202f": " ",
    }
)


def fec_text(value: str) -> str:
    return value.translate(_FEC_TRANSLATION).strip()


def fec_entry_number(journal: str, number: int) -> str:
    """Unique in the file and continuous within a journal: 'AC000012'."""
    return f"{journal}{number:06d}"


def fec_line(
    *,
    journal: str,
    number: int,
    entry_date: dt.date,
    account_number: str,
    account_label: str,
    piece_ref: str,
    piece_date: dt.date | None,
    label: str,
    debit_cents: int,
    credit_cents: int,
    validation_date: dt.date,
) -> str:
    return FEC_SEPARATOR.join(
        (
            journal,
            JOURNALS.get(journal, journal),
            fec_entry_number(journal, number),
            f"{entry_date:%Y%m%d}",
            account_number,
            fec_text(account_label),
            "",
            "",
            fec_text(piece_ref) or fec_entry_number(journal, number),
            f"{(piece_date or entry_date):%Y%m%d}",
            fec_text(label),
            fec_amount(debit_cents),
            fec_amount(credit_cents),
            "",
            "",
            f"{validation_date:%Y%m%d}",
            "",
            "",
        )
    )


# What the DGFiP's own tester (Test Compta Demat, `trt_txt.pl`) checks on each line of a FEC,
# with its severities: [E] makes the file unusable, [A] is an anomaly it reports. We add what
# the arrêté asks and the tester leaves to the auditor: balanced entries, dates in the year.
# Every column but the auxiliary account, lettering and currency ones, which may be empty.
FEC_OPTIONAL = ("CompAuxNum", "CompAuxLib", "EcritureLet", "DateLet", "Montantdevise", "Idevise")
FEC_REQUIRED = tuple(column for column in FEC_COLUMNS if column not in FEC_OPTIONAL)
FEC_DATES = ("EcritureDate", "PieceDate", "DateLet", "ValidDate")
FEC_AMOUNTS = ("Debit", "Credit", "Montantdevise")
# The tester refuses an account that does not start with three digits (PCG class, chapter,
# account); our own numbers are digits only.
_FEC_ACCOUNT = re.compile(r"[0-9]{3}[0-9]*")
_FEC_AMOUNT = re.compile(r"[0-9]+,[0-9]{2}")
_FEC_DATE = re.compile(r"[0-9]{8}")
FEC_MAX_ANOMALIES = 200


def fec_anomalies(lines: Iterable[str], *, start: dt.date, end: dt.date) -> list[str]:
    """The anomalies of a FEC's lines (header first, separator tab), as the tester words them.

    An empty list means the file passes: every line has the 18 columns, the mandatory ones
    filled, `CompteNum` of at least three digits, amounts as `1234,56`, real dates of the year,
    exactly one of debit and credit, and every `EcritureNum` balanced.
    """
    found: list[str] = []

    def anomaly(severity: str, text: str) -> None:
        if len(found) < FEC_MAX_ANOMALIES:
            found.append(f"[{severity}] {text}")

    rows = iter(lines)
    header = next(rows, "").rstrip("\r\n").split(FEC_SEPARATOR)
    if header != list(FEC_COLUMNS):
        anomaly("E", f"L'en-tête n'est pas celui de l'arrêté : {' | '.join(header)}")
        return found
    balances: dict[tuple[str, str], int] = {}
    count = 0
    for number, raw in enumerate(rows, start=2):
        line = raw.rstrip("\r\n")
        if not line:
            anomaly("E", f"La ligne {number} est vide")
            continue
        count += 1
        values = line.split(FEC_SEPARATOR)
        if len(values) != len(FEC_COLUMNS):
            anomaly(
                "E",
                f"La structure du fichier est incorrecte : en ligne {number}, {len(values)} "
                f"champs au lieu des {len(FEC_COLUMNS)} attendus",
            )
            continue
        field = dict(zip(FEC_COLUMNS, values, strict=True))
        for name in FEC_REQUIRED:
            if not field[name].strip():
                anomaly("E", f"Le champ {name} est vide en ligne {number}")
        account = field["CompteNum"]
        if account and not _FEC_ACCOUNT.fullmatch(account):
            anomaly(
                "A",
                f"Le champ CompteNum est incorrect, le numéro de compte doit commencer par "
                f"trois chiffres : {account} : ligne {number}",
            )
        cents = {}
        for name in FEC_AMOUNTS:
            value = field[name]
            if not value and name == "Montantdevise":
                continue
            if not _FEC_AMOUNT.fullmatch(value):
                anomaly(
                    "E", f"Le champ {name} n'est pas au format 1234,56 en ligne {number} : {value}"
                )
                cents[name] = 0
            else:
                euros, _, rest = value.partition(",")
                cents[name] = int(euros) * 100 + int(rest)
        for name in FEC_DATES:
            value = field[name]
            if not value and name == "DateLet":
                continue
            try:
                if not _FEC_DATE.fullmatch(value):
                    raise ValueError(value)
                day = dt.datetime.strptime(value, "%Y%m%d").date()
            except ValueError:
                anomaly(
                    "E", f"Le champ {name} n'est pas une date AAAAMMJJ en ligne {number} : {value}"
                )
                continue
            if not 1900 <= day.year <= 2099:
                anomaly("A", f"Le champ {name} contient une date hors période en ligne {number}")
            elif name == "EcritureDate" and not start <= day <= end:
                anomaly(
                    "A", f"L'écriture de la ligne {number} est datée hors de l'exercice : {value}"
                )
        if bool(cents["Debit"]) == bool(cents["Credit"]):
            anomaly(
                "A",
                f"Débit et crédit renseignés sur une même ligne, ou tous deux nuls : ligne {number}",
            )
        key = (field["JournalCode"], field["EcritureNum"])
        balances[key] = balances.get(key, 0) + cents["Debit"] - cents["Credit"]
    if not count:
        anomaly("E", "Le fichier ne contient aucune écriture")
    for (_, entry), balance in balances.items():
        if balance:
            anomaly("E", f"L'écriture {entry} n'est pas équilibrée : écart de {balance} centimes")
    return found


# Plain-text journal for hledger / ledger.


def journal_account_name(number: str, label: str) -> str:
    """'512 Banque': one space at most in a row (two end the name) and no ':' (hierarchy)."""
    clean = " ".join(label.replace(":", " ").replace(";", ",").split())
    return f"{number} {clean}".strip()


def journal_amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d} EUR"


def journal_text(value: str) -> str:
    return " ".join(value.replace(";", ",").split())


# Report maths: from per-account signed balances (debit − credit) to statements.


@dataclass(frozen=True)
class AccountInfo:
    number: str
    label: str
    type: str
    capital_kind: str


def period_result(balances: Mapping[str, int], accounts: Mapping[str, AccountInfo]) -> int:
    """Income minus expenses, in cents: credit balances of 7 less debit balances of 6."""
    return -sum(
        balance for number, balance in balances.items() if accounts[number].type in RESULT_TYPES
    )


# Equity headings of the passif. Accounts 120/129 only ever hold earlier years' results in the
# reports (the current year's stays in classes 6 and 7 until its closing), so whatever they
# carry is a result still awaiting its allocation (affectation) by the members.
RESERVES_HEADING = "Réserves"
RETAINED_EARNINGS_HEADING = "Report à nouveau"
PRIOR_RESULT_HEADING = "Résultat antérieur en attente d'affectation"
CURRENT_RESULT_HEADING = "Résultat de l'exercice"
CURRENT_RESULT_LABEL = "Résultat de l'exercice en cours"


def is_equity(number: str, type: str) -> bool:
    """Shown among the capitaux propres: equity accounts, and class 1 unless it is a debt."""
    return type == EQUITY or (number[:1] == "1" and type != LIABILITY)


def equity_heading(number: str) -> str:
    """The passif heading of an equity account (class 1 other than debts), from its number."""
    if number.startswith("13"):
        return "Subventions d'investissement"
    if number.startswith("12"):
        return PRIOR_RESULT_HEADING
    if number.startswith("11"):
        return RETAINED_EARNINGS_HEADING
    if number.startswith("106"):
        return RESERVES_HEADING
    return "Capital et apports"


@dataclass(frozen=True)
class Results:
    """Where results stand, each amount positive for a profit (a credit) and negative for a loss.

    `current_cents` is the result of the report's span (income less expenses moved in it); the
    others are balances at its end: earlier results still in 120/129, report à nouveau
    (110/119) and reserves (106x), which the allocation of a result feeds.
    """

    current_cents: int
    prior_unallocated_cents: int
    retained_earnings_cents: int
    reserves_cents: int


def results(
    movements: Mapping[str, int],
    closing: Mapping[str, int],
    accounts: Mapping[str, AccountInfo],
) -> Results:
    """Results from signed amounts (debit − credit): movements over a span, balances at its end."""
    totals = {PRIOR_RESULT_HEADING: 0, RETAINED_EARNINGS_HEADING: 0, RESERVES_HEADING: 0}
    for number, balance in closing.items():
        kind = accounts[number].type
        if kind not in BALANCE_SHEET_TYPES or not is_equity(number, kind):
            continue
        heading = equity_heading(number)
        if heading in totals:
            totals[heading] -= balance
    return Results(
        current_cents=period_result(movements, accounts),
        prior_unallocated_cents=totals[PRIOR_RESULT_HEADING],
        retained_earnings_cents=totals[RETAINED_EARNINGS_HEADING],
        reserves_cents=totals[RESERVES_HEADING],
    )


def balance_sheet_item(number: str, type: str, balance: int) -> tuple[str, str]:
    """(side, heading) of an account in the PCG balance sheet, from its class and its sign.

    Third-party and cash accounts (classes 4 and 5) go to the assets when their balance is a
    debit and to the liabilities when it is a credit, as the PCG presents them.
    """
    first = number[:1]
    if is_equity(number, type):
        return "passif", equity_heading(number)
    if number.startswith("16"):
        return "passif", "Emprunts et dettes financières"
    if first == "2":
        if number.startswith("20"):
            return "actif", "Immobilisations incorporelles"
        if number.startswith(("26", "27")):
            return "actif", "Immobilisations financières"
        return "actif", "Immobilisations corporelles"
    if first == "3":
        return "actif", "Stocks"
    if first == "5":
        if balance >= 0:
            return "actif", "Disponibilités"
        return "passif", "Concours bancaires courants"
    if type == LIABILITY and first != "4":
        return "passif", "Autres dettes"
    if balance > 0 or (balance == 0 and type == ASSET):
        return "actif", "Créances"
    return "passif", "Dettes d'exploitation et autres dettes"


ACTIF_ORDER = (
    "Immobilisations incorporelles",
    "Immobilisations corporelles",
    "Immobilisations financières",
    "Stocks",
    "Créances",
    "Disponibilités",
)
PASSIF_ORDER = (
    "Capital et apports",
    RESERVES_HEADING,
    RETAINED_EARNINGS_HEADING,
    PRIOR_RESULT_HEADING,
    CURRENT_RESULT_HEADING,
    "Subventions d'investissement",
    "Emprunts et dettes financières",
    "Concours bancaires courants",
    "Dettes d'exploitation et autres dettes",
    "Autres dettes",
)
EQUITY_HEADINGS = frozenset(PASSIF_ORDER[:6])


def income_heading(number: str, type: str) -> str:
    if type == INCOME:
        return {
            "70": "Ventes et redevances",
            "74": "Subventions d'exploitation",
            "75": "Autres produits de gestion courante",
            "76": "Produits financiers",
            "77": "Produits exceptionnels",
            "78": "Reprises sur provisions",
        }.get(number[:2], "Autres produits")
    return {
        "60": "Achats",
        "61": "Services extérieurs",
        "62": "Autres services extérieurs",
        "63": "Impôts et taxes",
        "64": "Charges de personnel",
        "65": "Autres charges de gestion courante",
        "66": "Charges financières",
        "67": "Charges exceptionnelles",
        "68": "Dotations aux amortissements et provisions",
    }.get(number[:2], "Autres charges")


def presented(type: str, balance: int) -> int:
    """The balance as a reader expects it: positive on the account's normal side."""
    return balance if type in DEBIT_NORMAL else -balance


def opening_lines(
    closing_balances: Mapping[str, int],
    accounts: Mapping[str, AccountInfo],
    yearly_results: Iterable[int],
) -> list[LineInput]:
    """The opening entry (à-nouveaux) of a year from the balances at the end of the previous one.

    Balance-sheet accounts are carried as they stand; each year's result not yet allocated
    lands in 120 (profit) or 129 (loss). The lines balance by construction.
    """
    lines: list[LineInput] = []
    carried: dict[str, int] = {}
    for number, balance in closing_balances.items():
        if accounts[number].type in BALANCE_SHEET_TYPES and balance:
            carried[number] = carried.get(number, 0) + balance
    for result in yearly_results:
        account = PROFIT_ACCOUNT if result >= 0 else LOSS_ACCOUNT
        carried[account] = carried.get(account, 0) - result
    for number in sorted(carried):
        balance = carried[number]
        if balance > 0:
            lines.append(LineInput(number, debit=Money(balance), label="À-nouveau"))
        elif balance < 0:
            lines.append(LineInput(number, credit=Money(-balance), label="À-nouveau"))
    assert sum(signed_cents(line) for line in lines) == 0
    return lines


def retain_lines(
    balances: Mapping[str, int], accounts: Mapping[str, AccountInfo]
) -> list[tuple[str, int]]:
    """A year's income and expenses zeroed into 120 (profit) or 129 (loss), signed (debit − credit).

    The first of the closing transactions of the hledger journal (`hledger close --retain`): it
    puts the result where the à-nouveaux carry it, so the closing balances then mirror them.
    """
    lines = [
        (number, -balance)
        for number, balance in sorted(balances.items())
        if balance and accounts[number].type in RESULT_TYPES
    ]
    result = period_result(balances, accounts)
    if result:
        lines.append((PROFIT_ACCOUNT if result > 0 else LOSS_ACCOUNT, -result))
    assert sum(amount for _, amount in lines) == 0
    return lines


def reversed_lines(lines: Iterable[tuple[str, int, int, str]]) -> list[LineInput]:
    """The lines of a reversing entry: every debit becomes a credit and back."""
    return [
        LineInput(
            number,
            debit=Money(credit) if credit else None,
            credit=Money(debit) if debit else None,
            label=label,
        )
        for number, debit, credit, label in lines
    ]


# Fewer digits name a heading of the PCG (74 Subventions), never an account entries post to.
POSTING_ACCOUNT_MIN_DIGITS = 3


def is_postable(number: str) -> bool:
    """Whether entries may post to the account: at least three digits (the FEC's CompteNum)."""
    return len(number) >= POSTING_ACCOUNT_MIN_DIGITS


def check_account_number(number: str) -> str:
    number = (number or "").strip()
    if not number.isdigit() or len(number) > 12 or number[:1] in ("", "0"):
        raise ApplicationError.on_field("number", "invalid_account_number")
    if not is_postable(number):
        raise ApplicationError.on_field("number", "account_number_too_short")
    return number


def check_postable(lines: Iterable[LineInput]) -> None:
    """Refuses a line on a heading (74) rather than an account (741).

    Books opened before the rule may still hold two-digit accounts: their history stays, and
    only the à-nouveaux that carry their balances and the reversals that correct their entries
    may touch them (the posting service and a database trigger both say so).
    """
    for index, line in enumerate(lines):
        if not is_postable(line.account_number):
            raise ApplicationError.on_field(
                f"lines.{index}.account_number",
                "account_number_too_short",
                detail=line.account_number,
            )


def csv_amount(cents: int) -> str:
    """'-1234,56' for French spreadsheets: decimal comma, no grouping."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


# --- Allocation of a year's result (affectation du résultat) ------------------------------
#
# Once a year is closed its result waits in 120 (profit) or 129 (loss) until the members decide
# where it goes: reserves (1068), report à nouveau (110 for a profit, 119 for a loss), or, for a
# profit and where the charter allows it, a distribution to the members (457, a debt until paid).
# A loss is never distributed: it is carried forward (119) or charged against reserves (1068).
RESERVES_ACCOUNT = "1068"
CARRY_FORWARD_PROFIT_ACCOUNT, CARRY_FORWARD_LOSS_ACCOUNT = "110", "119"
DISTRIBUTION_ACCOUNT = "457"
ALLOCATION_FIELDS = ("reserves_cents", "carry_forward_cents", "distribution_cents")


@dataclass(frozen=True)
class Allocation:
    """Where a result goes, each part in positive cents; their sum is the result's size."""

    reserves_cents: int
    carry_forward_cents: int
    distribution_cents: int

    @property
    def total_cents(self) -> int:
        return self.reserves_cents + self.carry_forward_cents + self.distribution_cents

    def as_dict(self) -> dict[str, int]:
        return {
            "reserves_cents": self.reserves_cents,
            "carry_forward_cents": self.carry_forward_cents,
            "distribution_cents": self.distribution_cents,
        }

    @classmethod
    def from_mapping(cls, data: Mapping, prefix: str = "") -> Allocation:
        """The three amounts, each a non-negative integer of cents (missing means 0)."""
        values = {}
        for name in ALLOCATION_FIELDS:
            value = data.get(name, 0)
            if value is None:
                value = 0
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ApplicationError.on_field(f"{prefix}{name}", "invalid_value")
            values[name] = value
        return cls(**values)


def allocation_lines(
    result_cents: int, allocation: Allocation, *, distribution_allowed: bool
) -> list[LineInput]:
    """The lines that move a year's result out of 120/129 to where the members decided.

    `result_cents` is positive for a profit (a credit in 120) and negative for a loss (a debit
    in 129). Refusals: `no_result_to_allocate` (a zero result), `distribution_not_allowed` (a
    distribution of a loss, or of a profit the charter does not let go), `allocation_mismatch`
    (the parts do not add up to the result exactly).
    """
    if result_cents == 0:
        raise ApplicationError("no_result_to_allocate")
    if allocation.distribution_cents and (result_cents < 0 or not distribution_allowed):
        raise ApplicationError.on_field("distribution_cents", "distribution_not_allowed")
    if allocation.total_cents != abs(result_cents):
        raise ApplicationError("allocation_mismatch", detail=f"{abs(result_cents)}")
    if result_cents > 0:
        parts = [
            (RESERVES_ACCOUNT, allocation.reserves_cents, "Dotation aux réserves"),
            (CARRY_FORWARD_PROFIT_ACCOUNT, allocation.carry_forward_cents, "Report à nouveau"),
            (DISTRIBUTION_ACCOUNT, allocation.distribution_cents, "Résultat distribué"),
        ]
        lines = [LineInput(PROFIT_ACCOUNT, debit=Money(result_cents), label="Résultat affecté")]
        lines += [
            LineInput(number, credit=Money(amount), label=label)
            for number, amount, label in parts
            if amount
        ]
    else:
        parts = [
            (RESERVES_ACCOUNT, allocation.reserves_cents, "Perte imputée sur les réserves"),
            (CARRY_FORWARD_LOSS_ACCOUNT, allocation.carry_forward_cents, "Report à nouveau"),
        ]
        lines = [
            LineInput(number, debit=Money(amount), label=label)
            for number, amount, label in parts
            if amount
        ]
        lines.append(LineInput(LOSS_ACCOUNT, credit=Money(-result_cents), label="Perte affectée"))
    assert sum(signed_cents(line) for line in lines) == 0
    return lines


def net_assets_change(lines: Sequence[LineInput], account_types: Mapping[str, str]) -> int:
    """What an entry's lines add to the net assets, in cents: debits minus credits on asset and
    liability accounts (`account_types`: number -> type)."""
    return sum(
        line.debit_cents - line.credit_cents
        for line in lines
        if account_types[line.account_number] in NET_ASSET_TYPES
    )
