"""Pieces the analysis sections share: the unit's analyses, labels and small HTML helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from capeval.analysis.gaps import gap_change, least_consensus, service_gaps
from capeval.analysis.kirkpatrick import broken_chain, kirkpatrick_chain, pre_post_change
from capeval.analysis.scaling import points_of_attention, scaling_bottleneck, scaling_scores
from capeval.report import html
from capeval.report.context import ReportContext


def no_data(ctx: ReportContext, head: str) -> str:
    """A section's heading and the one line saying it has no data."""
    return head + html.paragraph(ctx.t("no_data"), "no-data")


def waves(ctx: ReportContext) -> tuple[int, int]:
    """The programme's baseline and follow-up wave ids."""
    ids = ctx.data.config.wave_ids
    return min(ids), max(ids)


def wave_label(ctx: ReportContext, wave: object) -> str:
    labels = {w.id: w.label for w in ctx.data.config.waves}
    return str(labels.get(int(str(wave)), wave))


def ingredient_label(ctx: ReportContext, ingredient: str) -> str:
    labels = {i.id: i.label for i in ctx.data.config.scaling_ingredients}
    return labels.get(ingredient, ingredient)


def numbers(ctx: ReportContext, *columns: str, digits: int = 1) -> dict[str, Callable[[Any], str]]:
    """Table formats that write ``columns`` as the reader's numbers."""

    def write(value: Any) -> str:
        return ctx.n(value, digits)

    return dict.fromkeys(columns, write)


def suppressed_note(ctx: ReportContext, frame: pd.DataFrame) -> str:
    if "suppressed" in frame and bool(frame["suppressed"].any()):
        return html.paragraph(ctx.t("suppressed_note", min=ctx.min_group_size), "note")
    return ""


def unit_chain(ctx: ReportContext) -> pd.DataFrame:
    """The unit's Kirkpatrick chain per wave and level (the unit's slice pooled)."""
    return kirkpatrick_chain(ctx.data["responses"], ctx.data["items"], by=(), min_group_size=ctx.min_group_size)


def unit_change(ctx: ReportContext) -> pd.DataFrame:
    baseline, follow_up = waves(ctx)
    return pre_post_change(
        ctx.data["responses"],
        ctx.data["items"],
        baseline=baseline,
        follow_up=follow_up,
        by=(),
        min_group_size=ctx.min_group_size,
    )


def unit_broken_chain(ctx: ReportContext) -> pd.DataFrame:
    return broken_chain(unit_chain(ctx), by=())


def unit_gaps(ctx: ReportContext) -> pd.DataFrame:
    """A partner's service gaps with least-consensus flags (empty for other units)."""
    portfolio = ctx.data["portfolio"]
    if ctx.kind != "partner" or portfolio.empty:
        return pd.DataFrame()
    spread = float(ctx.parameters.get("consensus_spread") or 2.0)
    return least_consensus(service_gaps(portfolio), threshold=spread)


def unit_gap_change(ctx: ReportContext) -> pd.DataFrame:
    gaps = unit_gaps(ctx)
    if gaps.empty:
        return gaps
    baseline, follow_up = waves(ctx)
    return gap_change(gaps, baseline=baseline, follow_up=follow_up)


def unit_scaling(ctx: ReportContext) -> pd.DataFrame:
    """The unit's own Scaling Scan scores, in programme.yaml's ingredient order."""
    rows = ctx.data["scaling"]
    rows = rows[rows["unit_id"] == ctx.unit_id]
    ingredients = [i.id for i in ctx.data.config.scaling_ingredients]
    return scaling_scores(rows, ingredients=ingredients)


def unit_bottleneck(ctx: ReportContext, scores: pd.DataFrame) -> pd.DataFrame:
    return scaling_bottleneck(scores)


def unit_attention(ctx: ReportContext, scores: pd.DataFrame) -> pd.DataFrame:
    threshold = float(ctx.parameters.get("attention_below") or 3.0)
    return points_of_attention(scores, threshold=threshold)
