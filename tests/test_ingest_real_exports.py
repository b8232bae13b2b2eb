"""Every real third-party export in ../shared/fixtures/real-exports imports with its mapping and validates."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from capeval.ingest import import_exports, suggest_mapping
from capeval.ingest.mapping import Mapping
from capeval.validate import validate_programme

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real-exports"
MAPPINGS = Path(__file__).resolve().parent / "data" / "mappings"

CASES = [
    ("kobo", "kobo_meeting_form.xlsx", "kobo_meeting_form.yaml"),
    ("kobo", "kobo_nested_groups.xlsx", "kobo_nested_groups.yaml"),
    ("kobo", "kobo_demo_repeats.xlsx", "kobo_demo_repeats.yaml"),
    ("googleforms", "google_forms_responses.csv", "google_forms.yaml"),
    ("googleforms", "google_forms_responses.xlsx", "google_forms.yaml"),
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def folder_text(root: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file() and p.suffix in {".csv", ".yaml"}
    )


@pytest.mark.parametrize(("fmt", "export", "mapping"), CASES, ids=[c[1] for c in CASES])
def test_fixture_imports_validates_and_is_idempotent(tmp_path: Path, fmt: str, export: str, mapping: str) -> None:
    into = tmp_path / "programme"
    first = import_exports(fmt, [FIXTURES / export], mapping=MAPPINGS / mapping, into=into)
    assert first.problems == []
    assert first.added["responses"] > 0
    validated = validate_programme(into)
    assert validated.problems == []
    second = import_exports(fmt, [FIXTURES / export], mapping=MAPPINGS / mapping, into=into)
    assert second.added.get("responses", 0) == 0
    assert second.already_present["responses"] == first.added["responses"]
    assert validate_programme(into).counts() == validated.counts()


def test_meeting_form_ratings_and_comments_arrive_as_responses_and_lessons(tmp_path: Path) -> None:
    into = tmp_path / "meetings"
    report = import_exports(
        "kobo", [FIXTURES / "kobo_meeting_form.xlsx"], mapping=MAPPINGS / "kobo_meeting_form.yaml", into=into
    )
    responses = rows(into / "responses.csv")
    # topics_discussed ratings, read off the sheet: 3 | 5, 3, 4 | 4 | 5, 3, 1
    assert sorted(float(r["value"]) for r in responses) == [1, 3, 3, 3, 4, 4, 5, 5]
    assert {r["item_id"] for r in responses} == {"discussion_rating"}
    assert len({r["respondent_id"] for r in responses}) == 8  # one per rated topic (repeat row)
    by_meeting = {r["activity_id"] for r in responses}
    assert by_meeting == {"M321169978", "M321171150", "M321173759", "M321174226"}
    lessons = rows(into / "lessons.csv")
    assert len(lessons) == 9  # 12 feedback rows, 3 without a comment
    assert {lesson["what_changed"] for lesson in lessons} >= {"meeting was not organised", "we ran out of time"}
    assert {lesson["method"] for lesson in lessons} == {"free"}
    assert "session_1__october_1" in {lesson["domain"] for lesson in lessons}
    activities = {a["activity_id"]: int(a["participants"]) for a in rows(into / "activities.csv")}
    assert activities == {"M321169978": 2, "M321171150": 1, "M321171598": 1, "M321173759": 4, "M321174226": 0}
    assert report.added == {"partners": 1, "activities": 5, "items": 1, "responses": 8, "lessons": 9}


def test_participant_names_and_submitter_never_reach_the_folder(tmp_path: Path) -> None:
    into = tmp_path / "meetings"
    import_exports(
        "kobo", [FIXTURES / "kobo_meeting_form.xlsx"], mapping=MAPPINGS / "kobo_meeting_form.yaml", into=into
    )
    text = folder_text(into).casefold()
    for name in ("charles", "julia", "emma", "amanda", "73a23093-2215"):
        assert name not in text


def test_two_google_form_versions_share_one_mapping(tmp_path: Path) -> None:
    into = tmp_path / "gf"
    mapping = MAPPINGS / "google_forms.yaml"
    import_exports("googleforms", [FIXTURES / "google_forms_responses.csv"], mapping=mapping, into=into)
    report = import_exports("googleforms", [FIXTURES / "google_forms_responses.xlsx"], mapping=mapping, into=into)
    assert any("Your fave fruit?" in note for note in report.notes)
    chosen = {(r["respondent_id"], r["item_id"]) for r in rows(into / "responses.csv") if r["value"] == "1"}
    per_item: dict[str, int] = {}
    for _, item in chosen:
        per_item[item] = per_item.get(item, 0) + 1
    # CSV: Sunday in rows 1, 2, 4; XLSX: "Option 3," (trailing comma) counts as Option 3.
    assert per_item["days.sun"] == 3
    assert per_item["days.opt3"] == 3
    assert per_item["days.opt1"] == 1
    fruit = sorted(r["value"] for r in rows(into / "responses.csv") if r["item_id"] == "fruit")
    assert fruit == ["1", "2", "2", "3", "3"]  # apple, banana x2, orange x2
    assert "maryam" not in folder_text(into).casefold()
    assert "testing1" not in folder_text(into).casefold()
    assert validate_programme(into).problems == []


def test_suggested_mapping_guesses_items_lessons_and_personal_columns() -> None:
    text = suggest_mapping("kobo", FIXTURES / "kobo_meeting_form.xlsx")
    draft = yaml.safe_load(text)
    assert draft["respondent"] == {"column": "_uuid"}
    assert [i["column"] for i in draft["items"]] == ["topics_discussed/topic_details/Discussion_rating"]
    # no form and no stated scale: the answers seen (1-5) do not say the scale, so the draft asks
    assert draft["items"][0]["scale_min"] == "EDIT: scale" and draft["items"][0]["scale_max"] == "EDIT: scale"
    assert "# EDIT: scale" in text
    assert {"fields": {"what_changed": "participants/feedback/Comments"}, "method": "free"} in draft["lessons"]
    assert "participants/Participant_name" in draft["personal"]
    gf = yaml.safe_load(suggest_mapping("googleforms", FIXTURES / "google_forms_responses.csv"))
    assert gf["items"][0]["multiple"]["options"] == {
        "Monday": "monday",
        "Sunday": "sunday",
        "Tuesday": "tuesday",
        "Wednesday": "wednesday",
    }
    assert "Tell me your name!" in gf["personal"]
    assert "Your fave fruit?" in gf["ignore"]  # apple, banana, orange: categories, not a 1-3 scale
    assert Mapping.model_validate(gf).items[0].multiple is not None
