"""Partner-local respondent ids: every partner numbers its respondents R01, R02, … and a
respondent is (partner_id, respondent_id). Counts, pairs, answer shares, validation and the
leak audit all read it so; values are computed by hand below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from capeval.analysis.activities import respondents_per_wave
from capeval.analysis.answers import answer_frequencies, before_after, response_rates
from capeval.analysis.respondents import count_respondents, respondent_key
from capeval.audit import audit_partner_reports
from capeval.store import build_store
from capeval.validate import validate_programme
from tests.conftest import append_lines

ITEMS = pd.DataFrame(
    {
        "item_id": ["sat", "led.pub", "led.grant", "use.before", "use.after"],
        "question_id": ["sat", "led", "led", "use.before", "use.after"],
        "dimension": ["satisfaction", "results", "results", "use_before", "use_after"],
        "kind": ["ordinal", "option", "option", "ordinal", "ordinal"],
        "labels": ["1=Poor; 2=Good; 3=Excellent", "0=not chosen; 1=Publication", "0=not chosen; 1=Grant",
                   "1=Never; 2=Sometimes; 3=Often", "1=Never; 2=Sometimes; 3=Often"],
    }
)  # fmt: skip


def answers(rows: list[tuple[str, str, int, str, float]], activity: str = "A1") -> pd.DataFrame:
    """(partner_id, respondent_id, wave, item_id, value) rows as a responses table."""
    frame = pd.DataFrame(rows, columns=["partner_id", "respondent_id", "wave", "item_id", "value"])
    return frame.assign(activity_id=activity)


# Three partners, each numbering from R01: eight people, not three.
SATISFACTION = answers(
    [
        ("P1", "R01", 1, "sat", 3), ("P1", "R02", 1, "sat", 2),
        ("P2", "R01", 1, "sat", 1), ("P2", "R02", 1, "sat", 3), ("P2", "R03", 1, "sat", 3),
        ("P1", "R01", 2, "sat", 3),
        ("P3", "R01", 2, "sat", 2), ("P3", "R02", 2, "sat", 1),
    ]
)  # fmt: skip


def test_two_partners_r01_are_two_people() -> None:
    keys = respondent_key(SATISFACTION)
    assert keys.iloc[0] != keys.iloc[2]  # P1's R01, P2's R01
    assert keys.iloc[0] == keys.iloc[5]  # P1's R01 in both waves
    assert count_respondents(SATISFACTION) == 7  # P1: R01 R02; P2: R01 R02 R03; P3: R01 R02
    assert count_respondents(SATISFACTION.iloc[:0]) == 0


def test_answer_shares_per_wave_sum_to_100_percent() -> None:
    freq = answer_frequencies(SATISFACTION, ITEMS, min_group_size=2)
    sat = freq[freq["item_id"] == "sat"]
    # wave 1: answers 3, 2, 1, 3, 3 from five people -> Poor 1, Good 1, Excellent 3 of 5
    # wave 2: answers 3, 2, 1 from three people -> 1, 1, 1 of 3
    assert sat["wave"].tolist() == [1, 1, 1, 2, 2, 2]
    assert sat["label"].tolist() == ["Poor", "Good", "Excellent"] * 2
    assert sat["n"].tolist() == [1, 1, 3, 1, 1, 1]
    assert sat["n_respondents"].tolist() == [5, 5, 5, 3, 3, 3]
    assert sat["n_answers"].tolist() == [5, 5, 5, 3, 3, 3]
    assert sat["share"].tolist() == pytest.approx([0.2, 0.2, 0.6, 1 / 3, 1 / 3, 1 / 3])
    assert sat.groupby("wave")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert not sat["multiple"].any()


def test_a_small_wave_is_hidden_on_its_own() -> None:
    freq = answer_frequencies(SATISFACTION, ITEMS, min_group_size=4)
    sat = freq[freq["item_id"] == "sat"].set_index("wave")
    # wave 1 has 5 respondents (shown), wave 2 has 3 (< 4: hidden, its n stays)
    assert sat.loc[1, "n"].tolist() == [1, 1, 3] and not sat.loc[1, "suppressed"].any()
    assert sat.loc[2, "n"].isna().all() and sat.loc[2, "share"].isna().all() and sat.loc[2, "suppressed"].all()
    assert sat.loc[2, "n_respondents"].tolist() == [3, 3, 3]


def test_an_answer_per_activity_counts_and_shares_still_sum_to_100() -> None:
    # P1's R01 judged two activities in wave 1 (3 and 2); P2's R01 one (3): 3 answers, 2 people
    data = pd.concat(
        [
            answers([("P1", "R01", 1, "sat", 3), ("P2", "R01", 1, "sat", 3)], activity="A1"),
            answers([("P1", "R01", 1, "sat", 2)], activity="A2"),
        ]
    )
    sat = answer_frequencies(data, ITEMS, min_group_size=2)
    assert sat["n"].tolist() == [0, 1, 2]
    assert sat["n_answers"].tolist() == [3, 3, 3] and sat["n_respondents"].tolist() == [2, 2, 2]
    assert sat["share"].tolist() == pytest.approx([0, 1 / 3, 2 / 3])


def test_select_all_shares_are_of_the_respondents_of_the_wave() -> None:
    data = answers(
        [
            ("P1", "R01", 1, "led.pub", 1), ("P1", "R01", 1, "led.grant", 1),
            ("P2", "R01", 1, "led.pub", 0), ("P2", "R01", 1, "led.grant", 1),
            ("P3", "R01", 1, "led.pub", 1), ("P3", "R01", 1, "led.grant", 0),
            ("P1", "R01", 2, "led.pub", 0), ("P1", "R01", 2, "led.grant", 1),
            ("P2", "R01", 2, "led.pub", 0), ("P2", "R01", 2, "led.grant", 0),
        ]
    )  # fmt: skip
    led = answer_frequencies(data, ITEMS, min_group_size=2).set_index(["wave", "item_id"])
    # wave 1: three R01s (P1, P2, P3); publication chosen by P1 and P3, grant by P1 and P2
    assert led.loc[(1, "led.pub"), ["n", "n_respondents"]].tolist() == [2, 3]
    assert led.loc[(1, "led.grant"), "share"] == pytest.approx(2 / 3)
    # wave 2: two R01s (P1, P2); grant chosen by P1 only, publication by nobody (still listed)
    assert led.loc[(2, "led.pub"), ["n", "share"]].tolist() == [0, 0.0]
    assert led.loc[(2, "led.grant"), ["n", "n_respondents", "share"]].tolist() == [1, 2, 0.5]
    assert led["multiple"].all()


def test_before_after_pairs_people_across_partners() -> None:
    data = answers(
        [
            ("P1", "R01", 1, "use.before", 1), ("P1", "R01", 1, "use.after", 3),  # +2
            ("P2", "R01", 1, "use.before", 2), ("P2", "R01", 1, "use.after", 2),  # 0
            ("P3", "R01", 1, "use.before", 3), ("P3", "R01", 1, "use.after", 1),  # -2
            ("P1", "R02", 1, "use.after", 3),  # no before: not paired
        ]
    )  # fmt: skip
    pair = before_after(data, ITEMS, min_group_size=3).iloc[0]
    # three pairs (with the bare id, one "R01" of mean 2 before and 2 after)
    assert pair["n_pairs"] == 3
    assert (pair["mean_before"], pair["mean_after"], pair["mean_change"]) == (2.0, 2.0, 0.0)
    assert [pair["improved"], pair["same"], pair["worse"]] == [pytest.approx(1 / 3)] * 3


def test_respondents_per_wave_count_partner_and_id() -> None:
    reach = respondents_per_wave(SATISFACTION)
    # wave 1: P1 R01 R02, P2 R01 R02 R03 = 5 (bare ids: 3); wave 2: P1 R01, P3 R01 R02 = 3 (bare: 2)
    assert reach.to_dict("list") == {"wave": [1, 2], "respondents": [5, 3]}


def test_response_rates_of_a_joint_activity() -> None:
    activities = pd.DataFrame(
        {"activity_id": ["A1"], "type": ["workshop"], "date": pd.to_datetime(["2024-03-01"]), "participants": [10]}
    )
    data = answers([("P1", "R01", 1, "sat", 3), ("P2", "R01", 1, "sat", 2), ("P2", "R01", 1, "use.after", 2)])
    rates = response_rates(activities, data)
    # two people (P1's R01 and P2's R01) of 10 participants
    assert rates[["respondents", "response_rate"]].values.tolist() == [[2, 0.2]]


def test_validation_accepts_r1_at_two_partners_and_rejects_a_true_duplicate(small: Path) -> None:
    # small has R1 at P1 (lines 2-3); line 8 gives P2 an R1 answering the same item, wave and activity,
    # lines 9-10 answer without an activity at P1 and at P2; line 11 repeats line 2 within P1
    append_lines(small / "responses.csv", "R1,P2,A1,1,Q1,3", "R1,P1,,1,Q3,2", "R1,P2,,1,Q3,5", "R1,P1,A1,1,Q1,2")
    result = validate_programme(small)
    assert [str(p) for p in result.problems] == [
        "responses.csv:11: partner_id+respondent_id+activity_id+wave+item_id: "
        "duplicate value ('P1', 'R1', 'A1', 1, 'Q1') (first at line 2)"
    ]
    assert result.counts()["responses"] == (9, 1)


def test_audit_ignores_ids_the_own_partner_shares(small: Path, tmp_path: Path) -> None:
    # every partner numbers from R01; P2 also has R03 and P3 a bare number 7
    (small / "responses.csv").write_text(
        "respondent_id,partner_id,activity_id,wave,item_id,value\n"
        "R01,P1,A1,1,Q1,4\nR02,P1,A1,1,Q1,5\n"
        "R01,P2,A3,1,Q1,2\nR02,P2,A3,1,Q1,3\nR03,P2,A3,1,Q1,4\n"
        "R01,P3,A4,2,Q3,4\n7,P3,A4,2,Q3,3\n",
        encoding="utf-8",
    )
    build_store(small)
    reports = tmp_path / "reports"
    (reports / "partners").mkdir(parents=True)
    entry = {"unit": "P1", "kind": "partner", "path": "partners/P1.html"}
    (reports / "manifest.json").write_text(json.dumps({"schema_version": 1, "reports": [entry]}), encoding="utf-8")
    page = "<main><p>R01 and R02 said so; 7 respondents.</p><p>Compare R03.</p></main>"
    (reports / "partners" / "P1.html").write_text(page, encoding="utf-8")
    leaks = audit_partner_reports(small, reports)
    # R01, R02 are P1's own ids too and prove nothing; 7 reads as a count; R03 is only P2's: a leak
    assert [(leak.owner, leak.kind, leak.value) for leak in leaks] == [("P2", "respondent_id", "R03")]
