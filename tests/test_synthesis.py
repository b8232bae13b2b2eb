"""The programme synthesis on hand-computed small cases: ingredient profile, bottleneck counts (ties),
the rationales' quote rule, track chains, the groups furthest apart, gap frequency and partner outliers."""

from __future__ import annotations

import pandas as pd
import pytest

from capeval.analysis.scaling import scaling_bottleneck, scaling_scores
from capeval.analysis.synthesis import (
    bottleneck_counts,
    bottleneck_rationales,
    furthest_apart,
    gap_frequency,
    ingredient_profile,
    partner_outliers,
    track_chains,
)


def _scan(rows: list[tuple[str, str, str, float]], wave: int = 1) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "rater", "ingredient", "score"]).assign(wave=wave)


# unit A: finance 2 (two raters 1 and 3), leadership 4 -> bottleneck finance
# unit B: finance 3, leadership 3 -> a tie
# unit C: finance 5, leadership 1 -> bottleneck leadership
SCAN = _scan(
    [
        ("A", "self", "finance", 1),
        ("A", "peer", "finance", 3),
        ("A", "self", "leadership", 4),
        ("A", "peer", "leadership", 4),
        ("B", "self", "finance", 3),
        ("B", "self", "leadership", 3),
        ("C", "self", "finance", 5),
        ("C", "self", "leadership", 1),
    ]
)


def test_profile_is_the_mean_of_unit_means_with_units_and_raters() -> None:
    scores = scaling_scores(SCAN, ingredients=["leadership", "finance"])
    profile = ingredient_profile(scores, ingredients=["leadership", "finance"])
    assert list(profile["ingredient"]) == ["leadership", "finance"]
    finance = profile.set_index("ingredient").loc["finance"]
    # unit means 2, 3, 5: every unit counts once, so (2 + 3 + 5) / 3, not the mean of the 4 ratings (3.0)
    assert finance["mean"] == pytest.approx(10 / 3)
    assert (finance["n_units"], finance["n_raters"], finance["low"], finance["high"]) == (3, 4, 2.0, 5.0)
    leadership = profile.set_index("ingredient").loc["leadership"]
    assert leadership["mean"] == pytest.approx((4 + 3 + 1) / 3)


def test_a_hidden_unit_mean_counts_nowhere() -> None:
    # personal opinions at min_group_size 2: B and C (one rater) are hidden, only A counts
    scores = scaling_scores(SCAN, min_raters=2)
    profile = ingredient_profile(scores).set_index("ingredient")
    assert profile.loc["finance", "n_units"] == 1
    assert profile.loc["finance", "mean"] == pytest.approx(2.0)


def test_bottleneck_counts_count_a_tie_for_each_ingredient() -> None:
    scores = scaling_scores(SCAN)
    counts = bottleneck_counts(scaling_bottleneck(scores), scores).set_index("ingredient")
    # finance: A alone + B tied = 2; leadership: C alone + B tied = 2; 4 in all for 3 units
    assert counts.loc["finance", ["n_bottleneck", "n_alone", "n_tied", "n_units"]].tolist() == [2, 1, 1, 3]
    assert counts.loc["leadership", ["n_bottleneck", "n_alone", "n_tied", "n_units"]].tolist() == [2, 1, 1, 3]


def test_near_ties_count_as_the_unit_report_names_them() -> None:
    scan = _scan([("A", "self", "finance", 2.0), ("A", "self", "leadership", 2.4)])
    scores = scaling_scores(scan)
    assert bottleneck_counts(scaling_bottleneck(scores), scores)["n_bottleneck"].sum() == 1
    within = bottleneck_counts(scaling_bottleneck(scores, within=0.5), scores)
    assert sorted(within["ingredient"]) == ["finance", "leadership"]
    assert within["n_tied"].tolist() == [1, 1]


def _reasons(n: int, consent: list[bool] | None) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "unit_id": [f"U{i}" for i in range(n)],
            "wave": 1,
            "rater": "self",
            "ingredient": "finance",
            "score": 1.0,
            "rationale": ["No budget after the pilot; call 06-12345678."] * (n - 1) + ["Funding ends."],
        }
    )
    return rows if consent is None else rows.assign(consent_to_quote=consent)


def test_rationales_quoted_only_with_consent_and_enough_of_them() -> None:
    neck = scaling_bottleneck(scaling_scores(_reasons(4, None)))
    few = bottleneck_rationales(_reasons(4, [True] * 4), neck, min_comments=5)
    assert few[["n_rationales", "n_quotable", "quotes"]].iloc[0].tolist() == [4, 0, ""]
    none = bottleneck_rationales(_reasons(4, None), neck, min_comments=2)
    assert none[["n_rationales", "n_quotable", "quotes"]].iloc[0].tolist() == [4, 0, ""]
    some = bottleneck_rationales(_reasons(4, [True, True, False, False]), neck, min_comments=4)
    row = some.iloc[0]
    assert (row["n_rationales"], row["n_quotable"]) == (4, 2)
    assert "06-12345678" not in row["quotes"]  # redacted before it is quoted
    assert row["quotes"].startswith("No budget after the pilot") and "Funding ends" not in row["quotes"]


def test_furthest_apart_compares_shown_means_per_wave() -> None:
    levels = pd.DataFrame(
        {
            "type": ["peer_review", "workshop", "exchange", "workshop"],
            "wave": [1, 1, 1, 2],
            "level": "L3",
            "mean": [41.96, 60.04, float("nan"), 55.0],
            "n_respondents": [30, 25, 3, 20],
        }
    )
    apart = furthest_apart(levels, by="type")
    assert len(apart) == 1  # wave 2 shows one type only; the hidden exchange does not compete
    row = apart.iloc[0]
    assert (row["top"], row["bottom"], row["top_n"], row["bottom_n"]) == ("workshop", "peer_review", 25, 30)
    assert row["difference"] == pytest.approx(60.0 - 42.0)  # 60.0 - 42.0 as shown, not 18.08


def test_gap_frequency_counts_each_partners_largest_gap() -> None:
    largest = pd.DataFrame(
        {
            "partner_id": ["P1", "P2", "P3", "P4"],
            "gap_service": ["training", "training", "network", None],
            "gap": [3.0, 2.0, 4.0, float("nan")],
        }
    )
    freq = gap_frequency(largest)
    assert freq[["service", "n_partners", "mean_gap", "n_with_gap"]].values.tolist() == [
        ["training", 2, 2.5, 3],
        ["network", 1, 4.0, 3],
    ]


def test_outliers_are_furthest_below_and_above_as_shown() -> None:
    values = pd.DataFrame(
        {
            "partner_id": ["P1", "P2", "P3", "P4", "P5"],
            "indicator": "L3",
            "value": [40.04, 55.0, 70.0, 48.0, float("nan")],
            "n": [6, 8, 7, 9, 3],
        }
    )
    programme = pd.DataFrame({"indicator": ["L3"], "value": [50.0], "n": [33]})
    out = partner_outliers(values, programme, min_change=5.0)
    assert out[["side", "partner_id", "value", "n", "difference"]].values.tolist() == [
        ["below", "P1", 40.04, 6, -10.0],
        ["above", "P3", 70.0, 7, 20.0],
    ]
    assert set(out["programme_n"]) == {33}
    # P4 (48, 2 below) is about the same; the hidden P5 is no outlier whatever it is
    assert partner_outliers(values.iloc[[3, 4]], programme, min_change=5.0).empty


def test_track_chains_pool_each_tracks_partners_and_leave_out_the_untracked() -> None:
    items = pd.DataFrame(
        {"item_id": ["Q1", "Q2"], "level": "L1", "dimension": "satisfaction", "criterion": "relevance"}
    ).assign(scale_min=0, scale_max=10)
    partners = pd.DataFrame({"partner_id": ["A", "B", "C"], "track_id": ["t2", "t1", None]})
    responses = pd.DataFrame(
        {
            "respondent_id": ["R1", "R1", "R1", "R2", "R1"],  # A's R1 and B's R1 are two people
            "partner_id": ["A", "A", "B", "B", "C"],
            "activity_id": None,
            "wave": 1,
            "item_id": ["Q1", "Q2", "Q1", "Q1", "Q1"],
            "value": [2.0, 4.0, 6.0, 8.0, 10.0],
        }
    )
    chain = track_chains(responses, items, partners, min_group_size=1)
    # t1 (B): 60 and 80 % → 70, two people, one item; t2 (A): R1's mean of 20 and 40 % → 30; C has no track
    assert chain["track_id"].tolist() == ["t1", "t2"]
    assert chain["n_respondents"].tolist() == [2, 1]
    assert chain["n_items"].tolist() == [1, 2]
    assert chain["mean"].tolist() == pytest.approx([70.0, 30.0])
