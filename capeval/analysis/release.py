"""The release: every survey statistic the reports of one programme publish, at every scope.

The reports of one programme are read together (the index links them, a bundle zips them),
so what is hidden is decided once for the whole release, by :func:`capeval.analysis.privacy.decide_release`,
over the cells this module lists:

* a **basis** is the set of answers a published statistic is computed from: the items of a
  Kirkpatrick level, of one of its dimensions, of a question, of a criterion or the rating
  question, in one wave (or, for criteria, all waves pooled per respondent); the respondents
  paired on a level between baseline and follow-up; the respondents paired on a before/after
  question. Statistics with the same basis (a one-item dimension and its question, say)
  describe the same people and share one decision;
* a **cell** is a basis at one scope, a partner (``p:<id>``), a track (``t:<id>``) or the
  programme (``*``), with ``n`` = its distinct respondents (a respondent is
  ``(partner_id, respondent_id)``). Partners are disjoint, so a track's n is the sum of its
  partners' and the programme's the sum of all: the scopes of a basis form a tree, and a
  difference of published cells is a group of respondents whose size is known.

A report family names what a section shows (``level:L1``, ``dimension:L1:satisfaction``,
``question:Q7``, ``rating:Q7``, ``criterion:relevance``, ``change:L3``, ``pair:confidence``, per activity type
``typelevel:workshop:L1``, ``typecriterion:workshop:relevance``, ``typequestion:workshop:Q7``)
and the scopes it is shown at (:data:`PUBLISHED`); :class:`Release` answers, for one
family, wave and scope, whether a value may be shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from capeval.analysis.kirkpatrick import ATTRIBUTION, ATTRIBUTION_CONFIDENCE
from capeval.analysis.privacy import COMPLEMENTARY_REASON, NOT_RELEASED, SMALL, decide_release
from capeval.analysis.release_counts import ALL_WAVES, UNTYPED, answered, partner_counts

PROGRAMME = "*"
# Where each family is shown: the programme report has no answers section; the rating share is a headline
# figure of track and programme reports (and the index). A cell at another scope is never shown.
PUBLISHED: dict[str, frozenset[str]] = {
    "level": frozenset({"partner", "track", "programme"}),
    "dimension": frozenset({"partner", "track", "programme"}),
    "criterion": frozenset({"partner", "track", "programme"}),
    "change": frozenset({"partner", "track", "programme"}),
    "question": frozenset({"partner", "track"}),
    "pair": frozenset({"partner", "track"}),
    "rating": frozenset({"track", "programme"}),
    "typelevel": frozenset({"partner", "track", "programme"}),
    "typecriterion": frozenset({"partner", "track", "programme"}),
    "typequestion": frozenset({"partner", "track"}),
}
CELL_COLUMNS = ["basis", "scope", "key", "parent", "n", "published"]
FAMILY_COLUMNS = ["family", "wave", "basis", "link"]


def scope_key(kind: str, unit_id: str = "") -> str:
    """The key of a scope: ``p:<id>`` for a partner, ``t:<id>`` for a track, ``*`` for the programme."""
    if kind == "programme":
        return PROGRAMME
    return f"{'p' if kind == 'partner' else 't'}:{unit_id}"


@dataclass(frozen=True)
class Basis:
    """What a family's statistics are computed from: answers to ``items`` in ``wave``, or pairs."""

    kind: str  # "items" | "paired" (a level in baseline and follow-up) | "pair" (a before and an after item)
    wave: int
    items: tuple[str, ...]
    activity_type: str | None = None  # only the answers about activities of this type (UNTYPED: of none)

    @property
    def key(self) -> str:
        typed = "" if self.activity_type is None else f"|type={self.activity_type}"
        return f"{self.kind}|{self.wave}|" + "\x1f".join(self.items) + typed


@dataclass
class ReleaseInputs:
    """What the release is listed from: the programme's tables and its survey design."""

    responses: pd.DataFrame
    items: pd.DataFrame
    partners: pd.DataFrame
    waves: Sequence[int]
    baseline: int
    follow_up: int
    pairs: Sequence[tuple[str, str, str]] = ()  # (stem, before item, after item)
    questions: pd.DataFrame | None = None  # answer_tables(items)
    rating_item: str | None = None
    activities: pd.DataFrame | None = None  # activity_id, type: results per intervention type


def answer_tables(items: pd.DataFrame) -> pd.DataFrame:
    """The answer tables the survey section shows: item_id and ``question_id`` of every item with a
    codebook (``labels``); the options of a select-all question share their question, any other item
    is a table of its own."""
    if "labels" not in items.columns:
        return pd.DataFrame(columns=["item_id", "question_id"])
    coded = items[items["labels"].notna()]
    option = coded["kind"].astype("string").fillna("") == "option" if "kind" in coded else False
    grouped = coded["question_id"].fillna(coded["item_id"]) if "question_id" in coded else coded["item_id"]
    question = np.where(option, grouped.astype(str), coded["item_id"].astype(str))
    return pd.DataFrame({"item_id": coded["item_id"].astype(str).to_numpy(), "question_id": question})


def float_columns(frame: pd.DataFrame) -> list[str]:
    """The value columns of an analysis frame (its float columns): what the release blanks."""
    return [str(c) for c in frame.select_dtypes("float").columns]


def _outcome_items(items: pd.DataFrame) -> pd.DataFrame:
    levelled = items[items["level"].notna()]
    return levelled[~levelled["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])]


def _families(inputs: ReleaseInputs) -> list[tuple[str, int, Basis, str]]:
    """Every (family, wave, basis, link) the reports can publish; ``link`` is the family a dimension
    belongs to (its level), whose value mixes the dimensions' answers."""
    items = inputs.items
    outcomes = _outcome_items(items)
    out: list[tuple[str, int, Basis, str]] = []
    by_level = {str(k): sorted(map(str, g["item_id"])) for k, g in outcomes.groupby("level", sort=True)}
    by_dimension = {
        (str(k[0]), str(k[1])): sorted(map(str, g["item_id"]))
        for k, g in outcomes.groupby(["level", "dimension"], sort=True)
    }
    for wave in inputs.waves:
        for level, members in by_level.items():
            out.append((f"level:{level}", wave, Basis("items", wave, tuple(members)), ""))
        for (level, dimension), members in by_dimension.items():
            out.append((f"dimension:{level}:{dimension}", wave, Basis("items", wave, tuple(members)), f"level:{level}"))
        if inputs.questions is not None:
            for question, group in inputs.questions.groupby("question_id", sort=True):
                basis = Basis("items", wave, tuple(sorted(map(str, group["item_id"]))))
                out.append((f"question:{question}", wave, basis, ""))
        if inputs.rating_item:
            out.append((f"rating:{inputs.rating_item}", wave, Basis("items", wave, (inputs.rating_item,)), ""))
    criteria = items[items["criterion"].notna()]
    for criterion, group in criteria.groupby("criterion", sort=True):
        basis = Basis("items", ALL_WAVES, tuple(sorted(map(str, group["item_id"]))))
        out.append((f"criterion:{criterion}", ALL_WAVES, basis, ""))
    if inputs.baseline != inputs.follow_up:
        for level, members in by_level.items():
            if level in ("L2", "L3", "L4"):
                out.append((f"change:{level}", ALL_WAVES, Basis("paired", ALL_WAVES, tuple(members)), ""))
    for stem, before, after in inputs.pairs:
        out.append((f"pair:{stem}", ALL_WAVES, Basis("pair", ALL_WAVES, (before, after)), ""))
    return out + _typed_families(inputs, by_level, criteria)


def activity_types(activities: pd.DataFrame | None) -> list[str]:
    """The programme's activity types that have activities, sorted: the types results are shown for."""
    if activities is None or activities.empty or "type" not in activities:
        return []
    return sorted({str(t) for t in activities["type"].dropna() if str(t)})


def _typed_families(
    inputs: ReleaseInputs, by_level: dict[str, list[str]], criteria: pd.DataFrame
) -> list[tuple[str, int, Basis, str]]:
    """Levels, criteria and answer tables per activity type (and the untyped rest), each a part of its untyped
    family."""
    types = activity_types(inputs.activities)
    if not types:
        return []
    questions = [] if inputs.questions is None else list(inputs.questions.groupby("question_id", sort=True))
    out: list[tuple[str, int, Basis, str]] = []
    for kind in [*types, UNTYPED]:
        for wave in inputs.waves:
            for level, members in by_level.items():
                basis = Basis("items", wave, tuple(members), kind)
                out.append((f"typelevel:{kind}:{level}", wave, basis, f"level:{level}"))
            for question, group in questions:
                basis = Basis("items", wave, tuple(sorted(map(str, group["item_id"]))), kind)
                out.append((f"typequestion:{kind}:{question}", wave, basis, f"question:{question}"))
        for criterion, group in criteria.groupby("criterion", sort=True):
            basis = Basis("items", ALL_WAVES, tuple(sorted(map(str, group["item_id"]))), kind)
            out.append((f"typecriterion:{kind}:{criterion}", ALL_WAVES, basis, f"criterion:{criterion}"))
    return out


def release_cells(inputs: ReleaseInputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The release's cells (basis, scope, key, parent, n, published) and families (family, wave, basis, link).

    Every basis gets a cell per partner with respondents, per track of those partners and one for
    the programme; ``published`` says whether any family on the basis is shown at that scope.
    """
    families = _families(inputs)
    bases: dict[str, tuple[int, Basis]] = {}
    for _, _, basis, _ in families:
        bases.setdefault(basis.key, (len(bases), basis))
    family_rows = [(name, wave, bases[basis.key][0], link) for name, wave, basis, link in families]
    family_frame = pd.DataFrame(family_rows, columns=FAMILY_COLUMNS).astype(
        {"family": "string", "wave": "int64", "basis": "int64", "link": "string"}
    )
    counts = partner_counts(answered(inputs.responses, inputs.activities), bases, inputs.baseline, inputs.follow_up)
    partners = inputs.partners
    track_of = {
        str(p): ("" if pd.isna(t) else str(t))
        for p, t in zip(
            partners["partner_id"], partners.get("track_id", pd.Series(pd.NA, index=partners.index)), strict=True
        )
    }
    counts = counts[counts["partner_id"].isin(track_of)]
    counts = counts.assign(track=counts["partner_id"].map(track_of))
    partner_cells = pd.DataFrame(
        {
            "basis": counts["basis"],
            "scope": "partner",
            "key": "p:" + counts["partner_id"],
            "parent": np.where(counts["track"] == "", PROGRAMME, "t:" + counts["track"]),
            "n": counts["n"].astype("int64"),
        }
    )
    tracked = counts[counts["track"] != ""]
    track_n = tracked.groupby(["basis", "track"], sort=True)["n"].sum().reset_index()
    track_cells = pd.DataFrame(
        {
            "basis": track_n["basis"],
            "scope": "track",
            "key": "t:" + track_n["track"],
            "parent": PROGRAMME,
            "n": track_n["n"],
        }
    )
    total = counts.groupby("basis", sort=True)["n"].sum().reset_index()
    programme_cells = pd.DataFrame(
        {"basis": total["basis"], "scope": "programme", "key": PROGRAMME, "parent": "", "n": total["n"]}
    )
    cells = pd.concat([partner_cells, track_cells, programme_cells], ignore_index=True)
    shown = pd.DataFrame(
        sorted(
            {
                (int(bid), scope)
                for name, bid in zip(family_frame["family"], family_frame["basis"], strict=True)
                for scope in PUBLISHED[name.split(":", 1)[0]]
            }
        ),
        columns=["basis", "scope"],
    ).assign(published=True)
    cells = cells.merge(shown, on=["basis", "scope"], how="left")
    cells["published"] = cells["published"].notna()  # True where a family shows the basis at that scope
    # typed even when empty: a programme without answers still writes a store whose cells can be filtered
    cells = cells.astype({"basis": "int64", "n": "int64", "scope": "string", "key": "string", "parent": "string"})
    cells["published"] = cells["published"].astype(bool)
    return cells.sort_values(["key", "basis"], kind="stable").reset_index(drop=True)[CELL_COLUMNS], family_frame


def links(families: pd.DataFrame) -> pd.DataFrame:
    """(member basis, parent basis, partition) triples: a dimension's basis and its level's in the same wave
    (partition ``dimension``), a level's or criterion's results per activity type and the untyped rest
    (``typelevel``, ``typecriterion``, ``typequestion``): each partition of a parent is closed on its own."""
    linked = families[families["link"] != ""]
    parents = families[["family", "wave", "basis"]].rename(columns={"family": "link", "basis": "parent_basis"})
    out = linked.merge(parents, on=["link", "wave"], how="inner")
    out = out[out["basis"] != out["parent_basis"]]  # a level of one dimension: the same people, the same cell
    out = out.assign(partition=out["family"].str.split(":", n=1).str[0].astype(str))
    return out[["basis", "parent_basis", "partition"]].drop_duplicates().reset_index(drop=True)


def plan_release(inputs: ReleaseInputs, *, min_group_size: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`release_cells` with the decision of :func:`decide_release` (``hidden``, ``reason``)."""
    cells, families = release_cells(inputs)
    return decide_release(cells, links(families), min_size=min_group_size), families


@dataclass
class Release:
    """The decisions of one programme's release, as one report reads them (its scopes' cells only).

    :meth:`mask` blanks the values a report may not show and records what it hid, for the method
    notes (:meth:`hidden_counts`).
    """

    cells: pd.DataFrame  # basis, key, n, hidden, reason (the cells of the scopes this report shows)
    families: pd.DataFrame  # family, wave, basis, link
    min_group_size: int
    shown_hidden: dict[tuple[str, int, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._basis = {(str(f), int(w)): int(b) for f, w, b in self.families[["family", "wave", "basis"]].values}
        self._cells = {
            (int(b), str(k)): (int(n), bool(h), str(r))
            for b, k, n, h, r in self.cells[["basis", "key", "n", "hidden", "reason"]].values
        }

    def decision(self, family: str, wave: int | None, key: str, n: int) -> str:
        """Why a value may not be shown ("" when it may): its group is small, a difference with other
        published values would reveal a small group, or it is not part of the release (or its n differs
        from the release's, which would make the release's protection invalid)."""
        if n <= 0:
            return ""  # nothing to show, nothing to protect
        basis = self._basis.get((family, ALL_WAVES if wave is None else int(wave)))
        cell = None if basis is None else self._cells.get((basis, key))
        if cell is None or cell[0] != n:
            return SMALL if n < self.min_group_size else NOT_RELEASED
        return cell[2] if cell[1] else ""

    def mask(
        self,
        frame: pd.DataFrame,
        *,
        family: str | Iterable[str],
        key: str | Iterable[str],
        n_column: str,
        value_columns: Sequence[str],
        wave: int | Iterable[int | None] | None = None,
    ) -> pd.DataFrame:
        """``frame`` with ``value_columns`` blanked where the release hides the cell; adds ``suppressed``
        and ``reason``. ``family``, ``key`` and ``wave`` are one value for every row or one per row."""
        out = frame.copy()
        size = len(out)
        families = [family] * size if isinstance(family, str) else list(family)
        keys = [key] * size if isinstance(key, str) else list(key)
        waves = [wave] * size if wave is None or isinstance(wave, int | np.integer) else list(wave)
        reasons = []
        for fam, k, w, n in zip(families, keys, waves, out[n_column].fillna(0).astype("int64"), strict=True):
            why = self.decision(fam, None if w is None or pd.isna(w) else int(w), k, int(n))
            if why:
                self.shown_hidden[(fam, ALL_WAVES if w is None or pd.isna(w) else int(w), k)] = why
            reasons.append(why)
        hidden = np.array([bool(r) for r in reasons], dtype=bool)
        for column in value_columns:
            if column in out:
                out[column] = out[column].astype("float64").where(~hidden, np.nan)
        previous = out["suppressed"].to_numpy(dtype=bool) if "suppressed" in out else np.zeros(size, bool)
        out["suppressed"] = previous | hidden
        out["reason"] = reasons
        return out

    def hidden_counts(self) -> pd.DataFrame:
        """What this report hid so far: per family kind and reason, the number of values."""
        rows = [(fam.split(":", 1)[0], why) for (fam, _, _), why in self.shown_hidden.items()]
        frame = pd.DataFrame(rows, columns=["kind", "reason"])
        return frame.groupby(["kind", "reason"], sort=True).size().rename("values").reset_index()


__all__ = [
    "ALL_WAVES",
    "COMPLEMENTARY_REASON",
    "PROGRAMME",
    "PUBLISHED",
    "UNTYPED",
    "Basis",
    "Release",
    "ReleaseInputs",
    "activity_types",
    "links",
    "plan_release",
    "release_cells",
    "scope_key",
]
