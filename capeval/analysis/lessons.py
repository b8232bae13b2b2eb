"""Lessons learned: the lesson record, its grouping, and lessons that recur across partners.

A lesson record holds the fields of three methods (DOMAIN.md): Most Significant Change
and Outcome Harvesting (what_changed, significance, contribution) and After Action
Review (planned, actual, why_gap, sustain_improve). Lessons that say the same thing at
several partners or tracks are candidates for roll-out; "the same thing" is decided by
TF-IDF over character n-grams and cosine similarity (scikit-learn), which needs no
language model and works alike for Dutch and English, inflections and compounds included.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

METHOD_FIELDS: dict[str, tuple[str, ...]] = {
    "msc": ("what_changed", "significance", "contribution"),
    "oh": ("what_changed", "significance", "contribution"),
    "aar": ("what_changed", "planned", "actual", "why_gap", "sustain_improve"),
    "free": ("what_changed",),
}
SIMILARITY = 0.5  # cosine of char 3-5-gram TF-IDF vectors above which two lessons say the same
TEXT_COLUMNS = ("what_changed", "significance", "sustain_improve")
UNASSIGNED = "unassigned"

# Word stems (en and nl, lower case, matched at a word start) that tie a lesson to a
# Scaling Scan ingredient; programme.yaml's own ingredients fall back to their id and label.
INGREDIENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "technology": ("practice", "method", "tool", "procedure", "werkwijze", "methode", "instrument", "praktijk"),
    "awareness": ("aware", "know", "visib", "communicat", "bewust", "bekend", "zichtba", "communicat"),
    "evidence": ("evidence", "figure", "result", "data", "measur", "bewijs", "cijfer", "resultat", "meting"),
    "business_case": ("cost", "benefit", "business case", "kosten", "baten", "businesscase"),
    "finance": ("budget", "fund", "financ", "money", "geld", "subsid", "middelen"),
    "value_chain": ("supplier", "provider", "chain", "leverancier", "keten", "dienstverlener"),
    "knowledge_skills": ("train", "skill", "learn", "coach", "knowledge", "vaardig", "kennis", "leer", "geleerd"),
    "collaboration": ("cooperat", "collaborat", "partner", "network", "exchange", "samenw", "netwerk", "uitwissel"),
    "leadership_management": ("manage", "director", "board", "leader", "bestuur", "leiding", "directeur", "schepen"),
    "public_sector_governance": ("policy", "legislat", "legal", "regulat", "rule", "beleid", "wet", "regel", "politi"),
}


def lesson_records(lessons: pd.DataFrame) -> pd.DataFrame:
    """The lessons with ``fields``: how many of their method's fields are filled in (0-n)."""
    out = lessons.copy()
    filled = []
    for row in out.to_dict("records"):
        fields = METHOD_FIELDS.get(str(row.get("method")), ("what_changed",))
        filled.append(sum(1 for f in fields if isinstance(row.get(f), str) and row[f].strip()))
    out["fields"] = pd.Series(filled, index=out.index, dtype="int64")
    return out


def lessons_by(lessons: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per value of ``column`` (e.g. domain, method): n_lessons, n_partners, n_tracks; largest first.

    Lessons without a value are grouped as "unassigned".
    """
    columns = [column, "n_lessons", "n_partners", "n_tracks"]
    if lessons.empty:
        return pd.DataFrame(columns=columns)
    frame = lessons.assign(**{column: lessons[column].astype("string").fillna(UNASSIGNED)})
    tracks = frame["track_id"] if "track_id" in frame else pd.Series(pd.NA, index=frame.index)
    out = (
        frame.assign(_track=tracks)
        .groupby(column, observed=True)
        .agg(
            n_lessons=("lesson_id", "size"),
            n_partners=("partner_id", "nunique"),
            n_tracks=("_track", "nunique"),
        )
        .reset_index()
    )
    return out.sort_values(["n_lessons", column], ascending=[False, True], kind="stable").reset_index(drop=True)[
        columns
    ]


def lesson_ingredients(
    lessons: pd.DataFrame,
    *,
    keywords: Mapping[str, Sequence[str]] = INGREDIENT_KEYWORDS,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Lesson to Scaling Scan ingredient, one row per pair (lesson_id, ingredient).

    An ``ingredient`` column in lessons.csv wins; otherwise a lesson's text is matched
    against the word stems of ``keywords`` and, for ingredients given in ``labels``, the
    words of the label. A lesson matching none gets "unassigned".
    """
    stems = {k: [s.lower() for s in v] for k, v in keywords.items()}
    for ingredient, label in (labels or {}).items():
        stems.setdefault(ingredient, []).extend(w for w in re.findall(r"\w{4,}", label.lower()))
    patterns = {k: re.compile(r"\b(?:" + "|".join(map(re.escape, v)) + r")", re.I) for k, v in stems.items() if v}
    rows: list[dict[str, str]] = []
    for record in lessons.to_dict("records"):
        given = record.get("ingredient")
        if isinstance(given, str) and given.strip():
            found = [given.strip()]
        else:
            text = " ".join(str(record.get(c) or "") for c in TEXT_COLUMNS if isinstance(record.get(c), str))
            found = [k for k, pattern in patterns.items() if pattern.search(text)] or [UNASSIGNED]
        rows.extend({"lesson_id": record["lesson_id"], "ingredient": k} for k in found)
    return pd.DataFrame(rows, columns=["lesson_id", "ingredient"])


def lesson_texts(lessons: pd.DataFrame, columns: Sequence[str] = TEXT_COLUMNS) -> list[str]:
    """What each lesson says, as one string: its ``columns`` joined (missing ones skipped)."""
    present = [c for c in columns if c in lessons]
    return [
        " ".join(str(v) for v in row if isinstance(v, str) and v.strip())
        for row in lessons[present].itertuples(index=False)
    ]


def lesson_similarity(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity (0-1) between texts: TF-IDF over character 3-5-grams within words."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # slow: lazy

    if not texts:
        return np.zeros((0, 0))
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode", lowercase=True
    ).fit_transform(texts)
    similarity = np.asarray((vectors @ vectors.T).toarray(), dtype="float64")
    clipped: np.ndarray = np.clip(similarity, 0.0, 1.0)
    return clipped


def recurring_lessons(lessons: pd.DataFrame, *, threshold: float = SIMILARITY) -> pd.DataFrame:
    """Each lesson's cluster of lessons that say the same thing, and how widely the cluster is shared.

    Average-linkage clustering on 1 - cosine similarity, cut at 1 - ``threshold``
    (deterministic). Columns: lesson_id, cluster (numbered by first lesson), n_lessons,
    n_partners, n_tracks, recurring (the cluster spans >= 2 partners or >= 2 tracks).
    """
    columns = ["lesson_id", "cluster", "n_lessons", "n_partners", "n_tracks", "recurring"]
    if lessons.empty:
        return pd.DataFrame(columns=columns)
    frame = lessons.sort_values("lesson_id", kind="stable").reset_index(drop=True)
    labels = _clusters(lesson_similarity(lesson_texts(frame)), threshold)
    return cluster_counts(frame.assign(cluster=labels))[columns]


def cluster_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Add to lessons with a ``cluster`` how many lessons, partners and tracks share it,
    and ``recurring``: shared by two or more partners or tracks."""
    frame = frame.copy()
    if "track_id" not in frame:
        frame["track_id"] = pd.NA
    grouped = frame.groupby("cluster")
    frame["n_lessons"] = grouped["lesson_id"].transform("size").astype("int64")
    frame["n_partners"] = grouped["partner_id"].transform("nunique").astype("int64")
    frame["n_tracks"] = grouped["track_id"].transform("nunique").astype("int64")
    frame["recurring"] = (frame["n_partners"] >= 2) | (frame["n_tracks"] >= 2)
    return frame


def _clusters(similarity: np.ndarray, threshold: float) -> list[int]:
    """Cluster labels numbered in order of each cluster's first member."""
    n = len(similarity)
    if n < 2:
        return list(range(n))
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    )
    raw = model.fit_predict(1.0 - similarity)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(label), len(renumber) + 1) for label in raw]


def rollout_candidates(recurrence: pd.DataFrame, lessons: pd.DataFrame | None = None) -> pd.DataFrame:
    """The recurring clusters, most widely shared first: cluster, n_partners, n_tracks, n_lessons, lesson_ids.

    ``lessons`` (optional) limits ``lesson_ids`` to the lessons given (a unit's own).
    """
    columns = ["cluster", "n_partners", "n_tracks", "n_lessons", "lesson_ids"]
    rows = recurrence[recurrence["recurring"].astype(bool)]
    if lessons is not None:
        rows = rows[rows["lesson_id"].isin(lessons["lesson_id"])]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = rows.groupby("cluster", sort=True).agg(
        n_partners=("n_partners", "first"),
        n_tracks=("n_tracks", "first"),
        n_lessons=("n_lessons", "first"),
        lesson_ids=("lesson_id", lambda s: ", ".join(sorted(s))),
    )
    out = out.reset_index().sort_values(["n_partners", "n_tracks", "cluster"], ascending=[False, False, True])
    return out.reset_index(drop=True)[columns]
