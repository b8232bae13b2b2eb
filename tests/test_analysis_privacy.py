"""The one suppression rule (primary and complementary), redaction, and the quote rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from capeval.analysis.privacy import quotable, redact_personal_data, suppress_small_groups
from capeval.analysis.redaction import redact_tables


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
        ("Schrijf jöran@bücher.de of ivan@пример.рф", "Schrijf [e-mail] of [e-mail]"),
        ("jan [at] example [dot] org, Jan (AT) voorbeeld (punt) nl", "[e-mail], [e-mail]"),
        ("mail jan at example dot org", "mail [e-mail]"),
        ("we looked at example.org", "we looked at example.org"),
        ("iban: nl91 abna 0417 1643 00 please", "iban: [IBAN] please"),
        ("rek. nl91abna0417164300", "rek. [IBAN]"),
        ("Mobiel 06-12345678, België +32 470 12 34 56", "Mobiel [phone], België [phone]"),
        ("BSN 111222333 of 1112.22.333", "BSN [ID number] of [ID number]"),
        ("rijksregisternummer 85.07.30-033.28", "rijksregisternummer [ID number]"),
        ("kosten 123456789 euro in 2024", "kosten 123456789 euro in 2024"),  # no BSN: its check digit fails
        ("Op 21-11-2026 met 25 deelnemers in 2024.", "Op 21-11-2026 met 25 deelnemers in 2024."),
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


def _bsn(first_eight: str) -> str:
    """A valid BSN: the eleven-test (weights 9..2 and -1) gives a multiple of 11."""
    total = sum(int(d) * w for d, w in zip(first_eight, range(9, 1, -1), strict=True))
    return first_eight + str(total % 11)


SEPARATOR = st.sampled_from(["", " ", "-"])
WORDS = st.text(alphabet=st.sampled_from("abcdefghij klmnop,."), max_size=30)


@given(
    before=WORDS,
    after=WORDS,
    mobile=st.text(alphabet="0123456789", min_size=8, max_size=8),
    separator=SEPARATOR,
    eight=st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda d: d[0] != "0"),
)
def test_dutch_mobiles_and_bsns_are_always_redacted(
    before: str, after: str, mobile: str, separator: str, eight: str
) -> None:
    phone = f"06{separator}{mobile}"
    number = _bsn(eight)
    if int(number[-1:]) == 10 or len(number) != 9:
        return  # no valid BSN has check digit 10
    text = f"{before} {phone} {after} {number} {after}"
    redacted = redact_personal_data(text)
    assert phone not in redacted and mobile not in redacted
    assert number not in redacted


def test_every_free_text_column_is_redacted_and_nothing_else() -> None:
    lessons = pd.DataFrame(
        {
            "lesson_id": ["L1", "L2"],
            "domain": ["policy, bel 06-12345678", None],
            "artefact": ["handleiding van jan [at] example [dot] org", "checklist"],
            "what_changed": ["IBAN nl91abna0417164300", "niets"],
            "consent_to_quote": [True, False],
        }
    )
    scaling = pd.DataFrame({"unit_id": ["P1"], "rationale": ["ask piet@voorbeeld.nl"], "score": [3.0]})
    tracks = pd.DataFrame({"track_id": ["T1"], "name": ["Inkoop"], "goal": ["lab, info: +32 470 12 34 56"]})
    partners = pd.DataFrame({"partner_id": ["06-12345678"], "name": ["Alpha (alpha@example.org)"]})
    out = redact_tables(
        {"lessons": lessons, "scaling": scaling, "tracks": tracks, "partners": partners},
        {"email": "[mail]", "phone": "[tel]", "iban": "[rek]", "national_id": "[id]"},
    )
    assert out["lessons"]["domain"].tolist()[0] == "policy, bel [tel]" and pd.isna(out["lessons"]["domain"][1])
    assert out["lessons"]["artefact"].tolist() == ["handleiding van [mail]", "checklist"]
    assert out["lessons"]["what_changed"].tolist() == ["IBAN [rek]", "niets"]
    assert out["scaling"]["rationale"].tolist() == ["ask [mail]"]
    assert out["tracks"]["goal"].tolist() == ["lab, info: [tel]"]
    assert out["partners"].to_dict("list") == {"partner_id": ["06-12345678"], "name": ["Alpha ([mail])"]}  # ids stay
    assert lessons["domain"][0] == "policy, bel 06-12345678"  # the input is not changed
