"""A run's parameters file: what is accepted, and the exact error for what is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from capeval.batch import plan_jobs
from capeval.cli import main
from capeval.demo import DEMO_PROGRAMMES
from capeval.errors import ParameterError
from capeval.parameters import InvalidParametersError, check_json, load_parameters, parameters_from
from tests.conftest import ROOT
from tests.test_batch_support import notebook


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parameters").mkdir()
    return tmp_path


def write(text: str) -> str:
    Path("parameters/demo.yaml").write_text(text, encoding="utf-8")
    return "parameters/demo.yaml"


def error_of(text: str) -> str:
    with pytest.raises(ParameterError) as caught:
        load_parameters(write(text))
    return str(caught.value)


def test_unknown_key_names_the_file_line_and_the_key_meant(in_tmp: Path) -> None:
    message = error_of("programme: p\nlangauge: nl\n")
    assert message == "parameters/demo.yaml:2: langauge: unknown key; did you mean language? e.g. language: nl"
    message = error_of("programme: p\n\nmin_group_sise: 4\n")
    assert (
        message
        == "parameters/demo.yaml:3: min_group_sise: unknown key; did you mean min_group_size? e.g. min_group_size: 5"
    )
    message = error_of("programme: p\nunits: {partner: [P1]}\n")
    assert message == (
        "parameters/demo.yaml:2: units.partner: unknown key; did you mean partners? "
        "e.g. units: {partners: [P1, P2], programme: true}"
    )
    message = error_of("programme: p\noverrides: {partners: {P1: {min_grup_size: 5}}}\n")
    assert message == (
        "parameters/demo.yaml:2: overrides.partners.P1.min_grup_size: unknown key; did you mean min_group_size? "
        "e.g. min_group_size: 5"
    )
    assert error_of("programme: p\nthresholds: {min_group_size: 5}\n") == (
        "parameters/demo.yaml:2: thresholds: unknown key; write its keys at the top level, e.g. min_group_size: 5"
    )
    assert error_of("programme: p\nzzz: 1\n").startswith(
        "parameters/demo.yaml:2: zzz: unknown key; expected one of: programme, out, units, notebooks, overrides, "
        "notebook_parameters, executor, timeout, workers,"
    )


def test_missing_and_wrong_types(in_tmp: Path) -> None:
    assert error_of("language: nl\n") == (
        "parameters/demo.yaml: programme: missing (required); e.g. programme: ../build/demo/municipal_tracks"
    )
    assert error_of("programme: p\nworkers: two\n") == (
        "parameters/demo.yaml:2: workers: expected a whole number, got 'two'; e.g. workers: 2"
    )
    assert error_of("programme: p\nworkers: '2'\n") == (
        "parameters/demo.yaml:2: workers: expected a whole number, got '2'; e.g. workers: 2"
    )
    assert error_of("programme: p\nlanguage: fr\n") == (
        "parameters/demo.yaml:2: language: expected one of 'nl' or 'en', got 'fr'; e.g. language: nl"
    )
    assert error_of("programme: p\nunits: {partners: P1}\n") == (
        "parameters/demo.yaml:2: units.partners: expected a list ([a, b], or one '- ' line each), got 'P1'; "
        "e.g. units: {partners: [P1, P2], programme: true}"
    )
    assert error_of("programme: p\noverrides: {partners: {P1: {min_group_size: 0}}}\n") == (
        "parameters/demo.yaml:2: overrides.partners.P1.min_group_size: expected at least 1, got 0; "
        "e.g. min_group_size: 5"
    )
    assert error_of("programme: p\nconsensus_spread: 12\n") == (
        "parameters/demo.yaml:2: consensus_spread: expected at most 10.0, got 12; e.g. consensus_spread: 2.0"
    )
    assert error_of("programme: p\nformats: [html, odt]\n") == (
        "parameters/demo.yaml:2: formats[1]: expected one of 'html', 'docx', 'xlsx' or 'pdf', got 'odt'; "
        "e.g. formats: [html]"
    )


def test_a_timeout_is_whole_seconds(in_tmp: Path) -> None:
    """nbclient's cell timeout is an integer: a float used to pass here and break the kernel engine."""
    assert error_of("programme: p\ntimeout: 2.5\n") == (
        "parameters/demo.yaml:2: timeout: expected a whole number, got 2.5; e.g. timeout: 600"
    )
    assert error_of("programme: p\ntimeout: 600.0\n") == (
        "parameters/demo.yaml:2: timeout: expected a whole number, got 600.0; e.g. timeout: 600"
    )
    run = load_parameters(write("programme: p\ntimeout: 30\n"))
    assert run.timeout == 30 and isinstance(run.timeout, int)


def test_every_problem_is_listed_one_per_line(in_tmp: Path) -> None:
    with pytest.raises(InvalidParametersError) as caught:
        load_parameters(write("workers: 0\nengine: docker\n"))
    assert str(caught.value).splitlines() == [
        "parameters/demo.yaml:1: workers: expected at least 1, got 0; e.g. workers: 2",
        "parameters/demo.yaml:2: engine: expected one of 'inprocess' or 'kernel', got 'docker'; e.g. engine: inprocess",
        "parameters/demo.yaml: programme: missing (required); e.g. programme: ../build/demo/municipal_tracks",
    ]


def test_not_yaml_or_not_a_mapping(in_tmp: Path) -> None:
    assert error_of("programme: [p\n").startswith("parameters/demo.yaml:2: not valid YAML: ")
    assert error_of("programme: p\nprogramme: q\n").startswith(
        "parameters/demo.yaml:2: key 'programme' is written twice"
    )
    assert error_of("- p\n") == "parameters/demo.yaml: expected a mapping of keys (programme: ..., units: ...)"


def test_dates_and_other_non_json_values_never_reach_a_notebook(in_tmp: Path) -> None:
    run = load_parameters(write("programme: p\nnotebook_parameters: {as_of: 2024-01-31}\n"))
    assert run.notebook_parameters == {"as_of": "2024-01-31"}  # read as YAML 1.2: the date as written, as text
    assert error_of("programme: p\noverrides: {partners: {P1: {notebook_parameters: {x: [1, .nan]}}}}\n") == (
        "parameters/demo.yaml: overrides.partners.P1.notebook_parameters.x[1]: nan is not a JSON number"
    )
    with pytest.raises(ParameterError, match=r"^p: a path is not a JSON value; pass str\(path\): 'a/b'$"):
        check_json(Path("a/b"), "p")
    with pytest.raises(ParameterError, match=r"^t\[0\]: a tuple is not a JSON value; pass a list$"):
        check_json([(1, 2)], "t")
    with pytest.raises(ParameterError, match=r"^d: a datetime is not a JSON value"):
        check_json(dt.datetime(2024, 1, 31, 12), "d")
    check_json({"a": [1, 2.5, None, True, "x", {"b": []}]}, "ok")  # JSON passes


def test_paths_are_relative_to_the_parameters_file(in_tmp: Path, small: Path) -> None:
    run = load_parameters(write(f"programme: ../{small.name}\nout: ../out\nnotebooks: {{partner: nb/x.ipynb}}\n"))
    assert run.programme_dir == small.resolve()
    assert run.out_dir == (in_tmp / "out").resolve()
    assert run.notebook() == (in_tmp / "parameters" / "nb" / "x.ipynb").resolve()
    assert run.notebook().parent != ROOT / "notebooks"
    assert load_parameters(write("programme: x\n")).notebook() == ROOT / "notebooks" / "partner_report.ipynb"


def test_unknown_partner_ids_name_their_place_in_the_file(in_tmp: Path, small: Path) -> None:
    run = load_parameters(write(f"programme: ../{small.name}\nunits:\n  partners: [P1, P2, P3, P99]\n"))
    with pytest.raises(ParameterError) as caught:
        plan_jobs(run)
    assert str(caught.value) == "parameters/demo.yaml:2: units.partners[3]: unknown partner id 'P99'"
    run = load_parameters(write(f"programme: ../{small.name}\noverrides: {{partners: {{P7: {{language: nl}}}}}}\n"))
    with pytest.raises(ParameterError) as caught:
        plan_jobs(run)
    assert str(caught.value) == "parameters/demo.yaml:2: overrides.partners.P7: unknown partner id 'P7'"


def test_a_missing_programme_folder_or_notebook_parameter_is_named(in_tmp: Path, small: Path) -> None:
    with pytest.raises(ParameterError, match=r"^parameters/demo.yaml:1: programme: no programme folder at /"):
        plan_jobs(load_parameters(write("programme: ../nowhere\n")))
    notebook(in_tmp / "parameters" / "nb", "1")
    text = f"programme: ../{small.name}\nnotebooks: {{partner: nb/partner_report.ipynb}}\n"
    with pytest.raises(ParameterError) as caught:
        plan_jobs(load_parameters(write(text + "notebook_parameters: {colour: red}\n")))
    assert str(caught.value) == (
        "parameters/demo.yaml:3: notebook_parameters.colour: the notebook partner_report.ipynb has no parameter "
        "'colour' (it has: language, partner_id, programme)"
    )
    with pytest.raises(ParameterError) as caught:
        plan_jobs(load_parameters(write(text + "consensus_spread: 1.5\n")))
    assert str(caught.value) == (
        "parameters/demo.yaml:3: consensus_spread: the notebook partner_report.ipynb has no parameter "
        "'consensus_spread' (it has: language, partner_id, programme)"
    )


def test_overrides_and_thresholds_reach_the_jobs(in_tmp: Path, small: Path) -> None:
    run = load_parameters(
        write(
            f"programme: ../{small.name}\nunits: {{partners: [P2, P1]}}\nmin_group_size: 3\n"
            "overrides: {partners: {P1: {language: nl, min_group_size: 7}}}\ntimeout: 30\nengine: kernel\n"
        )
    )
    jobs = plan_jobs(run)
    assert [(j.unit_id, j.language, j.parameters["min_group_size"]) for j in jobs] == [("P2", "en", 3), ("P1", "nl", 7)]
    assert {(j.timeout, j.engine) for j in jobs} == {(30, "kernel")}
    assert jobs[0].parameters["programme"] == str((small / "_store").resolve())


def test_shipped_parameter_files_match_the_demo_programmes() -> None:
    files = sorted((ROOT / "parameters").glob("*.yaml"))
    assert [f.stem for f in files] == sorted(DEMO_PROGRAMMES)
    for file in files:
        run = load_parameters(file)
        assert run.programme_dir == ROOT / "build" / "demo" / file.stem
        assert run.out_dir == ROOT / "reports"
        assert run.notebook().is_file()


def test_cli_needs_a_parameters_file_or_a_programme(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert main(["run", write("programme: p\n"), "--programme", "p"]) == 2
    assert "give a parameters file or --programme DIR" in capsys.readouterr().err
    assert main(["run", write("programme: p\nworker: 2\n"), "--quiet"]) == 1
    assert (
        "capeval: error: parameters/demo.yaml:2: worker: unknown key; did you mean workers?" in capsys.readouterr().err
    )


def test_built_in_code_gets_the_same_checks() -> None:
    with pytest.raises(ParameterError, match=r"^timeout: expected at least 1, got -1; e.g. timeout: 600$"):
        parameters_from({"programme": "p", "timeout": -1})
    assert yaml.safe_load("partners: all")["partners"] == "all"
    assert parameters_from({"programme": "p", "units": {"partners": "all"}}).units.partners is None
