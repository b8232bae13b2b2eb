"""The one suppression rule every analysis uses for small groups."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"


def suppress_small_groups(
    frame: pd.DataFrame, *, n_column: str, value_columns: Sequence[str], min_size: int
) -> pd.DataFrame:
    """Blank ``value_columns`` where ``n_column`` < ``min_size``; add a boolean ``suppressed``.

    The n itself stays visible (it says why a value is missing). Returns a copy.
    """
    out = frame.copy()
    small = out[n_column].fillna(0).to_numpy() < min_size
    for column in value_columns:
        out[column] = out[column].astype("float64").where(~small, np.nan)
    previous = out[SUPPRESSED].to_numpy(dtype=bool) if SUPPRESSED in out.columns else np.zeros(len(out), bool)
    out[SUPPRESSED] = previous | small
    return out
