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
    return len(pd.unique(respondent_codes(frame))) if len(frame) else 0


def respondent_codes(frame: pd.DataFrame) -> np.ndarray:
    """The respondent key of :func:`respondent_key` as integer codes: equal codes, same person, and the codes
    sort as the keys do (by partner id, then respondent id), so a group by person sums in the same order;
    for large tables, without building a string per row."""
    partner, person = _sorted_codes(frame["partner_id"]), _sorted_codes(frame["respondent_id"])
    width = int(person.max()) + 1 if len(person) else 1
    return np.asarray(partner * width + person, dtype="int64")


def _sorted_codes(column: pd.Series) -> np.ndarray:
    """Each value's rank among the column's distinct values (a missing one counts as a value, as in the key)."""
    try:
        codes, _ = pd.factorize(column, sort=True, use_na_sentinel=False)
    except TypeError:  # ids of mixed types (a hand-made frame): ordered as the key's strings
        codes, _ = pd.factorize(column.astype(str), sort=True, use_na_sentinel=False)
    return np.asarray(codes, dtype="int64")
