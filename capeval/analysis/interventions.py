"""Results per intervention type: what the answers about each kind of activity say (responses → activity → type).

Tracks group who takes part; activity types say what was done. A respondent who answered about
activities of two types counts in both; answers about no activity, or one without a type, count in
no type (the release lists them as the untyped rest, so a level beside its types cannot give them away).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from capeval.analysis.criteria import criteria_matrix
from capeval.analysis.kirkpatrick import kirkpatrick_chain

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
    rows = []
    for kind in sorted(set(kinds.dropna())):
        matrix = criteria_matrix(responses[(kinds == kind).to_numpy()], items, min_group_size=1, criteria=criteria)
        answered = matrix[matrix["n_items"] > 0]
        rows.append(answered[["criterion", "score", "n_respondents"]].assign(type=kind))
    return pd.concat(rows, ignore_index=True)[CRITERIA_COLUMNS] if rows else pd.DataFrame(columns=CRITERIA_COLUMNS)
