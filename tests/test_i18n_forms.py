"""Numbers and plurals as a Dutch or English reader writes them (babel's CLDR data)."""

from __future__ import annotations

import numpy as np
import pytest

from capeval.i18n import number, plural_form, signed_percent, t, table


@pytest.mark.parametrize(
    ("value", "digits", "dutch", "english"),
    [
        (3.25, 1, "3,3", "3.3"),  # a half rounds up, as readers round, not to even
        (2.675, 2, "2,68", "2.68"),  # the number as written, not its binary neighbour 2.67499…
        (1234567, 1, "1\u2009234\u2009567", "1\u2009234\u2009567"),
        (-1234.56, 1, "\u22121\u2009234,6", "\u22121\u2009234.6"),  # a minus sign, not a hyphen
        (np.float64(0.25), 1, "0,3", "0.3"),
        (np.int64(12), 0, "12", "12"),
        (float("nan"), 1, "–", "–"),
        (-0.04, 1, "0,0", "0.0"),  # rounded to zero: no sign (not "−0,0")
        (-0.3, 0, "0", "0"),
        (-0.05, 1, "\u22120,1", "\u22120.1"),  # a half rounds away from zero, and keeps its sign
    ],
)
def test_numbers_are_written_as_readers_write_them(value: float, digits: int, dutch: str, english: str) -> None:
    assert number(value, "nl", digits) == dutch
    assert number(value, "en", digits) == english


@pytest.mark.parametrize(
    ("count", "form"),
    [(1, "one"), ("1", "one"), (np.int64(1), "one"), (2, "other"), ("1\u2009001", "other"), (0, "other")],
)
def test_plural_form_follows_the_count(count: object, form: str) -> None:
    assert plural_form(count, "nl") == form
    assert plural_form(count, "en") == form


def test_a_plural_label_says_1_activiteit_and_2_activiteiten() -> None:
    one = t("kpi_activities_intro", "nl", n="1", p="12", h="24")
    many = t("kpi_activities_intro", "nl", n="2", p="12", h="24")
    assert one.startswith("1 activiteit met in totaal 12 deelnames")
    assert many.startswith("2 activiteiten met")
    assert t("kpi_activities_intro", "en", n=1, p=3, h=4).startswith("1 activity with 3 participations")


def test_every_plural_label_names_its_count_and_has_both_forms() -> None:
    for key, entry in table().items():
        forms = [entry[lang] for lang in ("en", "nl") if isinstance(entry[lang], dict)]
        if forms:
            assert "count" in entry, key
            for by_form in forms:
                assert {"one", "other"} <= set(by_form), key
                assert all("{" + entry["count"] + "}" in by_form[f] or f == "one" for f in by_form), key


def test_a_number_asked_again_is_written_as_the_first_time_whatever_was_asked_between() -> None:
    # numbers are formatted once and kept: the kept text must depend on the value, its kind, language and digits
    asked = [(7, 1), (7.0, 1), (7.0, 0), (-0.0, 1), (0.0, 1), (-0.04, 1), (np.float64(7.0), 1), (3.25, 1), (3.25, 2)]
    english = ["7", "7.0", "7", "0.0", "0.0", "0.0", "7.0", "3.3", "3.25"]  # zero after rounding has no sign
    for _ in range(2):
        assert [number(v, "en", d) for v, d in asked] == english
        assert number(3.25, "nl", 1) == "3,3"


@pytest.mark.parametrize(
    ("share", "dutch", "english"),
    [
        (0.09, "+9\u00a0%", "+9\u00a0%"),
        (-0.003, "0\u00a0%", "0\u00a0%"),  # 301 EUR against a median of 302: no difference after rounding
        (0.004, "0\u00a0%", "0\u00a0%"),
        (-0.006, "\u22121\u00a0%", "\u22121\u00a0%"),
        (-12.345, "\u22121\u2009235\u00a0%", "\u22121\u2009235\u00a0%"),
        (float("nan"), "–", "–"),
    ],
)
def test_a_difference_from_the_median_carries_the_sign_of_what_is_shown(share: float, dutch: str, english: str) -> None:
    assert signed_percent(share, "nl") == dutch
    assert signed_percent(share, "en") == english
