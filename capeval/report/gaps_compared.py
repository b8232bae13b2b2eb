"""Capacity gaps compared across a track's or programme's partners: median and quartiles per service."""

from __future__ import annotations

from capeval.analysis.gaps import gap_benchmark
from capeval.report import html
from capeval.report.common import no_data, numbers, wave_label
from capeval.report.context import ReportContext


def gaps_compared(ctx: ReportContext) -> str:
    """Capacity gaps across the unit's partners: median and quartiles per service, from min_group_size partners."""
    head = html.heading(ctx.t("section_gaps"), ident="gaps")
    gaps = ctx.analyses.service_gaps
    gaps = gaps[gaps["gap"].notna()] if len(gaps) else gaps  # a personal portfolio of too few people counts not
    if gaps.empty:
        return no_data(ctx, head)
    wave = int(gaps["wave"].max())
    bench = gap_benchmark(gaps[gaps["wave"] == wave], min_partners=ctx.min_group_size)
    n = int(gaps.loc[gaps["wave"] == wave, "partner_id"].nunique())
    intro = html.paragraph(ctx.t("u_gaps_intro", n=n, wave=wave_label(ctx, wave), min=ctx.min_group_size))
    shown = bench[~bench["suppressed"]].sort_values(["median_gap", "service"], ascending=[False, True], kind="stable")
    if shown.empty:
        return head + intro + html.paragraph(ctx.t("u_gaps_all_hidden", min=ctx.min_group_size), "note")
    shown = shown.assign(label=shown["service"].map(ctx.service_label))
    table = html.table(
        shown,
        {
            "label": ctx.t("service"),
            "n_partners": ctx.t("n_partners"),
            "median_gap": ctx.t("u_median_gap"),
            "q1_gap": ctx.t("u_q1"),
            "q3_gap": ctx.t("u_q3"),
        },
        formats=numbers(ctx, "median_gap", "q1_gap", "q3_gap"),
    )
    return head + intro + table
