"""Writes of federation: a commons acting in another, its holdings (261), exchanges at two
valuations, borrowed assets. Every write is one transaction; refusals write nothing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money
from federage.core.transactions import write
from federage.federation import domain
from federage.federation.models import (
    Borrowing,
    Exchange,
    ExchangeLeg,
    Federation,
    FederationFinancing,
    FederationFinancingShare,
    FederationMember,
    Participation,
    ParticipationDisposal,
    Party,
)
from federage.funding import domain as funding_domain
from federage.funding import services as funding_services
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger import selectors as ledger_selectors
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput
from federage.titles import selectors as titles_selectors

logger = logging.getLogger(__name__)

APPROVE_EXCHANGE = "approve_exchange"
VALUATION_PARAMETER = "participations.valuation"
STEWARD = "steward"

# --- A commons' agent, represented by its stewards ----------------------------------------


def _commons(commons_id: int):
    found = commons_selectors.commons_by_ids(commons_ids=[commons_id]).get(commons_id)
    if found is None:
        raise ApplicationError("not_found")
    return found


def stewards_represent(*, commons_id: int, **_: Any) -> None:
    """Reaction: the users who act for the commons' agent are its stewards' users, kept in step
    on founding, joining, leaving and every change of roles (federage/reactions.py)."""
    commons = _commons(commons_id)
    stewards = commons_selectors.steward_agent_ids(commons_id=commons_id) - {commons.agent_id}
    users = agent_selectors.user_ids_of_agents(agent_ids=stewards)
    agent_services.representations_set_for_commons(agent_id=commons.agent_id, user_ids=users)


def membership_guard(*, commons_id: int, agent_id: int | None = None, **_: Any) -> None:
    """Reaction to a new membership: a commons may not join itself, one of its own sub-commons
    (already tied to it by the tree, so counted twice), nor a commons that already holds it
    directly or through others (a loop would leave combined books undefined)."""
    if agent_id is None:
        return
    agent = agent_selectors.agents_by_ids(agent_ids=[agent_id]).get(agent_id)
    if agent is None or agent.kind != "commons":
        return
    member = agent.commons.pk
    if member == commons_id:
        raise ApplicationError("commons_joins_itself")
    if commons_id in domain.descendants(commons_selectors.parent_map(), member):
        raise ApplicationError("commons_joins_own_subcommons")
    edges = [
        edge
        for edge in commons_selectors.commons_memberships_between_commons()
        if edge != (member, commons_id)
    ]
    if domain.holding_cycle(edges, member, commons_id):
        raise ApplicationError("circular_holding")


def _require_steward(user, commons) -> None:
    if STEWARD not in commons_selectors.roles_of_user(user=user, commons=commons):
        raise ApplicationError("permission_denied")


# --- Books --------------------------------------------------------------------------------


def _ensure_accounts(commons_id: int, numbers: set[str]) -> None:
    for number in sorted(numbers):
        # A sub-account the other commons uses (2081…) is opened under its parent here, whose
        # type it takes; a number without a parent is refused by the ledger.
        label, type = domain.ACCOUNTS.get(
            number, (f"Compte {number} (reçu d'un autre commun)", None)
        )
        ledger_services.account_ensure(commons_id=commons_id, number=number, label=label, type=type)


def _post(
    commons_id: int,
    lines: Sequence[tuple[str, int, int]],
    *,
    label: str,
    piece: str,
    key: str,
    source: str,
    source_id: int,
    decision_id: int | None = None,
    journal: str = "OD",
    day: dt.date | None = None,
) -> int:
    _ensure_accounts(commons_id, {number for number, _, _ in lines})
    entry = ledger_services.entry_post(
        commons_id=commons_id,
        journal=journal,
        entry_date=day or clock.today(),
        label=label[:200],
        piece_ref=piece,
        lines=[
            LineInput(number, debit=Money(debit))
            if debit
            else LineInput(number, credit=Money(credit))
            for number, debit, credit in lines
        ],
        idempotency_key=key,
        authorised_by={
            "source_type": source,
            "source_id": str(source_id),
            "decision_id": decision_id,
        },
        actor_user_id=None,
    )
    return entry.pk


def _balance(commons_id: int, number: str) -> int:
    book = ledger_selectors.book_of(commons_id=commons_id)
    closing = ledger_selectors.account_balances(book=book, at=clock.today()).closing()
    return sum(cents for account, cents in closing.items() if account.startswith(number))


def _lock_parties(*commons_ids: int) -> None:
    for commons_id in sorted(set(commons_ids)):
        Party.objects.get_or_create(commons_id=commons_id)
    list(
        Party.objects.select_for_update().filter(commons_id__in=commons_ids).order_by("commons_id")
    )


def demo_stock(*, commons_id: int, number: str, label: str, cents: int, key: str) -> None:
    """Demo only: an asset brought in kind (number under 20x/21x/31x), so a loan has a balance."""
    book = ledger_selectors.book_of(commons_id=commons_id)
    if number not in {account.number for account in ledger_selectors.accounts_of(book=book)}:
        ledger_services.account_create(
            commons_id=commons_id,
            number=number,
            label=label,
            actor_user_id=None,
            capital_kind="natural",
        )
    _post(
        commons_id,
        [(number, cents, 0), ("1014", 0, cents)],
        label=label,
        piece="DEMO",
        key=key,
        source="demo",
        source_id=commons_id,
        journal="AP",
    )


# --- Holdings of another commons' titles (261) --------------------------------------------


def _commons_agents() -> dict[int, int]:
    """agent id -> commons id, for every commons that is a member of another."""
    members = {member for member, _ in commons_selectors.commons_memberships_between_commons()}
    return {
        commons.agent_id: pk
        for pk, commons in commons_selectors.commons_by_ids(commons_ids=members).items()
    }


def _year_start(commons_id: int) -> dt.date:
    """The first day of the holder's fiscal year open today (a calendar year if none is)."""
    today = clock.today()
    try:
        book = ledger_selectors.book_of(commons_id=commons_id)
        return ledger_selectors.period_at(book=book, at=today).start
    except ApplicationError:
        return dt.date(today.year, 1, 1)


def _participation_locked(holder_commons_id: int, host_commons_id: int) -> Participation:
    _lock_parties(holder_commons_id)
    participation, _ = Participation.objects.get_or_create(
        holder_commons_id=holder_commons_id, host_commons_id=host_commons_id
    )
    return Participation.objects.select_for_update().get(pk=participation.pk)


@write
def participation_sync(*, holder_commons_id: int, host_commons_id: int, acquired_cents: int) -> int:
    """The holder's 261 grows with what its titles of the host cost (issuances at the price of
    the contribution, purchases), against what its members brought through it (1014, DESIGN
    §3). `acquired_cents` is the cost of every unit ever acquired; what already left is booked
    by `participation_disposal_book` (its ParticipationDisposal rows), so the cost to carry is
    acquired less the cost of the disposals booked. Returns 1 if it posted."""
    participation = _participation_locked(holder_commons_id, host_commons_id)
    left = participation.disposals.aggregate(total=Sum("cost_cents"))["total"] or 0
    target = acquired_cents - left
    change = target - participation.cost_cents
    if change <= 0:
        # Titles leaving never lower 261 here: each disposal does, at its proceeds and cost.
        return 0
    _post(
        holder_commons_id,
        [(domain.PARTICIPATIONS, change, 0), ("1014", 0, change)],
        label=f"Titres du commun n° {host_commons_id} : coût porté à {target} centimes",
        piece=f"PART-{participation.pk}",
        key=f"federation:participation:{participation.pk}:{target}:{participation.cost_cents}",
        source="participation",
        source_id=participation.pk,
        journal="TI",
    )
    participation.cost_cents = target
    participation.save()
    return 1


@write
def participation_disposal_book(
    *, holder_commons_id: int, host_commons_id: int, disposal: domain.Disposal
) -> int:
    """Units of the host's titles that left the holder (sold by its agent, or redeemed): in its
    books, journal TI, D 512 what it received / C 261 their average cost, the difference to a
    gain or a loss (domain.disposal_lines), the provision and fair-value gap on them released.
    Once per movement: the UNIQUE row, read under the holding's lock, makes a replay a no-op.
    Returns 1 if it posted."""
    participation = _participation_locked(holder_commons_id, host_commons_id)
    if ParticipationDisposal.objects.filter(
        source_type=disposal.source_type, source_id=disposal.source_id
    ).exists():
        return 0
    if disposal.cost_cents > participation.cost_cents:
        # The growth the units came with is not booked yet (the sweep books it first), or the
        # holding was booked before disposals were (its 261 already lowered): nothing to take.
        raise ApplicationError("participation_cost_short")
    released, gap, lines = domain.disposal_lines(
        disposal=disposal,
        carried_cost=participation.cost_cents,
        impairment=participation.impairment_cents,
        revaluation=participation.revaluation_cents,
        year_start=_year_start(holder_commons_id),
    )
    what = "Cession" if disposal.source_type == "sale" else "Rachat"
    entry_id = None
    if lines:
        entry_id = _post(
            holder_commons_id,
            lines,
            label=(
                f"{what} de {disposal.units} titres du commun n° {host_commons_id} : "
                f"{disposal.proceeds_cents} centimes reçus, coût {disposal.cost_cents}"
            ),
            piece=f"PART-{participation.pk}-{disposal.source_type.upper()}-{disposal.source_id}",
            key=f"federation:participation:{disposal.source_type}:{disposal.source_id}",
            source="participation",
            source_id=participation.pk,
            journal="TI",
        )
    ParticipationDisposal.objects.create(
        participation=participation,
        source_type=disposal.source_type,
        source_id=disposal.source_id,
        units=disposal.units,
        proceeds_cents=disposal.proceeds_cents,
        cost_cents=disposal.cost_cents,
        impairment_released_cents=released,
        revaluation_released_cents=gap,
        entry_id=entry_id,
        booked_at=clock.now(),
    )
    participation.cost_cents -= disposal.cost_cents
    participation.impairment_cents -= released
    participation.revaluation_cents -= gap
    participation.save()
    return 1


def participations_sync() -> int:
    """The worker's sweep: every commons' holdings of other commons' titles booked in its own
    books from the titles register (nothing runs on the host's deciding ballot): first the
    growth at cost, then each movement out not yet booked, each in its own transaction.
    A holding whose books refuse (a closed period…) waits for the next run."""
    agents = _commons_agents()
    if not agents:
        return 0
    slugs = commons_selectors.commons_by_ids(
        commons_ids={host for _, host in commons_selectors.commons_memberships_between_commons()}
    )
    booked = set(ParticipationDisposal.objects.values_list("source_type", "source_id"))
    count = 0
    movements = titles_selectors.movements_of_holders(agent_ids=list(agents))
    for (agent_id, host), rows in sorted(movements.items()):
        if host not in slugs:
            continue
        holder = agents[agent_id]
        acquired, disposals = domain.holding_replay(rows)
        try:
            count += participation_sync(
                holder_commons_id=holder, host_commons_id=host, acquired_cents=acquired
            )
            for disposal in disposals:
                if (disposal.source_type, disposal.source_id) in booked:
                    continue
                count += participation_disposal_book(
                    holder_commons_id=holder, host_commons_id=host, disposal=disposal
                )
        except ApplicationError as error:
            logger.warning("participation %s in %s waits: %s", holder, host, error.code)
    return count


def _fair_value(holder_commons_id: int, host_commons_id: int) -> int:
    holder = _commons(holder_commons_id)
    for row in titles_selectors.portfolio(agent_ids=[holder.agent_id]):
        if row["commons_slug"] == _commons(host_commons_id).slug:
            return row["value_cents"]
    return 0


def valuation_method(*, commons_id: int) -> str:
    """The holder's charter method for its holdings; a charter older than the rule (or none)
    keeps cost with impairment, the French default."""
    try:
        parameters = governance_selectors.charter_parameters(commons_id=commons_id)
    except ApplicationError:
        return domain.COST_IMPAIRMENT
    method = parameters.get(VALUATION_PARAMETER, domain.COST_IMPAIRMENT)
    return method if method in domain.VALUATION_METHODS else domain.COST_IMPAIRMENT


@write
def participation_revalue(*, participation_id: int) -> Participation:
    """The host's NAV of the units held is the fair value; the holder's charter says how its
    books carry it (domain.revaluation_lines): a fall below cost is provided in 2961 via 6866
    and reversed by 7866 under both methods; under fair value a rise above cost is carried in
    261 against 1052 (equity), under cost with impairment never above cost."""
    participation = Participation.objects.select_for_update().get(pk=participation_id)
    _lock_parties(participation.holder_commons_id)
    fair = _fair_value(participation.holder_commons_id, participation.host_commons_id)
    method = valuation_method(commons_id=participation.holder_commons_id)
    impairment, revaluation, lines = domain.revaluation_lines(
        method=method,
        cost=participation.cost_cents,
        impairment=participation.impairment_cents,
        revaluation=participation.revaluation_cents,
        fair_value=fair,
    )
    now = clock.now()
    if lines:
        what = "Réévaluation" if revaluation or participation.revaluation_cents else "Dépréciation"
        _post(
            participation.holder_commons_id,
            lines,
            label=f"{what} des titres du commun n° {participation.host_commons_id}",
            piece=f"DEPR-{participation.pk}",
            # From one state to the next: two revaluations in the same instant stay distinct.
            key=(
                f"federation:impairment:{participation.pk}:{now.isoformat()}:"
                f"{participation.impairment_cents}:{participation.revaluation_cents}:"
                f"{impairment}:{revaluation}"
            ),
            source="participation",
            source_id=participation.pk,
        )
    participation.impairment_cents = impairment
    participation.revaluation_cents = revaluation
    participation.method = method
    participation.fair_value_cents = fair
    participation.revalued_at = now
    participation.save()
    return participation


REVALUED_EVERY = dt.timedelta(days=1)


def participations_revalue() -> int:
    """The worker's sweep: every holding not revalued for a day, each in its own transaction."""
    count = 0
    stale = Q(revalued_at__isnull=True) | Q(revalued_at__lt=clock.now() - REVALUED_EVERY)
    for participation_id in (
        Participation.objects.filter(stale).order_by("id").values_list("pk", flat=True)
    ):
        participation_revalue(participation_id=participation_id)
        count += 1
    return count


# --- Exchanges ----------------------------------------------------------------------------


def _day_in(value: Any, field: str) -> dt.date | None:
    """A leg's optional date, as the API (a date) or a command (ISO text) gives it."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ApplicationError.on_field(field, "invalid_value")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError.on_field(field, "invalid_value") from None


def _legs_in(legs: Sequence[Mapping[str, Any]]) -> list[domain.Leg]:
    return [
        domain.Leg(
            giver=str(leg.get("giver", "")),
            kind=str(leg.get("kind", "")),
            label=str(leg.get("label", "")),
            value_a_cents=leg.get("value_a_cents"),
            value_b_cents=leg.get("value_b_cents"),
            giver_book_cents=leg.get("giver_book_cents") or 0,
            giver_account=str(leg.get("giver_account") or ""),
            receiver_account=str(leg.get("receiver_account") or ""),
            quantity=Decimal(str(leg.get("quantity") or 1)),
            unit=str(leg.get("unit") or ""),
            consumed_on=_day_in(leg.get("consumed_on"), f"legs.{index}.consumed_on"),
        )
        for index, leg in enumerate(legs)
    ]


def exchange_legs(exchange: Exchange) -> list[domain.Leg]:
    return [_leg_of(leg) for leg in exchange.legs.order_by("id")]


def executed_on(exchange: Exchange) -> dt.date | None:
    """The books' day the exchange executed on (`clock.today()` then, Paris time): the day
    `posting_lines` compared each use's `consumed_on` with."""
    if exchange.executed_at is None:
        return None
    return exchange.executed_at.astimezone(clock.BOOKS_TIME_ZONE).date()


def _leg_of(leg: ExchangeLeg) -> domain.Leg:
    return domain.Leg(
        giver=leg.giver,
        kind=leg.kind,
        label=leg.label,
        value_a_cents=leg.value_a_cents,
        value_b_cents=leg.value_b_cents,
        giver_book_cents=leg.giver_book_cents,
        giver_account=leg.giver_account,
        receiver_account=leg.receiver_account,
        quantity=leg.quantity,
        unit=leg.unit,
        consumed_on=leg.consumed_on,
    )


def _open_approval(user, exchange: Exchange, commons, side: str) -> int:
    other = _commons(exchange.commons_b_id if side == "a" else exchange.commons_a_id)
    proposal = governance_services.proposal_open(
        user=user,
        commons_id=commons.pk,
        kind=APPROVE_EXCHANGE,
        title=f"Échange avec {other.name}"[:200],
        body=exchange.terms,
        subject_type="exchange",
        subject_id=exchange.pk,
        payload={"exchange_id": exchange.pk, "side": side, "terms_hash": exchange.terms_hash},
    )
    return proposal.pk


@write
def exchange_propose(
    *, user, commons_slug: str, other_slug: str, terms: str, legs: Sequence[Mapping[str, Any]]
) -> Exchange:
    """A steward of one commons proposes an exchange with another; its own approve_exchange vote
    opens now, the other side's when one of its stewards submits it (`exchange_submit`)."""
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    _require_steward(user, commons)
    other = commons_selectors.commons_get_visible(user=user, slug=other_slug)
    if other.pk == commons.pk:
        raise ApplicationError.on_field("other_slug", "invalid_value")
    terms = (terms or "").strip()
    if not terms:
        raise ApplicationError.on_field("terms", "required")
    cleaned = domain.clean_legs(_legs_in(legs))
    exchange = Exchange.objects.create(
        commons_a_id=commons.pk,
        commons_b_id=other.pk,
        terms=terms,
        terms_hash=domain.terms_hash(terms, cleaned),
        proposed_by=user,
        created_at=clock.now(),
    )
    ExchangeLeg.objects.bulk_create(
        ExchangeLeg(exchange=exchange, **{**leg.__dict__}) for leg in cleaned
    )
    exchange.proposal_a_id = _open_approval(user, exchange, commons, "a")
    exchange.save(update_fields=["proposal_a_id"])
    for commons_id in (commons.pk, other.pk):
        event_record(
            type="exchange.proposed",
            commons_id=commons_id,
            actor_user_id=user.pk,
            data={"exchange_id": exchange.pk},
        )
    return exchange


def _lock_exchange(exchange_id: int) -> Exchange:
    exchange = Exchange.objects.select_for_update().filter(pk=exchange_id).first()
    if exchange is None:
        raise ApplicationError("not_found")
    return exchange


@write
def exchange_submit(*, user, exchange_id: int) -> Exchange:
    """A steward of the other side opens its approve_exchange vote on the same terms."""
    exchange = _lock_exchange(exchange_id)
    other = _commons(exchange.commons_b_id)
    commons_selectors.require_visible(user=user, commons=other)
    _require_steward(user, other)
    if exchange.state != "proposed" or exchange.proposal_b_id is not None:
        raise ApplicationError("exchange_closed")
    exchange.proposal_b_id = _open_approval(user, exchange, other, "b")
    exchange.state = "approving"
    exchange.save(update_fields=["proposal_b_id", "state"])
    return exchange


def _execute(exchange: Exchange) -> dict[str, Any]:
    """Both decisions passed on the same terms: one transaction posts in both books."""
    if exchange.state not in ("proposed", "approving"):
        raise ApplicationError("exchange_closed")
    if exchange.decision_a_id is None or exchange.decision_b_id is None:
        raise ApplicationError("exchange_not_approved")
    legs = exchange_legs(exchange)
    if domain.terms_hash(exchange.terms, legs) != exchange.terms_hash:
        raise ApplicationError("exchange_terms_mismatch")
    _lock_parties(exchange.commons_a_id, exchange.commons_b_id)
    sides = {"a": exchange.commons_a_id, "b": exchange.commons_b_id}
    # What each side gives from its books must be there, read under the lock.
    for side, commons_id in sides.items():
        needed: dict[str, int] = {}
        for leg in legs:
            if leg.giver == side and leg.giver_book_cents and leg.giver_account:
                needed[leg.giver_account] = needed.get(leg.giver_account, 0) + leg.giver_book_cents
        for number, cents in needed.items():
            if number != domain.BANK and _balance(commons_id, number) < cents:
                raise ApplicationError.on_field(f"legs.{side}", "insufficient_holding")
    today = clock.today()
    year_start = dt.date(today.year, 1, 1)
    entries = {}
    for side, commons_id in sides.items():
        other = sides["b" if side == "a" else "a"]
        entries[side] = _post(
            commons_id,
            domain.posting_lines(side, legs, year_start, today),
            label=f"Échange n° {exchange.pk} avec le commun n° {other}",
            piece=f"ECH-{exchange.pk}",
            key=f"federation:exchange:{exchange.pk}:{side}",
            source="exchange",
            source_id=exchange.pk,
            decision_id=exchange.decision_a_id if side == "a" else exchange.decision_b_id,
        )
    exchange.entry_a_id, exchange.entry_b_id = entries["a"], entries["b"]
    exchange.state = "executed"
    exchange.executed_at = clock.now()
    exchange.save()
    for commons_id in sides.values():
        event_record(
            type="exchange.executed",
            commons_id=commons_id,
            actor_user_id=None,
            data={"exchange_id": exchange.pk, "entries": entries},
        )
    return {"exchange_id": exchange.pk, "entry_a_id": entries["a"], "entry_b_id": entries["b"]}


@write
def exchange_execute(*, user, exchange_id: int) -> Exchange:
    """Runs a passed exchange again by hand (e.g. after a refusal left the effect pending)."""
    exchange = _lock_exchange(exchange_id)
    commons = _commons(exchange.commons_a_id)
    commons_selectors.require_visible(user=user, commons=commons)
    roles = commons_selectors.roles_of_user(user=user, commons=commons) | (
        commons_selectors.roles_of_user(user=user, commons=_commons(exchange.commons_b_id))
    )
    if STEWARD not in roles:
        raise ApplicationError("permission_denied")
    _execute(exchange)
    return exchange


def exchange_decided(context: governance_services.OutcomeContext) -> dict[str, Any]:
    """approve_exchange closed on one side: a refusal ends the exchange; a pass is recorded,
    and the second pass on the approved terms executes it in this same transaction."""
    proposal = context.proposal
    exchange = _lock_exchange(proposal.subject_id)
    side = "a" if proposal.commons_id == exchange.commons_a_id else "b"
    current = exchange.proposal_a_id if side == "a" else exchange.proposal_b_id
    if current != proposal.pk or exchange.state not in ("proposed", "approving"):
        return {"exchange_id": exchange.pk, "ignored": exchange.state}
    if context.status != "passed":
        exchange.state = "refused"
        exchange.save(update_fields=["state"])
        return {"exchange_id": exchange.pk, "state": "refused"}
    if (proposal.payload or {}).get("terms_hash") != exchange.terms_hash:
        raise ApplicationError("exchange_terms_mismatch")
    setattr(exchange, f"decision_{side}_id", context.decision_id)
    exchange.save(update_fields=[f"decision_{side}_id"])
    if exchange.decision_a_id is None or exchange.decision_b_id is None:
        return {"exchange_id": exchange.pk, "waiting_for": "b" if side == "a" else "a"}
    return _execute(exchange)


@write
def exchange_use_consume(*, leg_id: int) -> int | None:
    """A use or service received and booked to 486 at execution, consumed today or before:
    its receiver moves it to the expense, dated `consumed_on`, once (the leg's entry id and the
    ledger's idempotency key). Returns the entry id, or None when there is nothing to move."""
    leg = ExchangeLeg.objects.select_for_update().filter(pk=leg_id).first()
    if leg is None or leg.consumption_entry_id is not None or leg.consumed_on is None:
        return None
    exchange = leg.exchange
    executed = executed_on(exchange)
    if exchange.state != "executed" or leg.consumed_on > clock.today() or executed is None:
        return None
    value = _leg_of(leg)
    if not value.deferred(executed):
        return None  # consumed at once: the execution entry already booked the expense
    side = "b" if leg.giver == "a" else "a"
    commons_id = exchange.commons_b_id if side == "b" else exchange.commons_a_id
    entry_id = _post(
        commons_id,
        domain.consumption_lines(side, value),
        label=f"Échange n° {exchange.pk} : {leg.label} consommé"[:200],
        piece=f"ECH-{exchange.pk}",
        key=f"federation:exchange:{exchange.pk}:leg:{leg.pk}:consumed",
        source="exchange",
        source_id=exchange.pk,
        decision_id=exchange.decision_a_id if side == "a" else exchange.decision_b_id,
        day=leg.consumed_on,
    )
    leg.consumption_entry_id = entry_id
    leg.save(update_fields=["consumption_entry_id"])
    return entry_id


def exchange_uses_consume_due() -> int:
    """The worker's sweep: every use or service waiting in 486 whose day has come is expensed."""
    count = 0
    due = ExchangeLeg.objects.filter(
        exchange__state="executed",
        kind__in=[domain.USE, domain.SERVICE],
        consumed_on__lte=clock.today(),
        consumption_entry_id__isnull=True,
    ).order_by("id")
    for leg_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if exchange_use_consume(leg_id=leg_id) is not None:
                    count += 1
        except (ApplicationError, IntegrityError):
            logger.exception("exchange use %s not expensed", leg_id)
            continue
    return count


def exchange_payload_check(commons_id: int, payload: Mapping[str, Any]) -> dict[str, Any]:
    exchange = Exchange.objects.filter(pk=payload.get("exchange_id")).first()
    if exchange is None or commons_id not in (exchange.commons_a_id, exchange.commons_b_id):
        raise ApplicationError.on_field("payload.exchange_id", "not_found")
    if payload.get("terms_hash") != exchange.terms_hash:
        raise ApplicationError.on_field("payload.terms_hash", "exchange_terms_mismatch")
    side = "a" if commons_id == exchange.commons_a_id else "b"
    return {"exchange_id": exchange.pk, "side": side, "terms_hash": exchange.terms_hash}


# --- Borrowed assets ----------------------------------------------------------------------


@write
def borrowing_propose(
    *,
    user,
    borrower_slug: str,
    lender_slug: str,
    kind: str,
    label: str,
    quantity: Decimal,
    unit: str = "",
    lender_account: str,
    borrower_account: str,
    lender_book_cents: int,
    borrower_value_cents: int,
    fee_cents: int = 0,
    return_on: dt.date,
    indicator_code: str = "",
) -> Borrowing:
    """A steward of the borrower asks; the lender's steward accepts (`borrowing_accept`)."""
    borrower = commons_selectors.commons_get_visible(user=user, slug=borrower_slug)
    _require_steward(user, borrower)
    lender = commons_selectors.commons_get_visible(user=user, slug=lender_slug)
    if lender.pk == borrower.pk:
        raise ApplicationError.on_field("lender_slug", "invalid_value")
    if kind not in domain.BORROWING_KINDS:
        raise ApplicationError.on_field("kind", "invalid_value")
    if not (label or "").strip():
        raise ApplicationError.on_field("label", "required")
    if not quantity.is_finite() or quantity <= 0:
        raise ApplicationError.on_field("quantity", "invalid_value")
    for name, cents in (
        ("lender_book_cents", lender_book_cents),
        ("borrower_value_cents", borrower_value_cents),
    ):
        if cents <= 0:
            raise ApplicationError.on_field(name, "amount_not_positive")
    if fee_cents < 0:
        raise ApplicationError.on_field("fee_cents", "amount_not_positive")
    if return_on <= clock.today():
        raise ApplicationError.on_field("return_on", "invalid_value")
    if kind == domain.FUNGIBLE and not (lender_account and borrower_account):
        raise ApplicationError.on_field("lender_account", "required")
    return Borrowing.objects.create(
        lender_commons_id=lender.pk,
        borrower_commons_id=borrower.pk,
        kind=kind,
        label=" ".join(label.split())[:200],
        quantity=quantity,
        unit=unit,
        lender_account=lender_account or domain.LENT_OUT,
        borrower_account=borrower_account or domain.BORROWED_IN,
        lender_book_cents=lender_book_cents,
        borrower_value_cents=borrower_value_cents,
        fee_cents=fee_cents,
        return_on=return_on,
        indicator_code=indicator_code,
        proposed_by=user,
        created_at=clock.now(),
    )


def _lock_borrowing(borrowing_id: int) -> Borrowing:
    borrowing = Borrowing.objects.select_for_update().filter(pk=borrowing_id).first()
    if borrowing is None:
        raise ApplicationError("not_found")
    return borrowing


@write
def borrowing_accept(*, user, borrowing_id: int) -> Borrowing:
    """The lender's steward agrees: the loan starts, booked on both sides in one transaction."""
    borrowing = _lock_borrowing(borrowing_id)
    lender = _commons(borrowing.lender_commons_id)
    commons_selectors.require_visible(user=user, commons=lender)
    _require_steward(user, lender)
    if borrowing.state != "proposed":
        raise ApplicationError("borrowing_closed")
    _lock_parties(borrowing.lender_commons_id, borrowing.borrower_commons_id)
    if borrowing.kind == domain.FUNGIBLE and (
        _balance(lender.pk, borrowing.lender_account) < borrowing.lender_book_cents
    ):
        raise ApplicationError.on_field("lender_account", "insufficient_holding")
    lender_lines, borrower_lines = domain.borrowing_lines(
        borrowing.kind,
        lender_account=borrowing.lender_account,
        borrower_account=borrowing.borrower_account,
        lender_book=borrowing.lender_book_cents,
        borrower_value=borrowing.borrower_value_cents,
    )
    common = {"source": "borrowing", "source_id": borrowing.pk, "piece": f"PRET-{borrowing.pk}"}
    borrowing.entry_lender_id = _post(
        borrowing.lender_commons_id,
        lender_lines,
        label=f"Prêt n° {borrowing.pk} : {borrowing.label}",
        key=f"federation:borrowing:{borrowing.pk}:lender",
        **common,
    )
    borrowing.entry_borrower_id = _post(
        borrowing.borrower_commons_id,
        borrower_lines,
        label=f"Emprunt n° {borrowing.pk} : {borrowing.label}",
        key=f"federation:borrowing:{borrowing.pk}:borrower",
        **common,
    )
    borrowing.state = "active"
    borrowing.started_at = clock.now()
    borrowing.save()
    return borrowing


@write
def borrowing_return(*, borrowing_id: int) -> Borrowing:
    """At the return date: the borrower gives back as much (or the thing), and pays the fee;
    both books reverse the loan's entries and book the fee."""
    borrowing = _lock_borrowing(borrowing_id)
    if borrowing.state != "active":
        raise ApplicationError("borrowing_closed")
    _lock_parties(borrowing.lender_commons_id, borrowing.borrower_commons_id)
    lender_lines, borrower_lines = domain.borrowing_lines(
        borrowing.kind,
        lender_account=borrowing.lender_account,
        borrower_account=borrowing.borrower_account,
        lender_book=borrowing.lender_book_cents,
        borrower_value=borrowing.borrower_value_cents,
    )
    lender_lines = domain.reversed_lines(lender_lines)
    borrower_lines = domain.reversed_lines(borrower_lines)
    # The borrower gives back the same quantity, carried at its own value: its debt closes at
    # that value, the lender's receivable at its book value; nothing is gained on the return.
    common = {"source": "borrowing", "source_id": borrowing.pk, "piece": f"RETOUR-{borrowing.pk}"}
    _post(
        borrowing.lender_commons_id,
        lender_lines,
        label=f"Retour du prêt n° {borrowing.pk}",
        key=f"federation:borrowing:{borrowing.pk}:lender:return",
        **common,
    )
    _post(
        borrowing.borrower_commons_id,
        borrower_lines,
        label=f"Restitution de l'emprunt n° {borrowing.pk}",
        key=f"federation:borrowing:{borrowing.pk}:borrower:return",
        **common,
    )
    if borrowing.fee_cents:
        lender_fee, borrower_fee = domain.fee_lines(borrowing.kind, borrowing.fee_cents)
        _post(
            borrowing.lender_commons_id,
            lender_fee,
            label=f"Rémunération du prêt n° {borrowing.pk}",
            key=f"federation:borrowing:{borrowing.pk}:lender:fee",
            **common,
        )
        _post(
            borrowing.borrower_commons_id,
            borrower_fee,
            label=f"Rémunération de l'emprunt n° {borrowing.pk}",
            key=f"federation:borrowing:{borrowing.pk}:borrower:fee",
            **common,
        )
    borrowing.state = "returned"
    borrowing.returned_at = clock.now()
    borrowing.save()
    return borrowing


def borrowings_return_due() -> int:
    """The worker's sweep: every active loan whose return date has come is returned."""
    count = 0
    due = Borrowing.objects.filter(state="active", return_on__lte=clock.today()).order_by("id")
    for borrowing_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                borrowing_return(borrowing_id=borrowing_id)
            count += 1
        except (ApplicationError, IntegrityError):
            continue
    return count


# --- Federations --------------------------------------------------------------------------

JOIN_FEDERATION = "join_federation"


def _open_join(user, federation: Federation, commons) -> FederationMember:
    try:
        with transaction.atomic():
            member = FederationMember.objects.create(federation=federation, commons_id=commons.pk)
    except IntegrityError:
        raise ApplicationError("already_member") from None
    proposal = governance_services.proposal_open(
        user=user,
        commons_id=commons.pk,
        kind=JOIN_FEDERATION,
        title=f"Adhérer à la fédération {federation.name}"[:200],
        subject_type="federation_member",
        subject_id=member.pk,
        payload={"federation_id": federation.pk},
    )
    member.proposal_id = proposal.pk
    member.save(update_fields=["proposal_id"])
    return member


@write
def federation_create(
    *,
    user,
    slug: str,
    name: str,
    commons_slug: str,
    combination_agreement: bool = False,
    agreement_ref: str = "",
) -> Federation:
    """A steward founds a federation; its own commons joins by its join_federation decision."""
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    _require_steward(user, commons)
    if not (name or "").strip():
        raise ApplicationError.on_field("name", "required")
    agreement_ref = (agreement_ref or "").strip()
    if combination_agreement and not agreement_ref:
        raise ApplicationError.on_field("agreement_ref", "required")
    try:
        with transaction.atomic():
            federation = Federation.objects.create(
                slug=slug,
                name=name.strip(),
                combination_agreement=combination_agreement,
                agreement_ref=agreement_ref,
                created_by=user,
                created_at=clock.now(),
            )
    except IntegrityError:
        raise ApplicationError.on_field("slug", "slug_taken") from None
    _open_join(user, federation, commons)
    return federation


def _federation(slug: str) -> Federation:
    federation = Federation.objects.filter(slug=slug).first()
    if federation is None:
        raise ApplicationError("not_found")
    return federation


@write
def federation_join(*, user, federation_slug: str, commons_slug: str) -> FederationMember:
    """A steward asks its commons to join: a join_federation vote opens in that commons."""
    federation = _federation(federation_slug)
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    _require_steward(user, commons)
    return _open_join(user, federation, commons)


def federation_joined(context: governance_services.OutcomeContext) -> dict[str, Any]:
    member = (
        FederationMember.objects.select_for_update().filter(pk=context.proposal.subject_id).first()
    )
    if member is None or member.state != "pending" or member.proposal_id != context.proposal.pk:
        return {"ignored": True}
    member.decision_id = context.decision_id
    if context.status == "passed":
        member.state, member.joined_at = "active", clock.now()
    else:
        member.state, member.left_at = "left", clock.now()
    member.save()
    return {"federation_id": member.federation_id, "member_id": member.pk, "state": member.state}


def _member_ids(federation: Federation) -> set[int]:
    return set(
        FederationMember.objects.filter(federation=federation, state="active").values_list(
            "commons_id", flat=True
        )
    )


def federation_join_pending(*, federation_slug: str, commons_slug: str) -> FederationMember | None:
    """The pending membership of that commons (the founder's, opened by federation_create)."""
    return (
        FederationMember.objects.filter(federation__slug=federation_slug, state="pending")
        .filter(
            commons_id__in=[
                pk
                for pk, c in commons_selectors.commons_by_ids(
                    commons_ids=FederationMember.objects.filter(
                        federation__slug=federation_slug
                    ).values_list("commons_id", flat=True)
                ).items()
                if c.slug == commons_slug
            ]
        )
        .first()
    )


@write
def federation_leave(*, user, federation_slug: str, commons_slug: str) -> FederationMember:
    """A member leaves; refused while it has an exchange or a loan open with another member
    (the combined books would lose one half of it)."""
    federation = _federation(federation_slug)
    commons = commons_selectors.commons_get_visible(user=user, slug=commons_slug)
    _require_steward(user, commons)
    member = (
        FederationMember.objects.select_for_update()
        .filter(federation=federation, commons_id=commons.pk, state="active")
        .first()
    )
    if member is None:
        raise ApplicationError("not_a_member")
    others = _member_ids(federation) - {commons.pk}
    open_exchange = Exchange.objects.filter(state__in=["proposed", "approving"]).filter(
        Q(commons_a_id=commons.pk, commons_b_id__in=others)
        | Q(commons_b_id=commons.pk, commons_a_id__in=others)
    )
    open_loan = Borrowing.objects.filter(state__in=["proposed", "active"]).filter(
        Q(lender_commons_id=commons.pk, borrower_commons_id__in=others)
        | Q(borrower_commons_id=commons.pk, lender_commons_id__in=others)
    )
    if open_exchange.exists() or open_loan.exists():
        raise ApplicationError("federation_open_exchanges")
    member.state, member.left_at = "left", clock.now()
    member.save()
    return member


# --- Financing a federation as one ----------------------------------------------------------


def _equity_at(commons_id: int, day: dt.date) -> int:
    """The member's equity (net assets: assets less liabilities) in its own books on `day`,
    as the combined statements read them; 0 for a commons with no book or no year open then
    (it has recorded no net assets to weigh)."""
    try:
        balances = ledger_selectors.account_balances(
            book=ledger_selectors.book_of(commons_id=commons_id), at=day
        )
    except ApplicationError:
        return 0
    return sum(
        row.closing
        for row in balances.rows.values()
        if row.account.type in ledger_selectors.NET_ASSET_TYPES
    )


@write
def federation_financing_offer(
    *,
    user,
    federation_slug: str,
    agent_id: int | None,
    title: str,
    amount_cents: int,
    key: str,
    kind: str = "grant_operating",
) -> FederationFinancing:
    """A funder finances a federation as one: the total splits over its active members by the
    documented key (domain.financing_split), and each non-zero share is offered to its member
    as an ordinary financing, which that member accepts or refuses by its own accept_financing
    vote. Only an operating grant: a loan needs each member's schedule and an investment grant
    the resource it finances (domain.FINANCING_KINDS). Any refusal, for any member, refuses the
    whole offer and writes nothing."""
    from federage.federation import selectors

    federation = Federation.objects.select_for_update().filter(slug=federation_slug).first()
    if federation is None or not selectors.federation_visible(user=user, slug=federation_slug):
        raise ApplicationError("not_found")
    # The organisation offering, as funding will check it again for each member: never a
    # person or a commons (funding's _funder_agent).
    funder = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    if funder.kind in ("person", "commons"):
        raise ApplicationError.on_field("agent_id", "permission_denied")
    if kind not in domain.FINANCING_KINDS:
        raise ApplicationError.on_field("kind", "invalid_value")
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError.on_field("title", "required")
    funding_domain.check_amount(amount_cents)
    if key not in domain.FINANCING_KEYS:
        raise ApplicationError.on_field("key", "invalid_value")
    members = sorted(_member_ids(federation))
    if not members:
        raise ApplicationError.on_field("federation_slug", "invalid_value")
    day = clock.today()
    equities = [_equity_at(pk, day) if key == domain.NET_WORTH else 0 for pk in members]
    shares = domain.financing_split(amount_cents, key, equities)
    commons = commons_selectors.commons_by_ids(commons_ids=members)
    group = FederationFinancing.objects.create(
        federation=federation,
        funder_agent_id=funder.pk,
        kind=kind,
        title=title[:160],
        amount_cents=amount_cents,
        key=key,
        created_by=user,
        created_at=clock.now(),
    )
    for commons_id, share in zip(members, shares, strict=True):
        if not share:
            continue
        financing = funding_services.financing_offer(
            user=user,
            agent_id=funder.pk,
            commons_slug=commons[commons_id].slug,
            kind=kind,
            title=f"{title} (fédération {federation.name})",
            amount_cents=share,
        )
        FederationFinancingShare.objects.create(
            group=group, commons_id=commons_id, financing_id=financing.pk, amount_cents=share
        )
        event_record(
            type="federation.financed",
            commons_id=commons_id,
            actor_user_id=user.pk,
            data={
                "federation_id": federation.pk,
                "group_id": group.pk,
                "financing_id": financing.pk,
                "key": key,
                "amount_cents": share,
                "total_cents": amount_cents,
            },
        )
    return group
