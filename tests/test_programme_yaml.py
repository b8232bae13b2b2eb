"""programme.yaml forgives: the short forms a person writes first, YAML 1.2, problems grouped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from capeval.cli import main
from capeval.ingest import MappingError, import_exports
from capeval.validate import validate_programme

SMALL_HEAD = """id: small
title: Small test programme
language: en
min_group_size: 2
allow_small_groups: true
min_comments: 2
"""


def set_programme(small: Path, rest: str) -> None:
    (small / "programme.yaml").write_text(SMALL_HEAD + rest, encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_waves_as_years_are_ids_the_tables_use(small: Path) -> None:
    set_programme(small, "waves: [2024, 2025]\nservices: [training, knowledge]\n")
    for name in ("responses.csv", "portfolio.csv", "activities.csv"):
        lines = (small / name).read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        wave = header.index("wave") if "wave" in header else None
        if wave is None:
            continue
        rows = [line.split(",") for line in lines[1:]]
        for row in rows:
            row[wave] = {"1": "2024", "2": "2025"}[row[wave]]
        (small / name).write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    result = validate_programme(small)
    assert [(w.id, w.label, w.year) for w in result.config.waves] == [(2024, "2024", 2024), (2025, "2025", 2025)]
    assert result.problems == []
    assert sorted(result.tables["responses"]["wave"].unique().tolist()) == [2024, 2025]


@pytest.mark.parametrize(
    ("written", "waves"),
    [
        ("[1, 2]", [(1, "1", None), (2, "2", None)]),
        ("[nulmeting, vervolgmeting]", [(1, "nulmeting", None), (2, "vervolgmeting", None)]),
        ("['1', '2']", [(1, "1", None), (2, "2", None)]),
        ("[{id: 1, label: baseline, year: 2024}, 2]", [(1, "baseline", 2024), (2, "2", None)]),
    ],
)
def test_other_short_forms_of_waves(small: Path, written: str, waves: list[tuple[int, str, int | None]]) -> None:
    set_programme(small, f"waves: {written}\nservices: [training, knowledge]\n")
    result = validate_programme(small)
    assert [(w.id, w.label, w.year) for w in result.config.waves] == waves
    assert result.counts()["responses"] == (6, 0)


def test_services_and_ingredients_as_bare_labels(small: Path) -> None:
    set_programme(
        small,
        "waves: [1, 2]\nservices: [Further training, Input of new knowledge]\n"
        "scaling_ingredients: [Leadership, Finance & funding, Één visie]\n",
    )
    # the tables may name a service by its label (any case) or by its id
    replace_in(small / "portfolio.csv", ",training,", ",Further Training,")
    replace_in(small / "portfolio.csv", "knowledge", "input_of_new_knowledge")
    (small / "scaling.csv").write_text(
        "unit_id,wave,rater,ingredient,score,rationale\n"
        "P1,1,r1,leadership,4,\nP1,1,r1,Finance & funding,3,\nP1,1,r1,een_visie,2,\n",
        encoding="utf-8",
    )
    result = validate_programme(small)
    assert [(s.id, s.label) for s in result.config.services] == [
        ("further_training", "Further training"),
        ("input_of_new_knowledge", "Input of new knowledge"),
    ]
    assert [(i.id, i.label) for i in result.config.scaling_ingredients] == [
        ("leadership", "Leadership"),
        ("finance_funding", "Finance & funding"),
        ("een_visie", "Één visie"),
    ]
    assert result.problems == []
    assert result.tables["portfolio"]["service"].iloc[0] == "further_training"
    assert sorted(set(result.tables["portfolio"]["service"])) == ["further_training", "input_of_new_knowledge"]
    assert result.tables["scaling"]["ingredient"].tolist() == ["leadership", "finance_funding", "een_visie"]


def test_yaml_1_2_no_yes_and_leading_zeros(small: Path) -> None:
    set_programme(small, "waves: [1, 2]\nservices: [training, knowledge]\n")
    replace_in(small / "programme.yaml", "title: Small test programme", "title: no")
    replace_in(small / "programme.yaml", "min_comments: 2", "min_comments: 010")
    config = validate_programme(small).config
    assert config.title == "no"  # YAML 1.1 read it as false
    assert config.min_comments == 10  # YAML 1.1 read it as 8 (octal)


def test_yaml_1_2_keeps_dates_and_underscores_as_the_text_written(small: Path) -> None:
    set_programme(
        small,
        "waves:\n  - {id: 1, label: 2024-01-01 12:00:00, year: 2024}\n  - {id: 2, label: !!timestamp 2025-01-01}\n"
        "services: [1_000, training]\n",
    )
    config = validate_programme(small).config
    # YAML 1.1 read a datetime and wrote it back as '2024-01-01T12:00:00'
    assert [w.label for w in config.waves] == ["2024-01-01 12:00:00", "2025-01-01"]
    assert [s.label for s in config.services] == ["1_000", "training"]  # YAML 1.1: the number 1000


def test_an_unknown_ingredient_on_24_rows_is_one_line(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"P1,1,rater{k},leadership,3,\n" for k in range(24))
    (small / "scaling.csv").write_text("unit_id,wave,rater,ingredient,score,rationale\n" + rows, encoding="utf-8")
    assert main(["validate", str(small)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "scaling.csv:2: ingredient: unknown value 'leadership' on 24 rows (lines 2, 3, 4, … 25); expected "
        "programme.yaml scaling_ingredients: technology, awareness, evidence, business_case, finance, value_chain, "
        "knowledge_skills, collaboration, leadership_management, public_sector_governance"
    ]
    assert "scaling: 0 kept, 24 rejected" in captured.err
    # nothing lost: every row is quarantined with its own reason
    with (small / "_rejected" / "scaling.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 24


def test_a_refused_item_is_one_line_not_one_per_answer(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace_in(small / "items.csv", "Q1,Tevredenheid,Satisfaction,L1", "Q1,Tevredenheid,Satisfaction,L9")
    assert main(["validate", str(small)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "items.csv:2: level: unknown value 'L9' (expected one of L1, L2, L3, L4)"
    assert lines[1] == "responses.csv:2: item_id: unknown item_id 'Q1' on 3 rows (lines 2, 4, 6); not in items.csv"
    assert len(lines) == 2


MAPPING = """
programme: {id: short, title: Short forms, waves: [2026], services: [Bijscholen]}
partners: [{partner_id: P1, name: Partner one}]
respondent: Nr
partner: P1
wave: 2026
items:
  - {column: Cijfer, item_id: cijfer, text_en: Grade, scale_min: 1, scale_max: 10}
"""


def test_an_import_writes_short_forms_out_and_adds_waves_to_them(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Nr,Cijfer\n1,7\n2,8\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    into = tmp_path / "programme"
    import_exports("csv", [export], mapping=tmp_path / "map.yaml", into=into)
    written = yaml.safe_load((into / "programme.yaml").read_text(encoding="utf-8"))
    assert written["waves"] == [{"id": 2026, "label": "2026", "year": 2026}]
    assert written["services"] == [{"id": "bijscholen", "label": "Bijscholen"}]
    # a person shortens programme.yaml; a later import with a new wave adds it
    (into / "programme.yaml").write_text("id: short\ntitle: Short forms\nwaves: [2026]\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(
        MAPPING.replace("waves: [2026]", "waves: [2026, 2027]").replace("wave: 2026", "wave: 2027"), encoding="utf-8"
    )
    import_exports("csv", [export], mapping=tmp_path / "map.yaml", into=into)
    result = validate_programme(into)
    assert result.config.wave_ids == [2026, 2027]
    assert result.counts()["responses"] == (4, 0)


def test_a_mapping_programme_block_is_checked_in_our_words(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Nr,Cijfer\n1,7\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(
        MAPPING.replace("waves: [2026]", "waves: [{id: one}], ingredients: [x]"), encoding="utf-8"
    )
    with pytest.raises(MappingError) as caught:
        import_exports("csv", [export], mapping=tmp_path / "map.yaml", into=tmp_path / "programme")
    assert str(caught.value).splitlines() == [  # the block is one line of map.yaml: line 2
        "map.yaml:2: programme.ingredients: unknown key; did you mean scaling_ingredients? e.g. scaling_ingredients: "
        "[Leadership, Finance], or [{id: finance, label: Financiering}]",
        "  map.yaml:2: programme.waves[1].id: expected a whole number, got 'one'; e.g. waves: [2024, 2025], or waves: "
        "[{id: 1, label: nulmeting, year: 2024}]",
        "  map.yaml:2: programme.waves[1].label: required; missing; e.g. waves: [2024, 2025], or waves: "
        "[{id: 1, label: nulmeting, year: 2024}]",
    ]
    assert not (tmp_path / "programme").exists()


def test_every_declared_key_is_known_with_an_example() -> None:
    from capeval.programme_file import EXAMPLES
    from capeval.schema import ProgrammeConfig

    # a key added to ProgrammeConfig without an example would be refused as unknown
    assert sorted(EXAMPLES) == sorted(ProgrammeConfig.model_fields)
    assert {"privacy", "criteria", "min_change", "rating_item", "allow_small_groups"} <= set(EXAMPLES)


def test_a_whole_number_of_5000_digits_is_out_of_range_not_a_crash(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Python refuses to read an int of more than 4,300 digits: this was "internal error: ValueError"
    replace_in(small / "programme.yaml", "min_group_size: 2", "min_group_size: " + "9" * 5000)
    assert main(["validate", str(small)]) == 1
    err = capsys.readouterr().err
    line = (small / "programme.yaml").read_text(encoding="utf-8").splitlines().index("min_group_size: " + "9" * 5000)
    assert f"programme.yaml:{line + 1}: min_group_size: a whole number of 5,000 digits is out of range" in err
    assert "internal error" not in err and "ValueError" not in err
    export = tmp_path / "export.csv"
    export.write_text("Nr,Cijfer\n1,7\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(MAPPING.replace("scale_max: 10", "scale_max: 0x" + "f" * 1001), encoding="utf-8")
    with pytest.raises(MappingError, match=r"map\.yaml:8: items\.0\.scale_max: a whole number of 1,001 digits"):
        import_exports("csv", [export], mapping=tmp_path / "map.yaml", into=tmp_path / "programme")


def test_a_list_of_more_than_10000_entries_is_refused_before_it_is_read_slowly(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 100,000 waves kept validate reading for minutes (about a millisecond each); the bound stops it at once
    set_programme(small, "waves:\n" + "".join(f"  - {wave}\n" for wave in range(1, 10_002)))
    assert main(["validate", str(small)]) == 1
    err = capsys.readouterr().err
    assert "programme.yaml:8: more than 10,000 entries in one list; capeval reads at most 10,000" in err
