"""The table of all commands: every command the SPA's outbox sends has its one handler, in the
`commands.py` of an app, and `grep '@command("ballot.cast"'` finds exactly one."""

import ast
import importlib
import re
from pathlib import Path

import pydantic
import pytest

from federage import commands as command_table
from federage.core.commands import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
FRONTEND_COMMANDS = ROOT / "frontend/src/lib/api/commands.ts"
SOURCE = ROOT / "src/federage"


def frontend_command_types() -> set[str]:
    """The `type` string literals of the SPA's outbox: the keys of `interface CommandResults`
    (their payload types are generated from the OpenAPI union of the table)."""
    text = FRONTEND_COMMANDS.read_text(encoding="utf-8")
    block = re.search(r"export interface CommandResults \{\n(.*?)\n\}\n", text, re.S)
    assert block, "commands.ts has no `export interface CommandResults`"
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
    order = [
        "agents",
        "commons",
        "governance",
        "ledger",
        "titles",
        "contributions",
        "resources",
        "impact",
        "funding",
        "federation",
        "legal",
    ]
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


def test_every_table_entry_has_a_handler_and_a_payload_schema():
    for type, spec in command_table.command_table().items():
        assert spec.type == type
        assert callable(spec.handler), type
        assert issubclass(spec.payload_schema, pydantic.BaseModel), type


def _rest_command_calls():
    """(module, route function, command type, payload expression) of every `run_command` call
    written directly in a route body of an app's api.py."""
    for path in sorted(SOURCE.glob("*/api.py")):
        module = importlib.import_module(f"federage.{path.parent.name}.api")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", None) == "run_command"
                    and len(call.args) == 3
                    and isinstance(call.args[1], ast.Constant)
                ):
                    yield module, node, call.args[1].value, call.args[2]


def test_a_rest_write_whose_body_is_the_command_schema_hands_it_over_parsed():
    """Validated once: when a REST route's body schema IS the command's registered schema, the
    route passes the parsed instance (`execute` runs it as is) rather than a dict to re-parse."""
    handed_over = set()
    for module, route, type, payload in _rest_command_calls():
        assert type in REGISTRY, (module.__name__, route.name, type)
        body = {arg.arg: arg for arg in route.args.args}.get("data")
        if body is None or body.annotation is None:
            continue
        schema = getattr(module, ast.unparse(body.annotation), None)
        if schema is REGISTRY[type].payload_schema:
            assert isinstance(payload, ast.Name) and payload.id == "data", (
                f"{module.__name__}.{route.name} re-validates {type}: pass `data` itself"
            )
            handed_over.add(type)
    assert {
        "agent.create",
        "commons.create",
        "notifications.mark_read",
        "notifications.set_preferences",
    } <= handed_over
