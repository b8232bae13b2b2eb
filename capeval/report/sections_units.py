"""Sections of the track and programme reports: units compared, headline figures, the
intervention mix and the waves over the years.

Scores per partner or track follow the one suppression rule (see :mod:`capeval.analysis.compare`);
no section here shows free text.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from capeval.analysis.compare import (
    LEVELS,
    HeadlineFigures,
    compare_partners,
    compare_tracks,
    headline_figures,
    intervention_mix,
    waves_over_years,
)
from capeval.analysis.gaps import gap_benchmark, service_gaps
from capeval.analysis.privacy import COMPLEMENTARY_REASON, NOT_RELEASED, SMALL
from capeval.analysis.release import Release, scope_key
from capeval.i18n import number, t
from capeval.report import html
from capeval.report.context import ReportContext
from capeval.report.figures_units import mix_bars
from capeval.report.sections_common import no_data, numbers, released_gaps, unit_chain, wave_label


def _percent(ctx: ReportContext, value: float) -> str:
    return "–" if pd.isna(value) else f"{ctx.n(100 * value, 0)} %"


def question_text(items: pd.DataFrame, item_id: str, language: str) -> str:
    """An item's question in ``language`` (the other language when it has no text in this one)."""
    row = items.loc[items["item_id"].astype(str) == item_id].iloc[0]
    first, second = ("text_nl", "text_en") if language == "nl" else ("text_en", "text_nl")
    text = row[first] if not pd.isna(row[first]) else row[second]
    return str(text).split(" [", 1)[0]  # "Question? [select all that apply] Option" -> the question


def headline_items(
    figures: HeadlineFigures,
    items: pd.DataFrame,
    *,
    language: str,
    min_group_size: int,
    wave_labels: Mapping[int, str],
) -> list[tuple[str, str, str]]:
    """The headline figures as (label, value, what it counts) in ``language``, for a report and the index;
    the rating question once per wave, the latest wave first."""

    def whole(value: float) -> str:
        return number(value, language, 0)

    def share(value: float) -> str:
        return "–" if math.isnan(value) else f"{number(100 * value, language, 0)} %"

    hours_basis = (
        t("kpi_hl_hours_basis", language)
        if figures.timed_activities == figures.activities
        else t("kpi_hl_hours_some", language, k=whole(figures.timed_activities), n=whole(figures.activities))
    )
    rate_basis = (
        t(
            "kpi_hl_rate_basis",
            language,
            r=whole(figures.rate_responses),
            p=whole(figures.rate_participations),
            n=whole(figures.rate_activities),
        )
        if figures.rate_participations
        else t("kpi_hl_rate_none", language)
    )
    out = [
        (t("kpi_hl_activities", language), whole(figures.activities), t("kpi_hl_activities_basis", language)),
        (t("kpi_hl_training_hours", language), whole(figures.training_hours), hours_basis),
        (
            t("kpi_hl_training_days", language),
            number(figures.training_days, language, 1),
            t("kpi_hl_days_basis", language),
        ),
        (
            t("kpi_hl_participations", language),
            whole(figures.participations),
            t("kpi_hl_participations_basis", language),
        ),
        (
            t("kpi_hl_respondents", language),
            whole(figures.respondents),
            t("kpi_hl_respondents_basis", language, k=whole(figures.respondents_several)),
        ),
        (t("kpi_hl_response_rate", language), share(figures.response_rate), rate_basis),
    ]
    return out + _rating_items(figures, items, language=language, min_group_size=min_group_size, waves=wave_labels)


def _rating_items(
    figures: HeadlineFigures, items: pd.DataFrame, *, language: str, min_group_size: int, waves: Mapping[int, str]
) -> list[tuple[str, str, str]]:
    """One (label, value, what it counts) per wave of the rating question, the latest first."""
    if figures.rating_item is None:
        return [(t("kpi_hl_rating_any", language), "–", t("kpi_hl_rating_none", language))]
    question = question_text(items, figures.rating_item, language)
    if figures.rating.empty:
        return [(t("kpi_hl_rating_any", language), "–", t("kpi_hl_rating_unanswered", language, question=question))]
    out = []
    for row in figures.rating.sort_values("wave", ascending=False).to_dict("records"):
        label = t("kpi_hl_rating", language, question=question, wave=waves.get(int(row["wave"]), str(row["wave"])))
        n = int(row["n_respondents"])
        if not math.isnan(row["share"]):
            value = f"{number(100 * row['share'], language, 0)} %"
            basis = t("kpi_hl_rating_basis", language, k=number(row["n_top_two"], language, 0), n=number(n, language))
        elif n < min_group_size:
            value, basis = "–", t("kpi_hl_rating_hidden", language, n=number(n, language), min=min_group_size)
        else:  # hidden by the release: a difference with published figures would reveal a small group
            value, basis = "–", t("kpi_hl_rating_withheld", language, n=number(n, language), min=min_group_size)
        out.append((label, value, basis))
    return out


def unit_headline(ctx: ReportContext) -> HeadlineFigures:
    """The unit's headline figures (:func:`capeval.analysis.compare.headline_figures`), the rating
    question as programme.yaml names it or the rule finds it."""
    data = ctx.data
    figures = headline_figures(
        data["activities"],
        data["responses"],
        data["items"],
        min_group_size=ctx.min_group_size,
        rating_item=data.config.rating_item,
    )
    return released_rating(figures, ctx.decisions, ctx.scope)


def released_rating(figures: HeadlineFigures, release: Release, key: str) -> HeadlineFigures:
    """``figures`` with the rating share per wave as the programme's release lets it be shown at ``key``."""
    if figures.rating_item is None or figures.rating.empty:
        return figures
    rating = release.mask(
        figures.rating,
        family=f"rating:{figures.rating_item}",
        key=key,
        wave=list(figures.rating["wave"]),
        n_column="n_respondents",
        value_columns=["n_top_two", "share"],
    )
    return dataclasses.replace(figures, rating=rating)


def headline(ctx: ReportContext) -> str:
    """Headline figures, each with what it counts: activities, training hours and days, participations,
    respondents, response rate, and the top-two share of the rating question per wave."""
    head = html.heading(ctx.t("u_section_headline"), ident="headline")
    if ctx.data["activities"].empty and ctx.data["responses"].empty:
        return no_data(ctx, head)
    waves = {w.id: w.label for w in ctx.data.config.waves}
    triples = headline_items(
        unit_headline(ctx),
        ctx.data["items"],
        language=ctx.language,
        min_group_size=ctx.min_group_size,
        wave_labels=waves,
    )
    rows = pd.DataFrame(triples, columns=["measure", "value", "basis"])
    table = html.table(
        rows, {"measure": ctx.t("metric"), "value": ctx.name, "basis": ctx.t("kpi_basis")}, css="data headline-figures"
    )
    return head + html.paragraph(ctx.t("kpi_headline_intro", name=ctx.name)) + table


def partner_comparison(ctx: ReportContext) -> pd.DataFrame:
    """The unit's partners side by side in the latest wave (see :func:`capeval.analysis.compare.compare_partners`),
    as the programme's release lets this report show them."""
    data = ctx.data
    frame = compare_partners(
        data["activities"],
        data["responses"],
        data["items"],
        data["portfolio"],
        data.partners,
        min_group_size=ctx.min_group_size,
        personal_portfolio=data.config.privacy.portfolio == "personal",
    )
    return _released_levels(ctx, frame, [scope_key("partner", p) for p in frame["partner_id"]])


def _released_levels(ctx: ReportContext, frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame``'s l1 and l3 (with n_l1, n_l3 and ``wave``) blanked where the release hides them;
    ``reason_l1`` and ``reason_l3`` say why."""
    for level in LEVELS:
        name = level.lower()
        frame = ctx.decisions.mask(
            frame,
            family=f"level:{level}",
            key=keys,
            wave=list(frame["wave"]),
            n_column=f"n_{name}",
            value_columns=[name],
        ).rename(columns={"reason": f"reason_{name}"})
    return frame


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
        css="data partners-compared",
    )
    parts = [
        head,
        html.paragraph(ctx.t("rel_partners_intro", wave=_wave_name(ctx, frame))),
        table,
        _suppression_note(ctx, frame),
    ]
    return "\n".join(p for p in parts if p)


def hidden_counts(frame: pd.DataFrame, min_group_size: int) -> tuple[int, int]:
    """(scores hidden for fewer than ``min_group_size`` respondents, scores hidden so that a difference
    of published figures does not reveal a small group) in a comparison from :func:`_released_levels`."""
    reasons = pd.concat([frame[f"reason_{level.lower()}"] for level in LEVELS])
    return int((reasons == SMALL).sum()), int(reasons.isin([COMPLEMENTARY_REASON, NOT_RELEASED]).sum())


def _suppression_note(ctx: ReportContext, frame: pd.DataFrame) -> str:
    own, extra = hidden_counts(frame, ctx.min_group_size)
    if not own + extra:
        return ""
    return html.paragraph(ctx.t("rel_compare_note", min=ctx.min_group_size, k=own, c=extra), "note")


def _wave_name(ctx: ReportContext, frame: pd.DataFrame) -> str:
    wave = frame["wave"].dropna()
    return wave_label(ctx, wave.iloc[0]) if len(wave) else "–"


def track_comparison(ctx: ReportContext) -> pd.DataFrame:
    """The programme's tracks side by side in the latest wave, as the release lets this report show them."""
    data = ctx.data
    frame = compare_tracks(
        data["activities"],
        data["responses"],
        data["items"],
        data.partners,
        data["tracks"],
        min_group_size=ctx.min_group_size,
    )
    return _released_levels(ctx, frame, [scope_key("track", t) for t in frame["track_id"]])


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
        css="data tracks-compared",
    )
    note = _suppression_note(ctx, frame)
    intro = html.paragraph(ctx.t("rel_tracks_intro", wave=_wave_name(ctx, frame)))
    return "\n".join(p for p in (head, intro, table, note) if p)


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


def unit_waves(ctx: ReportContext) -> pd.DataFrame:
    """The programme's waves with the unit's respondents, partners answering, L1, L3 and activities."""
    waves = pd.DataFrame([{"wave": w.id, "label": w.label, "year": w.year} for w in ctx.data.config.waves])
    data = ctx.data
    frame = waves_over_years(
        data["responses"], data["items"], data["activities"], waves, min_group_size=ctx.min_group_size
    )
    counts = {
        (int(row["wave"]), str(row["level"])): int(row["n_respondents"]) for row in unit_chain(ctx).to_dict("records")
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
        css="data waves",
    )
    hidden = ((frame["respondents"] > 0) & (frame["respondents"] < ctx.min_group_size)).any()
    note = html.paragraph(ctx.t("u_waves_suppressed", min=ctx.min_group_size), "note") if hidden else ""
    return "\n".join(p for p in (head, html.paragraph(ctx.t("u_waves_intro")), table, note) if p)


def gaps_compared(ctx: ReportContext) -> str:
    """Capacity gaps across the unit's partners: median and quartiles per service, from min_group_size partners."""
    head = html.heading(ctx.t("section_gaps"), ident="gaps")
    gaps = released_gaps(ctx, service_gaps(ctx.data["portfolio"]))
    gaps = gaps[gaps["gap"].notna()] if len(gaps) else gaps  # a personal portfolio of too few people counts not
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
