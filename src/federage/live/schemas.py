"""Shapes of the live API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class LiveChangeOut(Schema):
    id: int
    type: str
    commons_slug: str
    created_at: dt.datetime


class LiveChangesOut(Schema):
    since: int
    cursor: int
    has_more: bool
    items: list[LiveChangeOut]
