"""The bundled demo programmes: valid, realistic in shape, and byte-for-byte reproducible."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from capeval.demo import DEMO_PROGRAMMES, IMPORTED, build_demo
from capeval.demo_data import DemoSpec, demo_specs
from capeval.errors import ProgrammeError
from capeval.schema import DAC_CRITERIA
from capeval.table_specs import TABLES
from capeval.validate import Validated, validate_programme

CORE = {"tracks", "partners", "activities", "items", "responses", "portfolio", "scaling", "lessons"}
# The optional tables of the source documents' own concepts, in the demo programme each belongs to.
OPTIONAL = {
    "regional_networks": {"milestones", "lesson_themes"},
    "municipal_tracks": {"milestones", "lesson_themes"},
    "inspectorates": {"milestones", "lesson_themes"},
    "erasmus_partnership": {"lesson_themes"},
    "expertise_pilots": {"lesson_themes"},
}
FILES = ("programme.yaml", *(TABLES[name].file for name in CORE))
# What an import adds to items.csv after the schema's columns (see docs/mapping.md).
IMPORT_ITEM_COLUMNS = ["question_id", "kind", "labels"]


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    build_demo(root)
    return root


@pytest.fixture(scope="module")
def validated(demo_root: Path) -> dict[str, Validated]:
    return {name: validate_programme(demo_root / name) for name in DEMO_PROGRAMMES}


def test_five_programmes_in_order() -> None:
    assert DEMO_PROGRAMMES == (
        "inspectorates",
        "regional_networks",
        "erasmus_partnership",
        "expertise_pilots",
        "municipal_tracks",
    )


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_programme_validates_with_zero_problems(validated: dict[str, Validated], name: str) -> None:
    result = validated[name]
    assert [str(p) for p in result.problems] == []
    assert result.present == CORE | OPTIONAL.get(name, set())
    assert not result.rejected


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_columns_exactly_as_schema(demo_root: Path, name: str) -> None:
    for spec in (TABLES[table] for table in CORE | OPTIONAL.get(name, set())):
        header = (demo_root / name / spec.file).read_text(encoding="utf-8").splitlines()[0]
        extra = IMPORT_ITEM_COLUMNS if name in IMPORTED and spec.name == "items" else []
        assert header.split(",") == [c.name for c in spec.columns] + extra, spec.file


def test_some_programme_is_imported_from_raw_exports() -> None:
    assert "municipal_tracks" in IMPORTED


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_partner_and_respondent_counts(validated: dict[str, Validated], name: str) -> None:
    tables = validated[name].tables
    assert 10 <= len(tables["partners"]) <= 40
    per_partner = tables["responses"].groupby("partner_id")["respondent_id"].nunique()
    assert set(per_partner.index) == set(tables["partners"]["partner_id"])
    assert per_partner.between(2, 60).all()
    assert (per_partner < validated[name].config.min_group_size).sum() >= 2
    assert (per_partner >= 20).sum() >= 3


def test_partner_counts_vary(validated: dict[str, Validated]) -> None:
    assert len({len(v.tables["partners"]) for v in validated.values()}) == len(DEMO_PROGRAMMES)


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_waves_pairing_and_activities(validated: dict[str, Validated], name: str) -> None:
    result = validated[name]
    assert result.config.wave_ids == [1, 2]
    responses = result.tables["responses"]
    waves_per_respondent = responses.groupby("respondent_id")["wave"].nunique()
    assert (waves_per_respondent == 2).any() and (waves_per_respondent == 1).any()
    activities = result.tables["activities"]
    per_partner = activities.groupby("partner_id").size()
    assert per_partner.between(3, 12).all()
    assert activities["participants"].between(3, 40).all()
    years = {w.id: w.year for w in result.config.waves}
    dated = responses.merge(activities[["activity_id", "date"]], on="activity_id")
    assert (dated["date"].dt.year == dated["wave"].map(years)).all()
    answered = responses.groupby("activity_id")["respondent_id"].nunique()
    assert (answered <= activities.set_index("activity_id").loc[answered.index, "participants"]).all()


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_items_levels_and_criteria(validated: dict[str, Validated], name: str) -> None:
    items = validated[name].tables["items"]
    assert 10 <= len(items) <= 20
    assert set(items["level"]) == {"L1", "L2", "L3", "L4"}
    assert items["text_nl"].notna().all() and items["text_en"].notna().all()


def test_some_criterion_has_no_items(validated: dict[str, Validated]) -> None:
    uncovered = {
        name: set(DAC_CRITERIA) - set(v.tables["items"]["criterion"].dropna()) for name, v in validated.items()
    }
    assert any(uncovered.values())


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_portfolio_scaling_and_lessons_shape(validated: dict[str, Validated], name: str) -> None:
    tables = validated[name].tables
    raters = tables["portfolio"].groupby(["partner_id", "wave"])["respondent_id"].nunique()
    assert raters.between(1, 4).all() and (raters > 1).any()
    scaling = tables["scaling"]
    assert scaling.groupby(["unit_id", "wave"])["rater"].nunique().between(2, 3).all()
    assert set(scaling["ingredient"]) == {i.id for i in validated[name].config.scaling_ingredients}
    lessons = tables["lessons"]
    assert lessons.groupby("partner_id").size().between(2, 5).all()
    assert set(lessons["method"]) == {"msc", "oh", "aar", "free"}
    assert lessons["what_changed"].str.contains(r"@|\d{2}[ -]?\d{2}", regex=True).sum() >= 2


def test_dutch_programmes_are_dutch(validated: dict[str, Validated]) -> None:
    for name, result in validated.items():
        expected = "nl" if name in ("regional_networks", "municipal_tracks") else "en"
        assert result.config.language == expected, name


def test_regional_networks_has_the_eight_services(validated: dict[str, Validated]) -> None:
    services = validated["regional_networks"].config.services
    assert [s.label for s in services] == [
        "Gekwalificeerd arbeidspotentieel",
        "Tijdelijke arbeidskrachten",
        "Probleemoplossend vermogen",
        "Inbreng van nieuwe kennis",
        "Faciliteren van leernetwerken",
        "Bijscholen",
        "Opscholen",
        "Omscholen",
    ]
    assert all(s.id.isascii() and s.id == s.id.lower() for s in services)


def test_municipal_tracks_has_seven_tracks(validated: dict[str, Validated]) -> None:
    tracks = validated["municipal_tracks"].tables["tracks"]
    assert len(tracks) == 7
    assert set(validated["municipal_tracks"].tables["partners"]["track_id"]) == set(tracks["track_id"])


def test_build_is_byte_identical(demo_root: Path, tmp_path: Path) -> None:
    build_demo(tmp_path)
    for name in DEMO_PROGRAMMES:
        for file in FILES:
            assert (tmp_path / name / file).read_bytes() == (demo_root / name / file).read_bytes(), f"{name}/{file}"


def test_only_builds_the_named_programmes_identically(demo_root: Path, tmp_path: Path) -> None:
    paths = build_demo(tmp_path, only=["municipal_tracks"])
    assert paths == [tmp_path / "municipal_tracks"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["municipal_tracks"]
    new, old = tmp_path / "municipal_tracks", demo_root / "municipal_tracks"
    for file in FILES:
        assert (new / file).read_bytes() == (old / file).read_bytes(), file


def test_build_overwrites(tmp_path: Path) -> None:
    build_demo(tmp_path, only=["erasmus_partnership"])
    target = tmp_path / "erasmus_partnership" / "partners.csv"
    original = target.read_bytes()
    target.write_text("garbage", encoding="utf-8")
    build_demo(tmp_path, only=["erasmus_partnership"])
    assert target.read_bytes() == original
    assert not pd.read_csv(target).empty


def test_unknown_programme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown demo programme"):
        build_demo(tmp_path, only=["nope"])


@pytest.mark.parametrize("spec", demo_specs(), ids=lambda s: s.id)
def test_a_lesson_is_about_its_own_track(validated: dict[str, Validated], spec: DemoSpec) -> None:
    lessons = validated[spec.id].tables["lessons"]
    text = (
        lessons[["what_changed", "significance", "contribution", "planned", "why_gap"]].fillna("").agg(" ".join, axis=1)
    )
    topics = {t.id: t.topics for t in spec.tracks}
    elsewhere = [
        lesson
        for lesson, track, said in zip(lessons["lesson_id"], lessons["track_id"], text, strict=True)
        if any(topic in said for other, named in topics.items() if other != track for topic in named)
    ]
    assert elsewhere == []
    own = [any(topic in said for topic in topics[track]) for track, said in zip(lessons["track_id"], text, strict=True)]
    # a lesson with a method's context (how the programme contributed; planned and actual) names its topic there
    assert all(o for o, method in zip(own, lessons["method"], strict=True) if method != "free")


def test_each_concept_is_in_the_programme_it_belongs_to(validated: dict[str, Validated]) -> None:
    regional = validated["regional_networks"]
    steps = regional.tables["milestones"].groupby("unit_id")["step"].apply(list)
    assert set(steps.index) == set(regional.tables["partners"]["partner_id"])
    assert steps.map(len).eq(6).all() and regional.config.milestone_steps[0].id == "inventory"
    assert [c.label for c in regional.config.commitments][1] == "Afspraken nakomen"
    municipal = validated["municipal_tracks"]
    assert municipal.tables["milestones"].groupby("unit_id").size().to_dict() == dict.fromkeys(
        municipal.tables["tracks"]["track_id"], 3
    )
    assert [p.id for p in validated["erasmus_partnership"].config.priorities] == ["inclusion", "digital", "civic"]
    assert "av_financial_contribution" in {a.id for a in validated["expertise_pilots"].config.added_value}
    assert "financial_contribution" not in {s.id for s in validated["expertise_pilots"].config.services}
    inspectorates = validated["inspectorates"]
    assert inspectorates.config.event_feedback is not None
    conferences = inspectorates.tables["activities"].query("type == 'conference'")
    assert len(conferences) == 2
    answered = inspectorates.tables["responses"].query("activity_id in @conferences.activity_id")
    assert set(answered["item_id"].str.removeprefix("L1_")) == {
        d.id for d in inspectorates.config.event_feedback.dimensions
    }


def test_a_mistake_in_the_demo_data_is_named() -> None:
    spec = demo_specs()[0].model_dump()
    spec["partners"][0]["track"] = "no_such_track"
    with pytest.raises(ValueError, match="no_such_track"):
        DemoSpec.model_validate(spec)
    spec = demo_specs()[0].model_dump()
    spec["tracks"][0]["lessons"][0]["significance"] = None
    spec["tracks"][0]["lessons"][0]["method"] = "msc"
    with pytest.raises(ValueError, match="needs significance"):
        DemoSpec.model_validate(spec)
    assert issubclass(ProgrammeError, ValueError)


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_tracks_say_who_takes_part_and_types_what_was_done(validated: dict[str, Validated], name: str) -> None:
    """An activity's track is its partner's track (the network's event has none); no type is tied to a track."""
    tables = validated[name].tables
    track_of = tables["partners"].set_index("partner_id")["track_id"]
    tracked = tables["activities"].dropna(subset=["track_id"])
    assert (tracked["track_id"] == tracked["partner_id"].map(track_of)).all()
    # two types or more answered by at least 5 respondents per wave in some track: results per type show there
    typed = tables["responses"].merge(tracked[["activity_id", "type", "track_id"]], on="activity_id")
    per_type = typed.groupby(["track_id", "wave", "type"])["respondent_id"].nunique()
    assert (per_type >= 5).groupby(level=["track_id", "wave"]).sum().max() >= 2
    assert (per_type < 5).any()  # and small ones the release hides


@pytest.mark.parametrize("name", DEMO_PROGRAMMES)
def test_lessons_are_distinct_and_themes_confirmed(validated: dict[str, Validated], name: str) -> None:
    tables = validated[name].tables
    lessons, themes = tables["lessons"], tables["lesson_themes"]
    assert not lessons["what_changed"].duplicated().any()  # no two partners say the same by accident
    spec = next(s for s in demo_specs() if s.id == name)
    assert set(themes["theme"]) == {r.theme for r in spec.recurring}
    shared = themes.merge(lessons, on="lesson_id").groupby("theme")["partner_id"].nunique()
    assert (shared >= 2).all()  # each confirmed theme is a roll-out candidate
    adopted = lessons.dropna(subset=["adopted_by"])
    assert len(adopted) >= 2 and adopted["artefact"].notna().all()


def test_inspectorates_tracks_are_expert_teams_not_interventions(validated: dict[str, Validated]) -> None:
    result = validated["inspectorates"]
    names = set(result.tables["tracks"]["name"])
    assert all(name.endswith("expert team") for name in names)
    assert not names & {t.label.capitalize() + "s" for t in result.config.activity_types}


@pytest.mark.parametrize("spec", demo_specs(), ids=lambda s: s.id)
def test_each_demo_has_the_evaluators_words(demo_root: Path, spec: DemoSpec) -> None:
    folder = demo_root / spec.id / "narrative"
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))
    assert "programme.md" in written
    assert any(w.startswith("partners/") for w in written) and any(w.startswith("tracks/") for w in written)
    for w in written:  # in the programme's language, or the one its name says (MUN01.en.md)
        language = w.split(".")[-2] if w.count(".") == 2 else spec.language
        summary = "## Samenvatting" if language == "nl" else "## Summary"
        assert summary in (folder / w).read_text(encoding="utf-8"), w
