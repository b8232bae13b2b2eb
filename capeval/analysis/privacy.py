"""Privacy rules every analysis and report uses: one suppression rule, one redaction, one quote rule.

* :func:`suppress_small_groups` blanks the values of a group under ``min_group_size``
  (primary suppression) and, when asked, one more cell in the same partition so that the
  hidden value cannot be recomputed from a published total (complementary suppression).
* :func:`redact_personal_data` removes e-mail addresses, phone numbers, IBANs and national numbers.
* :func:`quotable` applies the quote rule: consent, and at least ``min_comments`` comments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from capeval.analysis.redaction import redact

SUPPRESSED = "suppressed"
COMPLEMENTARY = "suppressed_complementary"
# Why the release hides a value (capeval.analysis.release): its group is under min_group_size; a difference
# with other published values would isolate fewer than min_group_size respondents; it is not in the release.
SMALL = "small"
COMPLEMENTARY_REASON = "complementary"
NOT_RELEASED = "not_released"


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
    3. ``links`` (member basis, parent basis, partition) are a level and its parts at one scope — its
       dimensions, or its results per activity type — each partition on its own: when the level is
       shown and every hidden part is small, the shown part with the fewest respondents is hidden
       too, so the level does not give the small ones away.

    Rules 2 and 3 repeat until nothing changes; hiding only ever grows, so it ends, and the
    order of the rows does not change the outcome (deterministic). A cell of a scope where its basis
    is not published is hidden as ``not_released``.
    """
    out = cells.sort_values(["basis", "key"], kind="stable").reset_index(drop=True)
    published = out["published"].to_numpy(dtype=bool)
    state = _Cells.of(out, links, min_size)
    changed = True
    while changed:
        changed = state.close_tracks()
        changed |= state.close_programmes()
        changed |= state.close_links()
    visible = state.visible
    reasons = np.array(["", SMALL, COMPLEMENTARY_REASON], dtype=object)[state.why]
    out["hidden"] = ~visible
    out["reason"] = np.where(visible, "", np.where(published, reasons, NOT_RELEASED))
    return out


_NONE, _SMALL, _COMPLEMENTARY = 0, 1, 2


@dataclass
class _Cells:
    """The release's cells as arrays (rows sorted by basis, then key): n, shown or not, why hidden, and
    the tree (each cell's parent row); rules 2 and 3 act on them, vectorised where a programme is large."""

    n: np.ndarray
    visible: np.ndarray
    why: np.ndarray  # _NONE, _SMALL or _COMPLEMENTARY
    parent: np.ndarray  # row of the parent cell, -1 for the programme
    scope: np.ndarray
    links: pd.DataFrame  # level, member: rows of a level cell and of its dimensions' cells at one scope
    min_size: int

    @classmethod
    def of(cls, cells: pd.DataFrame, links: pd.DataFrame, min_size: int) -> _Cells:
        n = cells["n"].to_numpy(dtype="int64")
        published = cells["published"].to_numpy(dtype=bool)
        small = published & (n < min_size)
        rows = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_arrays([cells["basis"], cells["key"]]))
        parent = rows.reindex(pd.MultiIndex.from_arrays([cells["basis"], cells["parent"]])).fillna(-1)
        placed = cells.assign(row=np.arange(len(cells)))[["basis", "key", "row"]]
        pairs = links.merge(placed, on="basis").merge(
            placed.rename(columns={"basis": "parent_basis", "row": "level"}), on=["parent_basis", "key"]
        )
        if "partition" not in pairs:
            pairs = pairs.assign(partition="dimension")
        pairs = pairs.rename(columns={"row": "member"})[["level", "member", "partition"]]
        # one part: the level itself; each partition (dimensions, activity types) closes on its own
        pairs = pairs[pairs.groupby(["level", "partition"])["member"].transform("size") > 1]
        return cls(
            n=n,
            visible=published & ~small,
            why=np.where(small, _SMALL, _NONE),
            parent=parent.to_numpy(dtype="int64"),
            scope=cells["scope"].to_numpy(dtype=object),
            links=pairs.reset_index(drop=True),
            min_size=min_size,
        )

    def hide(self, row: int) -> None:
        self.visible[row] = False
        self.why[row] = _COMPLEMENTARY

    def _gap(self, region: np.ndarray) -> np.ndarray:
        return (region > 0) & (region < self.min_size)

    def close_tracks(self) -> bool:
        """Rule 2 for tracks: their parts are their partners; the smallest shown partner closes any gap."""
        partner = (self.scope == "partner") & (self.parent >= 0)
        under_track = partner & (self.scope[np.maximum(self.parent, 0)] == "track")
        shown = under_track & self.visible
        covered = np.bincount(self.parent[shown], weights=self.n[shown], minlength=len(self.n))
        gaps = np.flatnonzero((self.scope == "track") & self.visible & self._gap(self.n - covered))
        for track in gaps:
            parts = np.flatnonzero(shown & (self.parent == track))
            if len(parts):
                self.hide(int(parts[np.lexsort((parts, self.n[parts]))[0]]))
            else:
                self.hide(int(track))
        return bool(len(gaps))

    def close_programmes(self) -> bool:
        """Rule 2 for the programme: its parts are its shown tracks, and the shown partners of hidden tracks
        or of none. The part with the fewest respondents whose own region closes the gap is hidden, else
        the programme's cell itself."""
        changed = False
        while True:
            covered, parts_of = self._programme_parts()
            gaps = np.flatnonzero((self.scope == "programme") & self.visible & self._gap(self.n - covered))
            if not len(gaps):
                return changed
            for programme in gaps:
                region = int(self.n[programme] - covered[programme])
                parts = parts_of(int(programme))
                gain = {int(p): self._own_region(int(p)) for p in parts}
                enough = sorted((int(self.n[p]), p) for p, g in gain.items() if region + g >= self.min_size)
                self.hide(enough[0][1] if enough else int(programme))
            changed = True

    def _own_region(self, row: int) -> int:
        if self.scope[row] != "track":
            return int(self.n[row])
        shown = np.flatnonzero((self.parent == row) & self.visible)
        return int(self.n[row] - self.n[shown].sum())

    def _programme_parts(self) -> tuple[np.ndarray, Callable[[int], np.ndarray]]:
        """(respondents covered below each programme cell, its shown parts)."""
        above = self.parent
        top = np.where(above >= 0, above[np.maximum(above, 0)], -1)  # a partner's programme, through its track
        is_track = self.scope == "track"
        partner = self.scope == "partner"
        parent_shown = np.where(above >= 0, self.visible[np.maximum(above, 0)], False)
        direct = partner & (above >= 0) & (self.scope[np.maximum(above, 0)] == "programme")
        through_hidden = partner & (above >= 0) & (self.scope[np.maximum(above, 0)] == "track") & ~parent_shown
        owner = np.where(is_track | direct, above, np.where(through_hidden, top, -1))
        counted = self.visible & (owner >= 0)
        covered = np.bincount(owner[counted], weights=self.n[counted], minlength=len(self.n))
        return covered, lambda programme: np.flatnonzero(counted & (owner == programme))

    def close_links(self) -> bool:
        """Rule 3: a shown level whose hidden dimensions are all small loses its smallest shown dimension."""
        if self.links.empty:
            return False
        level = self.links["level"].to_numpy()
        member = self.links["member"].to_numpy()
        group = pd.MultiIndex.from_arrays([self.links["level"], self.links["partition"]]).factorize()[0]
        frame = pd.DataFrame(
            {
                "group": group,
                "hidden_n": np.where(~self.visible[member] & (self.why[member] != _NONE), self.n[member], -1),
                "shown": self.visible[member],
            }
        )
        grouped = frame.groupby("group", sort=True).agg(hidden_n=("hidden_n", "max"), shown=("shown", "any"))
        level_of = np.zeros(len(grouped), dtype="int64")
        level_of[group] = level
        gaps = np.flatnonzero(
            self.visible[level_of]
            & (grouped["hidden_n"].to_numpy() >= 0)
            & (grouped["hidden_n"].to_numpy() < self.min_size)
            & grouped["shown"].to_numpy()
        )
        for one in gaps:
            shown = member[(group == one) & self.visible[member]]
            if len(shown):  # a basis shared by two partitions may have been hidden for the other one just now
                self.hide(int(shown[np.lexsort((shown, self.n[shown]))[0]]))
        return bool(len(gaps))


def redact_personal_data(text: object, placeholders: Mapping[str, str] | None = None) -> str:
    """``text`` with e-mail addresses, IBANs, national numbers (BSN, Belgian) and phone numbers replaced
    by placeholders (see :mod:`capeval.analysis.redaction`); dates such as 21-11-2026 are left alone.
    Missing text gives "".
    """
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    return redact(str(text), placeholders)


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
