"""Tables of funding."""

from __future__ import annotations
