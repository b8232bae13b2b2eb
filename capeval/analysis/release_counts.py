"""Counting the release's cells: distinct respondents per basis and partner, fast for millions of answers.

A respondent is ``(partner_id, respondent_id)`` (:mod:`capeval.analysis.respondents`); an answer counts
towards every basis whose items, wave and (for results per intervention type) activity type it matches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from capeval.analysis.respondents import respondent_codes

if TYPE_CHECKING:
    from capeval.analysis.release import Basis

ALL_WAVES = -1  # the wave of a basis that pools every wave (as in capeval.analysis.release)
UNTYPED = ""  # an answer about no activity of a known type (as in capeval.analysis.release)


def answered(responses: pd.DataFrame, activities: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (respondent, wave, item, activity type) answered: who (a respondent code), partner_id,
    wave, item_id and ``type`` (UNTYPED for an answer about no activity of a known type)."""
    rows = responses[["partner_id", "respondent_id", "wave", "item_id"]].dropna(subset=["partner_id"])
    kinds = pd.Series(UNTYPED, index=rows.index, dtype=object)
    if activities is not None and "activity_id" in responses:
        type_of = dict(zip(activities["activity_id"].astype(str), activities["type"], strict=True))
        found = responses.loc[rows.index, "activity_id"].astype("string").map(type_of)
        kinds = found.where(found.notna() & (found.astype("string") != ""), UNTYPED).astype(str)
    out = pd.DataFrame(
        {
            "who": respondent_codes(rows),
            "partner_id": rows["partner_id"].astype(str).to_numpy(),
            "wave": rows["wave"].astype("int64").to_numpy(),
            "item_id": rows["item_id"].astype(str).to_numpy(),
            "type": kinds.to_numpy(dtype=object),
        }
    )
    return out.drop_duplicates(["who", "wave", "item_id", "type"])


def _count(basis: np.ndarray, who: np.ndarray, partner_of: np.ndarray, partners: np.ndarray) -> pd.DataFrame:
    """n per (basis, partner) from (basis, who) pairs: distinct respondents, counted with integer keys."""
    if not len(who):
        return pd.DataFrame({"basis": [], "partner_id": [], "n": []})
    width = int(who.max()) + 1
    pairs = pd.unique(basis.astype("int64") * width + who)  # a hash table: fast for millions of pairs
    basis_of, who_of = pairs // width, pairs % width
    groups = len(partners)
    counts = np.bincount(basis_of * groups + partner_of[who_of], minlength=(int(basis_of.max()) + 1) * groups)
    keys = np.flatnonzero(counts)
    return pd.DataFrame({"basis": keys // groups, "partner_id": partners[keys % groups], "n": counts[keys]})


def _expand(slots: np.ndarray, members: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(row, basis) for every basis each row's slot belongs to (``slots``: one slot code per row)."""
    size = int(slots.max()) + 1 if len(slots) else 0
    per_slot = np.zeros(size, dtype="int64")
    flat: list[int] = []
    starts = np.zeros(size, dtype="int64")
    for slot in range(size):
        starts[slot] = len(flat)
        per_slot[slot] = len(members.get(slot, ()))
        flat.extend(members.get(slot, ()))
    per_row = per_slot[slots]
    rows = np.repeat(np.arange(len(slots)), per_row)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return rows, np.asarray(flat, dtype="int64")[np.repeat(starts[slots], per_row) + within]


def _slot_members(
    bases: dict[str, tuple[int, Basis]], item_of: dict[str, int], wave_of: dict[int, int], type_of: dict[str, int]
) -> tuple[dict[int, list[int]], ...]:
    """The bases each answer slot counts towards: (item, wave), item (pooled waves), and the same two per
    activity type; a slot is a code (item * waves + wave) * types + type."""
    kinds = max(len(type_of), 1)
    per_wave: dict[int, list[int]] = {}
    pooled: dict[int, list[int]] = {}
    typed_wave: dict[int, list[int]] = {}
    typed_pooled: dict[int, list[int]] = {}
    for bid, basis in bases.values():
        typed = basis.activity_type is not None
        if basis.kind != "items" or (typed and basis.activity_type not in type_of):
            continue
        kind = type_of.get(str(basis.activity_type), 0)
        for item in (i for i in basis.items if i in item_of):
            if basis.wave == ALL_WAVES:
                slot, into = item_of[item], typed_pooled if typed else pooled
            elif basis.wave in wave_of:
                slot, into = item_of[item] * len(wave_of) + wave_of[basis.wave], typed_wave if typed else per_wave
            else:
                continue
            into.setdefault(slot * kinds + kind if typed else slot, []).append(bid)
    return per_wave, pooled, typed_wave, typed_pooled


def partner_counts(
    answered: pd.DataFrame, bases: dict[str, tuple[int, Basis]], baseline: int, follow_up: int
) -> pd.DataFrame:
    """n per (basis, partner): distinct respondents with an answer in the basis."""
    empty = pd.DataFrame(
        {"basis": pd.Series(dtype="int64"), "partner_id": pd.Series(dtype=str), "n": pd.Series(dtype="int64")}
    )
    if answered.empty:
        return empty
    partner_codes, partners = pd.factorize(answered["partner_id"])
    who = answered["who"].to_numpy()
    partner_of = np.zeros(int(who.max()) + 1, dtype="int64")
    partner_of[who] = partner_codes
    partner_names = np.asarray(partners, dtype=object)
    item_codes, item_names = pd.factorize(answered["item_id"])
    item_of = {str(name): code for code, name in enumerate(item_names)}
    wave_values = answered["wave"].to_numpy(dtype="int64")
    waves = [int(w) for w in np.unique(wave_values)]
    wave_of = {w: i for i, w in enumerate(waves)}
    wave_codes = np.searchsorted(np.asarray(waves, dtype="int64"), wave_values)
    type_codes, type_names = pd.factorize(answered["type"])
    type_of = {str(name): code for code, name in enumerate(type_names)}
    kinds = max(len(type_names), 1)
    per_wave, pooled, typed_wave, typed_pooled = _slot_members(bases, item_of, wave_of, type_of)
    frames = []
    for slots, members in (
        (item_codes * len(waves) + wave_codes, per_wave),
        (item_codes, pooled),
        ((item_codes * len(waves) + wave_codes) * kinds + type_codes, typed_wave),
        (item_codes * kinds + type_codes, typed_pooled),
    ):
        rows, basis_ids = _expand(np.asarray(slots, dtype="int64"), members)
        if len(rows):
            frames.append(_count(basis_ids, who[rows], partner_of, partner_names))
    for bid, basis in bases.values():
        if basis.kind == "items":
            continue
        if basis.kind == "paired":  # a level answered at baseline and at follow-up
            rows_of = answered[answered["item_id"].isin(basis.items) & answered["wave"].isin([baseline, follow_up])]
            both = rows_of.groupby("who", sort=True)["wave"].nunique()
        else:  # a before item and an after item, answered in any waves
            rows_of = answered[answered["item_id"].isin(basis.items)]
            both = rows_of.groupby("who", sort=True)["item_id"].nunique()
        paired = both.index[both.to_numpy() == 2].to_numpy(dtype="int64")
        frames.append(_count(np.full(len(paired), bid), paired, partner_of, partner_names))
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[["basis", "partner_id", "n"]] if frames else empty
