"""End to end: programme folder -> reports in kernels -> HTML a partner opens, and the index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from capeval.batch import NOTEBOOKS, plan_jobs, run_jobs
from capeval.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def rendered(rendered_small: Path) -> Path:
    return rendered_small


def test_every_partner_has_a_report(rendered: Path) -> None:
    assert sorted(p.name for p in (rendered / "small" / "partners").iterdir()) == ["P1.html", "P2.html", "P3.html"]
    manifest = json.loads((rendered / "small" / "manifest.json").read_text())
    assert manifest["schema_version"] == 1
    assert [(r["unit"], r["status"], r["path"]) for r in manifest["reports"]] == [
        ("P1", "ok", "partners/P1.html"),
        ("P2", "ok", "partners/P2.html"),
        ("P3", "ok", "partners/P3.html"),
        ("small", "ok", "programme/small.html"),
        ("T1", "ok", "tracks/T1.html"),
        ("T2", "ok", "tracks/T2.html"),
    ]
    assert all(len(r["input_hash"]) == 64 and r["seconds"] > 0 for r in manifest["reports"])


def test_report_html_hides_code_and_needs_no_network(rendered: Path) -> None:
    page = (rendered / "small" / "partners" / "P1.html").read_text(encoding="utf-8")
    assert "import capeval" not in page and "open_report" not in page  # no code cells
    assert "In&nbsp;[" not in page and "jp-InputPrompt" not in page  # no prompts
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", page, re.I)
    assert "<script" not in page  # a report needs no script at all
    assert "Evaluation report: Alpha Agency" in page
    # figures present, embedded, the portfolio's with alt text naming the largest gap
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 3  # Kirkpatrick chain, criteria heat map, portfolio dumbbell
    assert all(re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', image) for image in images)
    assert "Largest gap: Input of new knowledge (from not offered to 7.0)" in images[2]
    assert "The largest gap is in Input of new knowledge: 7.0 points (3.0 above the programme median)." in page


def test_report_has_toc_and_provenance(rendered: Path) -> None:
    page = (rendered / "small" / "partners" / "P2.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="toc">(.*?)</nav>', page, re.S)
    assert toc is not None
    sections = [
        "findings",
        "activities",
        "kirkpatrick",
        "criteria",
        "answers",
        "gaps",
        "lessons",
        "scaling",
        "actions",
        "method",
    ]
    assert re.findall(r'href="#([^"]+)"', toc.group(1)) == sections
    footer = re.search(r'<footer class="provenance">(.*?)</footer>', page, re.S)
    assert footer is not None
    assert "capeval version" in footer.group(1)
    assert "<dt>Report on</dt><dd>partner " in footer.group(1) and "(P2)</dd>" in footer.group(1)
    shown = re.sub(r"<[^>]+>", " ", footer.group(1))
    assert not re.search(r"/|=|'", shown), shown  # no local path, no Python repr
    assert re.search(r"Input data hash</dt><dd>[0-9a-f]{64}</dd>", footer.group(1))
    assert re.search(r"Rendered at: \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC", footer.group(1))


def test_index_pages_link_every_report(rendered: Path) -> None:
    root_index = (rendered / "index.html").read_text(encoding="utf-8")
    assert 'href="small/index.html"' in root_index and "Small test programme" in root_index
    index = (rendered / "small" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(partners/[^"]+)">', index)
    assert links == ["partners/P1.html", "partners/P2.html", "partners/P3.html"]
    assert all((rendered / "small" / link).is_file() for link in links)
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", index)


def test_second_run_skips_unchanged_reports(rendered: Path, capsys: pytest.CaptureFixture[str]) -> None:
    programme = rendered.parent / "small"
    assert main(["run", "--programme", str(programme), "--out", str(rendered)]) == 0
    assert "0 rendered, 6 unchanged, 0 failed" in capsys.readouterr().err
    statuses = [r["status"] for r in json.loads((rendered / "small" / "manifest.json").read_text())["reports"]]
    assert statuses == ["skipped"] * 6


def test_one_failing_report_does_not_stop_the_batch(small: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOKS / "partner_report.ipynb", as_version=4)
    notebook.cells.insert(
        3, nbformat.v4.new_code_cell('if partner_id == "P2":\n    raise RuntimeError("broken for P2")')
    )
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(notebook, folder / "partner_report.ipynb")
    out = tmp_path / "out"
    result = run_jobs(plan_jobs(small, notebooks=folder), out, workers=2, quiet=True)
    statuses = {e.unit: e.status for e in result.entries}
    assert statuses == {"P1": "ok", "P2": "failed", "P3": "ok"}
    failed = next(e for e in result.entries if e.unit == "P2")
    assert (
        failed.error is not None
        and "RuntimeError: broken for P2" in failed.error
        and failed.error.startswith("cell 5 (if partner_id")
    )
    assert (out / "small" / "_failed" / "P2.ipynb").is_file()
    assert not (out / "small" / "partners" / "P2.html").exists()
    assert sorted(p.name for p in (out / "small" / "partners").iterdir()) == ["P1.html", "P3.html"]
    assert not list((out / "small" / "partners").glob(".*"))  # no temp files left behind


def test_cli_run_exit_2_for_an_unknown_partner(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small / "items.csv").write_text(
        (small / "items.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )  # valid data; an unknown partner is a usage problem that renders nothing
    out = tmp_path / "out"
    assert main(["run", "--programme", str(small), "--out", str(out), "--partner", "P9", "--quiet"]) == 2
    assert "unknown partner id(s): P9" in capsys.readouterr().err
    assert main(["run", "--programme", str(small), "--out", str(out), "--executor", "cloud", "--quiet"]) == 2
    assert "unknown executor 'cloud' (expected one of: local, dask)" in capsys.readouterr().err
    assert not out.exists()  # bad usage renders nothing
