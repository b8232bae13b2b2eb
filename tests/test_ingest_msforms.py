"""Microsoft Forms XLSX with Dutch headers (generated with openpyxl): personal data never in clear."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl

from capeval.ingest import import_exports
from capeval.ingest.pseudonym import SALT_FILE
from capeval.validate import validate_programme

MAPPING = """
programme:
  id: ms-nl
  title: Leertraject
  language: nl
  waves: [{id: 1, label: "2025"}]
partners:
  - {partner_id: P1, name: Gemeente Leuven}
  - {partner_id: P2, name: Gemeente Mechelen}
respondent: {column: Id, namespace: msforms-leertraject}
partner: {column: Organisatie, values: {Leuven: P1, Mechelen: P2}}
wave: 1
items:
  - column: Ik ben tevreden over de sessie
    item_id: tevreden
    text_nl: Ik ben tevreden over de sessie
    level: L1
    dimension: satisfaction
    labels: {Zeer ontevreden: 1, Ontevreden: 2, Neutraal: 3, Tevreden: 4, Zeer tevreden: 5}
  - column: Welke onderdelen waren nuttig?
    item_id: nuttig
    text_nl: Welke onderdelen waren nuttig?
    level: L1
    dimension: relevance
    multiple: {options: {Theorie: theorie, Oefeningen: oefeningen, Intervisie: intervisie}}
lessons:
  - fields: {what_changed: "Wat neemt u mee naar uw praktijk?"}
"""
HEADER = [
    "Id",
    "Begintijd",
    "Tijd van voltooien",
    "E-mail",
    "Naam",
    "Organisatie",
    "Ik ben tevreden over de sessie",
    "Welke onderdelen waren nuttig?",
    "Wat neemt u mee naar uw praktijk?",
]
ROWS = [
    [
        1,
        datetime(2025, 5, 2, 9, 0),
        datetime(2025, 5, 2, 9, 4),
        "an.peeters@leuven.be",
        "An Peeters",
        "Leuven",
        "Zeer tevreden",
        "Theorie;Oefeningen;",
        "De checklist voor inspecties",
    ],
    [
        2,
        datetime(2025, 5, 2, 9, 1),
        datetime(2025, 5, 2, 9, 6),
        "jan@mechelen.be",
        "Jan Janssens",
        "Mechelen",
        "Tevreden",
        "Intervisie;",
        None,
    ],
    [
        3,
        datetime(2025, 5, 2, 9, 2),
        datetime(2025, 5, 2, 9, 7),
        "piet@brugge.be",
        "Piet Pieters",
        "Brugge",
        "Tevreden",
        "Theorie;",
        "Niets",
    ],
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_dutch_ms_forms_imports_without_personal_data(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    export = write_xlsx(tmp_path / "Leertraject(1-3).xlsx", ROWS)
    into = tmp_path / "prog"
    report = import_exports("msforms", [export], mapping=mapping, into=into)
    # Brugge is no partner: row 4 of the sheet is quarantined, the rest imports.
    assert [(p.file, p.line, p.column) for p in report.problems] == [
        ("Leertraject(1-3).xlsx[Sheet1]", 4, "Organisatie")
    ]
    assert report.quarantined == {"Leertraject(1-3)": 1}
    assert report.added["responses"] == 2 + 2 * 3
    assert report.added["lessons"] == 1
    assert validate_programme(into).problems == []
    everything = "\n".join(p.read_text(encoding="utf-8") for p in into.rglob("*.*") if p.is_file()).casefold()
    for secret in (
        "an.peeters@leuven.be",
        "an peeters",
        "jan janssens",
        "jan@mechelen.be",
        "piet@brugge.be",
        "piet pieters",
    ):
        assert secret not in everything
    assert (into / SALT_FILE).is_file()
    with (into / "responses.csv").open(encoding="utf-8") as handle:
        chosen = {(r["partner_id"], r["item_id"]): r["value"] for r in csv.DictReader(handle)}
    assert chosen[("P1", "tevreden")] == "5"
    assert chosen[("P1", "nuttig.oefeningen")] == "1"
    assert chosen[("P2", "nuttig.theorie")] == "0"


def test_pseudonyms_are_stable_across_imports_into_the_same_folder(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    into = tmp_path / "prog"
    import_exports("msforms", [write_xlsx(tmp_path / "a.xlsx", ROWS[:1])], mapping=mapping, into=into)
    again = import_exports("msforms", [write_xlsx(tmp_path / "b.xlsx", ROWS[:2])], mapping=mapping, into=into)
    assert again.already_present["responses"] == 4  # respondent Id 1 (1 rating + 3 options) came from a.xlsx
    assert again.added["responses"] == 4
    other = tmp_path / "other"
    import_exports("msforms", [write_xlsx(tmp_path / "c.xlsx", ROWS[:1])], mapping=mapping, into=other)
    ids = {
        (into / "responses.csv").read_text().splitlines()[1].split(",")[0],
        (other / "responses.csv").read_text().splitlines()[1].split(",")[0],
    }
    assert len(ids) == 2  # another folder has another salt
