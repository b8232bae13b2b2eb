"""Who a respondent is: respondent ids are unique per partner only, so a respondent is
``(partner_id, respondent_id)``. Every analysis that counts or pairs people builds the key here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

RESPONDENT = "_respondent"  # the column holding the respondent key, where an analysis adds it
_SEPARATOR = "\x1f"  # the ASCII unit separator: no id contains it, so no two pairs join to one key


def respondent_key(frame: pd.DataFrame) -> pd.Series:
    """One key per row of ``frame`` (which has partner_id and respondent_id): equal keys, same person.

    Two partners' ``R01`` get different keys; returns a string Series on ``frame``'s index (Arrow-backed
    when both columns are: the same keys without a Python string per row, as a report reads the store).
    """
    partner, person = frame["partner_id"], frame["respondent_id"]
    dtype = partner.dtype
    if isinstance(dtype, pd.StringDtype) and _arrow_strings(partner) and _arrow_strings(person):
        ids = pa.chunked_array(pa.array(partner)), pa.chunked_array(pa.array(person))
        joined = pc.binary_join_element_wise(*ids, pa.scalar(_SEPARATOR, ids[0].type))
        keys: pd.Series = joined.to_pandas(types_mapper=lambda _: dtype)
        return keys.set_axis(frame.index)
    return partner.astype(str) + _SEPARATOR + person.astype(str)


def _arrow_strings(column: pd.Series) -> bool:
    dtype = column.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" and not column.isna().any()


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
