"""The milestones section: each unit's plan, planned against achieved, as a timeline and per step."""

from __future__ import annotations

import pandas as pd
from babel.dates import get_month_names

from capeval.analysis.milestones import milestone_progress, milestone_timeline
from capeval.i18n import t
from capeval.report import html
from capeval.report.common import day_text
from capeval.report.context import ReportContext
from capeval.report.figures_milestones import LATE_AFTER_DAYS, latest_date, milestone_dates, milestone_spread


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
    many = timeline["unit_id"].nunique() > 1
    if len(own) or many:  # one figure per report: the unit's own plan, else the spread over its units
        parts.append(timeline_figure(ctx, own if len(own) else timeline))
    if len(own):
        parts.append(_timeline_table(ctx, own))
    progress = milestone_progress(timeline)
    if many:  # one unit: its timeline says it all
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


def timeline_figure(ctx: ReportContext, timeline: pd.DataFrame) -> str:
    """Planned against achieved as a timeline (one unit: its own dates; several: the spread per step), with
    alt text stating the finding and a caption giving n (steps and units) and the date the figure runs to."""
    latest = latest_date(timeline)
    labels = {k: ctx.t(f"milestone_fig_{k}") for k in ("planned", "on_time", "late", "open", "latest")}
    labels["dropped"] = ctx.t("milestone_dropped")
    names = get_month_names("abbreviated", locale=ctx.language)
    months = [str(names[m]) for m in range(1, 13)]
    units = int(timeline["unit_id"].nunique())
    if units == 1:
        fig = milestone_dates(timeline, latest=latest, labels=labels, months=months)
        caption = [ctx.t("milestone_fig_caption", steps=len(timeline))]
    else:
        fig = milestone_spread(timeline, latest=latest, labels=labels, months=months)
        caption = [ctx.t("milestone_fig_caption_units", steps=len(timeline), units=units)]
    if latest is not None:
        caption.append(ctx.t("milestone_fig_now", day=day_text(ctx, latest)))
        if units == 1 and _counts(timeline)["open"]:
            caption.append(ctx.t("milestone_fig_now_open"))
    return html.figure(fig, timeline_alt(timeline, ctx.language), " ".join(caption))


def timeline_alt(timeline: pd.DataFrame, language: str) -> str:
    """The figure's finding in words: how many of the steps are achieved, how many of those more than a
    month late, how many are still open and how many dropped (of one unit, or of all units in ``timeline``)."""
    counts = _counts(timeline)
    units = int(timeline["unit_id"].nunique())
    key = "milestone_fig_alt" if units == 1 else "milestone_fig_alt_units"
    return t(key, language, steps=len(timeline), units=units, **counts)


def _counts(timeline: pd.DataFrame) -> dict[str, int]:
    achieved = timeline["achieved"].notna()
    dropped = (timeline["status"] == "dropped") & ~achieved
    return {
        "achieved": int(achieved.sum()),
        "late": int((timeline["delay_days"].fillna(0) > LATE_AFTER_DAYS).sum()),
        "open": int((~achieved & ~dropped).sum()),
        "dropped": int(dropped.sum()),
    }
