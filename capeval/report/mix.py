"""The intervention-mix section: activities per type and year, as a table and a figure."""

from __future__ import annotations

from capeval.analysis.compare import intervention_mix
from capeval.report import html
from capeval.report.common import no_data
from capeval.report.context import ReportContext
from capeval.report.figures_units import mix_bars


def intervention_mix_section(ctx: ReportContext) -> str:
    """Intervention mix: activities per type and year, as a table and (from the minimum group size) a figure."""
    head = html.heading(ctx.t("u_section_mix"), ident="mix")
    mix = intervention_mix(ctx.data["activities"])
    if mix.empty:
        return no_data(ctx, head)
    mix["label"] = [ctx.activity_label(kind) for kind in mix["type"]]
    totals = {str(k): int(v) for k, v in mix.groupby("label")["activities"].sum().items()}
    wide = mix.pivot_table(index="year", columns="label", values="activities", aggfunc="sum", fill_value=0)
    wide = wide[[label for label, _ in sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))]]
    total = int(mix["activities"].sum())
    parts = [head, html.paragraph(ctx.t("u_mix_intro", n=ctx.n(total, 0)))]
    if total >= ctx.min_group_size and len(wide.columns):
        fig = mix_bars(wide, axis_title=ctx.t("u_mix_axis"), legend_title=ctx.t("type"))
        years = ", ".join(str(y) for y in wide.index)
        alt = ctx.t("u_mix_alt", name=ctx.name, years=years, top=str(wide.columns[0]))
        parts.append(html.figure(fig, alt, ctx.t("caption_mix", n=ctx.n(total, 0), years=years)))
    else:
        parts.append(html.paragraph(ctx.t("u_mix_no_figure", min=ctx.min_group_size), "note"))
    shown = wide.T.reset_index()
    shown.columns = [str(c) for c in shown.columns]
    shown[ctx.t("u_total")] = wide.sum(axis=0).to_numpy()
    headers = {"label": ctx.t("type"), **{str(y): str(y) for y in wide.index}, ctx.t("u_total"): ctx.t("u_total")}
    parts.append(html.table(shown, headers))
    return "\n".join(parts)
