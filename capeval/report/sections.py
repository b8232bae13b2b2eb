"""Report sections: each takes a ReportContext and returns the section's HTML."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from capeval import __version__
from capeval.analysis.gaps import partner_gaps_vs_benchmark, service_gaps
from capeval.figures import gap_bars
from capeval.report import html
from capeval.report.context import ReportContext
from capeval.report.sections_common import released_gaps, wave_label

TOC_MARK = "<!-- capeval:toc -->"  # capeval.render fills it with the section links


def title(ctx: ReportContext) -> str:
    """The report's title and who it is about."""
    parts = [html.heading(ctx.t(f"report_title_{ctx.kind}", name=ctx.name), 1, ident="title")]
    facts: dict[str, object] = {ctx.t("programme"): ctx.data.config.title}
    if ctx.kind == "partner":
        row = ctx.data.partners.iloc[0]
        for column in ("kind", "country"):
            if column in row and not pd.isna(row[column]):
                facts[ctx.t(column)] = row[column]
        if not pd.isna(row.get("track_id")):
            tracks = ctx.data.tables["tracks"].set_index("track_id")["name"]
            facts[ctx.t("track")] = tracks.get(row["track_id"], row["track_id"])
    elif ctx.kind == "track":
        table = ctx.data.tables["tracks"]
        track = table.loc[table["track_id"] == ctx.unit_id].iloc[0]
        for column, label in (("theme", "u_theme"), ("goal", "u_goal")):
            if column in track and not pd.isna(track[column]):
                facts[ctx.t(label)] = track[column]
        facts[ctx.t("u_n_partners")] = ", ".join(str(n) for n in ctx.data.partners["name"]) or "–"
    else:
        facts[ctx.t("u_n_partners")] = len(ctx.data.partners)
        facts[ctx.t("u_n_tracks")] = len(ctx.data.tables["tracks"])
    parts.append(html.definition_list(facts))
    parts.append(TOC_MARK)
    return "\n".join(parts)


def gaps(ctx: ReportContext) -> str:
    """Service-portfolio gaps of the latest wave, against the programme median."""
    head = html.heading(ctx.t("section_gaps"), ident="gaps")
    portfolio = ctx.data["portfolio"]
    if portfolio.empty or ctx.kind != "partner":
        return head + html.paragraph(ctx.t("no_data"), "no-data")
    all_gaps = released_gaps(ctx, service_gaps(portfolio))
    wave = int(all_gaps["wave"].max())
    bench = ctx.data.benchmarks["gaps"]
    mine = partner_gaps_vs_benchmark(all_gaps, bench, ctx.unit_id)
    mine = mine[mine["wave"] == wave].copy()
    mine["label"] = mine["service"].map(ctx.service_label)
    wave_bench = bench[bench["wave"] == wave]
    n_partners = int(wave_bench["n_partners"].max()) if len(wave_bench) else 0
    parts = [head, html.paragraph(ctx.t("gap_intro", wave=wave_label(ctx, wave), n=n_partners))]
    if wave_bench["suppressed"].any():
        parts.append(html.paragraph(ctx.t("benchmark_suppressed", min=ctx.min_group_size), "note"))
    top = mine.iloc[0]
    fig = gap_bars(
        mine,
        label_column="label",
        gap_label=ctx.t("gap"),
        median_label=ctx.t("programme_median"),
        axis_title=ctx.t("gap_axis"),
    )
    alt = ctx.t("gap_figure_alt", name=ctx.name, wave=wave_label(ctx, wave), top=top["label"], gap=ctx.n(top["gap"]))
    caption = ctx.t("caption_gaps", wave=wave_label(ctx, wave), n=int(mine["n_respondents"].max()), k=n_partners)
    parts.append(html.figure(fig, alt, caption))
    parts.append(
        html.paragraph(
            ctx.t("gap_largest", service=top["label"], gap=ctx.n(top["gap"]), vs=_versus(ctx, top["vs_median"]))
        )
    )
    yes_no = {True: ctx.t("answer_yes"), False: ctx.t("answer_no")}
    shown = mine.assign(
        offered=[yes_no[bool(v >= 0.5)] for v in mine["offered_now"]],
    )
    parts.append(
        html.table(
            shown,
            {
                "rank": ctx.t("rank"),
                "label": ctx.t("service"),
                "offered": ctx.t("offered_now"),
                "quality_now": ctx.t("quality_now"),
                "quality_desired": ctx.t("quality_desired"),
                "gap": ctx.t("gap"),
                "median_gap": ctx.t("programme_median"),
                "vs_median": ctx.t("vs_median"),
            },
            formats=dict.fromkeys(("quality_now", "quality_desired", "gap", "median_gap", "vs_median"), ctx.n),
        )
    )
    return "\n".join(parts)


def _versus(ctx: ReportContext, difference: float) -> str:
    if pd.isna(difference):
        return ctx.t("benchmark_suppressed", min=ctx.min_group_size)
    if abs(difference) < 0.05:
        return ctx.t("equal_to")
    return ctx.t("above" if difference > 0 else "below", d=ctx.n(abs(difference)))


def method_notes(ctx: ReportContext) -> str:
    """Method and data notes: n per section, what was suppressed and why, rejected rows per table, the waves."""
    from capeval.report.sections_method import caveats, observations, privacy_rules, suppressions, wave_rows

    head = html.heading(ctx.t("section_method"), ident="method")
    n_table = html.table(
        observations(ctx),
        {"section": ctx.t("u_section"), "n": ctx.t("u_n"), "counted": ctx.t("u_counted")},
        css="data method-n",
    )
    rules = "".join(html.paragraph(rule) for rule in privacy_rules(ctx))
    hidden = suppressions(ctx) or [ctx.t("u_supp_none")]
    items = "".join(f"<li>{html.escape(s)}</li>" for s in hidden)
    counts = ctx.data.meta["counts"]
    rows = pd.DataFrame(
        [{"table": f"{name}.csv", "kept": c["kept"], "rejected": c["rejected"]} for name, c in sorted(counts.items())]
    )
    table = html.table(rows, {"table": ctx.t("table"), "kept": ctx.t("rows_kept"), "rejected": ctx.t("rejected_rows")})
    waves = html.table(
        wave_rows(ctx),
        {
            "wave": ctx.t("u_wave_id"),
            "label": ctx.t("u_label"),
            "year": ctx.t("u_year"),
            "respondents": ctx.t("u_respondents_here"),
        },
        formats={"year": lambda v: "–" if v is None or pd.isna(v) else str(int(v))},
    )
    return "\n".join(
        [
            head,
            html.heading(ctx.t("u_n_title"), 3, ident="method-n"),
            n_table,
            "".join(html.paragraph(caveat, "note") for caveat in caveats(ctx)),
            html.heading(ctx.t("u_suppressed_title"), 3, ident="method-suppressed"),
            rules,
            f'<ul class="suppressed">{items}</ul>',
            html.heading(ctx.t("u_rejected_title"), 3, ident="method-rejected"),
            table,
            html.heading(ctx.t("u_waves_title"), 3, ident="method-waves"),
            waves,
        ]
    )


def provenance(ctx: ReportContext) -> str:
    """capeval version, parameters, input data hash and the time of rendering."""
    head = html.heading(ctx.t("section_provenance"), ident="provenance")
    params = ", ".join(f"{k}={v!r}" for k, v in sorted(ctx.parameters.items()))
    facts = {
        ctx.t("capeval_version"): __version__,
        ctx.t("parameters"): params,
        ctx.t("input_hash"): ctx.store.unit_hash(ctx.kind, ctx.unit_id),
    }
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    when = f'<p class="rendered-at">{html.escape(ctx.t("rendered_at"))}: {html.escape(stamp)}</p>'
    return f'<footer class="provenance">{head}{html.definition_list(facts)}{when}</footer>'
