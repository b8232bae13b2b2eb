"""Results per intervention type: what the answers about each kind of activity say (responses → activity → type).

Tracks group who takes part; activity types say what was done. A respondent who answered about
activities of two types counts in both; answers about no activity, or one without a type, count in
no type (the release lists them as the untyped rest, so a level beside its types cannot give them away).
"""

from __future__ import annotations

import pandas as pd

from capeval.analysis.kirkpatrick import kirkpatrick_chain

TYPE_COLUMNS = ["type", "wave", "level", "n_respondents", "n_items", "mean", "sd", "ci_low", "ci_high"]


def typed_responses(responses: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """The answers about an activity with a type, with that ``type``; the others are left out."""
    if responses.empty or activities.empty or "activity_id" not in responses:
        return responses.iloc[0:0].assign(type=pd.Series(dtype=str))
    type_of = dict(zip(activities["activity_id"].astype(str), activities["type"].astype("string"), strict=True))
    kinds = responses["activity_id"].astype("string").map(type_of)
    kept = kinds.notna() & (kinds.astype("string").fillna("") != "")
    return responses[kept.to_numpy(dtype=bool)].assign(type=kinds[kept].astype(str).to_numpy())


def levels_by_type(responses: pd.DataFrame, items: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Per activity type, wave and level: n_respondents, n_items, the mean of respondent means (0–100),
    sd and 95 % interval (see :func:`capeval.analysis.kirkpatrick.kirkpatrick_chain`); nothing hidden yet:
    the programme's release decides what a report shows (family ``typelevel:<type>:<level>``)."""
    typed = typed_responses(responses, activities)
    if typed.empty:
        return pd.DataFrame(columns=TYPE_COLUMNS)
    chain = kirkpatrick_chain(typed, items, by=("type",), min_group_size=1)
    return chain[TYPE_COLUMNS].reset_index(drop=True)
