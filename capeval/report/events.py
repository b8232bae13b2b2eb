"""The network events section: the network's own events (conferences) and the members' feedback on them."""

from __future__ import annotations

from capeval.report import html
from capeval.report.blocks import block_scores, block_table
from capeval.report.common import day_text, no_data
from capeval.report.context import ReportContext


def events(ctx: ReportContext) -> str:
    """Each network event with its participants and respondents, then the feedback per question and wave, with n."""
    declared = ctx.data.config.event_feedback
    if declared is None:
        return ""
    head = html.heading(ctx.t("section_events"), ident="events")
    answered = int(ctx.data.answer_result("counts", ctx.min_group_size)["event_answers"].iloc[0])  # about an event
    scores = block_scores(ctx, declared.dimensions)
    if scores.empty and not answered:
        return no_data(ctx, head)
    parts = [head, html.paragraph(ctx.t("events_intro"))]
    reach = ctx.data.answer_result("event_reach", ctx.min_group_size)  # event_reach of the declared event types
    if len(reach):  # the events this unit's slice holds (a member's report: the one it hosted, if any)
        reach = reach.assign(
            label=[ctx.activity_label(t) for t in reach["type"]], day=[day_text(ctx, d) for d in reach["date"]]
        )
        parts.append(
            html.table(
                reach,
                {
                    "day": ctx.t("date"),
                    "label": ctx.t("event"),
                    "participants": ctx.t("participants"),
                    "respondents": ctx.t("respondents"),
                },
            )
        )
    if len(scores):
        parts.append(block_table(ctx, declared.dimensions, scores))
    return "\n".join(parts)
