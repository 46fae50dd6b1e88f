"""Pure rules of contributions: kinds, the lifecycle, price checks, postings and evidence types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from federage.core.errors import ApplicationError
from federage.core.money import Money

CASH, IN_KIND, LABOUR = "cash", "in_kind", "labour"
KINDS = (CASH, IN_KIND, LABOUR)

DRAFT, SUBMITTED, IN_REVIEW, COUNTERED = "draft", "submitted", "in_review", "countered"
ACCEPTED, REJECTED, WITHDRAWN, CALLED, PAID = "accepted", "rejected", "withdrawn", "called", "paid"
STATES = (DRAFT, SUBMITTED, IN_REVIEW, COUNTERED, ACCEPTED, REJECTED, WITHDRAWN, CALLED, PAID)
# States in which the contribution still waits for a decision.
PENDING = (DRAFT, SUBMITTED, IN_REVIEW, COUNTERED)
# States in which it is validated (booked and paid in titles).
VALIDATED = (ACCEPTED, CALLED, PAID)

# state -> action -> next state. "submitted" is the instant the contribution passes its checks;
# it is "in_review" as soon as the vote is open, in the same transaction.
TRANSITIONS: dict[str, dict[str, str]] = {
    DRAFT: {"edit": DRAFT, "submit": SUBMITTED, "withdraw": WITHDRAWN},
    SUBMITTED: {"open_vote": IN_REVIEW, "withdraw": WITHDRAWN},
    IN_REVIEW: {
        "counter": COUNTERED,
        "accept": ACCEPTED,
        "reject": REJECTED,
        "withdraw": WITHDRAWN,
    },
    # Accepting a counter-offer restarts the vote at the new price.
    COUNTERED: {"accept_counter": SUBMITTED, "withdraw": WITHDRAWN, "reject": REJECTED},
    ACCEPTED: {"call": CALLED, "pay": PAID},
    CALLED: {"pay": PAID},
}


def next_state(kind: str, state: str, action: str) -> str:
    """The state after `action`, or `invalid_transition`; only cash is called and paid."""
    target = TRANSITIONS.get(state, {}).get(action)
    if target is None or (action in ("call", "pay") and kind != CASH):
        raise ApplicationError("invalid_transition", detail=f"{state} → {action}")
    return target


def clean_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ApplicationError.on_field("kind", "invalid_value", " | ".join(KINDS))
    return kind


def check_price(
    *,
    proposed_price: Money,
    quantity: Decimal | None,
    unit_price: Money | None,
    explanation: str,
) -> None:
    """A positive price; with quantity × unit price, equal to it unless the gap is explained.

    quantity × unit price is rounded half to even to the cent before comparing (35 h × 45 €).
    """
    if not proposed_price.is_positive():
        raise ApplicationError.on_field("proposed_price_cents", "amount_not_positive")
    if (quantity is None) != (unit_price is None):
        name = "quantity" if quantity is None else "unit_price_cents"
        raise ApplicationError.on_field(name, "required")
    if quantity is None or unit_price is None:
        return
    if quantity <= 0:
        raise ApplicationError.on_field("quantity", "amount_not_positive")
    if not unit_price.is_positive():
        raise ApplicationError.on_field("unit_price_cents", "amount_not_positive")
    computed = Money.from_decimal(quantity * unit_price.to_decimal())
    if computed != proposed_price and not (explanation or "").strip():
        raise ApplicationError.on_field(
            "proposed_price_cents", "price_mismatch", f"{computed.format_plain()} €"
        )


@dataclass(frozen=True)
class Posting:
    journal: str
    label: str
    lines: tuple[tuple[str, int, int], ...]  # (account, debit cents, credit cents)


# Default debit accounts (DESIGN §3): a commons may map a contribution to another resource
# account (205 software, 211 land, 311 materials…) with `resource_account`.
DEFAULT_DEBIT = {CASH: "4562", IN_KIND: "2154", LABOUR: "208"}
CAPITAL_ACCOUNT = {CASH: "1013", IN_KIND: "1014", LABOUR: "1015"}
# Labour has its own journal so an accountant can set it apart (not legal share capital).
JOURNAL = {CASH: "AP", IN_KIND: "AP", LABOUR: "AI"}
KIND_LABELS = {CASH: "numéraire", IN_KIND: "nature", LABOUR: "industrie"}
RESOURCE_ACCOUNT_PREFIXES = {IN_KIND: ("2", "3"), LABOUR: ("20",)}


def clean_resource_account(kind: str, account: str) -> str:
    """The debit account for an in-kind or labour contribution, checked against its class."""
    account = (account or "").strip()
    if not account or kind == CASH:
        return ""
    if not account.isdigit() or not account.startswith(RESOURCE_ACCOUNT_PREFIXES[kind]):
        raise ApplicationError.on_field("resource_account", "invalid_value")
    if len(account) < 3:
        # The books post to accounts of three digits or more: 31 is a heading, materials go to 311.
        raise ApplicationError.on_field("resource_account", "account_number_too_short")
    return account


def acceptance_posting(kind: str, price: Money, title: str, resource_account: str = "") -> Posting:
    """The entry booked when a contribution is accepted (DESIGN §3)."""
    debit = resource_account or DEFAULT_DEBIT[kind]
    return Posting(
        journal=JOURNAL[kind],
        label=f"Apport en {KIND_LABELS[kind]} : {title}",
        lines=((debit, price.cents, 0), (CAPITAL_ACCOUNT[kind], 0, price.cents)),
    )


def payment_posting(price: Money, title: str) -> Posting:
    """The entry booked when a cash contribution is paid: D 512 / C 4562."""
    return Posting(
        journal="BQ",
        label=f"Versement de l'apport : {title}",
        lines=(("512", price.cents, 0), ("4562", 0, price.cents)),
    )


# --- Evidence files -------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}
_ZIP = b"PK\x03\x04"


def _sniff_ok(extension: str, head: bytes) -> bool:
    """Whether the first bytes look like the announced type: a renamed .exe is refused."""
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == "heic":
        return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1")
    if extension in ("xlsx", "ods", "odt"):
        return head.startswith(_ZIP)
    # csv and txt: text, so no NUL byte and valid UTF-8 (or Latin-1 spreadsheets exports).
    return b"\x00" not in head


def check_evidence(name: str, size: int, head: bytes) -> tuple[str, str]:
    """(clean file name, content type) for an accepted file; refuses size or type."""
    if size > EVIDENCE_MAX_BYTES:
        raise ApplicationError.on_field("file", "evidence_too_large")
    clean = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if extension not in EVIDENCE_TYPES or not _sniff_ok(extension, head):
        raise ApplicationError.on_field("file", "evidence_type_forbidden")
    if size == 0:
        raise ApplicationError.on_field("file", "required")
    return clean, EVIDENCE_TYPES[extension]
