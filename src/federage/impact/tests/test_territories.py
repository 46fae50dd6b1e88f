"""The COG 2026 territories: lookups by code, old code, name, postcode; the committed file's build."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from federage.core.errors import ApplicationError
from federage.impact import territories

ROOT = Path(__file__).resolve().parents[4]


def test_the_committed_file_holds_the_cog_2026():
    raw = json.loads(gzip.decompress(territories.DATA.read_bytes()))
    assert raw["year"] == 2026 == territories.COG_YEAR
    assert "6.0.0" in raw["source"]
    # 34,875 communes actuelles of metropolitan France and the DROM, and 45 arrondissements.
    kinds = [row[6] for row in raw["communes"]]
    assert kinds.count("COM") == 34875
    assert kinds.count("ARM") == 45
    assert len(raw["departements"]) == 101
    assert len(raw["regions"]) == 18


@pytest.mark.skipif(
    not (ROOT / "frontend/node_modules/@etalab/decoupage-administratif/package.json").exists(),
    reason="the npm package is not installed",
)
def test_the_build_gives_the_committed_bytes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_cog", ROOT / "scripts/build_cog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = module.build()
    committed = json.loads(gzip.decompress(territories.DATA.read_bytes()))
    assert data == committed


@pytest.mark.parametrize(
    ("code", "name", "departement", "region"),
    [
        ("59512", "Roubaix", "59", "32"),
        ("32013", "Auch", "32", "76"),
        ("75056", "Paris", "75", "11"),
        ("2A004", "Ajaccio", "2A", "94"),
        ("97411", "Saint-Denis", "974", "04"),
        ("97611", "Mamoudzou", "976", "06"),
    ],
)
def test_a_commune_has_its_departement_and_region(code, name, departement, region):
    commune = territories.commune(code)
    assert (commune.name, commune.departement, commune.region) == (name, departement, region)
    assert commune.row()["region_name"]


def test_an_old_code_finds_the_commune_of_today():
    # 01340 merged into Arboys en Bugey (01015); a delegated commune's code finds its parent.
    assert territories.commune("01340").code == "01015"
    assert territories.commune("01340").name == "Arboys en Bugey"


def test_an_arrondissement_and_its_commune_find_each_other():
    assert territories.commune("75101").parent == "75056"
    assert "75101" in territories.codes_around("75056")
    assert territories.codes_around("75101") == ["75101", "75056"]
    assert territories.codes_around("32013") == ["32013"]


def test_a_corsican_code_from_before_1976_finds_ajaccio():
    assert territories.commune("20004").code == "2A004"


@pytest.mark.parametrize("code", ["99999", "", "abc", "97501", "5951", None])
def test_an_unknown_code_is_refused(code):
    # 97501 is in a COM (Saint-Pierre-et-Miquelon), which has no région of the COG.
    with pytest.raises(ApplicationError) as refused:
        territories.commune_require(code)
    assert refused.value.code == "commune_unknown"
    assert refused.value.fields["commune_code"].code == "commune_unknown"


def test_search_by_name_without_accents_or_case():
    names = [row["name"] for row in territories.search("auch")]
    assert names[0] == "Auch"
    rows = territories.search("saint-etienne")
    assert rows[0]["name"] == "Saint-Étienne"
    assert territories.search("OCCITANIE")[0] == {
        "kind": "region",
        "code": "76",
        "name": "Occitanie",
        "region": "76",
        "region_name": "Occitanie",
    }
    assert territories.search("gers")[0]["kind"] == "departement"


def test_search_by_code_and_postcode():
    # "32" is both a région (Hauts-de-France) and a département (Gers): both come first.
    assert [(row["kind"], row["name"]) for row in territories.search("32")[:2]] == [
        ("region", "Hauts-de-France"),
        ("departement", "Gers"),
    ]
    assert territories.search("32")[1] == {
        "kind": "departement",
        "code": "32",
        "name": "Gers",
        "region": "76",
        "region_name": "Occitanie",
    }
    # 59100 is a commune's code and Roubaix's postcode: the code first, then the postcode.
    assert [row["code"] for row in territories.search("59100")[:2]] == ["59100", "59512"]
    assert territories.search("32000")[0]["code"] == "32013"
    assert territories.search("75001")[0]["code"] in {"75056", "75101"}
    assert territories.search("") == []
    assert len(territories.search("saint", limit=500)) == territories.SEARCH_LIMIT


def test_normalise():
    assert territories.normalise("L'Haÿ-les-Roses") == "l hay les roses"
