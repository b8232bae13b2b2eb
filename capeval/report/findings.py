"""Key findings: three to eight generated sentences, each naming the figure behind it."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.activities import activity_summary
from capeval.analysis.kirkpatrick import HIGH_L1, LOW_L3
from capeval.report import html
from capeval.report.actions import ranked_actions
from capeval.report.common import (
    base_sentence,
    ingredient_label,
    percent,
    wave_label,
)
from capeval.report.context import ReportContext
from capeval.report.headline import question_text
from capeval.report.standing_out import synthesis_findings

MAX_FINDINGS = 9  # the internal programme report: reach, headline, chain, five of its synthesis, the first action


def key_findings(ctx: ReportContext) -> str:
    """The findings a reader needs first, from the same analyses as the sections below."""
    head = html.heading(ctx.t("section_findings"), ident="findings")
    found = (
        _reach(ctx),
        _units(ctx),
        _chain(ctx),
        *synthesis_findings(ctx),  # a track's or the programme's: what stands out across its units
        _gap(ctx),
        _bottleneck(ctx),
        _action(ctx),
    )
    sentences = [s for s in found if s]
    if not sentences:
        return head + html.paragraph(ctx.t("no_data"), "no-data")
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences[:MAX_FINDINGS])
    return f'{head}<ul class="findings">{items}</ul>'


def _reach(ctx: ReportContext) -> str:
    acts = ctx.data["activities"]
    if acts.empty:
        return ""
    totals = activity_summary(acts, ctx.data.partners).drop(columns="partner_id").sum()
    respondents = ctx.data.answer_result("counts", ctx.min_group_size)["respondents"].iloc[0]
    return ctx.t(
        "kf_reach",
        n=ctx.n(int(totals["activities"]), 0),
        p=ctx.n(int(totals["participants"]), 0),
        people=ctx.t("kf_reach_people", r=ctx.n(int(respondents), 0)),
    )


def _units(ctx: ReportContext) -> str:
    """Track: the spread of reaction scores across its partners; programme: the top-two share."""
    if ctx.kind == "track" and len(ctx.data.partners) > 1:
        frame = ctx.analyses.partner_comparison.copy()
        shown = frame["l1"].dropna()
        wave = wave_label(ctx, frame["wave"].dropna().iloc[0]) if frame["wave"].notna().any() else "–"
        if shown.empty:
            return ctx.t("u_kf_partners_none", n=len(frame), wave=wave)
        return ctx.t(
            "u_kf_partners",
            k=len(shown),
            n=len(frame),
            wave=wave,
            low=ctx.n(float(shown.min()), 0),
            high=ctx.n(float(shown.max()), 0),
            respondents=ctx.n(int(frame.loc[frame["l1"].notna(), "n_l1"].sum()), 0),
        )
    if ctx.kind == "programme":
        return _headline_sentence(ctx)
    return ""


def _headline_sentence(ctx: ReportContext) -> str:
    """The rating question's top-two share in the latest wave that shows one, with its n, and the response rate."""
    figures = ctx.analyses.headline
    shown = figures.rating.dropna(subset=["share"])
    if figures.rating_item is None or shown.empty or pd.isna(figures.response_rate):
        return ""
    latest = shown.sort_values("wave").iloc[-1]
    return ctx.t(
        "kpi_kf_headline",
        share=percent(ctx, float(latest["share"])),
        n=ctx.n(int(latest["n_respondents"]), 0),
        question=question_text(ctx.data["items"], figures.rating_item, ctx.language),
        wave=wave_label(ctx, latest["wave"]),
        rate=percent(ctx, figures.response_rate),
        r=ctx.n(figures.rate_responses, 0),
        p=ctx.n(figures.rate_participations, 0),
    )


def _chain(ctx: ReportContext) -> str:
    """The verdict of the latest wave that has one, with both levels' n (and intervals where it matters)."""
    chain = ctx.analyses.broken_chain
    judged = chain[chain["verdict"] != "insufficient"] if len(chain) else chain
    if judged.empty:
        return ""
    latest = judged.sort_values("wave").iloc[-1]
    values = {
        f"{level}{part}": ctx.n(latest[f"{level}{part}"])
        for level in ("l1", "l3")
        for part in ("", "_ci_low", "_ci_high")
    }
    return ctx.t(
        f"kf_chain_{latest['verdict']}",
        wave=wave_label(ctx, latest["wave"]),
        n1=int(latest["n_l1"]),
        n3=int(latest["n_l3"]),
        high=ctx.n(HIGH_L1, 0),
        low=ctx.n(LOW_L3, 0),
        **values,
    )


def _gap(ctx: ReportContext) -> str:
    gaps = ctx.analyses.gaps
    if gaps.empty:
        return ""
    latest = gaps[gaps["wave"] == gaps["wave"].max()].sort_values(["gap", "service"], ascending=[False, True])
    if latest["gap"].isna().all():  # a personal portfolio of too few respondents: no gap to name
        return ""
    top = latest.iloc[0]
    bench = ctx.data.benchmarks.get("gaps", pd.DataFrame(columns=["wave", "service", "median_gap"]))
    median = bench.loc[(bench["wave"] == top["wave"]) & (bench["service"] == top["service"]), "median_gap"]
    n = int(top["n_respondents"])
    text = ctx.t(
        "kf_gap",
        service=ctx.service_label(str(top["service"])),
        gap=ctx.n(top["gap"]),
        median=ctx.n(float(median.iloc[0]) if len(median) else None),
        n=n,
    )
    return _with_base(text, base_sentence(ctx, n))


def _bottleneck(ctx: ReportContext) -> str:
    neck = ctx.analyses.bottleneck
    if neck.empty:
        return ""
    latest = neck[neck["wave"] == neck["wave"].max()]
    names = " / ".join(ingredient_label(ctx, str(i)) for i in latest["ingredient"])
    low, high = ctx.n(float(latest["mean"].min())), ctx.n(float(latest["mean"].max()))
    n = int(latest["n_raters"].min())
    text = ctx.t("kf_bottleneck", ingredient=names, mean=low if low == high else f"{low}–{high}", n=n)
    return _with_base(text, base_sentence(ctx, n, "raters"))


def _action(ctx: ReportContext) -> str:
    ranked = ranked_actions(ctx)
    if ranked.empty:
        return ""
    first = ranked.iloc[0]
    return ctx.t("kf_action", action=str(first["action"]), trigger=str(first["trigger"]))


def _with_base(text: str, base: str) -> str:
    return f"{text} {base}" if base else text
