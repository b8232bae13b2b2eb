"""Units side by side: partners of a track, tracks, the intervention mix, waves and headline figures,
checked against values worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from capeval.analysis.compare import (
    compare_partners,
    compare_tracks,
    headline_figures,
    intervention_mix,
    rating_question,
    rating_top_two,
    waves_over_years,
)

ITEMS = pd.DataFrame(
    {
        "item_id": ["Q1", "Q3", "Y"],
        "level": ["L1", "L3", "L1"],
        "dimension": ["satisfaction", "application", "useful"],
        "criterion": ["relevance", "impact", "relevance"],
        "scale_min": [1, 1, 0],
        "scale_max": [5, 5, 1],
    }
)
PARTNERS = pd.DataFrame(
    {
        "partner_id": ["P1", "P2", "P3"],
        "name": ["Alpha", "Beta", "Gamma"],
        "track_id": ["T1", "T1", "T2"],
    }
)
TRACKS = pd.DataFrame({"track_id": ["T1", "T2"], "name": ["Procurement", "Banking"]})
ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A1", "A2", "A3", "A4"],
        "partner_id": ["P1", "P1", "P2", "P3"],
        "type": ["workshop", "peer_review", "workshop", "workshop"],
        "date": pd.to_datetime(["2024-03-01", "2024-06-15", "2025-03-01", "2025-01-20"]),
        "participants": [10, 4, 8, 12],
        "hours": [6.0, 16.0, 6.0, 4.0],
        "cost_eur": [100.0, None, 50.0, None],
    }
)


def answers(*rows: tuple[str, str, str, int, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "partner_id", "activity_id", "wave", "item_id", "value"])


# P1: three respondents rate 5 (100 %); P2: two rate 3 (50 %); P3: one rates 1 (0 %), L3 of R1 in wave 2 is 4 (75 %)
RESPONSES = answers(
    ("R1", "P1", "A1", 1, "Q1", 5),
    ("R2", "P1", "A1", 1, "Q1", 5),
    ("R3", "P1", "A2", 1, "Q1", 5),
    ("R1", "P1", "A1", 2, "Q3", 4),
    ("R1", "P2", "A3", 1, "Q1", 3),
    ("R2", "P2", "A3", 1, "Q1", 3),
    ("R1", "P3", "A4", 1, "Q1", 1),
)
PORTFOLIO = pd.DataFrame(
    {
        "partner_id": ["P1", "P1", "P1", "P2"],
        "wave": [1, 1, 2, 1],
        "service": ["training", "knowledge", "training", "knowledge"],
        "offered_now": [True, False, True, True],
        "quality_now": [4.0, None, 6.0, 5.0],
        "offered_desired": [True, True, True, True],
        "quality_desired": [8.0, 7.0, 9.0, 9.0],
    }
)


def test_partners_compared_per_wave_with_the_primary_rule() -> None:
    # wave 1: P1 three respondents at 100 %, P2 two at 50 %, P3 one at 0 %. What a difference of published
    # scores would reveal is the release's decision (tests/test_disclosure.py), not this table's.
    frame = compare_partners(ACTIVITIES, RESPONSES, ITEMS, PORTFOLIO, PARTNERS, min_group_size=2, wave=1)
    frame = frame.set_index("partner_id")
    assert frame["wave"].tolist() == [1, 1, 1]
    assert frame["activities"].tolist() == [2, 1, 1]
    assert frame["participants"].tolist() == [14, 8, 12]
    assert frame["respondents"].tolist() == [3, 2, 1]
    assert frame.loc["P1", "l1"] == 100.0 and frame.loc["P2", "l1"] == 50.0
    assert math.isnan(frame.loc["P3", "l1"]) and frame.loc["P3", "n_l1"] == 1  # the n stays: it says why
    assert frame["suppressed"].tolist() == [False, False, True]
    # the largest gap of the latest wave: P1 wave 2 training 9 - 6 = 3; P2 knowledge 9 - 5 = 4
    assert (frame.loc["P1", "gap_service"], frame.loc["P1", "gap"]) == ("training", 3.0)
    assert (frame.loc["P2", "gap_service"], frame.loc["P2", "gap"], frame.loc["P2", "n_gap"]) == ("knowledge", 4.0, 1)


def test_partners_compared_default_to_the_latest_wave() -> None:
    # wave 2 holds only P1's R1 (L3 4 of 1-5 = 75 %): one respondent, hidden at a minimum of 2
    frame = compare_partners(ACTIVITIES, RESPONSES, ITEMS, PORTFOLIO, PARTNERS, min_group_size=2).set_index(
        "partner_id"
    )
    assert frame["wave"].tolist() == [2, 2, 2]
    assert frame["respondents"].tolist() == [1, 0, 0]
    assert math.isnan(frame.loc["P1", "l3"]) and frame.loc["P1", "n_l3"] == 1
    assert frame["n_l1"].tolist() == [0, 0, 0]


def test_a_portfolio_is_organisational_unless_declared_personal() -> None:
    # P2's portfolio has one respondent: its own self-assessment is shown; as personal opinions it is not
    own = compare_partners(ACTIVITIES, RESPONSES, ITEMS, PORTFOLIO, PARTNERS, min_group_size=3, wave=1)
    personal = compare_partners(
        ACTIVITIES, RESPONSES, ITEMS, PORTFOLIO, PARTNERS, min_group_size=3, wave=1, personal_portfolio=True
    )
    assert own.set_index("partner_id").loc["P2", "gap"] == 4.0
    assert personal.set_index("partner_id").loc["P2", ["gap", "gap_service"]].isna().all()
    assert personal.set_index("partner_id").loc["P2", "respondents"] == 2  # the survey n stays visible


def test_tracks_compared() -> None:
    frame = compare_tracks(ACTIVITIES, RESPONSES, ITEMS, PARTNERS, TRACKS, min_group_size=2, wave=1)
    frame = frame.set_index("track_id")
    assert frame["name"].tolist() == ["Procurement", "Banking"]
    assert frame["n_partners"].tolist() == [2, 1]
    assert frame["activities"].tolist() == [3, 1]
    assert frame["participants"].tolist() == [22, 12]
    assert frame["respondents"].tolist() == [5, 1]
    # T1: (3 * 100 + 2 * 50) / 5 = 80; T2 has one respondent
    assert frame.loc["T1", "l1"] == 80.0
    assert math.isnan(frame.loc["T2", "l1"]) and frame.loc["T2", "n_l1"] == 1
    shown = compare_tracks(ACTIVITIES, RESPONSES, ITEMS, PARTNERS, TRACKS, min_group_size=1, wave=1)
    assert shown.set_index("track_id").loc["T2", "l1"] == 0.0


def test_intervention_mix_per_year_and_type() -> None:
    mix = intervention_mix(ACTIVITIES)
    assert mix[["year", "type", "activities", "participants", "hours"]].values.tolist() == [
        [2024, "peer_review", 1, 4, 16.0],
        [2024, "workshop", 1, 10, 6.0],
        [2025, "workshop", 2, 20, 10.0],
    ]


def test_waves_over_the_years() -> None:
    waves = pd.DataFrame({"wave": [1, 2], "label": ["baseline", "follow-up"], "year": [2024, 2025]})
    frame = waves_over_years(RESPONSES, ITEMS, ACTIVITIES, waves, min_group_size=2)
    assert frame["respondents"].tolist() == [6, 1]  # respondent ids are unique per partner only
    assert frame["partners"].tolist() == [3, 1]
    assert frame.loc[0, "l1"] == pytest.approx((3 * 100 + 2 * 50 + 0) / 6)
    assert math.isnan(frame.loc[1, "l3"])  # one respondent
    assert frame["activities"].tolist() == [2, 2]


def test_headline_figures() -> None:
    figures = headline_figures(ACTIVITIES, RESPONSES, ITEMS, min_group_size=2)
    assert figures.activities == 4
    assert figures.training_hours == 32.0 and figures.training_days == 4.0
    assert figures.participations == 34  # attendances, not people
    assert figures.respondents == 6
    assert figures.respondents_several == 0  # P1's R1 answered twice, both times about A1
    # respondents per activity: A1 2 (R1 and R2 of P1), A2 1, A3 2, A4 1 -> 6 of 34 participations
    assert (figures.rate_responses, figures.rate_participations) == (6, 34)
    assert figures.response_rate == pytest.approx(6 / 34)
    # the rating question Q1 (satisfaction, 1-5), wave 1: 5, 5, 5, 3, 3, 1 -> three of six respondents in 4-5
    assert figures.rating_item == "Q1"
    assert figures.rating[["wave", "n_respondents", "n_top_two", "share"]].values.tolist() == [[1, 6, 3, 0.5]]


def test_the_rating_question_needs_a_scale_of_four_points_and_enough_respondents() -> None:
    assert rating_question(ITEMS, "Y") is None  # a 0-1 item has no "top two"
    frame = rating_top_two(RESPONSES, ITEMS, "Q1", min_group_size=7)
    assert frame["n_respondents"].tolist() == [6] and math.isnan(frame["share"].iloc[0])
