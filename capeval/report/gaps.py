"""The capacity-gaps section of a partner report: gaps against the programme median, areas of least
consensus, and the change from baseline to follow-up."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.gaps import respondents_by_wave
from capeval.report import html
from capeval.report.charts import portfolio_figure, quality_text
from capeval.report.common import (
    all_hidden,
    base_sentence,
    baseline_and_follow_up,
    hidden_sentence,
    numbers,
    unit_min_change,
    wave_label,
)
from capeval.report.context import ReportContext

GAP_VALUES = ["gap", "quality_now", "quality_desired"]  # what a personal portfolio of too few respondents hides


def gaps(ctx: ReportContext) -> str:
    """Service-portfolio gaps against the programme, areas of least consensus, baseline to follow-up."""
    base = _against_programme(ctx)
    flagged = ctx.analyses.gaps
    if flagged.empty or ctx.kind != "partner" or _all_hidden(ctx, _own_latest(ctx)):
        return base
    return "\n".join(p for p in (base, _least_consensus(ctx), _wave_change(ctx)) if p)


def _against_programme(ctx: ReportContext) -> str:
    """Service-portfolio gaps of the latest wave, against the programme median."""
    head = html.heading(ctx.t("section_gaps"), ident="gaps")
    portfolio = ctx.data["portfolio"]
    if portfolio.empty or ctx.kind != "partner":
        return head + html.paragraph(ctx.t("no_data"), "no-data")
    mine = _own_latest(ctx)
    if _all_hidden(ctx, mine):
        return head + hidden_sentence(ctx, "gaps", "portfolio")
    wave = int(mine["wave"].max())
    mine["label"] = mine["service"].map(ctx.service_label)
    bench = ctx.data.benchmarks["gaps"]
    wave_bench = bench[bench["wave"] == wave]
    n_partners = int(wave_bench["n_partners"].max()) if len(wave_bench) else 0
    parts = [head, html.paragraph(ctx.t("gap_intro", wave=wave_label(ctx, wave), n=n_partners))]
    if wave_bench["suppressed"].any():
        parts.append(html.paragraph(ctx.t("benchmark_suppressed", min=ctx.min_group_size), "note"))
    top = mine.iloc[0]
    parts.append(portfolio_figure(ctx, mine, wave))
    parts.append(
        html.paragraph(
            ctx.t("gap_largest", service=top["label"], gap=ctx.n(top["gap"]), vs=_versus(ctx, top["vs_median"]))
        )
    )
    yes_no = {True: ctx.t("answer_yes"), False: ctx.t("answer_no")}
    shown = mine.assign(
        offered=[yes_no[bool(v >= 0.5)] for v in mine["offered_now"]],
        # a service nobody offers is "not offered", not quality 0 on the 1-10 scale
        now_shown=[quality_text(ctx, row, "now") for row in mine.to_dict("records")],
        desired_shown=[quality_text(ctx, row, "desired") for row in mine.to_dict("records")],
    )
    parts.append(
        html.table(
            shown,
            {
                "rank": ctx.t("rank"),
                "label": ctx.t("service"),
                "offered": ctx.t("offered_now"),
                "now_shown": ctx.t("quality_now"),
                "desired_shown": ctx.t("quality_desired"),
                "gap": ctx.t("gap"),
                "median_gap": ctx.t("programme_median"),
                "vs_median": ctx.t("vs_median"),
            },
            formats=dict.fromkeys(("gap", "median_gap", "vs_median"), ctx.n),
        )
    )
    return "\n".join(parts)


def _own_latest(ctx: ReportContext) -> pd.DataFrame:
    """The partner's gaps in the latest wave beside the programme median (as released: a personal
    portfolio of too few respondents has its values blanked)."""
    return ctx.analyses.own_gaps.copy()  # a copy: the section adds its labels


def _all_hidden(ctx: ReportContext, mine: pd.DataFrame) -> bool:
    """Whether the personal-portfolio rule hid every gap of the partner's latest wave."""
    return ctx.data.config.privacy.portfolio == "personal" and all_hidden(mine, GAP_VALUES)


def _versus(ctx: ReportContext, difference: float) -> str:
    if pd.isna(difference):
        return ctx.t("benchmark_suppressed", min=ctx.min_group_size)
    if abs(difference) < 0.05:
        return ctx.t("equal_to")
    return ctx.t("above" if difference > 0 else "below", d=ctx.n(abs(difference)))


def _least_consensus(ctx: ReportContext) -> str:
    flagged = ctx.analyses.gaps
    latest = flagged[flagged["wave"] == flagged["wave"].max()]
    title = html.heading(ctx.t("consensus_title"), 3, ident="gaps-consensus")
    spread = ctx.n(ctx.options.consensus_spread)
    hits = latest[latest["least_consensus"]].assign(label=lambda f: f["service"].map(ctx.service_label))
    compared = latest[latest["consensus"] != "single"]
    n_single = len(latest) - len(compared)
    if hits.empty:
        if compared.empty:  # one answer per service: agreement cannot be judged
            return title + html.paragraph(ctx.t("consensus_single"), "note")
        text = ctx.t("consensus_none", spread=spread)
        if n_single:
            text += " " + ctx.t("consensus_some_single", k=n_single)
        return title + html.paragraph(" ".join(filter(None, (text, _smallest_base(ctx, compared["n_respondents"])))))
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
    note = _smallest_base(ctx, hits["n_respondents"])
    return (
        title
        + html.paragraph(ctx.t("consensus_intro", spread=spread))
        + table
        + (html.paragraph(note, "note") if note else "")
    )


def _smallest_base(ctx: ReportContext, n: pd.Series) -> str:
    """The base sentence of the claims resting on the fewest respondents ("" when all reach the minimum)."""
    shown = n.dropna()
    return base_sentence(ctx, int(shown.min())) if len(shown) else ""


def _wave_change(ctx: ReportContext) -> str:
    baseline, follow_up = baseline_and_follow_up(ctx)
    title = html.heading(ctx.t("gap_change_title"), 3, ident="gaps-change")
    change = ctx.analyses.gap_change
    if baseline == follow_up or change.empty or change["change"].isna().all():
        return title + html.paragraph(ctx.t("gap_change_none"), "no-data")
    shown = change[change["change"].notna()].assign(label=lambda f: f["service"].map(ctx.service_label))
    shown["effect_label"] = [ctx.t(f"gap_effect_{e}") for e in shown["effect"]]
    shown = shown.sort_values(["change", "label"], kind="stable")
    labels = {"baseline": wave_label(ctx, baseline), "follow_up": wave_label(ctx, follow_up)}
    intro = " ".join(
        (
            ctx.t("gap_change_intro", **labels),
            ctx.t("gap_change_rule", min=ctx.n(unit_min_change(ctx).points_10)),
            _respondent_sets(ctx, baseline, follow_up, labels),
        )
    )
    table = html.table(
        shown,
        {
            "label": ctx.t("service"),
            "gap_baseline": labels["baseline"],
            "gap_follow_up": labels["follow_up"],
            "change": ctx.t("change"),
            "effect_label": ctx.t("gap_effect"),
            "n_compared": ctx.t("respondents_compared"),
            "quality_change": ctx.t("quality_change"),
        },
        formats=numbers(ctx, "gap_baseline", "gap_follow_up", "change", "quality_change"),
    )
    weakest = shown.sort_values("n_compared", kind="stable").iloc[0]
    paired = str(weakest["compared"]) in ("same", "paired")
    note = base_sentence(ctx, int(weakest["n_compared"]), "paired" if paired else "unpaired")
    return title + html.paragraph(intro) + table + (html.paragraph(note, "note") if note else "")


def _respondent_sets(ctx: ReportContext, baseline: int, follow_up: int, labels: dict[str, str]) -> str:
    """Whom the change compares: the same respondents, those who answered both waves, or different people."""
    sets = respondents_by_wave(ctx.data["portfolio"], baseline=baseline, follow_up=follow_up)
    mine = sets[sets["partner_id"] == ctx.unit_id]
    if mine.empty:
        return ""
    row = mine.iloc[0]
    counts = {"n_baseline": int(row["n_baseline"]), "n_follow_up": int(row["n_follow_up"]), "n": int(row["n_both"])}
    if counts["n"] == counts["n_baseline"] == counts["n_follow_up"]:
        return ctx.t("gap_change_same", **counts)
    key = "gap_change_paired" if counts["n"] else "gap_change_unpaired"
    return ctx.t(key, **counts, **labels)
