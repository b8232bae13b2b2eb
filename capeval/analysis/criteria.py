"""The evaluation-criteria matrix: the criteria that apply to a programme, with strength of evidence.

The criteria are programme.yaml's ``criteria`` (default: the six OECD DAC criteria of 2019;
EU added value only where declared). A criterion's score is the mean, over respondents, of
each respondent's mean score (percent of scale) on the items mapped to it in items.csv; the
items' ``source`` (self-report, observation, records) are the sources that give the score.
Other tables count as further evidence without a score (see :data:`SOURCE_CRITERIA`) and do
not raise the strength. A criterion with no evidence has no score and the strength "none" --
never a zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from capeval.analysis.kirkpatrick import item_sources, scored_responses
from capeval.analysis.privacy import suppress_small_groups
from capeval.analysis.respondents import RESPONDENT
from capeval.schema import OECD_DAC_CRITERIA

SURVEY = "survey"
# The sources that give a criterion its score: the items, by how their answers were obtained.
SCORING_SOURCES = {"self_report": SURVEY, "observed": "observed", "records": "records"}
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
    """The non-survey sources present in a unit's ``tables``: source, criterion, n_records. They give no
    score: the matrix lists them as evidence that exists, but they do not raise its strength.

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


def evidence_strength(
    n_items: int, n_respondents: int, n_scoring_sources: int, *, n_other_sources: int = 0, min_group_size: int
) -> str:
    """The documented rule, counting only sources that give a score (the items, by their source):
    none (no source at all); weak (no score shown -- only sources without a score, or fewer than
    ``min_group_size`` respondents -- or a score from one item); moderate (a score shown from
    >= 2 items); strong (a score shown from >= 2 items and >= 2 kinds of scoring source, e.g.
    self-report confirmed by observation or records)."""
    if n_items == 0 and n_other_sources == 0:
        return "none"
    scored = n_respondents >= min_group_size and n_items > 0
    if scored and n_items >= 2 and n_scoring_sources >= 2:
        return "strong"
    if scored and n_items >= 2:
        return "moderate"
    return "weak"


def criteria_matrix(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    sources: pd.DataFrame | None = None,
    min_group_size: int,
    criteria: Sequence[str] = OECD_DAC_CRITERIA,
) -> pd.DataFrame:
    """One row per criterion of ``criteria`` (programme.yaml's, in its order): score (0-100), n_items,
    n_respondents, n_answers, n_scoring_sources, n_sources, sources, strength.

    ``sources`` is :func:`evidence_sources` of the same unit (optional); ``sources`` lists the
    scoring sources first (survey, observed, records), then the others. The score is
    suppressed below ``min_group_size`` respondents; a criterion without evidence has NaN
    score, zero counts and strength "none". Items mapped to a criterion not in ``criteria`` are left out.
    """
    scored = scored_responses(responses, items)
    scored = scored[scored["criterion"].notna()]
    kinds = item_sources(items).map(SCORING_SOURCES).to_numpy(dtype=object)  # per item row, as scored's ``item``
    per_resp = scored.groupby(["criterion", RESPONDENT], observed=True)["score"].mean().reset_index()
    grouped = per_resp.groupby("criterion", observed=True)
    by_criterion = scored.groupby("criterion", observed=True)
    # an item's source, taken per criterion from its distinct items rather than per answer
    items_of = by_criterion["item"].unique()
    survey = pd.DataFrame(
        {
            "score": grouped["score"].mean(),
            "n_respondents": grouped[RESPONDENT].size(),
            "n_items": by_criterion["item"].nunique(),
            "n_answers": by_criterion.size(),
            "scoring": items_of.map(lambda i: [k for k in SCORING_SOURCES.values() if k in set(kinds[i])]),
        }
    )
    del scored, per_resp, grouped, by_criterion
    survey.index = survey.index.astype(object)  # criteria by name, whatever their type in items
    survey = survey.reindex(list(criteria))
    other = sources if sources is not None else pd.DataFrame(columns=["source", "criterion", "n_records"])
    rows = []
    for criterion in criteria:
        row = survey.loc[criterion]
        n_items: int = 0 if pd.isna(row["n_items"]) else int(row["n_items"])
        scoring: list[str] = list(row["scoring"]) if n_items else []
        others = sorted(map(str, other.loc[other["criterion"] == criterion, "source"]))
        n_resp: int = 0 if pd.isna(row["n_respondents"]) else int(row["n_respondents"])
        rows.append(
            {
                "criterion": criterion,
                "score": float(row["score"]) if n_items else np.nan,
                "n_items": n_items,
                "n_respondents": n_resp,
                "n_answers": 0 if pd.isna(row["n_answers"]) else int(row["n_answers"]),
                "n_scoring_sources": len(scoring),
                "n_sources": len(scoring) + len(others),
                "sources": ", ".join([*scoring, *others]),
                "strength": evidence_strength(
                    n_items, n_resp, len(scoring), n_other_sources=len(others), min_group_size=min_group_size
                ),
            }
        )
    out = pd.DataFrame(rows)
    out = suppress_small_groups(out, n_column="n_respondents", value_columns=["score"], min_size=min_group_size)
    out["suppressed"] = out["suppressed"] & (out["n_items"] > 0)  # no evidence is not a suppression
    return out
