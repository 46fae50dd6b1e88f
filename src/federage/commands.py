"""The table of every command: which app's `commands.py` handles which command type.

Each app keeps its command handlers in `<app>/commands.py` (one `@command("type", Schema)` per
handler, each calling its service); this module imports those modules explicitly, bottom layer
first (DESIGN §4: core → accounts, agents → commons → governance → ledger → titles →
contributions → … → sync), so that the registry of `federage.core.commands` is filled in one
known place rather than by the side effects of each app's start-up. `federage.api` and the sync
app's start-up import it.
"""

from __future__ import annotations

from types import ModuleType

from federage.agents import commands as agents_commands
from federage.commons import commands as commons_commands
from federage.contributions import commands as contributions_commands
from federage.core.commands import REGISTRY, CommandSpec
from federage.federation import commands as federation_commands
from federage.funding import commands as funding_commands
from federage.governance import commands as governance_commands
from federage.impact import commands as impact_commands
from federage.ledger import commands as ledger_commands
from federage.legal import commands as legal_commands
from federage.resources import commands as resources_commands
from federage.titles import commands as titles_commands

# In the layer order of DESIGN §4 (core and accounts have no command of their own).
COMMAND_MODULES: tuple[ModuleType, ...] = (
    agents_commands,
    commons_commands,
    governance_commands,
    ledger_commands,
    titles_commands,
    contributions_commands,
    resources_commands,
    impact_commands,
    funding_commands,
    federation_commands,
    legal_commands,
)


def all_command_types() -> list[str]:
    """Every registered command type, sorted."""
    return sorted(REGISTRY)


def command_table() -> dict[str, CommandSpec]:
    """Command type → its spec (payload schema, handler, success status), sorted by type."""
    return {type: REGISTRY[type] for type in all_command_types()}


__all__ = ["COMMAND_MODULES", "all_command_types", "command_table"]
