"""Writes on titles: issuance at NAV, transfers (propose, accept, refuse, cancel), redemptions.

No holding ever goes negative: every debit of a holding is one conditional UPDATE
(`units >= n`) whose row count is checked, under the CHECK constraint of the table.
A redemption request reserves its units the same way (`units - reserved_units >= n`, under
CHECK `0 <= reserved_units <= units`): reserved units cannot be offered, transferred or
redeemed again until the redemption is executed (which takes them) or withdrawn.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import Money, check_cents, check_units
from federage.core.transactions import write
from federage.titles import domain, integration, tasks
from federage.titles.models import Holding, Issuance, NavPoint, Redemption, TitleClass, Transfer

DEFAULT_CLASS_NAME = "Parts du commun"

logger = logging.getLogger(__name__)


def title_class_of(*, commons_id: int) -> TitleClass:
    """The commons' title class, created on first use."""
    existing = TitleClass.objects.filter(commons_id=commons_id).order_by("id").first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TitleClass.objects.create(
                commons_id=commons_id, name=DEFAULT_CLASS_NAME, created_at=clock.now()
            )
    except IntegrityError:
        return TitleClass.objects.get(commons_id=commons_id, name=DEFAULT_CLASS_NAME)


def nav_now(
    *, commons_id: int, title_class: TitleClass | None = None, for_update: bool = False
) -> domain.Nav:
    """The unit value now: net assets from the book over units outstanding.

    `for_update` locks the class row first: every movement does, so movements of one commons
    run one at a time and none prices units on a NAV another is about to change.
    """
    title_class = title_class or title_class_of(commons_id=commons_id)
    rows = TitleClass.objects.filter(pk=title_class.pk)
    if for_update:
        rows = rows.select_for_update()
    outstanding = rows.values_list("outstanding", flat=True).get()
    charter = integration.charter_in_force(commons_id=commons_id)
    return domain.nav_of(
        net_assets=integration.net_assets(commons_id=commons_id),
        outstanding=outstanding,
        initial_value=charter.initial_unit_value,
    )


@dataclass(frozen=True)
class Pricing:
    """What a movement priced at the NAV reads once: the class row (locked), the charter in
    force and the NAV they give with the book's net assets."""

    title_class: TitleClass
    charter: integration.Charter
    nav: domain.Nav


def _class_locked(commons_id: int) -> TitleClass:
    """The commons' title class, its row locked: its `outstanding` is read under the lock."""
    rows = TitleClass.objects.select_for_update().filter(commons_id=commons_id).order_by("id")
    title_class = rows.first()
    if title_class is None:
        title_class_of(commons_id=commons_id)  # created on first use
        title_class = rows.first()
    return title_class


def pricing_locked(
    *, commons_id: int, charter_in_force: tuple[int, Mapping[str, Any]] | None = None
) -> Pricing:
    """`nav_now(for_update=True)` read in three statements (class row, charter, net assets),
    with the class row and the charter kept for the issuance that follows (`issuance_create`'s
    `pricing`), so neither is read again. `charter_in_force`: (version id, parameters) when
    the caller read them in this transaction (a closing vote does), so two statements."""
    title_class = _class_locked(commons_id)
    if charter_in_force is None:
        charter = integration.charter_in_force(commons_id=commons_id)
    else:
        charter = integration.Charter(charter_in_force[0], dict(charter_in_force[1]))
    nav = domain.nav_of(
        net_assets=integration.net_assets(commons_id=commons_id),
        outstanding=title_class.outstanding,
        initial_value=charter.initial_unit_value,
    )
    return Pricing(title_class, charter, nav)


def _nav_point(
    title_class: TitleClass, cause: str, cause_id: int | None, nav: domain.Nav | None = None
) -> NavPoint:
    """Records the NAV after a movement: `nav` when the caller knows it, else read now."""
    if nav is None:
        nav = nav_now(commons_id=title_class.commons_id, title_class=title_class)
    return NavPoint.objects.create(
        commons_id=title_class.commons_id,
        title_class=title_class,
        at=clock.now(),
        net_assets_cents=nav.net_assets_cents,
        outstanding=domain.from_ticks(nav.outstanding_ticks),
        unit_value_cents=nav.cents_per_unit(),
        cause=cause,
        cause_id=cause_id,
    )


def _credit(title_class: TitleClass, agent_id: int, units: Decimal) -> None:
    updated = Holding.objects.filter(title_class=title_class, agent_id=agent_id).update(
        units=F("units") + units, updated_at=clock.now()
    )
    if updated:
        return
    try:
        with transaction.atomic():
            Holding.objects.create(
                commons_id=title_class.commons_id,
                title_class=title_class,
                agent_id=agent_id,
                units=units,
                updated_at=clock.now(),
            )
    except IntegrityError:
        # A concurrent first credit created the row: add to it.
        Holding.objects.filter(title_class=title_class, agent_id=agent_id).update(
            units=F("units") + units, updated_at=clock.now()
        )


def _refuse_short(title_class: TitleClass, agent_id: int, units: Decimal) -> ApplicationError:
    """Why `units` are not free: the holder has fewer (`insufficient_titles`), or enough but
    some are under a redemption request (`titles_reserved`)."""
    held = units_held(title_class=title_class, agent_id=agent_id)
    code = "titles_reserved" if held >= units else "insufficient_titles"
    return ApplicationError.on_field("units", code)


def _debit(title_class: TitleClass, agent_id: int, units: Decimal) -> None:
    """Takes free (unreserved) units from a holding, or refuses `insufficient_titles` /
    `titles_reserved` having written nothing."""
    updated = Holding.objects.filter(
        title_class=title_class,
        agent_id=agent_id,
        units__gte=F("reserved_units") + units,
    ).update(units=F("units") - units, updated_at=clock.now())
    if updated != 1:
        raise _refuse_short(title_class, agent_id, units)


def _reserve(title_class: TitleClass, agent_id: int, units: Decimal) -> None:
    """Puts free units under a redemption request: one conditional UPDATE, so two requests at
    once never reserve more than is held (the CHECK `reserved_units <= units` stands behind)."""
    updated = Holding.objects.filter(
        title_class=title_class,
        agent_id=agent_id,
        units__gte=F("reserved_units") + units,
    ).update(reserved_units=F("reserved_units") + units, updated_at=clock.now())
    if updated != 1:
        raise _refuse_short(title_class, agent_id, units)


def _release(title_class: TitleClass, agent_id: int, units: Decimal, *, take: bool) -> None:
    """Ends a reservation: `take` removes the units too (execution), else frees them
    (withdrawal). A reservation that is not there is a broken register: refused, not hidden."""
    changes = {"reserved_units": F("reserved_units") - units, "updated_at": clock.now()}
    if take:
        changes["units"] = F("units") - units
    updated = Holding.objects.filter(
        title_class=title_class, agent_id=agent_id, reserved_units__gte=units, units__gte=units
    ).update(**changes)
    if updated != 1:
        raise ApplicationError.on_field("units", "insufficient_titles")


def units_held(*, title_class: TitleClass, agent_id: int) -> Decimal:
    units = (
        Holding.objects.filter(title_class=title_class, agent_id=agent_id)
        .values_list("units", flat=True)
        .first()
    )
    return units if units is not None else Decimal("0.0000")


def units_free(*, title_class: TitleClass, agent_id: int) -> Decimal:
    """Units held and not under a redemption request: what may be offered or redeemed."""
    row = (
        Holding.objects.filter(title_class=title_class, agent_id=agent_id)
        .values_list("units", "reserved_units")
        .first()
    )
    return row[0] - row[1] if row is not None else Decimal("0.0000")


def issuance_units(price: Money, nav: domain.Nav) -> Decimal:
    """The units `price` buys at `nav` (rounded down), or the refusal: a caller that must refuse
    before it writes asks this first."""
    units = check_units(domain.issuance_quantity(price, nav), "price")  # a tiny NAV: too many
    if units <= 0:
        # The price buys less than one tick: nothing to issue, the value stays with the commons.
        raise ApplicationError.on_field("price", "amount_not_positive")
    return units


@write
def issuance_create(
    *,
    commons_id: int,
    agent_id: int,
    price: Money,
    nav: domain.Nav,
    source_type: str,
    source_id: int | str,
    decision_id: int | None,
    charter_version_id: int | None,
    entry_id: int | None,
    actor_user_id: int | None,
    pricing: Pricing | None = None,
    net_assets_after: Money | None = None,
) -> Issuance:
    """Issues price / NAV units (rounded down) to the agent, at the NAV given.

    The caller computes `nav` with `nav_now` before it books the entry that brings the value
    in, so the contributor buys in at the value existing holders had (no dilution).
    `pricing`: what the caller read with `pricing_locked` in this transaction (its `nav` is
    then the `nav` given): the class row it locked and the charter are not read again, and
    the NAV after the issuance is the book's net assets over the units outstanding before
    plus those issued (the row stays locked, nothing else moves them); `net_assets_after`:
    those net assets when the caller knows them (the NAV's plus what its entry added).
    """
    if pricing is not None:
        assert pricing.title_class.commons_id == commons_id and pricing.nav == nav
    title_class = pricing.title_class if pricing else title_class_of(commons_id=commons_id)
    units = issuance_units(price, nav)
    issuance = Issuance.objects.create(
        commons_id=commons_id,
        title_class=title_class,
        agent_id=agent_id,
        units=units,
        price_cents=price.cents,
        nav_net_assets_cents=nav.net_assets_cents,
        nav_outstanding=domain.from_ticks(nav.outstanding_ticks),
        unit_value_cents=nav.cents_per_unit(),
        source_type=source_type,
        source_id=str(source_id),
        decision_id=decision_id,
        charter_version_id=charter_version_id,
        entry_id=entry_id,
        issued_at=clock.now(),
    )
    _credit(title_class, agent_id, units)
    TitleClass.objects.filter(pk=title_class.pk).update(outstanding=F("outstanding") + units)
    after = None
    if pricing is not None:
        title_class.outstanding += units
        if net_assets_after is None:
            net_assets_after = integration.net_assets(commons_id=commons_id)
        after = domain.nav_of(
            net_assets=net_assets_after,
            outstanding=title_class.outstanding,
            initial_value=pricing.charter.initial_unit_value,
        )
    _nav_point(title_class, "issuance", issuance.pk, after)
    event_record(
        type="titles.issued",
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data={
            "issuance_id": issuance.pk,
            "agent_id": agent_id,
            "units": str(units),
            "price_cents": price.cents,
            "entry_id": entry_id,
            "decision_id": decision_id,
        },
    )
    return issuance


# --- Transfers -----------------------------------------------------------------------------


def _commons_member_agent(user, slug: str, agent_id: int | None):
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    agent = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
    return commons, agent


def _is_member(commons, agent_id: int) -> bool:
    return commons_selectors.active_members(commons=commons).filter(agent_id=agent_id).exists()


@write
def transfer_propose(
    *,
    user,
    commons_slug: str,
    buyer_agent_id: int,
    units: Decimal,
    unit_price_cents: int,
    seller_agent_id: int | None = None,
) -> Transfer:
    """The seller offers units to a buyer at an agreed unit price; the buyer accepts or refuses."""
    commons, seller = _commons_member_agent(user, commons_slug, seller_agent_id)
    units = domain.check_positive_units(units)
    if unit_price_cents <= 0:
        raise ApplicationError.on_field("unit_price_cents", "amount_not_positive")
    if buyer_agent_id == seller.pk:
        raise ApplicationError.on_field("buyer_agent_id", "transfer_to_self")
    if not agent_selectors.agents_by_ids(agent_ids=[buyer_agent_id]):
        raise ApplicationError.on_field("buyer_agent_id", "not_found")
    charter = integration.charter_in_force(commons_id=commons.pk)
    if charter.transfers_to_members_only and not _is_member(commons, buyer_agent_id):
        raise ApplicationError.on_field("buyer_agent_id", "transfer_to_non_member")
    title_class = title_class_of(commons_id=commons.pk)
    if units_free(title_class=title_class, agent_id=seller.pk) < units:
        raise _refuse_short(title_class, seller.pk, units)
    price = domain.agreed_price(units, Money(check_cents(unit_price_cents, "unit_price_cents")))
    check_cents(price.cents, "unit_price_cents")  # units × unit price, stored as the price
    transfer = Transfer.objects.create(
        commons=commons,
        title_class=title_class,
        seller=seller,
        buyer_id=buyer_agent_id,
        units=units,
        unit_price_cents=unit_price_cents,
        price_cents=price.cents,
        tax_rate_bp=charter.transfer_tax_bp,
        tax_cents=domain.transfer_tax(price, charter.transfer_tax_bp).cents,
        proposed_by=user,
        proposed_at=clock.now(),
    )
    event_record(
        type="transfer.proposed",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"transfer_id": transfer.pk, "units": str(units)},
    )
    _notify_transfer(transfer, "transfer_proposed", buyer_agent_id, user)
    return transfer


def _notify_transfer(transfer: Transfer, kind: str, agent_id: int, user) -> None:
    """The other party hears of the transfer (in-app, and by e-mail if they opted in)."""
    agents = agent_selectors.agents_by_ids(agent_ids=[transfer.seller_id, transfer.buyer_id])
    seller, buyer = agents[transfer.seller_id], agents[transfer.buyer_id]
    integration.notify(
        commons_id=transfer.commons_id,
        kind=kind,
        agent_ids=[agent_id],
        title=f"{seller.display_name} → {buyer.display_name}",
        path=f"/c/{transfer.commons.slug}/titles",
        data={
            "transfer_id": transfer.pk,
            "units": str(transfer.units),
            "price_cents": transfer.price_cents,
        },
        except_user_id=user.pk,
    )


# Row locks of movements: `of=("self",)` locks the movement's own row, not the commons and
# class rows joined by `select_related` (which would lock the commons row FOR UPDATE, and a
# redemption request's FK check on it would wait in a cycle). The class row is locked next,
# then the holding: one order for every movement.
_OWN_ROW = {"of": ("self",)}


def _lock_transfer(transfer_id: int) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update(**_OWN_ROW)
        .select_related("commons", "title_class")
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise ApplicationError("not_found")
    return transfer


def _require_party(user, agent_id: int, commons) -> None:
    if agent_id not in agent_selectors.agent_ids_of_user(user=user):
        commons_selectors.require_visible(user=user, commons=commons)
        raise ApplicationError("permission_denied")


@write
def transfer_accept(*, user, transfer_id: int) -> Transfer:
    """The buyer accepts: units move, the charter's transfer tax is booked (D 411 / C 708)."""
    transfer = _lock_transfer(transfer_id)
    _require_party(user, transfer.buyer_id, transfer.commons)
    if transfer.state != Transfer.PROPOSED:
        raise ApplicationError("invalid_transition")
    commons = transfer.commons
    charter = integration.charter_in_force(commons_id=commons.pk)
    if charter.transfers_to_members_only and not _is_member(commons, transfer.buyer_id):
        raise ApplicationError.on_field("buyer_agent_id", "transfer_to_non_member")
    # The tax is computed at acceptance under the charter then in force.
    price = Money(transfer.price_cents)
    tax = domain.transfer_tax(price, charter.transfer_tax_bp)
    nav = nav_now(commons_id=commons.pk, title_class=transfer.title_class, for_update=True)
    _debit(transfer.title_class, transfer.seller_id, transfer.units)
    _credit(transfer.title_class, transfer.buyer_id, transfer.units)
    entry_id = None
    if tax.is_positive():
        # The buyer owes the tax to the commons (like French transfer duties, paid by the
        # acquirer): a receivable on 411 until paid.
        entry_id, _ = integration.entry_post(
            commons_id=commons.pk,
            journal="TI",
            label=f"Taxe sur cession de titres n° {transfer.pk}",
            piece_ref=f"CESSION-{transfer.pk}",
            lines=[("411", tax.cents, 0), ("708", 0, tax.cents)],
            idempotency_key=f"transfer:{transfer.pk}:tax",
            source_type="transfer",
            source_id=transfer.pk,
            decision_id=None,
            charter_version_id=charter.version_id,
            actor_user_id=user.pk,
            entry_date=clock.today(),
        )
        # Collected, not only charged: a due until the buyer pays it (D 512 / C 411).
        integration.due_open(
            commons_id=commons.pk,
            kind="transfer_tax",
            agent_id=transfer.buyer_id,
            label=f"Taxe sur cession de titres n° {transfer.pk}",
            amount=tax,
            due_on=clock.today() + dt.timedelta(days=integration.PAYMENT_DAYS),
            source_type="transfer",
            source_id=transfer.pk,
            entry_id=entry_id,
        )
    transfer.state = Transfer.ACCEPTED
    transfer.tax_cents = tax.cents
    transfer.tax_rate_bp = charter.transfer_tax_bp
    transfer.unit_value_cents = nav.cents_per_unit()
    transfer.entry_id = entry_id
    transfer.charter_version_id = charter.version_id
    transfer.closed_at = clock.now()
    transfer.save()
    _nav_point(transfer.title_class, "transfer", transfer.pk)
    event_record(
        type="transfer.accepted",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"transfer_id": transfer.pk, "tax_cents": tax.cents, "entry_id": entry_id},
    )
    _notify_transfer(transfer, "transfer_accepted", transfer.seller_id, user)
    return transfer


def _close_transfer(user, transfer_id: int, party: str, state: str) -> Transfer:
    transfer = _lock_transfer(transfer_id)
    _require_party(
        user, transfer.buyer_id if party == "buyer" else transfer.seller_id, transfer.commons
    )
    if transfer.state != Transfer.PROPOSED:
        raise ApplicationError("invalid_transition")
    transfer.state = state
    transfer.closed_at = clock.now()
    transfer.save(update_fields=["state", "closed_at"])
    event_record(
        type=f"transfer.{state}",
        commons_id=transfer.commons_id,
        actor_user_id=user.pk,
        data={"transfer_id": transfer.pk},
    )
    # The other party: the seller hears of a refusal, the buyer of a cancellation.
    other = transfer.seller_id if party == "buyer" else transfer.buyer_id
    _notify_transfer(transfer, f"transfer_{state}", other, user)
    return transfer


@write
def transfer_refuse(*, user, transfer_id: int) -> Transfer:
    return _close_transfer(user, transfer_id, "buyer", Transfer.REFUSED)


@write
def transfer_cancel(*, user, transfer_id: int) -> Transfer:
    return _close_transfer(user, transfer_id, "seller", Transfer.CANCELLED)


# --- Redemptions ---------------------------------------------------------------------------


@write
def redemption_request(
    *, user, commons_slug: str, units: Decimal | None = None, agent_id: int | None = None
) -> Redemption:
    """A member asks the commons to buy back titles (all their free units by default), per
    the exit rules. The units are reserved in this transaction until executed or withdrawn.

    With no notice period it is executed at once; otherwise at or after `due_at`.
    """
    commons, agent = _commons_member_agent(user, commons_slug, agent_id)
    charter = integration.charter_in_force(commons_id=commons.pk)
    if not charter.redemption_allowed:
        raise ApplicationError("redemption_not_allowed")
    # Locked like every movement of the commons (class row first), so a request and a
    # transfer's acceptance take their locks in one order and never deadlock.
    title_class = _class_locked(commons.pk)
    free = units_free(title_class=title_class, agent_id=agent.pk)
    units = free if units is None else domain.check_positive_units(units)
    if units <= 0:
        raise _refuse_short(title_class, agent.pk, Decimal("0.0001"))
    # The conditional UPDATE decides, not the read above: a concurrent request or transfer
    # may have taken the units meanwhile.
    _reserve(title_class, agent.pk, units)
    now = clock.now()
    redemption = Redemption.objects.create(
        commons=commons,
        title_class=title_class,
        agent=agent,
        units=units,
        haircut_bp=charter.haircut_bp,
        requested_at=now,
        due_at=now + dt.timedelta(days=charter.notice_days),
        charter_version_id=charter.version_id,
    )
    event_record(
        type="redemption.requested",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"redemption_id": redemption.pk, "units": str(units)},
    )
    if charter.notice_days == 0:
        return _redemption_execute(redemption, actor_user_id=user.pk)
    # The worker executes it when the notice has run (queued in this transaction).
    tasks.redemption_execute_enqueue(redemption)
    return redemption


def _redemption_execute(redemption: Redemption, *, actor_user_id: int | None) -> Redemption:
    if redemption.state != Redemption.REQUESTED:
        raise ApplicationError("invalid_transition")
    if clock.now() < redemption.due_at:
        raise ApplicationError("notice_not_elapsed")
    title_class = redemption.title_class
    nav = nav_now(commons_id=redemption.commons_id, title_class=title_class, for_update=True)
    value = domain.redemption_value(redemption.units, nav, redemption.haircut_bp)
    _release(title_class, redemption.agent_id, redemption.units, take=True)
    TitleClass.objects.filter(pk=title_class.pk).update(
        outstanding=F("outstanding") - redemption.units
    )
    entry_id = None
    if value.is_positive():
        # Capital goes back to the leaving member: a debt to them (4567) until paid.
        entry_id, _ = integration.entry_post(
            commons_id=redemption.commons_id,
            journal="TI",
            label=f"Rachat de titres n° {redemption.pk}",
            piece_ref=f"RACHAT-{redemption.pk}",
            lines=[("1013", value.cents, 0), ("4567", 0, value.cents)],
            idempotency_key=f"redemption:{redemption.pk}",
            source_type="redemption",
            source_id=redemption.pk,
            decision_id=None,
            charter_version_id=redemption.charter_version_id,
            actor_user_id=actor_user_id,
            entry_date=clock.today(),
        )
    redemption.state = Redemption.EXECUTED
    redemption.value_cents = value.cents
    redemption.unit_value_cents = nav.cents_per_unit()
    redemption.executed_at = clock.now()
    redemption.entry_id = entry_id
    redemption.save()
    _nav_point(title_class, "redemption", redemption.pk)
    event_record(
        type="redemption.executed",
        commons_id=redemption.commons_id,
        actor_user_id=actor_user_id,
        data={"redemption_id": redemption.pk, "value_cents": value.cents, "entry_id": entry_id},
    )
    return redemption


@write
def redemption_execute(*, user, redemption_id: int) -> Redemption:
    """Executes a due redemption: the member or a steward of the commons may."""
    redemption = (
        Redemption.objects.select_for_update(**_OWN_ROW)
        .select_related("commons", "title_class")
        .filter(pk=redemption_id)
        .first()
    )
    if redemption is None:
        raise ApplicationError("not_found")
    if redemption.agent_id not in agent_selectors.agent_ids_of_user(user=user):
        commons_selectors.require_visible(user=user, commons=redemption.commons)
        commons_selectors.require_role(user=user, commons=redemption.commons, any_of=("steward",))
    return _redemption_execute(redemption, actor_user_id=user.pk)


@write
def redemption_withdraw(*, user, redemption_id: int) -> Redemption:
    """The member withdraws a redemption not yet executed: its units are free again. The
    queued job then finds it cancelled and leaves it. Only the member: a member's exit is
    their right, not the stewards' to take back."""
    redemption = (
        Redemption.objects.select_for_update(**_OWN_ROW)
        .select_related("commons", "title_class")
        .filter(pk=redemption_id)
        .first()
    )
    if redemption is None:
        raise ApplicationError("not_found")
    _require_party(user, redemption.agent_id, redemption.commons)
    if redemption.state != Redemption.REQUESTED:
        raise ApplicationError("invalid_transition")
    _class_locked(redemption.commons_id)  # the movements' lock order: class, then holding
    _release(redemption.title_class, redemption.agent_id, redemption.units, take=False)
    redemption.state = Redemption.CANCELLED
    redemption.withdrawn_at = clock.now()
    redemption.save(update_fields=["state", "withdrawn_at"])
    event_record(
        type="redemption.withdrawn",
        commons_id=redemption.commons_id,
        actor_user_id=user.pk,
        data={"redemption_id": redemption.pk, "units": str(redemption.units)},
    )
    return redemption


@write
def redemption_execute_due(*, redemption_id: int) -> bool:
    """The worker's job: executes one redemption once its notice has run; True if it did now.

    Idempotent: an executed, cancelled or not yet due redemption is left as it is.
    """
    redemption = (
        Redemption.objects.select_for_update(**_OWN_ROW)
        .select_related("commons", "title_class")
        .filter(pk=redemption_id)
        .first()
    )
    if (
        redemption is None
        or redemption.state != Redemption.REQUESTED
        or clock.now() < redemption.due_at
    ):
        return False
    _redemption_execute(redemption, actor_user_id=None)
    return True


def redemptions_execute_due() -> int:
    """Executes every redemption whose notice has run, each in its own transaction; how many.

    One the books refuse (a closed period, titles gone meanwhile) waits for the next run.
    """
    due = Redemption.objects.filter(state=Redemption.REQUESTED, due_at__lte=clock.now())
    executed = 0
    for redemption_id in list(due.order_by("due_at", "id").values_list("pk", flat=True)):
        try:
            executed += redemption_execute_due(redemption_id=redemption_id)
        except ApplicationError as error:
            logger.info("redemption %s waits: %s", redemption_id, error.code)
    return executed
