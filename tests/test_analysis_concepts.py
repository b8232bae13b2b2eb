"""Milestones, self-assessment blocks and priorities on small cases computed by hand."""

from __future__ import annotations

import math

import pandas as pd

from capeval.analysis.blocks import dimension_scores, event_reach, weakest
from capeval.analysis.milestones import milestone_progress, milestone_timeline
from capeval.analysis.priorities import priority_contributions, priority_dimensions
from capeval.schema import Priority

MILESTONES = pd.DataFrame(
    {
        "unit_id": ["P1", "P1", "P2", "P2", "P3"],
        "step": ["inventory", "baseline", "inventory", "baseline", "inventory"],
        "planned": ["2024-03-01", "2024-06-01", "2024-03-01", "2024-06-01", "2024-03-01"],
        "achieved": ["2024-02-25", None, "2024-03-11", "2024-06-01", None],
        "status": [None, "delayed", None, None, "dropped"],
        "evidence": ["sheet", None, "minutes", "minutes", None],
    }
)


def test_timeline_orders_the_plan_and_counts_days_late() -> None:
    timeline = milestone_timeline(MILESTONES, ["inventory", "baseline"])
    assert list(zip(timeline["unit_id"], timeline["step"], strict=True))[:2] == [
        ("P1", "inventory"),
        ("P1", "baseline"),
    ]
    assert timeline["delay_days"].tolist()[:4] == [-5, pd.NA, 10, 0]
    assert timeline["status"].tolist() == ["achieved", "delayed", "achieved", "achieved", "dropped"]


def test_progress_per_step() -> None:
    progress = milestone_progress(milestone_timeline(MILESTONES, ["inventory", "baseline"])).set_index("step")
    # inventory: P1 early (-5), P2 ten days late, P3 dropped; baseline: P2 on the day, P1 open
    assert progress.loc["inventory", ["n_units", "achieved", "on_time", "late", "open", "dropped"]].tolist() == [
        3,
        2,
        1,
        1,
        0,
        1,
    ]
    assert progress.loc["inventory", "median_delay_days"] == 2.5
    assert progress.loc["baseline", ["n_units", "achieved", "on_time", "open"]].tolist() == [2, 1, 1, 1]


def test_steps_without_a_declared_order_follow_their_planned_dates() -> None:
    timeline = milestone_timeline(MILESTONES)
    assert dict(zip(timeline["step"], timeline["order"], strict=False)) == {"inventory": 1, "baseline": 2}


ITEMS = pd.DataFrame(
    {
        "item_id": ["C1", "C2", "C3"],
        "level": ["L3", "L3", "L3"],
        "dimension": ["keep_agreements", "keep_agreements", "inform_in_time"],
        "scale_min": [1, 1, 1],
        "scale_max": [5, 5, 5],
    }
)


def _answers(rows: list[tuple[str, str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["partner_id", "respondent_id", "wave", "item_id", "value"]).assign(
        activity_id=None
    )


def test_a_dimension_is_the_mean_of_its_respondents_means() -> None:
    answers = _answers(
        [
            ("P1", "R1", 1, "C1", 5),
            ("P1", "R1", 1, "C2", 3),  # R1: keep_agreements 4
            ("P2", "R1", 1, "C1", 2),  # another person (P2's R1): 2
            ("P1", "R1", 1, "C3", 1),
            ("P1", "R2", 2, "C3", 4),
        ]
    )
    scores = dimension_scores(answers, ITEMS, ["keep_agreements", "inform_in_time"])
    first = scores.iloc[0]
    assert (first["dimension"], first["wave"], first["n"], first["mean"]) == ("keep_agreements", 1, 2, 3.0)
    assert first["score"] == 50.0  # (3 - 1) / (5 - 1)
    assert scores[["dimension", "wave", "n", "score"]].values.tolist()[1:] == [
        ["inform_in_time", 1, 1, 0.0],
        ["inform_in_time", 2, 1, 75.0],
    ]


def test_weakest_reads_the_latest_wave_as_shown() -> None:
    scores = pd.DataFrame(
        {
            "dimension": ["a", "b", "c", "a"],
            "wave": [2, 2, 2, 1],
            "n": [6, 6, 6, 6],
            "score": [49.96, 30.0, math.nan, 10],
        }
    )
    assert weakest(scores)["dimension"].tolist() == ["b"]  # 49.96 shows as 50.0; c is hidden; a of wave 1 is old


def test_event_reach_counts_distinct_people_per_event() -> None:
    activities = pd.DataFrame(
        {
            "activity_id": ["E1", "A1"],
            "type": ["conference", "workshop"],
            "date": ["2024-10-08", "2024-05-01"],
            "participants": [40, 12],
        }
    )
    answers = _answers([("P1", "R1", 1, "C1", 4), ("P1", "R1", 1, "C3", 4), ("P2", "R1", 1, "C1", 4)])
    answers["activity_id"] = ["E1", "E1", "E1"]
    reach = event_reach(activities, answers, ["conference"])
    assert reach[["activity_id", "participants", "respondents"]].values.tolist() == [["E1", 40, 2]]


def test_priority_contributions_per_partner() -> None:
    activities = pd.DataFrame(
        {
            "partner_id": ["P1", "P1", "P2", "P2"],
            "type": ["mobility", "workshop", "mobility", "conference"],
            "participants": [10, 5, 3, 50],
            "hours": [24.0, 4.0, None, 8.0],
        }
    )
    priorities = [
        Priority(id="inclusion", activity_types=["mobility", "workshop"], items=["L3_b", "L2_a", "L3_b2"]),
        Priority(id="civic", activity_types=["conference"]),
    ]
    out = priority_contributions(activities, priorities)
    assert out[["priority", "partner_id", "activities", "participations"]].values.tolist() == [
        ["inclusion", "P1", 2, 15],
        ["inclusion", "P2", 1, 3],
        ["civic", "P2", 1, 50],
    ]
    assert out.loc[[0, 2], "hours"].tolist() == [28.0, 8.0]
    assert math.isnan(out.iloc[1]["hours"])  # no hours known: not 0
    items = pd.DataFrame(
        {"item_id": ["L2_a", "L3_b", "L3_b2"], "dimension": ["attitude", "application", "application"]}
    )
    assert priority_dimensions(items, priorities[0]) == ["application", "attitude"]


def test_a_weak_contribution_of_the_centre_is_an_action_for_the_centre() -> None:
    from capeval.analysis.recommendations import recommended_actions

    scores = pd.DataFrame(
        {"dimension": ["av_network", "av_financial"], "wave": [2, 2], "n": [8, 3], "score": [45.0, 30.0]}
    )
    actions = recommended_actions(added_value=weakest(scores), min_group_size=5)
    assert actions[["rule", "subject", "value", "n", "figure", "small_base"]].values.tolist() == [
        ["added_value_weak", "av_financial", 30.0, 3, "added_value", True],
        ["added_value_weak", "av_network", 45.0, 8, "added_value", False],
    ]
