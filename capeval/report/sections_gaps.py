"""Report section: capacity gaps, extended with least-consensus flags and the change between waves."""

from __future__ import annotations

from capeval.report import html, sections
from capeval.report.context import ReportContext
from capeval.report.sections_common import numbers, unit_gap_change, unit_gaps, wave_label, waves


def gaps(ctx: ReportContext) -> str:
    """Service-portfolio gaps against the programme, areas of least consensus, baseline to follow-up."""
    base = sections.gaps(ctx)
    flagged = unit_gaps(ctx)
    if flagged.empty:
        return base
    return "\n".join(p for p in (base, _least_consensus(ctx), _wave_change(ctx)) if p)


def _least_consensus(ctx: ReportContext) -> str:
    flagged = unit_gaps(ctx)
    latest = flagged[flagged["wave"] == flagged["wave"].max()]
    title = html.heading(ctx.t("consensus_title"), 3, ident="gaps-consensus")
    hits = latest[latest["least_consensus"]].assign(label=lambda f: f["service"].map(ctx.service_label))
    threshold = float(ctx.parameters.get("consensus_spread") or 2.0)
    if hits.empty:
        return title + html.paragraph(ctx.t("consensus_none", spread=ctx.n(threshold)))
    table = html.table(
        hits,
        {
            "label": ctx.t("service"),
            "n_respondents": ctx.t("respondents"),
            "gap": ctx.t("gap"),
            "spread": ctx.t("spread"),
        },
        formats=numbers(ctx, "gap", "spread"),
    )
    return title + html.paragraph(ctx.t("consensus_intro", spread=ctx.n(threshold))) + table


def _wave_change(ctx: ReportContext) -> str:
    baseline, follow_up = waves(ctx)
    title = html.heading(ctx.t("gap_change_title"), 3, ident="gaps-change")
    change = unit_gap_change(ctx)
    if baseline == follow_up or change.empty or change["change"].isna().all():
        return title + html.paragraph(ctx.t("gap_change_none"), "no-data")
    shown = change.assign(label=change["service"].map(ctx.service_label))
    shown = shown.sort_values(["change", "label"], na_position="last", kind="stable")
    intro = ctx.t("gap_change_intro", baseline=wave_label(ctx, baseline), follow_up=wave_label(ctx, follow_up))
    table = html.table(
        shown,
        {
            "label": ctx.t("service"),
            "gap_baseline": wave_label(ctx, baseline),
            "gap_follow_up": wave_label(ctx, follow_up),
            "change": ctx.t("change"),
            "quality_change": ctx.t("quality_change"),
        },
        formats=numbers(ctx, "gap_baseline", "gap_follow_up", "change", "quality_change"),
    )
    return title + html.paragraph(intro) + table
