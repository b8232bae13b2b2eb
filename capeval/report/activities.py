"""The activities section: what was done, whom it reached and what it cost, beside the programme.

Programme aggregates of activity figures are shown beside a unit only as
:func:`capeval.analysis.activities.unit_benchmark` allows (enough partners outside the unit), and
every cost figure says how many activities it rests on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from capeval.analysis.activities import METRICS, activity_mix
from capeval.i18n import signed_percent
from capeval.report import html
from capeval.report.common import costed_partners, unit_costs_shown, wave_label
from capeval.report.context import ReportContext


def activities(ctx: ReportContext) -> str:
    """Activities and reach: the unit's participations, hours and costs (with how many activities have
    them), beside the programme median and total where enough other partners stand behind them; the
    cost per participant and per participant-hour; the mix of activity types; respondents per wave."""
    head = html.heading(ctx.t("section_activities"), ident="activities")
    acts = ctx.data["activities"]
    if acts.empty:
        return head + html.paragraph(ctx.t("no_data"), "no-data")
    totals = ctx.analyses.activity_totals
    bench = ctx.analyses.activity_benchmark
    parts = [
        head,
        html.paragraph(_intro(ctx, totals)),
        _benchmark_table(ctx, totals, bench),
        _hidden_note(ctx, bench),
        _efficiency(ctx, totals, bench),
        _mix_table(ctx, acts),
        _reach_table(ctx),
    ]
    return "\n".join(p for p in parts if p)


def _intro(ctx: ReportContext, totals: pd.Series) -> str:
    """What the unit did, in participations, and how many activities have hours and a cost."""
    n = int(totals["activities"])
    sentences = [
        ctx.t(
            "kpi_activities_intro",
            n=ctx.n(n, 0),
            p=ctx.n(int(totals["participants"]), 0),
            h=ctx.n(float(totals["participant_hours"]), 0),
        )
    ]
    timed, costed = int(totals["timed"]), int(totals["costed"])
    if timed < n:
        sentences.append(ctx.t("kpi_hours_some", k=ctx.n(timed, 0), n=ctx.n(n, 0)))
    cost = ctx.n(float(totals["cost_eur"]), 0)
    if costed and not unit_costs_shown(ctx):
        sentences.append(ctx.t("kpi_costs_hidden", k=costed_partners(ctx), min=ctx.min_group_size))
    elif costed == n:
        sentences.append(ctx.t("kpi_costs_all", n=ctx.n(n, 0), cost=cost))
    elif costed:
        sentences.append(ctx.t("kpi_costs_some", k=ctx.n(costed, 0), n=ctx.n(n, 0), m=ctx.n(n - costed, 0), cost=cost))
    else:
        sentences.append(ctx.t("kpi_costs_none"))
    return " ".join(sentences)


def _benchmark_table(ctx: ReportContext, totals: pd.Series, bench: pd.DataFrame) -> str:
    """The unit's totals beside the programme median per partner (and, outside the programme report, its total)."""
    rows = bench[bench["metric"].isin(METRICS)].set_index("metric").reindex(list(METRICS))
    shown = unit_costs_shown(ctx)
    frame = pd.DataFrame(
        {
            "metric": [ctx.t(f"kpi_m_{m}") for m in METRICS],
            "mine": [float("nan") if m == "cost_eur" and not shown else float(totals[m]) for m in METRICS],
            "median": rows["median"].to_numpy(),
            "total": rows["total"].to_numpy(),
        }
    )
    headers = {
        "metric": ctx.t("metric"),
        "mine": ctx.t("this_partner") if ctx.kind == "partner" else ctx.name,
        "median": ctx.t("kpi_median_per_partner"),
    }
    if ctx.kind != "programme":  # the programme's own column is its total
        headers["total"] = ctx.t("programme_total")
    return html.table(frame, headers, formats=dict.fromkeys(("mine", "median", "total"), lambda v: ctx.n(v, 0)))


def _hidden_note(ctx: ReportContext, bench: pd.DataFrame) -> str:
    """Why a programme figure shows "–": too few partners outside the unit (or in the programme) behind it."""
    if not bool(bench["suppressed"].any()):
        return ""
    if ctx.kind == "programme":
        return html.paragraph(ctx.t("kpi_bench_hidden_programme", min=ctx.min_group_size), "note")
    others = bench.set_index("metric")["n_others"]
    key = "kpi_bench_hidden_partner" if ctx.kind == "partner" else "kpi_bench_hidden_track"
    text = ctx.t(key, min=ctx.min_group_size, a=int(others["activities"]), c=int(others["cost_eur"]))
    return html.paragraph(text, "note")


def _efficiency(ctx: ReportContext, totals: pd.Series, bench: pd.DataFrame) -> str:
    """Cost per participant and per participant-hour of the costed activities, against the programme median."""
    head = html.heading(ctx.t("kpi_efficiency_title"), 3, ident="efficiency")
    if int(totals["costed"]) == 0:
        return head + html.paragraph(ctx.t("kpi_efficiency_none"), "no-data")
    if not unit_costs_shown(ctx):
        return head + html.paragraph(ctx.t("kpi_efficiency_hidden"), "no-data")
    figures = ctx.analyses.efficiency.copy()  # the criteria section shows it too
    first = figures.iloc[0]
    intro = ctx.t(
        "kpi_efficiency_intro",
        k=ctx.n(int(first["n_costed"]), 0),
        cost=ctx.n(float(first["cost_eur"]), 0),
        p=ctx.n(float(first["base"]), 0),
        n=ctx.n(int(first["n_partners"]), 0),
    )
    figures["label"] = [ctx.t(f"kpi_m_{m}") for m in figures["metric"]]
    figures["vs"] = figures["value"] / figures["median"] - 1
    # whole euros per participant; a participant-hour often costs a few euros: one decimal
    digits = [0 if m == "cost_per_participant" else 1 for m in figures["metric"]]
    for column in ("value", "median"):
        figures[column] = [ctx.n(v, d) for v, d in zip(figures[column], digits, strict=True)]

    def percent(value: Any) -> str:
        return signed_percent(None if value is None or pd.isna(value) else float(value), ctx.language)

    table = html.table(
        figures,
        {
            "label": ctx.t("metric"),
            "value": ctx.t("this_partner") if ctx.kind == "partner" else ctx.name,
            "median": ctx.t("kpi_median_per_partner"),
            "vs": ctx.t("kpi_vs_median"),
        },
        formats={"vs": percent},
    )
    return head + html.paragraph(intro) + table


def _mix_table(ctx: ReportContext, acts: pd.DataFrame) -> str:
    """Per activity type: activities, participations, hours, how many have a cost and the cost of those."""
    mix = activity_mix(acts)
    mix["type"] = [ctx.activity_label(v) for v in mix["type"]]
    headers = {
        "type": ctx.t("type"),
        "activities": ctx.t("activities"),
        "participants": ctx.t("kpi_m_participants"),
        "hours": ctx.t("hours"),
        "costed": ctx.t("kpi_mix_costed"),
        "cost_eur": ctx.t("kpi_mix_cost"),
    }
    if not unit_costs_shown(ctx):  # a type's cost may be one activity's, so one partner's
        del headers["costed"], headers["cost_eur"]
    return html.table(
        mix[list(headers)],
        headers,
        formats=dict.fromkeys(("activities", "participants", "hours", "costed", "cost_eur"), lambda v: ctx.n(v, 0)),
    )


def _reach_table(ctx: ReportContext) -> str:
    """Distinct respondents per wave."""
    reach = ctx.data.answer_result("respondents_per_wave", ctx.min_group_size)  # stored for a large programme
    if reach.empty:
        return ""
    reach["wave"] = [wave_label(ctx, w) for w in reach["wave"]]
    return html.table(reach, {"wave": ctx.t("wave"), "respondents": ctx.t("respondents")})
