"""Results per intervention type in the release: cells per activity type, and a level beside its shown
types never gives away a small type (nor the answers about no typed activity)."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.release import ReleaseInputs, answer_tables, plan_release

ITEMS = pd.DataFrame(
    {
        "item_id": ["Q1"],
        "level": ["L1"],
        "dimension": ["satisfaction"],
        "criterion": ["relevance"],
        "scale_min": [1],
        "scale_max": [5],
    }
)
PARTNERS = pd.DataFrame({"partner_id": ["A"], "track_id": ["T"]})
ACTIVITIES = pd.DataFrame({"activity_id": ["a1", "a2", "a3"], "type": ["workshop", "peer_review", "workshop"]})


def _responses(about: list[str | None]) -> pd.DataFrame:
    """One answer to Q1 per respondent R1, R2, … about the activity given (None: no activity)."""
    return pd.DataFrame(
        {
            "respondent_id": [f"R{i}" for i in range(1, len(about) + 1)],
            "partner_id": "A",
            "activity_id": about,
            "wave": 1,
            "item_id": "Q1",
            "value": 4.0,
        }
    )


def _decided(responses: pd.DataFrame) -> dict[str, tuple[int, str]]:
    inputs = ReleaseInputs(responses, ITEMS, PARTNERS, waves=[1], baseline=1, follow_up=1, activities=ACTIVITIES)
    cells, families = plan_release(inputs, min_group_size=3)
    wave_one = families[families["wave"].isin([1, -1])]
    named = cells.merge(wave_one, on="basis")
    partner = named[named["key"] == "p:A"]
    return {str(f): (int(n), str(r)) for f, n, r in partner[["family", "n", "reason"]].to_numpy()}


def test_each_type_counts_the_people_who_answered_about_it() -> None:
    # R1–R4 about workshops (two activities), R5–R7 about the peer review, R8 about none, R3 also about a2
    about = ["a1", "a1", "a3", "a3", "a2", "a2", "a2", None, "a2"]
    responses = _responses(about)
    responses.loc[8, "respondent_id"] = "R3"  # R3 answered about the peer review too
    decided = _decided(responses)
    assert decided["level:L1"][0] == 8
    assert decided["typelevel:workshop:L1"][0] == 4
    assert decided["typelevel:peer_review:L1"][0] == 4  # R5, R6, R7 and R3
    assert decided["typelevel::L1"][0] == 1  # R8, about no activity
    assert decided["typecriterion:workshop:relevance"][0] == 4


def test_a_small_type_beside_a_shown_level_hides_the_smallest_shown_type() -> None:
    # workshops 5 people, peer review 2 (small): the level (7) minus the workshops would give the 2 away
    decided = _decided(_responses(["a1"] * 3 + ["a3"] * 2 + ["a2"] * 2))
    assert decided["level:L1"] == (7, "")
    assert decided["typelevel:peer_review:L1"] == (2, "small")
    assert decided["typelevel:workshop:L1"] == (5, "complementary")


def test_answers_about_no_typed_activity_are_protected_like_a_small_type() -> None:
    # six about workshops, one about no activity: the level minus the workshops would be that one person
    decided = _decided(_responses(["a1"] * 6 + [None]))
    assert decided["level:L1"] == (7, "")
    assert decided["typelevel:workshop:L1"][1] == "complementary"


def test_types_of_enough_people_are_shown_beside_their_level() -> None:
    decided = _decided(_responses(["a1"] * 4 + ["a2"] * 3))
    assert decided["typelevel:workshop:L1"] == (4, "")
    assert decided["typelevel:peer_review:L1"] == (3, "")
    assert decided["level:L1"] == (7, "")


def test_answer_tables_per_type_are_parts_of_their_question() -> None:
    # Q1 with a codebook: four about workshops, three about the peer review, one about no activity
    items = ITEMS.assign(labels="1=No; 2=Somewhat; 3=Yes", kind="ordinal")
    responses = _responses(["a1"] * 2 + ["a3"] * 2 + ["a2"] * 3 + [None])
    inputs = ReleaseInputs(
        responses,
        items,
        PARTNERS,
        waves=[1],
        baseline=1,
        follow_up=1,
        questions=answer_tables(items),
        activities=ACTIVITIES,
    )
    cells, families = plan_release(inputs, min_group_size=3)
    named = cells.merge(families[families["wave"] == 1], on="basis")
    partner = named[named["key"] == "p:A"]
    decided = {str(f): (int(n), str(r)) for f, n, r in partner[["family", "n", "reason"]].to_numpy()}
    typed = [f for f in decided if f.startswith("typequestion:")]
    assert sorted(typed) == ["typequestion::Q1", "typequestion:peer_review:Q1", "typequestion:workshop:Q1"]
    assert decided["question:Q1"] == (8, "")
    assert decided["typequestion:workshop:Q1"][0] == 4
    assert decided["typequestion::Q1"] == (1, "small")
    # the question minus the workshops would give the one untyped answer away: the smaller type goes too
    assert decided["typequestion:peer_review:Q1"] == (3, "complementary")


def test_a_basis_in_two_partitions_is_closed_once_without_error() -> None:
    # L1 is the one question Q1: "workshop answers to L1" and "workshop answers to Q1" are the same basis, a part
    # of the level and of the question alike; both partitions ask to hide it in the same round
    codebook = ITEMS.assign(labels="1=Poor; 2=Fair; 3=Good; 4=Very good; 5=Excellent", kind="ordinal")
    responses = _responses(["a1"] * 5 + ["a2"] * 2)
    inputs = ReleaseInputs(
        responses,
        codebook,
        PARTNERS,
        waves=[1],
        baseline=1,
        follow_up=1,
        activities=ACTIVITIES,
        questions=answer_tables(codebook),
    )
    cells, families = plan_release(inputs, min_group_size=3)
    named = cells.merge(families, on="basis")
    partner = named[named["key"] == "p:A"].set_index("family")
    assert partner.loc["typelevel:peer_review:L1", "reason"] == "small"
    assert partner.loc["typelevel:workshop:L1", "reason"] == "complementary"
    assert partner.loc["typequestion:workshop:Q1", "reason"] == "complementary"  # the same cell, one decision
