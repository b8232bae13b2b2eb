"""The added value section: what the programme's centre contributed, as partners rate it; addressed to the centre."""

from __future__ import annotations

from capeval.analysis.blocks import WEAK_BELOW, weakest
from capeval.report import html
from capeval.report.blocks import block_scores, block_table
from capeval.report.common import all_hidden, base_sentence, no_data
from capeval.report.context import ReportContext


def added_value(ctx: ReportContext) -> str:
    """The centre's added value per contribution and wave, with n; the weakest are points for the centre."""
    dimensions = ctx.data.config.added_value
    if not dimensions:
        return ""
    head = html.heading(ctx.t("section_added_value"), ident="added-value")
    scores = block_scores(ctx, dimensions)
    if scores.empty:
        return no_data(ctx, head)
    if all_hidden(scores, ["mean", "score"]):  # no score shown: nothing to call weak either
        return head + html.paragraph(ctx.t("added_value_intro")) + block_table(ctx, dimensions, scores)
    labels = {d.id: d.label for d in dimensions}
    weak = weakest(scores)
    points = [
        " ".join(
            part
            for part in (
                ctx.t("added_value_weak", subject=labels[str(r["dimension"])], value=ctx.n(r["score"]), n=int(r["n"])),
                base_sentence(ctx, int(r["n"])),
            )
            if part
        )
        for r in weak.to_dict("records")
    ]
    advice = (
        html.paragraph(ctx.t("added_value_for_centre", below=ctx.n(WEAK_BELOW, 0)))
        + "<ul>"
        + "".join(f"<li>{html.escape(p)}</li>" for p in points)
        + "</ul>"
        if points
        else html.paragraph(ctx.t("added_value_none_weak", below=ctx.n(WEAK_BELOW, 0)))
    )
    return head + html.paragraph(ctx.t("added_value_intro")) + block_table(ctx, dimensions, scores) + advice
