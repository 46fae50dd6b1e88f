"""Pinned hashes of the decision log: the canonical form must never change under stored data.

Each decision log in a database is chained with these exact bytes; `federage verify` recomputes
them. If one of these tests fails, existing logs would no longer verify.
"""

import hashlib

from federage.governance import domain

CONTENT = {
    "kind": "amend_charter",
    "title": "Taxe à 2 % — «été»",
    "payload": {"z": 1, "a": [1, 2.5, None, True]},
    "ém": "ü",
}


def test_genesis_hash_is_sixty_four_zeros():
    assert domain.GENESIS_HASH == "0" * 64


def test_decision_hash_is_pinned():
    assert domain.decision_hash(domain.GENESIS_HASH, CONTENT) == (
        "e09aaed69c4123401c33b89752a6bc08a42587307a1dcecad27f35478d58f95c"
    )
    assert domain.decision_hash("ab" * 32, CONTENT) == (
        "50c1ae6e2cb815361aae6a12e74b89d440f3422cee6e809f7d60deef137885cc"
    )


def test_decision_hash_is_sha256_of_previous_newline_canonical_json():
    # The form an auditor's script recomputes: sorted keys, no spaces, UTF-8 (not \u escapes).
    text = (
        '{"kind":"amend_charter","payload":{"a":[1,2.5,null,true],"z":1},'
        '"title":"Taxe à 2 % — «été»","ém":"ü"}'
    )
    assert domain.canonical_json(CONTENT) == text
    expected = hashlib.sha256(f"{'0' * 64}\n{text}".encode()).hexdigest()
    assert domain.decision_hash(domain.GENESIS_HASH, CONTENT) == expected


def test_ballots_digest_is_pinned():
    assert domain.ballots_digest([(3, "for", 2), (1, "against", 1)]) == (
        "95b48a28e8e92c7749af70d04c2d3d68c4b1ced8cd60026c4cc164f012e7341f"
    )
