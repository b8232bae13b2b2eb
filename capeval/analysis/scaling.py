"""Scaling potential: Scaling Scan scores per ingredient, the bottleneck, points of attention,
and transportability evidence.

Scaling Scan (PPPLab/CIMMYT): raters score each ingredient 1-5. Scaling Readiness
(Sartas et al.): a package is limited by its lowest ingredient, the bottleneck. CIPP's
transportability: the practice was written down (manual, step plan, checklist) and taken
up elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from capeval.analysis.claims import as_shown, below
from capeval.analysis.lessons import adopters as adopted
from capeval.analysis.privacy import suppress_small_groups
from capeval.options import default_of

ATTENTION_BELOW: float = default_of("attention_below")  # under the scale midpoint; declared in capeval/options.py
_TIE = 1e-9


def scaling_scores(
    scaling: pd.DataFrame, *, ingredients: Sequence[str] | None = None, min_raters: int = 1
) -> pd.DataFrame:
    """Per unit, wave and ingredient: n_raters, mean score, spread (max - min between raters).

    ``ingredients`` (programme.yaml's order) keeps only those and orders the rows; an
    ingredient nobody scored gets no row. Scaling-scan scores are the unit's own
    ratings by named roles, so ``min_raters`` defaults to 1; pass min_group_size to
    treat them as anonymous opinions.
    """
    columns = ["unit_id", "wave", "ingredient", "n_raters", "mean", "spread", "min", "max"]
    if scaling.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    rows = scaling if ingredients is None else scaling[scaling["ingredient"].isin(list(ingredients))]
    out = rows.groupby(["unit_id", "wave", "ingredient"], observed=True, sort=True).agg(
        n_raters=("rater", "nunique"), mean=("score", "mean"), min=("score", "min"), max=("score", "max")
    )
    out["spread"] = out["max"] - out["min"]
    out = out.reset_index()
    out["wave"] = out["wave"].astype("int64")
    if ingredients is not None:
        order = {name: i for i, name in enumerate(ingredients)}
        out = out.assign(_order=out["ingredient"].map(order)).sort_values(["unit_id", "wave", "_order"], kind="stable")
        out = out.drop(columns="_order").reset_index(drop=True)
    return suppress_small_groups(
        out[columns], n_column="n_raters", value_columns=["mean", "spread", "min", "max"], min_size=min_raters
    )


def scaling_bottleneck(scores: pd.DataFrame, *, within: float = 0.0) -> pd.DataFrame:
    """Per unit and wave: the lowest-scoring ingredient(s); ties give one row each with ``n_tied``.

    Means are compared as the report shows them (one decimal); an ingredient less than
    ``within`` above the lowest (the programme's minimum change on the 1-5 scale) is about the
    same, so it ties. Suppressed scores do not compete. Columns unit_id, wave, ingredient,
    mean, n_raters, n_tied.
    """
    columns = ["unit_id", "wave", "ingredient", "mean", "n_raters", "n_tied"]
    shown = scores[scores["mean"].notna()].assign(_shown=lambda f: as_shown(f["mean"]))
    if shown.empty:
        return pd.DataFrame(columns=columns)
    above_lowest = shown["_shown"] - shown.groupby(["unit_id", "wave"], observed=True)["_shown"].transform("min")
    out = shown[(above_lowest <= _TIE) | (above_lowest < within - _TIE)].copy()
    out["n_tied"] = out.groupby(["unit_id", "wave"], observed=True)["ingredient"].transform("size").astype("int64")
    return out[columns].reset_index(drop=True)


def points_of_attention(scores: pd.DataFrame, *, threshold: float = ATTENTION_BELOW) -> pd.DataFrame:
    """The ingredients whose mean (as shown) is under ``threshold``, lowest first per unit and wave."""
    out = scores[below(scores["mean"], threshold)]
    return out.sort_values(["unit_id", "wave", "mean"], kind="stable").reset_index(drop=True)


def scaling_benchmark(scores: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Programme benchmark per wave and ingredient: median and quartiles of unit means.

    ``n_units`` counts the units scored; suppressed below ``min_group_size`` units.
    """
    columns = ["wave", "ingredient", "n_units", "median", "q1", "q3"]
    shown = scores[scores["mean"].notna()]
    if shown.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    out = shown.groupby(["wave", "ingredient"], observed=True, sort=True).agg(
        n_units=("unit_id", "nunique"),
        median=("mean", "median"),
        q1=("mean", lambda s: s.quantile(0.25)),
        q3=("mean", lambda s: s.quantile(0.75)),
    )
    return suppress_small_groups(
        out.reset_index()[columns], n_column="n_units", value_columns=["median", "q1", "q3"], min_size=min_group_size
    )


def transportability(
    lessons: pd.DataFrame, *, recurrence: pd.DataFrame | None = None, unit_column: str = "partner_id"
) -> pd.DataFrame:
    """Per unit: artefacts written down and evidence of adoption by others.

    Columns: n_lessons, n_artefacts (lessons naming an artefact), artefacts (distinct,
    sorted, "; "-joined), adopted_by (organisations, the unit aside, named in an optional ``adopted_by``
    column, semicolon or comma separated) and shared_with (the most other partners
    that report one of this unit's lessons, from :func:`capeval.analysis.themes.recurring_lessons`
    output ``recurrence``: lesson_id, n_partners).
    """
    columns = ["unit", "n_lessons", "n_artefacts", "artefacts", "adopted_by", "shared_with"]
    rows = lessons[lessons[unit_column].notna()]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for unit, group in rows.groupby(unit_column, observed=True, sort=True):
        artefacts = group["artefact"].dropna().astype(str).str.strip() if "artefact" in group else pd.Series()
        artefacts = artefacts[artefacts != ""]
        adopters: set[str] = set()
        if "adopted_by" in group:
            for cell in group["adopted_by"].dropna().astype(str):
                adopters.update(p for p in adopted(cell) if p != str(unit))
        shared = 0
        if recurrence is not None and len(recurrence):
            mine = recurrence[recurrence["lesson_id"].isin(group["lesson_id"])]
            shared = int(mine["n_partners"].max() - 1) if len(mine) else 0
        out.append(
            {
                "unit": str(unit),
                "n_lessons": len(group),
                "n_artefacts": len(artefacts),
                "artefacts": "; ".join(sorted(set(artefacts))),
                "adopted_by": len(adopters),
                "shared_with": max(shared, 0),
            }
        )
    return pd.DataFrame(out, columns=columns).astype({"n_lessons": "int64", "n_artefacts": "int64"})


def scaling_profile(scores: pd.DataFrame, unit_id: str, wave: int | None = None) -> pd.DataFrame:
    """One unit's ingredient means of ``wave`` (default: its latest), for a spider diagram."""
    mine = scores[scores["unit_id"] == unit_id]
    if mine.empty:
        return mine
    chosen = int(mine["wave"].max()) if wave is None else wave
    return mine[mine["wave"] == chosen].reset_index(drop=True)


def scaling_rationales(scaling: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Why each shown score is what it is: unit_id, wave, ingredient, rationale (the raters' distinct words, " / ").

    Only for scores ``scores`` shows (a hidden mean keeps its raters' words hidden too).
    """
    columns = ["unit_id", "wave", "ingredient", "rationale"]
    if "rationale" not in scaling or scores.empty:
        return pd.DataFrame(columns=columns)
    shown = scores.loc[scores["mean"].notna(), ["unit_id", "wave", "ingredient"]]
    said = scaling[scaling["rationale"].notna()].assign(rationale=lambda f: f["rationale"].astype(str).str.strip())
    said = said[said["rationale"] != ""].merge(shown, on=["unit_id", "wave", "ingredient"])
    out = said.groupby(["unit_id", "wave", "ingredient"], observed=True, sort=False)["rationale"].agg(
        lambda s: " / ".join(dict.fromkeys(s))
    )
    return out.reset_index()[columns]
