"""The milestones section: each unit's plan, planned against achieved, as a timeline and per step."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.milestones import milestone_progress, milestone_timeline
from capeval.report import html
from capeval.report.common import day_text
from capeval.report.context import ReportContext


def milestones(ctx: ReportContext) -> str:
    """A partner's or track's own steps as a timeline (planned, achieved, status, days late, evidence); every
    report also shows per step how many of its units achieved it, on time or late, and how many are open."""
    table = ctx.data["milestones"]
    if table.empty and not ctx.data.config.milestone_steps:
        return ""  # the programme keeps no milestones: no section
    head = html.heading(ctx.t("section_milestones"), ident="milestones")
    steps = ctx.data.config.milestone_steps
    labels = {s.id: s.label for s in steps}
    timeline = milestone_timeline(table, [s.id for s in steps])
    if timeline.empty:
        return head + html.paragraph(ctx.t("milestones_none"), "no-data")
    timeline["step_label"] = timeline["step"].map(lambda s: labels.get(str(s), str(s)))
    parts = [head, html.paragraph(ctx.t("milestones_intro"))]
    own = timeline[timeline["unit_id"] == ctx.unit_id] if ctx.kind != "programme" else timeline.iloc[0:0]
    if len(own):
        parts.append(_timeline_table(ctx, own))
    progress = milestone_progress(timeline)
    if timeline["unit_id"].nunique() > 1:  # one unit: its timeline says it all
        progress["step_label"] = progress["step"].map(lambda s: labels.get(str(s), str(s)))
        progress["delay"] = [ctx.n(v, 0) if pd.notna(v) else "–" for v in progress["median_delay_days"]]
        parts.append(html.paragraph(ctx.t("milestones_progress_intro", units=len(timeline["unit_id"].unique()))))
        parts.append(
            html.table(
                progress,
                {
                    "step_label": ctx.t("milestone_step"),
                    "n_units": ctx.t("milestone_units"),
                    "on_time": ctx.t("milestone_on_time"),
                    "late": ctx.t("milestone_late"),
                    "open": ctx.t("milestone_open"),
                    "dropped": ctx.t("milestone_dropped"),
                    "delay": ctx.t("milestone_median_delay"),
                },
            )
        )
    return "\n".join(parts)


def _timeline_table(ctx: ReportContext, own: pd.DataFrame) -> str:
    """The unit's own plan, step by step: planned and achieved dates, status and days late."""
    shown = own.assign(
        planned_day=[day_text(ctx, d) for d in own["planned"]],
        achieved_day=[day_text(ctx, d) for d in own["achieved"]],
        status_label=[ctx.t(f"milestone_status_{s}") for s in own["status"]],
        late=[ctx.n(int(d), 0) if pd.notna(d) else "–" for d in own["delay_days"]],
    )
    return html.table(
        shown,
        {
            "step_label": ctx.t("milestone_step"),
            "planned_day": ctx.t("milestone_planned"),
            "achieved_day": ctx.t("milestone_achieved"),
            "status_label": ctx.t("milestone_status"),
            "late": ctx.t("milestone_days_late"),
            "evidence": ctx.t("milestone_evidence"),
        },
        css="data timeline",
    )
