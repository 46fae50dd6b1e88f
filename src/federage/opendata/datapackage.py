"""The Frictionless Data Package of public data (ODbL-1.0): to a directory, or streamed as a zip.

Only public commons are read, through `opendata.selectors`; names follow the same rules as
the public API. `federage export datapackage [--commons SLUG] --out DIR` plugs into the
ledger's exporter registry.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from django.conf import settings

from federage import __version__
from federage.core import clock
from federage.federation import selectors as federation_selectors
from federage.funding import selectors as funding_selectors
from federage.impact import selectors as impact_selectors
from federage.impact import taxonomy
from federage.ledger import selectors as ledger_selectors
from federage.ledger.exports import exporter_register
from federage.opendata import domain, selectors
from federage.opendata.dictionary import RESOURCES
from federage.resources import selectors as resource_selectors

CHUNK_ROWS = 2000


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _commons_list(slug: str | None) -> list:
    if slug:
        return [selectors.commons_public(slug=slug)]
    return list(selectors.commons_public_all().order_by("slug"))


def _rows(name: str, commons_list: list) -> Iterator[list]:
    """The rows of one resource, in dictionary column order."""
    if name in INSTANCE_ROWS:  # a table of the instance, not of each commons
        yield from INSTANCE_ROWS[name]()
        return
    if name in BETWEEN_ROWS:  # links between commons: each once, when one end is in scope
        yield from BETWEEN_ROWS[name]({commons.slug for commons in commons_list})
        return
    for commons in commons_list:
        yield from ROWS[name](commons)


def _commons_rows(commons) -> Iterator[list]:
    row = selectors.commons_row(commons)
    url = f"{settings.SITE_URL}/communs/{commons.slug}"
    yield [
        row["slug"],
        row["name"],
        row["purpose"],
        row["category"],
        row["location"],
        row["parent_slug"],
        row["created_at"],
        url,
    ]


def _agents_rows(commons) -> Iterator[list]:
    seen: dict[str, list] = {}
    for member in selectors.members_public(commons):
        seen[member["ref"]] = [
            commons.slug,
            member["ref"],
            member["kind"],
            member["name"],
            member["is_pseudonym"],
            ";".join(member["roles"]),
        ]
    # Former members who contributed or hold titles: every reference used must resolve.
    for item in selectors.contributions_public(commons):
        seen.setdefault(item["contributor"]["ref"], _agent_row(commons, item["contributor"]))
    for holder in selectors.cap_table_public(commons)["holders"]:
        seen.setdefault(holder["holder"]["ref"], _agent_row(commons, holder["holder"]))
    yield from seen.values()


def _agent_row(commons, agent: dict) -> list:
    return [commons.slug, agent["ref"], agent["kind"], agent["name"], agent["is_pseudonym"], ""]


def _accounts_rows(commons) -> Iterator[list]:
    for account in ledger_selectors.accounts_of(book=selectors.book_public(commons)):
        yield [commons.slug, account.number, account.label, account.type, account.capital_kind]


def _decisions_rows(commons) -> Iterator[list]:
    for item in selectors.decisions_public(commons):
        yield [
            item["id"],
            commons.slug,
            item["sequence"],
            item["kind"],
            item["title"],
            item["outcome"],
            item["charter_version"],
            item["decided_at"],
            item["hash"],
            item["previous_hash"],
        ]


def _entries(commons) -> Iterator:
    return ledger_selectors.entries_of(book=selectors.book_public(commons)).iterator(
        chunk_size=CHUNK_ROWS
    )


def _entries_rows(commons) -> Iterator[list]:
    for entry in _entries(commons):
        row = selectors.entry_row(entry)
        yield [
            row["id"],
            commons.slug,
            row["sequence"],
            row["journal"],
            row["reference"],
            row["entry_date"],
            row["validation_date"],
            row["label"],
            row["piece_ref"],
            row["total_cents"],
            row["reverses_id"],
            row["decision_id"],
            row["source_type"],
            row["hash"],
        ]


def _lines_rows(commons) -> Iterator[list]:
    for entry in _entries(commons):
        for line in entry.lines.all():
            yield [
                entry.pk,
                line.position,
                commons.slug,
                line.account.number,
                line.debit_cents,
                line.credit_cents,
                line.label,
            ]


def _contributions_rows(commons) -> Iterator[list]:
    for item in selectors.contributions_public(commons):
        yield [
            item["id"],
            commons.slug,
            item["contributor"]["ref"],
            item["kind"],
            item["title"],
            item["state"],
            item["price_cents"],
            item["decided_at"],
            item["decision_id"],
            item["entry_id"],
        ]


def _holdings_rows(commons) -> Iterator[list]:
    for holder in selectors.cap_table_public(commons)["holders"]:
        yield [
            commons.slug,
            holder["holder"]["ref"],
            holder["units"],
            holder["percent"],
            holder["value_cents"],
        ]


def _nav_rows(commons) -> Iterator[list]:
    for point in selectors.nav_history_public(commons, limit=100_000):
        yield [
            commons.slug,
            point["at"],
            point["unit_value_cents"],
            point["net_assets_cents"],
            point["outstanding"],
            point["cause"],
        ]


def _resources_rows(commons) -> Iterator[list]:
    for row in resource_selectors.resources_of(commons=commons):
        yield [
            commons.slug,
            row["id"],
            row["key"],
            row["name"],
            row["kind"],
            row["capital_kind"],
            row["unit"],
            row["location"],
            row["status"],
            row["account_code"],
            row["value_cents"],
            row["accumulated_depreciation_cents"],
            row["net_value_cents"],
            row["levy"]["rate_bp"],
            row["levy"]["per_unit_cents"],
            row["usage_count"],
            row["quantity_used"],
            row["sales_cents"],
            row["levies_cents"],
        ]


def _resource_usage_rows(commons) -> Iterator[list]:
    for row in resource_selectors.public_resources(commons=commons):
        for month in row["by_month"]:
            yield [
                commons.slug,
                row["id"],
                month["month"],
                month["uses"],
                month["quantity"],
                month["sales_cents"],
                month["levy_cents"],
            ]


def _levies_rows(commons) -> Iterator[list]:
    for month in resource_selectors.public_levies(commons=commons)["by_month"]:
        yield [
            commons.slug,
            month["month"],
            month["due_cents"],
            month["collected_cents"],
            month["outstanding_cents"],
        ]


def _taxonomy_rows() -> Iterator[list]:
    for term in taxonomy.terms_all():
        yield [
            term["code"],
            term["parent"],
            term["fr"],
            term["en"],
            term["origin"],
            term["added_in"],
            term["retired_in"],
        ]


def _commons_terms_rows(commons) -> Iterator[list]:
    for code in taxonomy.terms_of_commons(commons_ids=[commons.pk]).get(commons.pk, []):
        yield [commons.slug, code]


def _commons_locations_rows(commons) -> Iterator[list]:
    location = taxonomy.locations_of(commons_ids=[commons.pk]).get(commons.pk)
    if location:
        yield [
            commons.slug,
            location["commune_code"],
            location["commune_name"],
            location["departement_code"],
            location["departement_name"],
            location["region_code"],
            location["region_name"],
            location["cog_year"],
        ]


def _indicators_rows() -> Iterator[list]:
    for row in impact_selectors.indicators_all():
        yield [
            row["code"],
            row["label_fr"],
            row["label_en"],
            row["unit"],
            row["direction"],
            json.dumps(row["references"], sort_keys=True, ensure_ascii=False),
            row["origin"],
        ]


def _objectives_rows(commons) -> Iterator[list]:
    for row in impact_selectors.public_objectives(commons=commons):
        yield [
            commons.slug,
            row["id"],
            row["title"],
            row["indicator_code"],
            row["unit"],
            row["baseline"],
            row["target"],
            row["starts_on"],
            row["target_date"],
            row["method"],
            row["method_reference"],
            row["status"],
            row["decision_id"],
            row["verified_total"],
            row["progress_bp"],
        ]


def _measurements_rows(commons) -> Iterator[list]:
    for row in impact_selectors.public_measurements(commons=commons):
        yield [
            commons.slug,
            row["id"],
            row["objective_id"],
            row["value"],
            row["unit"],
            row["period_start"],
            row["period_end"],
            row["method"],
            row["reviewed_at"],
            row["supersedes_id"],
            " ".join(item["sha256"] for item in row["evidence"]),
        ]


def _financings_rows(commons) -> Iterator[list]:
    for row in funding_selectors.public_financings(slug=commons.slug):
        earmarks = row["earmarks"]
        yield [
            commons.slug,
            row["id"],
            row["funder_name"],
            row["kind"],
            row["title"],
            row["status"],
            row["amount_cents"],
            row["disbursed_cents"],
            row["repaid_cents"],
            row["interest_paid_cents"],
            (row["loan"] or {}).get("rate_bp"),
            row["decision_id"],
            " ".join(str(e["id"]) for e in earmarks if e["type"] == "resource"),
            " ".join(str(e["id"]) for e in earmarks if e["type"] == "objective"),
        ]


def _financing_tranches_rows(commons) -> Iterator[list]:
    for row in funding_selectors.public_financings(slug=commons.slug):
        for tranche in row["tranches"]:
            yield [
                commons.slug,
                row["id"],
                tranche["number"],
                tranche["amount_cents"],
                tranche["objective_id"],
                tranche["threshold"],
                tranche["status"],
                tranche["disbursed_at"],
            ]


def _network_links_rows(scope: set[str]) -> Iterator[list]:
    for row in federation_selectors.public_links():
        if row["source"] in scope or row["target"] in scope:
            yield [row["source"], row["target"], row["kind"], row["count"], row["value_cents"]]


def _scoped_exchanges(scope: set[str]) -> list[dict]:
    return [
        row
        for row in federation_selectors.public_exchanges()
        if row["commons_a"] in scope or row["commons_b"] in scope
    ]


def _exchanges_rows(scope: set[str]) -> Iterator[list]:
    for row in _scoped_exchanges(scope):
        yield [
            row["id"],
            row["commons_a"],
            row["commons_b"],
            row["executed_at"],
            row["terms_hash"],
            row["decision_a_id"],
            row["decision_b_id"],
            row["entry_a_id"],
            row["entry_b_id"],
            row["received_a_cents"],
            row["received_b_cents"],
            row["equity_change_a_cents"],
            row["equity_change_b_cents"],
        ]


def _exchange_legs_rows(scope: set[str]) -> Iterator[list]:
    for row in _scoped_exchanges(scope):
        for leg in row["legs"]:
            yield [
                row["id"],
                leg["number"],
                leg["giver"],
                leg["receiver"],
                leg["kind"],
                leg["label"],
                leg["quantity"],
                leg["unit"],
                leg["giver_book_cents"],
                leg["giver_value_cents"],
                leg["receiver_value_cents"],
            ]


def _participations_rows(scope: set[str]) -> Iterator[list]:
    for row in federation_selectors.public_participations():
        if row["holder"] in scope or row["host"] in scope:
            yield [
                row["holder"],
                row["host"],
                row["method"],
                row["cost_cents"],
                row["impairment_cents"],
                row["revaluation_cents"],
                row["carrying_cents"],
                row["fair_value_cents"],
                row["revalued_at"],
            ]


def _scoped_federations(scope: set[str]) -> list[dict]:
    return [
        row
        for row in federation_selectors.public_federations()
        if any(member["commons"] in scope for member in row["members"])
    ]


def _federations_rows(scope: set[str]) -> Iterator[list]:
    for row in _scoped_federations(scope):
        yield [
            row["slug"],
            row["name"],
            row["accounts"],
            row["combination_agreement"],
            row["agreement_ref"],
            row["created_at"],
        ]


def _federation_members_rows(scope: set[str]) -> Iterator[list]:
    for row in _scoped_federations(scope):
        for member in row["members"]:
            yield [row["slug"], member["commons"], member["joined_at"], member["decision_id"]]


INSTANCE_ROWS = {"taxonomy": _taxonomy_rows, "indicators": _indicators_rows}
BETWEEN_ROWS = {
    "network_links": _network_links_rows,
    "exchanges": _exchanges_rows,
    "exchange_legs": _exchange_legs_rows,
    "participations": _participations_rows,
    "federations": _federations_rows,
    "federation_members": _federation_members_rows,
}

ROWS = {
    "commons_terms": _commons_terms_rows,
    "commons_locations": _commons_locations_rows,
    "objectives": _objectives_rows,
    "measurements": _measurements_rows,
    "financings": _financings_rows,
    "financing_tranches": _financing_tranches_rows,
    "resources": _resources_rows,
    "resource_usage": _resource_usage_rows,
    "levies": _levies_rows,
    "commons": _commons_rows,
    "agents": _agents_rows,
    "accounts": _accounts_rows,
    "decisions": _decisions_rows,
    "entries": _entries_rows,
    "lines": _lines_rows,
    "contributions": _contributions_rows,
    "holdings": _holdings_rows,
    "nav_history": _nav_rows,
}


def descriptor(commons_list: list, slug: str | None) -> dict:
    """datapackage.json: Table Schemas with keys, units, licence, sources, contributors."""
    scope = f"commons {slug}" if slug else "every public commons"
    return {
        "profile": "tabular-data-package",
        "name": f"federage-{slug}" if slug else "federage",
        "title": f"Federage open data — {scope}",
        "description": (
            "Public books (accounts, journal entries and lines in euro cents), decision log, "
            "accepted contributions, cap table and unit value history of commons published on "
            "a Federage instance, and the network between public commons (links, exchanges "
            "at each side's valuation, holdings, federations). Amounts are integers in euro "
            "cents (100 = 1 €). Natural persons appear under a pseudonym unless they consented "
            "and the charter allows it; contributors shared by two commons are only counted."
        ),
        "version": __version__,
        "created": clock.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "homepage": settings.SITE_URL,
        "keywords": ["commons", "communs", "accounting", "open data", "Federage"],
        "licenses": [domain.LICENSE],
        "sources": [{"title": "Federage instance", "path": f"{settings.SITE_URL}/api/v1/public/"}],
        "contributors": [
            {"title": "Federage", "role": "publisher", "path": settings.SITE_URL},
            *(
                {
                    "title": commons.name,
                    "role": "author",
                    "path": f"{settings.SITE_URL}/communs/{commons.slug}",
                }
                for commons in commons_list
            ),
        ],
        "resources": [
            {
                "name": resource.name,
                "title": resource.title,
                "description": resource.description,
                "path": f"data/{resource.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": resource.schema(),
            }
            for resource in RESOURCES
        ],
    }


def _csv_chunks(name: str, columns: list[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_cell(value) for value in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write(*, out_dir: str | Path, slug: str | None = None) -> Path:
    """Writes datapackage.json and data/*.csv under `out_dir`; returns the descriptor's path."""
    commons_list = _commons_list(slug)
    directory = Path(out_dir)
    (directory / "data").mkdir(parents=True, exist_ok=True)
    for resource in RESOURCES:
        with open(directory / "data" / f"{resource.name}.csv", "w", encoding="utf-8") as handle:
            for chunk in _csv_chunks(
                resource.name, resource.columns, _rows(resource.name, commons_list)
            ):
                handle.write(chunk)
    path = directory / "datapackage.json"
    path.write_text(
        json.dumps(descriptor(commons_list, slug), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return path


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that hands what was written to the zip stream."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def zip_stream(*, slug: str | None = None) -> Iterator[bytes]:
    """The same package as a zip, produced while sent: memory stays flat whatever the size."""
    commons_list = _commons_list(slug)  # 404 before the first byte for a non-public slug
    prefix = f"federage-{slug}" if slug else "federage"

    def chunks() -> Iterator[bytes]:
        sink = _Sink()
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            descriptor_text = json.dumps(
                descriptor(commons_list, slug), ensure_ascii=False, indent=2
            )
            archive.writestr(f"{prefix}/datapackage.json", descriptor_text)
            yield sink.drain()
            for resource in RESOURCES:
                with archive.open(f"{prefix}/data/{resource.name}.csv", "w") as member:
                    for text in _csv_chunks(
                        resource.name, resource.columns, _rows(resource.name, commons_list)
                    ):
                        member.write(text.encode("utf-8"))
                        yield sink.drain()
                yield sink.drain()
        yield sink.drain()

    return chunks()


# `federage export datapackage`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--commons", default=None, help="slug of one public commons (default: all)")
    parser.add_argument("--out", required=True, help="directory to write datapackage.json in")


def _run(options: dict, stdout: TextIO) -> None:
    path = write(out_dir=options["out"], slug=options.get("commons") or None)
    stdout.write(f"{path}\n")


def register_exporter() -> None:
    exporter_register(
        "datapackage",
        help="Frictionless Data Package (ODbL-1.0) of public commons: CSV + Table Schemas",
        add_arguments=_arguments,
        run=_run,
    )
