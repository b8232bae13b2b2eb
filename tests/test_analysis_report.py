"""The seven analyses in a partner report: store benchmarks and the HTML a partner reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capeval import report
from capeval.report.internal import open_internal_report
from capeval.store import Store, build_store

SCALING = [
    "unit_id,wave,rater,ingredient,score,rationale",
    "P1,1,r1,technology,4,",
    "P1,1,r2,technology,4,",
    "P1,1,r1,finance,1,No budget yet",
    "P1,1,r2,finance,2,",
    "P1,1,r1,awareness,2,",
    "P1,1,r2,awareness,1,",
]
LESSONS = [
    "lesson_id,partner_id,track_id,wave,method,domain,what_changed,artefact,consent_to_quote",
    "L1,P1,T1,1,free,practice,A short checklist made the recommendations easy to act on.,checklist,yes",
    "L2,P1,T1,1,free,policy,Budget <b>approved</b>; contact a.b@example.org or +31 20 123 4567.,,yes",
    "L3,P2,T1,1,free,practice,A short checklist made the recommendations easier to act upon.,,no",
]


@pytest.fixture
def programme(small: Path) -> Path:
    (small / "scaling.csv").write_text("\n".join(SCALING) + "\n", encoding="utf-8")
    (small / "lessons.csv").write_text("\n".join(LESSONS) + "\n", encoding="utf-8")
    return small


def _section(html: str, ident: str) -> str:
    match = re.search(rf'<h2 id="{ident}">.*?(?=<h2 |\Z)', html, re.S)
    assert match, ident
    return match.group(0)


def _page(programme: Path, unit: str, language: str = "en", kind: str = "partner") -> str:
    build_store(programme)
    ctx = report.open_report(str(programme), kind, unit, language=language)
    names = ("kirkpatrick", "criteria", "gaps", "lessons", "scaling", "actions")
    return "\n".join(str(getattr(report, name)(ctx)) for name in names)


def test_store_holds_the_programme_benchmarks(programme: Path) -> None:
    store = Store(build_store(programme))
    unit = store.unit("partner", "P1")
    assert set(unit.benchmarks) == {
        "gaps",
        "activities",
        "kirkpatrick",
        "kirkpatrick_change",
        "criteria",
        "scaling",
        "lesson_recurrence",
    }
    bench = unit.benchmarks["kirkpatrick"].set_index(["wave", "level"])
    # wave 1 L1: R1 75, R2 100, R3 25 -> pooled 66.67 over 3. P2 (n=1) is hidden, and so is P1 (n=2): track
    # T1 (3 respondents) minus P1 would give P2's one respondent away. No partner score counts: no spread.
    assert bench.loc[(1, "L1"), "mean"] == pytest.approx(200 / 3)
    assert bench.loc[(1, "L1"), "n_partners"] == 0 and bench.loc[(1, "L1"), "suppressed"]
    recurrence = unit.benchmarks["lesson_recurrence"].set_index("lesson_id")
    columns = ["cluster", "theme", "confirmed", "n_lessons", "n_partners", "n_tracks", "recurring"]
    assert list(recurrence.columns) == columns  # no lesson text
    assert (
        recurrence.loc["L1", "n_partners"] == 2 and recurrence.loc["L1", "cluster"] == recurrence.loc["L3", "cluster"]
    )
    # L1/L3 share the stems checklist, recommend, short (easi/easier differ; made, act, upon are stop words);
    # L2 is P1's alone: its words name no theme others read. No lesson_themes.csv: nothing confirmed.
    assert recurrence.loc["L1", "theme"] == "checklist · recommendations · short"
    assert recurrence.loc["L2", "theme"] == "" and recurrence.loc["L2", "n_partners"] == 1
    assert not recurrence["confirmed"].any()
    assert "P2" not in set(unit["lessons"]["partner_id"])  # a partner reads only its own lessons


def test_partner_report_shows_every_analysis(programme: Path) -> None:
    page = _page(programme, "P1")
    kirkpatrick = _section(page, "kirkpatrick")
    # P1's own L1 (2 respondents, 87.5) is hidden by the release: its track minus P1 would reveal P2's one
    assert '<td>L1 Reaction</td><td class="num">2</td><td class="num">–</td>' in kirkpatrick
    assert "87.5" not in kirkpatrick
    assert "cannot be judged" in kirkpatrick  # no L3 answer from P1
    criteria = _section(page, "criteria")
    assert "EU added value" not in criteria  # the small programme declares no criteria: the six DAC ones
    assert re.search(r"<td>Coherence</td><td>no evidence</td><td>no evidence</td>", criteria)
    # relevance: one item (Q1 of R1 and R2); the needs self-assessment gives no score, so it no longer
    # lifts one item to "moderate": weak
    assert re.search(
        r'<td>Relevance</td><td>[^<]*</td><td>weak</td><td class="num">1</td><td class="num">2</td>', criteria
    )
    assert "<td>survey, needs self-assessment</td>" in criteria
    gaps = _section(page, "gaps")
    assert "The largest gap is in Input of new knowledge" in gaps
    assert "Each service has one answer only" in gaps  # one answer per service: no claim that they agree
    assert "No service was assessed in both waves." in gaps
    lessons = _section(page, "lessons")
    assert "2 lessons recorded, 2 with consent to quote." in lessons
    assert "[e-mail removed]" in lessons and "[phone number removed]" in lessons
    assert "a.b@example.org" not in page and "123 4567" not in page
    assert "&lt;b&gt;approved&lt;/b&gt;" in lessons and "<b>approved" not in page
    # P1 reads its own lessons in full (the quote rule is for others), with the artefact its method records
    assert (
        "<dd>A short checklist made the recommendations easy to act on.</dd><dt>Artefact</dt><dd>checklist</dd>"
        in lessons
    )
    assert "easier to act upon" not in page  # P2's lesson is P2's, not P1's, to read
    # L1 and P2's L3 look alike by their words (checklist, recommendations, short), but no evaluator confirmed it
    # as a theme: a shareable report counts the suggestion and shows no theme
    assert "No theme the evaluator confirmed links these lessons to other partners or tracks yet." in lessons
    assert "One more group of lessons looks alike by its words only; it is not reported as a theme" in lessons
    assert "checklist · recommendations" not in page and "suggested" not in lessons
    assert "L3" not in lessons and "In their own words" not in lessons
    scaling = _section(page, "scaling")
    assert len(re.findall(r"<img ", scaling)) == 1
    assert "Bottleneck, tied: Awareness, Finance (mean 1.5 each)." in scaling  # ingredients by their label
    assert '<td>Finance</td><td class="num">1.5</td><td class="num">1.0</td><td class="num">2</td>' in scaling
    assert "<td>No budget yet</td></tr>" in scaling  # r1's rationale beside Finance's score
    assert (
        "Written down for others: checklist (1 lesson names an artefact). "
        "No other partner reports a lesson under a theme the evaluator confirmed."
    ) in scaling
    actions = _section(page, "actions")
    ranked = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", actions)
    assert [r[0] for r in ranked] == [str(i) for i in range(1, len(ranked) + 1)]
    assert ranked[0][1].startswith("Put the service ‘Input of new knowledge’ in the action plan")
    assert ranked[0][1].endswith("quality. Based on 1 respondent only.")  # n = 1 < min_group_size 2
    assert ranked[0][2] == "Service-portfolio gaps: 7.0 (n = 1)"
    assert ("Work on the scaling bottleneck Awareness before scaling further.", "Scaling potential: 1.5 (n = 2)") in [
        r[1:] for r in ranked
    ]


def test_a_theme_counts_once_the_evaluator_confirms_it_and_the_internal_report_lists_suggestions(
    programme: Path,
) -> None:
    build_store(programme)
    internal = str(report.lessons(open_internal_report(str(programme), language="en")))
    # the programme manager's internal report lists the suggestion, named by the lessons' common words
    assert "<td>checklist · recommendations · short</td><td>suggested</td>" in internal
    assert "Confirm, rename or split a suggestion in lesson_themes.csv" in internal
    shareable = str(report.lessons(report.open_report(str(programme), "programme", "")))
    assert "checklist · recommendations" not in shareable and "<th>Status</th>" not in shareable
    (programme / "lesson_themes.csv").write_text("lesson_id,theme\nL1,Short checklists\nL3,Short checklists\n")
    page = _page(programme, "P1")
    lessons = _section(page, "lessons")
    assert '<td>Short checklists</td><td class="num">2</td><td class="num">1</td><td>L1</td>' in lessons
    assert "looks alike by its words only" not in lessons
    assert "1 other partner reports a lesson under the same theme (confirmed by the evaluator)." in page


def test_sections_without_data_say_so_in_one_line(programme: Path) -> None:
    page = _page(programme, "P3")
    for ident in ("lessons", "scaling"):
        assert _section(page, ident).count("No data for this section.") == 1
    assert "<img" not in _section(page, "scaling")


def test_quotes_withheld_below_min_comments_and_dutch_labels(programme: Path) -> None:
    text = (programme / "programme.yaml").read_text(encoding="utf-8").replace("min_comments: 2", "min_comments: 4")
    (programme / "programme.yaml").write_text(text, encoding="utf-8")
    (programme / "lesson_themes.csv").write_text("lesson_id,theme\nL1,Korte checklists\nL3,Korte checklists\n")
    # track T1 holds 3 comments (L1, L2, L3): below 4, so no lesson is quoted to the track, not even in its themes
    track = _section(_page(programme, "T1", language="nl", kind="track"), "lessons")
    assert "Citaten worden niet getoond: 3 opmerkingen, en citeren vraagt er minstens 4 (en toestemming)." in track
    assert "<blockquote>" not in track and "made the recommendations" not in track
    assert "<td>L1 | L3</td>" in track
    # a partner reads its own lessons whatever the quote rule
    page = _page(programme, "P1", language="nl")
    lessons = _section(page, "lessons")
    assert "Uw lessen volledig" in lessons and "<dt>Wat is er veranderd</dt>" in lessons
    assert "<dd>A short checklist made the recommendations easy to act on.</dd>" in lessons
    assert "Citaten" not in lessons
    assert "Gebieden met de minste overeenstemming" in page and "Aanbevolen acties" in page
