"""Scaling across units (track and programme reports): the ingredient profile, the most frequent
bottlenecks and the raters' words behind them, quoted only under the quote rule."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.redaction import redaction_marks
from capeval.analysis.synthesis import bottleneck_counts, bottleneck_rationales, ingredient_profile
from capeval.figures import scaling_radar
from capeval.report import html
from capeval.report.common import all_hidden, hidden_sentence, ingredient_label, no_data, numbers, wave_label
from capeval.report.context import ReportContext

TOP_BOTTLENECKS = 3  # the bottlenecks a reader is told about first; the table lists them all


def synthesis_wave(ctx: ReportContext) -> int | None:
    """The latest wave in which a unit of the slice has a shown Scaling Scan score (None: none)."""
    shown = ctx.analyses.units_scaling
    shown = shown[shown["mean"].notna()] if len(shown) else shown
    return int(shown["wave"].max()) if len(shown) else None


def scaling_profile_table(ctx: ReportContext) -> pd.DataFrame:
    """The ingredient profile of the latest wave with each ingredient's bottleneck count (see
    :func:`capeval.analysis.synthesis.ingredient_profile` and :func:`~capeval.analysis.synthesis.bottleneck_counts`)."""
    wave = synthesis_wave(ctx)
    if wave is None:
        return pd.DataFrame()
    ingredients = [i.id for i in ctx.data.config.scaling_ingredients]
    profile = ingredient_profile(ctx.analyses.units_scaling, ingredients=ingredients)
    counts = bottleneck_counts(ctx.analyses.units_bottleneck, ctx.analyses.units_scaling)
    profile = profile[profile["wave"] == wave].merge(
        counts.loc[counts["wave"] == wave, ["ingredient", "n_bottleneck", "n_alone", "n_tied", "n_units"]],
        on="ingredient",
        how="left",
        suffixes=("", "_scored"),
    )
    for column in ("n_bottleneck", "n_alone", "n_tied"):
        profile[column] = profile[column].fillna(0).astype("int64")
    return profile.drop(columns="n_units_scored")


def scaling_synthesis(ctx: ReportContext, head: str) -> str:
    """A track's or the programme's Scaling Scan across its units: profile, frequent bottlenecks, their rationales."""
    profile = scaling_profile_table(ctx)
    if profile.empty and all_hidden(ctx.analyses.units_scaling, ["mean"]):  # personal ratings of too few raters
        return head + hidden_sentence(ctx, "ingredients", "raters")
    if profile.empty:
        return no_data(ctx, head)
    wave = int(profile["wave"].iloc[0])
    scores = ctx.analyses.units_scaling
    n_units = int(scores.loc[(scores["wave"] == wave) & scores["mean"].notna(), "unit_id"].nunique())
    n_raters = int(profile["n_raters"].max())
    profile["label"] = [ingredient_label(ctx, i) for i in profile["ingredient"]]
    profile["range"] = [f"{ctx.n(low)}–{ctx.n(high)}" for low, high in profile[["low", "high"]].to_numpy()]
    profile["bottleneck"] = [ctx.t("syn_of_units", k=k, n=n_units) for k in profile["n_bottleneck"]]
    parts = [head, html.paragraph(ctx.t("syn_scaling_intro", wave=wave_label(ctx, wave), units=n_units, n=n_raters))]
    if len(profile) >= 3:
        bench = ctx.data.benchmarks.get("scaling", pd.DataFrame(columns=["wave", "ingredient", "median"]))
        drawn = profile.merge(bench.loc[bench["wave"] == wave, ["ingredient", "median"]], on="ingredient", how="left")
        if ctx.kind == "programme":
            drawn["median"] = float("nan")  # the programme's own median would only repeat its profile
        fig = scaling_radar(
            drawn,
            label_column="label",
            unit_label=ctx.t("syn_profile_label", units=n_units),
            benchmark_label=ctx.t("programme_median"),
        )
        lowest = drawn.sort_values(["mean", "label"]).iloc[0]
        alt = ctx.t(
            "syn_radar_alt",
            name=ctx.name,
            wave=wave_label(ctx, wave),
            units=n_units,
            low=str(lowest["label"]),
            mean=ctx.n(float(lowest["mean"])),
        )
        parts.append(html.figure(fig, alt, ctx.t("syn_radar_caption", wave=wave_label(ctx, wave), units=n_units)))
    parts.append(_frequent_bottlenecks(ctx, profile, n_units))
    parts.append(
        html.table(
            profile,
            {
                "label": ctx.t("ingredient"),
                "mean": ctx.t("syn_mean_of_units"),
                "range": ctx.t("syn_range"),
                "n_units": ctx.t("syn_units"),
                "n_raters": ctx.t("raters"),
                "bottleneck": ctx.t("syn_bottleneck_in"),
            },
            formats=numbers(ctx, "mean"),
            css="data scaling-profile",
        )
    )
    parts.append(_rationales(ctx, wave))
    return "\n".join(p for p in parts if p)


def _frequent_bottlenecks(ctx: ReportContext, profile: pd.DataFrame, n_units: int) -> str:
    """The ingredients most often a unit's bottleneck, with how many of those were ties."""
    ranked = profile[profile["n_bottleneck"] > 0].sort_values(["n_bottleneck", "label"], ascending=[False, True])
    if ranked.empty:
        return ""
    items = "; ".join(
        ctx.t(
            "syn_bottleneck_item" if tied else "syn_bottleneck_alone",
            ingredient=label,
            k=int(k),
            n=n_units,
            tied=int(tied),
        )
        for label, k, tied in ranked[["label", "n_bottleneck", "n_tied"]].head(TOP_BOTTLENECKS).to_numpy()
    )
    return html.paragraph(ctx.t("syn_bottlenecks", items=items)) + html.paragraph(ctx.t("syn_ties_note"), "note")


def _rationales(ctx: ReportContext, wave: int) -> str:
    """The raters' words on the most frequent bottlenecks: quoted under the quote rule, else how many there are."""
    neck = ctx.analyses.units_bottleneck
    neck = neck[neck["wave"] == wave]
    why = bottleneck_rationales(
        ctx.data["scaling"],
        neck,
        min_comments=ctx.data.config.min_comments,
        placeholders=redaction_marks(ctx.language),
    )
    if why.empty:
        return ""
    frequent = neck.groupby("ingredient")["unit_id"].nunique().rename("k").reset_index()
    why = why.merge(frequent, on="ingredient").sort_values(["k", "ingredient"], ascending=[False, True])
    title = html.heading(ctx.t("syn_rationales_title"), 3, ident="scaling-rationales")
    parts = [title]
    for ingredient, n, quotes in why[["ingredient", "n_rationales", "quotes"]].head(TOP_BOTTLENECKS).to_numpy():
        label = ingredient_label(ctx, str(ingredient))
        if quotes:
            quoted = " / ".join(f"“{q}”" for q in str(quotes).split(" / "))
            parts.append(html.paragraph(ctx.t("syn_rationale_quoted", ingredient=label, n=int(n), quotes=quoted)))
        elif int(n):
            key = "syn_rationale_few" if int(n) < ctx.data.config.min_comments else "syn_rationale_no_consent"
            parts.append(html.paragraph(ctx.t(key, ingredient=label, n=int(n), min=ctx.data.config.min_comments)))
    return "\n".join(parts) if len(parts) > 1 else ""
