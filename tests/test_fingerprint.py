"""The code fingerprint covers what reports are made with, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from capeval import fingerprint


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "capeval"
    source = Path(fingerprint.__file__).parent
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "files", lambda _name: root)
    fingerprint.code_hash.cache_clear()
    yield root
    fingerprint.code_hash.cache_clear()


def fresh_hash() -> str:
    fingerprint.code_hash.cache_clear()
    return fingerprint.code_hash()


def test_report_code_changes_the_fingerprint(package_copy: Path) -> None:
    before = fresh_hash()
    with (package_copy / "analysis" / "gaps.py").open("a") as handle:
        handle.write("\n# changed\n")
    assert fresh_hash() != before
    before = fresh_hash()
    with (package_copy / "i18n" / "labels.yaml").open("a") as handle:
        handle.write("\n# changed\n")
    assert fresh_hash() != before


def test_importer_and_workbench_changes_do_not(package_copy: Path) -> None:
    before = fresh_hash()
    for name in ("ingest/kobo.py", "workbench/app.py", "cli.py", "demo.py"):
        with (package_copy / name).open("a") as handle:
            handle.write("\n# changed\n")
    assert fresh_hash() == before
