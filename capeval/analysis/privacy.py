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
from dataclasses import dataclass

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"
COMPLEMENTARY = "suppressed_complementary"
# Why the release hides a value (capeval.analysis.release): its group is under min_group_size; a difference
# with other published values would isolate fewer than min_group_size respondents; it is not in the release.
SMALL = "small"
COMPLEMENTARY_REASON = "complementary"
NOT_RELEASED = "not_released"

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


def decide_release(cells: pd.DataFrame, links: pd.DataFrame, *, min_size: int) -> pd.DataFrame:
    """Which cells of a programme's release are shown: ``cells`` with ``hidden`` and ``reason``.

    ``cells`` (see :func:`capeval.analysis.release.release_cells`): basis, scope (partner, track,
    programme), key, parent (the key of the scope above), n (distinct respondents, disjoint across
    partners, so a parent's n is the sum of its children's) and published. The rule:

    1. a published cell of fewer than ``min_size`` respondents is hidden (``small``);
    2. for every shown cell, its respondents not covered by shown cells below it (the *region* an
       attacker isolates by subtracting every shown part) number 0 or at least ``min_size``;
       otherwise one more cell is hidden (``complementary``): the shown part with the fewest
       respondents whose region closes the gap (then the part's key), else the cell itself;
    3. ``links`` (member basis, parent basis) are a level and its dimensions at one scope: when the
       level is shown and every hidden dimension is small, the shown dimension with the fewest
       respondents is hidden too, so the level does not give the small ones away.

    Rules 2 and 3 repeat until nothing changes; hiding only ever grows, so it ends, and the
    order of the rows does not change the outcome (deterministic). A cell of a scope where its basis
    is not published is hidden as ``not_released``.
    """
    out = cells.sort_values(["basis", "key"], kind="stable").reset_index(drop=True)
    n = out["n"].to_numpy(dtype="int64")
    published = out["published"].to_numpy(dtype=bool)
    small = published & (n < min_size)
    reason = np.where(small, SMALL, "").astype(object)
    visible = published & ~small
    scope = out["scope"].to_numpy()
    index = {(b, k): i for i, (b, k) in enumerate(zip(out["basis"], out["key"], strict=True))}
    parent_index = np.array([index.get((b, p), -1) for b, p in zip(out["basis"], out["parent"], strict=True)])
    state = _Cells(n, visible, reason, min_size)
    link_groups = _link_groups(out, links, index)
    changed = True
    while changed:
        changed = state.close_regions(scope, parent_index)
        changed |= state.close_links(link_groups)
    out["hidden"] = ~visible
    out["reason"] = np.where(visible, "", np.where(published, reason, NOT_RELEASED))
    return out


@dataclass
class _Cells:
    """The release's cells as arrays: n, shown or not, and why hidden; rules 2 and 3 act on them."""

    n: np.ndarray
    visible: np.ndarray
    reason: np.ndarray
    min_size: int

    def hide(self, i: int) -> None:
        self.visible[i] = False
        self.reason[i] = COMPLEMENTARY_REASON

    def covered(self, node: int, children: dict[int, list[int]]) -> list[int]:
        """The shown cells right below ``node``: its shown children, and below its hidden ones."""
        found: list[int] = []
        for child in children.get(node, []):
            found.extend([child] if self.visible[child] else self.covered(child, children))
        return found

    def region(self, node: int, children: dict[int, list[int]]) -> int:
        """The respondents of ``node`` that no shown cell below it covers."""
        return int(self.n[node] - sum(int(self.n[c]) for c in self.covered(node, children)))

    def close_regions(self, scope: np.ndarray, parent: np.ndarray) -> bool:
        """Rule 2, tracks first (their parts are partners), then the programme (tracks and loose partners)."""
        changed = False
        children: dict[int, list[int]] = {}
        for i, p in enumerate(parent):
            if p >= 0:
                children.setdefault(int(p), []).append(i)
        for level in ("track", "programme"):
            for node in map(int, np.flatnonzero((scope == level) & self.visible)):
                while self.visible[node]:
                    region = self.region(node, children)
                    if region == 0 or region >= self.min_size:
                        break
                    parts = self.covered(node, children)
                    enough = sorted(
                        (int(self.n[c]), c) for c in parts if region + self.region(c, children) >= self.min_size
                    )
                    self.hide(enough[0][1] if enough else node)
                    changed = True
        return changed

    def close_links(self, groups: list[tuple[int, list[int]]]) -> bool:
        """Rule 3: a shown level whose hidden dimensions are all small loses its smallest shown dimension."""
        changed = False
        for level, members in groups:
            if not self.visible[level]:
                continue
            hidden = [m for m in members if not self.visible[m] and self.reason[m]]
            shown = [m for m in members if self.visible[m]]
            if hidden and shown and max(int(self.n[m]) for m in hidden) < self.min_size:
                self.hide(min(shown, key=lambda m: (int(self.n[m]), m)))
                changed = True
        return changed


def _link_groups(
    cells: pd.DataFrame, links: pd.DataFrame, index: dict[tuple[int, str], int]
) -> list[tuple[int, list[int]]]:
    """(level cell, its dimension cells) at every scope, as row positions."""
    groups: list[tuple[int, list[int]]] = []
    if links.empty:
        return groups
    members_of: dict[int, list[int]] = {}
    for member, parent in zip(links["basis"], links["parent_basis"], strict=True):
        members_of.setdefault(int(parent), []).append(int(member))
    for key in sorted(set(cells["key"])):
        for parent, members in sorted(members_of.items()):
            level = index.get((parent, key))
            cells_here = [index[(m, key)] for m in sorted(members) if (m, key) in index]
            if level is not None and len(cells_here) > 1:
                groups.append((level, cells_here))
    return groups


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
