"""The rules every generated claim follows: the reader's numbers, a minimum effect, a minimum base.

- A value is compared as the reader sees it: rounded to the decimal the report shows
  (:func:`as_shown`), so 2.000000000000001 and 2.0 are one number, as they are on the page.
- A change smaller than ``min_change`` (programme.yaml, :class:`capeval.schema.MinChange`) is
  "about the same" (:func:`change_effect`).
- A claim on fewer respondents than ``min_group_size`` says its base (:func:`small_base`).
- A level score carries its uncertainty: a 95 % confidence interval (:func:`confidence_interval`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SHOWN_DIGITS = 1  # reports write scores, gaps and changes with one decimal (capeval.i18n.number)
CONFIDENCE = 0.95
EFFECTS = ("increased", "decreased", "about_same")
_EPS = 1e-9  # two shown values parsed from the same decimals compare exactly; this absorbs the rest


def shown(value: float, digits: int = SHOWN_DIGITS) -> float:
    """``value`` rounded as the report writes it (the rounding of :func:`capeval.i18n.number`); NaN stays NaN."""
    return float(f"{float(value):.{digits}f}")


def as_shown(values: pd.Series, digits: int = SHOWN_DIGITS) -> pd.Series:
    """:func:`shown` of every value of ``values`` (float64, NaN where missing)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return numbers.map(lambda v: shown(v, digits)).astype("float64")


def shown_change(before: pd.Series, after: pd.Series) -> pd.Series:
    """The change the reader works out: shown ``after`` minus shown ``before``, itself as shown.

    NaN where either is missing."""
    return as_shown(as_shown(after) - as_shown(before))


def change_effect(change: pd.Series, min_change: float) -> pd.Series:
    """Per change (taken as shown): "increased" (at least ``min_change``), "decreased" (at most
    -``min_change``), "about_same" (in between), or NA where the change is unknown."""
    value = as_shown(change)
    out = pd.Series(pd.NA, index=change.index, dtype="string")
    out[value.abs() < min_change - _EPS] = "about_same"
    out[value >= min_change - _EPS] = "increased"
    out[value <= -min_change + _EPS] = "decreased"
    return out


def at_least(values: pd.Series, threshold: float) -> pd.Series:
    """``values`` as shown >= ``threshold`` (False where missing)."""
    return as_shown(values) >= threshold - _EPS


def above(values: pd.Series, threshold: float) -> pd.Series:
    """``values`` as shown > ``threshold`` (False where missing)."""
    return as_shown(values) > threshold + _EPS


def below(values: pd.Series, threshold: float) -> pd.Series:
    """``values`` as shown < ``threshold`` (False where missing)."""
    return as_shown(values) < threshold - _EPS


def small_base(n: pd.Series, min_group_size: int) -> pd.Series:
    """True where a claim rests on fewer than ``min_group_size`` respondents: it must say so."""
    return pd.to_numeric(n, errors="coerce").fillna(0) < min_group_size


def confidence_interval(
    mean: pd.Series, sd: pd.Series, n: pd.Series, *, low: float = 0.0, high: float = 100.0
) -> tuple[pd.Series, pd.Series]:
    """The 95 % interval mean +/- t(0.975, n - 1) x sd / sqrt(n) (Student's t), clipped to the
    ``low``-``high`` scale; NaN where n < 2 (no spread to estimate) or the mean is missing."""
    from scipy.stats import t as student_t  # lazy: scipy.stats is slow to import where no chain is computed

    counts = pd.to_numeric(n, errors="coerce").astype("float64")
    usable = counts >= 2
    quantile = pd.Series(np.nan, index=counts.index, dtype="float64")
    quantile[usable] = student_t.ppf(0.5 + CONFIDENCE / 2, counts[usable] - 1)
    half: pd.Series = quantile * sd.astype("float64") / np.sqrt(counts.where(usable))
    centre = mean.astype("float64")
    return (centre - half).clip(lower=low, upper=high), (centre + half).clip(lower=low, upper=high)
