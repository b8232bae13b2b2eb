"""Kirkpatrick chain, broken chain, pre/post change with Phillips' rules, and the criteria matrix.

Hand computation (scores in percent of scale):
  items Q1 L1 1-5, Q2 L2 1-5, Q3 L3 0-10, QA attribution 0-100, QC attribution confidence 0-100
  P1 wave 1: a Q1=5 (100) Q2=2 (25) Q3=2 (20); b Q1=4 (75) Q2=3 (50) Q3=4 (40); c Q1=5 (100) Q2=1 (0)
  P1 wave 2: a Q2=4 (75) Q3=3 (30) QA=50 QC=80; b Q2=5 (100) Q3=4 (40)
  P2 wave 1: r Q1=3 (50)
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from capeval.analysis.criteria import criteria_matrix, evidence_sources, evidence_strength
from capeval.analysis.kirkpatrick import (
    broken_chain,
    kirkpatrick_benchmark,
    kirkpatrick_chain,
    kirkpatrick_dimensions,
    pre_post_change,
)

ITEMS = pd.DataFrame(
    {
        "item_id": ["Q1", "Q2", "Q3", "QA", "QC"],
        "level": ["L1", "L2", "L3", "L4", "L4"],
        "dimension": ["satisfaction", "knowledge", "application", "attribution", "attribution_confidence"],
        "criterion": ["relevance", "effectiveness", "effectiveness", None, None],
        "scale_min": [1, 1, 0, 0, 0],
        "scale_max": [5, 5, 10, 100, 100],
    }
)
ANSWERS = [
    ("a", "P1", 1, "Q1", 5),
    ("a", "P1", 1, "Q2", 2),
    ("a", "P1", 1, "Q3", 2),
    ("b", "P1", 1, "Q1", 4),
    ("b", "P1", 1, "Q2", 3),
    ("b", "P1", 1, "Q3", 4),
    ("c", "P1", 1, "Q1", 5),
    ("c", "P1", 1, "Q2", 1),
    ("a", "P1", 2, "Q2", 4),
    ("a", "P1", 2, "Q3", 3),
    ("a", "P1", 2, "QA", 50),
    ("a", "P1", 2, "QC", 80),
    ("b", "P1", 2, "Q2", 5),
    ("b", "P1", 2, "Q3", 4),
    ("r", "P2", 1, "Q1", 3),
]
RESPONSES = pd.DataFrame(ANSWERS, columns=["respondent_id", "partner_id", "wave", "item_id", "value"]).assign(
    activity_id="A1", value=lambda f: f["value"].astype("float64"), wave=lambda f: f["wave"].astype("Int64")
)


def _row(frame: pd.DataFrame, **keys: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in keys.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, keys
    return frame[mask].iloc[0]


def test_chain_means_by_hand_and_small_partner_suppressed() -> None:
    chain = kirkpatrick_chain(RESPONSES, ITEMS, min_group_size=2)
    l1 = _row(chain, partner_id="P1", wave=1, level="L1")
    assert (l1["n_respondents"], l1["n_items"], l1["mean"]) == (3, 1, pytest.approx(275 / 3))
    assert _row(chain, partner_id="P1", wave=1, level="L2")["mean"] == 25.0
    assert _row(chain, partner_id="P1", wave=1, level="L3")["mean"] == 30.0
    assert _row(chain, partner_id="P1", wave=2, level="L2")["mean"] == 87.5
    assert _row(chain, partner_id="P1", wave=2, level="L3")["mean"] == 35.0
    small = _row(chain, partner_id="P2", wave=1, level="L1")
    assert small["n_respondents"] == 1 and small["suppressed"] and math.isnan(small["mean"])
    # attribution items do not score L4; wave 2 has no L1 row at all
    assert set(chain["level"]) == {"L1", "L2", "L3"}
    assert len(chain[(chain["wave"] == 2) & (chain["level"] == "L1")]) == 0


def test_chain_carries_sd_and_confidence_interval() -> None:
    chain = kirkpatrick_chain(RESPONSES, ITEMS, min_group_size=2)
    l1 = _row(chain, partner_id="P1", wave=1, level="L1")
    # respondent means 100, 75, 100: sd = sqrt((8.333^2 + 16.667^2 + 8.333^2) / 2) = sqrt(208.33) = 14.434;
    # 95 % CI = 91.667 -/+ t(0.975, 2) 4.3027 x 14.434 / sqrt(3) = 91.667 -/+ 35.855 -> 55.811 to 100 (clipped)
    assert l1["sd"] == pytest.approx(208.3333**0.5, abs=1e-3)
    assert (l1["ci_low"], l1["ci_high"]) == (pytest.approx(55.811, abs=1e-3), 100.0)
    small = _row(chain, partner_id="P2", wave=1, level="L1")
    assert math.isnan(small["sd"]) and math.isnan(small["ci_low"])  # suppressed: no spread either


def test_broken_chain_needs_both_levels_and_clear_intervals() -> None:
    chain = kirkpatrick_chain(RESPONSES, ITEMS, min_group_size=2)
    flags = broken_chain(chain)
    p1w1 = _row(flags, partner_id="P1", wave=1)
    assert (p1w1["l1"], p1w1["l3"], p1w1["n_l1"], p1w1["n_l3"]) == (pytest.approx(91.667, abs=1e-3), 30.0, 3, 2)
    # Was "broken" on these two L3 respondents (20, 40): their 95 % CI is 30 -/+ 12.706 x 10 -> 0 to 100
    # (clipped) and holds 50, as L1's (55.8-100) holds 70: the evidence cannot tell, so borderline.
    assert (p1w1["l3_ci_low"], p1w1["l3_ci_high"]) == (0.0, 100.0)
    assert (p1w1["verdict"], p1w1["broken"]) == ("borderline", False)
    p1w2 = _row(flags, partner_id="P1", wave=2)
    assert (p1w2["verdict"], p1w2["broken"]) == ("insufficient", False)  # no L1 in wave 2: no claim
    assert _row(flags, partner_id="P2", wave=1)["verdict"] == "insufficient"  # suppressed L1, no L3
    assert (broken_chain(chain, high=95.0, low=0.0)["verdict"] != "borderline").all()  # configurable thresholds


def test_pre_post_change_pairs_by_respondent_with_phillips_rules() -> None:
    change = pre_post_change(RESPONSES, ITEMS, baseline=1, follow_up=2, min_group_size=2)
    l2 = _row(change, partner_id="P1", level="L2")
    assert (l2["n_baseline"], l2["n_paired"], l2["n_lost"]) == (3, 2, 1)
    assert (l2["mean_pre"], l2["mean_post"], l2["mean_change"]) == (37.5, 87.5, 50.0)
    assert l2["conservative_change"] == pytest.approx(100 / 3)  # c did not answer: counts as no change
    assert l2["attributed_change"] == pytest.approx(20 / 3)  # a: 50 x 0.5 x 0.8; b gave no estimate: 0
    l3 = _row(change, partner_id="P1", level="L3")
    assert (l3["n_paired"], l3["n_lost"], l3["mean_change"], l3["conservative_change"]) == (2, 0, 5.0, 5.0)
    assert l3["attributed_change"] == pytest.approx(2.0)  # a: 10 x 0.4 = 4, over 2
    p2 = change[change["partner_id"] == "P2"]
    assert p2.empty  # P2 answered no L2-L4 item


def test_pre_post_change_suppressed_and_missing_wave() -> None:
    change = pre_post_change(RESPONSES, ITEMS, baseline=1, follow_up=2, min_group_size=3)
    l2 = _row(change, partner_id="P1", level="L2")
    assert l2["suppressed"] and math.isnan(l2["mean_change"]) and l2["n_paired"] == 2
    missing = pre_post_change(RESPONSES, ITEMS, baseline=1, follow_up=3, min_group_size=1)
    l2 = _row(missing, partner_id="P1", level="L2")
    assert (l2["n_paired"], l2["n_lost"], l2["suppressed"]) == (0, 3, True)
    no_attribution = ITEMS[~ITEMS["item_id"].isin(["QA", "QC"])]
    plain = pre_post_change(RESPONSES, no_attribution, baseline=1, follow_up=2, min_group_size=1)
    assert plain["attributed_change"].isna().all()  # no attribution question: no attributed claim


def test_dimensions_and_benchmark() -> None:
    dims = kirkpatrick_dimensions(RESPONSES, ITEMS, min_group_size=2)
    assert _row(dims, partner_id="P1", wave=1, dimension="knowledge")["mean"] == 25.0
    bench = kirkpatrick_benchmark(RESPONSES, ITEMS, min_group_size=2)
    l1 = _row(bench, wave=1, level="L1")
    # pooled over 4 respondents (100, 75, 100, 50); only P1 is shown, 1 partner < 2: no median
    assert (l1["n_respondents"], l1["mean"], l1["n_partners"]) == (4, 81.25, 1)
    assert math.isnan(l1["median"]) and l1["suppressed"]
    one = kirkpatrick_benchmark(RESPONSES, ITEMS, min_group_size=1)
    assert _row(one, wave=1, level="L1")["median"] == pytest.approx((275 / 3 + 50) / 2)


def test_empty_responses_give_empty_frames() -> None:
    empty = RESPONSES.iloc[0:0]
    assert kirkpatrick_chain(empty, ITEMS, min_group_size=2).empty
    assert broken_chain(kirkpatrick_chain(empty, ITEMS, min_group_size=2)).empty
    assert pre_post_change(empty, ITEMS, baseline=1, follow_up=2, min_group_size=2).empty


def test_criteria_matrix_by_hand_and_no_evidence_is_not_zero() -> None:
    p1 = RESPONSES[RESPONSES["partner_id"] == "P1"]
    sources = evidence_sources(
        {"activities": pd.DataFrame({"cost_eur": [100.0, None]}), "portfolio": pd.DataFrame(), "lessons": None}  # type: ignore[dict-item]
    )
    assert sources.to_dict("records") == [{"source": "activities", "criterion": "efficiency", "n_records": 1}]
    matrix = criteria_matrix(p1, ITEMS, sources=sources, min_group_size=3).set_index("criterion")
    relevance = matrix.loc["relevance"]
    assert (relevance["score"], relevance["n_items"], relevance["n_respondents"]) == (pytest.approx(275 / 3), 1, 3)
    assert relevance["strength"] == "weak"
    eff = matrix.loc["effectiveness"]
    # respondent means over Q2 and Q3 in both waves: a 37.5, b 57.5, c 0
    assert (eff["score"], eff["n_items"], eff["n_answers"], eff["strength"]) == (
        pytest.approx(95 / 3),
        2,
        9,
        "moderate",
    )
    efficiency = matrix.loc["efficiency"]
    assert (
        math.isnan(efficiency["score"]) and efficiency["strength"] == "weak" and efficiency["sources"] == "activities"
    )
    assert "eu_added_value" not in matrix.index  # only where programme.yaml declares it
    for criterion in ("coherence", "impact", "sustainability"):
        row = matrix.loc[criterion]
        assert math.isnan(row["score"]) and row["strength"] == "none" and row["n_sources"] == 0
        assert not row["suppressed"]
    small = criteria_matrix(p1, ITEMS, min_group_size=4).set_index("criterion")
    assert small.loc["relevance", "suppressed"] and math.isnan(small.loc["relevance", "score"])


def test_evidence_strength_rule() -> None:
    # arguments: items, respondents, kinds of scoring source (self-report, observation, records)
    assert evidence_strength(0, 0, 0, min_group_size=5) == "none"
    assert evidence_strength(0, 0, 0, n_other_sources=1, min_group_size=5) == "weak"  # evidence without a score
    assert evidence_strength(2, 10, 2, min_group_size=5) == "strong"
    assert evidence_strength(2, 4, 2, min_group_size=5) == "weak"  # score not shown
    assert evidence_strength(2, 10, 1, min_group_size=5) == "moderate"
    # sources that give no score do not raise the strength (they made one item "moderate" before)
    assert evidence_strength(2, 10, 1, n_other_sources=3, min_group_size=5) == "moderate"
    assert evidence_strength(1, 10, 1, n_other_sources=1, min_group_size=5) == "weak"
