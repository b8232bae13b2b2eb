"""The waves section: per survey wave its year, respondents, partners answering, L1, L3 and activities."""

from __future__ import annotations

from typing import Any

import pandas as pd

from capeval.analysis.compare import LEVELS
from capeval.report import html
from capeval.report.charts import waves_figure
from capeval.report.common import all_hidden, hidden_sentence, no_data, numbers
from capeval.report.context import ReportContext


def unit_waves(ctx: ReportContext) -> pd.DataFrame:
    """The programme's waves with the unit's respondents, partners answering, L1, L3 and activities."""
    frame = ctx.data.answer_result("waves", ctx.min_group_size)  # waves_over_years of the programme's waves
    counts = {
        (int(row["wave"]), str(row["level"])): int(row["n_respondents"])
        for row in ctx.analyses.chain.to_dict("records")
    }
    for level in LEVELS:
        name = level.lower()
        frame[f"n_{name}"] = [counts.get((int(w), level), 0) for w in frame["wave"]]
        frame = ctx.decisions.mask(
            frame,
            family=f"level:{level}",
            key=ctx.scope,
            wave=list(frame["wave"]),
            n_column=f"n_{name}",
            value_columns=[name],
        ).drop(columns="reason")
    return frame


def waves_section(ctx: ReportContext) -> str:
    """Waves over the years: per wave its year, respondents, partners answering, L1, L3 and the year's activities."""
    head = html.heading(ctx.t("u_section_waves"), ident="waves")
    frame = unit_waves(ctx)
    if frame.empty or (int(frame["respondents"].sum()) == 0 and ctx.data["activities"].empty):
        return no_data(ctx, head)

    def year(value: Any) -> str:
        return "–" if pd.isna(value) else str(int(value))

    hidden = all_hidden(frame, ["l1", "l3"])  # no score column of dashes: one sentence says why
    scores = {} if hidden else {"l1": ctx.t("u_l1"), "l3": ctx.t("u_l3")}
    table = html.table(
        frame,
        {
            "label": ctx.t("wave"),
            "year": ctx.t("u_year"),
            "respondents": ctx.t("respondents"),
            "partners": ctx.t("u_partners_answering"),
            **scores,
            "activities": ctx.t("u_activities_in_year"),
        },
        formats={"year": year, "activities": year, **numbers(ctx, "l1", "l3", digits=0)},
        css="data waves",
    )
    small = ((frame["respondents"] > 0) & (frame["respondents"] < ctx.min_group_size)).any()
    note = html.paragraph(ctx.t("u_waves_suppressed", min=ctx.min_group_size), "note") if small else ""
    note = hidden_sentence(ctx, "compared") if hidden else note
    figure = waves_figure(ctx, frame)
    return "\n".join(p for p in (head, html.paragraph(ctx.t("u_waves_intro")), figure, table, note) if p)
