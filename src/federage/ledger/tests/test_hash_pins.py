"""Pinned hashes of the books: the canonical form must never change under stored entries.

Each book in a database is chained with these exact bytes; `federage verify` recomputes them.
If one of these tests fails, existing books would no longer verify.
"""

import datetime as dt
import hashlib
from decimal import Decimal

from federage.core.money import Money
from federage.ledger import domain

ENTRY = domain.EntryContent(
    commons_id=7,
    sequence=3,
    journal="AP",
    number=12,
    entry_date=dt.date(2026, 3, 1),
    validation_date=dt.date(2026, 3, 2),
    label="Apport d'Émilie — 1 000 €",
    piece_ref="C-12",
    piece_date=None,
    total_cents=100000,
    lines=(("4562", 100000, 0, "Apporteurs"), ("1013", 0, 100000, "Capital")),
    authorisation={
        "source_type": "contribution",
        "source_id": "12",
        "decision_id": 4,
        "charter_version_id": 2,
    },
    reverses_sequence=None,
)


def test_genesis_hash_is_sixty_four_zeros():
    assert domain.GENESIS_HASH == "0" * 64


def test_entry_hash_is_pinned():
    assert domain.entry_hash(ENTRY, domain.GENESIS_HASH) == (
        "8cb693a366c7c4120d8e69301b93bea1ddeacec135073c037e948984f1557275"
    )
    assert domain.entry_hash(ENTRY, "cd" * 32) == (
        "10048ba688513a4eda6bb4e128e70f2f8c0170bca1693e4fd008c452fd551fbd"
    )


def test_entry_hash_is_sha256_of_canonical_json_with_previous_inside():
    text = (
        '{"auth":{"charter_version_id":2,"decision_id":4,"source_id":"12",'
        '"source_type":"contribution"},"commons":7,"date":"2026-03-01","journal":"AP",'
        '"label":"Apport d\'Émilie — 1 000 €","lines":[["4562",100000,0,"Apporteurs"],'
        '["1013",0,100000,"Capital"]],"number":12,"piece":"C-12","piece_date":null,'
        f'"prev":"{"0" * 64}","reverses":null,"seq":3,"total":100000,"valid":"2026-03-02"}}'
    )
    expected = hashlib.sha256(text.encode()).hexdigest()
    assert domain.entry_hash(ENTRY, domain.GENESIS_HASH) == expected


def test_values_json_cannot_encode_are_written_as_their_str():
    # The ledger's canonical form has always written dates and Decimals as str().
    text = domain.canonical_json({"d": dt.date(2026, 1, 2), "x": Decimal("1.50")})
    assert (text if isinstance(text, str) else text.decode()) == '{"d":"2026-01-02","x":"1.50"}'


def test_request_digest_is_pinned():
    digest = domain.request_digest(
        journal="AP",
        entry_date=dt.date(2026, 3, 1),
        label="Apport d'Émilie",
        piece_ref="C-12",
        piece_date=dt.date(2026, 2, 28),
        lines=[
            domain.LineInput("4562", debit=Money(100000), label="x"),
            domain.LineInput("1013", credit=Money(100000), label="y"),
        ],
        authorisation=domain.Authorisation(
            source_type="contribution", source_id="12", decision_id=4, charter_version_id=2
        ),
    )
    assert digest == "aaac930988f9342b4ea7ce622fc588a35cdfbf2aabde74ee5a3a4c7dc377d066"
