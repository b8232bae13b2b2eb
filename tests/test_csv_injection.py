"""Spreadsheet injection: every CSV capeval writes shows a formula-like cell as text, and
capeval reads its own files back unchanged (capeval.csvfile)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from capeval.cli import main
from capeval.csvfile import neutralise_cell, neutralise_frame, read_rows, restore_cell, write_rows
from capeval.folder import read_table_text
from capeval.ingest import import_exports
from capeval.validate import validate_programme

MAPPING = """
programme: {id: hostile, title: Hostile, waves: [{id: 1, label: "2026"}]}
partners: [{partner_id: P1, name: Partner one}]
respondent: Nr
partner: P1
items:
  - {column: Score, item_id: score, text_en: Score, scale_min: -3, scale_max: 3}
lessons:
  - fields: {what_changed: Change}
ignore: [Note]
"""
HYPERLINK = '=HYPERLINK("http://evil.example","klik")'
# (what the export says, what lessons.csv must hold as bytes of the cell)
LESSONS = [
    (HYPERLINK, "'" + HYPERLINK),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("- fewer meetings, more decisions", "'- fewer meetings, more decisions"),
    ("'=written with a quote already", "''=written with a quote already"),
    ("'quoted, but no formula", "'quoted, but no formula"),
    ("-3", "-3"),
]
STARTS = tuple("=+-@\t\r")
SIGNS = tuple("=+-@\uff1d\uff0b\uff0d\uff20")  # after leading white space too


def written_cells(path: Path) -> list[list[str]]:
    """A CSV as a spreadsheet gets it: every cell exactly as in the file, nothing undone."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def is_plain_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def assert_neutralised(path: Path) -> None:
    for number, record in enumerate(written_cells(path), start=1):
        for text in record:
            assert not text.startswith(STARTS) or is_plain_number(text), f"{path.name}:{number}: {text!r}"


@pytest.fixture
def hostile_import(tmp_path: Path) -> Path:
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    with (tmp_path / "export.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Nr", "Score", "Change", "Note"])
        for number, (text, _) in enumerate(LESSONS, start=1):
            writer.writerow([number, -3 + number % 7, text, ""])
        # out of scale: the whole row goes to _rejected/import_export.csv, as the export has it
        writer.writerow([98, 9, HYPERLINK, "\t=1+1 after a tab"])
        writer.writerow([99, 9, "@me", "\r=1+1 after a carriage return"])
    into = tmp_path / "programme"
    report = import_exports("csv", [tmp_path / "export.csv"], mapping=tmp_path / "map.yaml", into=into)
    assert report.added["lessons"] == len(LESSONS) and len(report.problems) == 2
    return into


def test_every_csv_an_import_writes_is_neutralised(hostile_import: Path) -> None:
    written = sorted(hostile_import.rglob("*.csv"))
    assert [p.relative_to(hostile_import).as_posix() for p in written] == [
        "_rejected/import_export.csv",
        "items.csv",
        "lessons.csv",
        "partners.csv",
        "responses.csv",
    ]
    for path in written:
        assert_neutralised(path)
    header, *rows = written_cells(hostile_import / "lessons.csv")
    column = header.index("what_changed")
    assert [r[column] for r in rows] == [cell for _, cell in LESSONS]
    # numbers stay numbers: a score of -3 is written as -3, for a spreadsheet to sum
    header, *rows = written_cells(hostile_import / "responses.csv")
    assert sorted({r[header.index("value")] for r in rows}) == ["-1", "-2", "-3", "0", "1", "2", "3"]
    header, *rows = written_cells(hostile_import / "_rejected" / "import_export.csv")
    assert [(r[header.index("Change")], r[header.index("Note")]) for r in rows] == [
        ("'" + HYPERLINK, "'=1+1 after a tab"),  # the import trims a cell's spaces, tabs and line ends
        ("'@me", "'=1+1 after a carriage return"),
    ]


def test_capeval_reads_its_own_tables_back_as_imported(hostile_import: Path) -> None:
    raw, problems = read_table_text(hostile_import / "lessons.csv")
    assert problems == []
    assert raw["what_changed"].tolist() == [text for text, _ in LESSONS]
    _, rows = read_rows(hostile_import / "lessons.csv")
    assert [r["what_changed"] for r in rows] == [text for text, _ in LESSONS]
    validated = validate_programme(hostile_import)
    # a formula in the data is still refused by validate, which quotes it as the export had it
    assert [str(p) for p in validated.problems] == [
        "lessons.csv:2: what_changed: starts with '=' (a spreadsheet formula?); expected plain text or a number"
    ]
    assert validated.tables["lessons"]["what_changed"].tolist() == [text for text, _ in LESSONS[1:]]
    assert sorted(validated.tables["responses"]["value"].tolist()) == [-3.0, -2.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]


def test_a_second_import_neither_adds_nor_quotes_twice(hostile_import: Path, tmp_path: Path) -> None:
    before = (hostile_import / "lessons.csv").read_bytes()
    again = import_exports("csv", [tmp_path / "export.csv"], mapping=tmp_path / "map.yaml", into=hostile_import)
    assert again.added.get("lessons", 0) == 0
    assert (hostile_import / "lessons.csv").read_bytes() == before


def test_the_validate_quarantine_is_neutralised(hostile_import: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (hostile_import / "lessons.csv").open("a", encoding="utf-8", newline="") as handle:
        # rows a person added by hand, refused for their method: quarantined with cells as written
        handle.write('L2,P1,,1,bogus,,"\t=1+1 after a tab",+fine,-,@x,,,,,no\n')
        handle.write('L3,P1,,1,bogus,,"\r\n=1+1 after a line end",,,,,,,,no\n')
    assert main(["validate", str(hostile_import)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    rejected = hostile_import / "_rejected" / "lessons.csv"
    assert_neutralised(rejected)
    header, *rows = written_cells(rejected)
    columns = ["what_changed", "significance", "contribution", "planned", "_line"]
    assert [[r[header.index(c)] for c in columns] for r in rows] == [
        ["'" + HYPERLINK, "", "", "", "2"],
        ["'\t=1+1 after a tab", "'+fine", "'-", "'@x", "10"],
        ["'\r\n=1+1 after a line end", "", "", "", "11"],
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-", "'-"),
        ("@", "'@"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("+2.5", "+2.5"),
        ("-0,75", "-0,75"),
        ("-1e3", "-1e3"),
        ("-1-1", "'-1-1"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("'x", "'x"),
        ("x=1", "x=1"),
        ("", ""),
        ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),  # full-width = (U+FF1D), read as = by some spreadsheets
        ("\uff0b1", "'\uff0b1"),
        ("\uff0dx", "'\uff0dx"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("  =1+1", "'  =1+1"),  # leading spaces, skipped by some import settings
        ("\u3000@x", "'\u3000@x"),
        ("' =x", "'' =x"),
        (" x", " x"),
    ],
)
def test_the_rule_cell_by_cell(text: str, written: str) -> None:
    assert neutralise_cell(text) == written
    assert restore_cell(written) == text


def test_numeric_columns_are_left_as_numbers() -> None:
    frame = pd.DataFrame({"value": [-3, 2], "score": [-1.5, 0.0], "text": ["-3", "-x"]})
    out = neutralise_frame(frame)
    assert out["value"].tolist() == [-3, 2] and out["score"].tolist() == [-1.5, 0.0]
    assert out["text"].tolist() == ["-3", "'-x"]


CELL_CHARACTERS = st.sampled_from("=+-@'\t\rx1 ,.\"\n\uff1d\uff0d")


@given(st.lists(st.text(alphabet=CELL_CHARACTERS, max_size=8), min_size=1, max_size=5))
def test_write_then_read_gives_back_every_cell(tmp_path_factory: pytest.TempPathFactory, cells: list[str]) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / "t.csv"
    columns = ["id", *(f"c{i}" for i in range(len(cells)))]
    write_rows(path, columns, [{"id": "1", **{f"c{i}": c for i, c in enumerate(cells)}}])
    assert read_rows(path) == (columns, [{"id": "1", **{f"c{i}": c for i, c in enumerate(cells)}}])
    for record in written_cells(path):
        assert all(not (c.startswith(STARTS) or c.lstrip().startswith(SIGNS)) or is_plain_number(c) for c in record)
