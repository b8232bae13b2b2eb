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
    """Partner P1 of tests/data/small (an English programme) rendered in English with Word and XLSX, then in Dutch;
    P1 has the evaluator's narrative in both languages."""
    root = tmp_path_factory.mktemp("formats")
    shutil.copytree(DATA / "small", root / "small", ignore=shutil.ignore_patterns("_store", "_rejected"))
    words = root / "small" / "narrative" / "partners"
    words.mkdir(parents=True)
    (words / "P1.md").write_text(NARRATIVE_EN, encoding="utf-8")
    (words / "P1.nl.md").write_text(NARRATIVE_NL, encoding="utf-8")
    run = ["run", "--programme", str(root / "small"), "--out", str(root / "reports"), "--partner", "P1", "--quiet"]
    assert main([*run, "--formats", "html,docx,xlsx"]) == 0
    assert main([*run, "--language", "nl"]) == 0
    return root / "reports" / "small"


NARRATIVE_EN = """Alpha Agency ran two activities; read the scores with their small n.

## Gaps
The *training* gap matches what the team said in the kick-off. <script>alert(1)</script>

## Management response
Agreed: training goes into the 2025 plan.
"""
NARRATIVE_NL = "## Samenvatting\nAlpha Agency voerde twee activiteiten uit.\n"


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


def test_the_narrative_stands_where_its_headings_say_in_its_own_report_and_language(reports: Path) -> None:
    page = (reports / "partners" / "P1.html").read_text(encoding="utf-8")
    summary = page.index("Alpha Agency ran two activities")
    assert page.index('id="findings"') > summary > page.index("<h1")  # the summary comes before the findings
    gap_words = page.index("The <em>training</em> gap matches")
    assert page.index('id="gaps"') < gap_words < page.index('id="lessons"')
    assert page.index('id="actions"') < page.index("Agreed: training goes into the 2025 plan.")
    assert "The evaluator&#x27;s text" in page or "The evaluator's text" in page
    assert "<script>alert" not in page  # the narrative's raw HTML is shown as text, never run
    dutch = (reports / "partners" / "P1.nl.html").read_text(encoding="utf-8")
    assert "Alpha Agency voerde twee activiteiten uit." in dutch and "Tekst van de evaluator" in dutch
    assert "ran two activities" not in dutch


def test_the_narrative_is_in_the_word_file(reports: Path) -> None:
    from docx import Document

    text = "\n".join(p.text for p in Document(str(reports / "partners" / "P1.docx")).paragraphs)
    assert "Alpha Agency ran two activities; read the scores with their small n." in text
    assert "Agreed: training goes into the 2025 plan." in text
