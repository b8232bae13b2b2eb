"""The Kirkpatrick section: L1-L4 per wave against the programme, the broken-chain flag, pre/post change."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.kirkpatrick import HIGH_L1, LOW_L3
from capeval.report import html
from capeval.report.charts import chain_figure
from capeval.report.common import (
    all_hidden,
    hidden_sentence,
    no_data,
    numbers,
    programme_benchmark,
    released,
    suppressed_note,
    wave_label,
)
from capeval.report.context import ReportContext


def kirkpatrick(ctx: ReportContext) -> str:
    """Kirkpatrick chain: L1-L4 per wave against the programme, the broken-chain flag, pre/post change."""
    head = html.heading(ctx.t("section_kirkpatrick"), ident="kirkpatrick")
    chain = ctx.analyses.chain
    if chain.empty:
        return no_data(ctx, head)
    bench = programme_benchmark(ctx, "kirkpatrick", "level:{level}", n_column="n_respondents")
    shown = chain.merge(
        bench[["wave", "level", "mean", "median"]].rename(columns={"mean": "programme", "median": "partner_median"}),
        on=["wave", "level"],
        how="left",
    )
    shown["wave_label"] = [wave_label(ctx, w) for w in shown["wave"]]
    shown["level_label"] = [level_label(ctx, level) for level in shown["level"]]
    shown["ci"] = [interval(ctx, low, high) for low, high in shown[["ci_low", "ci_high"]].values]
    parts = [head, html.paragraph(ctx.t("kirkpatrick_intro")), _chain_flag(ctx)]
    if all_hidden(chain, ["mean"]):
        parts.append(hidden_sentence(ctx, "levels"))
    else:
        parts.append(chain_figure(ctx, shown))
        parts.append(_chain_table(ctx, shown))
        parts.append(suppressed_note(ctx, chain))
    parts.append(_dimensions(ctx))
    parts.append(_change(ctx))
    return "\n".join(p for p in parts if p)


def _chain_table(ctx: ReportContext, shown: pd.DataFrame) -> str:
    """The chain per wave and level: n, score, its 95 % interval, the programme's mean and the partners'
    median (the programme report, whose score is the programme's mean, shows only the partners' median)."""
    headers = {
        "wave_label": ctx.t("wave"),
        "level_label": ctx.t("level"),
        "n_respondents": ctx.t("respondents"),
        "mean": ctx.t("score_pct"),
        "ci": ctx.t("ci95"),
    }
    if ctx.kind == "programme":
        headers["partner_median"] = ctx.t("partners_median")
    else:
        headers |= {"programme": ctx.t("programme_mean"), "partner_median": ctx.t("programme_median")}
    return html.table(shown, headers, formats=numbers(ctx, "mean", "programme", "partner_median"), css="data kp-chain")


def level_label(ctx: ReportContext, level: str) -> str:
    """A level's name, marked where it is measured by self-report beside reaction (L3, L4)."""
    name = ctx.t(f"level_{level}")
    return ctx.t("level_self_reported", level=name) if level in ctx.analyses.self_reported_levels else name


def interval(ctx: ReportContext, low: float, high: float) -> str:
    """A 95 % interval as the reader writes it ("–" when hidden or unknown)."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    key = "ci_range_signed" if low < 0 else "ci_range"  # "−1.4 to 8.2": a dash after a minus reads badly
    return ctx.t(key, low=ctx.n(low), high=ctx.n(high))


def _chain_flag(ctx: ReportContext) -> str:
    """The chain verdict of the latest wave that has one: broken, borderline (a threshold within a
    95 % interval) or not broken, with the scores, their intervals and n; else why it cannot be judged."""
    flags = ctx.analyses.broken_chain
    judged = flags[flags["verdict"] != "insufficient"] if len(flags) else flags
    if judged.empty:
        return html.paragraph(ctx.t("chain_unknown"), "note")
    latest = judged.sort_values("wave").iloc[-1]
    values = {
        f"{level}{part}": ctx.n(latest[f"{level}{part}"])
        for level in ("l1", "l3")
        for part in ("", "_ci_low", "_ci_high")
    }
    values |= {"high": ctx.n(HIGH_L1, 0), "low": ctx.n(LOW_L3, 0), "wave": wave_label(ctx, latest["wave"])}
    verdict = str(latest["verdict"])
    text = ctx.t(f"chain_{verdict}", n1=int(latest["n_l1"]), n3=int(latest["n_l3"]), **values)
    return html.paragraph(text, {"broken": "flag", "borderline": "note"}.get(verdict, ""))


def _dimensions(ctx: ReportContext) -> str:
    dims = ctx.data.answer_result("dimensions", ctx.min_group_size)  # kirkpatrick_dimensions of the unit
    dims = released(ctx, dims, "dimension:{level}:{dimension}", n_column="n_respondents")
    if dims.empty:
        return ""
    latest = dims[dims["wave"] == dims["wave"].max()].copy()
    title = html.heading(ctx.t("dimensions_title", wave=wave_label(ctx, latest["wave"].iloc[0])), 3, ident="kp-dims")
    if all_hidden(latest, ["mean"]):
        return title + hidden_sentence(ctx, "dimensions")
    latest["level_label"] = [ctx.t(f"level_{level}") for level in latest["level"]]
    latest["dimension"] = [_first_upper(ctx.dimension_label(d)) for d in latest["dimension"]]
    table = html.table(
        latest,
        {
            "level_label": ctx.t("level"),
            "dimension": ctx.t("dimension"),
            "n_respondents": ctx.t("respondents"),
            "mean": ctx.t("score_pct"),
        },
        formats=numbers(ctx, "mean"),
        css="data kp-dims",
    )
    return title + table


def _first_upper(label: str) -> str:
    """A label that opens a table cell, capitalised like the programme's own labels beside it."""
    return label[:1].upper() + label[1:]


def _change(ctx: ReportContext) -> str:
    change = ctx.analyses.change
    title = html.heading(ctx.t("change_title"), 3, ident="kp-change")
    if change.empty or int(change["n_paired"].sum()) == 0:
        return title + html.paragraph(ctx.t("change_none"), "no-data")
    if all_hidden(change, ["mean_pre", "mean_post", "mean_change", "conservative_change"]):
        return title + hidden_sentence(ctx, "change", "paired")
    bench = programme_benchmark(ctx, "kirkpatrick_change", "change:{level}", n_column="n_paired")
    shown = change.merge(
        bench[["level", "conservative_change"]].rename(columns={"conservative_change": "programme"}),
        on="level",
        how="left",
    )
    shown["level_label"] = [level_label(ctx, level) for level in shown["level"]]
    shown["ci"] = [interval(ctx, low, high) for low, high in shown[["ci_low", "ci_high"]].values]
    headers = {
        "level_label": ctx.t("level"),
        "n_paired": ctx.t("paired"),
        "n_lost": ctx.t("lost"),
        "mean_pre": ctx.t("before"),
        "mean_post": ctx.t("after"),
        "mean_change": ctx.t("change"),
        "ci": ctx.t("ci95_change"),  # beside the change it belongs to
        "conservative_change": ctx.t("conservative_change"),
    }
    if ctx.kind != "programme":  # the programme's own row would repeat the column beside it
        headers["programme"] = ctx.t("programme_conservative")
    if shown["attributed_change"].notna().any():
        headers["attributed_change"] = ctx.t("attributed_change")
    values = ("mean_pre", "mean_post", "mean_change", "conservative_change", "programme", "attributed_change")
    table = html.table(shown, headers, formats=numbers(ctx, *values), css="data kp-change")
    return title + html.paragraph(ctx.t("change_intro")) + table + suppressed_note(ctx, change)
