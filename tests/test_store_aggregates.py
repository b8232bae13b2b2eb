"""The programme report's results of the answers, written by the store (capeval/store_aggregates.py): the
values computed by hand on tests/data/small, and the same report read from them as from the answers."""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from capeval import report
from capeval.report.context import ReportContext, open_report
from capeval.store import META, LazyTables, build_store
from capeval.store_aggregates import StoredResults, block_result
from tests.test_store_slices import RENDERED_AT, notebook_sections

DATA = Path(__file__).resolve().parent / "data"
# the sections of a programme report that still read the answers: none (each reads the store's results)
READS_ANSWERS: set[str] = set()


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/small with an added-value block and a network event's feedback, its store written once with
    the programme report's results of the answers (a programme this small has none unless asked)."""
    target = tmp_path_factory.mktemp("aggregates") / "small"
    shutil.copytree(DATA / "small", target, ignore=shutil.ignore_patterns("_store", "_rejected"))
    with (target / "programme.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write(
            "added_value:\n  - {id: satisfaction, label: Satisfaction}\n"
            "event_feedback:\n  activity_types: [peer_review]\n  dimensions:\n    - {id: knowledge, label: Knowledge}\n"
        )
    build_store(target, aggregates=True)
    return target


def stored(programme: Path) -> StoredResults:
    meta = json.loads((programme / "_store" / META).read_text(encoding="utf-8"))
    assert meta["aggregates"]["min_group_size"] == 2
    return StoredResults(programme / "_store", meta["aggregates"]["results"], 2)


def test_a_small_programme_gets_no_stored_results_unless_asked(rendered_small: Path) -> None:
    folder = rendered_small.parent / "small"  # the session's run of tests/data/small, store as `capeval run` built it
    assert json.loads((folder / "_store" / META).read_text(encoding="utf-8"))["aggregates"] == {}
    assert open_report(str(folder), "programme", "").data.results is None


def test_the_stored_results_are_the_values_computed_by_hand(programme: Path) -> None:
    results = stored(programme)
    # wave 1, L1 (Q1, 1-5): R1 4 -> 75, R2 5 -> 100, R3 2 -> 25; L2 (Q2): R1 3 -> 50, R2 4 -> 75;
    # wave 2, L3: R4 alone (4 -> 75), under min_group_size 2: its n shown, its mean not
    chain = results.result("chain")
    assert chain is not None
    rows = {(int(r["wave"]), str(r["level"])): r for r in chain.to_dict("records")}
    assert rows[(1, "L1")]["n_respondents"] == 3 and math.isclose(rows[(1, "L1")]["mean"], 200 / 3)
    assert rows[(1, "L2")]["n_respondents"] == 2 and math.isclose(rows[(1, "L2")]["mean"], 62.5)
    assert rows[(2, "L3")]["n_respondents"] == 1 and math.isnan(rows[(2, "L3")]["mean"])
    tracks = results.result("track_chains")
    assert tracks is not None
    t1 = tracks[(tracks["track_id"] == "T1") & (tracks["level"] == "L1")].iloc[0]
    assert t1["n_respondents"] == 3 and math.isclose(t1["mean"], 200 / 3)  # P1's R1, R2 and P2's R3
    counts = results.result("counts")
    assert counts is not None
    # 6 answers of 4 people, all to an item with a level; Q1, Q2, Q3 each with a criterion; none about A2
    assert counts.iloc[0].to_dict() == {
        "answers": 6, "respondents": 4, "levelled_respondents": 4, "mapped_items": 3, "event_answers": 0,
    }  # fmt: skip
    per_wave = results.result("respondents_per_wave")
    assert per_wave is not None and per_wave.to_dict("list") == {"wave": [1, 2], "respondents": [3, 1]}
    satisfaction = results.result(block_result(("satisfaction",)))
    assert satisfaction is not None and satisfaction["n"].tolist() == [3]  # R1, R2, R3 rated Q1 in wave 1
    assert math.isclose(satisfaction["mean"].iloc[0], 11 / 3)  # (4 + 5 + 2) / 3 on the 1-5 scale
    headline = results.headline()
    assert headline is not None and headline.respondents == 4 and headline.activities == 4


def from_answers(ctx: ReportContext) -> ReportContext:
    """``ctx``'s report with every table held and no stored results: each analysis runs on the answers."""
    data = replace(ctx.data, tables=ctx.data.all_tables(), results=None)
    return replace(ctx, data=data)


def test_the_programme_report_shows_the_same_from_its_stored_results_as_from_its_answers(programme: Path) -> None:
    ctx = open_report(str(programme), "programme", "")
    assert ctx.data.results is not None and isinstance(ctx.data.tables, LazyTables)
    reading: list[str] = []
    read = ctx.data.tables.read
    section = ""

    def counted(name: str) -> pd.DataFrame:
        reading.append(section)
        return read(name)

    ctx.data.tables.read = counted  # which sections still read the answers
    shown = {}
    for section in notebook_sections("programme"):
        shown[section] = RENDERED_AT.sub("", str(getattr(report, section)(ctx)))
    assert "responses" not in ctx.data.tables  # the answers are never held
    assert set(reading) <= READS_ANSWERS, set(reading)
    again = from_answers(ctx)
    assert shown == {s: RENDERED_AT.sub("", str(getattr(report, s)(again))) for s in shown}
    assert "Satisfaction" in shown["added_value"] and "66.7" in shown["kirkpatrick"]


def test_another_threshold_reads_the_answers(programme: Path) -> None:
    ctx = open_report(str(programme), "programme", "", min_group_size=3)
    assert ctx.data.results is None and len(ctx.data.tables["responses"]) == 6
