"""The priorities section (Erasmus+): per priority, what each partner contributed and how the linked questions score."""

from __future__ import annotations

from capeval.analysis.priorities import priority_contributions, priority_dimensions
from capeval.report import html
from capeval.report.blocks import block_scores, block_table
from capeval.report.context import ReportContext
from capeval.schema import Coded


def priorities(ctx: ReportContext) -> str:
    """Each programme priority: the unit's partners' activities of its types (activities, participations, hours)
    and the scores of the questions linked to it, per wave with n, as the release allows."""
    declared = ctx.data.config.priorities
    if not declared:
        return ""
    head = html.heading(ctx.t("section_priorities"), ident="priorities")
    contributions = priority_contributions(ctx.data["activities"], declared)
    names = dict(zip(ctx.data.partners["partner_id"], ctx.data.partners["name"], strict=True))
    items = ctx.data["items"]
    text = items["text_nl" if ctx.language == "nl" else "text_en"].fillna(items["text_en"]).fillna(items["text_nl"])
    dimension_labels = dict(zip(items["dimension"].astype(str), text.astype(str), strict=True))
    parts = [head, html.paragraph(ctx.t("priorities_intro"))]
    for priority in declared:
        parts.append(html.heading(priority.label, level=3))
        mine = contributions[contributions["priority"] == priority.id]
        types = ", ".join(ctx.activity_label(t) for t in priority.activity_types) or "–"
        if mine.empty:
            parts.append(html.paragraph(ctx.t("priorities_no_activities", types=types)))
        else:
            parts.append(html.paragraph(ctx.t("priorities_activities", types=types)))
            shown = mine.assign(partner=mine["partner_id"].map(names))
            parts.append(
                html.table(
                    shown,
                    {
                        "partner": ctx.t("partner"),
                        "activities": ctx.t("activities"),
                        "participations": ctx.t("participations"),
                        "hours": ctx.t("hours"),
                    },
                    formats={"hours": lambda v: ctx.n(v, 1)},
                )
            )
        dimensions = [Coded(id=d, label=dimension_labels.get(d, d)) for d in priority_dimensions(items, priority)]
        scores = block_scores(ctx, dimensions) if dimensions else None
        if scores is not None and len(scores):
            parts.append(block_table(ctx, dimensions, scores))
    return "\n".join(parts)
