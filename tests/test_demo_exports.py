"""The municipal_tracks demo is rebuilt from raw Dutch survey exports through the real import path."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from capeval.demo import IMPORTED, build_demo, demo_salt, import_demo_exports
from capeval.demo_exports import EXPORTED, export_files, mapping_file
from capeval.ingest import import_exports
from capeval.ingest.cells import parse_date
from capeval.ingest.mapping import load_mapping
from capeval.ingest.pseudonym import SALT_FILE, pseudonym
from capeval.ingest.sources import read_table
from capeval.validate import validate_programme

NAME = "municipal_tracks"
NULMETING, VERVOLGMETING = export_files(NAME)
LIKERT = {"Helemaal mee eens": 5, "Mee eens": 4, "Neutraal": 3, "Niet mee eens": 2, "Helemaal niet mee eens": 1}
ENGAGEMENT = "Ik heb actief deelgenomen aan deze sessie van het leertraject."
CONFIDENCE = "Ik voel me zeker genoeg om het geleerde in mijn werk te gebruiken."


def read_export(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """An export read by hand (not by capeval): Windows-1252, ';'."""
    text = path.read_bytes().decode("cp1252")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    return list(reader.fieldnames or []), list(reader)


def item_columns() -> dict[str, str]:
    return {item.column: item.item_id for item in load_mapping(mapping_file(NAME)).items}


def value_of(cell: str) -> float:
    """What an answer means, read by hand: a Dutch Likert label or a number with a decimal comma."""
    return float(LIKERT[cell]) if cell in LIKERT else float(cell.replace(",", "."))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    (folder,) = build_demo(root, only=[NAME])
    return folder


@pytest.fixture(scope="module")
def responses(built: Path) -> pd.DataFrame:
    return pd.read_csv(built / "responses.csv")


def test_municipal_tracks_ships_raw_exports() -> None:
    assert NAME in IMPORTED
    assert [p.name for p in export_files(NAME)] == list(EXPORTED[NAME])
    files = [*export_files(NAME), mapping_file(NAME)]
    assert all(p.is_file() for p in files)
    assert sum(p.stat().st_size for p in files) < 1_000_000


@pytest.mark.parametrize("path", [NULMETING, VERVOLGMETING], ids=lambda p: p.name)
def test_exports_are_dutch_spreadsheet_csv(path: Path) -> None:
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # Windows-1252 bytes, as Excel saves them
    assert "–".encode("cp1252") in raw and "ï".encode("cp1252") in raw
    text = raw.decode("cp1252")
    assert text.count("\r\n") == text.count("\n")  # CRLF line ends
    header = text.split("\r\n", 1)[0].split(";")
    assert {"Nr", "Ingevuld op", "Meting", "Deelnemerscode", "Gemeente/stad", "Sessiecode", "Datum sessie"} <= set(
        header
    )
    assert "Hoe waarschijnlijk is het dat u deze sessie van het leertraject aanbeveelt aan een collega?" in text
    for label in LIKERT:
        assert f";{label};" in text
    assert re.search(r";\d,5;", text)  # a report-card grade with a decimal comma
    assert re.search(r";\d{2}-\d{2}-20\d{2};", text)  # a day-first date
    assert ";Gemeente Lindebeke;" in text and ";Stad Hazeldonk;" in text
    read = read_table(path, "csv")
    assert (read.encoding, read.separator, read.decimal) == ("cp1252", ";", ",")


def test_import_quarantines_nothing_and_is_reproducible(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / NAME
    shutil.copytree(built, copy)
    report = import_demo_exports(copy, NAME, strict=False)
    assert report.problems == []
    assert report.quarantined == {}
    assert not (copy / "_rejected").exists()
    columns = item_columns()
    answered = sum(bool(row[c]) for p in export_files(NAME) for row in read_export(p)[1] for c in columns if c in row)
    assert report.added["responses"] == answered
    assert report.added["items"] == len(columns) == 13
    assert sorted(report.notes) == [
        f"{NULMETING.name}: mapped column '{CONFIDENCE}' not in this export; skipped",
        f"{VERVOLGMETING.name}: mapped column '{ENGAGEMENT}' not in this export; skipped",
    ]
    assert (copy / SALT_FILE).read_text(encoding="ascii").strip() == demo_salt(NAME)
    for file in ("responses.csv", "items.csv"):
        assert (copy / file).read_bytes() == (built / file).read_bytes(), file
    assert validate_programme(copy).problems == []


def test_importing_again_adds_nothing(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / NAME
    shutil.copytree(built, copy)
    report = import_exports("csv", export_files(NAME), mapping=mapping_file(NAME), into=copy)
    assert report.added == {"items": 0, "responses": 0}
    assert report.already_present["responses"] == len(pd.read_csv(built / "responses.csv"))


def test_follow_up_form_differs_and_still_imports(built: Path, tmp_path: Path) -> None:
    first, _ = read_export(NULMETING)
    second, _ = read_export(VERVOLGMETING)
    assert set(first) - set(second) == {ENGAGEMENT}
    assert set(second) - set(first) == {CONFIDENCE}
    assert first.index("Deelnemerscode") < first.index("Gemeente/stad")
    assert second.index("Deelnemerscode") > second.index("Gemeente/stad")
    assert [c for c in first if c in second] != [c for c in second if c in first]
    # the follow-up alone, into the generator's folder without responses and items
    copy = tmp_path / NAME
    shutil.copytree(built, copy)
    for file in ("responses.csv", "items.csv"):
        (copy / file).unlink()
    report = import_exports("csv", [VERVOLGMETING], mapping=mapping_file(NAME), into=copy, strict=True)
    assert report.problems == [] and report.quarantined == {}
    imported = pd.read_csv(copy / "responses.csv")
    assert set(imported["wave"]) == {2}
    assert "L2_confidence" in set(imported["item_id"]) and "L1_engagement" not in set(imported["item_id"])
    assert validate_programme(copy).problems == []


def test_dropped_and_added_questions_in_the_built_demo(responses: pd.DataFrame) -> None:
    waves = responses.groupby("item_id")["wave"].unique().map(sorted)
    assert waves["L1_engagement"] == [1]
    assert waves["L2_confidence"] == [2]
    assert waves["L1_satisfaction"] == [1, 2]
    assert responses["respondent_id"].str.fullmatch(r"R[0-9a-f]{12}").all()  # pseudonymised by the import


def test_partner_responses_equal_the_exports(built: Path, responses: pd.DataFrame) -> None:
    columns = item_columns()
    expected: dict[tuple[int, str], list[float]] = defaultdict(list)
    codes = set()
    for wave, path in enumerate(export_files(NAME), start=1):
        for row in read_export(path)[1]:
            if row["Gemeente/stad"] != "Gemeente Lindebeke":
                continue
            codes.add(row["Deelnemerscode"])
            for column, item_id in columns.items():
                if row.get(column):
                    expected[(wave, item_id)].append(value_of(row[column]))
    mine = responses[responses["partner_id"] == "MUN01"]
    got = mine.groupby(["wave", "item_id"])["value"].apply(sorted).to_dict()
    assert {k: sorted(v) for k, v in expected.items()} == got
    assert {k: len(v) for k, v in expected.items()} == mine.groupby(["wave", "item_id"]).size().to_dict()
    assert mine["respondent_id"].nunique() == len(codes)


def test_hand_picked_respondent(built: Path, responses: pd.DataFrame) -> None:
    # MUN01-R01 as the two exports show it (line 193 of the baseline, 195 of the follow-up)
    respondent = pseudonym(demo_salt(NAME).encode("ascii"), f"{NAME}|MUN01-R01", prefix="R", length=12)
    mine = responses[responses["respondent_id"] == respondent]
    assert set(mine["partner_id"]) == {"MUN01"}
    got = {(int(r.wave), r.item_id): (r.activity_id, r.value) for r in mine.itertuples()}
    baseline = {
        "L1_satisfaction": 4,  # Mee eens
        "L1_relevance": 4,
        "L1_engagement": 5,  # Helemaal mee eens
        "L1_recommend": 7,
        # L2_knowledge left empty
        "L2_attitude": 4,
        "L2_commitment": 4,
        "L3_application": 2,  # Niet mee eens
        "L3_drivers": 4,
        "L3_cooperation": 2,
        "L4_results": 3,  # Neutraal
        "L1_rapportcijfer": 8.5,  # 8,5
    }
    follow_up = {
        "L3_application": 5,
        "L3_cooperation": 4,
        "L3_drivers": 4,
        "L4_results": 4,
        "L1_satisfaction": 4,
        "L1_relevance": 5,
        "L1_rapportcijfer": 9,
        "L1_recommend": 10,
        "L2_knowledge": 4,
        "L2_confidence": 4,
        "L2_attitude": 5,
        "L2_commitment": 4,
    }
    assert got == {
        **{(1, k): ("MUN01-A02", v) for k, v in baseline.items()},
        **{(2, k): ("MUN01-A04", v) for k, v in follow_up.items()},
    }


def test_session_dates_of_the_exports_match_the_activity_register(built: Path) -> None:
    register = pd.read_csv(built / "activities.csv").set_index("activity_id")["date"].to_dict()
    for path in export_files(NAME):
        for row in read_export(path)[1]:
            assert parse_date(row["Datum sessie"]) == register[row["Sessiecode"]]


def test_the_developer_tool_writes_the_shipped_exports(tmp_path: Path) -> None:
    """tools/make_exports.py (not part of the package) still writes byte for byte what the demo ships."""
    import importlib.util

    assert importlib.util.find_spec("capeval.demo_exports.make_exports") is None
    tool = Path(__file__).resolve().parent.parent / "tools" / "make_exports.py"
    spec = importlib.util.spec_from_file_location("make_exports", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path / "municipal_tracks")
    shipped = mapping_file("municipal_tracks").parent
    assert sorted(p.name for p in written.iterdir()) == sorted(p.name for p in shipped.iterdir())
    for path in written.iterdir():
        assert path.read_bytes() == (shipped / path.name).read_bytes(), path.name
