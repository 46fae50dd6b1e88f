"""Builds src/federage/impact/data/cog-2026.json.gz from the npm package @etalab/decoupage-administratif.

Run by `make cog` (after `npm ci` in frontend/). The package's data is the official geographic code
(COG) of INSEE for one year (6.0.0 = COG 2026); we keep what a location needs, compactly:

- communes actuelles of metropolitan France and the DROM (type COM), and the 45 municipal
  arrondissements of Paris, Lyon and Marseille (type ARM, with their parent commune); the 94
  communes of the COM (Saint-Pierre-et-Miquelon, Polynesia…) are left out: they belong to no
  région of the COG, and a location carries a région;
- as aliases, the old codes of each commune (`anciensCodes`: merged communes) and the codes of
  communes déléguées and associées (COMD, COMA), each pointing at the commune actuelle it belongs
  to, so a code from an older list still finds its commune today;
- départements (code → name, région) and régions (code → name).

`rangChefLieu` is ignored (always 0 in this version, see research/anchors-impact-funding.md §3).
The output is gzip with a zero mtime, so the same input always gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "frontend/node_modules/@etalab/decoupage-administratif"
OUTPUT = ROOT / "src/federage/impact/data/cog-2026.json.gz"
YEAR = 2026
EXPECTED_VERSION = "6.0.0"


def load(name: str) -> list[dict]:
    return json.loads((PACKAGE / "data" / f"{name}.json").read_text(encoding="utf-8"))


def build() -> dict:
    version = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    if version != EXPECTED_VERSION:
        sys.exit(f"@etalab/decoupage-administratif {version} found, {EXPECTED_VERSION} expected")
    # The COM (975, 977, 978, 984, 986–989) are listed as their own "régions" by the package;
    # the COG's régions have two digits.
    regions = {row["code"]: row["nom"] for row in load("regions") if len(row["code"]) == 2}
    departements = {
        row["code"]: [row["nom"], row["region"]]
        for row in load("departements")
        if row.get("region") in regions
    }
    communes: list[list] = []
    aliases: dict[str, str] = {}
    current: set[str] = set()
    rows = load("communes")
    for row in rows:
        kind = {"commune-actuelle": "COM", "arrondissement-municipal": "ARM"}.get(row["type"])
        if kind is None or row.get("departement") not in departements:
            continue
        current.add(row["code"])
        communes.append(
            [
                row["code"],
                row["nom"],
                row["departement"],
                row["region"],
                sorted(row.get("codesPostaux") or []),
                sorted(row.get("anciensCodes") or []),
                kind,
                row.get("commune", ""),
            ]
        )
    for row in rows:
        if row["type"] == "commune-actuelle":
            for old in row.get("anciensCodes") or []:
                if old not in current:
                    aliases[old] = row["code"]
        elif row["type"] in ("commune-deleguee", "commune-associee"):
            parent = row.get("chefLieu")
            if parent in current and row["code"] not in current:
                aliases[row["code"]] = parent
    communes.sort(key=lambda c: (c[0], c[6]))
    return {
        "year": YEAR,
        "source": f"@etalab/decoupage-administratif {version} (INSEE COG {YEAR}, Licence Ouverte 2.0)",
        "fields": [
            "code",
            "nom",
            "departement",
            "region",
            "codesPostaux",
            "anciensCodes",
            "type",
            "commune",
        ],
        "regions": dict(sorted(regions.items())),
        "departements": dict(sorted(departements.items())),
        "communes": communes,
        "aliases": dict(sorted(aliases.items())),
    }


def main() -> None:
    data = build()
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(raw)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(buffer.getvalue())
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(data['communes'])} communes, "
        f"{len(data['aliases'])} aliases, {len(data['departements'])} départements, "
        f"{len(data['regions'])} régions, {len(buffer.getvalue())} bytes"
    )


if __name__ == "__main__":
    main()
