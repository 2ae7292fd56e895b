"""The import contract: one owner per table, and features that meet only through package faces.

A feature (`comptoir.<feature>`) may import the platform core and another feature's package face
(`comptoir.<other>`, its `__init__`), never another feature's modules (`models`, `service`, ...).
The core imports no feature. Only the composition root wires features together. And no feature
issues an UPDATE, INSERT or DELETE on a table it imported from another feature.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "comptoir"

FEATURES = {
    "auth",
    "channels",
    "sellers",
    "catalog",
    "offers",
    "orders",
    "commands",
    "discussions",
    "fulfillment",
}
# The shared core: it serves every feature and imports none (the API layer reads the auth face,
# whose tokens it verifies in the guards).
CORE = {"platform", "db", "jobs", "api", "errors", "clock", "ids", "settings", "sandbox"}
CORE_MAY_IMPORT = {"api": {"auth"}}
# The composition root (with `api/app.py`): the only modules that wire features together.
ROOT = {"features", "cli", "demo", "migrations", "__init__"}


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1].removesuffix(".py") if len(parts) > 1 else ""


def _modules() -> Iterator[tuple[str, Path]]:
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        yield ".".join(rel.parts), path


def _imports(module: str, tree: ast.AST) -> Iterator[tuple[str, list[str], int]]:
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base])
            yield base, [a.name for a in node.names], node.lineno


def _violations() -> list[str]:
    found = []
    for module, path in _modules():
        area = _area(module)
        if area in ROOT or module == "comptoir.api.app":
            continue
        tree = ast.parse(path.read_text())
        foreign_names: set[str] = set()
        for target, names, line in _imports(module, tree):
            if not target.startswith("comptoir"):
                continue
            other = _area(target)
            if target == "comptoir":
                others = {n for n in names if n in FEATURES}
                targets = [(n, f"comptoir.{n}") for n in others]
            else:
                targets = [(other, target)]
            for other_area, full in targets:
                if other_area == area or other_area not in FEATURES:
                    continue
                where = f"{path.relative_to(SRC.parent)}:{line}"
                if area in CORE and other_area not in CORE_MAY_IMPORT.get(area, set()):
                    found.append(f"{where}: the core imports feature {other_area} ({full})")
                elif full != f"comptoir.{other_area}":
                    found.append(f"{where}: {full} is inside feature {other_area}; import its face")
                foreign_names.update(names)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"update", "insert", "delete"}
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in foreign_names
            ):
                where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
                found.append(f"{where}: {node.func.id}({node.args[0].id}) writes another feature's table")
    return found


def test_features_meet_only_through_their_faces() -> None:
    violations = _violations()
    assert not violations, "\n".join(violations)
