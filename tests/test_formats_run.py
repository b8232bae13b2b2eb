"""capeval run --formats and --language: every file of a report beside its HTML, both languages side by side,
listed in the manifest, linked from the index and zipped by capeval bundle."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from capeval.cli import main

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Partner P1 of tests/data/small (an English programme) rendered in English with Word and XLSX, then in Dutch."""
    root = tmp_path_factory.mktemp("formats")
    shutil.copytree(DATA / "small", root / "small", ignore=shutil.ignore_patterns("_store", "_rejected"))
    run = ["run", "--programme", str(root / "small"), "--out", str(root / "reports"), "--partner", "P1", "--quiet"]
    assert main([*run, "--formats", "html,docx,xlsx"]) == 0
    assert main([*run, "--language", "nl"]) == 0
    return root / "reports" / "small"


def _manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def test_both_languages_side_by_side_and_each_report_lists_its_files(reports: Path) -> None:
    names = sorted(p.name for p in (reports / "partners").iterdir())
    assert names == ["P1.docx", "P1.html", "P1.nl.html", "P1.xlsx"]
    assert '<html lang="en">' in (reports / "partners" / "P1.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in (reports / "partners" / "P1.nl.html").read_text(encoding="utf-8")
    manifest = _manifest(reports)
    assert manifest["language"] == "en"  # the programme's, not the last run's
    listed = {
        (r["language"], r["path"]): [(f["path"], f["format"], f["language"]) for f in r["files"]]
        for r in manifest["reports"]
    }
    assert listed == {
        ("en", "partners/P1.html"): [
            ("partners/P1.html", "html", "en"),
            ("partners/P1.docx", "docx", "en"),
            ("partners/P1.xlsx", "xlsx", "en"),
        ],
        ("nl", "partners/P1.nl.html"): [("partners/P1.nl.html", "html", "nl")],
    }


def test_the_index_links_both_languages_and_the_other_formats(reports: Path) -> None:
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index
    for link in ("partners/P1.html", "partners/P1.nl.html", "partners/P1.docx", "partners/P1.xlsx"):
        assert f'href="{link}"' in index
    assert '<span class="lang">(NL)</span>' in index


def test_a_partners_bundle_holds_every_file_of_its_reports(reports: Path, tmp_path: Path) -> None:
    target = tmp_path / "p1.zip"
    assert (
        main(
            [
                "bundle",
                "--reports",
                str(reports.parent),
                "--programme",
                "small",
                "--partner",
                "P1",
                "--out",
                str(target),
            ]
        )
        == 0
    )
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
    assert names == ["index.html", "partners/P1.docx", "partners/P1.html", "partners/P1.nl.html", "partners/P1.xlsx"]
