"""The criteria section: OECD DAC and EU added value, score and strength of evidence per criterion."""

from __future__ import annotations

import pandas as pd

from capeval.report import html
from capeval.report.charts import criteria_figure
from capeval.report.common import (
    all_hidden,
    hidden_sentence,
    no_data,
    numbers,
    programme_benchmark,
    suppressed_note,
    unit_costs_shown,
)
from capeval.report.context import ReportContext


def criteria(ctx: ReportContext) -> str:
    """Criteria matrix: OECD DAC and EU added value, score and strength of evidence per criterion."""
    head = html.heading(ctx.t("section_criteria"), ident="criteria")
    tables = ctx.data.tables
    if not ctx.data.has("responses") and all(
        tables[n].empty for n in ("activities", "portfolio", "scaling", "lessons")
    ):
        return no_data(ctx, head)
    matrix = ctx.analyses.criteria
    bench = programme_benchmark(ctx, "criteria", "criterion:{criterion}", n_column="n_respondents")
    shown = matrix.merge(
        bench[["criterion", "score"]].rename(columns={"score": "programme"}), on="criterion", how="left"
    )
    shown["label"] = [ctx.t(f"criterion_{c}") for c in shown["criterion"]]
    efficiency = _efficiency_figure(ctx)
    shown["score_shown"] = [
        efficiency
        if c == "efficiency" and efficiency and pd.isna(v)
        else ctx.t("no_evidence")
        if s == "none"
        else ctx.n(v)
        for c, s, v in zip(shown["criterion"], shown["strength"], shown["score"], strict=True)
    ]
    shown["strength_label"] = [ctx.t(f"strength_{s}") for s in shown["strength"]]
    shown["source_labels"] = [
        ", ".join(ctx.t(f"source_{name}") for name in str(names).split(", ") if name) or "–"
        for names in shown["sources"]
    ]
    evidence = shown[shown["strength"] != "none"]
    if all_hidden(
        evidence.assign(shown_value=evidence["score_shown"].where(evidence["score_shown"] != "–")), ["shown_value"]
    ):
        return head + hidden_sentence(ctx, "criteria")
    table = html.table(
        shown,
        {
            "label": ctx.t("criterion"),
            "score_shown": ctx.t("score_pct"),
            "strength_label": ctx.t("strength"),
            "n_items": ctx.t("n_items"),
            "n_respondents": ctx.t("respondents"),
            "source_labels": ctx.t("sources"),
            "programme": ctx.t("programme_score"),
        },
        formats=numbers(ctx, "programme"),
        css="data criteria",
    )
    return "\n".join(
        p
        for p in (
            head,
            html.paragraph(ctx.t("criteria_intro")),
            criteria_figure(ctx, shown),
            table,
            suppressed_note(ctx, matrix),
        )
        if p
    )


def _efficiency_figure(ctx: ReportContext) -> str:
    """Where no survey item scores efficiency but costs are known: the cost per participation against
    the programme median (as the activities section shows it), instead of "no evidence"."""
    acts = ctx.data["activities"]
    if acts.empty or "cost_eur" not in acts or not acts["cost_eur"].notna().any() or not unit_costs_shown(ctx):
        return ""
    figure = ctx.analyses.efficiency.set_index("metric")
    if "cost_per_participant" not in figure.index or pd.isna(figure.loc["cost_per_participant", "value"]):
        return ""
    row = figure.loc["cost_per_participant"]
    return ctx.t(
        "criteria_efficiency_value",
        value=ctx.n(float(row["value"]), 0),
        median=ctx.n(float(row["median"]), 0),
        k=ctx.n(int(row["n_costed"]), 0),
    )
