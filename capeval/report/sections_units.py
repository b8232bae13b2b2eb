"""Sections of the track and programme reports: units compared, headline figures, the
intervention mix and the waves over the years.

Scores per partner or track follow the one suppression rule (see :mod:`capeval.analysis.compare`);
no section here shows free text.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from capeval.analysis.compare import (
    compare_partners,
    compare_tracks,
    headline_figures,
    intervention_mix,
    waves_over_years,
)
from capeval.analysis.gaps import gap_benchmark, service_gaps
from capeval.i18n import number, t
from capeval.report import html
from capeval.report.context import ReportContext
from capeval.report.figures_units import mix_bars
from capeval.report.sections_common import no_data, numbers


def _percent(ctx: ReportContext, value: float) -> str:
    return "–" if pd.isna(value) else f"{ctx.n(100 * value, 0)} %"


def headline_items(figures: dict[str, float], language: str, min_group_size: int) -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs in ``language`` (for a report and the index)."""

    def whole(value: float) -> str:
        return number(value, language, 0)

    def share(value: float) -> str:
        return "–" if math.isnan(value) else f"{number(100 * value, language, 0)} %"

    top_two = figures["top_two_share"]
    if not math.isnan(top_two):
        top = t("u_hl_top_two_value", language, share=share(top_two), n=whole(figures["top_two_n"]))
    elif figures["top_two_n"] > 0:
        top = t("u_hl_top_two_hidden", language, min=min_group_size)
    else:
        top = t("u_hl_top_two_none", language)
    return [
        (t("u_hl_activities", language), whole(figures["activities"])),
        (t("u_hl_training_hours", language), whole(figures["training_hours"])),
        (t("u_hl_training_days", language), number(figures["training_days"], language, 1)),
        (t("u_hl_participants", language), whole(figures["participants"])),
        (t("u_hl_respondents", language), whole(figures["respondents"])),
        (t("u_hl_response_rate", language), share(figures["response_rate"])),
        (t("u_hl_top_two", language), top),
    ]


def unit_headline(ctx: ReportContext) -> dict[str, float]:
    data = ctx.data
    return headline_figures(data["activities"], data["responses"], data["items"], min_group_size=ctx.min_group_size)


def headline(ctx: ReportContext) -> str:
    """Headline figures: activities, training hours and days, people trained, response rate, top-two share."""
    head = html.heading(ctx.t("u_section_headline"), ident="headline")
    if ctx.data["activities"].empty and ctx.data["responses"].empty:
        return no_data(ctx, head)
    pairs = headline_items(unit_headline(ctx), ctx.language, ctx.min_group_size)
    rows = pd.DataFrame(pairs, columns=["measure", "value"])
    table = html.table(rows, {"measure": ctx.t("metric"), "value": ctx.name}, css="data headline-figures")
    return head + html.paragraph(ctx.t("u_headline_intro", name=ctx.name)) + table


def partner_comparison(ctx: ReportContext) -> pd.DataFrame:
    """The unit's partners side by side (see :func:`capeval.analysis.compare.compare_partners`)."""
    data = ctx.data
    return compare_partners(
        data["activities"],
        data["responses"],
        data["items"],
        data["portfolio"],
        data.partners,
        min_group_size=ctx.min_group_size,
    )


def partners_compared(ctx: ReportContext) -> str:
    """Partners compared: activities, participants, respondents, L1, L3 and largest gap, suppressed."""
    head = html.heading(ctx.t("u_section_partners"), ident="partners")
    if ctx.kind == "partner":
        return head + html.paragraph(ctx.t("u_partners_none"), "no-data")
    if ctx.data.partners.empty:
        return no_data(ctx, head)
    frame = partner_comparison(ctx)
    frame["largest_gap"] = [
        "–" if pd.isna(gap) else ctx.t("u_gap_value", service=ctx.service_label(str(service)), gap=ctx.n(gap))
        for service, gap in zip(frame["gap_service"], frame["gap"], strict=True)
    ]
    table = html.table(
        frame,
        {
            "name": ctx.t("partner"),
            "activities": ctx.t("activities"),
            "participants": ctx.t("participants"),
            "respondents": ctx.t("respondents"),
            "l1": ctx.t("u_l1"),
            "l3": ctx.t("u_l3"),
            "largest_gap": ctx.t("u_largest_gap"),
        },
        formats=numbers(ctx, "l1", "l3", digits=0),
    )
    parts = [
        head,
        html.paragraph(ctx.t("u_partners_intro")),
        table,
        _suppression_note(ctx, frame, "u_compare_suppressed"),
    ]
    return "\n".join(p for p in parts if p)


def hidden_counts(frame: pd.DataFrame, min_group_size: int) -> tuple[int, int]:
    """(groups under ``min_group_size`` respondents, groups with a score hidden for a total)."""
    return int((frame["respondents"] < min_group_size).sum()), int(frame["suppressed_complementary"].sum())


def _suppression_note(ctx: ReportContext, frame: pd.DataFrame, key: str) -> str:
    own, extra = hidden_counts(frame, ctx.min_group_size)
    if not frame["suppressed"].any():
        return ""
    return html.paragraph(ctx.t(key, min=ctx.min_group_size, k=own, c=extra), "note")


def track_comparison(ctx: ReportContext) -> pd.DataFrame:
    data = ctx.data
    return compare_tracks(
        data["activities"],
        data["responses"],
        data["items"],
        data.partners,
        data["tracks"],
        min_group_size=ctx.min_group_size,
    )


def tracks_compared(ctx: ReportContext) -> str:
    """Learning tracks compared: partners, activities, participants, respondents, L1 and L3, suppressed."""
    head = html.heading(ctx.t("u_section_tracks"), ident="tracks")
    if ctx.data.partners.empty or ctx.data["tracks"].empty:
        return no_data(ctx, head)
    frame = track_comparison(ctx)
    frame["name"] = [ctx.t("u_no_track") if tid == "" else name for tid, name in frame[["track_id", "name"]].values]
    table = html.table(
        frame,
        {
            "name": ctx.t("track"),
            "n_partners": ctx.t("u_n_partners"),
            "activities": ctx.t("activities"),
            "participants": ctx.t("participants"),
            "respondents": ctx.t("respondents"),
            "l1": ctx.t("u_l1"),
            "l3": ctx.t("u_l3"),
        },
        formats=numbers(ctx, "l1", "l3", digits=0),
    )
    note = _suppression_note(ctx, frame, "u_tracks_compared_suppressed")
    return "\n".join(p for p in (head, html.paragraph(ctx.t("u_tracks_intro")), table, note) if p)


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
        parts.append(html.figure(fig, alt))
    else:
        parts.append(html.paragraph(ctx.t("u_mix_no_figure", min=ctx.min_group_size), "note"))
    shown = wide.T.reset_index()
    shown.columns = [str(c) for c in shown.columns]
    shown[ctx.t("u_total")] = wide.sum(axis=0).to_numpy()
    headers = {"label": ctx.t("type"), **{str(y): str(y) for y in wide.index}, ctx.t("u_total"): ctx.t("u_total")}
    parts.append(html.table(shown, headers))
    return "\n".join(parts)


def unit_waves(ctx: ReportContext) -> pd.DataFrame:
    """The programme's waves with the unit's respondents, partners answering, L1, L3 and activities."""
    waves = pd.DataFrame([{"wave": w.id, "label": w.label, "year": w.year} for w in ctx.data.config.waves])
    data = ctx.data
    return waves_over_years(
        data["responses"], data["items"], data["activities"], waves, min_group_size=ctx.min_group_size
    )


def waves_section(ctx: ReportContext) -> str:
    """Waves over the years: per wave its year, respondents, partners answering, L1, L3 and the year's activities."""
    head = html.heading(ctx.t("u_section_waves"), ident="waves")
    frame = unit_waves(ctx)
    if frame.empty or (int(frame["respondents"].sum()) == 0 and ctx.data["activities"].empty):
        return no_data(ctx, head)

    def year(value: Any) -> str:
        return "–" if pd.isna(value) else str(int(value))

    table = html.table(
        frame,
        {
            "label": ctx.t("wave"),
            "year": ctx.t("u_year"),
            "respondents": ctx.t("respondents"),
            "partners": ctx.t("u_partners_answering"),
            "l1": ctx.t("u_l1"),
            "l3": ctx.t("u_l3"),
            "activities": ctx.t("u_activities_in_year"),
        },
        formats={"year": year, "activities": year, **numbers(ctx, "l1", "l3", digits=0)},
    )
    hidden = ((frame["respondents"] > 0) & (frame["respondents"] < ctx.min_group_size)).any()
    note = html.paragraph(ctx.t("u_waves_suppressed", min=ctx.min_group_size), "note") if hidden else ""
    return "\n".join(p for p in (head, html.paragraph(ctx.t("u_waves_intro")), table, note) if p)


def gaps_compared(ctx: ReportContext) -> str:
    """Capacity gaps across the unit's partners: median and quartiles per service, from min_group_size partners."""
    head = html.heading(ctx.t("section_gaps"), ident="gaps")
    gaps = service_gaps(ctx.data["portfolio"])
    if gaps.empty:
        return no_data(ctx, head)
    wave = int(gaps["wave"].max())
    bench = gap_benchmark(gaps[gaps["wave"] == wave], min_partners=ctx.min_group_size)
    n = int(gaps.loc[gaps["wave"] == wave, "partner_id"].nunique())
    intro = html.paragraph(ctx.t("u_gaps_intro", n=n, wave=wave, min=ctx.min_group_size))
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
