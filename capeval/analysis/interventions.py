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
from capeval.analysis.kirkpatrick import kirkpatrick_chain, scored_responses
from capeval.analysis.respondents import RESPONDENT, respondent_key

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


def typed_responses(responses: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """The answers about an activity with a type, with that ``type``; the others are left out."""
    kinds = activity_types(responses, activities)
    kept = kinds.notna().to_numpy(dtype=bool)
    return responses[kept].assign(type=kinds[kept].to_numpy())


def levels_by_type(responses: pd.DataFrame, items: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Per activity type, wave and level: n_respondents, n_items, the mean of respondent means (0–100),
    sd and 95 % interval (see :func:`capeval.analysis.kirkpatrick.kirkpatrick_chain`); nothing hidden yet:
    the programme's release decides what a report shows (family ``typelevel:<type>:<level>``)."""
    kinds = activity_types(responses, activities)
    if not kinds.notna().any():
        return pd.DataFrame(columns=TYPE_COLUMNS)
    # the untyped answers stay, with no type: grouping by type leaves them out without a copy of the typed ones
    chain = kirkpatrick_chain(responses.assign(type=kinds), items, by=("type",), min_group_size=1)
    return chain[TYPE_COLUMNS].reset_index(drop=True)


CRITERIA_COLUMNS = ["type", "criterion", "score", "n_respondents"]


def criteria_by_type(
    responses: pd.DataFrame, items: pd.DataFrame, activities: pd.DataFrame, criteria: Sequence[str]
) -> pd.DataFrame:
    """Per activity type and criterion of ``criteria`` with answers: the survey score (0–100, the mean of
    respondent means over the criterion's items, waves pooled, as in the criteria matrix) and n_respondents;
    nothing hidden yet: the release decides (family ``typecriterion:<type>:<criterion>``)."""
    kinds = activity_types(responses, activities)
    if not kinds.notna().any():
        return pd.DataFrame(columns=CRITERIA_COLUMNS)
    # the answers scored once and grouped by type (a criteria matrix per type scored them once per type)
    scored = scored_responses(responses.assign(type=kinds), items, keep=("type",))
    scored = scored[scored["type"].notna().to_numpy() & scored["criterion"].notna().to_numpy()]
    criterion = scored["criterion"].astype(object)
    scored = scored.assign(criterion=criterion)[criterion.isin(list(criteria)).to_numpy()]
    if scored.empty:
        return pd.DataFrame(columns=CRITERIA_COLUMNS)
    per_resp = scored.groupby(["type", "criterion", RESPONDENT], sort=True)["score"].mean()
    out = per_resp.groupby(level=["type", "criterion"], sort=True).agg(["mean", "size"]).reset_index()
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
    kinds = activity_types(responses, activities)
    given = responses["item_id"].astype(str).isin(tops).to_numpy() & responses["value"].notna().to_numpy()
    typed = given & kinds.notna().to_numpy(dtype=bool)
    if not typed.any():
        return pd.DataFrame(columns=TOP_TWO_COLUMNS)
    rows = responses[typed]
    item = rows["item_id"].astype(str)
    value = rows["value"].astype("float64")
    # the two highest codes, not "at least the second": a value outside the codebook is no top answer
    high = (value == item.map(lambda i: tops[i][0])) | (value == item.map(lambda i: tops[i][1]))
    frame = pd.DataFrame(
        {
            "type": kinds[typed].to_numpy(),
            "wave": rows["wave"].astype("int64").to_numpy(),
            "question_id": item.to_numpy(),
            "who": respondent_key(rows).to_numpy(),
            "high": high.to_numpy(dtype=bool),
        }
    )
    grouped = frame.groupby(["type", "wave", "question_id"], sort=True)
    out = grouped.agg(n_respondents=("who", "nunique"), n_answers=("high", "size"), top=("high", "sum")).reset_index()
    out["share"] = out["top"] / out["n_answers"]
    return out.astype({"n_respondents": "int64", "n_answers": "int64", "share": "float64"})[TOP_TWO_COLUMNS]
