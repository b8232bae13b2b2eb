"""Lesson themes: paraphrases join and sentence templates do not (nl and en); the analyst's lesson_themes.csv;
roll-out candidates with their artefacts and adopters; what each lesson records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from capeval.analysis.lessons import lesson_entries, programme_adopters
from capeval.analysis.themes import (
    content_stems,
    lesson_themes,
    recurring_lessons,
    recurring_themes,
    rollout_candidates,
    sentence_frames,
    text_language,
    theme_keywords,
    theme_similarity,
)
from capeval.validate import validate_programme
from tests.conftest import append_lines

# (partner, text, what it is about): a paraphrase set shares a key; "template" lessons fill one sentence frame
EN = [
    ("P01", "Without protected time after the exchange, inspectors fall back into old routines.", "time"),
    ("P02", "Inspectors need dedicated time after an exchange; otherwise nothing changes in practice.", "time"),
    ("P03", "What we learned during the exchange faded quickly because no time was reserved to apply it.", "time"),
    ("P04", "Unless management frees up time afterwards, an exchange has little lasting effect.", "time"),
    ("P05", "A short checklist made the peer-review recommendations easy to act on.", "checklist"),
    ("P06", "Turning the peer-review findings into a checklist helped us to act on them.", "checklist"),
    ("P07", "We only used the recommendations once we condensed them into a practical checklist.", "checklist"),
    ("P08", "Joint inspections run much smoother when the team compares the legal basis beforehand.", "legal"),
    ("P01", "A preparatory call on the legal framework made the joint inspection far more effective.", "legal"),
    ("P02", "The webinar worked better than expected.", "template"),
    ("P03", "The peer review worked better than expected.", "template"),
    ("P04", "The site visit worked better than expected.", "template"),
    ("P05", "The staff exchange worked better than expected.", "template"),
    ("P06", "The coaching session worked better than expected.", "template"),
    ("P08", "Our director now asks for figures on inspection results every quarter.", "director"),
    ("P03", "The travel budget was cut in half this year.", "budget"),
    ("P06", "Translating the manual into our own language took longer than planned.", "translation"),
    ("P02", "New staff learn the permit procedure faster with a mentor.", "mentor"),
]
NL = [
    ("P01", "Docenten hebben uren nodig in hun taakbeleid om aan het leernetwerk mee te doen.", "uren"),
    ("P02", "Zonder uren in de jaartaak kunnen docenten niet structureel meedoen aan het netwerk.", "uren"),
    ("P03", "Deelname van docenten lukte pas toen er uren voor werden vrijgemaakt in hun jaartaak.", "uren"),
    ("P04", "Een stappenplan van één pagina hielp nieuwe collega's snel op weg.", "stappenplan"),
    ("P05", "Met een kort stappenplan konden ook collega's zonder ervaring aan de slag.", "stappenplan"),
    ("P08", "Heldere afspraken over wie wat doet maakten de samenwerking met bedrijven veel soepeler.", "afspraken"),
    ("P01", "Duidelijke afspraken tussen school en bedrijf voorkwamen misverstanden in de samenwerking.", "afspraken"),
    ("P02", "De intervisie werkte beter dan verwacht.", "template"),
    ("P03", "Het werkbezoek werkte beter dan verwacht.", "template"),
    ("P04", "De studiedag werkte beter dan verwacht.", "template"),
    ("P05", "De coachingssessie werkte beter dan verwacht.", "template"),
    ("P06", "Het webinar werkte beter dan verwacht.", "template"),
    ("P07", "Het engagement van het schepencollege maakte het verschil.", "schepen"),
    ("P08", "Het budget voor reizen werd dit jaar gehalveerd.", "budget"),
    ("P03", "Het vertalen van de handleiding duurde langer dan gepland.", "vertaling"),
    ("P05", "Nieuwe medewerkers leren de vergunningsprocedure sneller met een mentor.", "mentor"),
]


def programme_lessons(rows: list[tuple[str, str, str]], prefix: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lesson_id": [f"{prefix}{i:02d}" for i in range(len(rows))],
            "partner_id": [p for p, _, _ in rows],
            "track_id": "T1",
            "what_changed": [t for _, t, _ in rows],
            "about": [a for _, _, a in rows],
        }
    )


@pytest.mark.parametrize(("rows", "prefix"), [(EN, "E"), (NL, "N")], ids=["en", "nl"])
def test_paraphrases_join_and_template_lessons_do_not(rows: list[tuple[str, str, str]], prefix: str) -> None:
    lessons = programme_lessons(rows, prefix)
    themes = recurring_lessons(lessons).merge(lessons, on="lesson_id")
    for about, group in themes.groupby("about"):
        if about == "template":  # "X worked better than expected": five lessons, five themes
            assert group["cluster"].nunique() == len(group) and not group["recurring"].any()
        else:  # each paraphrase set is one theme, and holds nothing else
            assert group["cluster"].nunique() == 1, about
            assert (themes["cluster"] == group["cluster"].iloc[0]).sum() == len(group), about
    if prefix == "E":
        assert themes.loc[themes["about"] == "time", "n_partners"].tolist() == [4, 4, 4, 4]


def test_a_sentence_template_is_a_run_of_four_words_around_different_words_in_four_texts() -> None:
    texts = [f"{x} werkte beter dan verwacht." for x in ("De intervisie", "Het webinar", "De studiedag")]
    assert sentence_frames(texts) == set()  # three texts: could be one lesson said three times
    assert sentence_frames([*texts, *texts]) == set()  # the same texts again do not count
    assert sentence_frames([*texts, "Het werkbezoek werkte beter dan verwacht!"]) == {
        ("werkte", "beter", "dan", "verwacht")
    }
    near_copies = [
        f"Het engagement van de schepen maakte {x} verschil." for x in ("het", "echt het", "dus het", "zo het")
    ]
    assert sentence_frames(near_copies) == set()  # the same sentence said four ways: one lesson, no template
    # the template's words are not content; a lesson that is mostly template has none left to compare
    assert content_stems("Het webinar werkte beter dan verwacht.", {("werkte", "beter", "dan", "verwacht")}) == []
    assert content_stems("Docenten hebben uren nodig.") == ["docent", "nood", "uur"]
    assert content_stems("Inspectors need dedicated time afterwards.") == ["dedic", "inspector", "time"]


def test_language_by_stop_words_and_similarity_by_shared_stems() -> None:
    assert text_language(["zonder", "uren", "in", "de", "jaartaak"]) == "nl"
    assert text_language(["without", "time", "after", "the", "exchange"]) == "en"
    sim = theme_similarity(
        ["Inspectors need time after an exchange.", "An exchange needs time for inspectors.", "The budget was cut."]
    )
    assert sim[0, 1] == pytest.approx(1.0)  # same stems (inspector, time, exchang, need) in another order
    assert sim[0, 2] == 0.0
    assert theme_similarity([]).shape == (0, 0)


def test_theme_keywords_are_words_two_partners_share() -> None:
    lessons = programme_lessons([*EN[:4], ("P01", "Inspectors liked the venue.", "venue")], "E")
    recurrence = pd.DataFrame({"lesson_id": lessons["lesson_id"], "cluster": [1, 1, 1, 1, 2]})
    # time and exchange: 4 partners; inspectors: 2; the venue lesson's words are one partner's only
    assert theme_keywords(lessons, recurrence).to_dict("records") == [
        {"cluster": 1, "keywords": "exchange · time · inspectors"}
    ]


ANALYST_LESSONS = pd.DataFrame(
    {
        "lesson_id": ["L1", "L2", "L3", "L4", "L5"],
        "partner_id": ["P1", "P2", "P3", "P1", "P3"],
        "track_id": ["T1", "T1", "T2", "T1", "T2"],
        "what_changed": [
            "Inspectors need protected time after an exchange.",
            "Without time after the exchange inspectors fall back.",
            "Unless time is freed after an exchange, nothing changes.",
            "A checklist made the recommendations usable.",
            "The travel budget was halved.",
        ],
        "artefact": [None, "checklist", "step plan", "checklist", None],
        "adopted_by": [None, "Delta Dept; Epsilon", "Epsilon", None, None],
    }
)


def test_the_analyst_confirms_renames_merges_and_splits() -> None:
    suggested = recurring_lessons(ANALYST_LESSONS)
    assert suggested.set_index("lesson_id")["cluster"].tolist() == [1, 1, 1, 2, 3]
    unconfirmed = lesson_themes(ANALYST_LESSONS, suggested)
    assert not unconfirmed["confirmed"].any()
    assert unconfirmed["theme"].tolist()[:3] == ["exchange · time · inspectors"] * 3
    assert rollout_candidates(unconfirmed).empty  # nothing the analyst confirmed
    # L1-L2 renamed "Protected time"; L3 split off; L4 merged with L5 (one partner, two tracks)
    analyst = pd.DataFrame(
        {
            "lesson_id": ["L1", "L2", "L3", "L4", "L5"],
            "theme": ["Protected time", "Protected time", "Management support", "Tools", " Tools "],
        }
    )
    themes = lesson_themes(ANALYST_LESSONS, suggested, analyst).set_index("lesson_id")
    assert themes["theme"].tolist() == ["Protected time", "Protected time", "Management support", "Tools", "Tools"]
    assert themes["cluster"].tolist() == [1, 1, 2, 3, 3]
    assert themes.loc["L1", ["n_lessons", "n_partners", "n_tracks", "recurring"]].tolist() == [2, 2, 1, True]
    assert themes.loc["L4", ["n_partners", "n_tracks", "recurring"]].tolist() == [2, 2, True]
    assert not themes.loc["L3", "recurring"]
    candidates = rollout_candidates(themes.reset_index(), ANALYST_LESSONS)
    assert candidates[["theme", "n_partners", "n_tracks", "lesson_ids", "artefacts", "adopted_by"]].values.tolist() == [
        ["Tools", 2, 2, "L4, L5", "checklist", ""],
        ["Protected time", 2, 1, "L1, L2", "checklist", "Delta Dept; Epsilon"],
    ]
    # a partner's own view: its themes, artefacts and adopters from its own lessons only
    own = recurring_themes(themes.reset_index(), ANALYST_LESSONS[ANALYST_LESSONS["partner_id"] == "P1"])
    assert own[["theme", "lesson_ids", "artefacts", "adopted_by"]].values.tolist() == [
        ["Tools", "L4, L5", "checklist", ""],
        ["Protected time", "L1, L2", "", ""],
    ]


def test_the_store_tells_programme_partners_among_the_adopters_apart() -> None:
    """By partner id or name (case and spacing ignored), in the cell's order; the rest as written."""
    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3"], "name": ["Alpha Agency", "Beta Board", "Gamma"]})
    lessons = ANALYST_LESSONS.assign(
        adopted_by=[None, "Delta Dept; beta  board", "P3, Epsilon; Alpha Agency", "Gamma; P3", "Epsilon"]
    )
    split = programme_adopters(lessons, partners)
    assert split[["adopted_by_partners", "adopted_by_outside"]].fillna("–").values.tolist() == [
        ["–", "–"],
        ["P2", "Delta Dept"],
        ["P3; P1", "Epsilon"],
        ["P3", "–"],
        ["–", "Epsilon"],
    ]
    themes = lesson_themes(
        lessons, recurring_lessons(lessons), pd.DataFrame({"lesson_id": ["L1", "L2", "L3"], "theme": ["T"] * 3})
    )
    shared = recurring_themes(themes, split)
    row = shared[shared["theme"] == "T"].iloc[0]
    assert (row["adopted_by_partners"], row["adopted_by_outside"]) == ("P1; P2; P3", "Delta Dept; Epsilon")


def test_each_lesson_shows_every_field_it_records_redacted() -> None:
    lessons = pd.DataFrame(
        {
            "lesson_id": ["A1", "M1"],
            "method": ["aar", "msc"],
            "what_changed": ["The workshop reached fewer people.", "Managers now ask for the scan."],
            "significance": [None, "It reached management. Mail j.devos@example.org"],
            "planned": ["Twenty people.", None],
            "actual": ["Eleven people.", None],
            "why_gap": ["Late invitation.", "  "],
            "sustain_improve": ["Invite eight weeks ahead.", None],
            "artefact": [None, "checklist"],
            "adopted_by": [None, "Delta Dept"],
        }
    )
    entries = lesson_entries(lessons, {"email": "[mail]"})
    assert entries.values.tolist() == [
        ["A1", "what_changed", "The workshop reached fewer people."],
        ["A1", "planned", "Twenty people."],
        ["A1", "actual", "Eleven people."],
        ["A1", "why_gap", "Late invitation."],
        ["A1", "sustain_improve", "Invite eight weeks ahead."],
        ["M1", "what_changed", "Managers now ask for the scan."],
        ["M1", "significance", "It reached management. Mail [mail]"],
        ["M1", "artefact", "checklist"],
        ["M1", "adopted_by", "Delta Dept"],
    ]


def test_lesson_themes_csv_is_validated_with_file_and_line(small: Path) -> None:
    (small / "lessons.csv").write_text(
        "lesson_id,partner_id,track_id,wave,method,domain,what_changed,adopted_by,consent_to_quote\n"
        "L1,P1,T1,1,free,practice,A checklist helped.,Delta Dept,yes\n",
        encoding="utf-8",
    )
    (small / "lesson_themes.csv").write_text("lesson_id,theme\nL1,Tools\n", encoding="utf-8")
    append_lines(small / "lesson_themes.csv", "L9,Tools", "L1,Again")
    result = validate_programme(small)
    found = [(p.file, p.line, p.column) for p in result.problems]
    assert ("lesson_themes.csv", 3, "lesson_id") in found  # unknown lesson L9
    assert ("lesson_themes.csv", 4, "lesson_id") in found  # L1 given a second theme
    assert any("unknown lesson_id 'L9' (not in lessons.csv)" in p.message for p in result.problems)
    assert result.tables["lessons"]["adopted_by"].tolist() == ["Delta Dept"]
    assert result.tables["lesson_themes"].values.tolist() == [["L1", "Tools"]]
