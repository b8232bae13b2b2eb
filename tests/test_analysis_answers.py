"""Answer frequencies, before/after pairs and response rates on hand-made data."""

from __future__ import annotations

import pandas as pd
import pytest

from capeval.analysis.answers import answer_frequencies, before_after, parse_codebook, response_rates

ITEMS = pd.DataFrame(
    {
        "item_id": ["rating", "use.before", "use.after", "led.pub", "led.grant", "other.before"],
        "dimension": ["satisfaction", "use_before", "use_after", "results", "results", "use_before"],
        "question_id": ["rating", "use.before", "use.after", "led", "led", "other.before"],
        "kind": ["ordinal", "ordinal", "ordinal", "option", "option", "ordinal"],
        "labels": ["1=Poor; 2=Good; 3=Excellent", "1=Never; 2=Sometimes; 3=Often", "1=Never; 2=Sometimes; 3=Often",
                   "0=not chosen; 1=Publication", "0=not chosen; 1=Grant", None],
    }
)  # fmt: skip


def answers(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "item_id", "value"]).assign(
        partner_id="P1", activity_id="A1", wave=1
    )


def test_parse_codebook() -> None:
    assert parse_codebook("1=No; 2=Maybe ; 3 = Yes, I would") == {1.0: "No", 2.0: "Maybe", 3.0: "Yes, I would"}
    assert parse_codebook(None) == {} and parse_codebook("") == {}
    # an import lists a misspelt answer under its code too: the report shows the first label
    assert parse_codebook("1=Very unhappy; 1=Very unah; 2=Neutral") == {1.0: "Very unhappy", 2.0: "Neutral"}


def test_frequencies_list_options_nobody_chose() -> None:
    data = answers([("r1", "rating", 3), ("r2", "rating", 3), ("r3", "rating", 2)])
    freq = answer_frequencies(data, ITEMS, min_group_size=2)
    rating = freq[freq["item_id"] == "rating"]
    assert rating["label"].tolist() == ["Poor", "Good", "Excellent"]
    assert rating["n"].tolist() == [0, 1, 2]
    assert rating["share"].round(4).tolist() == [0.0, 0.3333, 0.6667]
    assert rating["n_respondents"].tolist() == [3, 3, 3]


def test_select_all_options_count_choosers_of_the_question() -> None:
    data = answers([("r1", "led.pub", 1), ("r1", "led.grant", 1), ("r2", "led.pub", 0), ("r2", "led.grant", 1)])
    freq = answer_frequencies(data, ITEMS, min_group_size=2).set_index("item_id")
    assert freq.loc["led.pub", ["n", "n_respondents"]].tolist() == [1, 2]
    assert freq.loc["led.grant", ["n", "share"]].tolist() == [2, 1.0]


def test_frequencies_suppressed_below_min_group() -> None:
    data = answers([("r1", "rating", 3), ("r2", "rating", 1)])
    freq = answer_frequencies(data, ITEMS, min_group_size=5)
    rating = freq[freq["item_id"] == "rating"]
    assert rating["suppressed"].all() and rating["n"].isna().all() and rating["share"].isna().all()
    assert rating["n_respondents"].tolist() == [2, 2, 2]


def test_no_codebook_no_table() -> None:
    assert answer_frequencies(answers([("r1", "x", 1)]), ITEMS.drop(columns="labels"), min_group_size=1).empty


def test_before_after_pairs_by_respondent() -> None:
    data = answers(
        [
            ("r1", "use.before", 1), ("r1", "use.after", 3),  # +2
            ("r2", "use.before", 2), ("r2", "use.after", 2),  # 0
            ("r3", "use.before", 3), ("r3", "use.after", 2),  # -1
            ("r4", "use.after", 3),  # no before: not paired
            ("r1", "other.before", 3),  # another survey's before question is not taken
        ]
    )  # fmt: skip
    pair = before_after(data, ITEMS, min_group_size=3).iloc[0]
    assert (pair["stem"], pair["item_before"], pair["item_after"], pair["n_pairs"]) == (
        "use",
        "use.before",
        "use.after",
        3,
    )
    assert (pair["mean_before"], pair["mean_after"]) == (2.0, pytest.approx(7 / 3))
    assert pair["mean_change"] == pytest.approx(1 / 3)
    assert [pair["improved"], pair["same"], pair["worse"]] == [pytest.approx(1 / 3)] * 3
    assert before_after(data, ITEMS, min_group_size=4)["mean_change"].isna().all()


def test_response_rates() -> None:
    activities = pd.DataFrame(
        {
            "activity_id": ["A1", "A2", "A3"],
            "type": ["t", "t", "t"],
            "date": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-03"]),
            "participants": [4, 10, 0],
        }
    )
    responses = pd.DataFrame(
        {
            "partner_id": ["P1"] * 4,
            "respondent_id": ["r1", "r1", "r2", "r3"],
            "activity_id": ["A1", "A1", "A1", "A2"],
            "item_id": ["i"] * 4,
            "value": [1] * 4,
        }
    )
    rates = response_rates(activities, responses)
    assert rates["activity_id"].tolist() == ["A2", "A1", "A3"]
    assert rates["respondents"].tolist() == [1, 2, 0]
    assert rates["response_rate"].tolist()[:2] == [0.1, 0.5]
    assert pd.isna(rates["response_rate"].iloc[2])
