"""The one canonical JSON and the one genesis hash of every hash chain (books, decision logs).

Canonical form: JSON with keys sorted, no spaces (separators "," and ":"), non-ASCII characters
written as themselves (not \\u escapes) and encoded as UTF-8; a value JSON cannot encode (a date,
a Decimal) is written as its `str()`. Any implementation, or an auditor's script, recomputes it
from the stored rows with `json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False, default=str).encode("utf-8")`.

This form is frozen: the chains stored in databases were hashed with it, and `federage verify`
recomputes them. The pinned-hash tests of governance and ledger fail if it ever changes.

How a link covers its predecessor differs per chain and is frozen too: a decision hashes
`previous + "\\n" + canonical JSON of its content` (governance.domain.decision_hash); an entry
carries the previous hash inside its canonical body under "prev" (ledger.domain.entry_hash).
Both start from GENESIS_HASH.
"""

from __future__ import annotations

import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """The canonical JSON text of `value` (see the module docstring)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON of `value`, UTF-8 encoded: what the hashes cover."""
    return canonical_json(value).encode()
