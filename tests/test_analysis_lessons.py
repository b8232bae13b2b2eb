"""Lessons grouped by domain and ingredient; recurring lessons in English and Dutch; the action rules."""

from __future__ import annotations

import math

import pandas as pd

from capeval.analysis.lessons import lesson_ingredients, lesson_records, lessons_by
from capeval.analysis.recommendations import recommended_actions
from capeval.analysis.themes import lesson_themes, recurring_lessons, recurring_themes, theme_similarity

LESSONS = pd.DataFrame(
    {
        "lesson_id": ["L1", "L2", "L3", "L4", "L5", "L6"],
        "partner_id": ["P1", "P2", "P3", "P4", "P5", "P4"],
        "track_id": ["T1", "T1", "T2", "T2", "T2", "T2"],
        "method": ["free", "msc", "aar", "oh", "free", "free"],
        "domain": ["practice", "practice", None, "policy", "policy", "policy"],
        "what_changed": [
            "A short checklist made the peer-review recommendations easy to act on.",
            "A short checklist made the peer review recommendations easier to act upon.",
            "The travel budget was cut in half this year.",
            "Het engagement van de schepen maakte het verschil voor het traject.",
            "Het engagement van de schepen maakte echt het verschil in het traject.",
            "Het engagement van de schepen maakte het verschil voor ons traject.",
        ],
        "significance": [None, "Easy to act on.", None, None, None, None],
        "contribution": [None, None, None, "Partly.", None, None],
    }
)


def test_lesson_records_count_filled_fields_of_their_method() -> None:
    assert lesson_records(LESSONS)["fields"].tolist() == [1, 2, 1, 2, 1, 1]


def test_lessons_by_domain_counts_units_and_unassigned() -> None:
    out = lessons_by(LESSONS, "domain")
    assert out.to_dict("records") == [
        {"domain": "policy", "n_lessons": 3, "n_partners": 2, "n_tracks": 1},
        {"domain": "practice", "n_lessons": 2, "n_partners": 2, "n_tracks": 1},
        {"domain": "unassigned", "n_lessons": 1, "n_partners": 1, "n_tracks": 1},
    ]
    assert lessons_by(LESSONS.iloc[0:0], "domain").empty


def test_lesson_ingredients_by_keyword_column_and_label() -> None:
    pairs = lesson_ingredients(LESSONS)
    got = pairs.groupby("lesson_id")["ingredient"].apply(sorted).to_dict()
    assert got["L3"] == ["finance"]  # "budget"
    assert got["L4"] == ["leadership_management"]  # "schepen"
    assert got["L1"] == ["unassigned"]
    given = LESSONS.assign(ingredient=["awareness", None, None, None, None, None])
    assert lesson_ingredients(given).iloc[0].tolist() == ["L1", "awareness"]
    labelled = lesson_ingredients(LESSONS, keywords={}, labels={"checks": "Checklist use"})
    assert labelled.loc[labelled["lesson_id"] == "L1", "ingredient"].tolist() == ["checks"]


def test_similarity_works_for_paraphrases_in_both_languages() -> None:
    sim = theme_similarity(LESSONS["what_changed"].tolist())
    assert sim[0, 1] > 0.6 and sim[3, 4] > 0.6  # English pair, Dutch pair
    assert sim[0, 2] < 0.3 and sim[0, 3] < 0.3  # different lesson, different language
    assert theme_similarity([]).shape == (0, 0)


def test_recurring_lessons_and_shared_themes() -> None:
    recurrence = recurring_lessons(LESSONS).set_index("lesson_id")
    assert recurrence.loc["L1", "cluster"] == recurrence.loc["L2", "cluster"]
    assert recurrence.loc["L4", "cluster"] == recurrence.loc["L5", "cluster"] == recurrence.loc["L6", "cluster"]
    assert recurrence.loc["L1", "cluster"] != recurrence.loc["L3", "cluster"]
    assert recurrence.loc["L4"][["n_lessons", "n_partners", "n_tracks"]].tolist() == [3, 2, 1]
    assert recurrence.loc["L1"][["n_partners", "n_tracks", "recurring"]].tolist() == [2, 1, True]
    assert not recurrence.loc["L3", "recurring"]  # said by one partner only
    themes = lesson_themes(LESSONS, recurrence.reset_index())
    shared = recurring_themes(themes)
    assert shared[["n_partners", "n_tracks", "n_lessons", "lesson_ids"]].values.tolist() == [
        [2, 1, 2, "L1, L2"],
        [2, 1, 3, "L4, L5, L6"],
    ]
    own = recurring_themes(themes, LESSONS[LESSONS["partner_id"] == "P4"])
    assert own["lesson_ids"].tolist() == ["L4, L5, L6"]
    assert recurring_lessons(LESSONS.iloc[0:0]).empty
    assert recurring_lessons(LESSONS.iloc[:1])["recurring"].tolist() == [False]


def test_recommended_actions_ranked_by_rule_then_severity() -> None:
    chain = pd.DataFrame(
        {"wave": [1, 2], "l1": [80.0, 85.0], "l3": [40.0, 30.0], "n_l3": [9, 8], "broken": [True, True]}
    )
    gaps = pd.DataFrame(
        {
            "wave": [2, 2, 2, 2, 1],
            "service": ["b", "a", "c", "d", "e"],
            "gap": [4.0, 4.0, 1.0, 5.0, 9.0],
            "spread": [0.5, 2.5, 3.0, 0.1, 0.0],
            "n_respondents": [3, 3, 3, 3, 3],
            "least_consensus": [False, True, True, False, False],
        }
    )
    neck = pd.DataFrame(
        {"unit_id": "U", "wave": 1, "ingredient": ["finance", "awareness"], "mean": 1.5, "n_raters": 2, "n_tied": 2}
    )
    attention = pd.DataFrame(
        {
            "unit_id": "U",
            "wave": 1,
            "ingredient": ["finance", "awareness", "evidence"],
            "mean": [1.5, 1.5, 2.5],
            "n_raters": 2,
        }
    )
    # the verdicts the claim rules give (capeval.analysis.claims): L3 -1.0 on 0-100 is about the same
    change = pd.DataFrame(
        {
            "level": ["L2", "L3"],
            "conservative_change": [5.0, -1.0],
            "n_paired": [6, 6],
            "verdict": ["improved", "about_same"],
        }
    )
    gap_changes = pd.DataFrame(
        {
            "service": ["a", "b"],
            "change": [1.0, -2.0],
            "effect": ["grew", "narrowed"],
            "compared": ["same", "same"],
            "n_compared": [3, 3],
        }
    )
    criteria = pd.DataFrame(
        {"criterion": ["impact", "efficiency"], "strength": ["none", "weak"], "n_respondents": [0, 0]}
    )
    out = recommended_actions(
        chain=chain,
        gaps=gaps,
        gap_changes=gap_changes,
        bottleneck=neck,
        attention=attention,
        change=change,
        criteria=criteria,
        min_group_size=3,
    )
    assert out[["rank", "rule", "subject"]].values.tolist() == [
        [1, "broken_chain", "L1-L3"],
        [2, "largest_gap", "d"],
        [3, "largest_gap", "a"],  # tie on gap 4.0: by name
        [4, "largest_gap", "b"],
        [5, "scaling_bottleneck", "awareness"],
        [6, "scaling_bottleneck", "finance"],
        [7, "gap_widened", "a"],
        [8, "no_behaviour_change", "L3"],
        [9, "least_consensus", "c"],
        [10, "least_consensus", "a"],
        [11, "point_of_attention", "evidence"],
        [12, "criterion_without_evidence", "impact"],
    ]
    assert out.loc[0, ["value", "n", "figure"]].tolist() == [30.0, 8, "kirkpatrick"]  # latest wave
    assert out.loc[1, ["value", "figure"]].tolist() == [5.0, "gaps"]
    assert math.isnan(out.loc[11, "value"])  # no evidence: no number
    # the scaling rows rest on 2 raters (< 3): they say their base; every other action rests on at least 3
    assert out.loc[out["small_base"], "rule"].tolist() == [
        "scaling_bottleneck",
        "scaling_bottleneck",
        "point_of_attention",
    ]
    assert recommended_actions(min_group_size=3).empty
    assert recommended_actions(gaps=gaps, max_gaps=1, min_gap=4.5, min_group_size=3)["subject"].tolist() == [
        "d",
        "c",
        "a",
    ]
