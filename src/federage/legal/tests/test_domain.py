"""Pure contract text: sections from facts, canonical text and hash, the avenant, and user text
that typst must print, never run."""

from __future__ import annotations

import datetime as dt
import io

import pypdf

from federage.governance import domain as governance_domain
from federage.legal import domain, pdf

HOSTILE = 'Atelier #set page(width: 1cm) [x] $y$ *z* @ref <l> \\ "q"'


def facts(**parameters) -> dict:
    return {
        "commons": {
            "name": HOSTILE,
            "slug": "atelier",
            "purpose": "Réparer les textiles.",
            "location": "Roubaix",
            "founded_on": "2026-03-01",
        },
        "charter": {
            "number": 1,
            "parameters": {**governance_domain.default_parameters(), **parameters},
        },
        "parties": [
            {
                "agent_id": 1,
                "name": "Camille",
                "kind": "person",
                "siren": "",
                "roles": ["steward"],
                "joined_on": "2026-03-01",
            },
            {
                "agent_id": 2,
                "name": "Fil Commun",
                "kind": "association",
                "siren": "900100017",
                "roles": ["contributor"],
                "joined_on": "2026-03-02",
            },
        ],
        "contributions": [
            {
                "agent_id": 2,
                "name": "Fil Commun",
                "kind": "in_kind",
                "title": "Machine à coudre",
                "value_cents": 45_050,
                "decided_on": "2026-03-04",
            },
            {
                "agent_id": 2,
                "name": "Fil Commun",
                "kind": "labour",
                "title": "Réparations",
                "value_cents": 12_000,
                "decided_on": "2026-03-05",
            },
        ],
        "titles": {
            "class_name": "Parts du commun",
            "holdings": [{"agent_id": 2, "name": "Fil Commun", "units": "57.0500"}],
        },
    }


def paragraphs(sections) -> list[str]:
    return [p for section in sections for p in section["paragraphs"]]


def test_every_party_value_and_rule_appears():
    text = "\n".join(paragraphs(domain.contract_sections(facts(), "fr")))
    assert "Camille, personne physique ; associé depuis le 1er mars 2026" in text
    assert "Fil Commun, association, SIREN 900 100 017" in text
    assert (
        "en nature 450,50\u00a0€ ; en industrie (travail) 120,00\u00a0€ ; total 570,50\u00a0€"
        in text
    )
    assert "Total des apports validés : 570,50\u00a0€." in text
    assert "Fil Commun : 57,05 parts." in text
    assert "La gérance est assurée par les associés ayant le rôle d'intendant : Camille." in text
    for line in governance_domain.summary_fr(facts()["charter"]["parameters"]):
        assert line in text


def test_english_rendering():
    sections = domain.contract_sections(facts(**{"exit.notice_days": 45}), "en")
    text = "\n".join(paragraphs(sections))
    assert "after a notice of 45 days" in text
    assert "in kind €450.50; in labour (industry) €120.00; total €570.50" in text
    assert [s["key"] for s in sections] == list(domain.SECTION_ORDER)


def test_hidden_names_are_replaced_everywhere():
    text = "\n".join(paragraphs(domain.contract_sections(facts(), "fr", {1: "Associé 1"})))
    assert "Camille" not in text
    assert "Associé 1, personne physique" in text


def test_canonical_text_hash_and_avenant():
    before = domain.contract_sections(facts(), "fr")
    after = domain.contract_sections(facts(transfer_tax_bp=300), "fr")
    title = domain.contract_title(facts(), "fr")
    text = domain.canonical_text(title, before)
    assert text.startswith(f"{title}\n\n1. Parties\n\nLe présent contrat")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert domain.text_sha256(text) == domain.text_sha256(domain.canonical_text(title, before))
    assert domain.text_sha256(text) != domain.text_sha256(domain.canonical_text(title, after))
    assert domain.changes(before, before) == []
    [change] = domain.changes(before, after)
    assert change["section"] == "transfers"
    gone = domain.changes(before, [s for s in before if s["key"] != "levies"])
    assert gone == [
        {
            "section": "levies",
            "title": "Redevances d'usage",
            "before": next(s["paragraphs"] for s in before if s["key"] == "levies"),
            "after": [],
        }
    ]
    assert len(domain.changes(None, before)) == len(before)


def test_user_text_prints_literally_in_the_pdf_and_twice_the_same_bytes():
    sections = domain.contract_sections(facts(), "fr")
    moment = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    arguments = {
        "title": domain.contract_title(facts(), "fr"),
        "sections": sections,
        "lang": "fr",
        "number": 1,
        "text_sha256": "a" * 64,
        "created_at": moment,
    }
    first = pdf.contract_pdf(**arguments)
    assert first == pdf.contract_pdf(**arguments)
    reader = pypdf.PdfReader(io.BytesIO(first))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "#set page(width: 1cm) [x] $y$ *z* @ref <l>" in text
    # The page kept its A4 width: the name was printed, not run.
    assert round(float(reader.pages[0].mediabox.width)) == 595
