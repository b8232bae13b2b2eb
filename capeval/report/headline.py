"""The headline-figures section (and the same figures for the index page): activities, hours, participations,
respondents, response rate and the rating question's top-two share per wave."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import pandas as pd

from capeval.analysis.compare import HeadlineFigures
from capeval.analysis.release import Release
from capeval.i18n import number, percent, t
from capeval.report import html
from capeval.report.common import no_data
from capeval.report.context import ReportContext


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
        return "–" if math.isnan(value) else percent(value, language)

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
            value = percent(row["share"], language)
            basis = t("kpi_hl_rating_basis", language, k=number(row["n_top_two"], language, 0), n=number(n, language))
        elif n < min_group_size:
            value, basis = "–", t("kpi_hl_rating_hidden", language, n=number(n, language), min=min_group_size)
        else:  # hidden by the release: a difference with published figures would reveal a small group
            value, basis = "–", t("kpi_hl_rating_withheld", language, n=number(n, language), min=min_group_size)
        out.append((label, value, basis))
    return out


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
        ctx.analyses.headline,
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
