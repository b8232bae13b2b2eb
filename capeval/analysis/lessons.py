"""Lessons learned: the lesson record and what its method records, lessons by domain and ingredient.

A lesson record holds the fields of three methods (DOMAIN.md): Most Significant Change
and Outcome Harvesting (what_changed, significance, contribution) and After Action
Review (planned, actual, why_gap, sustain_improve), with the artefact that carries it
(manual, step plan, checklist) and who adopted it. Which lessons say the same thing
(themes, roll-out candidates) is :mod:`capeval.analysis.themes`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from capeval.analysis.redaction import redact

METHOD_FIELDS: dict[str, tuple[str, ...]] = {
    "msc": ("what_changed", "significance", "contribution"),
    "oh": ("what_changed", "significance", "contribution"),
    "aar": ("what_changed", "planned", "actual", "why_gap", "sustain_improve"),
    "free": ("what_changed",),
}
# What a lesson shows, in this order: the story, its significance and the programme's part (MSC, OH),
# plan against practice (AAR), and what carries it to others (transportability).
SHOWN_FIELDS = (
    "what_changed",
    "significance",
    "contribution",
    "planned",
    "actual",
    "why_gap",
    "sustain_improve",
    "artefact",
    "adopted_by",
)
TEXT_COLUMNS = ("what_changed", "significance", "sustain_improve")
UNASSIGNED = "unassigned"
# who adopted a lesson, split by the store (it alone reads every partner): programme partners by id, others by name
ADOPTED_PARTNERS = "adopted_by_partners"
ADOPTED_OUTSIDE = "adopted_by_outside"

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


def lesson_entries(lessons: pd.DataFrame, placeholders: Mapping[str, str] | None = None) -> pd.DataFrame:
    """What each lesson records, one row per filled field: lesson_id, field, text (personal data redacted).

    Fields in the order of ``SHOWN_FIELDS`` (any method's fields that are filled in, so
    nothing written is lost); lessons in the order given.
    """
    rows = [
        {"lesson_id": record["lesson_id"], "field": f, "text": redact(record[f].strip(), placeholders)}
        for record in lessons.to_dict("records")
        for f in SHOWN_FIELDS
        if isinstance(record.get(f), str) and record[f].strip()
    ]
    return pd.DataFrame(rows, columns=["lesson_id", "field", "text"])


def adopters(cell: object) -> list[str]:
    """The organisations an ``adopted_by`` cell names ("; " or ", " between them), in order, stripped."""
    if not isinstance(cell, str):
        return []
    return [name.strip() for name in re.split(r"[;,]", cell) if name.strip()]


def _spelled(name: str) -> str:
    """A name as compared: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def programme_adopters(lessons: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """The lessons with their ``adopted_by`` split into who is a partner of the programme and who is not.

    Adds ``adopted_by_partners`` (the partner ids of the programme partners the cell names, by
    partner_id or name, case and spacing ignored; "; "-joined in the cell's order) and
    ``adopted_by_outside`` (the other adopters as written). A report then names the partners it may
    name and counts the rest, without reading the other partners' rows (the store does this once).
    """
    known = {_spelled(str(pid)): str(pid) for pid in partners["partner_id"]}
    known |= {_spelled(str(n)): str(p) for p, n in zip(partners["partner_id"], partners["name"], strict=True)}
    cells = lessons["adopted_by"] if "adopted_by" in lessons else pd.Series(pd.NA, index=lessons.index)
    inside: list[str | None] = []
    outside: list[str | None] = []
    for cell in cells:
        named = adopters(cell)
        ids = list(dict.fromkeys(known[_spelled(n)] for n in named if _spelled(n) in known))
        others = [n for n in named if _spelled(n) not in known]
        inside.append("; ".join(ids) or None)
        outside.append("; ".join(others) or None)
    return lessons.assign(
        **{
            ADOPTED_PARTNERS: pd.Series(inside, index=lessons.index, dtype="string"),
            ADOPTED_OUTSIDE: pd.Series(outside, index=lessons.index, dtype="string"),
        }
    )
