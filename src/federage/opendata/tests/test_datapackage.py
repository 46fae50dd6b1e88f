"""The ODbL data package: written by `federage export datapackage`, valid for frictionless."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from frictionless import validate

pytestmark = pytest.mark.django_db


def read_package(directory) -> str:
    return "\n".join(path.read_text() for path in sorted(directory.rglob("*")) if path.is_file())


def test_export_of_the_instance_validates_and_holds_no_private_data(world, tmp_path):
    out = io.StringIO()
    call_command("export", "datapackage", "--out", str(tmp_path), stdout=out)
    assert out.getvalue().strip() == str(tmp_path / "datapackage.json")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "ODbL-1.0"
    assert descriptor["created"] and descriptor["sources"] and descriptor["contributors"]
    names = {resource["name"] for resource in descriptor["resources"]}
    assert {"commons", "agents", "accounts", "entries", "lines", "decisions"} <= names
    assert {"contributions", "holdings", "nav_history"} <= names
    text = read_package(tmp_path)
    for secret in world.forbidden:
        assert secret not in text, secret
    with open(tmp_path / "data" / "commons.csv") as handle:
        assert [row["slug"] for row in csv.DictReader(handle)] == [world.public.slug]
    with open(tmp_path / "data" / "contributions.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(int(row["price_cents"]) for row in rows) == [12_300, 987_654]


def test_export_of_one_commons_and_refusals(world, tmp_path):
    call_command("export", "datapackage", "--commons", world.public.slug, "--out", str(tmp_path))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    for hidden in (world.private.slug, world.draft.slug, "inconnu"):
        with pytest.raises(CommandError, match="not_found"):
            call_command("export", "datapackage", "--commons", hidden, "--out", str(tmp_path))


def test_zip_download_is_the_same_package(world, tmp_path):
    response = Client().get("/api/v1/public/datapackage.zip", {"commons": world.public.slug})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        archive.extractall(tmp_path)
    report = validate(str(tmp_path / f"federage-{world.public.slug}" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_data_dictionary_describes_every_resource(world, tmp_path):
    dictionary = Client().get("/api/v1/public/data-dictionary").json()
    assert dictionary["licenses"][0]["name"] == "ODbL-1.0"
    call_command("export", "datapackage", "--out", str(tmp_path))
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert [item["name"] for item in dictionary["resources"]] == [
        item["name"] for item in descriptor["resources"]
    ]
    money = [
        field
        for resource in dictionary["resources"]
        for field in resource["fields"]
        if field["name"].endswith("_cents")
    ]
    assert money and all(field["unit"] == "EUR cent" for field in money)


def test_data_dictionary_speaks_french_and_english(world, tmp_path):
    """Every title and description in both languages, and every enumerated code explained in
    both: the codes the apps define, and every code the export writes."""
    from federage.agents import domain as agents_domain
    from federage.commons import domain as commons_domain
    from federage.contributions import domain as contributions_domain
    from federage.governance import domain as governance_domain
    from federage.ledger import domain as ledger_domain

    dictionary = Client().get("/api/v1/public/data-dictionary").json()
    assert dictionary["amounts"]["fr"] and dictionary["amounts"]["en"]
    texts = [dictionary["amounts"]]
    for resource in dictionary["resources"]:
        texts += [resource["title"], resource["description"]]
        texts += [field["description"] for field in resource["fields"]]
        texts += [value["label"] for field in resource["fields"] for value in field["values"]]
    assert all(text["fr"].strip() and text["en"].strip() for text in texts), texts
    # French typography: a no-break space before a colon or a semicolon, one apostrophe.
    for text in texts:
        assert "'" not in text["fr"] and not any(f" {mark}" in text["fr"] for mark in ":;"), text

    codes = {
        (resource["name"], field["name"]): [value["code"] for value in field["values"]]
        for resource in dictionary["resources"]
        for field in resource["fields"]
        if field["values"]
    }
    assert codes[("agents", "kind")] == list(agents_domain.AGENT_KINDS)
    assert codes[("agents", "roles")] == list(commons_domain.ROLES)
    assert codes[("accounts", "type")] == list(ledger_domain.ACCOUNT_TYPES)
    assert codes[("accounts", "capital_kind")] == list(ledger_domain.CAPITAL_KINDS)
    assert codes[("decisions", "kind")] == list(governance_domain.KINDS)
    closed = [s for s in governance_domain.CLOSED_STATUSES if s != "withdrawn"]
    assert sorted(codes[("decisions", "outcome")]) == sorted(closed)
    assert codes[("contributions", "kind")] == list(contributions_domain.KINDS)

    call_command("export", "datapackage", "--out", str(tmp_path))
    for (resource, field), known in codes.items():
        with open(tmp_path / "data" / f"{resource}.csv") as handle:
            written = {
                code for row in csv.DictReader(handle) for code in row[field].split(";") if code
            }
        assert written <= set(known), (resource, field, written - set(known))
