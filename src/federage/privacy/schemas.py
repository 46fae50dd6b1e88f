"""Request and response schemas of privacy."""

from __future__ import annotations

from ninja import Schema


class ErasureIn(Schema):
    password: str


class ErasureOut(Schema):
    erased: bool
    pseudonym: str
