"""Shared fixtures: the hand-made small programme, copies to break, the shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/small (3 partners, 2 tracks, hand-checked numbers)."""
    target = tmp_path / "small"
    shutil.copytree(DATA / "small", target, ignore=shutil.ignore_patterns("_store", "_rejected"))
    return target


@pytest.fixture(scope="session")
def rendered_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/small rendered once by `capeval run`; returns the report folder."""
    from capeval.cli import main

    root = tmp_path_factory.mktemp("e2e")
    shutil.copytree(DATA / "small", root / "small", ignore=shutil.ignore_patterns("_store", "_rejected"))
    out = root / "reports"
    assert main(["run", "--programme", str(root / "small"), "--out", str(out), "--quiet", "--workers", "2"]) == 0
    return out


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Every demo programme built and rendered once by `capeval demo`; returns (data folder, report folder)."""
    from capeval.cli import main

    root = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data", str(root / "data"), "--out", str(root / "reports"), "--quiet"]) == 0
    return root / "data", root / "reports"


def append_lines(path: Path, *lines: str) -> None:
    """Append CSV lines to a table of a programme folder."""
    with path.open("a", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
