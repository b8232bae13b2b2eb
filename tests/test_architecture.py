"""The shape of capeval's imports: down the data flow of DESIGN.md, no cycles, light data modules.

The contracts are import-linter's, declared in pyproject.toml ([tool.importlinter]); this test
runs them, so an import that points up the data flow or closes a cycle fails the suite.
"""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

import capeval

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _contracts() -> list[dict[str, object]]:
    contracts: list[dict[str, object]] = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    return contracts


def test_imports_point_down_the_data_flow_and_close_no_cycle(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint_imports(str(PYPROJECT), no_cache=True)
    shown = capsys.readouterr().out
    assert code == 0, shown[shown.find("Broken contracts") :]


def test_every_module_of_capeval_has_its_layer() -> None:
    """A module left out of the layers would escape the data-flow contract: each one is placed."""
    layers = next(c for c in _contracts() if c["id"] == "data-flow")["layers"]
    assert isinstance(layers, list)
    placed = {name.strip() for layer in layers for name in str(layer).replace(":", "|").split("|")}
    modules = {f"capeval.{m.name}" for m in pkgutil.iter_modules(capeval.__path__)}
    assert modules - placed == set(), "add these to [tool.importlinter] layers in pyproject.toml"
    assert placed - modules == set()
