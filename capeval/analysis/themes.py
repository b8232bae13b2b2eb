"""Lesson themes: lessons that say the same thing, suggested by word-level similarity, confirmed by the analyst.

A lesson's content words are its words less the stop words of its language (Dutch or
English, told apart by which stop words it uses; the ``stop-words`` package's lists) and
less the words of a sentence template, each reduced to its stem (Snowball). A sentence
template is a run of ``FRAME_WORDS`` words that recurs verbatim, around different words,
in ``FRAME_LESSONS`` or more lesson texts ("… werkte beter dan verwacht"): what fills it
differs, so the run says nothing about what was learned. Two lessons are alike by the cosine of their
content words weighted by how few lessons use them (a word most lessons use weighs
nothing); average-linkage clustering of that similarity suggests the themes.

The analyst's ``lesson_themes.csv`` (lesson_id, theme) overrides the suggestion: a lesson
listed there belongs to the theme named there (confirm, rename, merge or split by giving
lessons the same or different names); a lesson not listed keeps its suggested theme,
unconfirmed. Roll-out candidates are confirmed themes shared by two or more partners or tracks.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from functools import cache

import numpy as np
import pandas as pd

from capeval.analysis.lessons import ADOPTED_OUTSIDE, ADOPTED_PARTNERS, adopters

SIMILARITY = 0.15  # average cosine of content words above which lessons share a theme
FRAME_WORDS = 4  # a run of this many words ...
FRAME_LESSONS = 4  # ... around different words in this many lesson texts is a sentence template
TEMPLATED = 0.5  # a lesson with this share of its words in templates is grouped only with its own text
TEXT_COLUMNS = ("what_changed", "significance", "why_gap", "sustain_improve")  # what a lesson says it learned
LANGUAGES = {"nl": "dutch", "en": "english"}
KEYWORDS = 3  # words that name a suggested theme
RECURRENCE_COLUMNS = ["lesson_id", "cluster", "n_lessons", "n_partners", "n_tracks", "recurring"]
_WORD = re.compile(r"[^\W\d_]+")


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of ``language`` (nl or en), accents stripped."""
    from stop_words import get_stop_words

    return frozenset(_plain(w) for w in get_stop_words(language))


@cache
def _stemmer(language: str) -> object:
    import snowballstemmer

    return snowballstemmer.stemmer(LANGUAGES[language])


def _plain(text: str) -> str:
    """Lower case without accents: "Eén" and "een" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lesson_words(text: str) -> list[str]:
    """The words of ``text``, lower case, accents stripped (hyphens and apostrophes split words)."""
    return _WORD.findall(_plain(text))


def text_language(words: Sequence[str]) -> str:
    """nl or en: the language whose stop words ``words`` use most (en on a tie)."""
    counts = {lang: sum(w in stop_words(lang) for w in words) for lang in LANGUAGES}
    return "nl" if counts["nl"] > counts["en"] else "en"


def lesson_texts(lessons: pd.DataFrame, columns: Sequence[str] = TEXT_COLUMNS) -> list[str]:
    """What each lesson says, as one string: its ``columns`` joined (missing ones skipped)."""
    present = [c for c in columns if c in lessons]
    return [
        " ".join(str(v) for v in row if isinstance(v, str) and v.strip())
        for row in lessons[present].itertuples(index=False)
    ]


def _runs(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + FRAME_WORDS]) for i in range(len(words) - FRAME_WORDS + 1)}


def sentence_frames(texts: Iterable[str]) -> set[tuple[str, ...]]:
    """Runs of ``FRAME_WORDS`` words found verbatim in ``FRAME_LESSONS`` or more different texts,
    each time around different content words (near-copies of one sentence are one lesson, not a template)."""
    found: dict[tuple[str, ...], set[frozenset[str]]] = {}
    counts: Counter[tuple[str, ...]] = Counter()
    words = [lesson_words(text) for text in set(texts)]
    for text_words in words:
        counts.update(_runs(text_words))
    candidates = {run for run, n in counts.items() if n >= FRAME_LESSONS}
    for text_words in words:
        stop = stop_words(text_language(text_words))
        for run in _runs(text_words) & candidates:
            found.setdefault(run, set()).add(frozenset(w for w in text_words if w not in stop and w not in run))
    return {run for run, fills in found.items() if len(fills) >= FRAME_LESSONS}


def stemmed_words(text: str, frames: Collection[tuple[str, ...]] = ()) -> list[tuple[str, str]]:
    """(stem, word) of each content word of ``text``: no stop words, no words of a sentence template.

    Empty when ``TEMPLATED`` or more of its words are template words: its own words are
    then only what fills the template (an activity, a topic), not what was learned.
    """
    words = lesson_words(text)
    in_frame = [False] * len(words)
    for i in range(len(words) - FRAME_WORDS + 1):
        if tuple(words[i : i + FRAME_WORDS]) in frames:
            in_frame[i : i + FRAME_WORDS] = [True] * FRAME_WORDS
    if not words or sum(in_frame) >= TEMPLATED * len(words):
        return []
    language = text_language(words)
    stop, stemmer = stop_words(language), _stemmer(language)
    kept = [w for w, framed in zip(words, in_frame, strict=True) if not framed and w not in stop and len(w) > 1]
    return list(zip(stemmer.stemWords(kept), kept, strict=True))  # type: ignore[attr-defined]


def content_stems(text: str, frames: Collection[tuple[str, ...]] = ()) -> list[str]:
    """The distinct stems of ``text``'s content words (:func:`stemmed_words`), sorted."""
    return sorted({stem for stem, _ in stemmed_words(text, frames)})


def theme_similarity(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity (0-1) between texts over their content stems, each weighted by log((n+1)/(df+1))."""
    from sklearn.feature_extraction.text import CountVectorizer  # slow: lazy

    if not texts:
        return np.zeros((0, 0))
    frames = sentence_frames(texts)
    stems = [content_stems(t, frames) for t in texts]
    if not any(stems):
        return np.eye(len(texts))
    counts = CountVectorizer(analyzer=lambda s: s, binary=True).fit_transform(stems)
    n = counts.shape[0]
    idf = np.log((n + 1) / (np.asarray(counts.sum(axis=0)).ravel() + 1))  # a word every lesson uses weighs 0
    weighted = counts.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    similarity = (weighted @ weighted.T).toarray() / np.outer(norms, norms)
    np.fill_diagonal(similarity, 1.0)
    clipped: np.ndarray = np.clip(similarity, 0.0, 1.0)
    return clipped


def recurring_lessons(lessons: pd.DataFrame, *, threshold: float = SIMILARITY) -> pd.DataFrame:
    """Each lesson's suggested theme, and how widely the theme is shared.

    Distinct lesson texts are clustered (average linkage on 1 - :func:`theme_similarity`,
    cut at 1 - ``threshold``, deterministic); identical texts share a theme. Columns:
    lesson_id, cluster (numbered by first lesson id), n_lessons, n_partners, n_tracks,
    recurring (the theme spans >= 2 partners or >= 2 tracks).
    """
    if lessons.empty:
        return pd.DataFrame(columns=RECURRENCE_COLUMNS)
    frame = lessons.sort_values("lesson_id", kind="stable").reset_index(drop=True)
    texts = pd.Series(lesson_texts(frame), index=frame.index)
    distinct = list(dict.fromkeys(texts))
    by_text = dict(zip(distinct, _clusters(theme_similarity(distinct), threshold), strict=True))
    raw = texts.map(by_text)
    renumber: dict[int, int] = {}
    frame["cluster"] = [renumber.setdefault(int(c), len(renumber) + 1) for c in raw]
    return cluster_counts(frame)[RECURRENCE_COLUMNS]


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


def theme_keywords(lessons: pd.DataFrame, recurrence: pd.DataFrame, *, top: int = KEYWORDS) -> pd.DataFrame:
    """Per cluster, the words that name it: cluster, keywords ("time · exchange").

    Only words said by two or more partners of the cluster count (one partner's words are
    not shown to others), most partners first; each stem is shown in its most frequent form.
    """
    frame = lessons.merge(recurrence[["lesson_id", "cluster"]], on="lesson_id")
    texts = lesson_texts(frame)
    frames = sentence_frames(texts)
    partners: dict[tuple[int, str], set[str]] = {}
    forms: dict[str, Counter[str]] = {}
    for cluster, partner, text in zip(frame["cluster"], frame["partner_id"].astype("string"), texts, strict=True):
        for stem, word in stemmed_words(text, frames):
            partners.setdefault((int(cluster), stem), set()).add(str(partner))
            forms.setdefault(stem, Counter())[word] += 1
    ranked: dict[int, list[tuple[int, str]]] = {}
    for (cluster, stem), who in partners.items():
        if len(who) >= 2:
            ranked.setdefault(cluster, []).append((-len(who), stem))
    rows = [
        {"cluster": c, "keywords": " · ".join(forms[stem].most_common(1)[0][0] for _, stem in sorted(r)[:top])}
        for c, r in sorted(ranked.items())
    ]
    return pd.DataFrame(rows, columns=["cluster", "keywords"])


def lesson_themes(lessons: pd.DataFrame, recurrence: pd.DataFrame, analyst: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each lesson's theme: the analyst's (``lesson_themes.csv``: lesson_id, theme) where given, else the suggestion.

    ``recurrence`` is the suggestion (:func:`recurring_lessons`). Returns lesson_id,
    cluster (renumbered by first lesson id), theme (the analyst's name, or the suggestion's
    keywords), confirmed (named by the analyst), n_lessons, n_partners, n_tracks, recurring.
    """
    columns = ["lesson_id", "cluster", "theme", "confirmed", "n_lessons", "n_partners", "n_tracks", "recurring"]
    if lessons.empty or recurrence.empty:
        return pd.DataFrame(columns=columns)
    keywords = theme_keywords(lessons, recurrence)
    frame = lessons[["lesson_id", "partner_id", *(["track_id"] if "track_id" in lessons else [])]].merge(
        recurrence[["lesson_id", "cluster"]], on="lesson_id"
    )
    frame = frame.merge(keywords, on="cluster", how="left").sort_values("lesson_id", kind="stable")
    named = (
        dict(zip(analyst["lesson_id"], analyst["theme"].astype(str).str.strip(), strict=True))
        if analyst is not None
        else {}
    )
    frame["confirmed"] = frame["lesson_id"].isin(named.keys())
    frame["theme"] = [
        named.get(i) or (k if isinstance(k, str) else "")
        for i, k in zip(frame["lesson_id"], frame["keywords"], strict=True)
    ]
    group = [
        f"a:{named[i]}" if i in named else f"s:{c}" for i, c in zip(frame["lesson_id"], frame["cluster"], strict=True)
    ]
    renumber: dict[str, int] = {}
    frame["cluster"] = [renumber.setdefault(g, len(renumber) + 1) for g in group]
    return cluster_counts(frame).reset_index(drop=True)[columns]


def recurring_themes(themes: pd.DataFrame, lessons: pd.DataFrame | None = None) -> pd.DataFrame:
    """The themes shared by two or more partners or tracks, most widely shared first.

    Columns: cluster, theme, confirmed, n_partners, n_tracks, n_lessons, lesson_ids,
    artefacts, adopted_by, and the adopters split as the store splits them
    (:func:`~capeval.analysis.lessons.programme_adopters`): adopted_by_partners (partner ids),
    adopted_by_outside (names). ``lessons`` (optional) limits the themes to those holding one
    of them (a unit's own) and gives the artefacts and adopters, from those lessons only.
    """
    columns = [
        "cluster",
        "theme",
        "confirmed",
        "n_partners",
        "n_tracks",
        "n_lessons",
        "lesson_ids",
        "artefacts",
        "adopted_by",
        ADOPTED_PARTNERS,
        ADOPTED_OUTSIDE,
    ]
    rows = themes[themes["recurring"].astype(bool)]
    rows = rows.assign(**{c: rows.get(c, d) for c, d in (("theme", ""), ("confirmed", False))})  # an older store
    if lessons is not None:
        rows = rows[rows["cluster"].isin(rows.loc[rows["lesson_id"].isin(lessons["lesson_id"]), "cluster"])]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    known = lessons if lessons is not None else pd.DataFrame({"lesson_id": []})
    details = rows.merge(known.drop(columns=["cluster", "theme"], errors="ignore"), on="lesson_id", how="left")
    listed = ["artefact", "adopted_by", ADOPTED_PARTNERS, ADOPTED_OUTSIDE]
    details = details.reindex(columns=[*details.columns.difference(listed), *listed])
    out = details.groupby("cluster", sort=True).agg(
        theme=("theme", "first"),
        confirmed=("confirmed", "all"),
        n_partners=("n_partners", "first"),
        n_tracks=("n_tracks", "first"),
        n_lessons=("n_lessons", "first"),
        lesson_ids=("lesson_id", lambda s: ", ".join(sorted(s))),
        artefacts=("artefact", _listed),
        adopted_by=("adopted_by", _listed),
        **{ADOPTED_PARTNERS: (ADOPTED_PARTNERS, _listed), ADOPTED_OUTSIDE: (ADOPTED_OUTSIDE, _listed)},
    )
    out = out.reset_index().sort_values(["n_partners", "n_tracks", "cluster"], ascending=[False, False, True])
    return out.reset_index(drop=True)[columns]


def rollout_candidates(themes: pd.DataFrame, lessons: pd.DataFrame | None = None) -> pd.DataFrame:
    """Confirmed themes shared by two or more partners or tracks (:func:`recurring_themes`, confirmed only)."""
    shared = recurring_themes(themes, lessons)
    return shared[shared["confirmed"].astype(bool)].reset_index(drop=True)


def _listed(values: pd.Series) -> str:
    """The distinct entries of ``values`` (a cell may name several, as in ``adopted_by``), sorted, "; "-joined."""
    entries = {e for v in values for e in adopters(v)}
    return "; ".join(sorted(entries, key=str.casefold))
