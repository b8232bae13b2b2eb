"""LimeSurvey CSV exports generated here: sub-questions Q[SQ001], incomplete responses, waves, bad rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from capeval.ingest import ImportReport, StrictImportError, import_exports
from capeval.validate import validate_programme

MAPPING = """
programme:
  id: ls-demo
  title: LimeSurvey demo
  language: nl
  waves: [{id: 1, label: baseline}, {id: 2, label: follow-up}]
partners:
  - {partner_id: GENT, name: Stad Gent}
  - {partner_id: AALST, name: Stad Aalst}
respondent: {column: id, namespace: ls-123456}
partner: {column: "Q0", values: {Gent: GENT, Aalst: AALST}}
wave: {value: WAVE}
items:
  - {column: "Q1[SQ001]", item_id: tevreden, text_nl: Ik ben tevreden over de training, level: L1,
     dimension: satisfaction, criterion: relevance, labels: &agree
       {Helemaal mee eens: 5, Mee eens: 4, Neutraal: 3, Niet mee eens: 2, Helemaal niet mee eens: 1}}
  - {column: "Q1[SQ002]", item_id: geleerd, text_nl: Ik heb iets geleerd, level: L2, dimension: knowledge,
     labels: *agree}
  - {column: "Q2", item_id: toegepast, text_nl: "Hoe vaak paste u het toe?", level: L3, dimension: application,
     scale_min: 0, scale_max: 10}
lessons:
  - fields: {what_changed: "Q3"}
    method: free
    consent_to_quote: {column: "Q4"}
ignore: []
"""
HEADER = ["id", "submitdate", "lastpage", "startlanguage", "seed", "Q0", "Q1[SQ001]", "Q1[SQ002]", "Q2", "Q3", "Q4"]
WAVE1 = [
    [
        "1",
        "2025-03-01 10:00:00",
        "3",
        "nl",
        "123",
        "Gent",
        "Helemaal mee eens",
        "Mee eens",
        "4",
        "We delen nu inspecties",
        "Ja",
    ],
    ["2", "2025-03-01 11:00:00", "3", "nl", "456", "Aalst", "mee eens", "Neutraal", "", "", "Nee"],
    ["3", "", "1", "nl", "789", "Gent", "Neutraal", "", "", "", ""],
    ["4", "2025-03-02 09:00:00", "3", "nl", "999", "Gent", "Niet mee eens", "Helemaal niet mee eens", "2", "", "Nee"],
]


def write_csv(path: Path, header: list[str], data: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(data)
    return path


def run(
    tmp_path: Path,
    data: list[list[str]],
    *,
    wave: int = 1,
    header: list[str] = HEADER,
    name: str = "results-survey123456.csv",
    strict: bool = False,
) -> ImportReport:
    mapping = tmp_path / f"map{wave}.yaml"
    mapping.write_text(MAPPING.replace("WAVE", str(wave)), encoding="utf-8")
    export = write_csv(tmp_path / name, header, data)
    return import_exports("limesurvey", [export], mapping=mapping, into=tmp_path / "prog", strict=strict)


def table(tmp_path: Path, name: str) -> list[dict[str, str]]:
    with (tmp_path / "prog" / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_complete_responses_import_and_incomplete_are_kept_apart(tmp_path: Path) -> None:
    report = run(tmp_path, WAVE1)
    assert report.problems == []
    assert report.incomplete == {"results-survey123456": 1}
    assert report.added["responses"] == 8  # 3 + 2 (respondent 2 left Q2 empty) + 0 (incomplete) + 3
    values = {(r["partner_id"], r["item_id"]): float(r["value"]) for r in table(tmp_path, "responses")}
    assert values[("AALST", "tevreden")] == 4  # "mee eens" matched regardless of case
    assert values[("AALST", "geleerd")] == 3
    incomplete = tmp_path / "prog" / "_rejected" / "incomplete_results-survey123456.csv"
    assert incomplete.is_file() and "789" in incomplete.read_text(encoding="utf-8")
    lessons = table(tmp_path, "lessons")
    assert [(lesson["what_changed"], lesson["consent_to_quote"]) for lesson in lessons] == [
        ("We delen nu inspecties", "yes")
    ]
    assert validate_programme(tmp_path / "prog").problems == []


def test_second_wave_appends_and_tolerates_a_missing_and_a_new_column(tmp_path: Path) -> None:
    run(tmp_path, WAVE1)
    header = [c for c in HEADER if c != "Q2"] + ["Q5"]
    wave2 = [["1", "2025-10-01 10:00:00", "3", "nl", "1", "Gent", "Mee eens", "Mee eens", "Beter overleg", "Ja", "x"]]
    report = run(tmp_path, wave2, wave=2, header=header, name="results-survey123456-oct.csv")
    assert report.added["responses"] == 2
    assert any("'Q2' not in this export" in note for note in report.notes)
    waves = sorted({r["wave"] for r in table(tmp_path, "responses")})
    assert waves == ["1", "2"]
    # the same LimeSurvey id in a new wave is the same respondent, not a duplicate
    ids = {r["respondent_id"] for r in table(tmp_path, "responses") if r["wave"] == "2"}
    assert ids <= {r["respondent_id"] for r in table(tmp_path, "responses") if r["wave"] == "1"}
    assert validate_programme(tmp_path / "prog").problems == []


def test_bad_rows_are_quarantined_with_file_row_and_column(tmp_path: Path) -> None:
    data = [
        *WAVE1,
        ["5", "2025-03-03 09:00:00", "3", "nl", "1", "Gent", "Zeer tevreden", "Mee eens", "1", "", ""],
        ["6", "2025-03-03 09:00:00", "3", "nl", "1", "Brugge", "Mee eens", "Mee eens", "1", "", ""],
        ["1", "2025-03-04 09:00:00", "3", "nl", "1", "Gent", "Mee eens", "Mee eens", "1", "", ""],
        ["7", "2025-03-04 09:00:00", "3", "nl", "1", "Gent", "Mee eens", "Mee eens", "11", "", ""],
    ]
    report = run(tmp_path, data)
    where = [(p.file, p.line, p.column) for p in report.problems]
    assert where == [
        ("results-survey123456.csv", 6, "Q1[SQ001]"),
        ("results-survey123456.csv", 7, "Q0"),
        ("results-survey123456.csv", 8, "id"),
        ("results-survey123456.csv", 9, "Q2"),
    ]
    messages = [p.message for p in report.problems]
    assert "unknown answer label 'Zeer tevreden'" in messages[0]
    assert "unknown partner_id 'Brugge'" in messages[1]
    assert "duplicate respondent '1'" in messages[2]
    assert "outside the scale 0–10" in messages[3]
    assert report.quarantined == {"results-survey123456": 4}
    assert report.added["responses"] == 8  # the good rows still import
    rejected = report.rejected_files[0]
    assert rejected.name == "import_results-survey123456.csv"
    with rejected.open(encoding="utf-8") as handle:
        quarantined = list(csv.DictReader(handle))
    assert [r["_line"] for r in quarantined] == ["6", "7", "8", "9"]
    assert all(r["_reason"] for r in quarantined)
    assert validate_programme(tmp_path / "prog").problems == []


def test_strict_aborts_before_writing_anything(tmp_path: Path) -> None:
    data = [*WAVE1, ["5", "2025-03-03 09:00:00", "3", "nl", "1", "Gent", "Zeer tevreden", "", "", "", ""]]
    with pytest.raises(StrictImportError) as caught:
        run(tmp_path, data, strict=True)
    assert len(caught.value.problems) == 1
    assert not (tmp_path / "prog").exists()


def test_unmapped_column_that_looks_like_an_item_is_a_problem(tmp_path: Path) -> None:
    header = [*HEADER, "Q6[SQ001]"]
    data = [[*row, score] for row, score in zip(WAVE1, ["4", "5", "3", "2"], strict=True)]
    report = run(tmp_path, data, header=header)
    assert [(p.line, p.column) for p in report.problems] == [(1, "Q6[SQ001]")]
    assert "add it under 'items:' or 'ignore:'" in report.problems[0].message
    assert report.added["responses"] == 8


def test_escape_sequences_and_bidi_overrides_in_cells_are_shown_not_obeyed(tmp_path: Path) -> None:
    hostile = "\x1b]0;own\x07\x1b[2J\u202e1"  # sets the terminal title, clears the screen, reverses the text
    data = [
        [hostile, *WAVE1[0][1:]],
        [hostile, *WAVE1[3][1:]],
        ["9", *WAVE1[0][1:5], "Br\u202eugge", *WAVE1[0][6:]],
    ]
    report = run(tmp_path, data)
    shown = "'<U+001B>]0;own<U+0007><U+001B>[2J<U+202E>1'"
    assert report.problems[0].message == f"duplicate respondent {shown} in wave 1"
    assert "unknown partner_id 'Br<U+202E>ugge'" in report.problems[1].message
    summary = report.summary()
    assert shown in summary and "\x1b" not in summary and "\u202e" not in summary and "\x07" not in summary
    strict = tmp_path / "strict"
    strict.mkdir()
    with pytest.raises(StrictImportError) as caught:
        run(strict, data, strict=True)
    assert shown in str(caught.value) and "\x1b" not in str(caught.value)
