"""Pure rules of cooperation between commons: exchange postings at two valuations, holdings, loans.

An exchange (PCG 213-3): each side books what it receives at its own value and what it gives at
its book value; the difference is its own gain or loss, through 757/657 for non-financial assets
and 7671/6671 for financial ones (ANC 2022-06, years opened from 1 January 2025; 775/675 before),
and 706 for a service or the use of a resource it gives (not an asset disposal). So each side's
net assets first move by exactly its valuation difference (its value of what it receives − the
book value of what it gives), and the gap between the two sides' valuations is never lost: it
sits in each side's own result.

A use or a service received is an expense once consumed (PCG 211-1, 944-48): the receiver books
it to 613 « Locations » (a use) or 604 « Achats d'études et prestations de services » (a
service), unless the leg names its own account, when it is consumed by the execution date (the
leg's `consumed_on`, by default that date); consumed later, it waits in 486 « Charges
constatées d'avance » and the worker moves it to the expense on `consumed_on`
(`consumption_lines`). Hence the property both books obey at execution: each side's equity
changes by its valuation difference less its value of what it consumed at once
(`equity_change` − `consumed_at_execution`), and by the valuation difference less everything it
received for use once every deferred use is consumed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction

from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS

EXCHANGE_STATES = ("proposed", "approving", "executed", "refused", "cancelled")
RESOURCE, USE, SERVICE, CASH, FINANCIAL = "resource", "use", "service", "cash", "financial"
LEG_KINDS = (RESOURCE, USE, SERVICE, CASH, FINANCIAL)
FUNGIBLE, SPECIFIC = "fungible", "specific"
BORROWING_KINDS = (FUNGIBLE, SPECIFIC)
BORROWING_STATES = ("proposed", "active", "returned", "refused")
SIDES = ("a", "b")

BANK = "512"
PARTICIPATIONS = "261"
IMPAIRMENT = "2961"
IMPAIRMENT_CHARGE = "6866"
IMPAIRMENT_REVERSAL = "7866"
# The gap of a holding carried above its cost, under the charter's fair-value method: equity,
# outside the result (C. com. L123-18 al. 4, PCG 214-27: a revaluation gap goes to 105x and
# may not offset losses); 1052 "écart de réévaluation libre" because no law orders it.
REVALUATION_RESERVE = "1052"
# How a commons carries its holdings in other commons (charter `participations.valuation`).
COST_IMPAIRMENT, FAIR_VALUE = "cost_impairment", "fair_value"
VALUATION_METHODS = (COST_IMPAIRMENT, FAIR_VALUE)
PREPAID = "486"  # the use of a resource, or a service, received and not yet consumed
USE_EXPENSE = "613"  # a use received: a hire (PCG 613 « Locations »)
SERVICE_EXPENSE = "604"  # a service received (PCG 604)
SERVICES_INCOME = "706"
RESTITUTION_RECEIVABLE = "2748"  # lender of fungibles: what the borrower must give back
RESTITUTION_DEBT = "1678"  # borrower of fungibles: the duty to give back as much (1892)
LENT_OUT = "8011"  # specific thing lent: stays the lender's (1875), memo only
LENT_OUT_COUNTER = "8012"
BORROWED_IN = "8021"
BORROWED_IN_COUNTER = "8022"
FEE_EXPENSE_SPECIFIC = "613"  # a paid loan for use is a hire (1709)
FEE_EXPENSE_FUNGIBLE = "661"  # interest on a loan of fungibles (1905)
FEE_INCOME_SPECIFIC = "706"
FEE_INCOME_FUNGIBLE = "768"

# Accounts this app posts to that the seeded chart lacks: number -> (label, ledger type).
ACCOUNTS: dict[str, tuple[str, str]] = {
    "757": ("Produits des cessions d'éléments d'actif (ANC 2022-06)", "income"),
    "657": ("Valeurs comptables des éléments d'actif cédés (ANC 2022-06)", "expense"),
    "7671": ("Produits des cessions d'actifs financiers", "income"),
    "6671": ("Valeurs comptables des actifs financiers cédés", "expense"),
    "775": ("Produits des cessions d'éléments d'actif (avant 2025)", "income"),
    "675": ("Valeurs comptables des éléments d'actif cédés (avant 2025)", "expense"),
    PREPAID: ("Charges constatées d'avance (usages reçus en échange)", "asset"),
    IMPAIRMENT: ("Dépréciations des titres de participation", "asset"),
    IMPAIRMENT_CHARGE: ("Dotations aux dépréciations des éléments financiers", "expense"),
    IMPAIRMENT_REVERSAL: ("Reprises sur dépréciations des éléments financiers", "income"),
    REVALUATION_RESERVE: ("Écart de réévaluation libre (titres de participation)", "equity"),
    RESTITUTION_RECEIVABLE: ("Créances de restitution (prêts de choses fongibles)", "asset"),
    RESTITUTION_DEBT: ("Dettes de restitution (emprunts de choses fongibles)", "liability"),
    LENT_OUT: ("Biens prêtés à un autre commun", "off_balance"),
    LENT_OUT_COUNTER: ("Biens prêtés – contrepartie", "off_balance"),
    BORROWED_IN: ("Biens reçus en prêt d'un autre commun", "off_balance"),
    BORROWED_IN_COUNTER: ("Biens reçus en prêt – contrepartie", "off_balance"),
    FEE_EXPENSE_SPECIFIC: ("Locations", "expense"),
    SERVICE_EXPENSE: ("Achats d'études et prestations de services", "expense"),
    FEE_EXPENSE_FUNGIBLE: ("Charges d'intérêts", "expense"),
    FEE_INCOME_FUNGIBLE: ("Autres produits financiers", "income"),
}

ANC_2022_06_FROM = dt.date(2025, 1, 1)
QUANTITY_STEP = Decimal("0.0001")  # the scale of quantities stored with a leg


def disposal_accounts(kind: str, year_start: dt.date) -> tuple[str, str]:
    """(proceeds, book value given) accounts for a leg given away, by the year's rules."""
    if kind in (USE, SERVICE):
        return SERVICES_INCOME, ""
    if year_start < ANC_2022_06_FROM:
        return "775", "675"
    if kind == FINANCIAL:
        return "7671", "6671"
    return "757", "657"


@dataclass(frozen=True)
class Leg:
    giver: str
    kind: str
    label: str
    value_a_cents: int
    value_b_cents: int
    giver_book_cents: int = 0
    giver_account: str = ""
    receiver_account: str = ""
    quantity: Decimal = Decimal(1)
    unit: str = ""
    # A use or a service: the day by which the receiver has used it (None: at execution).
    consumed_on: dt.date | None = None

    def value_for(self, side: str) -> int:
        return self.value_a_cents if side == "a" else self.value_b_cents

    def deferred(self, on: dt.date | None) -> bool:
        """Received use or service consumed after `on` (the execution date; None: unknown, so
        any leg with a date waits): booked to 486 until `consumed_on`."""
        return (
            self.kind in (USE, SERVICE)
            and self.consumed_on is not None
            and (on is None or self.consumed_on > on)
        )


def _mismatch(field: str) -> ApplicationError:
    return ApplicationError.on_field(field, "exchange_terms_mismatch")


def clean_legs(legs: Sequence[Leg]) -> list[Leg]:
    """The legs as they will be booked, or a refusal naming the first leg that cannot be."""
    if not any(leg.giver == "a" for leg in legs) or not any(leg.giver == "b" for leg in legs):
        raise ApplicationError.on_field("legs", "exchange_one_sided")
    cleaned: list[Leg] = []
    for index, leg in enumerate(legs):
        field = f"legs.{index}"
        if leg.giver not in SIDES:
            raise ApplicationError.on_field(f"{field}.giver", "invalid_value")
        if leg.kind not in LEG_KINDS:
            raise ApplicationError.on_field(f"{field}.kind", "invalid_value")
        if not leg.label.strip():
            raise ApplicationError.on_field(f"{field}.label", "required")
        for name in ("value_a_cents", "value_b_cents", "giver_book_cents"):
            cents = getattr(leg, name)
            if isinstance(cents, bool) or not isinstance(cents, int) or cents > MAX_CENTS:
                raise ApplicationError.on_field(f"{field}.{name}", "invalid_value")
        if leg.value_a_cents <= 0 or leg.value_b_cents <= 0 or leg.giver_book_cents < 0:
            raise ApplicationError.on_field(f"{field}.value_a_cents", "amount_not_positive")
        if not leg.quantity.is_finite() or leg.quantity.quantize(QUANTITY_STEP) <= 0:
            raise ApplicationError.on_field(f"{field}.quantity", "invalid_value")
        giver_account, receiver_account, book = (
            leg.giver_account,
            leg.receiver_account,
            leg.giver_book_cents,
        )
        if leg.consumed_on is not None and (
            leg.kind not in (USE, SERVICE) or not isinstance(leg.consumed_on, dt.date)
        ):
            raise ApplicationError.on_field(f"{field}.consumed_on", "invalid_value")
        if leg.kind == CASH:
            # Cash is worth its amount to both sides: another figure contradicts the terms.
            if not leg.value_a_cents == leg.value_b_cents:
                raise _mismatch(f"{field}.value_b_cents")
            if book not in (0, leg.value_a_cents):
                raise _mismatch(f"{field}.giver_book_cents")
            giver_account = receiver_account = BANK
            book = leg.value_a_cents
        elif leg.kind in (USE, SERVICE):
            if book:
                raise _mismatch(f"{field}.giver_book_cents")
            # 486 is where a deferred use waits, never where it ends: `consumed_on` says when.
            if receiver_account == PREPAID:
                raise ApplicationError.on_field(f"{field}.receiver_account", "invalid_value")
            default = USE_EXPENSE if leg.kind == USE else SERVICE_EXPENSE
            giver_account, receiver_account = "", receiver_account or default
        else:
            if not giver_account or not receiver_account:
                raise ApplicationError.on_field(f"{field}.giver_account", "required")
        cleaned.append(
            Leg(
                giver=leg.giver,
                kind=leg.kind,
                label=" ".join(leg.label.split())[:200],
                value_a_cents=leg.value_a_cents,
                value_b_cents=leg.value_b_cents,
                giver_book_cents=book,
                giver_account=giver_account,
                receiver_account=receiver_account,
                quantity=leg.quantity,
                unit=leg.unit,
                consumed_on=leg.consumed_on,
            )
        )
    for side in SIDES:
        posting_lines(side, cleaned, ANC_2022_06_FROM)  # refuses terms one side cannot book
    return cleaned


def terms_hash(terms: str, legs: Iterable[Leg]) -> str:
    """What both decisions approve: the text and every leg, hashed; execution checks it."""
    content = {"terms": terms, "legs": [_hashed(leg) for leg in legs]}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _hashed(leg: Leg) -> dict:
    row = {**asdict(leg), "quantity": format(leg.quantity.quantize(QUANTITY_STEP), "f")}
    # Absent when unset, so that exchanges approved before the field keep their hash.
    consumed_on = row.pop("consumed_on")
    if consumed_on is not None:
        row["consumed_on"] = consumed_on.isoformat()
    return row


def _allocate(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first, exact to the cent."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    rest = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares


def posting_lines(
    side: str, legs: Sequence[Leg], year_start: dt.date, on: dt.date | None = None
) -> list[tuple[str, int, int]]:
    """The lines (account, debit, credit) side `side` books for the exchange executed on `on`,
    merged by account.

    Received legs at the side's own value (a use or service consumed after `on` to 486, see
    `Leg.deferred`); given legs at their book value; the proceeds of what it gives (its value
    of what it receives, less the cash it gives) split over the non-cash legs it gives in
    proportion to its own valuation of them.
    """
    received = [leg for leg in legs if leg.giver != side]
    given = [leg for leg in legs if leg.giver == side]
    debit: dict[str, int] = defaultdict(int)
    credit: dict[str, int] = defaultdict(int)
    for leg in received:
        debit[PREPAID if leg.deferred(on) else leg.receiver_account] += leg.value_for(side)
    cash_given = sum(leg.giver_book_cents for leg in given if leg.kind == CASH)
    for leg in given:
        if leg.kind == CASH:
            credit[BANK] += leg.giver_book_cents
    others = [leg for leg in given if leg.kind != CASH]
    proceeds = sum(leg.value_for(side) for leg in received) - cash_given
    if proceeds < 0 or (not others and proceeds != 0):
        # Buying for cash is at cost (213-3): the cash given must be the value received.
        raise _mismatch(f"legs.{side}")
    if others:
        shares = _allocate(proceeds, [leg.value_for(side) for leg in others])
        for leg, share in zip(others, shares, strict=True):
            gain, loss = disposal_accounts(leg.kind, year_start)
            credit[gain] += share
            if leg.giver_book_cents:
                debit[loss] += leg.giver_book_cents
                credit[leg.giver_account] += leg.giver_book_cents
    lines = [(number, cents, 0) for number, cents in sorted(debit.items()) if cents]
    lines += [(number, 0, cents) for number, cents in sorted(credit.items()) if cents]
    return lines


def equity_change(side: str, legs: Sequence[Leg]) -> int:
    """The side's valuation difference: its value of what it receives less the book value of
    what it gives. Its equity moves by this less what it consumes (`consumed_at_execution`,
    then each `consumption_lines` on its date)."""
    received = sum(leg.value_for(side) for leg in legs if leg.giver != side)
    given = sum(leg.giver_book_cents for leg in legs if leg.giver == side)
    return received - given


def _expensed(leg: Leg) -> bool:
    # A leg naming a non-expense account (a study capitalised in 2xx…) is never consumed here.
    return leg.kind in (USE, SERVICE) and leg.receiver_account.startswith("6")


def consumed_at_execution(side: str, legs: Sequence[Leg], on: dt.date | None) -> int:
    """The side's value of the uses and services it receives and consumes by `on`: an expense
    at execution, so its equity there moves by `equity_change` less this."""
    return sum(
        leg.value_for(side)
        for leg in legs
        if leg.giver != side and _expensed(leg) and not leg.deferred(on)
    )


def consumption_lines(side: str, leg: Leg) -> list[tuple[str, int, int]]:
    """The receiver's lines on `consumed_on` for a use or service booked to 486 at execution:
    D its account (613, 604 or its own) / C 486, at its own value."""
    cents = leg.value_for(side)
    return [(leg.receiver_account, cents, 0), (PREPAID, 0, cents)]


# --- Holdings of another commons' titles -------------------------------------------------


def impairment_lines(
    *, cost: int, impairment: int, fair_value: int
) -> tuple[int, list[tuple[str, int, int]]]:
    """Cost with impairment (PCG 214-15, 221-3): the holding is carried at cost, less a
    provision (2961) when the host's NAV of the units falls below it; a later rise only reverses
    that provision, never above cost. Returns the new impairment and the lines that reach it."""
    target = max(0, min(cost, cost - fair_value))
    change = target - impairment
    if change > 0:
        return target, [(IMPAIRMENT_CHARGE, change, 0), (IMPAIRMENT, 0, change)]
    if change < 0:
        return target, [(IMPAIRMENT, -change, 0), (IMPAIRMENT_REVERSAL, 0, -change)]
    return target, []


def revaluation_lines(
    *, method: str, cost: int, impairment: int, revaluation: int, fair_value: int
) -> tuple[int, int, list[tuple[str, int, int]]]:
    """A holding carried by the method its holder's charter chose; returns (impairment,
    revaluation gap, lines that reach them from the current ones).

    Below cost both methods agree: the shortfall is provided in 2961 through the result (6866,
    reversed by 7866), as prudence requires of any fixed asset (PCG 214-15, 221-3). Above cost,
    cost with impairment stops at cost; fair value carries the holding at the host's NAV of the
    units, the excess debited to 261 and credited to 1052 (equity, never the result): French
    individual accounts allow an upward revaluation only of all fixed assets at once (PCG
    214-27, C. com. L123-18), so a commons choosing it for one line departs from that rule
    knowingly, and its gain stays unrealised and undistributable. A fall first takes back the
    gap, then impairs; switching back to cost reverses the whole gap."""
    fair = max(0, fair_value)
    target_impairment, lines = impairment_lines(cost=cost, impairment=impairment, fair_value=fair)
    target_revaluation = max(0, fair - cost) if method == FAIR_VALUE else 0
    change = target_revaluation - revaluation
    if change > 0:
        lines = [(PARTICIPATIONS, change, 0), (REVALUATION_RESERVE, 0, change), *lines]
    elif change < 0:
        lines = [(REVALUATION_RESERVE, -change, 0), (PARTICIPATIONS, 0, -change), *lines]
    return target_impairment, target_revaluation, lines


INFLOWS = ("issuance", "purchase")
OUTFLOWS = ("sale", "redemption")


@dataclass(frozen=True)
class Disposal:
    """Units of a holding that left (a sale or an executed redemption): what was received for
    them and their share of the holding's cost."""

    source_type: str
    source_id: int
    units: Decimal
    proceeds_cents: int
    cost_cents: int


def holding_replay(movements: Iterable[Mapping]) -> tuple[int, list[Disposal]]:
    """(cost of every unit ever acquired, each disposal at its cost), from the titles register's
    movements oldest first (`titles.selectors.movements_of_holders`).

    Units of one class are interchangeable, so units that leave take the weighted average cost
    of the units held just before (the French rule for fungible securities allows it beside
    first in, first out; it needs no lot tracking and is the same whichever units were picked):
    cost × units
    leaving / units held, to the nearest cent, the last unit taking what is left so that the
    cost never strays from the sum of what was paid. The register's own `invested_cents` cannot
    serve: it falls by the price received, not by the cost of what left."""
    acquired = 0
    units = Decimal(0)
    cost = 0
    disposals: list[Disposal] = []
    for row in movements:
        if row["kind"] in INFLOWS:
            acquired += row["cents"]
            cost += row["cents"]
            units += row["units"]
        elif row["kind"] in OUTFLOWS:
            leaving = min(row["units"], units)
            if leaving >= units:
                share = cost
            else:
                share = round(Fraction(cost) * Fraction(leaving) / Fraction(units))
            units -= leaving
            cost -= share
            disposals.append(Disposal(row["kind"], row["id"], row["units"], row["cents"], share))
    return acquired, disposals


def disposal_lines(
    *,
    disposal: Disposal,
    carried_cost: int,
    impairment: int,
    revaluation: int,
    year_start: dt.date,
) -> tuple[int, int, list[tuple[str, int, int]]]:
    """The holder's lines for units that left: the bank receives the proceeds, 261
    gives up their cost, the difference is a gain or a loss on a financial asset (7671/6671 in
    years opened from 1 January 2025 under ANC 2022-06, 775/675 before: `disposal_accounts`);
    the provision (2961) and the fair-value gap (1052) on those units leave with them, in
    proportion to the cost leaving. Returns (impairment released, gap released, lines)."""
    cost = disposal.cost_cents
    proportion = Fraction(cost, carried_cost) if carried_cost else Fraction(0)
    # Never more provision left than cost left (the rounding of the two shares must not break
    # impairment <= cost on the rest).
    released = max(
        min(impairment, round(impairment * proportion)), impairment - (carried_cost - cost)
    )
    gap = min(revaluation, round(revaluation * proportion))
    gain_account, loss_account = disposal_accounts(FINANCIAL, year_start)
    lines: list[tuple[str, int, int]] = []
    if disposal.proceeds_cents:
        lines.append((BANK, disposal.proceeds_cents, 0))
    if cost:
        lines.append((PARTICIPATIONS, 0, cost))
    difference = disposal.proceeds_cents - cost
    if difference > 0:
        lines.append((gain_account, 0, difference))
    elif difference < 0:
        lines.append((loss_account, -difference, 0))
    if released:
        lines += [(IMPAIRMENT, released, 0), (IMPAIRMENT_REVERSAL, 0, released)]
    if gap:
        lines += [(REVALUATION_RESERVE, gap, 0), (PARTICIPATIONS, 0, gap)]
    return released, gap, lines


def holding_cycle(edges: Iterable[tuple[int, int]], member: int, host: int) -> bool:
    """Would `member` joining `host` close a loop of holdings (host already reaches member)?"""
    graph: dict[int, set[int]] = defaultdict(set)
    for holder, held in edges:
        graph[holder].add(held)
    seen, stack = set(), [host]
    while stack:
        node = stack.pop()
        if node == member:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph[node])
    return False


def descendants(parents: dict[int, int | None], root: int) -> set[int]:
    """Every sub-commons under `root` in the tree."""
    children: dict[int, set[int]] = defaultdict(set)
    for child, parent in parents.items():
        if parent is not None:
            children[parent].add(child)
    found, stack = set(), [root]
    while stack:
        for child in children[stack.pop()]:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


# --- Borrowed assets ---------------------------------------------------------------------


def borrowing_lines(
    kind: str, *, lender_account: str, borrower_account: str, lender_book: int, borrower_value: int
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """(lender's lines, borrower's lines) when the loan starts.

    Fungible things (1892): the borrower becomes owner and owes as much back; the lender swaps
    the asset for a receivable at its book value, the borrower books the asset and the debt at
    its own value. A specific thing (1875): ownership stays, both sides keep a memo (class 8).
    """
    if kind == FUNGIBLE:
        lender = [(RESTITUTION_RECEIVABLE, lender_book, 0), (lender_account, 0, lender_book)]
        borrower = [(borrower_account, borrower_value, 0), (RESTITUTION_DEBT, 0, borrower_value)]
    else:
        lender = [(LENT_OUT, lender_book, 0), (LENT_OUT_COUNTER, 0, lender_book)]
        borrower = [(BORROWED_IN, borrower_value, 0), (BORROWED_IN_COUNTER, 0, borrower_value)]
    return lender, borrower


def fee_lines(kind: str, fee: int) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """(lender's, borrower's) lines of the fee, paid at return."""
    if kind == FUNGIBLE:
        income, expense = FEE_INCOME_FUNGIBLE, FEE_EXPENSE_FUNGIBLE
    else:
        income, expense = FEE_INCOME_SPECIFIC, FEE_EXPENSE_SPECIFIC
    return [(BANK, fee, 0), (income, 0, fee)], [(expense, fee, 0), (BANK, 0, fee)]


def reversed_lines(lines: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    return [(number, credit, debit) for number, debit, credit in lines]


# --- Combining a federation's books ------------------------------------------------------


def _net(lines: Iterable[tuple[str, int, int]]) -> dict[str, int]:
    net: dict[str, int] = defaultdict(int)
    for number, debit, credit in lines:
        net[number] += debit - credit
    return net


def elimination(
    recorded: Iterable[tuple[str, int, int]], group: Iterable[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """The lines that turn what the members recorded into what the group did: group − recorded,
    netted by account (an internal exchange is, for the group, its assets moving at cost)."""
    net = _net(group)
    for number, signed in _net(recorded).items():
        net[number] -= signed
    return [
        (number, signed, 0) if signed > 0 else (number, 0, -signed)
        for number, signed in sorted(net.items())
        if signed
    ]


def exchange_group_lines(legs: Sequence[Leg]) -> list[tuple[str, int, int]]:
    """An exchange inside the group: each non-cash asset moves at its giver's book value."""
    lines = []
    for leg in legs:
        if leg.kind != CASH and leg.giver_book_cents:
            lines += [
                (leg.receiver_account, leg.giver_book_cents, 0),
                (leg.giver_account, 0, leg.giver_book_cents),
            ]
    return lines


def participation_group_lines(*, cost: int, impairment: int) -> list[tuple[str, int, int]]:
    """A member's holding of another member, set against the host's capital: for the group
    the titles and the capital they stand for are one and the same, both eliminated."""
    return []


def participation_recorded_lines(
    *, cost: int, impairment: int, revaluation: int = 0
) -> list[tuple[str, int, int]]:
    lines = [(PARTICIPATIONS, cost, 0), ("1014", 0, cost)]
    if impairment:
        lines += [(IMPAIRMENT_CHARGE, impairment, 0), (IMPAIRMENT, 0, impairment)]
    if revaluation:
        lines += [(PARTICIPATIONS, revaluation, 0), (REVALUATION_RESERVE, 0, revaluation)]
    return lines


# --- Financing a federation as one ----------------------------------------------------------

EQUAL, NET_WORTH = "equal", "net_worth"
FINANCING_KEYS = (EQUAL, NET_WORTH)
# Only an operating grant splits by a key alone: a loan needs each member's own schedule and an
# investment grant the depreciable resource it finances, which the group cannot name for them.
FINANCING_KINDS = ("grant_operating",)


def financing_weights(key: str, equities: Sequence[int]) -> list[int]:
    """Each member's weight under the key: 1 each (`equal`), or its equity (net assets) at the
    offer's date, a member with none or less counting 0 (`net_worth`); refused when no
    member has any weight (the total would have nowhere to go)."""
    if key not in FINANCING_KEYS:
        raise ApplicationError.on_field("key", "invalid_value")
    weights = [1] * len(equities) if key == EQUAL else [max(0, cents) for cents in equities]
    if not any(weights):
        raise ApplicationError.on_field("key", "invalid_value")
    return weights


def financing_split(total_cents: int, key: str, equities: Sequence[int]) -> list[int]:
    """`total_cents` over the members (given by their equities, in the same order), by the
    documented key, exact to the cent: each share is its weight's exact part rounded down,
    the cents left going to the largest remainders, ties to the first member (`_allocate`)."""
    if isinstance(total_cents, bool) or not isinstance(total_cents, int) or total_cents <= 0:
        raise ApplicationError.on_field("amount_cents", "amount_not_positive")
    return _allocate(total_cents, financing_weights(key, equities))
