"""The table of all commands: every command the SPA's outbox sends has its one handler, in the
`commands.py` of an app, and `grep '@command("ballot.cast"'` finds exactly one."""

import re
from pathlib import Path

import pytest

from federage import commands as command_table
from federage.core.commands import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
FRONTEND_COMMANDS = ROOT / "frontend/src/lib/api/commands.ts"
SOURCE = ROOT / "src/federage"


def frontend_command_types() -> set[str]:
    """The `type` string literals of the SPA's outbox: the keys of `interface Commands`."""
    text = FRONTEND_COMMANDS.read_text(encoding="utf-8")
    block = re.search(r"export interface Commands \{\n(.*?)\n\}\n", text, re.S)
    assert block, "commands.ts has no `export interface Commands`"
    return set(re.findall(r"^  '([a-z_]+\.[a-z_]+)':", block.group(1), re.M))


def test_every_frontend_command_is_in_the_table():
    types = frontend_command_types()
    assert len(types) > 30
    assert not types - set(command_table.all_command_types())


def test_the_table_lists_each_registered_type_once_sorted():
    types = command_table.all_command_types()
    assert types == sorted(set(types))
    assert set(command_table.command_table()) == set(types)


def test_every_handler_lives_in_an_app_commands_module():
    modules = {module.__name__ for module in command_table.COMMAND_MODULES}
    for type in command_table.all_command_types():
        handler = REGISTRY[type].handler
        if handler.__module__.startswith(("federage.core.tests", "tests.")):
            continue  # a test's own throwaway command
        assert handler.__module__.endswith(".commands"), (type, handler.__module__)
        assert handler.__module__ in modules, (type, handler.__module__)


def test_the_table_imports_command_modules_in_layer_order():
    order = ["agents", "commons", "governance", "ledger", "titles", "contributions"]
    names = [module.__name__.split(".")[1] for module in command_table.COMMAND_MODULES]
    assert names == order


@pytest.mark.parametrize("type", ["ballot.cast", "contribution.create", "ledger.period_close"])
def test_grep_finds_exactly_one_handler(type):
    needle = f'@command("{type}"'
    hits = [
        path.relative_to(SOURCE).as_posix()
        for path in SOURCE.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if needle in line
    ]
    assert len(hits) == 1, hits
    assert hits[0].endswith("/commands.py")


def test_no_api_module_registers_commands():
    for path in SOURCE.glob("*/api.py"):
        assert "@command(" not in path.read_text(encoding="utf-8"), path


def test_an_unknown_command_type_is_refused(make_user, api_client):
    unknown = api_client(make_user()).command("no.such", {})
    assert unknown.json()["code"] == "unknown_command"
