"""Every third-party module graphnews imports is declared in pyproject.toml.

A module imported at the top of a core module must be a core dependency (``pip install graphnews``
must be enough to import it); one imported lazily (inside a function or a ``try``) or by the
optional Dask engine (``graphnews/distributed/``) may sit in an extra instead.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from conftest import ROOT

PACKAGE = ROOT / "graphnews"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    """Distribution names a list of requirements installs (``dask[distributed]`` gives dask and distributed)."""
    names = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", requirement)
        assert match, requirement
        names.add(_normal(match.group(1)))
        names.update(_normal(extra) for extra in (match.group(2) or "").split(",") if extra.strip())
    return names


def third_party_imports() -> dict[str, set[tuple[str, bool]]]:
    """Top-level module name -> ``(file, imported at module level outside try)`` of each import in graphnews/."""
    found: dict[str, set[tuple[str, bool]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        eager = {id(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top != "graphnews" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add((str(path.relative_to(ROOT)), id(node) in eager))
    return found


def test_every_import_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = declared(project["dependencies"])
    anywhere = core.union(*(declared(extra) for extra in project["optional-dependencies"].values()))
    distributions = importlib.metadata.packages_distributions()
    imports = third_party_imports()
    assert {"networkx", "jinja2", "yaml", "click"} <= set(imports)  # the scan finds what it should
    undeclared, not_core = [], []
    for module, places in sorted(imports.items()):
        names = {_normal(name) for name in distributions.get(module, [module])}
        if not names & anywhere:
            undeclared.append(f"{module} ({sorted(names)}), imported in {sorted(place for place, _ in places)}")
        eager_core = sorted(place for place, eager in places if eager and "/distributed/" not in place)
        if eager_core and not names & core:
            not_core.append(f"{module}: imported at module level by {eager_core}")
    assert undeclared == []
    assert not_core == []


def test_declared_names_parse_extras() -> None:
    assert declared(["dask[distributed]>=2024.1", "ruamel.yaml>=0.17", "scikit-learn"]) == {
        "dask", "distributed", "ruamel-yaml", "scikit-learn"}
