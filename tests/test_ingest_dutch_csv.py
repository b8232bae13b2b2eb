"""Dutch and Belgian CSV: ';', decimal comma, cp1252 or UTF-8 BOM, dates 21-11-2026 — detected, not asked."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capeval.ingest import import_exports
from capeval.ingest.cells import parse_date, parse_number
from capeval.ingest.sources import read_table
from capeval.validate import validate_programme

MAPPING = """
programme:
  id: vlaanderen
  title: Leertrajecten lokaal mondiaal beleid
  language: nl
  waves: [{id: 1, label: "2026"}]
  activity_types: [workshop]
partners:
  - {partner_id: GENT, name: Gent}
  - {partner_id: LEUVEN, name: Leuven}
respondent: {column: Respondentnr}
partner: {column: Gemeente, values: {Gent: GENT, Leuven: LEUVEN}}
wave: {column: Golf}
activity:
  column: Sessie
  prefix: S-
  create:
    type: workshop
    date: {column: Datum}
    participants: {column: Deelnemers}
    hours: {column: Uren}
items:
  - {column: Cijfer, item_id: cijfer, text_nl: "Welk cijfer geeft u de sessie?", level: L1, dimension: satisfaction,
     scale_min: 1, scale_max: 10}
  - {column: Toepasbaarheid, item_id: toepasbaar, text_nl: Toepasbaarheid in de eigen gemeente, level: L3,
     dimension: application, criterion: effectiveness,
     labels: {Helemaal mee eens: 5, Mee eens: 4, Neutraal: 3, Oneens: 2, Helemaal oneens: 1}}
lessons:
  - fields: {what_changed: "Wat is er veranderd?", significance: "Waarom belangrijk?"}
    method: msc
    consent_to_quote: {column: Citeren}
"""
HEADER = [
    "Respondentnr",
    "Gemeente",
    "Golf",
    "Sessie",
    "Datum",
    "Deelnemers",
    "Uren",
    "Cijfer",
    "Toepasbaarheid",
    "Wat is er veranderd?",
    "Waarom belangrijk?",
    "Citeren",
]
ROWS = [
    [
        "101",
        "Gent",
        "1",
        "Aankoop",
        "21-11-2026",
        "12",
        "3,5",
        "7,5",
        "Helemaal mee eens",
        "Fairtrade-criteria in élk bestek",
        "Voorbeeld voor andere diensten",
        "ja",
    ],
    ["102", "Gent", "1", "Aankoop", "21-11-2026", "12", "3,5", "8", "Mee eens", "", "", "nee"],
    [
        "103",
        "Leuven",
        "1",
        "Bankieren",
        "02-12-2026",
        "9",
        "2",
        "6,5",
        "Neutraal",
        "Schepen stelt vragen aan de bank",
        "",
        "nee",
    ],
]


def write(path: Path, encoding: str, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_dutch_csv_detects_encoding_separator_decimal_comma_and_dates(tmp_path: Path, encoding: str) -> None:
    export = write(tmp_path / "evaluatie.csv", encoding)
    read = read_table(export, "csv")
    assert (read.separator, read.decimal) == (";", ",")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    into = tmp_path / "prog"
    report = import_exports("csv", [export], mapping=mapping, into=into)
    assert report.problems == []
    with (into / "responses.csv").open(encoding="utf-8") as handle:
        values = [(r["activity_id"], r["item_id"], r["value"]) for r in csv.DictReader(handle)]
    assert ("S-Aankoop", "cijfer", "7.5") in values
    assert ("S-Bankieren", "cijfer", "6.5") in values
    with (into / "activities.csv").open(encoding="utf-8") as handle:
        activities = {r["activity_id"]: (r["date"], r["participants"], r["hours"]) for r in csv.DictReader(handle)}
    assert activities == {"S-Aankoop": ("2026-11-21", "12", "3.5"), "S-Bankieren": ("2026-12-02", "9", "2")}
    lessons = (into / "lessons.csv").read_text(encoding="utf-8")
    assert "Fairtrade-criteria in élk bestek" in lessons  # the accent survived cp1252
    assert validate_programme(into).problems == []


def test_out_of_scale_decimal_comma_is_quarantined(tmp_path: Path) -> None:
    rows = [*ROWS, ["104", "Leuven", "1", "Bankieren", "02-12-2026", "9", "2", "10,5", "Neutraal", "", "", "nee"]]
    export = write(tmp_path / "evaluatie.csv", "cp1252", rows)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    report = import_exports("csv", [export], mapping=mapping, into=tmp_path / "prog")
    assert [(p.line, p.column) for p in report.problems] == [(5, "Cijfer")]
    assert "10.5 outside the scale 1–10" in report.problems[0].message


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_comma_numbers_round_trip(whole: int, cents: int) -> None:
    text = f"{whole},{cents:02d}"
    expected = float(f"{whole}.{cents:02d}")
    assert parse_number(text, ",") == pytest.approx(expected)
    assert parse_number(text.replace(",", "."), ".") == pytest.approx(expected)
    if abs(whole) >= 1000:
        grouped = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
        assert parse_number(grouped, ",") == pytest.approx(expected)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_day_first_dates_parse(day: date) -> None:
    assert parse_date(day.strftime("%d-%m-%Y")) == day.isoformat()
    assert parse_date(day.isoformat()) == day.isoformat()
    assert parse_date(day.strftime("%d/%m/%Y")) == day.isoformat()


def test_unparseable_cells_are_none() -> None:
    assert parse_number("3,5", ".") is None  # a comma in a point-decimal file is not silently read
    assert parse_number("drie", ",") is None
    assert parse_date("32-13-2026") is None
    assert parse_date("2023/11/13 4:20:37 pm CET") == "2023-11-13"
