"""The apps' imports follow the layers of DESIGN §4: no cycle, core imports no app, no app
reads another app's `api.py` or `models.py`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "federage"
APPS = frozenset(path.name for path in SOURCE.iterdir() if (path / "__init__.py").exists())


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside functions (`from a import b` gives
    both `a` and `a.b`, since `b` may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _app_imports() -> list[tuple[str, str, str]]:
    """(importing app, imported module, file) for every import of another app's module."""
    rows = []
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        for module in _imports(path):
            names = module.split(".")
            if names[0] == "federage" and names[1:2] and names[1] in APPS - {parts[0]}:
                rows.append((parts[0], module, str(path.relative_to(SOURCE))))
    return rows


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for app, module, _ in _app_imports():
        graph[app].add(module.split(".")[1])
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    def reach(start: str) -> set[str]:
        seen, stack = set(), [start]
        while stack:
            for nxt in graph[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    reached = {app: reach(app) for app in APPS}
    return sorted((a, b) for a in sorted(APPS) for b in reached[a] if a < b and a in reached[b])


def test_the_walk_sees_the_imports():
    """A walk that found nothing would pass everything: it must see known edges."""
    graph = _graph()
    assert "core" in graph["ledger"]
    assert "ledger" in graph["titles"]  # titles books through the ledger's services
    assert len(APPS) >= 10


def test_core_imports_no_app():
    assert [row for row in _app_imports() if row[0] == "core"] == []


def test_no_app_reads_another_apps_api_or_models():
    crossing = [
        (file, module)
        for app, module, file in _app_imports()
        if module.split(".")[2:3] in (["api"], ["models"])
    ]
    assert crossing == []


def test_no_two_apps_import_each_other():
    """Directly or through others: an upper app acts on a lower app's fact through the table
    of reactions (federage/reactions.py), not by being imported."""
    assert _cycles(_graph()) == []


def test_a_fact_without_reactions_is_refused():
    from federage.core import reactions

    with pytest.raises(AssertionError, match="no reactions installed"):
        reactions.react("no.such.fact")
