"""Track and programme reports: what they show, what they hide, and how a run plans, skips,
reproduces and prints them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from capeval.cli import main
from capeval.report.context import open_report
from capeval.report.lessons import lessons
from capeval.store import build_store

pytestmark = pytest.mark.slow

RENDERED_AT = re.compile(r'<p class="rendered-at">.*?</p>')


def text(page: str) -> str:
    """The visible text of a page, one space between words."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#x27;", "'")


def toc(page: str) -> list[str]:
    found = re.search(r'<nav class="toc">(.*?)</nav>', page, re.S)
    assert found is not None
    return re.findall(r'href="#([^"]+)"', found.group(1))


def statuses(folder: Path) -> dict[tuple[str, str], str]:
    reports = json.loads((folder / "manifest.json").read_text())["reports"]
    return {(r["kind"], r["unit"]): r["status"] for r in reports}


def test_a_run_renders_partner_track_and_programme_reports(rendered_small: Path) -> None:
    folder = rendered_small / "small"
    found = statuses(folder)  # "skipped" once test_pipeline ran the session's programme again
    assert sorted(found) == [
        ("partner", "P1"),
        ("partner", "P2"),
        ("partner", "P3"),
        ("programme", "small"),
        ("track", "T1"),
        ("track", "T2"),
    ]
    assert set(found.values()) <= {"ok", "skipped"}
    track = (folder / "tracks" / "T1.html").read_text(encoding="utf-8")
    assert toc(track) == [
        *("findings", "headline", "activities", "partners", "kirkpatrick", "criteria", "answers", "gaps"),
        *("lessons", "scaling", "actions", "method"),
    ]
    programme = (folder / "programme" / "small.html").read_text(encoding="utf-8")
    assert toc(programme) == [
        *("findings", "headline", "activities", "mix", "waves", "tracks", "kirkpatrick", "criteria", "gaps"),
        *("lessons", "scaling", "actions", "method"),
    ]
    assert "<script" not in track + programme


def test_track_report_compares_its_partners_with_suppression(rendered_small: Path) -> None:
    page = text((rendered_small / "small" / "tracks" / "T1.html").read_text(encoding="utf-8"))
    assert "Learning track report: Procurement" in page
    assert "Partners Alpha Agency, Beta Board" in page  # the title facts
    # the track's answers are all of the baseline. Beta Board has one respondent (min 2): no score; Alpha
    # Agency's L1 is hidden as well (else the track's L1 of 66.7 over 3 respondents minus Alpha's 2 gives
    # Beta's away). The largest gaps are the partners' own self-assessments (organisational): shown.
    assert "in % of the scale in the baseline" in page
    # no score shown at all: no L1 and L3 columns of dashes, one sentence says why (issue 14 §3)
    assert "Alpha Agency 2 14 2 Input of new knowledge (7.0)" in page
    assert "Beta Board 1 8 1 Input of new knowledge (4.0)" in page
    why = "No reaction (L1) or behaviour (L3) scores shown: every group has fewer than 2 respondents, or showing it"
    assert why in page
    assert "No reaction score (L1) in the baseline can be shown for any of the 2 partners" in page
    assert "Gamma Group" not in page  # another track's partner
    assert "Kirkpatrick level scores, not shown so that a difference with figures published elsewhere" in page
    assert "Median gap" in page and "Input of new knowledge 2 5.5 4.8 6.3" in page  # 6.25: a half rounds up


def test_programme_report_shows_headline_mix_waves_and_tracks_but_no_partner(rendered_small: Path) -> None:
    page = text((rendered_small / "small" / "programme" / "small.html").read_text(encoding="utf-8"))
    # per activity its respondents and its participants: A1 2 of 10, A2 0 of 4, A3 1 of 8, A4 1 of 12
    assert "Response rate 12 % 4 responses of 34 participations" in page
    # one rating question (Q1) per wave: baseline answers 4, 5, 2 -> 2 of 3 respondents in the top two
    assert "Top two answers to “Satisfaction” (baseline) 67 % 2 of the 3 respondents who answered" in page
    assert "Training days (of 8 hours) 3.9 training hours ÷ 8 Participations (attendances) 34" in page
    assert "Type 2024 2025 Total workshop 2 1 3 peer_review 1 0 1" in page
    assert "baseline 2024 3 2 67 – 3 follow-up 2025 1 1 – – 1" in page
    # tracks compared in the latest wave (follow-up): Procurement's partners answered only at baseline
    assert "Procurement 2 3 22 0 Banking 1 1 12 1 No reaction (L1) or behaviour (L3) scores shown" in page
    for name in ("Alpha Agency", "Beta Board", "Gamma Group"):
        assert name not in page  # the programme report may travel in any partner's bundle


def test_method_notes_count_suppress_and_list_the_waves(rendered_small: Path) -> None:
    page = text((rendered_small / "small" / "partners" / "P3.html").read_text(encoding="utf-8"))
    notes = page[page.index("Method and data notes Observations per section") :]
    assert "Activities and reach 1 activities" in notes
    assert "Kirkpatrick chain: reaction, learning, behaviour, results 1 respondents with scored answers" in notes
    # P3's one respondent (follow-up, L3): its level, dimension and criterion scores are each hidden
    assert "Kirkpatrick level scores, not shown because fewer than 2 respondents gave them: 1." in notes
    assert "Kirkpatrick dimension scores, not shown because fewer than 2 respondents gave them: 1." in notes
    assert "Evaluation-criteria scores, not shown because fewer than 2 respondents gave them: 1." in notes
    assert "Rows rejected at validation Table Rows kept" in notes
    assert "Waves Wave id Label Year Respondents in this report 1 baseline 2024 0 2 follow-up 2025 1" in notes


def test_index_lists_every_kind_with_the_headline_figures(rendered_small: Path) -> None:
    index = (rendered_small / "small" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', index)
    assert links == [
        "../index.html",
        "programme/small.html",
        "tracks/T2.html",
        "tracks/T1.html",
        "partners/P1.html",
        "partners/P2.html",
        "partners/P3.html",
    ]
    assert all((rendered_small / "small" / link).is_file() for link in links)
    shown = text(index)
    assert "Headline figures 4 Activities (events) the rows of activities.csv 31 Training hours" in shown
    assert "12 % Response rate 4 responses of 34 participations" in shown
    assert re.search(r'<tr data-track="T1" data-status="(ok|skipped)" data-kind="track">', index)


def test_two_renders_of_the_same_inputs_are_byte_identical(small: Path, tmp_path: Path) -> None:
    for out in ("a", "b"):
        assert main(["run", "--programme", str(small), "--out", str(tmp_path / out), "--quiet"]) == 0
    pages = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.html"))
    assert len(pages) == 8  # root index, programme index, 3 partners, 2 tracks, the programme
    assert pages == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.html"))
    for page in pages:
        first, second = ((tmp_path / out / page).read_text(encoding="utf-8") for out in ("a", "b"))
        assert RENDERED_AT.sub("", first) == RENDERED_AT.sub("", second), page


def test_one_changed_partner_rerenders_it_its_track_and_the_programme(small: Path, tmp_path: Path) -> None:
    args = ["run", "--programme", str(small), "--out", str(tmp_path), "--quiet"]
    assert main(args) == 0
    partners = small / "partners.csv"
    partners.write_text(partners.read_text(encoding="utf-8").replace("Beta Board", "Beta Council"), encoding="utf-8")
    assert main(args) == 0
    assert statuses(tmp_path / "small") == {
        ("partner", "P1"): "skipped",
        ("partner", "P2"): "ok",
        ("partner", "P3"): "skipped",
        ("programme", "small"): "ok",
        ("track", "T1"): "ok",
        ("track", "T2"): "skipped",
    }
    assert "Beta Council" in (tmp_path / "small" / "tracks" / "T1.html").read_text(encoding="utf-8")


def test_track_option_renders_just_those_tracks(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--programme", str(small), "--out", str(tmp_path), "--track", "T2", "--quiet"]) == 0
    assert statuses(tmp_path / "small") == {("track", "T2"): "ok"}
    assert "Learning track report: Banking" in (tmp_path / "small" / "tracks" / "T2.html").read_text(encoding="utf-8")
    unknown = ["run", "--programme", str(small), "--out", str(tmp_path), "--track", "T9", "--quiet"]
    assert main(unknown) == 2  # bad usage
    assert "unknown track id(s): T9" in capsys.readouterr().err


def test_track_lessons_quote_only_with_consent(small: Path) -> None:
    header = "lesson_id,partner_id,track_id,wave,method,domain,what_changed,consent_to_quote\n"
    (small / "lessons.csv").write_text(
        header
        + "L1,P1,T1,1,msc,procurement,We now buy green paper; mail ann@example.org,yes\n"
        + "L2,P2,T1,1,msc,procurement,Our council kept the old supplier contracts,no\n",
        encoding="utf-8",
    )
    build_store(small)
    page = lessons(open_report(str(small), "track", "T1"))
    assert "We now buy green paper; mail [e-mail removed]" in page
    assert "ann@example.org" not in page
    assert "old supplier contracts" not in page  # no consent


def test_pdf_of_a_rendered_report(small: Path, tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    args = ["run", "--programme", str(small), "--out", str(tmp_path), "--partner", "P1", "--pdf", "--quiet"]
    assert main(args) == 0
    pdf = tmp_path / "small" / "partners" / "P1.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    if shutil.which("pdftotext"):
        import subprocess

        shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Evaluation report: Alpha Agency" in shown
    printed = pdf.stat().st_mtime_ns
    assert main(args) == 0  # unchanged: nothing rendered, nothing printed again
    assert pdf.stat().st_mtime_ns == printed


def test_pdf_without_chromium_is_a_clear_error(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CAPEVAL_CHROMIUM", str(tmp_path / "no-chromium"))
    args = ["run", "--programme", str(small), "--out", str(tmp_path), "--partner", "P1", "--pdf", "--quiet"]
    assert main(args) == 1
    assert "--pdf needs Chromium: install Debian's chromium" in capsys.readouterr().err
    assert (tmp_path / "small" / "partners" / "P1.html").is_file()  # the HTML is rendered all the same
