"""The cap table as an Open Cap Format 1.2.0 package: `federage export ocf --commons SLUG --out DIR`.

Mapping (Federage → OCF):
- the commons → ISSUER (France; formation date = creation of the commons);
- the title class → STOCK_CLASS (COMMON, one vote per unit, unlimited authorised units);
- every agent that ever held titles → STAKEHOLDER (INDIVIDUAL for a person, else INSTITUTION);
- an issuance → TX_STOCK_ISSUANCE at the NAV used, the contribution in `consideration_text`;
- a transfer → TX_STOCK_TRANSFER of the seller's securities, oldest first (a partly
  transferred security leaves a balance security), each resulting security a
  TX_STOCK_ISSUANCE at the agreed unit price; the agreed price and tax are in
  `consideration_text` and the agreed unit price is also a VALUATION of that day;
- a redemption → TX_STOCK_REPURCHASE at the redemption value per unit;
- every NAV point → VALUATION. OCF 1.2.0 only knows the "409A" valuation type: it is used for
  schema validity and each valuation's comment says it is Federage's net asset value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from federage.agents import selectors as agent_selectors
from federage.core import clock
from federage.titles import selectors
from federage.titles.models import Issuance, NavPoint, Redemption, Transfer

OCF_VERSION = "1.2.0"
CLASS_ID = "class-parts"
FILES = {
    "stakeholders": ("stakeholders.ocf.json", "OCF_STAKEHOLDERS_FILE"),
    "stock_classes": ("stock_classes.ocf.json", "OCF_STOCK_CLASSES_FILE"),
    "transactions": ("transactions.ocf.json", "OCF_TRANSACTIONS_FILE"),
    "valuations": ("valuations.ocf.json", "OCF_VALUATIONS_FILE"),
}


def _numeric(value: Decimal) -> str:
    """OCF Numeric: a plain decimal string with at most 10 places."""
    text = f"{value.quantize(Decimal('0.0000000001')).normalize():f}"
    return text if "." not in text else text.rstrip("0").rstrip(".")


def _euros_from_cents(cents: Decimal | int) -> dict[str, str]:
    return {"amount": _numeric(Decimal(cents) / 100), "currency": "EUR"}


def _date(moment: dt.datetime) -> str:
    return moment.astimezone(clock.BOOKS_TIME_ZONE).date().isoformat()


class _Securities:
    """Securities per holder, oldest first: OCF moves securities, Federage moves units."""

    def __init__(self) -> None:
        self.count = 0
        self.held: dict[int, list[list[Any]]] = defaultdict(list)

    def new(self, agent_id: int, units: Decimal) -> str:
        self.count += 1
        security_id = f"P-{self.count}"
        self.held[agent_id].append([security_id, units])
        return security_id

    def take(self, agent_id: int, units: Decimal) -> list[tuple[str, Decimal, Decimal]]:
        """Consumes units FIFO: (security id, units taken, units left on it) per security."""
        taken = []
        remaining = units
        while remaining > 0:
            security = self.held[agent_id][0]
            quantity = min(security[1], remaining)
            taken.append((security[0], quantity, security[1] - quantity))
            self.held[agent_id].pop(0)
            remaining -= quantity
        return taken


def _issuance_tx(
    tx_id: str,
    security_id: str,
    agent_id: int,
    units: Decimal,
    price_cents: Decimal | int,
    date: str,
    consideration: str,
) -> dict:
    return {
        "object_type": "TX_STOCK_ISSUANCE",
        "id": tx_id,
        "security_id": security_id,
        "custom_id": security_id,
        "stakeholder_id": f"agent-{agent_id}",
        "stock_class_id": CLASS_ID,
        "share_price": _euros_from_cents(price_cents),
        "quantity": _numeric(units),
        "date": date,
        "security_law_exemptions": [],
        "stock_legend_ids": [],
        "consideration_text": consideration,
    }


def _events(commons_id: int) -> list[tuple[dt.datetime, int, str, Any]]:
    events: list[tuple[dt.datetime, int, str, Any]] = []
    for issuance in Issuance.objects.filter(commons_id=commons_id):
        events.append((issuance.issued_at, 0, "issuance", issuance))
    for transfer in Transfer.objects.filter(commons_id=commons_id, state=Transfer.ACCEPTED):
        events.append((transfer.closed_at, 1, "transfer", transfer))
    redemptions = Redemption.objects.filter(commons_id=commons_id, state=Redemption.EXECUTED)
    for redemption in redemptions:
        events.append((redemption.executed_at, 2, "redemption", redemption))
    events.sort(key=lambda event: (event[0], event[1], event[3].pk))
    return events


def _transactions(commons_id: int) -> tuple[list[dict], set[int]]:
    securities = _Securities()
    transactions: list[dict] = []
    holders: set[int] = set()
    for moment, _, kind, row in _events(commons_id):
        date = _date(moment)
        if kind == "issuance":
            holders.add(row.agent_id)
            security_id = securities.new(row.agent_id, row.units)
            transactions.append(
                _issuance_tx(
                    f"issuance-{row.pk}",
                    security_id,
                    row.agent_id,
                    row.units,
                    row.unit_value_cents,
                    date,
                    f"Apport ({row.source_type} {row.source_id}) de {row.price_cents / 100:.2f} € "
                    f"à la valeur de part {row.unit_value_cents / 100:.6f} €",
                )
            )
            continue
        agent_id = row.seller_id if kind == "transfer" else row.agent_id
        per_unit = (
            Decimal(row.unit_price_cents)
            if kind == "transfer"
            else Decimal(row.value_cents) / row.units
        )
        for index, (security_id, quantity, left) in enumerate(securities.take(agent_id, row.units)):
            tx: dict[str, Any] = {"id": f"{kind}-{row.pk}-{index + 1}", "security_id": security_id}
            tx.update({"date": date, "quantity": _numeric(quantity)})
            if left > 0:
                balance = securities.new(agent_id, left)
                tx["balance_security_id"] = balance
                transactions.append(
                    _issuance_tx(
                        f"{kind}-{row.pk}-{index + 1}-balance",
                        balance,
                        agent_id,
                        left,
                        row.unit_value_cents or 0,
                        date,
                        f"Solde de {security_id} après mouvement",
                    )
                )
            if kind == "transfer":
                holders.add(row.buyer_id)
                resulting = securities.new(row.buyer_id, quantity)
                transactions.append(
                    _issuance_tx(
                        f"transfer-{row.pk}-{index + 1}-resulting",
                        resulting,
                        row.buyer_id,
                        quantity,
                        row.unit_price_cents,
                        date,
                        f"Acquis par la cession n° {row.pk}",
                    )
                )
                tx["object_type"] = "TX_STOCK_TRANSFER"
                tx["resulting_security_ids"] = [resulting]
                tx["consideration_text"] = (
                    f"Cession n° {row.pk} : {row.units} parts à {row.unit_price_cents / 100:.2f} € "
                    f"la part (prix convenu), soit {row.price_cents / 100:.2f} € ; "
                    f"taxe sur cession {row.tax_cents / 100:.2f} €"
                )
            else:
                tx["object_type"] = "TX_STOCK_REPURCHASE"
                tx["price"] = _euros_from_cents(per_unit)
                tx["consideration_text"] = (
                    f"Rachat n° {row.pk} au départ d'un membre : {row.value_cents / 100:.2f} € "
                    f"(décote {row.haircut_bp / 100:.2f} %)"
                )
            transactions.append(tx)
    return transactions, holders


def _valuations(commons_id: int) -> list[dict]:
    valuations = [
        {
            "object_type": "VALUATION",
            "id": f"nav-{point.pk}",
            "provider": "Federage",
            "price_per_share": _euros_from_cents(point.unit_value_cents),
            "effective_date": _date(point.at),
            "stock_class_id": CLASS_ID,
            "valuation_type": "409A",
            "comments": [
                "Valeur liquidative (actif net / parts en circulation), pas une évaluation 409A",
                f"Après {point.cause}",
            ],
        }
        for point in NavPoint.objects.filter(commons_id=commons_id).order_by("at", "id")
    ]
    for transfer in Transfer.objects.filter(
        commons_id=commons_id, state=Transfer.ACCEPTED
    ).order_by("closed_at", "id"):
        valuations.append(
            {
                "object_type": "VALUATION",
                "id": f"transfer-price-{transfer.pk}",
                "provider": "Federage",
                "price_per_share": _euros_from_cents(transfer.unit_price_cents),
                "effective_date": _date(transfer.closed_at),
                "stock_class_id": CLASS_ID,
                "valuation_type": "409A",
                "comments": [
                    f"Prix convenu de la cession n° {transfer.pk}, pas une évaluation 409A"
                ],
            }
        )
    return valuations


def ocf_package(*, commons) -> dict[str, dict]:
    """File name → JSON content of the whole package, manifest included."""
    title_class = selectors.title_class_get(commons_id=commons.pk)
    transactions, holders = _transactions(commons.pk)
    agents = agent_selectors.agents_by_ids(agent_ids=sorted(holders))
    contents: dict[str, dict] = {
        "stakeholders": {
            "items": [
                {
                    "object_type": "STAKEHOLDER",
                    "id": f"agent-{agent.pk}",
                    "name": {"legal_name": agent.display_name},
                    "stakeholder_type": "INDIVIDUAL" if agent.kind == "person" else "INSTITUTION",
                    "issuer_assigned_id": str(agent.pk),
                }
                for agent in (agents[agent_id] for agent_id in sorted(agents))
            ]
        },
        "stock_classes": {
            "items": [
                {
                    "object_type": "STOCK_CLASS",
                    "id": CLASS_ID,
                    "name": title_class.name if title_class else "Parts du commun",
                    "class_type": "COMMON",
                    "default_id_prefix": "P-",
                    "initial_shares_authorized": "UNLIMITED",
                    "votes_per_share": "1",
                    "seniority": "1",
                    "comments": ["Parts du commun, 4 décimales, émises à la valeur liquidative"],
                }
            ]
        },
        "transactions": {"items": transactions},
        "valuations": {"items": _valuations(commons.pk)},
    }
    package: dict[str, dict] = {}
    manifest_files: dict[str, list[dict]] = {
        f"{key}_files": [] for key in ("stock_plans", "stock_legend_templates", "vesting_terms")
    }
    for key, content in contents.items():
        name, file_type = FILES[key]
        document = {"file_type": file_type, **content}
        package[name] = document
        manifest_files[f"{key}_files"] = [{"filepath": name, "md5": _md5(document)}]
    package["Manifest.ocf.json"] = {
        "ocf_version": OCF_VERSION,
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": f"commons-{commons.pk}",
            "legal_name": commons.name,
            "formation_date": _date(commons.created_at),
            "country_of_formation": "FR",
            "comments": [f"Commun {commons.slug} (société en participation), exporté par Federage"],
        },
        "as_of": clock.today().isoformat(),
        "generated_at": clock.now().isoformat(),
        **manifest_files,
    }
    return package


def _serialise(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _md5(document: dict) -> str:
    # OCF's manifest integrity field; not a security use.
    return hashlib.md5(_serialise(document), usedforsecurity=False).hexdigest()


def ocf_write(*, commons, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in ocf_package(commons=commons).items():
        path = out / name
        path.write_bytes(_serialise(document))
        written.append(path)
    return written


def register_exporter() -> None:
    from federage.ledger.exports import commons_by_slug, exporter_register

    def add_arguments(parser) -> None:
        parser.add_argument("--commons", required=True, metavar="SLUG")
        parser.add_argument("--out", required=True, metavar="DIR")

    def run(options: dict, stdout) -> None:
        commons = commons_by_slug(options["commons"])
        for path in ocf_write(commons=commons, out_dir=options["out"]):
            stdout.write(f"{path}\n")

    exporter_register(
        "ocf",
        help="the cap table as Open Cap Format 1.2.0 files",
        add_arguments=add_arguments,
        run=run,
    )
