"""Privacy rules every analysis and report uses: one suppression rule, one redaction, one quote rule.

* :func:`suppress_small_groups` blanks the values of a group under ``min_group_size``
  (primary suppression) and, when asked, one more cell in the same partition so that the
  hidden value cannot be recomputed from a published total (complementary suppression).
* :func:`redact_personal_data` removes e-mail addresses, phone numbers and IBANs from text.
* :func:`quotable` applies the quote rule: consent, and at least ``min_comments`` comments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"
COMPLEMENTARY = "suppressed_complementary"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# IBAN: country code, two check digits, then 11-30 letters/digits, optionally in groups of four
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# phone: international (+ or 00) or trunk-prefixed (0) numbers with spaces, dashes, dots, slashes
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|\(0|0)[\d\s().\-/]{6,}\d(?!\w)")
_DATE = re.compile(r"^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")
PLACEHOLDERS: dict[str, str] = {"email": "[e-mail]", "phone": "[phone]", "iban": "[IBAN]"}


def suppress_small_groups(
    frame: pd.DataFrame,
    *,
    n_column: str,
    value_columns: Sequence[str],
    min_size: int,
    complementary_within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Blank ``value_columns`` where ``n_column`` < ``min_size``; add a boolean ``suppressed``.

    The n itself stays visible (it says why a value is missing). With
    ``complementary_within`` (the columns that define a partition whose rows add up to a
    published total, e.g. the dimensions of one Kirkpatrick level), a partition holding
    exactly one primary-suppressed cell with 0 < n < ``min_size`` also loses its smallest
    other cell (smallest n, then first in order), so the hidden value cannot be recomputed
    by subtraction; such rows are marked in ``suppressed_complementary``. Returns a copy.
    """
    out = frame.copy()
    n = out[n_column].fillna(0).to_numpy(dtype="float64")
    small = n < min_size
    if complementary_within is not None:
        secondary = np.zeros(len(out), bool)
        positions = pd.Series(np.arange(len(out)), index=out.index)
        keys = list(complementary_within)
        groups = positions.groupby([out[k] for k in keys], sort=False, dropna=False) if keys else [(None, positions)]
        for _, members in groups:
            pos = members.to_numpy()
            hidden = (n[pos] > 0) & small[pos]
            shown = pos[~small[pos]]
            if hidden.sum() == 1 and len(shown):
                secondary[shown[np.argsort(n[shown], kind="stable")[0]]] = True
        out[COMPLEMENTARY] = secondary
        small = small | secondary
    for column in value_columns:
        out[column] = out[column].astype("float64").where(~small, np.nan)
    previous = out[SUPPRESSED].to_numpy(dtype=bool) if SUPPRESSED in out.columns else np.zeros(len(out), bool)
    out[SUPPRESSED] = previous | small
    return out


def redact_personal_data(text: object, placeholders: Mapping[str, str] | None = None) -> str:
    """``text`` with e-mail addresses, IBANs and phone numbers replaced by placeholders.

    A phone number starts with ``+``, ``00`` or a trunk ``0`` and has 8-15 digits; dates
    such as 21-11-2026 are left alone. Missing text gives "".
    """
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    marks = {**PLACEHOLDERS, **(placeholders or {})}
    out = _EMAIL.sub(marks["email"], str(text))
    out = _IBAN.sub(marks["iban"], out)

    def phone(match: re.Match[str]) -> str:
        found = match.group(0)
        digits = sum(c.isdigit() for c in found)
        if _DATE.match(found.strip()) or not 8 <= digits <= 15:
            return found
        return marks["phone"]

    return _PHONE.sub(phone, out)


def quotable(
    lessons: pd.DataFrame,
    *,
    min_comments: int,
    text_column: str = "what_changed",
    placeholders: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The lessons that may be quoted, with their text redacted; empty unless the rule holds.

    The quote rule: the group holds at least ``min_comments`` comments (non-empty
    ``text_column``, with or without consent: the crowd they hide in), and only records
    with ``consent_to_quote`` true are quoted. Returns the quotable rows with a ``quote``
    column; the attribute ``n_comments`` of the result holds the count.
    """
    has_text = lessons[text_column].notna() & (lessons[text_column].astype("string").str.strip() != "")
    n_comments = int(has_text.sum())
    consent = lessons["consent_to_quote"].astype("boolean").fillna(False).astype(bool)
    keep = lessons[has_text & consent] if n_comments >= min_comments else lessons.iloc[0:0]
    out = keep.assign(quote=[redact_personal_data(t, placeholders) for t in keep[text_column]])
    out.attrs["n_comments"] = n_comments
    return out.reset_index(drop=True)
