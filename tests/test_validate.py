"""Validation: exact messages and line numbers, quarantined rows, the CLI's exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from capeval.cli import main
from capeval.errors import ProgrammeError
from capeval.validate import validate_programme, write_rejected
from tests.conftest import append_lines


def messages(folder: Path) -> list[str]:
    return [str(p) for p in validate_programme(folder).problems]


def test_small_programme_is_valid(small: Path) -> None:
    result = validate_programme(small)
    assert result.problems == []
    assert result.counts()["responses"] == (6, 0)
    assert result.counts()["portfolio"] == (6, 0)


def test_duplicate_partner_names_the_first_line(small: Path) -> None:
    append_lines(small / "partners.csv", "P4,Delta,school,NL,T2", "P2,Beta again,school,NL,T2")
    assert messages(small) == ["partners.csv:6: partner_id: duplicate value 'P2' (first at line 3)"]


def test_an_id_written_in_two_unicode_forms_is_one_id(small: Path) -> None:
    # 'Café' as one character é (NFC) and as e + a combining acute accent (NFD): two partners that look the same
    append_lines(small / "partners.csv", "Caf\u00e9,Delta,school,NL,T2", "Cafe\u0301,Epsilon,school,NL,T2")
    assert messages(small) == [
        "partners.csv:6: partner_id: duplicate value 'Cafe\u0301' (first at line 5, written in another Unicode form)"
    ]


def test_unknown_references_and_out_of_range_values(small: Path) -> None:
    append_lines(
        small / "responses.csv",
        "R7,P9,A1,1,Q1,3",  # line 8: unknown partner
        "R7,P1,A1,1,Q9,3",  # line 9: unknown item
        "R7,P1,A1,1,Q2,6",  # line 10: outside 1-5
        "R7,P1,A1,3,Q3,2",  # line 11: wave not in programme.yaml
        "R7,P1,A1,1,Q3,abc",  # line 12: not a number
    )
    assert messages(small) == [
        "responses.csv:8: partner_id: unknown partner_id 'P9' (not in partners.csv)",
        "responses.csv:9: item_id: unknown item_id 'Q9' (not in items.csv)",
        "responses.csv:10: value: expected a value on the scale 1–5 of item 'Q2', got 6",
        "responses.csv:11: wave: unknown value '3' (expected programme.yaml waves: 1, 2)",
        "responses.csv:12: value: expected a number, got 'abc'",
    ]


def test_portfolio_quality_range_and_yes_no(small: Path) -> None:
    append_lines(small / "portfolio.csv", "P1,2,training,maybe,11,yes,8", "P1,2,knowledge,ja,0,nee,")
    assert messages(small) == [
        "portfolio.csv:8: offered_now: expected yes/no (or 1/0, true/false, ja/nee), got 'maybe'",
        "portfolio.csv:8: quality_now: expected between 1 and 10, got '11'",
        "portfolio.csv:9: quality_now: expected between 1 and 10, got '0'",
    ]


def test_missing_required_column_rejects_the_table(small: Path) -> None:
    frame = pd.read_csv(small / "activities.csv").drop(columns=["participants"])
    frame.to_csv(small / "activities.csv", index=False)
    result = validate_programme(small)
    assert str(result.problems[0]).startswith(
        "activities.csv:1: participants: required column missing (columns found: activity_id, partner_id"
    )
    assert result.counts()["activities"] == (0, 4)
    # an unusable table is reported once; rows pointing into it are kept, not rejected in cascade
    assert result.counts()["responses"] == (6, 0)
    assert len(result.problems) == 1


def test_line_numbers_follow_multiline_cells(small: Path) -> None:
    (small / "tracks.csv").write_text(
        'track_id,name,theme,goal\nT1,"Procurement\nand more",x,lab\nT2,Banking,y,z\nT2,Dup,y,z\n', encoding="utf-8"
    )
    assert messages(small) == ["tracks.csv:5: track_id: duplicate value 'T2' (first at line 4)"]


def test_extra_columns_are_kept(small: Path) -> None:
    frame = pd.read_csv(small / "partners.csv")
    frame["region"] = ["North", "South", "East"]
    frame.to_csv(small / "partners.csv", index=False)
    result = validate_programme(small)
    assert result.problems == []
    assert list(result.tables["partners"]["region"]) == ["North", "South", "East"]


def test_rejected_rows_are_written_with_reasons(small: Path) -> None:
    append_lines(small / "responses.csv", "R7,P9,A1,1,Q1,3")
    result = validate_programme(small)
    folder = write_rejected(result)
    assert folder == small / "_rejected"
    rejected = pd.read_csv(folder / "responses.csv", dtype=str)
    assert rejected.loc[0, "respondent_id"] == "R7"
    assert rejected.loc[0, "_line"] == "8"
    assert rejected.loc[0, "_reason"] == "partner_id: unknown partner_id 'P9' (not in partners.csv)"
    # a second, clean validation removes the stale quarantine
    (small / "responses.csv").write_text(
        (small / "responses.csv").read_text(encoding="utf-8").replace("R7,P9,A1,1,Q1,3\n", ""), encoding="utf-8"
    )
    assert write_rejected(validate_programme(small)) is None
    assert not (small / "_rejected").exists()


def test_not_utf8_and_empty_files(small: Path) -> None:
    (small / "tracks.csv").write_bytes("track_id,name\nT1,Caf\xe9\n".encode("cp1252"))
    (small / "lessons.csv").write_text("", encoding="utf-8")
    found = messages(small)
    assert "tracks.csv:2: -: not UTF-8 (byte 0xe9); read as Windows-1252, save as UTF-8" in found
    assert "lessons.csv:1: -: empty file; expected a header row" in found


def test_bad_programme_yaml_names_line_and_key(small: Path) -> None:
    text = (small / "programme.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr")
    (small / "programme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        validate_programme(small)
    assert str(caught.value) == "programme.yaml:3: language: expected one of 'nl' or 'en', got 'fr'; e.g. language: nl"


def test_cli_validate_exit_codes(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(small)]) == 0
    assert "valid: tracks: 2 kept, 0 rejected" in capsys.readouterr().out
    append_lines(small / "partners.csv", "P1,Again,x,NL,T1")
    assert main(["validate", str(small)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["partners.csv:5: partner_id: duplicate value 'P1' (first at line 2)"]
    assert "partners: 3 kept, 1 rejected" in captured.err


def test_cli_validate_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "programme folder not found" in capsys.readouterr().err


def test_optional_columns_may_be_absent(small: Path) -> None:
    frame = pd.read_csv(small / "activities.csv").drop(columns=["cost_eur", "track_id"])
    frame.to_csv(small / "activities.csv", index=False)
    result = validate_programme(small)
    assert result.problems == []
    assert result.tables["activities"]["cost_eur"].isna().all()


def test_write_rejected_keeps_files_it_does_not_own(small: Path) -> None:
    (small / "_rejected").mkdir()
    (small / "_rejected" / "import_survey.csv").write_text("a,_reason\n1,why\n", encoding="utf-8")
    (small / "_rejected" / "responses.csv").write_text("stale\n", encoding="utf-8")
    assert write_rejected(validate_programme(small)) is None
    assert sorted(p.name for p in (small / "_rejected").iterdir()) == ["import_survey.csv"]


def test_cli_import_tmd_then_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import SHARED_FIXTURES

    example = SHARED_FIXTURES / "tmd" / "example-data"
    files = [str(example / f"tango_{kind}.csv") for kind in ("events", "demographics", "qualities", "impacts")]
    into = tmp_path / "tmd"
    assert main(["import", "--from", "tmd", *files, str(example / "nodes.csv"), "--into", str(into)]) == 0
    assert "responses: 5600 added, 0 already present" in capsys.readouterr().out
    assert main(["validate", str(into)]) == 0
    # importing the same exports again adds nothing
    assert main(["import", "--from", "tmd", *files, "--into", str(into)]) == 0
    assert "responses: 0 added, 5600 already present" in capsys.readouterr().out


def test_cli_import_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--from", "nope", "x.csv", "--into", "y"]) == 2
    assert "unknown format 'nope'" in capsys.readouterr().err
    assert main(["import", "--from", "kobo"]) == 2
    assert "give EXPORT file(s) and --into DIR" in capsys.readouterr().err
