"""Reads of federation: holdings between commons, exchanges, borrowed assets, the network."""

from __future__ import annotations

from collections import defaultdict
from datetime import date as dt_date
from decimal import Decimal

from django.db.models import Q

from federage.commons import selectors as commons_selectors
from federage.contributions import selectors as contributions_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.federation import domain
from federage.federation.models import Borrowing, Exchange, Participation


def participations_of(*, commons_id: int) -> list[dict]:
    """The titles of other commons this commons holds, as its books carry them (by the method
    its charter chose at the last revaluation) and at the host's NAV (fair value)."""
    rows = Participation.objects.filter(holder_commons_id=commons_id).order_by("host_commons_id")
    hosts = commons_selectors.commons_by_ids(commons_ids=[row.host_commons_id for row in rows])
    return [
        {
            "host_slug": hosts[row.host_commons_id].slug,
            "host_name": hosts[row.host_commons_id].name,
            "method": row.method,
            "cost_cents": row.cost_cents,
            "impairment_cents": row.impairment_cents,
            "revaluation_cents": row.revaluation_cents,
            "carrying_cents": row.cost_cents - row.impairment_cents + row.revaluation_cents,
            "fair_value_cents": row.fair_value_cents,
            "revalued_at": row.revalued_at,
        }
        for row in rows
    ]


def _exchange_out(exchange: Exchange, names: dict) -> dict:
    return {
        "id": exchange.pk,
        "commons_a": names.get(exchange.commons_a_id, ""),
        "commons_b": names.get(exchange.commons_b_id, ""),
        "terms": exchange.terms,
        "terms_hash": exchange.terms_hash,
        "state": exchange.state,
        "created_at": exchange.created_at,
        "executed_at": exchange.executed_at,
        "proposal_a_id": exchange.proposal_a_id,
        "proposal_b_id": exchange.proposal_b_id,
        "decision_a_id": exchange.decision_a_id,
        "decision_b_id": exchange.decision_b_id,
        "entry_a_id": exchange.entry_a_id,
        "entry_b_id": exchange.entry_b_id,
        "legs": [
            {
                "giver": leg.giver,
                "kind": leg.kind,
                "label": leg.label,
                "quantity": leg.quantity,
                "unit": leg.unit,
                "giver_account": leg.giver_account,
                "receiver_account": leg.receiver_account,
                "giver_book_cents": leg.giver_book_cents,
                "value_a_cents": leg.value_a_cents,
                "value_b_cents": leg.value_b_cents,
                "consumed_on": leg.consumed_on,
                "consumption_entry_id": leg.consumption_entry_id,
            }
            for leg in exchange.legs.order_by("id")
        ],
    }


def _slugs(ids) -> dict[int, str]:
    return {
        pk: commons.slug
        for pk, commons in commons_selectors.commons_by_ids(commons_ids=ids).items()
    }


def exchange_row(*, exchange_id: int) -> dict:
    exchange = Exchange.objects.filter(pk=exchange_id).first()
    if exchange is None:
        raise ApplicationError("not_found")
    return _exchange_out(exchange, _slugs([exchange.commons_a_id, exchange.commons_b_id]))


def exchange_get_visible(*, user, exchange_id: int) -> dict:
    exchange = Exchange.objects.filter(pk=exchange_id).first()
    if exchange is None:
        raise ApplicationError("not_found")
    if not commons_selectors.visible_among(
        user=user, commons_ids=[exchange.commons_a_id, exchange.commons_b_id]
    ):
        raise ApplicationError("not_found")
    return exchange_row(exchange_id=exchange_id)


def exchanges_of(*, commons_id: int) -> list[dict]:
    rows = list(
        Exchange.objects.filter(Q(commons_a_id=commons_id) | Q(commons_b_id=commons_id))
        .prefetch_related("legs")
        .order_by("-created_at", "-id")
    )
    names = _slugs({r.commons_a_id for r in rows} | {r.commons_b_id for r in rows})
    return [_exchange_out(row, names) for row in rows]


def _borrowing_out(row: Borrowing, names: dict) -> dict:
    return {
        "id": row.pk,
        "lender": names.get(row.lender_commons_id, ""),
        "borrower": names.get(row.borrower_commons_id, ""),
        "kind": row.kind,
        "label": row.label,
        "quantity": row.quantity,
        "unit": row.unit,
        "lender_book_cents": row.lender_book_cents,
        "borrower_value_cents": row.borrower_value_cents,
        "fee_cents": row.fee_cents,
        "return_on": row.return_on,
        "indicator_code": row.indicator_code,
        "state": row.state,
        "entry_lender_id": row.entry_lender_id,
        "entry_borrower_id": row.entry_borrower_id,
    }


def borrowings_of(*, commons_id: int) -> list[dict]:
    rows = list(
        Borrowing.objects.filter(
            Q(lender_commons_id=commons_id) | Q(borrower_commons_id=commons_id)
        ).order_by("-created_at", "-id")
    )
    names = _slugs({r.lender_commons_id for r in rows} | {r.borrower_commons_id for r in rows})
    return [_borrowing_out(row, names) for row in rows]


def borrowing_row(*, borrowing_id: int) -> dict:
    row = Borrowing.objects.filter(pk=borrowing_id).first()
    if row is None:
        raise ApplicationError("not_found")
    return _borrowing_out(row, _slugs([row.lender_commons_id, row.borrower_commons_id]))


def borrowed_toward(*, commons_id: int, indicator_code: str, at=None) -> list[dict]:
    """What another commons lent this one, measured by `indicator_code`, active on `at`: the only
    way a measurement of one commons may count toward an objective of another (for impact)."""
    day = at or clock.today()
    rows = Borrowing.objects.filter(
        borrower_commons_id=commons_id,
        indicator_code=indicator_code,
        state="active",
        return_on__gte=day,
    ).order_by("id")
    return [
        {
            "borrowing_id": row.pk,
            "lender_commons_id": row.lender_commons_id,
            "quantity": row.quantity,
            "unit": row.unit,
            "return_on": row.return_on,
        }
        for row in rows
    ]


def shared_contributor_counts(commons_ids) -> dict[tuple[int, int], int]:
    """(commons id, other commons id) -> how many agents hold validated contributions in both,
    the smaller id first. Counts only: who they are never leaves this function."""
    commons_of_agent: dict[int, set[int]] = defaultdict(set)
    for commons_id in commons_ids:
        for agent_id in set(
            contributions_selectors.contributions_accepted_of(commons_id=commons_id).values_list(
                "contributor_id", flat=True
            )
        ):
            commons_of_agent[agent_id].add(commons_id)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for found in commons_of_agent.values():
        ordered = sorted(found)
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 :]:
                counts[(first, second)] += 1
    return dict(counts)


def network() -> dict:
    """The public graph of commons: nodes, and edges of membership, holdings, exchanges,
    borrowed assets and shared contributors (a count, never who) between public commons;
    Sankey flows in cents from giver to receiver."""
    edges: list[dict] = []
    public_ids = set(commons_selectors.commons_visible_to(user=None).values_list("pk", flat=True))
    for (first, second), count in sorted(shared_contributor_counts(public_ids).items()):
        edges.append({"source": first, "target": second, "kind": "contributors", "count": count})
    flows: dict[tuple[int, int], int] = defaultdict(int)
    for member, host in commons_selectors.commons_memberships_between_commons():
        edges.append({"source": member, "target": host, "kind": "membership"})
    for row in Participation.objects.all():
        edges.append(
            {
                "source": row.holder_commons_id,
                "target": row.host_commons_id,
                "kind": "holding",
                "value_cents": row.cost_cents - row.impairment_cents + row.revaluation_cents,
            }
        )
        flows[(row.holder_commons_id, row.host_commons_id)] += row.cost_cents
    for exchange in Exchange.objects.filter(state="executed").prefetch_related("legs"):
        edges.append(
            {"source": exchange.commons_a_id, "target": exchange.commons_b_id, "kind": "exchange"}
        )
        for leg in exchange.legs.all():
            giver, receiver = (
                (exchange.commons_a_id, exchange.commons_b_id)
                if leg.giver == "a"
                else (exchange.commons_b_id, exchange.commons_a_id)
            )
            # The value the receiver books it at: each side's own valuation of what it gets.
            flows[(giver, receiver)] += leg.value_b_cents if leg.giver == "a" else leg.value_a_cents
    for row in Borrowing.objects.filter(state__in=["active", "returned"]):
        edges.append(
            {
                "source": row.lender_commons_id,
                "target": row.borrower_commons_id,
                "kind": "borrowing",
            }
        )
        flows[(row.lender_commons_id, row.borrower_commons_id)] += row.fee_cents and 0
        flows[(row.borrower_commons_id, row.lender_commons_id)] += row.fee_cents
    ids = {edge["source"] for edge in edges} | {edge["target"] for edge in edges}
    commons = commons_selectors.commons_by_ids(commons_ids=ids)
    public = {pk for pk, c in commons.items() if c.visibility == "public"}
    slug = {pk: commons[pk].slug for pk in public}
    return {
        "nodes": [
            {"slug": commons[pk].slug, "name": commons[pk].name}
            for pk in sorted(public, key=slug.get)
        ],
        "edges": [
            {**edge, "source": slug[edge["source"]], "target": slug[edge["target"]]}
            for edge in edges
            if edge["source"] in public and edge["target"] in public
        ],
        "flows": [
            {"source": slug[a], "target": slug[b], "value_cents": cents}
            for (a, b), cents in sorted(flows.items())
            if cents and a in public and b in public
        ],
    }


ZERO = Decimal(0)


def federation_get(*, slug: str):
    from federage.federation.models import Federation

    federation = Federation.objects.filter(slug=slug).first()
    if federation is None:
        raise ApplicationError("not_found")
    return federation


def combined_statements(*, slug: str, at=None) -> dict:
    """The federation's books: the sum of its active members' balances, minus a published
    elimination journal (holdings of members in members against their capital, exchanges
    inside the group back to cost, loans and their fees between members). "Comptes combinés"
    only under a written combination agreement (ANC 2020-01), else "comptes agrégés"."""
    from federage.federation import domain
    from federage.federation.models import FederationMember
    from federage.federation.services import exchange_legs, executed_on
    from federage.impact import selectors as impact_selectors
    from federage.ledger import selectors as ledger_selectors

    federation = federation_get(slug=slug)
    day = at or clock.today()
    active = {
        row.commons_id: row
        for row in FederationMember.objects.filter(federation=federation, state="active")
    }
    members = sorted(active)
    commons = commons_selectors.commons_by_ids(commons_ids=members)
    summed: dict[str, int] = defaultdict(int)
    info: dict[str, tuple[str, str]] = {}
    for commons_id in members:
        balances = ledger_selectors.account_balances(
            book=ledger_selectors.book_of(commons_id=commons_id), at=day
        )
        for number, row in balances.rows.items():
            summed[number] += row.closing
            info.setdefault(number, (row.account.label, row.account.type))
    journal: list[dict] = []
    ids = set(members)

    def eliminate(reason: str, recorded, group=()) -> None:
        lines = domain.elimination(recorded, group)
        if lines:
            journal.append(
                {
                    "reason": reason,
                    "lines": [
                        {"account": number, "debit_cents": debit, "credit_cents": credit}
                        for number, debit, credit in lines
                    ],
                }
            )

    for row in Participation.objects.filter(holder_commons_id__in=ids, host_commons_id__in=ids):
        eliminate(
            f"Titres de {commons[row.host_commons_id].slug} détenus par "
            f"{commons[row.holder_commons_id].slug}",
            domain.participation_recorded_lines(
                cost=row.cost_cents,
                impairment=row.impairment_cents,
                revaluation=row.revaluation_cents,
            ),
        )
    for exchange in Exchange.objects.filter(
        state="executed", commons_a_id__in=ids, commons_b_id__in=ids, executed_at__date__lte=day
    ).order_by("id"):
        legs = exchange_legs(exchange)
        year_start = dt_date(exchange.executed_at.year, 1, 1)
        executed = executed_on(exchange)
        recorded = domain.posting_lines("a", legs, year_start, executed) + domain.posting_lines(
            "b", legs, year_start, executed
        )
        # A use consumed later was moved out of 486 by its own entry, dated `consumed_on`:
        # eliminated with the rest once the members' books hold it.
        for row, leg in zip(exchange.legs.order_by("id"), legs, strict=True):
            if row.consumption_entry_id is not None and row.consumed_on <= day:
                recorded += domain.consumption_lines("b" if leg.giver == "a" else "a", leg)
        eliminate(f"Échange n° {exchange.pk}", recorded, domain.exchange_group_lines(legs))
    for loan in Borrowing.objects.filter(
        state__in=["active", "returned"], lender_commons_id__in=ids, borrower_commons_id__in=ids
    ).order_by("id"):
        lender, borrower = domain.borrowing_lines(
            loan.kind,
            lender_account=loan.lender_account,
            borrower_account=loan.borrower_account,
            lender_book=loan.lender_book_cents,
            borrower_value=loan.borrower_value_cents,
        )
        if loan.state == "active":
            group = (
                [
                    (loan.borrower_account, loan.lender_book_cents, 0),
                    (loan.lender_account, 0, loan.lender_book_cents),
                ]
                if loan.kind == domain.FUNGIBLE
                else []
            )
            eliminate(f"Prêt n° {loan.pk}", lender + borrower, group)
        elif loan.fee_cents:
            lender_fee, borrower_fee = domain.fee_lines(loan.kind, loan.fee_cents)
            eliminate(f"Rémunération du prêt n° {loan.pk}", lender_fee + borrower_fee)
    eliminated: dict[str, int] = defaultdict(int)
    for item in journal:
        for line in item["lines"]:
            eliminated[line["account"]] += line["debit_cents"] - line["credit_cents"]
    rows = []
    for number in sorted(set(summed) | set(eliminated)):
        label, type = info.get(
            number,
            (
                domain.ACCOUNTS.get(number, (number, ""))[0],
                domain.ACCOUNTS.get(number, ("", "asset"))[1],
            ),
        )
        total, minus = summed.get(number, 0), eliminated.get(number, 0)
        if total or minus:
            rows.append(
                {
                    "account": number,
                    "label": label,
                    "type": type,
                    "sum_cents": total,
                    "elimination_cents": minus,
                    "combined_cents": total + minus,
                }
            )
    by_type: dict[str, int] = defaultdict(int)
    for row in rows:
        by_type[row["type"]] += row["combined_cents"]
    return {
        "slug": federation.slug,
        "name": federation.name,
        "title": "comptes combinés" if federation.combination_agreement else "comptes agrégés",
        "agreement_ref": federation.agreement_ref,
        "at": day,
        "members": [commons[pk].slug for pk in members],
        "combined": federation.combination_agreement,
        # Each member commons and the decision by which it joined (its public decision log).
        "member_commons": [
            {
                "slug": commons[pk].slug,
                "name": commons[pk].name,
                "joined_at": active[pk].joined_at,
                "decision_id": active[pk].decision_id,
            }
            for pk in members
        ],
        "accounts": rows,
        "elimination_journal": journal,
        "indicators": impact_selectors.verified_totals_by_indicator(commons_ids=members),
        "totals": {
            "assets_cents": by_type["asset"],
            "liabilities_cents": -by_type["liability"],
            "equity_cents": -by_type["equity"],
            "income_cents": -by_type["income"],
            "expenses_cents": by_type["expense"],
            "result_cents": -(by_type["income"] + by_type["expense"]),
        },
    }


def federation_member_row(*, member_id: int) -> dict:
    from federage.federation.models import FederationMember

    member = FederationMember.objects.select_related("federation").get(pk=member_id)
    commons = commons_selectors.commons_by_ids(commons_ids=[member.commons_id])[member.commons_id]
    return {
        "federation_slug": member.federation.slug,
        "commons_slug": commons.slug,
        "state": member.state,
        "proposal_id": member.proposal_id,
    }


def federation_is_public(*, slug: str) -> bool:
    """A federation is shown publicly when every active member commons is public."""
    from federage.federation.models import FederationMember

    federation = federation_get(slug=slug)
    ids = FederationMember.objects.filter(federation=federation, state="active").values_list(
        "commons_id", flat=True
    )
    return all(
        c.visibility == "public" for c in commons_selectors.commons_by_ids(commons_ids=ids).values()
    )


def federation_visible(*, user, slug: str) -> bool:
    from federage.federation.models import FederationMember

    federation = federation_get(slug=slug)
    ids = list(
        FederationMember.objects.filter(federation=federation).values_list("commons_id", flat=True)
    )
    return federation_is_public(slug=slug) or bool(
        commons_selectors.visible_among(user=user, commons_ids=ids)
        and any(
            commons_selectors.roles_of_user(user=user, commons=c)
            for c in commons_selectors.commons_by_ids(commons_ids=ids).values()
        )
    )


# --- Open data: what the data package publishes (public commons only, no person) -----------


def _public_slugs() -> dict[int, str]:
    return dict(commons_selectors.commons_visible_to(user=None).values_list("pk", "slug"))


def public_exchanges() -> list[dict]:
    """Executed exchanges whose two commons are public, each leg with its giver's book value
    and both sides' own valuations; who proposed it is not said."""
    slugs = _public_slugs()
    rows = (
        Exchange.objects.filter(
            state="executed", commons_a_id__in=list(slugs), commons_b_id__in=list(slugs)
        )
        .prefetch_related("legs")
        .order_by("id")
    )
    out = []
    for exchange in rows:
        side_slug = {"a": slugs[exchange.commons_a_id], "b": slugs[exchange.commons_b_id]}
        legs = sorted(exchange.legs.all(), key=lambda leg: leg.pk)
        # The rule's own legs, for each side's equity change (PCG 213-3: its value received
        # less the book value it gave).
        values = [
            domain.Leg(
                giver=leg.giver,
                kind=leg.kind,
                label=leg.label,
                value_a_cents=leg.value_a_cents,
                value_b_cents=leg.value_b_cents,
                giver_book_cents=leg.giver_book_cents,
            )
            for leg in legs
        ]
        out.append(
            {
                "id": exchange.pk,
                "commons_a": side_slug["a"],
                "commons_b": side_slug["b"],
                "executed_at": exchange.executed_at,
                "terms_hash": exchange.terms_hash,
                "decision_a_id": exchange.decision_a_id,
                "decision_b_id": exchange.decision_b_id,
                "entry_a_id": exchange.entry_a_id,
                "entry_b_id": exchange.entry_b_id,
                "received_a_cents": sum(v.value_a_cents for v in values if v.giver == "b"),
                "received_b_cents": sum(v.value_b_cents for v in values if v.giver == "a"),
                "equity_change_a_cents": domain.equity_change("a", values),
                "equity_change_b_cents": domain.equity_change("b", values),
                "legs": [
                    {
                        "number": number,
                        "giver": side_slug[leg.giver],
                        "receiver": side_slug["b" if leg.giver == "a" else "a"],
                        "kind": leg.kind,
                        "label": leg.label,
                        "quantity": leg.quantity,
                        "unit": leg.unit,
                        "giver_book_cents": leg.giver_book_cents,
                        "giver_value_cents": (
                            leg.value_a_cents if leg.giver == "a" else leg.value_b_cents
                        ),
                        "receiver_value_cents": (
                            leg.value_b_cents if leg.giver == "a" else leg.value_a_cents
                        ),
                    }
                    for number, leg in enumerate(legs, start=1)
                ],
            }
        )
    return out


def public_participations() -> list[dict]:
    """Holdings of a public commons in another public commons, as the holder's books carry
    them (its charter's method) and at the host's NAV."""
    slugs = _public_slugs()
    rows = Participation.objects.filter(
        holder_commons_id__in=list(slugs), host_commons_id__in=list(slugs)
    ).order_by("holder_commons_id", "host_commons_id")
    return [
        {
            "holder": slugs[row.holder_commons_id],
            "host": slugs[row.host_commons_id],
            "method": row.method,
            "cost_cents": row.cost_cents,
            "impairment_cents": row.impairment_cents,
            "revaluation_cents": row.revaluation_cents,
            "carrying_cents": row.cost_cents - row.impairment_cents + row.revaluation_cents,
            "fair_value_cents": row.fair_value_cents,
            "revalued_at": row.revalued_at,
        }
        for row in rows
    ]


def public_federations() -> list[dict]:
    """Federations with at least one active member, every active member public (as the public
    API shows them), with their active members."""
    from federage.federation.models import Federation, FederationMember

    slugs = _public_slugs()
    members: dict[int, list] = defaultdict(list)
    for member in FederationMember.objects.filter(state="active").order_by("commons_id"):
        members[member.federation_id].append(member)
    out = []
    for federation in Federation.objects.filter(pk__in=list(members)).order_by("slug"):
        active = members[federation.pk]
        if not all(member.commons_id in slugs for member in active):
            continue
        out.append(
            {
                "slug": federation.slug,
                "name": federation.name,
                "accounts": "combined" if federation.combination_agreement else "aggregated",
                "combination_agreement": federation.combination_agreement,
                "agreement_ref": federation.agreement_ref,
                "created_at": federation.created_at,
                "members": sorted(
                    (
                        {
                            "commons": slugs[member.commons_id],
                            "joined_at": member.joined_at,
                            "decision_id": member.decision_id,
                        }
                        for member in active
                    ),
                    key=lambda row: row["commons"],
                ),
            }
        )
    return out


def public_links() -> list[dict]:
    """The network's edges between public commons, one row per (source, target, kind): how
    many such links (exchanges executed, loans, shared contributors) and, for a holding, its
    carrying amount."""
    rows: dict[tuple[str, str, str], dict] = {}
    for edge in network()["edges"]:
        key = (edge["source"], edge["target"], edge["kind"])
        row = rows.setdefault(
            key,
            {
                "source": edge["source"],
                "target": edge["target"],
                "kind": edge["kind"],
                "count": 0,
                "value_cents": None,
            },
        )
        row["count"] += edge.get("count") or 1
        if edge.get("value_cents") is not None:
            row["value_cents"] = (row["value_cents"] or 0) + edge["value_cents"]
    return [rows[key] for key in sorted(rows)]


# --- A federation's group financings ----------------------------------------------------------


def federation_financings(*, slug: str) -> list[dict]:
    """The financings offered to the federation as one, oldest first: the funder (always an
    organisation), the total, the key, and per member its share and the status of the
    financing offered to it (its own vote decides). Who offered it is not said. The caller
    decides who may read the federation (federation_visible, or federation_is_public)."""
    from federage.agents import selectors as agent_selectors
    from federage.federation.models import FederationFinancing
    from federage.funding import selectors as funding_selectors

    federation = federation_get(slug=slug)
    groups = list(
        FederationFinancing.objects.filter(federation=federation)
        .prefetch_related("shares")
        .order_by("created_at", "id")
    )
    shares = [share for group in groups for share in group.shares.all()]
    statuses = funding_selectors.financing_statuses(
        financing_ids=[share.financing_id for share in shares]
    )
    commons = commons_selectors.commons_by_ids(commons_ids={share.commons_id for share in shares})
    funders = agent_selectors.agents_by_ids(agent_ids={group.funder_agent_id for group in groups})
    return [
        {
            "id": group.pk,
            "funder": funders[group.funder_agent_id].display_name
            if group.funder_agent_id in funders
            else "",
            "kind": group.kind,
            "title": group.title,
            "amount_cents": group.amount_cents,
            "key": group.key,
            "created_at": group.created_at,
            "shares": [
                {
                    "commons_slug": commons[share.commons_id].slug,
                    "commons_name": commons[share.commons_id].name,
                    "financing_id": share.financing_id,
                    "amount_cents": share.amount_cents,
                    "status": statuses.get(share.financing_id, ""),
                }
                for share in sorted(group.shares.all(), key=lambda share: share.commons_id)
            ],
        }
        for group in groups
    ]
