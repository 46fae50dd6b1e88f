"""Tables of federation."""

from __future__ import annotations
