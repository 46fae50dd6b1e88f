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
