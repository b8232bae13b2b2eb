"""Results per intervention type: what the answers about each kind of activity say (responses → activity → type).

Tracks group who takes part; activity types say what was done. A respondent who answered about
activities of two types counts in both; answers about no activity, or one without a type, count in
no type (the release lists them as the untyped rest, so a level beside its types cannot give them away).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from capeval.analysis.answers import parse_codebook
from capeval.analysis.kirkpatrick import categorical_lookup, coded_categorical, kirkpatrick_chain, scored_responses
from capeval.analysis.respondents import RESPONDENT, respondent_codes

TYPE_COLUMNS = ["type", "wave", "level", "n_respondents", "n_items", "mean", "sd", "ci_low", "ci_high"]


def activity_types(responses: pd.DataFrame, activities: pd.DataFrame) -> pd.Series:
    """Per answer: the type of the activity it is about (a string), None when it is about no activity of a
    known, non-empty type. Looked up once per activity, not per answer."""
    if responses.empty or activities.empty or "activity_id" not in responses:
        return pd.Series(None, index=responses.index, dtype=object)
    type_of = dict(zip(activities["activity_id"].astype(str), activities["type"].astype("string"), strict=True))
    activity, ids = pd.factorize(responses["activity_id"])
    types = [type_of.get(str(a)) for a in ids]
    known = [None if t is None or pd.isna(t) or str(t) == "" else str(t) for t in types]
    return pd.Series(np.array([*known, None], dtype=object)[activity], index=responses.index)  # -1: no activity


def activity_type_codes(responses: pd.DataFrame, activities: pd.DataFrame) -> pd.Categorical:
    """Per answer: the type of the activity it is about (:func:`activity_types`) as a categorical whose
    categories sort as the type strings do, missing where that gives None. Codes, not a Python object per
    answer: grouping by it sorts and counts as grouping by the strings does."""
    none = pd.Index([], dtype=object)
    if responses.empty or activities.empty or "activity_id" not in responses:
        return coded_categorical(np.full(len(responses), -1, dtype="int8"), none)
    type_of = dict(zip(activities["activity_id"].astype(str), activities["type"].astype("string"), strict=True))
    typed = {activity: str(kind) for activity, kind in type_of.items() if not pd.isna(kind) and str(kind) != ""}
    return categorical_lookup(responses["activity_id"], typed)


def typed_responses(responses: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """The answers about an activity with a type, with that ``type``; the others are left out."""
    kinds = activity_types(responses, activities)
    kept = kinds.notna().to_numpy(dtype=bool)
    return responses[kept].assign(type=kinds[kept].to_numpy())


def levels_by_type(responses: pd.DataFrame, items: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Per activity type, wave and level: n_respondents, n_items, the mean of respondent means (0–100),
    sd and 95 % interval (see :func:`capeval.analysis.kirkpatrick.kirkpatrick_chain`); nothing hidden yet:
    the programme's release decides what a report shows (family ``typelevel:<type>:<level>``)."""
    kinds = activity_type_codes(responses, activities)
    if not (kinds.codes >= 0).any():
        return pd.DataFrame(columns=TYPE_COLUMNS)
    # the untyped answers stay, with no type: grouping by type leaves them out without a copy of the typed ones
    chain = kirkpatrick_chain(responses.assign(type=kinds), items, by=("type",), min_group_size=1)
    return chain[TYPE_COLUMNS].astype({"type": object}).reset_index(drop=True)


CRITERIA_COLUMNS = ["type", "criterion", "score", "n_respondents"]


def criteria_by_type(
    responses: pd.DataFrame, items: pd.DataFrame, activities: pd.DataFrame, criteria: Sequence[str]
) -> pd.DataFrame:
    """Per activity type and criterion of ``criteria`` with answers: the survey score (0–100, the mean of
    respondent means over the criterion's items, waves pooled, as in the criteria matrix) and n_respondents;
    nothing hidden yet: the release decides (family ``typecriterion:<type>:<criterion>``)."""
    kinds = activity_type_codes(responses, activities)
    if not (kinds.codes >= 0).any():
        return pd.DataFrame(columns=CRITERIA_COLUMNS)
    # the answers scored once and grouped by type (a criteria matrix per type scored them once per type)
    scored = scored_responses(responses.assign(type=kinds), items, keep=("type",))
    # one selection of the scored answers (criterion a categorical sorting as its strings: no copy per step)
    scored = scored[scored["type"].notna().to_numpy() & scored["criterion"].isin(list(criteria)).to_numpy()]
    if scored.empty:
        return pd.DataFrame(columns=CRITERIA_COLUMNS)
    per_resp = scored.groupby(["type", "criterion", RESPONDENT], observed=True, sort=True)["score"].mean()
    out = per_resp.groupby(level=["type", "criterion"], observed=True, sort=True).agg(["mean", "size"]).reset_index()
    out = out.astype({"type": object, "criterion": object})
    out = out.rename(columns={"mean": "score", "size": "n_respondents"})
    # types sorted, then criteria in programme.yaml's order, as the report lists them
    order = {name: i for i, name in enumerate(criteria)}
    out = out.sort_values(["type", "criterion"], key=lambda c: c.map(order) if c.name == "criterion" else c)
    return out.astype({"type": object, "score": "float64", "n_respondents": "int64"})[CRITERIA_COLUMNS].reset_index(
        drop=True
    )


TOP_TWO_COLUMNS = ["type", "wave", "question_id", "n_respondents", "n_answers", "share"]


def ordinal_questions(items: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The coded ordinal questions (an item with a codebook of at least two answers, ``kind`` ordinal where
    the items say): item_id -> its two highest answer codes."""
    if "labels" not in items.columns:
        return {}
    coded = items[items["labels"].notna()]
    if "kind" in coded.columns:
        coded = coded[coded["kind"].astype("string").fillna("") == "ordinal"]
    tops = {
        str(i): sorted(parse_codebook(text))[-2:] for i, text in zip(coded["item_id"], coded["labels"], strict=True)
    }
    return {item: (codes[0], codes[1]) for item, codes in tops.items() if len(codes) == 2}


def top_two_by_type(responses: pd.DataFrame, items: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Per activity type, wave and coded ordinal question: the share of the answers about that type that chose
    one of the question's two highest answers (of all its answers, as in the question's own table), n_answers
    and n_respondents (the respondents who answered it about that type); nothing hidden yet: the release
    decides (family ``typequestion:<type>:<question>``)."""
    tops = ordinal_questions(items)
    kinds = activity_type_codes(responses, activities)
    # the question of each answer by its rank among the ids as strings (one string per question, not per answer)
    answered, ids = pd.factorize(responses["item_id"])
    names, rank = np.unique(np.array([str(i) for i in ids], dtype=object), return_inverse=True)
    question = np.array([*rank.astype("int64"), -1], dtype="int64")[answered]
    asked = np.array([*(str(n) in tops for n in names), False], dtype=bool)
    given = asked[question] & responses["value"].notna().to_numpy()
    typed = given & (kinds.codes >= 0)
    if not typed.any():
        return pd.DataFrame(columns=TOP_TWO_COLUMNS)
    question = question[typed]
    value = responses["value"].to_numpy(dtype="float64")[typed]
    first = np.array([tops[str(n)][0] if str(n) in tops else np.nan for n in names], dtype="float64")
    second = np.array([tops[str(n)][1] if str(n) in tops else np.nan for n in names], dtype="float64")
    # the two highest codes, not "at least the second": a value outside the codebook is no top answer
    high = (value == first[question]) | (value == second[question])
    frame = pd.DataFrame(
        {
            "type": kinds.codes[typed],
            "wave": responses["wave"].to_numpy(dtype="int64")[typed],
            "question": question,
            "who": respondent_codes(responses)[typed],
            "high": high,
        }
    )
    grouped = frame.groupby(["type", "wave", "question"], sort=True)
    out = grouped.agg(n_respondents=("who", "nunique"), n_answers=("high", "size"), top=("high", "sum")).reset_index()
    out["type"] = kinds.categories.to_numpy(dtype=object)[out["type"].to_numpy()]
    out["question_id"] = names[out["question"].to_numpy()]
    out["share"] = out["top"] / out["n_answers"]
    return out.astype({"n_respondents": "int64", "n_answers": "int64", "share": "float64"})[TOP_TWO_COLUMNS]
