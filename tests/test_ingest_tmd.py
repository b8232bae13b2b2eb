"""ELIXIR Training Metrics Database files import without a mapping (fixtures in ../shared/fixtures/tmd)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from capeval.ingest import import_exports
from capeval.ingest.tmd_questions import code_book
from capeval.validate import validate_programme

TMD = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "tmd"
EXAMPLE = TMD / "example-data"
FILES = [
    EXAMPLE / f
    for f in ("tango_events.csv", "tango_demographics.csv", "tango_qualities.csv", "tango_impacts.csv", "nodes.csv")
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("tmd") / "programme"
    report = import_exports("tmd", FILES, mapping=None, into=into)
    assert report.problems == []
    return into


def test_code_book_ships_21_questions_with_levels() -> None:
    book = code_book()
    assert len(book.questions) == 21
    levels = {q.slug: q.level for q in book.questions if q.table == "items"}
    assert {lvl for s, lvl in levels.items() if s.startswith("Quality.")} <= {"L1", "L2"}
    assert {lvl for s, lvl in levels.items() if s.startswith("Impact.")} <= {"L3", "L4"}
    assert sum(q.table == "demographics" for q in book.questions) == 5


def test_example_data_imports_and_validates(imported: Path) -> None:
    validated = validate_programme(imported)
    assert validated.problems == []
    assert validated.counts()["activities"] == (20, 0)
    partners = {p["partner_id"]: p for p in rows(imported / "partners.csv")}
    events = rows(EXAMPLE / "tango_events.csv")
    assert set(partners) == {e["node_main"] for e in events}
    assert partners["ELIXIR-IL"]["country"] == "Israel"
    # 200 quality rows x 6 items + 200 impact rows x (8 single-choice + 6 + 8 options)
    assert validated.counts()["responses"] == (200 * 6 + 200 * (8 + 6 + 8), 0)


def test_response_rate_per_event(imported: Path) -> None:
    qualities = rows(EXAMPLE / "tango_qualities.csv")
    expected = sum(1 for q in qualities if q["event"] == "6374")
    activity = next(a for a in rows(imported / "activities.csv") if a["activity_id"] == "6374")
    assert activity["partner_id"] == "ELIXIR-IL"
    assert activity["participants"] == "32"
    assert int(activity["responses_received"]) == expected
    assert float(activity["response_rate"]) == pytest.approx(expected / 32, abs=0.001)


def test_every_option_is_an_item_even_if_nobody_chose_it(imported: Path) -> None:
    items = {i["item_id"]: i for i in rows(imported / "items.csv")}
    assert "impact.attending_led_to.publication" in items
    assert items["quality.course_rating"]["labels"].startswith("1=Poor (1); 2=Satisfactory (2)")
    assert items["impact.how_often_use_after"]["codebook"] == items["impact.how_often_use_before"]["codebook"]
    assert (items["impact.how_often_use_after"]["scale_min"], items["impact.how_often_use_after"]["scale_max"]) == (
        "1",
        "5",
    )


def test_multi_choice_cells_are_expanded_and_aliases_applied(imported: Path) -> None:
    responses = rows(imported / "responses.csv")
    impacts = rows(EXAMPLE / "tango_impacts.csv")
    chose_career = sum("Change in career" in r["attending_led_to"] for r in impacts)
    assert (
        sum(r["item_id"] == "impact.attending_led_to.career_change" and r["value"] == "1" for r in responses)
        == chose_career
    )
    typo = sum(r["main_attend_reason"].startswith("To build an existing") for r in impacts)
    assert typo > 0  # the value-alias table's known misspelling is in the example data
    reasons = [r for r in responses if r["item_id"] == "impact.main_attend_reason" and r["value"] == "3"]
    assert len(reasons) == typo + sum(
        r["main_attend_reason"].startswith("To build on existing knowledge to aid") for r in impacts
    )
    demographics = rows(imported / "demographics.csv")
    heard = rows(EXAMPLE / "tango_demographics.csv")
    assert sum(d["question_id"] == "demographic.heard_from" for d in demographics) == sum(
        len(h["heard_from"].split(", ")) for h in heard
    )


def test_second_import_adds_nothing(imported: Path) -> None:
    report = import_exports("tmd", FILES, mapping=None, into=imported)
    assert not any(report.added.values())
    assert report.already_present["responses"] == 200 * 6 + 200 * 22


def test_upload_templates_with_question_text_headers(tmp_path: Path) -> None:
    events_header = (TMD / "templates" / "events-template.csv").read_text(encoding="utf-8").splitlines()[0]
    events = tmp_path / "events.csv"
    events.write_text(
        events_header
        + '\nIntro to Galaxy,ELIXIR-BE,2024-05-02,2024-05-03,Training - face to face,ELIXIR Node,VIB,"Gent, Belgium",,Industry,Tools,Galaxy,20,3,https://example.org\n',
        encoding="utf-8",
    )
    quality_header = (
        (TMD / "templates" / "metrics-demographic-quality-template.csv").read_text(encoding="utf-8").splitlines()[0]
    )
    quality = tmp_path / "quality.csv"
    with quality.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(next(csv.reader([quality_header])))
        code = "intro_to_galaxy_2024_05_02"
        writer.writerow(
            [
                code,
                "TeSS, Colleague",
                "PhD candidate",
                "Industry",
                "Belgium",
                "Female",
                "Never - unaware of them",
                "Yes",
                "Yes",
                "Excellent (5)",
                "No",
                "About right",
            ]
        )
        writer.writerow([code, "", "", "", "", "", "", "", "Maybe", "Superb", "", ""])
        writer.writerow(["9999", "", "", "", "", "", "", "", "Yes", "Good (3)", "", ""])
    into = tmp_path / "prog"
    report = import_exports("tmd", [quality, events], mapping=None, into=into)
    assert [(p.line, p.column) for p in report.problems] == [
        (3, "Please tell us your overall rating for the entire course"),
        (4, "event_code"),
    ]
    assert "unknown answer label 'Superb'" in report.problems[0].message
    assert report.quarantined == {"quality": 2}
    activity = rows(into / "activities.csv")[0]
    assert (
        activity["activity_id"],
        activity["partner_id"],
        activity["responses_received"],
        activity["response_rate"],
    ) == (code, "ELIXIR-BE", "1", "0.050")
    assert {d["answer"] for d in rows(into / "demographics.csv")} == {
        "TeSS",
        "Colleague",
        "PhD candidate",
        "Industry",
        "Belgium",
        "Female",
    }
    assert validate_programme(into).problems == []
