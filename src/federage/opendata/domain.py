"""Pure rules of open data: filters, pseudonyms, ETags, the rate limit, dashboards, the dictionary."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from federage.core.errors import ApplicationError, FieldError

LIMIT_DEFAULT = 50
LIMIT_MAX = 200  # oversized pages are capped, not refused
LICENSE = {
    "name": "ODbL-1.0",
    "title": "Open Data Commons Open Database License v1.0",
    "path": "https://opendatacommons.org/licenses/odbl/1-0/",
}
PSEUDONYM_PREFIX = "Membre"

# --- Filters ---------------------------------------------------------------------------------

# Printable text without control characters or markup: anything else is not a filter.
_TEXT = re.compile(r"^[^\x00-\x1f\x7f<>]*$")
_FILTER_LENGTHS = {"q": 100, "category": 80, "location": 160}


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    category: str = ""
    location: str = ""
    limit: int = LIMIT_DEFAULT
    offset: int = 0


def bad_request(fields: dict[str, FieldError]) -> ApplicationError:
    """A malformed filter: 400 (the request, not the data, is wrong), naming each field."""
    return ApplicationError("validation_error", fields=fields, status=400)


def parse_int(name: str, raw: str, *, minimum: int) -> int:
    text = (raw or "").strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", text) or int(text) < minimum:
        raise bad_request({name: FieldError("invalid_value", f"an integer ≥ {minimum}")})
    return int(text)


def parse_limit(raw: str | None, default: int = LIMIT_DEFAULT, maximum: int = LIMIT_MAX) -> int:
    if raw is None or raw == "":
        return default
    return min(parse_int("limit", raw, minimum=1), maximum)


def parse_offset(raw: str | None) -> int:
    return 0 if raw is None or raw == "" else parse_int("offset", raw, minimum=0)


def parse_date(name: str, raw: str | None) -> dt.date | None:
    if raw is None or raw == "":
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise bad_request({name: FieldError("invalid_value", "a date YYYY-MM-DD")}) from None


def parse_filters(
    *, q: str = "", category: str = "", location: str = "", limit: str = "", offset: str = ""
) -> ListFilters:
    errors: dict[str, FieldError] = {}
    texts = {"q": q, "category": category, "location": location}
    for name, value in texts.items():
        if len(value) > _FILTER_LENGTHS[name]:
            errors[name] = FieldError("too_long", f"{_FILTER_LENGTHS[name]} characters at most")
        elif not _TEXT.match(value):
            errors[name] = FieldError("invalid_value", "control characters or markup")
    parsed: dict[str, int] = {}
    for name, parse in (
        ("limit", lambda: parse_limit(limit)),
        ("offset", lambda: parse_offset(offset)),
    ):
        try:
            parsed[name] = parse()
        except ApplicationError as error:
            errors.update(error.fields)
    if errors:
        raise bad_request(errors)
    return ListFilters(q=q.strip(), category=category.strip(), location=location.strip(), **parsed)


# --- Names in public -------------------------------------------------------------------------


def pseudonym_ref(key: bytes, commons_id: int, agent_id: int) -> str:
    """A stable public reference of an agent within ONE commons (keyed hash, 12 hex digits).

    Keyed, so nobody can recompute it from ids; per commons, so a person's activity in
    several commons cannot be linked through it.
    """
    message = f"agent:{commons_id}:{agent_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:12]


def pseudonym_name(ref: str) -> str:
    return f"{PSEUDONYM_PREFIX} {ref[:6]}"


# --- HTTP caching and rate limit -------------------------------------------------------------


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    candidates = {item.strip().removeprefix("W/") for item in header.split(",")}
    return "*" in candidates or etag in candidates


@dataclass
class RateLimiter:
    """Fixed window per key: at most `limit` hits per `window` seconds; 0 means no limit."""

    limit: int
    window: float = 60.0
    max_keys: int = 50_000
    _hits: OrderedDict = field(default_factory=OrderedDict)

    def hit(self, key: str, now: float) -> float | None:
        """None if allowed; else the seconds to wait."""
        if self.limit <= 0:
            return None
        start, count = self._hits.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        if count >= self.limit:
            return self.window - (now - start)
        self._hits[key] = (start, count + 1)
        self._hits.move_to_end(key)
        while len(self._hits) > self.max_keys:  # bounded memory under an address sweep
            self._hits.popitem(last=False)
        return None


# --- Dashboards ------------------------------------------------------------------------------

CONTRIBUTION_ACCOUNTS = {"1013": "cash", "1014": "in_kind", "1015": "labour"}
PRESERVED_ACCOUNTS = {"706": "levies", "708": "taxes"}
FUNDING_PREFIXES = ("74", "131", "164")


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def account_root(number: str, roots: Iterable[str]) -> str | None:
    """The listed account a (sub-)account belongs to: 10131 → 1013."""
    for root in sorted(roots, key=len, reverse=True):
        if number.startswith(root):
            return root
    return None


def monthly_series(
    movements: Iterable[tuple[str, str, int, int]], roots: Mapping[str, str]
) -> list[dict]:
    """Credits per month and category from (month, account, debit, credit) rows.

    Credits on capital (101x) are value brought in; credits on 706/708 are value preserved.
    Debits on them (reversals, redemptions) are netted so a corrected entry does not count.
    """
    months: dict[str, dict[str, int]] = defaultdict(lambda: {name: 0 for name in roots.values()})
    for month, number, debit, credit in movements:
        root = account_root(number, roots)
        if root is None:
            continue
        months[month][roots[root]] += credit - debit
    return [
        {"month": month, **values, "total_cents": sum(values.values())}
        for month, values in sorted(months.items())
    ]


def cumulative(series: list[dict], key: str = "total_cents") -> list[dict]:
    running = 0
    out = []
    for item in series:
        running += item[key]
        out.append({"month": item["month"], "amount_cents": running})
    return out


def last_per_month(points: Iterable[tuple[dt.datetime, int, str]]) -> list[dict]:
    """NAV points (moment, unit value in cents, outstanding units) → the last of each month."""
    months: dict[str, dict] = {}
    for at, unit_value, outstanding in sorted(points, key=lambda point: point[0]):
        months[month_key(at.date())] = {
            "month": month_key(at.date()),
            "unit_value_cents": unit_value,
            "outstanding": outstanding,
        }
    return list(months.values())


@dataclass
class Sankey:
    """`{nodes, links}` as ECharts' sankey series reads them; values in euro cents."""

    nodes: dict[str, dict] = field(default_factory=dict)
    links: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def node(self, name: str, label: str, group: str) -> str:
        self.nodes.setdefault(name, {"name": name, "label": label, "group": group})
        return name

    def link(self, source: str, target: str, value: int) -> None:
        if value > 0 and source != target:
            self.links[(source, target)] += value

    def as_dict(self) -> dict:
        used = {name for pair in self.links for name in pair}
        return {
            "unit": "EUR cent",
            "nodes": [node for name, node in self.nodes.items() if name in used],
            "links": [
                {"source": source, "target": target, "value": value}
                for (source, target), value in sorted(self.links.items())
            ],
        }


def sankey_add_commons(
    sankey: Sankey,
    *,
    commons_key: str,
    commons_label: str,
    accounts: Iterable[tuple[str, str, str, str, int]],
) -> None:
    """Sources → commons → uses, from closing balances (number, label, type, kind, signed).

    Sources: capital brought by contributors (101x), funders (grants 74/131, loans 164),
    levies and taxes (706/708), other income. Uses: each asset (resource) account and the
    expenses. Balances, not postings: the picture is where value came from and where it sits.
    """
    commons = sankey.node(commons_key, commons_label, "commons")
    for number, label, type_, _kind, signed in accounts:
        if type_ in ("equity", "liability", "income"):
            amount = -signed  # credit-normal
            root = account_root(number, CONTRIBUTION_ACCOUNTS)
            if root is not None:
                source = sankey.node(
                    f"contributors:{CONTRIBUTION_ACCOUNTS[root]}",
                    f"Apporteurs ({label})",
                    "contributors",
                )
            elif account_root(number, FUNDING_PREFIXES) is not None:
                source = sankey.node(f"funders:{number}", f"Financeurs ({label})", "funders")
            elif type_ == "income":
                source = sankey.node(f"income:{number}", label, "income")
            else:
                continue  # results carried forward, debts to members: not a source of value
            sankey.link(source, commons, amount)
        elif type_ == "asset":
            target = sankey.node(f"{commons_key}:resource:{number}", label, "resource")
            sankey.link(commons, target, signed)
        elif type_ == "expense":
            target = sankey.node(f"expenses:{number[:2]}", f"Charges {number[:2]}", "expenses")
            sankey.link(commons, target, signed)
