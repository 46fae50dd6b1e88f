"""Reads on titles: cap table (now or as of a date), NAV and price history, portfolios, weights."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db.models import Q, Sum

from federage.agents import selectors as agent_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS, MAX_UNITS, Money
from federage.titles import domain, integration
from federage.titles.models import Holding, Issuance, NavPoint, Redemption, TitleClass, Transfer

ZERO = Decimal("0.0000")


def title_class_get(*, commons_id: int) -> TitleClass | None:
    return TitleClass.objects.filter(commons_id=commons_id).order_by("id").first()


def nav_at(
    *, commons_id: int, title_class: TitleClass | None, at: dt.datetime | None
) -> domain.Nav:
    """NAV now (from the book) or as of a moment (the last NAV point at or before it)."""
    charter = integration.charter_in_force(commons_id=commons_id)
    if at is None:
        outstanding = title_class.outstanding if title_class else ZERO
        return domain.nav_of(
            net_assets=integration.net_assets(commons_id=commons_id),
            outstanding=outstanding,
            initial_value=charter.initial_unit_value,
        )
    point = (
        NavPoint.objects.filter(commons_id=commons_id, at__lte=at).order_by("-at", "-id").first()
    )
    if point is None:
        return domain.nav_of(
            net_assets=Money(0), outstanding=ZERO, initial_value=charter.initial_unit_value
        )
    return domain.nav_of(
        net_assets=Money(point.net_assets_cents),
        outstanding=point.outstanding,
        initial_value=charter.initial_unit_value,
    )


def holdings_at(*, title_class: TitleClass, at: dt.datetime | None) -> dict[int, Decimal]:
    """Units per agent now (the holdings table) or as of a moment (replaying the movements)."""
    if at is None:
        return {
            agent: units
            for agent, units in Holding.objects.filter(title_class=title_class).values_list(
                "agent_id", "units"
            )
            if units > 0
        }
    units: dict[int, Decimal] = defaultdict(lambda: ZERO)
    issued = Issuance.objects.filter(title_class=title_class, issued_at__lte=at)
    for agent, quantity in issued.values_list("agent_id", "units"):
        units[agent] += quantity
    transfers = Transfer.objects.filter(
        title_class=title_class, state=Transfer.ACCEPTED, closed_at__lte=at
    )
    for seller, buyer, quantity in transfers.values_list("seller_id", "buyer_id", "units"):
        units[seller] -= quantity
        units[buyer] += quantity
    redeemed = Redemption.objects.filter(
        title_class=title_class, state=Redemption.EXECUTED, executed_at__lte=at
    )
    for agent, quantity in redeemed.values_list("agent_id", "units"):
        units[agent] -= quantity
    return {agent: quantity for agent, quantity in units.items() if quantity > 0}


def cap_table(*, commons_id: int, at: dt.datetime | None = None) -> dict:
    """The register of titles: holders, units, % of capital, value at NAV (now or as of `at`)."""
    title_class = title_class_get(commons_id=commons_id)
    nav = nav_at(commons_id=commons_id, title_class=title_class, at=at)
    holdings = holdings_at(title_class=title_class, at=at) if title_class else {}
    outstanding = sum(holdings.values(), ZERO)
    agents = agent_selectors.agents_by_ids(agent_ids=list(holdings))
    rows = [
        {
            "agent_id": agent_id,
            "agent_name": agents[agent_id].display_name,
            "agent_kind": agents[agent_id].kind,
            "units": units,
            "percent": domain.capital_share(units, outstanding),
            "value_cents": domain.holding_value(units, nav).cents,
        }
        for agent_id, units in holdings.items()
    ]
    rows.sort(key=lambda row: (-row["units"], row["agent_name"]))
    return {
        "class_name": title_class.name if title_class else "",
        "scale": domain.UNIT_SCALE,
        "at": at,
        "outstanding": outstanding,
        "net_assets_cents": nav.net_assets_cents,
        "unit_value_cents": nav.cents_per_unit(),
        "is_initial_value": nav.is_initial,
        "holders": rows,
    }


def transfer_terms(
    *,
    commons_id: int,
    agent_ids: Iterable[int],
    units: Decimal | None = None,
    unit_price_cents: int | None = None,
) -> dict:
    """What a seller sees before proposing a transfer: the value of a title now, what each of
    `agent_ids` holds and its worth, the charter's tax rate and, for a given offer, its price and
    tax by the very rules `transfer_propose` applies (the buyer pays the tax; it is computed
    again at acceptance under the charter then in force)."""
    title_class = title_class_get(commons_id=commons_id)
    nav = nav_at(commons_id=commons_id, title_class=title_class, at=None)
    charter = integration.charter_in_force(commons_id=commons_id)
    held = holdings_at(title_class=title_class, at=None) if title_class else {}
    price = tax = value = None
    # An offer out of bounds gets no figures (proposing it would be refused on its field).
    if units is not None and units.is_finite() and 0 < units <= MAX_UNITS:
        units = domain.quantize_units(units)
        value = domain.holding_value(units, nav).cents
        if unit_price_cents is not None and 0 < unit_price_cents <= MAX_CENTS:
            agreed = domain.agreed_price(units, Money(unit_price_cents))
            if agreed.cents <= MAX_CENTS:
                price = agreed.cents
                tax = domain.transfer_tax(agreed, charter.transfer_tax_bp).cents
    else:
        units = None
    return {
        "unit_value_cents": nav.cents_per_unit(),
        "is_initial_value": nav.is_initial,
        "tax_rate_bp": charter.transfer_tax_bp,
        "tax_payer": "buyer",
        "holdings": [
            {
                "agent_id": agent_id,
                "units": held[agent_id],
                "value_cents": domain.holding_value(held[agent_id], nav).cents,
            }
            for agent_id in sorted(agent_ids)
            if held.get(agent_id, ZERO) > 0
        ],
        "units": units,
        "value_cents": value,
        "price_cents": price,
        "tax_cents": tax,
    }


def nav_history(*, commons_id: int, limit: int = 1000) -> list[NavPoint]:
    """The unit value at each movement of titles, oldest first, ending with today's value.

    Points are recorded when titles move; entries booked since the last movement change the
    value too, so a last point (cause `books`, not stored) carries the value the register
    shows now, and the chart ends where the cap table and the dashboard stand.
    """
    points = list(
        reversed(NavPoint.objects.filter(commons_id=commons_id).order_by("-at", "-id")[:limit])
    )
    if not points:
        return points
    last = points[-1]
    nav = nav_at(commons_id=commons_id, title_class=last.title_class, at=None)
    if (nav.net_assets_cents, domain.to_ticks(last.outstanding)) != (
        last.net_assets_cents,
        nav.outstanding_ticks,
    ):
        points.append(
            NavPoint(
                commons_id=commons_id,
                title_class=last.title_class,
                at=max(clock.now(), last.at),
                net_assets_cents=nav.net_assets_cents,
                outstanding=domain.from_ticks(nav.outstanding_ticks),
                unit_value_cents=nav.cents_per_unit(),
                cause="books",
                cause_id=None,
            )
        )
    return points


def price_history(*, commons_id: int, limit: int = 1000) -> list[Transfer]:
    """Accepted transfers, oldest first: each agreed unit price beside the NAV at that moment."""
    transfers = Transfer.objects.filter(commons_id=commons_id, state=Transfer.ACCEPTED).order_by(
        "-closed_at", "-id"
    )[:limit]
    return list(reversed(transfers))


def transfers_of(*, commons_id: int, agent_ids: Iterable[int] | None = None) -> list[Transfer]:
    transfers = Transfer.objects.filter(commons_id=commons_id)
    if agent_ids is not None:
        ids = list(agent_ids)
        transfers = transfers.filter(Q(seller_id__in=ids) | Q(buyer_id__in=ids))
    return list(transfers.select_related("seller", "buyer").order_by("-proposed_at", "-id"))


def transfer_get(*, transfer_id: int) -> Transfer | None:
    return (
        Transfer.objects.select_related("seller", "buyer", "commons").filter(pk=transfer_id).first()
    )


def redemptions_of(*, commons_id: int) -> list[Redemption]:
    return list(Redemption.objects.filter(commons_id=commons_id).order_by("-requested_at", "-id"))


def issuances_of(*, commons_id: int) -> list[Issuance]:
    return list(Issuance.objects.filter(commons_id=commons_id).order_by("issued_at", "id"))


def portfolio(*, agent_ids: Iterable[int]) -> list[dict]:
    """Holdings of these agents across commons, valued at each commons' NAV now.

    `invested_cents` is what the holdings cost: prices of issuances and purchases, less sales
    and redemptions; the gain is value − invested.
    """
    ids = list(agent_ids)
    rows = []
    holdings = (
        Holding.objects.filter(agent_id__in=ids, units__gt=0)
        .select_related("title_class", "commons")
        .order_by("commons__name", "agent_id")
    )
    for holding in holdings:
        commons_id = holding.commons_id
        nav = nav_at(commons_id=commons_id, title_class=holding.title_class, at=None)
        agent = holding.agent_id
        issued = Issuance.objects.filter(commons_id=commons_id, agent_id=agent).aggregate(
            total=Sum("price_cents")
        )["total"]
        accepted = Transfer.objects.filter(commons_id=commons_id, state=Transfer.ACCEPTED)
        bought = accepted.filter(buyer_id=agent).aggregate(total=Sum("price_cents"))["total"]
        sold = accepted.filter(seller_id=agent).aggregate(total=Sum("price_cents"))["total"]
        redeemed = Redemption.objects.filter(
            commons_id=commons_id, agent_id=agent, state=Redemption.EXECUTED
        ).aggregate(total=Sum("value_cents"))["total"]
        invested = (issued or 0) + (bought or 0) - (sold or 0) - (redeemed or 0)
        value = domain.holding_value(holding.units, nav).cents
        rows.append(
            {
                "commons_slug": holding.commons.slug,
                "commons_name": holding.commons.name,
                "agent_id": agent,
                "units": holding.units,
                "reserved_units": holding.reserved_units,
                "percent": domain.capital_share(holding.units, holding.title_class.outstanding),
                "unit_value_cents": nav.cents_per_unit(),
                "value_cents": value,
                "invested_cents": invested,
                "gain_cents": value - invested,
            }
        )
    return rows


def movements_of_holders(*, agent_ids: Iterable[int]) -> dict[tuple[int, int], list[dict]]:
    """Every movement of these agents' titles, per (agent id, commons id), oldest first: units
    in (issuances at their price, purchases at the agreed price) and out (sales at the agreed
    price, which the seller receives whole: the transfer tax is the buyer's; executed
    redemptions at the value paid). Pairs whose units are all gone are kept (`portfolio` skips
    them): a holder's books must still see the movement that emptied them."""
    ids = list(agent_ids)
    found: dict[tuple[int, int], list[dict]] = defaultdict(list)

    def add(agent: int, commons: int, kind: str, pk: int, at, units, cents: int) -> None:
        found[(agent, commons)].append(
            {"kind": kind, "id": pk, "at": at, "units": units, "cents": cents}
        )

    for item in Issuance.objects.filter(agent_id__in=ids):
        moved = (item.pk, item.issued_at, item.units, item.price_cents)
        add(item.agent_id, item.commons_id, "issuance", *moved)
    accepted = Transfer.objects.filter(
        Q(seller_id__in=ids) | Q(buyer_id__in=ids), state=Transfer.ACCEPTED
    )
    for item in accepted:
        moved = (item.pk, item.closed_at, item.units, item.price_cents)
        if item.buyer_id in ids:
            add(item.buyer_id, item.commons_id, "purchase", *moved)
        if item.seller_id in ids:
            add(item.seller_id, item.commons_id, "sale", *moved)
    for item in Redemption.objects.filter(agent_id__in=ids, state=Redemption.EXECUTED):
        moved = (item.pk, item.executed_at, item.units, item.value_cents or 0)
        add(item.agent_id, item.commons_id, "redemption", *moved)
    # Ins before outs at the same instant: a sale never precedes the units it sells.
    rank = {"issuance": 0, "purchase": 0, "sale": 1, "redemption": 1}
    return {
        pair: sorted(rows, key=lambda row: (row["at"], rank[row["kind"]], row["kind"], row["id"]))
        for pair, rows in found.items()
    }


def weights_for(commons_id: int, agent_ids: list[int]) -> Mapping[int, int]:
    """Governance's weight provider: titles held, in ticks (the smallest title fraction)."""
    held = Holding.objects.filter(commons_id=commons_id, agent_id__in=agent_ids, units__gt=0)
    return {agent: domain.to_ticks(units) for agent, units in held.values_list("agent_id", "units")}


def totals(*, commons_id: int) -> dict[str, Decimal]:
    """Units issued, redeemed, held and outstanding: the invariant the tests check."""
    issued = Issuance.objects.filter(commons_id=commons_id).aggregate(total=Sum("units"))["total"]
    redeemed = Redemption.objects.filter(
        commons_id=commons_id, state=Redemption.EXECUTED
    ).aggregate(total=Sum("units"))["total"]
    held = Holding.objects.filter(commons_id=commons_id).aggregate(total=Sum("units"))["total"]
    title_class = title_class_get(commons_id=commons_id)
    counted = {
        "issued": issued or ZERO,
        "redeemed": redeemed or ZERO,
        "held": held or ZERO,
        "outstanding": title_class.outstanding if title_class else ZERO,
    }
    # SQLite keeps a fractional decimal as a binary float and sums it as one (0.005 − 0.0048 comes
    # back 0.000200000000000001): sums are read at the units' scale, as each row already is.
    return {name: value.quantize(domain.UNIT_QUANTUM) for name, value in counted.items()}


def titles_verify(*, commons_id: int) -> list[str]:
    """Problems in a commons' titles register: units issued − redeemed must equal units held
    and the class's outstanding count; empty when it verifies."""
    counted = totals(commons_id=commons_id)
    expected = counted["issued"] - counted["redeemed"]
    problems = []
    if counted["held"] != expected:
        problems.append(f"units held {counted['held']} ≠ issued − redeemed {expected}")
    if counted["outstanding"] != expected:
        problems.append(
            f"outstanding units {counted['outstanding']} ≠ issued − redeemed {expected}"
        )
    if Holding.objects.filter(commons_id=commons_id, units__lt=0).exists():
        problems.append("a holding is negative")
    problems += reservation_problems(commons_id=commons_id)
    return problems + issuance_price_problems(commons_id=commons_id)


def reservation_problems(*, commons_id: int) -> list[str]:
    """Each holding's reserved units must be the sum of its requested redemptions."""
    requested: dict[tuple[int, int], Decimal] = {}
    for class_id, agent_id, units in Redemption.objects.filter(
        commons_id=commons_id, state=Redemption.REQUESTED
    ).values_list("title_class_id", "agent_id", "units"):
        requested[(class_id, agent_id)] = requested.get((class_id, agent_id), ZERO) + units
    problems = []
    for class_id, agent_id, reserved in Holding.objects.filter(commons_id=commons_id).values_list(
        "title_class_id", "agent_id", "reserved_units"
    ):
        expected = requested.pop((class_id, agent_id), ZERO).quantize(domain.UNIT_QUANTUM)
        if reserved.quantize(domain.UNIT_QUANTUM) != expected:
            problems.append(
                f"holding of agent {agent_id}: {reserved} units reserved ≠ {expected} requested"
            )
    for (_, agent_id), units in requested.items():
        problems.append(f"agent {agent_id}: {units} units requested for redemption, none held")
    return problems


def issuance_price_problems(*, commons_id: int) -> list[str]:
    """Every issuance priced again from the books as they stood just before its entry was
    recorded, and from the units outstanding then; one line per issuance that differs.

    This is the no-dilution rule made checkable: units = price / (net assets of every entry
    recorded before the issuance's own, over units outstanding), rounded down.
    """
    initial_by_version = integration.initial_unit_values(commons_id=commons_id)
    current_initial = integration.charter_in_force(commons_id=commons_id).initial_unit_value
    redeemed = list(
        Redemption.objects.filter(commons_id=commons_id, state=Redemption.EXECUTED).values_list(
            "executed_at", "units"
        )
    )
    problems = []
    issued = ZERO
    for issuance in Issuance.objects.filter(commons_id=commons_id).order_by("issued_at", "id"):
        outstanding = issued - sum(
            (units for at, units in redeemed if at <= issuance.issued_at), ZERO
        )
        issued += issuance.units
        name = f"issuance {issuance.pk}"
        if issuance.nav_outstanding != outstanding:
            problems.append(
                f"{name}: priced on {issuance.nav_outstanding} units outstanding, "
                f"the register had {outstanding}"
            )
        if issuance.entry_id is None:
            continue
        recorded = integration.net_assets(commons_id=commons_id, before_entry_id=issuance.entry_id)
        if recorded.cents != issuance.nav_net_assets_cents:
            problems.append(
                f"{name}: priced on net assets {Money(issuance.nav_net_assets_cents)}, "
                f"the entries recorded before it hold {recorded}"
            )
        initial = initial_by_version.get(issuance.charter_version_id, current_initial)
        nav = domain.nav_of(net_assets=recorded, outstanding=outstanding, initial_value=initial)
        try:
            units = domain.issuance_quantity(Money(issuance.price_cents), nav)
        except ApplicationError as error:
            problems.append(f"{name}: no unit value to issue at ({error.code})")
            continue
        if units != issuance.units:
            problems.append(f"{name}: {issuance.units} units issued, {units} due at that value")
    return problems


def personal_data(*, agent_ids: Iterable[int]) -> dict[str, list[dict]]:
    """What the titles register holds about these agents: holdings, issuances, transfers and
    redemptions (a person's data export)."""
    ids = list(agent_ids)
    return {
        "holdings": [
            {
                "commons_slug": holding.commons.slug,
                "agent_id": holding.agent_id,
                "units": str(holding.units),
                "reserved_units": str(holding.reserved_units),
            }
            for holding in Holding.objects.filter(agent_id__in=ids).select_related("commons")
        ],
        "issuances": [
            {
                "commons_id": item.commons_id,
                "agent_id": item.agent_id,
                "units": str(item.units),
                "price_cents": item.price_cents,
                "issued_at": item.issued_at.isoformat(),
            }
            for item in Issuance.objects.filter(agent_id__in=ids).order_by("id")
        ],
        "transfers": [
            {
                "id": item.pk,
                "commons_id": item.commons_id,
                "seller_agent_id": item.seller_id,
                "buyer_agent_id": item.buyer_id,
                "units": str(item.units),
                "price_cents": item.price_cents,
                "state": item.state,
                "proposed_at": item.proposed_at.isoformat(),
            }
            for item in Transfer.objects.filter(
                Q(seller_id__in=ids) | Q(buyer_id__in=ids)
            ).order_by("id")
        ],
        "redemptions": [
            {
                "id": item.pk,
                "commons_id": item.commons_id,
                "agent_id": item.agent_id,
                "units": str(item.units),
                "state": item.state,
                "value_cents": item.value_cents,
                "requested_at": item.requested_at.isoformat(),
            }
            for item in Redemption.objects.filter(agent_id__in=ids).order_by("id")
        ],
    }


def units_held_by(*, agent_ids: Iterable[int]) -> Decimal:
    """Units these agents hold across commons (an erasure waits until it is zero)."""
    total = Holding.objects.filter(agent_id__in=list(agent_ids)).aggregate(total=Sum("units"))
    return total["total"] or ZERO


def obligations_open_count(*, agent_ids: Iterable[int]) -> int:
    """Transfers these agents are party to still proposed, and their redemptions requested."""
    ids = list(agent_ids)
    proposed = Transfer.objects.filter(
        Q(seller_id__in=ids) | Q(buyer_id__in=ids), state=Transfer.PROPOSED
    ).count()
    return (
        proposed + Redemption.objects.filter(agent_id__in=ids, state=Redemption.REQUESTED).count()
    )
