"""Shared fixtures: the hand-made small programme, copies to break, the shared fixtures."""

from __future__ import annotations

import html
import re
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


_TAG = re.compile(r'<(\w+)((?:\s+[\w-]+="[^"]*")*)\s*(/?)>')
_VOID = {"img", "br", "hr", "meta", "input", "link", "col", "wbr"}


def as_rendered(page: str) -> str:
    """HTML the way a rendered report writes it, to find a section drawn elsewhere in it: each tag's
    attributes in name order, void tags closed (``<img …/>``), entities written as characters
    (nbconvert re-serialises the page so)."""

    def ordered(tag: re.Match[str]) -> str:
        attributes = "".join(f" {a}" for a in sorted(re.findall(r'[\w-]+="[^"]*"', tag.group(2))))
        return f"<{tag.group(1)}{attributes}{'/' if tag.group(1) in _VOID else tag.group(3)}>"

    return html.unescape(_TAG.sub(ordered, page))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the group into the test's id
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (``make test`` runs two workers, --dist loadgroup), the tests that share an expensive
    session render run on one worker, so each render happens once."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        for fixture, group in (("demo_reports", "demos"), ("rendered_small", "small")):
            if fixture in names:
                item.add_marker(pytest.mark.xdist_group(group))
                break
