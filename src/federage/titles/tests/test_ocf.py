"""`federage export ocf`: the cap table as OCF 1.2.0 files that validate against the schemas."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.titles import services

pytestmark = pytest.mark.django_db

# The OCF 1.2.0 schemas are vendored in standards/ (a copy of the project's shared standards data),
# so the validation never depends on files outside the repository.
SCHEMAS = Path(
    os.environ.get(
        "FEDERAGE_OCF_SCHEMAS",
        Path(__file__).resolve().parents[4] / "standards" / "ocf-schema-1.2.0",
    )
)
BASE = "https://schema.opencaptablecoalition.com/v/1.2.0/"


def validator_for(relative: str):
    import jsonschema
    import referencing

    resources = []
    for path in SCHEMAS.rglob("*.schema.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    registry = referencing.Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / relative).read_text())
    return jsonschema.Draft7Validator(schema, registry=registry)


FILE_SCHEMAS = {
    "OCF_MANIFEST_FILE": "files/OCFManifestFile.schema.json",
    "OCF_STAKEHOLDERS_FILE": "files/StakeholdersFile.schema.json",
    "OCF_STOCK_CLASSES_FILE": "files/StockClassesFile.schema.json",
    "OCF_TRANSACTIONS_FILE": "files/TransactionsFile.schema.json",
    "OCF_VALUATIONS_FILE": "files/ValuationsFile.schema.json",
}
OBJECT_SCHEMAS = {
    "STAKEHOLDER": "objects/Stakeholder.schema.json",
    "STOCK_CLASS": "objects/StockClass.schema.json",
    "VALUATION": "objects/Valuation.schema.json",
    "TX_STOCK_ISSUANCE": "objects/transactions/issuance/StockIssuance.schema.json",
    "TX_STOCK_TRANSFER": "objects/transactions/transfer/StockTransfer.schema.json",
    "TX_STOCK_REPURCHASE": "objects/transactions/repurchase/StockRepurchase.schema.json",
}


def test_export_validates_and_carries_the_cap_table(make_user, make_commons, tmp_path, capsys):
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)
    accept(scene, user=scene.other, kind="labour", title="Couture", proposed_price_cents=33_333)
    later = clock.now() + dt.timedelta(hours=1)
    with clock.frozen(later):
        transfer = services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(scene.approver1),
            units=Decimal("30.5"),
            unit_price_cents=1234,
        )
        services.transfer_accept(user=scene.approver1, transfer_id=transfer.pk)
    redemption = services.redemption_request(
        user=scene.approver1, commons_slug=scene.slug, units=Decimal("10")
    )
    with clock.frozen(later + dt.timedelta(days=31)):
        services.redemption_execute(user=scene.approver1, redemption_id=redemption.pk)
        call_command("export", "ocf", "--commons", scene.slug, "--out", str(tmp_path))
    assert "Manifest.ocf.json" in capsys.readouterr().out

    documents = {path.name: json.loads(path.read_text()) for path in tmp_path.glob("*.json")}
    assert documents["Manifest.ocf.json"]["ocf_version"] == "1.2.0"
    for name, document in documents.items():
        errors = list(validator_for(FILE_SCHEMAS[document["file_type"]]).iter_errors(document))
        assert not errors, (name, [error.message for error in errors[:3]])
        for item in document.get("items", []):
            validator = validator_for(OBJECT_SCHEMAS[item["object_type"]])
            errors = list(validator.iter_errors(item))
            assert not errors, (item["id"], [error.message for error in errors[:3]])

    # Replaying the transactions gives the cap table: what each stakeholder holds.
    held: dict[str, Decimal] = {}
    owner: dict[str, str] = {}
    units: dict[str, Decimal] = {}
    for tx in documents["transactions.ocf.json"]["items"]:
        if tx["object_type"] == "TX_STOCK_ISSUANCE":
            owner[tx["security_id"]] = tx["stakeholder_id"]
            units[tx["security_id"]] = Decimal(tx["quantity"])
        else:
            units.pop(tx["security_id"])
    for security, quantity in units.items():
        held[owner[security]] = held.get(owner[security], Decimal(0)) + quantity
    assert held == {
        f"agent-{agent_of(scene.contributor)}": Decimal("69.5"),
        f"agent-{agent_of(scene.other)}": Decimal("33.333"),
        f"agent-{agent_of(scene.approver1)}": Decimal("20.5"),
    }
    transfers = [
        tx
        for tx in documents["transactions.ocf.json"]["items"]
        if tx["object_type"] == "TX_STOCK_TRANSFER"
    ]
    assert "12.34 €" in transfers[0]["consideration_text"]
    prices = [v["price_per_share"]["amount"] for v in documents["valuations.ocf.json"]["items"]]
    assert "12.34" in prices
