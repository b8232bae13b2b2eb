"""The lessons and scaling sections as a reader sees them: a partner's own lessons in full with their method's
fields, the themes it shares (no other partner named), roll-out candidates in the programme report, and the
Scaling Scan raters' rationale beside the scores and the bottleneck. One small programme rendered once."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, append_lines

LESSONS = [
    "lesson_id,partner_id,track_id,wave,method,domain,what_changed,significance,contribution,planned,actual,"
    "why_gap,sustain_improve,artefact,adopted_by,consent_to_quote",
    "L1,P1,T1,1,msc,practice,Without protected time after the exchange inspectors fall back into old routines.,"
    "Time to apply it decides whether the exchange pays off.,The exchange showed us peers who had made time.,,,,,"
    "checklist,Delta Dept,no",
    "L2,P2,T1,1,aar,practice,Unless management frees up time afterwards an exchange has little lasting effect.,,,"
    "A follow-up day after the exchange.,No follow-up day.,Nobody owned it (mail j.devos@example.org).,"
    "Sustain: the pairs. Improve: book the time before the exchange.,step plan,Gamma Group; Epsilon Ltd,yes",
    "L3,P3,T2,2,oh,policy,The board approved a budget line for green bonds.,First structural money.,"
    "The board used our figures.,,,,,manual,P1,yes",
]
SCALING = [
    "unit_id,wave,rater,ingredient,score,rationale",
    "P1,1,self,finance,1,No budget beyond the project.",
    "P1,1,peer,finance,2,No budget beyond the project.",
    "P1,1,self,awareness,4,Known across the organisation.",
    "P1,1,peer,awareness,4,",
    "P1,1,self,evidence,3,Some figures.",
    "P1,1,peer,evidence,3,",
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/small with lessons, the analyst's themes and a Scaling Scan, rendered once."""
    from capeval.cli import main

    root = tmp_path_factory.mktemp("lessons")
    folder = root / "small"
    shutil.copytree(DATA / "small", folder, ignore=shutil.ignore_patterns("_store", "_rejected"))
    append_lines(folder / "lessons.csv", *LESSONS)
    append_lines(folder / "scaling.csv", *SCALING)
    append_lines(
        folder / "lesson_themes.csv",
        "lesson_id,theme",
        "L1,Protected time after an exchange",
        "L2,Protected time after an exchange",
    )
    out = root / "reports"
    assert main(["run", "--programme", str(folder), "--out", str(out), "--quiet", "--workers", "2"]) == 0
    return out / "small"


def text_of(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def test_a_partner_reads_its_own_lessons_in_full_with_its_methods_fields(reports: Path) -> None:
    page = text_of(reports / "partners" / "P2.html")
    assert "Your lessons in full" in page
    assert "After Action Review · who: Beta Board · where: Procurement · when: baseline" in page
    for label, said in [
        ("What changed", "Unless management frees up time afterwards an exchange has little lasting effect."),
        ("What was planned", "A follow-up day after the exchange."),
        ("What happened", "No follow-up day."),
        # redacted, even in the partner's own report
        ("Why the difference", "Nobody owned it (mail [e-mail removed])."),
        ("Sustain and improve", "Sustain: the pairs. Improve: book the time before the exchange."),
        ("Artefact", "step plan"),
        # an adopter outside the programme by name, a partner of the programme (P3) counted, not named
        ("Adopted by", "Epsilon Ltd; another partner in the programme"),
    ]:
        assert f"{label}</dt><dd>{said}</dd>" in page
    assert "j.devos@example.org" not in page
    # the theme it shares: named by the analyst, the other partner neither named nor quoted
    assert "Protected time after an exchange" in page and "confirmed by the evaluator" in page
    assert "Alpha Agency" not in page and "Without protected time" not in page and "Delta Dept" not in page
    assert "Gamma Group" not in page


def test_a_partner_that_adopted_a_lesson_is_counted_not_named(reports: Path) -> None:
    page = text_of(reports / "partners" / "P3.html")  # L3 adopted by P1, recorded by its partner id
    assert "Adopted by</dt><dd>another partner in the programme</dd>" in page
    assert "Alpha Agency" not in page and re.search(r"\bP1\b", page) is None
    track = text_of(reports / "tracks" / "T1.html")  # the track names its own partners, counts the others
    row = track[track.index('id="lessons-rollout"') :]
    assert "<td>checklist; step plan</td><td>Delta Dept; Epsilon Ltd; another partner in the programme</td>" in row


def test_a_lesson_without_consent_is_still_shown_to_its_own_partner(reports: Path) -> None:
    page = text_of(reports / "partners" / "P1.html")
    assert "Most Significant Change · who: Alpha Agency" in page
    assert "Why it is significant</dt><dd>Time to apply it decides whether the exchange pays off.</dd>" in page
    assert "Adopted by</dt><dd>Delta Dept</dd>" in page
    assert "1 organisation is recorded as adopting it." in page  # Delta Dept: not a partner of the programme


def test_the_programme_report_lists_roll_out_candidates_with_artefacts_and_adopters(reports: Path) -> None:
    page = text_of(reports / "programme" / "small.html")
    assert "Candidates for roll-out" in page
    row = page[page.index('id="lessons-rollout"') :]
    assert '<td>Protected time after an exchange</td><td class="num">2</td>' in row
    # the shareable programme report names no partner: Gamma Group (P3) is counted
    assert "<td>checklist; step plan</td><td>Delta Dept; Epsilon Ltd; 1 partner in the programme</td>" in row
    assert "Gamma Group" not in row
    assert "Your lessons in full" not in page
    assert "Without protected time" not in page  # L1 has no consent: not quoted to others


def test_the_scaling_rationale_stands_beside_the_score_and_the_bottleneck(reports: Path) -> None:
    page = text_of(reports / "partners" / "P1.html")
    assert "Why Finance scores low, in the raters' words: No budget beyond the project." in page
    assert "Known across the organisation." in page and "Some figures." in page
    assert "Why (raters)" in page
    assert "No budget beyond the project." not in text_of(reports / "partners" / "P2.html")
