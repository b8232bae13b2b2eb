"""The partner commitments section: how the partners' own people rate keeping their commitments to each other."""

from __future__ import annotations

from capeval.report import html
from capeval.report.blocks import block_scores, block_table
from capeval.report.common import no_data
from capeval.report.context import ReportContext


def commitments(ctx: ReportContext) -> str:
    """Partner commitments (open and transparent, keep agreements, ...) as self-assessed, per wave, with n."""
    dimensions = ctx.data.config.commitments
    if not dimensions:
        return ""  # the programme has no commitments: no section
    head = html.heading(ctx.t("section_commitments"), ident="commitments")
    scores = block_scores(ctx, dimensions)
    if scores.empty:
        return no_data(ctx, head)
    return head + html.paragraph(ctx.t("commitments_intro")) + block_table(ctx, dimensions, scores)
