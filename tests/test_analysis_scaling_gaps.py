"""Least consensus and wave change of gaps; Scaling Scan means, bottleneck ties, attention, transportability."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from capeval.analysis.gaps import gap_change, least_consensus, service_gaps
from capeval.analysis.scaling import (
    points_of_attention,
    scaling_benchmark,
    scaling_bottleneck,
    scaling_profile,
    scaling_scores,
    transportability,
)

PORTFOLIO = pd.DataFrame(
    [
        # partner, respondent, wave, service, offered_now, quality_now, offered_desired, quality_desired
        ("P1", "x", 1, "s", True, 2.0, True, 8.0),  # gap 6
        ("P1", "y", 1, "s", True, 6.0, True, 7.0),  # gap 1 -> sd sqrt(12.5)
        ("P1", "x", 1, "t", True, 5.0, True, 6.0),  # gap 1
        ("P1", "y", 1, "t", True, 5.0, True, 7.0),  # gap 2 -> sd sqrt(0.5)
        ("P1", "x", 2, "s", True, 5.0, True, 8.0),  # gap 3, one respondent
    ],
    columns=[
        "partner_id",
        "respondent_id",
        "wave",
        "service",
        "offered_now",
        "quality_now",
        "offered_desired",
        "quality_desired",
    ],
)


def test_least_consensus_flags_large_spread_only() -> None:
    flagged = least_consensus(service_gaps(PORTFOLIO)).set_index(["wave", "service"])
    assert flagged.loc[(1, "s"), "spread"] == pytest.approx(12.5**0.5)
    assert flagged.loc[(1, "s"), "least_consensus"]
    assert not flagged.loc[(1, "t"), "least_consensus"]
    assert not flagged.loc[(2, "s"), "least_consensus"]  # one respondent: no spread
    assert not least_consensus(service_gaps(PORTFOLIO), threshold=4.0)["least_consensus"].any()


def test_gap_change_baseline_to_follow_up_with_missing_wave() -> None:
    change = gap_change(PORTFOLIO, baseline=1, follow_up=2).set_index("service")
    s = change.loc["s"]
    # only x answered both waves: x's gap 6 -> 3 (quality 2 -> 5), not the mean of x and y (3.5) against x alone
    assert (s["gap_baseline"], s["gap_follow_up"], s["change"], s["effect"]) == (6.0, 3.0, -3.0, "narrowed")
    assert (s["quality_baseline"], s["quality_follow_up"], s["quality_change"]) == (2.0, 5.0, 3.0)
    assert (s["n_baseline"], s["n_follow_up"], s["n_paired"], s["compared"]) == (2, 1, 1, "paired")
    t = change.loc["t"]
    assert t["n_follow_up"] == 0 and math.isnan(t["change"]) and t["gap_baseline"] == 1.5
    assert pd.isna(t["compared"]) and pd.isna(t["effect"])
    assert gap_change(PORTFOLIO, baseline=7, follow_up=8).empty


SCALING = pd.DataFrame(
    [
        ("U1", 1, "r1", "a", 1),
        ("U1", 1, "r1", "b", 3),
        ("U1", 1, "r1", "c", 1),
        ("U1", 1, "r2", "a", 2),
        ("U1", 1, "r2", "b", 4),
        ("U1", 1, "r2", "c", 2),
        ("U2", 1, "r1", "a", 4),
        ("U2", 1, "r1", "b", 2),
        ("U2", 1, "r1", "c", 5),
        ("U2", 2, "r1", "a", 5),
    ],
    columns=["unit_id", "wave", "rater", "ingredient", "score"],
).assign(score=lambda f: f["score"].astype("float64"))


def test_scaling_scores_mean_and_spread_in_programme_order() -> None:
    scores = scaling_scores(SCALING, ingredients=["c", "b", "a"])
    u1 = scores[(scores["unit_id"] == "U1") & (scores["wave"] == 1)]
    assert u1["ingredient"].tolist() == ["c", "b", "a"]
    assert u1["mean"].tolist() == [1.5, 3.5, 1.5]
    assert u1["spread"].tolist() == [1.0, 1.0, 1.0]
    assert u1["n_raters"].tolist() == [2, 2, 2]
    only_ab = scaling_scores(SCALING, ingredients=["a", "b"])
    assert set(only_ab["ingredient"]) == {"a", "b"}


def test_bottleneck_reports_ties_and_skips_suppressed_units() -> None:
    neck = scaling_bottleneck(scaling_scores(SCALING))
    u1 = neck[neck["unit_id"] == "U1"]
    assert u1["ingredient"].tolist() == ["a", "c"] and u1["n_tied"].tolist() == [2, 2]
    u2 = neck[(neck["unit_id"] == "U2") & (neck["wave"] == 1)]
    assert u2["ingredient"].tolist() == ["b"] and u2["n_tied"].tolist() == [1]
    strict = scaling_bottleneck(scaling_scores(SCALING, min_raters=2))
    assert set(strict["unit_id"]) == {"U1"}  # U2 has one rater: suppressed, no bottleneck claimed


def test_points_of_attention_and_profile() -> None:
    scores = scaling_scores(SCALING)
    attention = points_of_attention(scores)
    assert list(zip(attention["unit_id"], attention["ingredient"], strict=True)) == [
        ("U1", "a"),
        ("U1", "c"),
        ("U2", "b"),
    ]
    assert points_of_attention(scores, threshold=1.5).empty
    assert scaling_profile(scores, "U2")["ingredient"].tolist() == ["a"]  # latest wave: 2
    assert scaling_profile(scores, "U9").empty


def test_scaling_benchmark_suppressed_below_min_units() -> None:
    scores = scaling_scores(SCALING)
    bench = scaling_benchmark(scores, min_group_size=2).set_index(["wave", "ingredient"])
    assert bench.loc[(1, "a"), "median"] == 2.75 and bench.loc[(1, "a"), "n_units"] == 2
    assert bench.loc[(2, "a"), "suppressed"] and math.isnan(bench.loc[(2, "a"), "median"])
    assert scaling_benchmark(scores.iloc[0:0], min_group_size=2).empty


def test_transportability_from_artefacts_adoption_and_recurrence() -> None:
    lessons = pd.DataFrame(
        {
            "lesson_id": ["L1", "L2", "L3"],
            "partner_id": ["P1", "P1", "P2"],
            "artefact": ["manual", "checklist", None],
            "adopted_by": [None, "P2; P3, P1", None],
        }
    )
    recurrence = pd.DataFrame({"lesson_id": ["L1", "L3"], "n_partners": [3, 1]})
    out = transportability(lessons, recurrence=recurrence).set_index("unit")
    assert out.loc["P1"].tolist() == [2, 2, "checklist; manual", 2, 2]
    assert out.loc["P2"].tolist() == [1, 0, "", 0, 0]
    assert transportability(lessons.iloc[0:0]).empty
