"""Headline figures and costs, each named for what it counts and shown with its base: checked
against values worked out by hand on small cases."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from capeval.analysis.activities import (
    activity_benchmark,
    activity_mix,
    activity_summary,
    activity_totals,
    efficiency_figures,
    unit_benchmark,
)
from capeval.analysis.compare import headline_figures, rating_question, rating_top_two
from capeval.report.activities import activities as activities_section
from capeval.report.context import open_report
from capeval.report.headline import headline_items
from capeval.store import build_store
from capeval.validate import validate_programme

ITEMS = pd.DataFrame(
    {
        "item_id": ["E", "S", "G", "Y"],
        "text_nl": ["Actief", "Tevreden", "Cijfer", "Nuttig"],
        "text_en": ["Active", "Satisfied overall", "Grade", "Useful"],
        "level": ["L1", "L1", "L1", "L1"],
        "dimension": ["engagement", "satisfaction", "Grade", "rating"],
        "criterion": [None, "relevance", "relevance", None],
        "scale_min": [1, 1, 1, 0],
        "scale_max": [5, 5, 10, 1],
    }
)
PARTNERS = pd.DataFrame({"partner_id": ["P1", "P2"], "name": ["Alpha", "Beta"], "track_id": ["T1", "T1"]})
ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A1", "A2", "A3", "A4"],
        "partner_id": ["P1", "P1", "P2", "P2"],
        "type": ["workshop", "peer_review", "workshop", "workshop"],
        "date": pd.to_datetime(["2024-03-01", "2024-06-15", "2025-03-01", "2025-04-01"]),
        "participants": [10, 4, 8, 0],  # A4: no participant count
        "hours": [6.0, 16.0, None, 2.0],  # A3: hours unknown
        "cost_eur": [1200.0, None, 900.0, 100.0],  # A2: cost unknown
    }
)


def answers(*rows: tuple[str, str, str | None, int, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["partner_id", "respondent_id", "activity_id", "wave", "item_id", "value"])


# Both partners number their respondents R01, R02, …: P1's R01 and P2's R01 are two people.
RESPONSES = answers(
    ("P1", "R01", "A1", 1, "S", 5),
    ("P1", "R02", "A1", 1, "S", 4),
    ("P1", "R02", "A1", 1, "E", 1),  # another reaction item: not the rating question
    ("P1", "R01", "A2", 2, "S", 2),  # P1's R01 again, at a second activity, in wave 2
    ("P2", "R01", "A3", 2, "S", 5),
    ("P2", "R01", "A4", 2, "S", 2),  # P2's R01 rates a second activity in the same wave: mean 3.5
    ("P2", "R02", "A3", 2, "S", 3),
    ("P2", "R03", "A4", 2, "S", 4),
    ("P2", "R04", None, 2, "S", 5),  # an answer tied to no activity
)


def test_response_rate_compares_responses_with_participations_and_shows_both_bases() -> None:
    figures = headline_figures(ACTIVITIES, RESPONSES, ITEMS, min_group_size=2)
    # activities with a participant count: A1 (10), A2 (4), A3 (8); A4 has 0 and is left out
    # their respondents: A1 P1/R01 and P1/R02, A2 P1/R01, A3 P2/R01 and P2/R02 -> 2 + 1 + 2 = 5
    assert (figures.rate_activities, figures.rate_responses, figures.rate_participations) == (3, 5, 22)
    assert figures.response_rate == pytest.approx(5 / 22)
    items = {
        label: (value, basis)
        for label, value, basis in headline_items(
            figures, ITEMS, language="en", min_group_size=2, wave_labels={1: "baseline", 2: "follow-up"}
        )
    }
    value, basis = items["Response rate"]
    assert value == "23\u00a0%"  # a percentage never starts a line
    assert basis.startswith("5 responses of 22 participations: per activity with a participant count (3 activities)")


def test_participations_are_attendances_and_respondents_are_distinct_people() -> None:
    figures = headline_figures(ACTIVITIES, RESPONSES, ITEMS, min_group_size=2)
    assert figures.participations == 10 + 4 + 8 + 0
    # P1/R01, P1/R02, P2/R01, P2/R02, P2/R03, P2/R04: six people (the bare ids R01-R04 would say four)
    assert figures.respondents == 6
    # P1/R01 answered about A1 and A2, P2/R01 about A3 and A4
    assert figures.respondents_several == 2
    # hours known for A1, A2, A4: 6 + 16 + 2 of the activities themselves, not per participant
    assert (figures.timed_activities, figures.training_hours, figures.training_days) == (3, 24.0, 3.0)
    shown = {
        label: (value, basis)
        for label, value, basis in headline_items(figures, ITEMS, language="en", min_group_size=2, wave_labels={})
    }
    assert shown["Participations (attendances)"][0] == "22"
    assert shown["Survey respondents (distinct people)"] == (
        "6",
        "each person once (partner and respondent id); 2 of them answered about two or more activities",
    )
    assert shown["Training hours"][1].endswith("known for 3 of 4 activities")


def test_rating_question_is_named_or_found_by_the_rule() -> None:
    assert rating_question(ITEMS) == "S"  # E is engagement; S is the first L1 satisfaction/grade/rating item
    assert rating_question(ITEMS, "E") == "E"  # named in programme.yaml: any item with 4+ points
    assert rating_question(ITEMS, "Y") is None  # a 0-1 item has no "top two"
    assert rating_question(ITEMS, "nope") is None
    assert rating_question(ITEMS[ITEMS["item_id"].isin(["E", "Y"])]) is None  # Y's 2 points are too few


def test_top_two_is_of_respondents_on_one_question_per_wave() -> None:
    frame = rating_top_two(RESPONSES, ITEMS, "S", min_group_size=2).set_index("wave")
    # wave 1: P1/R01 5, P1/R02 4 -> 2 of 2 (P1/R02's engagement answer of 1 is another question)
    assert (frame.loc[1, "n_respondents"], frame.loc[1, "n_top_two"], frame.loc[1, "share"]) == (2, 2, 1.0)
    # wave 2: P1/R01 2, P2/R01 mean(5, 2) = 3.5, P2/R02 3, P2/R03 4, P2/R04 5 -> 2 of 5 in the top two (4-5);
    # P1/R01 counts in both waves, once in each; pooling answers would give 3 of 6
    assert (frame.loc[2, "n_respondents"], frame.loc[2, "n_top_two"], frame.loc[2, "share"]) == (5, 2, 0.4)
    hidden = rating_top_two(RESPONSES, ITEMS, "S", min_group_size=3).set_index("wave")
    assert bool(hidden.loc[1, "suppressed"]) and math.isnan(hidden.loc[1, "share"])
    assert math.isnan(hidden.loc[1, "n_top_two"])  # the count would give the share away
    assert hidden.loc[2, "share"] == 0.4


def test_headline_shows_the_rating_per_wave_latest_first_with_its_n() -> None:
    figures = headline_figures(ACTIVITIES, RESPONSES, ITEMS, min_group_size=3)
    rows = headline_items(figures, ITEMS, language="en", min_group_size=3, wave_labels={1: "baseline", 2: "follow-up"})
    assert rows[-2:] == [
        (
            "Top two answers to “Satisfied overall” (follow-up)",
            "40\u00a0%",
            "2 of the 5 respondents who answered this question in this wave",
        ),
        (
            "Top two answers to “Satisfied overall” (baseline)",
            "–",
            "not shown: 2 respondents answered this question in this wave, fewer than 3",
        ),
    ]
    none = headline_figures(ACTIVITIES, RESPONSES, ITEMS[ITEMS["item_id"] == "E"], min_group_size=3)
    last = headline_items(none, ITEMS, language="nl", min_group_size=3, wave_labels={})[-1]
    assert last[1] == "–" and last[2].startswith("geen beoordelingsvraag opgegeven (programme.yaml: rating_item)")


def test_costs_count_only_the_costed_activities_and_say_how_many() -> None:
    summary = activity_summary(ACTIVITIES, PARTNERS).set_index("partner_id")
    # P1: A1 1200, A2 unknown -> 1200 over 1 costed of 2; P2: A3 900 + A4 100 over 2 of 2
    assert summary.loc["P1", ["activities", "costed", "cost_eur"]].tolist() == [2, 1, 1200.0]
    assert summary.loc["P2", ["activities", "costed", "cost_eur"]].tolist() == [2, 2, 1000.0]
    # P2's hours: A3 unknown, A4 2 h -> 2 h over 1 timed activity; participant-hours 0 x 2
    assert summary.loc["P2", ["hours", "timed", "participant_hours"]].tolist() == [2.0, 1, 0.0]
    mix = activity_mix(ACTIVITIES).set_index("type")
    assert mix.loc["workshop", ["activities", "costed", "cost_eur"]].tolist() == [3, 3, 2200.0]
    assert mix.loc["peer_review", "costed"] == 0 and math.isnan(mix.loc["peer_review", "cost_eur"])
    totals = activity_totals(ACTIVITIES)
    assert (totals["costed"], totals["activities"], totals["cost_eur"]) == (3, 4, 2200.0)
    bench = activity_benchmark(ACTIVITIES, PARTNERS).set_index("metric")
    assert bench.loc["cost_eur", ["n_partners", "n_activities", "total"]].tolist() == [2, 3, 2200.0]


def test_cost_per_participant_and_per_participant_hour_against_the_programme_median() -> None:
    # P1: A1 only (A2 has no cost): 1200 / 10 = 120 per participant, 1200 / (10 x 6) = 20 per participant-hour
    # P2: A3 900 / 8 = 112.5 per participant (A4 has no participant count); no participant-hours with a cost
    # programme medians per partner: (120 + 112.5) / 2 = 116.25; per participant-hour P1's 20 alone
    bench = activity_benchmark(ACTIVITIES, PARTNERS).set_index("metric")
    assert bench.loc["cost_per_participant", ["n_partners", "median"]].tolist() == [2, 116.25]
    assert bench.loc["cost_per_participant_hour", ["n_partners", "median"]].tolist() == [1, 20.0]
    assert math.isnan(bench.loc["cost_per_participant", "total"])  # a sum of ratios means nothing
    mine = efficiency_figures(ACTIVITIES, PARTNERS[PARTNERS["partner_id"] == "P2"]).set_index("metric")
    row = mine.loc["cost_per_participant"]
    assert (row["value"], row["cost_eur"], row["base"], row["n_costed"], row["median"]) == (
        112.5,
        900.0,
        8.0,
        1,
        116.25,
    )
    assert math.isnan(mine.loc["cost_per_participant_hour", "value"])
    # the whole programme pooled: (1200 + 900) / (10 + 8)
    pooled = efficiency_figures(ACTIVITIES, PARTNERS).set_index("metric")
    assert pooled.loc["cost_per_participant", "value"] == pytest.approx(2100 / 18)


def test_unit_benchmark_needs_enough_partners_outside_the_unit() -> None:
    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3"]})
    acts = ACTIVITIES.copy()
    acts.loc[4] = ["A5", "P3", "workshop", pd.Timestamp("2025-05-01"), 10, 6.0, float("nan")]  # P3: no cost
    bench = activity_benchmark(acts, partners)
    p1 = acts[acts["partner_id"] == "P1"]
    shown = unit_benchmark(bench, p1, partners.iloc[[0]], min_group_size=2).set_index("metric")
    # others with activities: P2, P3 -> 2, shown; others with a cost: P2 only -> 1, hidden
    assert shown.loc["participants", ["n_others", "total"]].tolist() == [2, 32.0]
    assert bool(shown.loc["cost_eur", "suppressed"]) and math.isnan(shown.loc["cost_eur", "total"])
    assert math.isnan(shown.loc["cost_per_participant", "median"])
    whole = unit_benchmark(bench, acts, partners, min_group_size=3, whole_programme=True).set_index("metric")
    # the programme's own report: 3 partners with activities -> median shown; 2 with a cost -> median hidden
    assert whole.loc["participants", "median"] == 10.0 and whole.loc["cost_eur", "total"] == 2200.0
    assert math.isnan(whole.loc["cost_eur", "median"])


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#x27;", "'").replace("\u2009", " ")


def test_activities_section_hides_programme_figures_of_too_few_other_partners(small: Path) -> None:
    build_store(small)
    # tests/data/small, min_group_size 2: P1 (A1 1200 + A2 3000), P2 (A3 900), P3 (A4, no cost); tracks T1 = P1, P2
    page = _text(activities_section(open_report(str(small), "partner", "P1")))
    # other partners with activities: P2 and P3 -> programme figures shown: participants 34 in all, median 12
    assert "Participations (attendances) 14 12 34" in page
    # other partners with a cost: P2 alone -> the total minus P1's would be P2's exact cost: hidden
    assert "Cost (EUR, activities with a known cost) 4 200 – –" in page
    assert "here: 2 other partners with activities, 1 with a known cost" in page
    assert "Costs are known for all 2 activities: 4 200 EUR in all." in page
    # cost per participant: 4200 / 14 = 300; per participant-hour 4200 / 124 = 33.9; no median to compare with
    assert "Cost per participant (EUR) 300 – –" in page and "Cost per participant-hour (EUR) 33.9 – –" in page
    p3 = _text(activities_section(open_report(str(small), "partner", "P3")))
    assert "No activity has a known cost, so there are no cost figures." in p3
    assert "Cost (EUR, activities with a known cost) – 2 550 5 100" in p3  # P1 and P2 have a cost: 2 others
    track = _text(activities_section(open_report(str(small), "track", "T1")))
    assert "Participations (attendances) 22 – –" in track  # one partner outside the track: P3
    assert "here: 1 partner outside the track with activities, 0 with a known cost" in track
    # T1's own cost (5 100) minus P1's (4 200, which P1 knows) would be P2's exact cost (900): not shown
    assert "The costs are not shown: 2 partners have a known cost, and a total is shown only when more than 2" in track
    assert "Cost (EUR, activities with a known cost) – – –" in track
    assert "No cost per participant: the costs are not shown" in track
    assert not re.search(r"5 100|\b900\b|\b232\b|Cost \(EUR, known costs\)", track)
    programme = _text(activities_section(open_report(str(small), "programme", "")))
    assert "The costs are not shown: 2 partners have a known cost" in programme  # 5 100 − 4 200 = P2's 900
    assert not re.search(r"5 100|\b900\b|\b232\b", programme)


def test_a_total_cost_shows_once_more_than_min_group_size_partners_have_one(small: Path) -> None:
    activities = small / "activities.csv"
    activities.write_text(activities.read_text(encoding="utf-8").replace("12,3,\n", "12,3,600\n"), encoding="utf-8")
    build_store(small)
    # P1, P2 and P3 have a cost: the programme's total minus any one partner's is the costs of 2 others (min 2)
    programme = _text(activities_section(open_report(str(small), "programme", "")))
    assert "Costs are known for all 4 activities: 5 700 EUR in all." in programme
    # pooled 5 700 / 34 participations = 168; medians per partner: P1 300, P2 112.5, P3 50 -> 112.5
    assert "Cost per participant (EUR) 168 113 +49 %" in programme
    track = _text(activities_section(open_report(str(small), "track", "T1")))
    assert "The costs are not shown: 2 partners have a known cost" in track  # T1 is still P1 and P2
    alone = _text(activities_section(open_report(str(small), "track", "T2")))  # P3 alone, who knows its 600 EUR
    assert "The cost of the one activity is known: 600 EUR." in alone


def test_rating_item_must_name_an_item_with_four_points(small: Path) -> None:
    config = small / "programme.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "rating_item: Q9\n", encoding="utf-8")
    line = len(text.splitlines()) + 1  # the line just added
    problems = [str(p) for p in validate_programme(small).problems]
    assert problems == [
        f"programme.yaml:{line}: rating_item: 'Q9' is not an item_id of items.csv (the rating question needs one)"
    ]
    config.write_text(config.read_text(encoding="utf-8").replace("Q9", "Q1"), encoding="utf-8")
    assert validate_programme(small).ok
