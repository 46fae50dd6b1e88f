"""Text that cannot hurt: the characters no field, path or query may carry, and their removal on output.

Refused everywhere text comes in (`invalid_characters`): the C0 control characters except tab,
line feed and carriage return (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, NUL included), lone
UTF-16 surrogates (U+D800–U+DFFF, which no UTF-8 text nor PostgreSQL can hold) and the
non-characters U+FFFE and U+FFFF. XML 1.0 allows none of them, so an Atom feed or an export
written from accepted text stays well-formed; what older rows may still hold is stripped on output
(`printable`). Tab and line breaks are left to each field: labels of entries fold them into
spaces before they are stored (FEC and journal columns), multi-line texts keep them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def printable(text: str) -> str:
    """`text` without the forbidden characters (for output written from stored text)."""
    return FORBIDDEN.sub("", text)


def forbidden_paths(value: Any, path: tuple = (), skip: str | None = None) -> Iterator[tuple]:
    """The paths (tuples of keys and indexes) of every string, key included, with a forbidden
    character in a decoded JSON value; what lies under a key named `skip` is left out."""
    if isinstance(value, str):
        if has_forbidden(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and has_forbidden(key):
                yield (*path, key)
            elif key != skip:
                yield from forbidden_paths(item, (*path, key), skip)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from forbidden_paths(item, (*path, index), skip)
