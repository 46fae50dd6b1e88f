"""Reads of public data: only public commons, through the other apps' selectors, names screened.

Every function here takes a commons already checked by `commons_public` (404 for unknown,
draft and private commons alike) or filters on public commons itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import selectors as contribution_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import domain as governance_domain
from federage.governance import selectors as governance_selectors
from federage.ledger import domain as ledger_domain
from federage.ledger import selectors as ledger_selectors
from federage.opendata import domain
from federage.opendata.domain import ListFilters
from federage.titles import selectors as title_selectors


def _pseudonym_key() -> bytes:
    # Derived from the instance's secret: rotating FEDERAGE_SECRET_KEY renames every pseudonym.
    return hashlib.sha256(b"federage.opendata.pseudonym:" + settings.SECRET_KEY.encode()).digest()


# --- Commons ---------------------------------------------------------------------------------


def commons_public(*, slug: str):
    """A public commons by slug; unknown, draft and private ones are all 404, never 403."""
    return commons_selectors.commons_get_public(slug=slug[:50])


def commons_public_all():
    return commons_selectors.commons_visible_to(user=None)


def commons_search(filters: ListFilters) -> dict:
    commons = commons_selectors.commons_visible_to(user=None, query=filters.q)
    if filters.category:
        commons = commons.filter(category__iexact=filters.category)
    if filters.location:
        commons = commons.filter(location__icontains=filters.location)
    total = commons.count()
    page = commons[filters.offset : filters.offset + filters.limit]
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [commons_row(item) for item in page],
    }


def commons_row(commons) -> dict:
    parent = commons.parent if commons.parent_id else None
    return {
        "slug": commons.slug,
        "name": commons.name,
        "purpose": commons.purpose,
        "category": commons.category,
        "location": commons.location,
        "parent_slug": parent.slug if parent and parent.visibility == "public" else None,
        "member_count": getattr(commons, "member_count", 0),
        "created_at": commons.created_at,
    }


def categories() -> list[str]:
    return sorted({item.category for item in commons_public_all() if item.category})


# --- Names -----------------------------------------------------------------------------------


class PublicNames:
    """How agents of one commons appear in public: a stable reference, and a name or pseudonym."""

    def __init__(self, commons) -> None:
        self.commons_id = commons.pk
        # The one naming rule, as read by nobody in particular: open data is for everyone.
        self.rule = governance_selectors.PersonNames(commons=commons, reader=None)
        self._key = _pseudonym_key()
        self._agents: dict[int, object] = {}

    def load(self, agent_ids) -> None:
        missing = [agent for agent in agent_ids if agent not in self._agents]
        if missing:
            self._agents.update(agent_selectors.agents_by_ids(agent_ids=missing))

    def ref(self, agent_id: int) -> str:
        return domain.pseudonym_ref(self._key, self.commons_id, agent_id)

    def agent(self, agent_id: int) -> dict:
        self.load([agent_id])
        agent = self._agents.get(agent_id)
        ref = self.ref(agent_id)
        public = self.rule.shows(agent)
        return {
            "ref": ref,
            "kind": agent.kind if agent is not None else "person",
            "name": agent.display_name if public else domain.pseudonym_name(ref),
            "is_pseudonym": not public,
        }


def members_public(commons) -> list[dict]:
    names = PublicNames(commons)
    memberships = list(commons_selectors.active_members(commons=commons))
    names.load([membership.agent_id for membership in memberships])
    return [
        {
            **names.agent(membership.agent_id),
            "roles": commons_selectors.membership_roles(membership),
            "joined_at": membership.joined_at.date(),
        }
        for membership in memberships
    ]


# --- Charter and decisions -------------------------------------------------------------------


def charter_public(commons) -> dict:
    version = governance_selectors.charter_current(commons_id=commons.pk)
    return {
        "number": version.number,
        "created_at": version.created_at,
        "parameters": version.parameters,
        "rules": governance_selectors.parameter_catalogue(version.parameters),
        "summary_fr": governance_domain.summary_fr(version.parameters),
    }


def decisions_public(commons, limit: int | None = None) -> list[dict]:
    """The decision log without the hashed content: it carries proposal payloads (names)."""
    decisions = governance_selectors.decisions_of(commons_id=commons.pk)
    if limit is not None:
        decisions = decisions.reverse()[:limit]
    return [
        {
            "id": decision.pk,
            "sequence": decision.sequence,
            "proposal_id": decision.proposal_id,
            "kind": decision.proposal.kind,
            "title": decision.proposal.title,
            "outcome": decision.outcome,
            "charter_version": decision.charter_version.number,
            "decided_at": decision.decided_at,
            "tally": (decision.content or {}).get("tally") or {},
            # A decision whose effect was refused at closing: pending (with why) or applied since.
            "effect": governance_selectors.effect_view(
                governance_selectors.decision_effect(decision)
            ),
            "previous_hash": decision.previous_hash,
            "hash": decision.hash,
        }
        for decision in decisions
    ]


# --- Books -----------------------------------------------------------------------------------


def book_public(commons):
    return ledger_selectors.book_of(commons_id=commons.pk)


def entry_row(entry) -> dict:
    """An entry as the public sees it: no acting user, no idempotency key."""
    return {
        "id": entry.pk,
        "sequence": entry.sequence,
        "journal": entry.journal,
        "journal_label": ledger_domain.JOURNALS.get(entry.journal, entry.journal),
        "reference": ledger_domain.fec_entry_number(entry.journal, entry.number),
        "entry_date": entry.entry_date,
        "validation_date": entry.validation_date,
        "label": entry.label,
        "piece_ref": entry.piece_ref,
        "total_cents": entry.total_cents,
        "reverses_id": entry.reverses_id,
        "decision_id": entry.decision_id,
        "source_type": entry.source_type,
        "hash": entry.hash,
        "lines": [
            {
                "position": line.position,
                "account_number": line.account.number,
                "account_label": line.account.label,
                "debit_cents": line.debit_cents,
                "credit_cents": line.credit_cents,
                "label": line.label,
            }
            for line in entry.lines.all()
        ],
    }


def entries_public(
    commons,
    *,
    since: dt.date | None,
    until: dt.date | None,
    journal: str,
    limit: int,
    offset: int,
    newest_first: bool = False,
) -> dict:
    entries = ledger_selectors.entries_of(
        book=book_public(commons), since=since, until=until, journal=journal or None
    )
    if newest_first:
        entries = entries.reverse()
    return {
        "count": entries.count(),
        "limit": limit,
        "offset": offset,
        "items": [entry_row(entry) for entry in entries[offset : offset + limit]],
    }


def transactions_latest(*, limit: int) -> list[dict]:
    """The latest entries of every public commons, newest first: the explorer's live list."""
    slugs = dict(commons_public_all().values_list("id", "slug"))
    return [
        {**entry_row(entry), "commons_slug": slugs[entry.commons_id]}
        for entry in ledger_selectors.entries_latest(commons_ids=slugs, limit=limit)
    ]


def balance_sheet_public(commons, at: dt.date | None) -> dict:
    return ledger_selectors.balance_sheet(book=book_public(commons), at=at or clock.today())


def income_statement_public(commons, at: dt.date | None, since: dt.date | None) -> dict:
    return ledger_selectors.income_statement(
        book=book_public(commons), at=at or clock.today(), since=since
    )


# --- Contributions and titles ----------------------------------------------------------------


def contributions_public(commons) -> list[dict]:
    """Every contribution counted in capital, in the order of the decisions that accepted it.

    Accepted, called and paid alike: a cash contribution moves on to `called` and `paid` after
    its acceptance and stays in the capital and the cap table, so it stays here too, with its
    state for the reader.
    """
    names = PublicNames(commons)
    rows = list(contribution_selectors.contributions_accepted_of(commons_id=commons.pk))
    names.load([row.contributor_id for row in rows])
    return [
        {
            "id": row.pk,
            "kind": row.kind,
            "title": row.title,
            "state": row.state,
            "price_cents": row.accepted_price_cents or row.proposed_price_cents,
            "decided_at": row.decided_at,
            "contributor": names.agent(row.contributor_id),
            "decision_id": row.decision_id,
            "entry_id": row.entry_id,
        }
        for row in rows
    ]


def needs_public(commons) -> list[dict]:
    """Open wanted contributions ("apports recherchés") with their target and progress."""
    return [
        {key: row[key] for key in PUBLIC_NEED_FIELDS}
        for row in contribution_selectors.needs_open_of(commons=commons)
    ]


PUBLIC_NEED_FIELDS = (
    "id",
    "kind",
    "title",
    "description",
    "target_cents",
    "wanted_by",
    "validated_cents",
    "pending_cents",
    "created_at",
)


def _cents(value) -> int:
    return int(Decimal(value).to_integral_value())


def cap_table_public(commons) -> dict:
    table = title_selectors.cap_table(commons_id=commons.pk)
    names = PublicNames(commons)
    names.load([row["agent_id"] for row in table["holders"]])
    holders = [
        {
            "holder": names.agent(row["agent_id"]),
            "units": str(row["units"]),
            "percent": str(row["percent"]),
            "value_cents": row["value_cents"],
        }
        for row in table["holders"]
    ]
    return {
        "class_name": table["class_name"],
        "scale": table["scale"],
        "outstanding": str(table["outstanding"]),
        "net_assets_cents": table["net_assets_cents"],
        "unit_value_cents": _cents(table["unit_value_cents"]),
        "is_initial_value": table["is_initial_value"],
        "holders": holders,
    }


def nav_history_public(commons, limit: int = 1000) -> list[dict]:
    return [
        {
            "at": point.at,
            "unit_value_cents": str(point.unit_value_cents),
            "net_assets_cents": point.net_assets_cents,
            "outstanding": str(point.outstanding),
            "cause": point.cause,
        }
        for point in title_selectors.nav_history(commons_id=commons.pk, limit=limit)
    ]


def price_history_public(commons, limit: int = 1000) -> list[dict]:
    """Agreed prices of title transfers beside the NAV then; who traded stays out."""
    return [
        {
            "at": transfer.closed_at,
            "units": str(transfer.units),
            "unit_price_cents": transfer.unit_price_cents,
            "price_cents": transfer.price_cents,
            "tax_cents": transfer.tax_cents,
            "unit_value_cents": str(transfer.unit_value_cents)
            if transfer.unit_value_cents is not None
            else None,
        }
        for transfer in title_selectors.price_history(commons_id=commons.pk, limit=limit)
    ]


# --- Dashboards ------------------------------------------------------------------------------


def _balances_rows(book) -> list[tuple[str, str, str, str, int]]:
    try:
        balances = ledger_selectors.account_balances(book=book, at=clock.today())
    except ApplicationError:  # no fiscal year open today: nothing to show yet
        return []
    return [
        (number, row.account.label, row.account.type, row.account.capital_kind, row.closing)
        for number, row in sorted(balances.rows.items())
        if row.closing
    ]


def _year_result(book) -> dict | None:
    try:
        found = ledger_selectors.year_results(book=book, at=clock.today())
    except ApplicationError:  # no fiscal year open today: nothing to show yet
        return None
    return {
        "period_start": found["period"]["start"],
        "period_end": found["period"]["end"],
        "result_cents": found["result_cents"],
        "prior_result_cents": found["prior_result_cents"],
    }


def _exchanged(commons) -> list[dict]:
    months: dict[str, dict] = {}
    for transfer in title_selectors.price_history(commons_id=commons.pk):
        month = domain.month_key(transfer.closed_at.date())
        item = months.setdefault(month, {"month": month, "count": 0, "amount_cents": 0})
        item["count"] += 1
        item["amount_cents"] += transfer.price_cents
    return [months[month] for month in sorted(months)]


def dashboard(commons) -> dict:
    """A commons' value produced, exchanged and preserved by month, capital and NAV over time,
    contributions by kind and capital kind, the Sankey of value flows, and the year's result
    (read by the same selector as the balance sheet and the income statement).

    Built from the ledger's kept balances (daily running totals per account) and the titles'
    NAV points: a few grouped queries whatever the number of lines.
    """
    book = book_public(commons)
    movements = ledger_selectors.monthly_movements(
        book=book, prefixes=(*domain.CONTRIBUTION_ACCOUNTS, *domain.PRESERVED_ACCOUNTS)
    )
    produced = domain.monthly_series(movements, domain.CONTRIBUTION_ACCOUNTS)
    preserved = domain.monthly_series(movements, domain.PRESERVED_ACCOUNTS)
    balances = _balances_rows(book)
    by_kind = {kind: 0 for kind in domain.CONTRIBUTION_ACCOUNTS.values()}
    for item in produced:
        for kind in by_kind:
            by_kind[kind] += item[kind]
    by_capital_kind: dict[str, int] = {}
    for _number, _label, type_, kind, signed in balances:
        if type_ == "asset":
            by_capital_kind[kind] = by_capital_kind.get(kind, 0) + signed
    sankey = domain.Sankey()
    domain.sankey_add_commons(
        sankey, commons_key=commons.slug, commons_label=commons.name, accounts=balances
    )
    nav = domain.last_per_month(
        (point.at, _cents(point.unit_value_cents), str(point.outstanding))
        for point in title_selectors.nav_history(commons_id=commons.pk)
    )
    return {
        "commons_slug": commons.slug,
        "at": clock.today(),
        "unit": "EUR cent",
        "result": _year_result(book),
        "produced": produced,
        "exchanged": _exchanged(commons),
        "preserved": preserved,
        "capital": domain.cumulative(produced),
        "nav": nav,
        "contributions_by_kind": [
            {"kind": kind, "amount_cents": amount} for kind, amount in by_kind.items()
        ],
        "assets_by_capital_kind": [
            {"capital_kind": kind, "amount_cents": by_capital_kind.get(kind, 0)}
            for kind in ledger_domain.CAPITAL_KINDS
        ],
        "sankey": sankey.as_dict(),
    }


def _sum_series(series: list[list[dict]], keys: tuple[str, ...]) -> list[dict]:
    months: dict[str, dict] = {}
    for items in series:
        for item in items:
            target = months.setdefault(
                item["month"], {"month": item["month"], **dict.fromkeys(keys, 0)}
            )
            for key in keys:
                target[key] += item.get(key, 0)
    return [months[month] for month in sorted(months)]


def dashboard_instance() -> dict:
    """The same figures summed over every public commons; the Sankey has one node per commons."""
    boards = []
    sankey = domain.Sankey()
    for commons in commons_public_all():
        boards.append(dashboard(commons))
        domain.sankey_add_commons(
            sankey,
            commons_key=commons.slug,
            commons_label=commons.name,
            accounts=_balances_rows(book_public(commons)),
        )
    kinds = tuple(domain.CONTRIBUTION_ACCOUNTS.values())
    produced = _sum_series([board["produced"] for board in boards], (*kinds, "total_cents"))
    by_kind = {kind: sum(item[kind] for item in produced) for kind in kinds}
    by_capital: dict[str, int] = {}
    for board in boards:
        for item in board["assets_by_capital_kind"]:
            by_capital[item["capital_kind"]] = (
                by_capital.get(item["capital_kind"], 0) + item["amount_cents"]
            )
    return {
        "commons_count": len(boards),
        "at": clock.today(),
        "unit": "EUR cent",
        "produced": produced,
        "exchanged": _sum_series(
            [board["exchanged"] for board in boards], ("count", "amount_cents")
        ),
        "preserved": _sum_series(
            [board["preserved"] for board in boards],
            (*domain.PRESERVED_ACCOUNTS.values(), "total_cents"),
        ),
        "capital": domain.cumulative(produced),
        "contributions_by_kind": [
            {"kind": kind, "amount_cents": amount} for kind, amount in by_kind.items()
        ],
        "assets_by_capital_kind": [
            {"capital_kind": kind, "amount_cents": by_capital.get(kind, 0)}
            for kind in ledger_domain.CAPITAL_KINDS
        ],
        "sankey": sankey.as_dict(),
    }


# --- Feed ------------------------------------------------------------------------------------


def feed_items(commons, limit: int = 50) -> list[dict]:
    """The latest public transactions and decisions, newest first."""
    items = []
    page = entries_public(
        commons, since=None, until=None, journal="", limit=limit, offset=0, newest_first=True
    )
    for entry in page["items"]:
        items.append(
            {
                "id": f"entry-{entry['id']}",
                "kind": "entry",
                "title": f"{entry['reference']} — {entry['label']}",
                "date": dt.datetime.combine(entry["validation_date"], dt.time(12), tzinfo=dt.UTC),
                "summary": f"{entry['journal_label']} : {entry['total_cents'] / 100:.2f} €",
                "path": f"/communs/{commons.slug}/ecritures/{entry['id']}",
            }
        )
    for decision in decisions_public(commons, limit=limit):
        items.append(
            {
                "id": f"decision-{decision['id']}",
                "kind": "decision",
                "title": f"Décision n° {decision['sequence']} — {decision['title']}",
                "date": decision["decided_at"],
                "summary": f"{decision['kind']} : {decision['outcome']}",
                "path": f"/communs/{commons.slug}/decisions/{decision['id']}",
            }
        )
    items.sort(key=lambda item: item["date"], reverse=True)
    return items[:limit]
