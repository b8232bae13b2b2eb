"""Every generated claim has a minimum base and a minimum effect, compared as the reader sees it (issue 12).

Hand computations are written beside each case.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from capeval import report
from capeval.analysis.claims import as_shown, change_effect, confidence_interval, shown_change
from capeval.analysis.criteria import criteria_matrix, evidence_sources
from capeval.analysis.gaps import gap_change, least_consensus, respondents_by_wave, service_gaps
from capeval.analysis.kirkpatrick import (
    broken_chain,
    change_verdict,
    kirkpatrick_chain,
    pre_post_change,
    self_report_caveat,
    self_reported_levels,
)
from capeval.analysis.recommendations import recommended_actions
from capeval.analysis.scaling import scaling_bottleneck, scaling_scores
from capeval.schema import OECD_DAC_CRITERIA, ProgrammeConfig
from capeval.store import build_store
from capeval.validate import validate_programme

PORTFOLIO_COLUMNS = ["partner_id", "respondent_id", "wave", "service", "offered_now", "quality_now"]
PORTFOLIO_COLUMNS += ["offered_desired", "quality_desired"]


def portfolio(rows: list[tuple[str, int, str, float, float]]) -> pd.DataFrame:
    """Rows of (respondent, wave, service, quality now, quality desired) of partner P, all offered."""
    return pd.DataFrame(
        [("P", r, w, s, True, now, True, desired) for r, w, s, now, desired in rows], columns=PORTFOLIO_COLUMNS
    )


# --- values as shown ------------------------------------------------------------------------


def test_values_are_compared_as_shown() -> None:
    assert as_shown(pd.Series([2.000000000000001, 1.96, 0.35, float("nan")])).tolist()[:3] == [2.0, 2.0, 0.3]
    # 1.8 - 2.3 is -0.4999999999999998 in floating point; the reader sees -0.5
    assert shown_change(pd.Series([2.3]), pd.Series([1.8])).tolist() == [-0.5]
    # -0.49 is shown as -0.5: a decrease to the reader; -0.44 is shown as -0.4
    effect = change_effect(pd.Series([0.4, 0.5, -0.49, -0.44, float("nan")]), 0.5)
    assert effect.tolist()[:4] == ["about_same", "increased", "decreased", "about_same"]
    assert pd.isna(effect.iloc[4])


def test_floating_point_gap_is_not_a_gap_that_grew() -> None:
    # REG01, temporary workers: baseline respondent a: 8 - 6 = 2.0; at follow-up three others answer 7 -> 9,
    # 5 -> 7, 7 -> 9: mean desired 25/3 minus mean current 19/3 = 2.000000000000001 in floating point
    rows = portfolio(
        [("a", 1, "temp", 6.0, 8.0), ("b", 2, "temp", 7.0, 9.0), ("c", 2, "temp", 5.0, 7.0), ("d", 2, "temp", 7.0, 9.0)]
    )
    gaps = service_gaps(rows).set_index("wave")["gap"]
    assert gaps[2] - gaps[1] > 0  # what used to trigger "find out why the gap ... grew"
    change = gap_change(rows, baseline=1, follow_up=2).iloc[0]
    assert (change["change"], change["effect"], change["compared"]) == (0.0, "about_same", "unpaired")
    actions = recommended_actions(gap_changes=gap_change(rows, baseline=1, follow_up=2), min_group_size=5)
    assert "gap_widened" not in set(actions["rule"])


def test_a_change_under_min_change_is_about_the_same() -> None:
    # respondent a in both waves: s 8 - 5 = 3.0 -> 8 - 4.6 = 3.4 (+0.4 < 0.5: about the same);
    # t 8 - 6 = 2.0 -> 8 - 5.5 = 2.5 (+0.5: grew); u 8 - 5.7 = 2.3 -> 8 - 6.2 = 1.8 (-0.5 as shown: narrowed)
    rows = portfolio(
        [
            ("a", 1, "s", 5.0, 8.0),
            ("a", 2, "s", 4.6, 8.0),
            ("a", 1, "t", 6.0, 8.0),
            ("a", 2, "t", 5.5, 8.0),
            ("a", 1, "u", 5.7, 8.0),
            ("a", 2, "u", 6.2, 8.0),
        ]
    )
    change = gap_change(rows, baseline=1, follow_up=2).set_index("service")
    assert change["change"].to_dict() == {"s": 0.4, "t": 0.5, "u": -0.5}
    assert change["effect"].to_dict() == {"s": "about_same", "t": "grew", "u": "narrowed"}
    assert set(change["compared"]) == {"same"}
    # a programme may ask for larger changes: with min_change 1.0 all three are about the same
    assert set(gap_change(rows, baseline=1, follow_up=2, min_change=1.0)["effect"]) == {"about_same"}
    actions = recommended_actions(gap_changes=change.reset_index(), min_group_size=5)
    widened = actions[actions["rule"] == "gap_widened"]
    assert widened["subject"].tolist() == ["t"]
    assert widened[["n", "base", "small_base"]].values.tolist() == [[1, "paired", True]]  # 1 person: said so


def test_wave_change_pairs_the_same_respondents() -> None:
    # MUN01: a, b, c, d at baseline (gaps 2, 4, 6, 8: mean 5), only a at follow-up (gap 3).
    # Paired on a: 2 -> 3 (+1.0, grew); the wave means would say 5 -> 3 (narrowed).
    rows = portfolio(
        [
            ("a", 1, "s", 6.0, 8.0),
            ("b", 1, "s", 4.0, 8.0),
            ("c", 1, "s", 2.0, 8.0),
            ("d", 1, "s", 1.0, 9.0),
            ("a", 2, "s", 5.0, 8.0),
        ]
    )
    row = gap_change(rows, baseline=1, follow_up=2).iloc[0]
    assert (row["n_baseline"], row["n_follow_up"], row["n_paired"], row["compared"]) == (4, 1, 1, "paired")
    assert (row["gap_baseline"], row["gap_follow_up"], row["change"], row["effect"]) == (2.0, 3.0, 1.0, "grew")
    assert respondents_by_wave(rows, baseline=1, follow_up=2).values.tolist() == [["P", 4, 1, 1]]
    # a portfolio without respondent ids is the partner's own answer: one per wave, compared with itself
    own = rows.drop(columns="respondent_id").iloc[[0, 4]]
    assert gap_change(own, baseline=1, follow_up=2).iloc[0]["compared"] == "same"


def test_the_report_says_when_the_respondent_sets_differ(small: Path) -> None:
    lines = ["partner_id,respondent_id,wave,service,offered_now,quality_now,offered_desired,quality_desired"]
    lines += [f"P1,{r},1,training,yes,{q},yes,8" for r, q in (("a", 6), ("b", 4), ("c", 2), ("d", 5))]
    lines += ["P1,a,2,training,yes,5,yes,8"]
    (small / "portfolio.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_store(small)
    page = str(report.gaps(report.open_report(str(small), "partner", "P1", language="en")))
    assert (
        "The respondents differ between the waves (4 at the baseline, 1 at the follow-up): "
        "the change compares the one respondent who answered both." in page
    )
    # a: gap 8 - 6 = 2.0 -> 8 - 5 = 3.0 (grew by 1.0; quality 6 -> 5); min_group_size is 2, so the one pair is said
    assert (
        '<tr><td>Further training</td><td class="num">2.0</td><td class="num">3.0</td><td class="num">1.0</td>'
        '<td>grew</td><td class="num">1</td><td class="num">\u22121.0</td></tr>' in page
    )
    assert "Based on 1 respondent who answered both waves only." in page


# --- respondents agree ------------------------------------------------------------------------


def test_agreement_needs_two_respondents() -> None:
    # s: one respondent; t: a gap 3, b gap 4 (sd 0.71: agree); u: a gap 1, b gap 6 (sd 3.54 > 2: disagree)
    rows = portfolio(
        [
            ("a", 1, "s", 5.0, 8.0),
            ("a", 1, "t", 5.0, 8.0),
            ("b", 1, "t", 4.0, 8.0),
            ("a", 1, "u", 7.0, 8.0),
            ("b", 1, "u", 2.0, 8.0),
        ]
    )
    consensus = least_consensus(service_gaps(rows)).set_index("service")["consensus"].to_dict()
    assert consensus == {"u": "disagree", "t": "agree", "s": "single"}
    # a spread of 2.04 is shown as 2.0: not above the threshold 2.0 the reader sees
    flagged = least_consensus(pd.DataFrame({"n_respondents": [2], "spread": [2.04], "gap": [1.0], "service": ["x"]}))
    assert flagged["consensus"].tolist() == ["agree"]


# --- Kirkpatrick: uncertainty and the broken chain -------------------------------------------

ITEMS = pd.DataFrame(
    {
        "item_id": ["R", "B"],
        "level": ["L1", "L3"],
        "dimension": ["satisfaction", "application"],
        "criterion": ["relevance", "effectiveness"],
        "scale_min": [0, 0],
        "scale_max": [100, 100],
    }
)


def chain_of(l1: list[float], l3: list[float]) -> pd.DataFrame:
    rows = [(f"r{i}", "P", 1, "R", v) for i, v in enumerate(l1)] + [(f"r{i}", "P", 1, "B", v) for i, v in enumerate(l3)]
    responses = pd.DataFrame(rows, columns=["respondent_id", "partner_id", "wave", "item_id", "value"])
    return kirkpatrick_chain(responses.assign(activity_id="A"), ITEMS, by=(), min_group_size=5)


REACTION = [90.0, 85.0, 95.0, 88.0, 92.0]  # mean 90, SS 58, sd 3.808, CI 90 -/+ 2.7764 x 1.7029 = 85.27 to 94.73


def test_a_borderline_chain_is_not_called_broken() -> None:
    # behaviour 40, 45, 48, 52, 54.5: mean 47.9; SS 62.41 + 8.41 + 0.01 + 16.81 + 43.56 = 131.2, sd sqrt(32.8)
    # = 5.7271, se 2.5612; 95 % CI 47.9 -/+ 2.7764 x 2.5612 = 47.9 -/+ 7.111 -> 40.79 to 55.01: holds 50
    chain = chain_of(REACTION, [40.0, 45.0, 48.0, 52.0, 54.5])
    l3 = chain.set_index("level").loc["L3"]
    assert (l3["mean"], l3["sd"]) == (pytest.approx(47.9), pytest.approx(32.8**0.5))
    assert (l3["ci_low"], l3["ci_high"]) == (pytest.approx(40.789, abs=1e-3), pytest.approx(55.011, abs=1e-3))
    flags = broken_chain(chain, by=()).iloc[0]
    assert (flags["verdict"], flags["broken"]) == ("borderline", False)
    assert recommended_actions(chain=broken_chain(chain, by=()), min_group_size=5).empty


def test_a_clearly_broken_chain_and_a_clearly_intact_one() -> None:
    # behaviour 46, 47, 48, 49, 49.5: mean 47.9, SS 8.2, sd 1.4318, CI 47.9 -/+ 2.7764 x 0.6403 -> 46.12 to 49.68
    broken = broken_chain(chain_of(REACTION, [46.0, 47.0, 48.0, 49.0, 49.5]), by=())
    assert (broken.iloc[0]["verdict"], broken.iloc[0]["l3_ci_high"]) == ("broken", pytest.approx(49.678, abs=1e-3))
    actions = recommended_actions(chain=broken, min_group_size=5)
    assert actions[["rule", "n", "small_base"]].values.tolist() == [["broken_chain", 5, False]]
    # behaviour 50, 50.5, 51, 51.5, 52: mean 51.0, SS 2.5, CI 51 -/+ 2.7764 x 0.3536 -> 50.02 to 51.98: not broken
    intact = broken_chain(chain_of(REACTION, [50.0, 50.5, 51.0, 51.5, 52.0]), by=())
    assert intact.iloc[0]["verdict"] == "intact"


def test_confidence_interval_by_hand() -> None:
    # n = 5, mean 50, sd 10: 50 -/+ t(0.975, 4) 2.776445 x 10 / sqrt(5) = 50 -/+ 12.4166; n = 1: no interval
    low, high = confidence_interval(pd.Series([50.0, 50.0]), pd.Series([10.0, math.nan]), pd.Series([5, 1]))
    assert low[0] == pytest.approx(37.5834, abs=1e-4) and high[0] == pytest.approx(62.4166, abs=1e-4)
    assert math.isnan(low[1]) and math.isnan(high[1])


def test_behaviour_that_did_not_improve_by_the_minimum_change() -> None:
    # five respondents, L3 before/after: +4, +5, +6, +4, +5.7 -> mean change 4.94, shown 4.9 < 5: about the same
    before = [40.0, 40.0, 40.0, 40.0, 40.0]
    after = [44.0, 45.0, 46.0, 44.0, 45.7]
    rows = [(f"r{i}", "P", 1, "B", v) for i, v in enumerate(before)] + [
        (f"r{i}", "P", 2, "B", v) for i, v in enumerate(after)
    ]
    responses = pd.DataFrame(rows, columns=["respondent_id", "partner_id", "wave", "item_id", "value"])
    change = pre_post_change(responses.assign(activity_id="A"), ITEMS, baseline=1, follow_up=2, by=(), min_group_size=5)
    judged = change_verdict(change, min_change=5.0)
    l3 = judged.iloc[0]
    assert (l3["conservative_change"], l3["verdict"]) == (pytest.approx(4.94), "about_same")
    # sd of the changes 4, 5, 6, 4, 5.7: SS 0.8836 + 0.0036 + 1.1236 + 0.8836 + 0.5776 = 3.472, sd 0.9317
    assert l3["sd_change"] == pytest.approx((3.472 / 4) ** 0.5)
    actions = recommended_actions(change=judged, min_group_size=5)
    assert actions[["rule", "base", "small_base"]].values.tolist() == [["no_behaviour_change", "paired", False]]
    assert change_verdict(change, min_change=4.0).iloc[0]["verdict"] == "improved"
    hidden = change_verdict(change.assign(conservative_change=float("nan")), min_change=5.0)
    assert hidden.iloc[0]["verdict"] == "insufficient"  # a hidden change says nothing


# --- base of an action ------------------------------------------------------------------------


def test_an_action_on_few_respondents_says_its_base(small: Path) -> None:
    gaps = pd.DataFrame(
        {"wave": [1, 1], "service": ["s", "t"], "gap": [6.0, 5.0], "n_respondents": [3, 5], "spread": [0.5, 0.5]}
    ).assign(least_consensus=False)
    actions = recommended_actions(gaps=gaps, min_group_size=5)
    assert actions[["subject", "n", "base", "small_base"]].values.tolist() == [
        ["s", 3, "respondents", True],
        ["t", 5, "respondents", False],
    ]
    scores = scaling_scores(
        pd.DataFrame(
            {"unit_id": "U", "wave": 1, "rater": ["x", "y", "x", "y"], "ingredient": ["a", "a", "b", "b"]}
        ).assign(score=[1.0, 2.0, 1.0, 2.2])
    )
    neck = recommended_actions(bottleneck=scaling_bottleneck(scores, within=0.2), min_group_size=5)
    # a 1.5, b 1.6: 0.1 apart, under 0.2 on the 1-5 scale: one bottleneck of two, on 2 raters
    assert neck[["subject", "n", "base", "small_base"]].values.tolist() == [
        ["a", 2, "raters", True],
        ["b", 2, "raters", True],
    ]
    assert scaling_bottleneck(scores)["ingredient"].tolist() == ["a"]
    # in a report: the action's sentence says what it rests on (small: min_group_size 2, gap n = 1)
    build_store(small)
    page = str(report.actions(report.open_report(str(small), "partner", "P2", language="nl")))
    assert "Gebaseerd op slechts 1 respondent." in page


# --- criteria ---------------------------------------------------------------------------------


def test_criteria_default_to_dac_and_eu_added_value_only_where_declared() -> None:
    waves = [{"id": 1, "label": "baseline"}]
    default = ProgrammeConfig.model_validate({"id": "x", "title": "x", "waves": waves})
    assert tuple(default.criteria) == OECD_DAC_CRITERIA and "eu_added_value" not in default.criteria
    assert (default.min_change.points_10, default.min_change.points_100) == (0.5, 5.0)
    assert default.min_change.on_scale(1, 5) == pytest.approx(0.2)  # 5 % of the 1-5 range
    declared = ProgrammeConfig.model_validate(
        yaml.safe_load("id: x\ntitle: x\nwaves: [{id: 1, label: b}]\ncriteria: [relevance, eu_added_value]\n")
    )
    assert declared.criteria == ["relevance", "eu_added_value"]
    with pytest.raises(ValueError, match="eu_value"):
        ProgrammeConfig.model_validate({"id": "x", "title": "x", "waves": waves, "criteria": ["eu_value"]})
    with pytest.raises(ValueError, match="listed twice"):
        ProgrammeConfig.model_validate({"id": "x", "title": "x", "waves": waves, "criteria": ["impact", "impact"]})
    empty = pd.DataFrame(columns=["respondent_id", "partner_id", "wave", "item_id", "value"])
    matrix = criteria_matrix(empty, ITEMS, min_group_size=5)
    assert "eu_added_value" not in set(matrix["criterion"])
    assert "eu_added_value" not in set(recommended_actions(criteria=matrix, min_group_size=5)["subject"])
    eu = criteria_matrix(empty, ITEMS, min_group_size=5, criteria=tuple(declared.criteria))
    assert eu["criterion"].tolist() == ["relevance", "eu_added_value"]
    assert recommended_actions(criteria=eu, min_group_size=5)["subject"].tolist() == ["eu_added_value", "relevance"]


def test_only_sources_that_give_a_score_count_for_strength() -> None:
    # relevance: item S (self-report) and item O (observed), 5 respondents each answering both: strong;
    # without the observation it is one kind of source: moderate, whatever other tables exist
    items = pd.DataFrame(
        {
            "item_id": ["S", "O", "T"],
            "level": ["L1", "L3", "L1"],
            "dimension": ["relevance", "application", "relevance"],
            "criterion": ["relevance", "relevance", "relevance"],
            "scale_min": [1, 1, 1],
            "scale_max": [5, 5, 5],
            "source": ["self_report", "observed", None],
        }
    )
    rows = [(f"r{i}", "P", 1, item, 4.0) for i in range(5) for item in ("S", "O", "T")]
    responses = pd.DataFrame(rows, columns=["respondent_id", "partner_id", "wave", "item_id", "value"])
    matrix = criteria_matrix(responses, items, min_group_size=5).set_index("criterion")
    assert matrix.loc["relevance", ["n_items", "n_scoring_sources", "sources", "strength"]].tolist() == [
        3,
        2,
        "survey, observed",
        "strong",
    ]
    self_only = responses[responses["item_id"] != "O"]
    others = evidence_sources({"portfolio": pd.DataFrame({"x": [1]}), "scaling": pd.DataFrame()})
    lone = criteria_matrix(self_only, items, sources=others, min_group_size=5).set_index("criterion")
    assert lone.loc["relevance", ["n_sources", "sources", "strength"]].tolist() == [
        2,
        "survey, portfolio",
        "moderate",
    ]


# --- self-report ------------------------------------------------------------------------------


def test_self_reported_behaviour_next_to_reaction_is_flagged() -> None:
    assert self_reported_levels(ITEMS) == ("L3",) and self_report_caveat(ITEMS)  # no source column: self-report
    observed = ITEMS.assign(source=["self_report", "observed"])
    assert not self_report_caveat(observed)
    later = ITEMS.assign(timing=[None, "3 months after"])  # asked later, in another questionnaire
    assert self_reported_levels(later) == ()


def test_items_source_is_validated(small: Path) -> None:
    items = (small / "items.csv").read_text(encoding="utf-8").splitlines()
    items[0] += ",source,timing"
    items[1:] = [items[1] + ",self_report,", items[2] + ",,", items[3] + ",survey,3 months after"]
    (small / "items.csv").write_text("\n".join(items) + "\n", encoding="utf-8")
    result = validate_programme(small)
    problems = [p for p in result.problems if p.file == "items.csv"]
    assert [(p.line, p.column) for p in problems] == [(4, "source")]
    assert "self_report, observed, records" in problems[0].message
