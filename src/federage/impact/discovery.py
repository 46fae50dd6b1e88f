"""Discovery by impact: funders search public commons and rank them by documented formulas.

Filters (all optional, combined with AND):
- `q`: text in the commons' name, purpose, slug, category or free-text location; or in the label or
  code of a taxonomy term it is classified with; or in the code, label or unit of the indicator of
  one of its adopted objectives ("tCO2e", "carbone", "biodiversité" all find something).
- `indicator`: commons with an adopted objective on this indicator code.
- `theme`: commons classified with this term or any term below it (a theme and its sub-terms).
- territory: `commune` (the commune, its arrondissements, or the commune an arrondissement belongs
  to: perimeters match both ways, as in Aides-territoires), `departement`, `region`. A commons
  located in a commune is found at the three levels.
- size: `min_members` (active members), `min_value_cents` (value of its titles, below).

Figures of each commons (only VERIFIED measurements of ADOPTED objectives count, anywhere):
- verified_total(i) = Σ value of the verified measurements of its adopted objectives on indicator i.
- received_cents = Σ credits, over the commons' whole book, of the accounts under 1013 (cash
  contributions: apports en numéraire), 74 (subventions d'exploitation), 131 (subventions
  d'investissement) and 164 (emprunts): the money brought in by members and funders.
- titles_value_cents = value of the outstanding titles at the current unit value (NAV): net
  assets when titles are outstanding, else 0.

Rankings (`sort`), highest first; a commons without the figure comes last; ties by name:
(a) `impact_per_euro` (needs `indicator`) = verified_total(indicator) / (received_cents / 100),
    the verified units per euro received, to 6 decimals; none when nothing was received.
(b) `progress` = the mean of `progress_bp` (impact.selectors.objective_progress: progress from
    baseline toward target, direction-aware, from verified measurements only, 0..10000) over the
    commons' adopted objectives on `indicator`, or on every indicator when none is chosen.
(c) `participation` = Σ ballots cast / Σ voters eligible over the commons' last 5 closed proposals
    (passed, rejected or expired; withdrawn ones never went to a full vote), in basis points
    (floor); each eligible voter counts once whatever their weight.
Also `members` (active members) and `name` (the default).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count, Q, Sum

from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.impact import selectors as impact_selectors
from federage.impact import taxonomy, territories
from federage.impact.models import CommonsTerm, Indicator, Measurement, Objective, Term
from federage.ledger import selectors as ledger_selectors
from federage.titles import domain as titles_domain
from federage.titles import selectors as titles_selectors

SORTS = ("name", "members", "impact_per_euro", "progress", "participation")
FORMULAS = {
    "name": "name, A→Z",
    "members": "active members, most first",
    "impact_per_euro": "Σ verified measurement values on the indicator / (Σ credits of 1013, 74, "
    "131, 164 in cents / 100)",
    "progress": "mean progress_bp of adopted objectives (on the indicator if chosen), from "
    "verified measurements only",
    "participation": "Σ ballots cast / Σ eligible voters over the last 5 closed proposals, in bp",
}
RECEIVED_PREFIXES = ("1013", "74", "131", "164")
PARTICIPATION_PROPOSALS = 5
VOTED_STATUSES = ("passed", "rejected", "expired")
PER_EURO_PLACES = Decimal("0.000001")
MAX_RESULTS = 200


# --- Figures of one commons ------------------------------------------------------------------


def received_cents(*, commons_id: int) -> int:
    """Money brought in: credits of 1013, 74, 131 and 164 over the whole book."""
    try:
        book = ledger_selectors.book_of(commons_id=commons_id)
    except ApplicationError:
        return 0
    rows = ledger_selectors.monthly_movements(book=book, prefixes=RECEIVED_PREFIXES)
    return sum(credit for _, _, _, credit in rows)


def titles_value(*, commons_id: int) -> dict:
    title_class = titles_selectors.title_class_get(commons_id=commons_id)
    outstanding = titles_selectors.totals(commons_id=commons_id)["outstanding"]
    try:
        nav = titles_selectors.nav_at(commons_id=commons_id, title_class=title_class, at=None)
    except ApplicationError:
        return {"unit_value_cents": None, "units_outstanding": str(outstanding), "value_cents": 0}
    value = titles_domain.holding_value(outstanding, nav).cents if outstanding else 0
    return {
        "unit_value_cents": int(nav.cents_per_unit().to_integral_value(ROUND_HALF_EVEN)),
        "units_outstanding": str(outstanding),
        "value_cents": value,
    }


def participation(*, commons_id: int) -> dict:
    """Formula (c): turnout over the last closed proposals, and the governance counts."""
    closed = [
        proposal
        for proposal in governance_selectors.proposals_of(commons_id=commons_id).filter(
            status__in=VOTED_STATUSES
        )[:PARTICIPATION_PROPOSALS]
    ]
    eligible = voted = 0
    for proposal in closed:
        voters = governance_selectors.electorate(proposal)
        ballots = governance_selectors.effective_ballots(proposal)
        eligible += len(voters)
        voted += len(set(ballots) & set(voters))
    return {
        "participation_bp": (voted * 10000 // eligible) if eligible else None,
        "proposals_counted": len(closed),
    }


def governance_health(*, commons_id: int) -> dict:
    since = clock.now() - dt.timedelta(days=365)
    proposals = governance_selectors.proposals_of(commons_id=commons_id)
    decisions = governance_selectors.decisions_of(commons_id=commons_id)
    return {
        **participation(commons_id=commons_id),
        "open_proposals": proposals.filter(status="open").count(),
        "decisions_last_12_months": decisions.filter(decided_at__gte=since).count(),
    }


def verified_totals(*, commons_ids, indicator: str) -> dict[int, Decimal]:
    """Σ verified measurement values on `indicator`, per commons (adopted objectives only)."""
    rows = (
        Measurement.objects.filter(
            status="verified",
            objective__status="adopted",
            objective__indicator__code=indicator,
            objective__commons_id__in=list(commons_ids),
        )
        .values("objective__commons_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {row["objective__commons_id"]: Decimal(row["total"] or 0) for row in rows}


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)


def progress_of(*, commons_id: int, indicator: str = "") -> int | None:
    """Formula (b): mean progress_bp of the adopted objectives (floor), from impact-core."""
    objectives = Objective.objects.filter(commons_id=commons_id, status="adopted")
    if indicator:
        objectives = objectives.filter(indicator__code=indicator)
    values = [
        int(impact_selectors.objective_progress(objective_id=pk)["progress_bp"])
        for pk in objectives.order_by("pk").values_list("pk", flat=True)
    ]
    return sum(values) // len(values) if values else None


def impact_per_euro(verified: Decimal | None, received: int) -> Decimal | None:
    """Formula (a): verified units per euro received."""
    if verified is None or received <= 0:
        return None
    return (verified * 100 / Decimal(received)).quantize(PER_EURO_PLACES, rounding=ROUND_HALF_EVEN)


# --- The search ------------------------------------------------------------------------------


def _text_filter(q: str) -> Q:
    terms = Term.objects.filter(
        Q(code__icontains=q) | Q(label_fr__icontains=q) | Q(label_en__icontains=q)
    ).values("pk")
    indicators = Indicator.objects.filter(
        Q(code__icontains=q)
        | Q(label_fr__icontains=q)
        | Q(label_en__icontains=q)
        | Q(unit__icontains=q)
    ).values("pk")
    return (
        Q(name__icontains=q)
        | Q(purpose__icontains=q)
        | Q(slug__icontains=q)
        | Q(category__icontains=q)
        | Q(location__icontains=q)
        | Q(pk__in=CommonsTerm.objects.filter(term_id__in=terms).values("commons_id"))
        | Q(
            pk__in=Objective.objects.filter(status="adopted", indicator_id__in=indicators).values(
                "commons_id"
            )
        )
    )


def matching_commons(
    *,
    q: str = "",
    indicator: str = "",
    theme: str = "",
    commune: str = "",
    departement: str = "",
    region: str = "",
    min_members: int = 0,
):
    """Public commons passing the filters, with `member_count`; refusals name their field."""
    commons = commons_selectors.commons_all_with_member_counts().filter(visibility="public")
    q = " ".join((q or "").split())[:100]
    if q:
        commons = commons.filter(_text_filter(q))
    if indicator:
        if not Indicator.objects.filter(code=indicator).exists():
            raise ApplicationError.on_field("indicator", "not_found")
        commons = commons.filter(
            pk__in=Objective.objects.filter(status="adopted", indicator__code=indicator).values(
                "commons_id"
            )
        )
    if theme:
        codes = taxonomy.term_codes_under(theme)
        if not codes:
            raise ApplicationError.on_field("theme", "term_unknown")
        commons = commons.filter(pk__in=taxonomy.commons_ids_with_terms(codes))
    if commune:
        territories.commune_require(commune, field_name="commune")
        commons = commons.filter(pk__in=taxonomy.commons_ids_located(commune=commune))
    if departement:
        if territories.departement_name(departement) is None:
            raise ApplicationError.on_field("departement", "invalid_value")
        commons = commons.filter(pk__in=taxonomy.commons_ids_located(departement=departement))
    if region:
        if territories.region_name(region) is None:
            raise ApplicationError.on_field("region", "invalid_value")
        commons = commons.filter(pk__in=taxonomy.commons_ids_located(region=region))
    if min_members:
        commons = commons.filter(member_count__gte=min_members)
    return commons


def _sort_key(sort: str):
    def key(row: dict):
        value = {
            "impact_per_euro": row["impact_per_euro"],
            "progress": row["progress_bp"],
            "participation": row["participation_bp"],
            "members": row["member_count"],
        }.get(sort)
        if sort == "name":
            return (0, 0, row["name"].lower(), row["slug"])
        return (value is None, -(value or 0), row["name"].lower(), row["slug"])

    return key


def discover(
    *,
    q: str = "",
    indicator: str = "",
    theme: str = "",
    commune: str = "",
    departement: str = "",
    region: str = "",
    min_members: int = 0,
    min_value_cents: int = 0,
    sort: str = "name",
    limit: int = 50,
) -> dict:
    """The public search of funders: rows with every figure of the formulas, sorted."""
    sort = sort or "name"
    if sort not in SORTS:
        raise ApplicationError.on_field("sort", "invalid_value")
    if sort == "impact_per_euro" and not indicator:
        raise ApplicationError.on_field("indicator", "required")
    if min_members < 0 or min_value_cents < 0:
        raise ApplicationError.on_field(
            "min_members" if min_members < 0 else "min_value_cents", "out_of_range"
        )
    limit = max(1, min(limit, MAX_RESULTS))
    commons = list(
        matching_commons(
            q=q,
            indicator=indicator,
            theme=theme,
            commune=commune,
            departement=departement,
            region=region,
            min_members=min_members,
        )
    )
    ids = [c.pk for c in commons]
    terms = taxonomy.terms_of_commons(commons_ids=ids)
    locations = taxonomy.locations_of(commons_ids=ids)
    verified = verified_totals(commons_ids=ids, indicator=indicator) if indicator else {}
    rows = []
    for item in commons:
        value = titles_value(commons_id=item.pk)
        if value["value_cents"] < min_value_cents:
            continue
        received = received_cents(commons_id=item.pk)
        total = _quantize(verified.get(item.pk, Decimal(0))) if indicator else None
        rows.append(
            {
                "slug": item.slug,
                "name": item.name,
                "purpose": item.purpose,
                "member_count": item.member_count,
                "titles_value_cents": value["value_cents"],
                "terms": terms.get(item.pk, []),
                "location": locations.get(item.pk),
                "indicator": indicator or None,
                "verified_total": total,
                "received_cents": received,
                "impact_per_euro": impact_per_euro(total, received),
                "progress_bp": progress_of(commons_id=item.pk, indicator=indicator),
                "participation_bp": participation(commons_id=item.pk)["participation_bp"],
            }
        )
    rows.sort(key=_sort_key(sort))
    for row in rows:
        score = {
            "impact_per_euro": row["impact_per_euro"],
            "progress": row["progress_bp"],
            "participation": row["participation_bp"],
            "members": row["member_count"],
        }.get(sort)
        row["score"] = None if score is None else str(score)
        for name in ("verified_total", "impact_per_euro"):
            row[name] = None if row[name] is None else f"{row[name]:f}"
    return {"sort": sort, "formula": FORMULAS[sort], "count": len(rows), "results": rows[:limit]}


def discover_map(*, q: str = "", indicator: str = "", theme: str = "") -> dict:
    """Per département and région: how many public commons match, and their verified total on
    `indicator` (Σ verified measurement values of adopted objectives)."""
    commons = matching_commons(q=q, indicator=indicator, theme=theme)
    ids = list(commons.values_list("pk", flat=True))
    verified = verified_totals(commons_ids=ids, indicator=indicator) if indicator else {}
    by_departement: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    by_region: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for commons_id, location in taxonomy.locations_of(commons_ids=ids).items():
        for areas, code in (
            (by_departement, location["departement_code"]),
            (by_region, location["region_code"]),
        ):
            areas[code][0] += 1
            areas[code][1] += verified.get(commons_id, Decimal(0))

    def out(areas: dict, name_of) -> list[dict]:
        return [
            {
                "code": code,
                "name": name_of(code) or "",
                "count": count,
                "verified_total": f"{_quantize(total):f}" if indicator else None,
            }
            for code, (count, total) in sorted(areas.items())
        ]

    unit = Indicator.objects.filter(code=indicator).values_list("unit", flat=True).first()
    return {
        "indicator": indicator or None,
        "unit": unit,
        "departements": out(by_departement, territories.departement_name),
        "regions": out(by_region, territories.region_name),
    }


# --- The funder's view of one commons ----------------------------------------------------------


def books_summary(*, commons_id: int, at: dt.date | None = None) -> dict:
    """Balance-sheet totals and the year's result to `at` (today), from the ledger's reports."""
    at = at or clock.today()
    out = {
        "at": at.isoformat(),
        "total_assets_cents": 0,
        "equity_cents": 0,
        "liabilities_cents": 0,
        "result_cents": 0,
        "income_cents": 0,
        "expenses_cents": 0,
        "received_cents": received_cents(commons_id=commons_id),
    }
    try:
        book = ledger_selectors.book_of(commons_id=commons_id)
        sheet = ledger_selectors.balance_sheet(book=book, at=at)
        income = ledger_selectors.income_statement(book=book, at=at)
    except ApplicationError:
        return out  # no book, or no fiscal year open at that date: nothing booked to show
    out.update(
        total_assets_cents=sheet["total_actif_cents"],
        equity_cents=sheet["equity_cents"],
        liabilities_cents=sheet["total_passif_cents"] - sheet["equity_cents"],
        result_cents=sheet["result_cents"],
        income_cents=income["total_produits_cents"],
        expenses_cents=income["total_charges_cents"],
    )
    return out


def objectives_status(*, commons_id: int) -> list[dict]:
    """Adopted and closed objectives with verified progress and their measurements by status."""
    objectives = (
        Objective.objects.filter(commons_id=commons_id, status__in=("adopted", "closed"))
        .select_related("indicator")
        .order_by("pk")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Measurement.objects.filter(objective__in=objectives)
        .values("objective_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["objective_id"]][row["status"]] = row["n"]
    rows = []
    for objective in objectives:
        progress = impact_selectors.objective_progress(objective_id=objective.pk)
        verified_total, progress_bp = progress["verified_total"], int(progress["progress_bp"])
        rows.append(
            {
                "objective_id": objective.pk,
                "title": objective.title,
                "indicator_code": objective.indicator.code,
                "unit": objective.indicator.unit,
                "baseline": f"{objective.baseline:f}",
                "target": f"{objective.target:f}",
                "verified_total": f"{_quantize(verified_total):f}",
                "progress_bp": progress_bp,
                "status": objective.status,
                "measurements": counts.get(objective.pk, {}),
            }
        )
    return rows


def funder_view(*, commons) -> dict:
    """What a funder reads of a commons: books, value per title, objectives with their verified
    status, governance health. No person is named, so the same view serves the public."""
    classification = taxonomy.classification_of(commons=commons)
    return {
        "slug": commons.slug,
        "name": commons.name,
        "visibility": commons.visibility,
        "member_count": commons_selectors.member_count(commons=commons),
        "terms": classification["terms"],
        "location": classification["location"],
        "books": books_summary(commons_id=commons.pk),
        "titles": titles_value(commons_id=commons.pk),
        "objectives": objectives_status(commons_id=commons.pk),
        "governance": governance_health(commons_id=commons.pk),
    }
