"""The bad-input corpus (tests/data/bad): a clear message for each case, and every valid row kept."""

from __future__ import annotations

import math
import os
import shutil
import string
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from capeval.batch import plan_jobs
from capeval.cli import main
from capeval.errors import ParameterError, ProgrammeError
from capeval.folder import LINE, read_table_text
from capeval.index import programme_index_html
from capeval.parameters import load_parameters
from capeval.report.html import escape
from capeval.validate import validate_programme
from capeval.visible import quoted
from tests.conftest import DATA, append_lines

BAD = DATA / "bad"
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


# What `capeval validate` prints where a problem repeats on several rows: one line naming them.
CLI_LINES = {
    "nul_byte": [
        "tracks.csv:3: name: contains a NUL byte; expected text",
        "partners.csv:4: track_id: unknown track_id 'T2' (not in tracks.csv)",
        "activities.csv:5: partner_id: unknown partner_id 'P3' (not in partners.csv)",
        "responses.csv:7: partner_id: unknown partner_id 'P3' (not in partners.csv)",
        "portfolio.csv:6: partner_id: unknown partner_id 'P3' on 2 rows (lines 6, 7); not in partners.csv",
    ]
}


def with_case(small: Path, case: str) -> Path:
    for path in (BAD / case).iterdir():
        shutil.copy(path, small / path.name)
    return small


def test_corpus_is_large_enough() -> None:
    assert len(EXPECTED) >= 30
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.iterdir() if p.is_dir())


TABLE_CASES = sorted(case for case in EXPECTED if "error" not in EXPECTED[case])
PROGRAMME_CASES = sorted(case for case in EXPECTED if "error" in EXPECTED[case])
# The validation library's own words: none of them may reach a user.
LIBRARY_WORDS = ("Input should", "Value error", "validation error", "Field required", "pydantic", "Extra inputs")


@pytest.mark.parametrize("case", TABLE_CASES)
def test_each_case_gives_its_message_and_keeps_valid_rows(small: Path, case: str) -> None:
    expected = EXPECTED[case]
    result = validate_programme(with_case(small, case))
    assert [str(p) for p in result.problems] == expected["problems"]
    assert result.counts().get(expected["table"], (0, 0)) == (expected["kept"], expected["rejected"])


@pytest.mark.parametrize("case", PROGRAMME_CASES)
def test_each_wrong_programme_yaml_is_named_in_our_words(
    small: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ProgrammeError) as caught:
        validate_programme(with_case(small, case))
    assert str(caught.value).splitlines() == EXPECTED[case]["error"]
    assert main(["validate", str(small)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["capeval: error: " + EXPECTED[case]["error"][0], *EXPECTED[case]["error"][1:]]
    assert not any(words in captured.err for words in (*LIBRARY_WORDS, "Traceback"))


@pytest.mark.parametrize(
    "case",
    ["formula", "ragged_row", "wrong_encoding", "nul_byte", "missing_column", "repeated_header_ragged", "huge_integer"],
)
def test_cli_prints_lines_not_tracebacks(small: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(with_case(small, case))]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.out.splitlines() == CLI_LINES.get(case, EXPECTED[case]["problems"])


def test_huge_free_text_cell_is_rejected_not_swallowed(small: Path) -> None:
    header = "lesson_id,partner_id,track_id,wave,method,domain,what_changed,significance,consent_to_quote\n"
    huge = "x" * 5_242_880
    (small / "lessons.csv").write_text(
        header + f"L1,P1,T1,1,msc,policy,Short story,yes,yes\nL2,P1,T1,1,msc,policy,{huge},yes,yes\n", encoding="utf-8"
    )
    result = validate_programme(small)
    assert [str(p) for p in result.problems] == [
        "lessons.csv:3: what_changed: cell of 5,242,880 characters; at most 100,000"
    ]
    assert result.counts()["lessons"] == (1, 1)


CELL = st.text(alphabet=string.printable + "éëï€\u2400;\"'\n", max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=8))
def test_any_partners_file_is_read_without_losing_rows(small: Path, rows: list[list[str]]) -> None:
    frame = pd.DataFrame(
        [(r + [""] * 5)[:5] for r in rows], columns=["partner_id", "name", "kind", "country", "track_id"]
    )
    text = frame.to_csv(index=False)
    (small / "partners.csv").write_text(text, encoding="utf-8")
    result = validate_programme(small)  # never raises
    raw, _ = read_table_text(small / "partners.csv")
    kept, rejected = result.counts()["partners"]
    assert kept + rejected == len(raw)  # nothing dropped silently
    if len(raw):
        assert raw[LINE].is_monotonic_increasing


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.floats(min_value=1, max_value=5, allow_nan=False).map(lambda v: round(v, 2)), comma=st.booleans())
def test_decimal_point_or_comma_gives_the_same_value(small: Path, value: float, comma: bool) -> None:
    shown = f"{value}".replace(".", ",") if comma else f"{value}"
    (small / "responses.csv").write_text(
        f'respondent_id,partner_id,activity_id,wave,item_id,value\nR1,P1,A1,1,Q1,"{shown}"\n', encoding="utf-8"
    )
    result = validate_programme(small)
    assert result.problems == []
    assert result.tables["responses"]["value"].tolist() == [value]


NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["inf", "-Infinity", "NaN", "1e999", "1e308", "9" * 400, "0x10", "1_000", "3,5", " 7 "]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(participants=NUMBER, hours=NUMBER, cost=NUMBER)
def test_any_number_is_kept_finite_or_rejected_with_a_reason(
    small: Path, participants: str, hours: str, cost: str
) -> None:
    header = "activity_id,partner_id,track_id,type,date,participants,hours,cost_eur\n"
    row = ",".join(["A9", "P1", "T1", "workshop", "2024-04-01", *(f'"{v}"' for v in (participants, hours, cost))])
    (small / "activities.csv").write_text(header + row + "\n", encoding="utf-8")
    result = validate_programme(small)  # never raises
    activities = result.tables["activities"]
    assert result.counts()["activities"] in ((1, 0), (0, 1))
    if len(activities):
        for column in ("participants", "hours", "cost_eur"):
            value = activities[column].astype("float64").iloc[0]
            assert pd.isna(value) or (math.isfinite(value) and abs(value) <= 2**53)
    else:
        assert [p.line for p in result.problems if p.file == "activities.csv"] and all(
            p.line == 2 for p in result.problems if p.file == "activities.csv"
        )


@pytest.mark.parametrize("size", [1, 2])
def test_a_group_below_three_is_refused_unless_on_purpose(
    small: Path, size: int, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (small / "programme.yaml").read_text(encoding="utf-8")
    (small / "programme.yaml").write_text(
        config.replace("min_group_size: 2\nallow_small_groups: true", f"min_group_size: {size}"), encoding="utf-8"
    )
    assert main(["validate", str(small)]) == 1
    assert capsys.readouterr().err.startswith(
        f"capeval: error: programme.yaml:4: min_group_size: {size} lets a single respondent's answers "
        "be seen (with 2, each of the two can work out the other's); use 3 or more (5 is usual), or add "
        "'allow_small_groups: true' if it is on purpose"
    )
    (small / "programme.yaml").write_text(
        config.replace("min_group_size: 2", f"min_group_size: {size}"), encoding="utf-8"
    )  # said on purpose
    assert main(["validate", str(small)]) == 0


def test_a_run_threshold_below_three_is_refused_unless_the_programme_allows_it(small: Path, tmp_path: Path) -> None:
    params = tmp_path / "run.yaml"
    params.write_text(f"programme: {small}\nmin_group_size: 2\n", encoding="utf-8")
    config = (small / "programme.yaml").read_text(encoding="utf-8")
    (small / "programme.yaml").write_text(
        config.replace("min_group_size: 2\nallow_small_groups: true", "min_group_size: 5"), encoding="utf-8"
    )
    with pytest.raises(
        ParameterError, match=r"run.yaml:2: min_group_size: 2 lets a single respondent's answers be seen"
    ):
        plan_jobs(load_parameters(params))


def test_a_wave_listed_twice_is_refused(small: Path) -> None:
    config = (small / "programme.yaml").read_text(encoding="utf-8")
    (small / "programme.yaml").write_text(config.replace("{id: 2, label: follow-up", "{id: 1, label: follow-up"))
    with pytest.raises(ProgrammeError, match=r"waves: .*id '1' is listed twice; each id must be listed once"):
        validate_programme(small)


def test_terminal_escapes_and_bidi_overrides_from_data_are_shown_not_obeyed(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append_lines(
        small / "activities.csv",
        "A9,P1,T1,workshop,\x1b[2J\x1b]0;owned\x07,3,1,1",
        "A10,P1,T1,workshop,x\u202etxt.exe,3,1,1",
    )
    assert main(["validate", str(small)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "activities.csv:6: date: expected a date YYYY-MM-DD, got '<U+001B>[2J<U+001B>]0;owned<U+0007>'",
        "activities.csv:7: date: expected a date YYYY-MM-DD, got 'x<U+202E>txt.exe'",
    ]
    assert "\x1b" not in out and "\u202e" not in out


def test_bidi_overrides_in_names_are_shown_escaped_on_pages() -> None:
    assert escape("Alpha\u202eexe.pdf\u200b") == "Alpha&lt;U+202E&gt;exe.pdf&lt;U+200B&gt;"
    report = {"unit": "P1", "kind": "partner", "name": "Beta\u202egnp.exe", "track_id": None, "status": "ok"}
    page = programme_index_html([{**report, "path": "partners/P1.html"}], title="T\u202eitle", language="en", tracks={})
    assert "\u202e" not in page and "Beta&lt;U+202E&gt;gnp.exe" in page and "T&lt;U+202E&gt;itle" in page


@given(st.text())
@example("\x1f\u13d9")  # a control beside a look-alike letter: the note on its Latin twin showed it raw
def test_any_text_is_shown_without_controls_or_bidi_overrides(text: str) -> None:
    shown = quoted(text)
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Cf")]
    assert "\n" not in shown


@pytest.mark.parametrize(("table", "kind"), [("items.csv", "a folder"), ("tracks.csv", "a named pipe")])
def test_a_table_that_is_a_folder_or_a_pipe_is_refused_not_taken_as_absent(
    small: Path, capsys: pytest.CaptureFixture[str], table: str, kind: str
) -> None:
    path = small / table
    path.unlink()
    if kind == "a folder":
        path.mkdir()
    else:
        os.mkfifo(path)  # opening it to read would wait for a writer forever
    assert main(["validate", str(small)]) == 1
    out = capsys.readouterr()
    assert f"{table}: -: not a regular file ({kind}" in out.out + out.err


@pytest.mark.parametrize("cut", ['R9,P1,A1,1,Q1,"4', 'R9,P1,A1,1,Q1,"4\nR9,P1,A1,1,Q2,3'])
def test_a_quote_never_closed_at_the_end_is_quarantined_with_its_line(
    small: Path, capsys: pytest.CaptureFixture[str], cut: str
) -> None:
    lines = (small / "responses.csv").read_text(encoding="utf-8").count("\n")
    append_lines(small / "responses.csv", cut)  # a file cut short inside a quoted cell
    assert main(["validate", str(small)]) == 1
    out = capsys.readouterr()
    assert f"responses.csv:{lines + 1}: -: a quote opened here is never closed" in out.out + out.err
    assert "responses: 6 kept, 1 rejected" in out.out + out.err


def test_columns_differing_only_in_case_refuse_the_table_naming_both(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = small / "responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",VALUE", *(line + ",1" for line in lines[1:])]) + "\n", encoding="utf-8")
    assert main(["validate", str(small)]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert "responses.csv:1: value: columns 'value' and 'VALUE' differ only in case (fields 6 and 7)" in said
    assert "responses: 0 kept, 6 rejected" in said
