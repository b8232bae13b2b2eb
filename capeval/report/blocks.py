"""What the self-assessment sections share: a block's dimension scores as the release lets a report show them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from capeval.analysis.blocks import dimension_scores
from capeval.report import html
from capeval.report.common import all_hidden, hidden_sentence, numbers, released, suppressed_note, wave_label
from capeval.report.context import ReportContext
from capeval.schema import Coded
from capeval.store_aggregates import block_result


def block_scores(
    ctx: ReportContext, dimensions: Sequence[Coded], responses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The unit's scores of ``dimensions`` per wave, with the values the release hides blanked."""
    ids = [d.id for d in dimensions]
    scores = (
        ctx.data.answer_result(block_result(tuple(ids)), ctx.min_group_size)  # dimension_scores of the unit
        if responses is None
        else dimension_scores(responses, ctx.data["items"], ids)
    )
    return released(ctx, scores, "dimension:{level}:{dimension}", n_column="n")


def block_table(ctx: ReportContext, dimensions: Sequence[Coded], scores: pd.DataFrame) -> str:
    """The scores as a table (question, wave, n, mean, percent of the scale), with the note on what is hidden;
    one sentence instead when every score is hidden."""
    if all_hidden(scores, ["mean", "score"]):
        return hidden_sentence(ctx, "questions")
    labels = {d.id: d.label for d in dimensions}
    shown = scores.assign(
        label=scores["dimension"].map(labels),
        wave_shown=[wave_label(ctx, w) for w in scores["wave"]],
        scale=[f"{lo}–{hi}" for lo, hi in zip(scores["scale_min"], scores["scale_max"], strict=True)],
    )
    table = html.table(
        shown,
        {
            "label": ctx.t("block_question"),
            "wave_shown": ctx.t("wave"),
            "n": ctx.t("respondents"),
            "mean": ctx.t("block_mean"),
            "scale": ctx.t("block_scale"),
            "score": ctx.t("score_pct"),
        },
        formats=numbers(ctx, "mean", "score"),
        css="data block",
    )
    return table + suppressed_note(ctx, scores)
