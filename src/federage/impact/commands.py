"""Command handlers of impact: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations
