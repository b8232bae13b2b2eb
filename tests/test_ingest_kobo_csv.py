"""KoboToolbox CSV (';', every value quoted): group paths, select-multiple both ways, meta columns."""

from __future__ import annotations

import csv
from pathlib import Path

from capeval.ingest import import_exports
from capeval.ingest.sources import read_table
from capeval.validate import validate_programme

HEADER = [
    "start",
    "end",
    "intro/organisation",
    "eval/satisfaction",
    "eval/topics",
    "eval/topics/gis",
    "eval/topics/law",
    "eval/topics/safety",
    "eval/usefulness",
    "open/comment",
    "_id",
    "_uuid",
    "_submission_time",
    "__version__",
    "_validation_status",
    "_index",
]
ROWS = [
    [
        "2025-01-10T10:00:00",
        "2025-01-10T10:05:00",
        "insp_nl",
        "very_satisfied",
        "gis law",
        "1",
        "1",
        "0",
        "4",
        "Joint inspection planned with BE",
        "101",
        "uuid-a",
        "2025-01-10T09:05:00",
        "v1",
        "",
        "1",
    ],
    [
        "2025-01-10T11:00:00",
        "2025-01-10T11:05:00",
        "insp_be",
        "satisfied",
        "safety",
        "0",
        "0",
        "1",
        "5",
        "",
        "102",
        "uuid-b",
        "2025-01-10T10:05:00",
        "v1",
        "",
        "2",
    ],
    [
        "2025-01-11T11:00:00",
        "2025-01-11T11:05:00",
        "insp_be",
        "unsatisfied",
        "",
        "0",
        "0",
        "0",
        "3",
        "",
        "103",
        "uuid-c",
        "2025-01-11T10:05:00",
        "v1",
        "",
        "3",
    ],
]
MAPPING = """
programme: {id: inspectorates, title: Inspector exchanges, waves: [{id: 1, label: "2025"}]}
partners:
  - {partner_id: NL, name: Inspectorate NL}
  - {partner_id: BE, name: Inspectorate BE}
respondent: _uuid
partner: {column: intro/organisation, values: {insp_nl: NL, insp_be: BE}}
items:
  - column: eval/satisfaction
    item_id: satisfaction
    level: L1
    labels: {very_unsatisfied: 1, unsatisfied: 2, neutral: 3, satisfied: 4, very_satisfied: 5}
  - column: eval/topics
    item_id: topics
    level: L2
    multiple: {options: {gis: gis, law: law, safety: safety}}
lessons:
  - fields: {what_changed: open/comment}
    method: oh
"""


def write_kobo_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def test_kobo_csv_select_multiple_space_joined_and_unmapped_rating(tmp_path: Path) -> None:
    export = write_kobo_csv(tmp_path / "Inspector_exchange_-_all_versions.csv")
    assert read_table(export, "kobo").separator == ";"
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    into = tmp_path / "prog"
    report = import_exports("kobo", [export], mapping=mapping, into=into)
    # eval/usefulness holds ratings 3-5 but is neither mapped nor ignored: one problem on the header.
    assert [(p.line, p.column) for p in report.problems] == [(1, "eval/usefulness")]
    assert report.quarantined == {}
    with (into / "responses.csv").open(encoding="utf-8") as handle:
        got = {(r["partner_id"], r["item_id"], r["value"]) for r in csv.DictReader(handle)}
    assert ("NL", "topics.gis", "1") in got and ("NL", "topics.safety", "0") in got
    assert ("BE", "satisfaction", "2") in got
    assert not any(
        item.startswith("topics.") and p == "BE" and v == "1" and item != "topics.safety" for p, item, v in got
    )
    assert report.added["lessons"] == 1
    assert validate_programme(into).problems == []


def test_kobo_option_columns_can_be_mapped_as_0_1_items(tmp_path: Path) -> None:
    export = write_kobo_csv(tmp_path / "k.csv")
    mapping = tmp_path / "map.yaml"
    text = (
        MAPPING.split("  - column: eval/topics", maxsplit=1)[0]
        + "".join(
            f"  - {{column: eval/topics/{o}, item_id: topic_{o}, level: L2, scale_min: 0, scale_max: 1}}\n"
            for o in ("gis", "law", "safety")
        )
        + "ignore: [eval/usefulness, eval/topics, open/comment]\n"
    )
    mapping.write_text(text, encoding="utf-8")
    report = import_exports("kobo", [export], mapping=mapping, into=tmp_path / "prog")
    assert report.problems == []
    assert report.added["responses"] == 3 * 4
