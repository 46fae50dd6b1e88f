"""French territories from the official geographic code (COG 2026): communes, départements, régions.

The data is `impact/data/cog-2026.json.gz`, built by `make cog` (scripts/build_cog.py) from the npm
package @etalab/decoupage-administratif 6.0.0 and committed, so nothing is fetched at runtime. It is
read once, on first use. It holds the communes actuelles of metropolitan France and the DROM (COM)
and the municipal arrondissements of Paris, Lyon and Marseille (ARM); the old codes of merged
communes and the codes of communes déléguées or associées are aliases of the commune actuelle they
belong to, so `commune("01340")` finds Arboys en Bugey (01015).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from federage.core.errors import ApplicationError

DATA = Path(__file__).resolve().parent / "data" / "cog-2026.json.gz"
COG_YEAR = 2026
CODE_FORM = re.compile(r"^([0-9]{2}|2A|2B)[0-9]{3}$")
SEARCH_LIMIT = 50


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space: "L'Haÿ-les-Roses" → "l hay les roses"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    departement: str
    region: str
    postcodes: tuple[str, ...]
    old_codes: tuple[str, ...]
    type: str  # COM (commune actuelle) or ARM (arrondissement municipal)
    parent: str  # an ARM's commune, else ""

    def row(self) -> dict:
        cog = _cog()
        return {
            "kind": "commune",
            "code": self.code,
            "name": self.name,
            "type": self.type,
            "parent": self.parent,
            "departement": self.departement,
            "departement_name": cog.departements[self.departement][0],
            "region": self.region,
            "region_name": cog.regions[self.region],
            "postcodes": list(self.postcodes),
            "old_codes": list(self.old_codes),
        }


@dataclass
class Cog:
    year: int
    source: str
    regions: dict[str, str]
    departements: dict[str, tuple[str, str]]
    communes: dict[str, Commune]
    aliases: dict[str, str]
    by_name: list[tuple[str, str]] = field(default_factory=list)  # (normalised name, code)
    by_postcode: dict[str, list[str]] = field(default_factory=dict)
    arrondissements: dict[str, list[str]] = field(default_factory=dict)  # commune → its ARM


@functools.cache
def _cog() -> Cog:
    raw = json.loads(gzip.decompress(DATA.read_bytes()))
    communes = {
        row[0]: Commune(
            row[0], row[1], row[2], row[3], tuple(row[4]), tuple(row[5]), row[6], row[7]
        )
        for row in raw["communes"]
    }
    cog = Cog(
        year=raw["year"],
        source=raw["source"],
        regions=raw["regions"],
        departements={code: (v[0], v[1]) for code, v in raw["departements"].items()},
        communes=communes,
        aliases=raw["aliases"],
    )
    cog.by_name = sorted((normalise(c.name), c.code) for c in communes.values())
    for commune in communes.values():
        for postcode in commune.postcodes:
            cog.by_postcode.setdefault(postcode, []).append(commune.code)
        if commune.parent:
            cog.arrondissements.setdefault(commune.parent, []).append(commune.code)
    return cog


def source() -> dict:
    cog = _cog()
    return {"year": cog.year, "source": cog.source}


def commune(code: str) -> Commune | None:
    """The commune of a code in force, or of an old or delegated code; None if unknown."""
    cog = _cog()
    code = (code or "").strip().upper()
    found = cog.communes.get(code)
    if found is None and code in cog.aliases:
        found = cog.communes.get(cog.aliases[code])
    return found


def commune_require(code: str, *, field_name: str = "commune_code") -> Commune:
    """The commune of `code`, or the refusal `commune_unknown` on that field."""
    found = commune(code) if isinstance(code, str) and len(code) <= 10 else None
    if found is None:
        raise ApplicationError.on_field(field_name, "commune_unknown")
    return found


def codes_around(code: str) -> list[str]:
    """The commune codes a search at this commune matches, both ways (as Aides-territoires
    matches perimeters): the commune itself, its arrondissements if it has some, and the commune
    an arrondissement belongs to."""
    found = commune(code)
    if found is None:
        return []
    codes = [found.code, *_cog().arrondissements.get(found.code, [])]
    if found.parent:
        codes.append(found.parent)
    return codes


def departement_name(code: str) -> str | None:
    entry = _cog().departements.get((code or "").upper())
    return entry[0] if entry else None


def region_name(code: str) -> str | None:
    return _cog().regions.get(code or "")


def region_of_departement(code: str) -> str | None:
    entry = _cog().departements.get((code or "").upper())
    return entry[1] if entry else None


def departements() -> list[dict]:
    cog = _cog()
    return [
        {"kind": "departement", "code": code, "name": name, "region": region}
        for code, (name, region) in cog.departements.items()
    ]


def regions() -> list[dict]:
    return [{"kind": "region", "code": code, "name": name} for code, name in _cog().regions.items()]


def _area_row(kind: str, code: str) -> dict:
    cog = _cog()
    if kind == "region":
        name = cog.regions[code]
        return {"kind": "region", "code": code, "name": name, "region": code, "region_name": name}
    name, region = cog.departements[code]
    return {
        "kind": "departement",
        "code": code,
        "name": name,
        "region": region,
        "region_name": cog.regions[region],
    }


def search(query: str, *, limit: int = 20) -> list[dict]:
    """Régions, départements and communes matching `query`: a code (exact for régions and
    départements, prefix for communes), a postcode, or the start of a name without regard to
    accents, case or hyphens. Régions first, then départements, then communes whose name
    matches exactly, then the shorter names."""
    cog = _cog()
    limit = max(1, min(limit, SEARCH_LIMIT))
    text = (query or "").strip()
    key = normalise(text)
    if not key:
        return []
    rows: list[dict] = []
    upper = text.upper()
    if upper in cog.regions:
        rows.append(_area_row("region", upper))
    if upper in cog.departements:
        rows.append(_area_row("departement", upper))
    rows += [_area_row("region", c) for c, n in cog.regions.items() if normalise(n).startswith(key)]
    rows += [
        _area_row("departement", c)
        for c, (n, _) in cog.departements.items()
        if normalise(n).startswith(key)
    ]
    codes: list[str] = []
    if re.fullmatch(r"[0-9AB]{2,5}", upper):
        if len(upper) == 5:
            if upper in cog.communes:
                codes.append(upper)
            codes += cog.by_postcode.get(upper, [])
            found = commune(upper)  # an old code last: 75001 was Alfortville's in the Seine
            if found is not None:
                codes.append(found.code)
        codes += [code for code in cog.communes if code.startswith(upper)][:limit]
    named = [(name, code) for name, code in cog.by_name if name.startswith(key)]
    named.sort(key=lambda item: (item[0] != key, len(item[0]), item[0], item[1]))
    codes += [code for _, code in named]
    seen: set[str] = set()
    for code in codes:
        if code not in seen:
            seen.add(code)
            rows.append(cog.communes[code].row())
    unique: list[dict] = []
    keys: set[tuple[str, str]] = set()
    for row in rows:
        if (row["kind"], row["code"]) not in keys:
            keys.add((row["kind"], row["code"]))
            unique.append(row)
    return unique[:limit]
