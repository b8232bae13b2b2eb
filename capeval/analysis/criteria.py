"""The evaluation-criteria matrix: OECD DAC (2019) plus EU added value, with strength of evidence.

A criterion's score is the mean, over respondents, of each respondent's mean score (percent
of scale) on the survey items mapped to it in items.csv. Other tables count as further
sources of evidence without a score (see :data:`SOURCE_CRITERIA`). A criterion with no
evidence has no score and the strength "none" -- never a zero.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from capeval.analysis.kirkpatrick import RESPONDENT, scored_responses
from capeval.analysis.privacy import suppress_small_groups
from capeval.schema import DAC_CRITERIA

SURVEY = "survey"
# Which criteria a non-survey table is evidence for: monitoring of cost and hours speaks to
# efficiency, the needs self-assessment to relevance, the scaling scan to sustainability,
# change stories (MSC, Outcome Harvesting) to impact, after-action reviews to effectiveness.
SOURCE_CRITERIA: dict[str, tuple[str, ...]] = {
    "activities": ("efficiency",),
    "portfolio": ("relevance",),
    "scaling": ("sustainability",),
    "lessons_change": ("impact",),
    "lessons_review": ("effectiveness",),
}
STRENGTHS = ("none", "weak", "moderate", "strong")


def evidence_sources(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The non-survey sources present in a unit's ``tables``: source, criterion, n_records.

    activities count when a cost is recorded; lessons split into change stories
    (msc, oh) and after-action reviews (aar).
    """
    counts: dict[str, int] = {}
    acts = tables.get("activities")
    if acts is not None and "cost_eur" in acts:
        counts["activities"] = int(acts["cost_eur"].notna().sum())
    for name in ("portfolio", "scaling"):
        frame = tables.get(name)
        counts[name] = 0 if frame is None else len(frame)
    lessons = tables.get("lessons")
    if lessons is not None:
        counts["lessons_change"] = int(lessons["method"].isin(["msc", "oh"]).sum())
        counts["lessons_review"] = int((lessons["method"] == "aar").sum())
    rows = [
        {"source": source, "criterion": criterion, "n_records": n}
        for source, n in counts.items()
        if n > 0
        for criterion in SOURCE_CRITERIA[source]
    ]
    return pd.DataFrame(rows, columns=["source", "criterion", "n_records"])


def evidence_strength(n_items: int, n_respondents: int, n_sources: int, *, min_group_size: int) -> str:
    """The documented rule: none (no source); strong (score shown, >= 2 items and >= 2 sources);
    moderate (score shown and >= 2 items or >= 2 sources); weak otherwise."""
    if n_sources == 0:
        return "none"
    scored = n_respondents >= min_group_size and n_items > 0
    if scored and n_items >= 2 and n_sources >= 2:
        return "strong"
    if scored and (n_items >= 2 or n_sources >= 2):
        return "moderate"
    return "weak"


def criteria_matrix(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    sources: pd.DataFrame | None = None,
    min_group_size: int,
    criteria: tuple[str, ...] = DAC_CRITERIA,
) -> pd.DataFrame:
    """One row per criterion: score (0-100), n_items, n_respondents, n_answers, n_sources, sources, strength.

    ``sources`` is :func:`evidence_sources` of the same unit (optional). The score is
    suppressed below ``min_group_size`` respondents; a criterion without evidence has
    NaN score, zero counts and strength "none".
    """
    scored = scored_responses(responses, items)
    scored = scored[scored["criterion"].notna()]
    per_resp = scored.groupby(["criterion", RESPONDENT], observed=True)["score"].mean().reset_index()
    grouped = per_resp.groupby("criterion", observed=True)
    survey = pd.DataFrame(
        {
            "score": grouped["score"].mean(),
            "n_respondents": grouped[RESPONDENT].size(),
            "n_items": scored.groupby("criterion", observed=True)["item_id"].nunique(),
            "n_answers": scored.groupby("criterion", observed=True).size(),
        }
    ).reindex(list(criteria))
    other = sources if sources is not None else pd.DataFrame(columns=["source", "criterion", "n_records"])
    rows = []
    for criterion in criteria:
        row = survey.loc[criterion]
        n_items: int = 0 if pd.isna(row["n_items"]) else int(row["n_items"])
        names: list[str] = ([SURVEY] if n_items else []) + sorted(
            map(str, other.loc[other["criterion"] == criterion, "source"])
        )
        n_resp: int = 0 if pd.isna(row["n_respondents"]) else int(row["n_respondents"])
        rows.append(
            {
                "criterion": criterion,
                "score": float(row["score"]) if n_items else np.nan,
                "n_items": n_items,
                "n_respondents": n_resp,
                "n_answers": 0 if pd.isna(row["n_answers"]) else int(row["n_answers"]),
                "n_sources": len(names),
                "sources": ", ".join(names),
                "strength": evidence_strength(n_items, n_resp, len(names), min_group_size=min_group_size),
            }
        )
    out = pd.DataFrame(rows)
    out = suppress_small_groups(out, n_column="n_respondents", value_columns=["score"], min_size=min_group_size)
    out["suppressed"] = out["suppressed"] & (out["n_items"] > 0)  # no evidence is not a suppression
    return out
