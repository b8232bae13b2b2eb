"""What a report writes as the reader writes it: counts, percentages, countries, the programme's own words, plurals."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from language_scan import one_with_plural, other_language_labels

from capeval.i18n import country_name, language_name, moment, own_word, percent, t, table


def test_a_count_handed_to_a_label_has_its_thousands_grouped() -> None:
    assert t("kpi_activities_intro", "nl", n=2, p=12345, h=np.int64(1500)).startswith(
        "2 activiteiten met in totaal 12\u2009345 deelnames (1\u2009500 deelnemersuren)"
    )
    assert t("lessons_intro", "en", n=1, consent=0) == "1 lesson recorded, 0 with consent to quote."


def test_a_percentage_keeps_its_sign_on_the_line() -> None:
    assert percent(0.255, "nl") == "26\u00a0%"  # a half rounds up
    assert percent(0.5, "en", 1) == "50.0\u00a0%"
    assert percent(float("nan"), "nl") == "–"
    labels = [text for entry in table().values() for lang in ("en", "nl") for text in _texts(entry[lang])]
    assert [text for text in labels if " %" in text] == []  # every label: a non-breaking space before %


def _texts(text: object) -> list[str]:
    return [str(v) for v in text.values()] if isinstance(text, dict) else [str(text)]


@pytest.mark.parametrize(
    ("code", "dutch", "english"),
    [
        ("BE", "België", "Belgium"),
        ("nl", "Nederland", "Netherlands"),
        ("EL", "Griekenland", "Greece"),
        ("XX", "XX", "XX"),
    ],
)
def test_a_country_is_named_not_coded(code: str, dutch: str, english: str) -> None:
    assert (country_name(code, "nl"), country_name(code, "en")) == (dutch, english)


@pytest.mark.parametrize(
    ("prefix", "ident", "text", "dutch", "english"),
    [
        (
            "ingredient_",
            "leadership_management",
            "leadership_management",
            "Leiderschap en management",
            "Leadership and management",
        ),
        ("ingredient_", "value_chain", "Value chain", "Waardeketen", "Value chain"),  # the table's own label
        ("ingredient_", "value_chain", "Ketenpartners", "Ketenpartners", "Ketenpartners"),  # the programme's word
        ("wave_word_", 2, "follow-up", "vervolgmeting", "follow-up"),
        ("wave_word_", 2024, "2024", "2024", "2024"),
        ("org_kind_", "vet_school", "vet_school", "beroepsschool", "vocational school"),
        ("dim_", "drivers", "drivers", "steun op het werk", "support at work"),
    ],
)
def test_a_word_of_the_programme_is_shown_in_the_reports_language(
    prefix: str, ident: object, text: str, dutch: str, english: str
) -> None:
    assert (own_word(prefix, ident, text, "nl"), own_word(prefix, ident, text, "en")) == (dutch, english)


def test_the_date_and_language_as_a_reader_writes_them() -> None:
    when = datetime(2026, 11, 29, 12, 17, tzinfo=UTC)
    assert moment(when, "nl") == "29 november 2026, 12:17 UTC"
    assert moment(when, "en") == "29 November 2026, 12:17 UTC"
    assert (language_name("nl", "nl"), language_name("en", "nl")) == ("Nederlands", "Engels")


def test_one_of_a_thing_is_singular_in_every_plural_label() -> None:
    assert (
        t("transport_sentence", "nl", artefacts="draaiboek", n=1)
        == "Vastgelegd voor anderen: draaiboek (1 les noemt een product)."
    )
    assert t("caption_radar", "nl", wave="vervolgmeting", n=1).endswith("n = 1 beoordelaar.")
    assert t("caption_gaps", "en", wave="follow-up", n=1, k=38).count("n = 1 respondent of this partner") == 1
    assert t("kf_reach_people", "nl", r="1") == "1 persoon vulde de enquêtes in."


def test_the_scan_finds_the_other_language_and_one_with_a_plural() -> None:
    dutch = "\n".join(
        [
            "Belangrijkste bevindingen",
            "No broken chain in the follow-up: reaction 80",
            "Vastgelegd: 1 lessen noemen een product",
        ]
    )
    assert other_language_labels(dutch, "nl") == ["chain_intact: No broken chain in the"]
    assert one_with_plural(dutch, "nl") == ["Vastgelegd: 1 lessen noemen een product"]
    assert one_with_plural("1\u2009234 lessen, 21 lessen, 1 les", "nl") == []
    # the programme's own (English) words in a Dutch report are data, not a label left untranslated
    assert other_language_labels(dutch, "nl", data_text="No broken chain in the follow-up") == []
