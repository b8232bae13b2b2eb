"""Results per intervention type on a hand-computed case: answers → activity → type, untyped answers in no type."""

from __future__ import annotations

import pandas as pd
import pytest

from capeval.analysis.interventions import criteria_by_type, levels_by_type, top_two_by_type

ITEMS = pd.DataFrame(
    {
        "item_id": ["Q1", "Q2"],
        "level": ["L1", "L3"],
        "dimension": ["satisfaction", "application"],
        "criterion": ["relevance", "impact"],
        "scale_min": [1, 1],
        "scale_max": [5, 5],
    }
)
ACTIVITIES = pd.DataFrame({"activity_id": ["a1", "a2"], "type": ["workshop", "peer_review"]})
# R1 and R2 about the workshop, R2 also about the peer review, R3 about no activity
RESPONSES = pd.DataFrame(
    {
        "respondent_id": ["R1", "R1", "R2", "R2", "R3"],
        "partner_id": "A",
        "activity_id": ["a1", "a1", "a1", "a2", None],
        "wave": 1,
        "item_id": ["Q1", "Q2", "Q1", "Q1", "Q1"],
        "value": [5.0, 3.0, 4.0, 2.0, 1.0],
    }
)


def test_levels_per_type_count_each_respondent_in_every_type_they_answered_about() -> None:
    levels = levels_by_type(RESPONSES, ITEMS, ACTIVITIES).set_index(["type", "level"])
    # workshop L1: R1 5 → 100 %, R2 4 → 75 %; peer review L1: R2 2 → 25 %; R3 (no activity) in no type
    assert levels.loc[("workshop", "L1"), "mean"] == pytest.approx(87.5)
    assert levels.loc[("workshop", "L1"), "n_respondents"] == 2
    assert levels.loc[("peer_review", "L1"), "mean"] == pytest.approx(25.0)
    assert levels.loc[("peer_review", "L1"), "n_respondents"] == 1
    assert levels.loc[("workshop", "L3"), "mean"] == pytest.approx(50.0)
    assert len(levels) == 3


def test_criteria_per_type_pool_the_waves_per_respondent() -> None:
    later = RESPONSES.iloc[[0]].assign(wave=2, value=3.0)  # R1 again in wave 2: relevance 50 %
    scores = criteria_by_type(pd.concat([RESPONSES, later]), ITEMS, ACTIVITIES, ("relevance", "impact"))
    shown = scores.set_index(["type", "criterion"])
    # workshop relevance: R1 (100 + 50) / 2 = 75, R2 75 → 75; n = 2 people, not 3 answers
    assert shown.loc[("workshop", "relevance"), "score"] == pytest.approx(75.0)
    assert shown.loc[("workshop", "relevance"), "n_respondents"] == 2
    assert shown.loc[("peer_review", "relevance"), "score"] == pytest.approx(25.0)
    assert ("peer_review", "impact") not in shown.index  # no answer: no row, not a zero


def test_criteria_per_type_in_type_order_then_the_programmes_criteria_order() -> None:
    scores = criteria_by_type(RESPONSES, ITEMS, ACTIVITIES, ("impact", "relevance"))
    # types alphabetically, within a type programme.yaml's order (impact before relevance here)
    assert list(zip(scores["type"], scores["criterion"], strict=True)) == [
        ("peer_review", "relevance"),
        ("workshop", "impact"),
        ("workshop", "relevance"),
    ]
    assert scores["n_respondents"].tolist() == [1, 1, 2]  # workshop impact: R1 only (3 → 50 %)
    assert scores["score"].tolist() == pytest.approx([25.0, 50.0, 87.5])
    only = criteria_by_type(RESPONSES, ITEMS, ACTIVITIES, ("relevance",))
    assert set(only["criterion"]) == {"relevance"}  # a criterion the programme does not declare: no row


def test_top_two_answers_per_type_are_shares_of_the_answers_about_that_type() -> None:
    # Q1 on a 1–5 scale (top two: 4 and 5), Q2 without a codebook: not a question on a scale
    items = ITEMS.assign(labels=["1=Bad; 2=; 3=; 4=; 5=Good", None], kind=["ordinal", None])
    r3_again = RESPONSES.iloc[[2]].assign(value=3.0)  # R2 judged a second workshop: 3, no top answer
    shares = top_two_by_type(pd.concat([RESPONSES, r3_again]), items, ACTIVITIES).set_index(["type", "question_id"])
    # workshop: answers 5, 4, 3 → 2 of 3 in the top two, n = 2 people (R1, R2); peer review: 2 → 0 of 1
    assert shares.loc[("workshop", "Q1"), "share"] == pytest.approx(2 / 3)
    assert shares.loc[("workshop", "Q1"), "n_respondents"] == 2
    assert shares.loc[("workshop", "Q1"), "n_answers"] == 3
    assert shares.loc[("peer_review", "Q1"), "share"] == pytest.approx(0.0)
    assert shares.loc[("peer_review", "Q1"), "n_respondents"] == 1
    assert len(shares) == 2  # R3 about no activity and Q2 in no row


def test_types_and_questions_sort_as_their_names_and_items_are_counted_once() -> None:
    # item ids read as numbers: question 10 sorts before 9 as text; type "b_visit" after "a_course"
    items = ITEMS.assign(item_id=[10, 9], level=["L1", "L1"], scale_max=3, labels="1=Low; 2=; 3=High", kind="ordinal")
    activities = pd.DataFrame({"activity_id": ["x", "y", "z"], "type": ["b_visit", "a_course", ""]})
    responses = pd.DataFrame(
        {
            "respondent_id": ["R1", "R1", "R2", "R2", "R1"],
            "partner_id": ["A", "A", "A", "B", "A"],
            "activity_id": ["x", "x", "y", "y", "z"],  # z: an activity without a type, in no type
            "wave": 1,
            "item_id": [10, 9, 9, 9, 10],
            "value": [3.0, 1.0, 2.0, 3.0, 3.0],
        }
    )
    shares = top_two_by_type(responses, items, activities)
    assert list(zip(shares["type"], shares["question_id"], strict=True)) == [
        ("a_course", "9"),
        ("b_visit", "10"),
        ("b_visit", "9"),
    ]
    # a_course, question 9: A's R2 answered 2, B's R2 answered 3 → two people, both in the top two (2 and 3)
    assert shares["n_respondents"].tolist() == [2, 1, 1]
    assert shares["share"].tolist() == pytest.approx([1.0, 1.0, 0.0])
    levels = levels_by_type(responses, items, activities)
    # b_visit L1: R1 answered both items (10: 100 %, 9: 0 % → 50); a_course: one item, two people (50, 100 %)
    assert list(zip(levels["type"], levels["n_items"], levels["n_respondents"], strict=True)) == [
        ("a_course", 1, 2),
        ("b_visit", 2, 1),
    ]
    assert levels["mean"].tolist() == pytest.approx([75.0, 50.0])
