"""The one suppression rule (primary and complementary), redaction, and the quote rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from capeval.analysis.privacy import quotable, redact_personal_data, suppress_small_groups


def _cells() -> pd.DataFrame:
    # two partitions (level L1, L2) of dimensions with respondents n and a mean
    return pd.DataFrame(
        {
            "level": ["L1", "L1", "L1", "L2", "L2", "L3", "L3"],
            "dimension": ["a", "b", "c", "d", "e", "f", "g"],
            "n": [3, 7, 6, 9, 8, 0, 12],
            "mean": [1.0, 2.0, 3.0, 4.0, 5.0, float("nan"), 7.0],
        }
    )


def test_primary_suppression_keeps_n_and_blanks_values() -> None:
    out = suppress_small_groups(_cells(), n_column="n", value_columns=["mean"], min_size=5)
    assert out["suppressed"].tolist() == [True, False, False, False, False, True, False]
    assert math.isnan(out.loc[0, "mean"]) and out.loc[1, "mean"] == 2.0
    assert out["n"].tolist() == [3, 7, 6, 9, 8, 0, 12]  # the n stays visible
    assert "suppressed_complementary" not in out


def test_complementary_suppression_hides_the_smallest_other_cell() -> None:
    out = suppress_small_groups(
        _cells(), n_column="n", value_columns=["mean"], min_size=5, complementary_within=["level"]
    )
    # L1: a (n=3) is hidden, so c (n=6, the smallest shown) goes too; L2 has nothing hidden;
    # L3: f is empty (n=0, no value to protect), so g stays
    assert out["suppressed"].tolist() == [True, False, True, False, False, True, False]
    assert out["suppressed_complementary"].tolist() == [False, False, True, False, False, False, False]
    assert out["mean"].isna().tolist() == [True, False, True, False, False, True, False]


def test_complementary_suppression_tie_takes_first_and_two_hidden_need_nothing() -> None:
    frame = pd.DataFrame({"g": ["x"] * 3 + ["y"] * 3, "n": [2, 6, 6, 1, 2, 9], "v": [1.0] * 6})
    out = suppress_small_groups(frame, n_column="n", value_columns=["v"], min_size=5, complementary_within=["g"])
    # x: tie between two cells of n=6: the first one is hidden; y: two cells already hidden
    assert out["suppressed"].tolist() == [True, True, False, True, True, False]


def test_complementary_suppression_over_the_whole_frame() -> None:
    frame = pd.DataFrame({"n": [4, 10, 20], "v": [1.0, 2.0, 3.0]})
    out = suppress_small_groups(frame, n_column="n", value_columns=["v"], min_size=5, complementary_within=[])
    assert out["suppressed"].tolist() == [True, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail j.devos@example.org today.", "Mail [e-mail] today."),
        ("Call +44 20 7946 0958.", "Call [phone]."),
        ("Bel 06-12345678 of 012 34 56 78.", "Bel [phone] of [phone]."),
        ("(coordinator@example.net, +32 2 555 01 42)", "([e-mail], [phone])"),
        ("IBAN NL91 ABNA 0417 1643 00 please", "IBAN [IBAN] please"),
        ("Rekening BE68539007547034.", "Rekening [IBAN]."),
        ("Op 21-11-2026 met 25 deelnemers in 2024.", "Op 21-11-2026 met 25 deelnemers in 2024."),
        ("Een korte 0800 lijn", "Een korte 0800 lijn"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact_personal_data(text) == expected


def test_redaction_of_missing_text_and_own_placeholders() -> None:
    assert redact_personal_data(None) == ""
    assert redact_personal_data(float("nan")) == ""
    assert redact_personal_data("a@b.org", {"email": "[x]"}) == "[x]"


def _lessons(n: int, consent: list[bool]) -> pd.DataFrame:
    texts = [f"Lesson {i}, mail me at p{i}@example.org" for i in range(n)]
    return pd.DataFrame({"lesson_id": [f"L{i}" for i in range(n)], "what_changed": texts, "consent_to_quote": consent})


def test_quote_rule_needs_min_comments_and_consent() -> None:
    lessons = _lessons(3, [True, False, True])
    out = quotable(lessons, min_comments=3)
    assert out["lesson_id"].tolist() == ["L0", "L2"]
    assert out["quote"].tolist() == ["Lesson 0, mail me at [e-mail]", "Lesson 2, mail me at [e-mail]"]
    assert out.attrs["n_comments"] == 3
    too_few = quotable(lessons, min_comments=4)
    assert too_few.empty and too_few.attrs["n_comments"] == 3


def test_quote_rule_counts_only_comments_with_text() -> None:
    lessons = _lessons(3, [True, True, True])
    lessons.loc[1, "what_changed"] = "  "
    lessons.loc[2, "what_changed"] = None
    assert quotable(lessons, min_comments=2).empty
    assert quotable(lessons, min_comments=1)["lesson_id"].tolist() == ["L0"]
