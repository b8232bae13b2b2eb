"""Who a respondent is: respondent ids are unique per partner only, so a respondent is
``(partner_id, respondent_id)``. Every analysis that counts or pairs people builds the key here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RESPONDENT = "_respondent"  # the column holding the respondent key, where an analysis adds it
_SEPARATOR = "\x1f"  # the ASCII unit separator: no id contains it, so no two pairs join to one key


def respondent_key(frame: pd.DataFrame) -> pd.Series:
    """One key per row of ``frame`` (which has partner_id and respondent_id): equal keys, same person.

    Two partners' ``R01`` get different keys; returns a string Series on ``frame``'s index.
    """
    return frame["partner_id"].astype(str) + _SEPARATOR + frame["respondent_id"].astype(str)


def count_respondents(frame: pd.DataFrame) -> int:
    """The number of distinct respondents (partner id and respondent id) among ``frame``'s rows."""
    return int(respondent_key(frame).nunique()) if len(frame) else 0


def respondent_codes(frame: pd.DataFrame) -> np.ndarray:
    """The respondent key of :func:`respondent_key` as integer codes (equal codes, same person): the
    same identity for large tables, without building a string per row."""
    partner, _ = pd.factorize(frame["partner_id"].astype(str))
    person, _ = pd.factorize(frame["respondent_id"].astype(str))
    combined = partner.astype("int64") * (int(person.max()) + 1 if len(person) else 1) + person
    codes, _ = pd.factorize(combined)
    return np.asarray(codes, dtype="int64")
