"""Report options declared once (capeval/options.py): the notebooks, the parameters file, the command
line, the report and the docs all take them from there, and one function decides which value wins."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import papermill
import pytest

from capeval.cli import build_parser, main
from capeval.errors import ParameterError
from capeval.i18n import t
from capeval.options import (
    OPTIONS,
    REPORT_OPTIONS,
    ReportOptions,
    default_of,
    flag,
    label_key,
    options_markdown,
    resolve,
    shown_default,
)
from capeval.parameters import load_parameters, parameters_from
from capeval.report_parameters import OWN_NOTEBOOKS, job_parameters
from capeval.schema import MinChange, ProgrammeConfig, Wave
from tests.conftest import DATA, ROOT

CONFIG = ProgrammeConfig(
    id="p",
    title="P",
    language="nl",
    min_group_size=7,
    waves=[Wave(id=1, label="baseline")],
    min_change=MinChange(points_10=0.8),
)


@pytest.mark.parametrize("name", sorted(OWN_NOTEBOOKS))
def test_each_notebook_declares_exactly_the_options(name: str) -> None:
    """papermill's own reading of the parameters cell: the unit, then every report option with its
    declared default and its one line of documentation."""
    declared = papermill.inspect_notebook(str(ROOT / "notebooks" / name))
    assert tuple(declared) == OWN_NOTEBOOKS[name]
    for option, info in REPORT_OPTIONS.items():
        assert ast.literal_eval(declared[option]["default"]) == default_of(option), option
        assert declared[option]["help"] == info.description, option


def test_every_report_notebook_is_one_whose_parameters_are_known() -> None:
    assert {path.name for path in (ROOT / "notebooks").glob("*_report.ipynb")} == set(OWN_NOTEBOOKS)


def test_the_command_line_wins_then_the_file_then_programme_yaml_then_the_default() -> None:
    command_line, override, file = {"language": "en"}, {"min_group_size": 9}, {"min_group_size": 8, "language": "nl"}
    chosen = resolve(command_line, override, file, programme=CONFIG)
    assert chosen == ReportOptions(
        language="en",  # command line over the file
        min_group_size=9,  # the unit's override over the file's, over programme.yaml's 7
        consensus_spread=2.0,  # nobody: the default
        attention_below=3.0,
        min_change_10=0.8,  # programme.yaml
        min_change_100=5.0,  # programme.yaml's default
    )
    assert resolve(None, {}, {"consensus_spread": 1.5}).consensus_spread == 1.5
    assert resolve({"min_group_size": None}, {"min_group_size": 4}).min_group_size == 4  # None is "not set"
    assert resolve().language is None and resolve(programme=CONFIG).language == "nl"


def test_a_job_gets_the_options_that_differ_from_the_programme_s() -> None:
    run = parameters_from(
        {
            "programme": "p",
            "consensus_spread": 1.5,
            "min_group_size": 7,  # the programme's own: the notebook resolves it alone
            "overrides": {"partners": {"P2": {"attention_below": 2.5, "language": "en"}}},
        }
    ).with_command_line({"min_change_100": 10.0, "timeout": 30})
    assert run.timeout == 30
    assert job_parameters(run, CONFIG, "partner", "P1", programme="s") == {
        "programme": "s",
        "partner_id": "P1",
        "language": "nl",
        "consensus_spread": 1.5,
        "min_change_100": 10.0,
    }
    p2 = job_parameters(run, CONFIG, "partner", "P2", programme="s")
    assert (p2["language"], p2["attention_below"]) == ("en", 2.5)
    told = run.with_command_line({"language": "nl", "attention_below": 4.0})  # over the unit's override too
    p2 = job_parameters(told, CONFIG, "partner", "P2", programme="s")
    assert (p2["language"], p2["attention_below"], p2["min_change_100"]) == ("nl", 4.0, 10.0)
    assert "partner_id" not in job_parameters(run, CONFIG, "programme", "p", programme="s")


def test_a_threshold_below_three_names_where_it_was_set() -> None:
    run = parameters_from({"programme": "p", "overrides": {"tracks": {"T1": {"min_group_size": 2}}}})
    with pytest.raises(ParameterError, match=r"^overrides.tracks.T1.min_group_size: 2 lets a single respondent"):
        job_parameters(run, CONFIG, "track", "T1", programme="s")
    with pytest.raises(ParameterError, match=r"^--min-group-size: 2 lets a single respondent"):
        job_parameters(run.with_command_line({"min_group_size": 2}), CONFIG, "track", "T1", programme="s")


def test_every_option_is_a_flag_of_capeval_run_with_its_help(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # help text unwrapped
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name, info in OPTIONS.items():
        described = re.escape(f"{info.description} (default: {shown_default(name)})")
        assert re.search(rf"{flag(name)}( \S+)? {described}", text), name  # a switch has no value
    args = build_parser().parse_args(["run", "--programme", "x", "--consensus-spread", "1.5", "--formats", "html,xlsx"])
    assert (args.consensus_spread, args.formats, args.min_group_size) == (1.5, ["html", "xlsx"], None)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["--timeout", "2.5"], "argument --timeout: expected a whole number, got '2.5'"),
        (["--min-group-size", "0"], "argument --min-group-size: expected at least 1, got '0'"),
        (["--attention-below", "6"], "argument --attention-below: expected at most 5.0, got '6'"),
        (["--formats", "html,odt"], "argument --formats: expected one of 'html', 'docx', 'xlsx' or 'pdf', got 'odt'"),
    ],
)
def test_a_bad_option_value_exits_2_in_our_words(
    given: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--programme", "x", *given])
    assert stopped.value.code == 2
    assert f"capeval run: error: {message}" in capsys.readouterr().err


def test_every_option_has_a_label_in_both_languages() -> None:
    assert all(t(label_key(name), "en") and t(label_key(name), "nl") for name in OPTIONS)
    assert t(label_key("min_group_size"), "nl") == "Drempel voor onderdrukking (min. groep)"


def test_docs_options_md_is_made_from_the_declaration() -> None:
    assert (ROOT / "docs" / "options.md").read_text(encoding="utf-8") == options_markdown(), (
        "docs/options.md is stale: python -m capeval.options > docs/options.md"
    )


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from capeval.store import build_store

    target = tmp_path_factory.mktemp("options") / "small"
    shutil.copytree(DATA / "small", target, ignore=shutil.ignore_patterns("_store", "_rejected"))
    return build_store(target)


def test_a_report_states_the_options_that_differ_in_its_method_notes(small_store: Path) -> None:
    from capeval.report.context import open_report
    from capeval.report.method import options_note

    assert options_note(open_report(str(small_store), "partner", "P1")) == []
    ctx = open_report(str(small_store), "partner", "P1", options=ReportOptions(consensus_spread=1.5), language="nl")
    assert ctx.parameters["consensus_spread"] == 1.5  # what the sections read
    assert options_note(ctx) == [
        "Dit rapport is gemaakt met instellingen die afwijken van de standaard: "
        "Consensusgrens (spreiding van hiaten) 1,5 (standaard 2,0)."
    ]
    ctx = open_report(str(small_store), "partner", "P1", attention_below=2.5, min_change_100=10)
    assert options_note(ctx) == [
        "This report was rendered with settings that differ from the defaults: "
        "Scaling score needing attention (below) 2.5 (default 3.0); Min. change (0–100 scale) 10.0 (default 5.0)."
    ]
    with pytest.raises(TypeError, match="unknown options: colour"):
        open_report(str(small_store), "partner", "P1", colour="red")


def test_the_shipped_parameters_files_name_every_option_and_each_is_valid_uncommented(tmp_path: Path) -> None:
    for file in sorted((ROOT / "parameters").glob("*.yaml")):
        text = file.read_text(encoding="utf-8")
        options = [name for name in OPTIONS if re.search(rf"^#? ?{name}: ", text, re.M)]
        assert options == list(OPTIONS), file.name
        uncommented = re.sub(rf"^# ({'|'.join(OPTIONS)}): ", r"\1: ", text, flags=re.M)
        (tmp_path / file.name).write_text(uncommented, encoding="utf-8")
        run = load_parameters(tmp_path / file.name)
        assert (run.min_group_size, run.consensus_spread, run.formats, run.internal) == (5, 2.0, ["html"], False)
