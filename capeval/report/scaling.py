"""The scaling section: Scaling Scan spider, bottleneck (ties), points of attention, transportability."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.claims import as_shown
from capeval.analysis.scaling import scaling_profile, scaling_rationales, transportability
from capeval.figures import scaling_radar
from capeval.report import html
from capeval.report.common import (
    all_hidden,
    base_sentence,
    hidden_sentence,
    ingredient_label,
    lesson_recurrence,
    no_data,
    numbers,
    unit_min_change,
    wave_label,
)
from capeval.report.context import ReportContext
from capeval.report.scaling_synthesis import scaling_synthesis


def scaling(ctx: ReportContext) -> str:
    """Scaling potential. A partner: its own Scaling Scan (spider, bottleneck, points of attention) and
    transportability. A track: its own scan where it has one, then its partners' scans together. The
    programme: its partners' scans together, then the tracks' own scans side by side."""
    head = html.heading(ctx.t("section_scaling"), ident="scaling")
    if ctx.kind == "partner":
        return head + _own_scan(ctx) + _transport(ctx)
    across = scaling_synthesis(ctx, "")
    parts = [head]
    if ctx.kind == "track" and len(ctx.analyses.scaling):  # the scan the track's own roles filled in
        parts.append(html.heading(ctx.t("scaling_own_title"), 3, ident="scaling-own"))
        parts.append(_own_scan(ctx))
        parts.append(html.heading(ctx.t("scaling_partners_title"), 3, ident="scaling-partners"))
    parts.append(across)
    if ctx.kind == "programme":
        parts.append(_tracks_own(ctx))
    return "\n".join(p for p in parts if p)


def _own_scan(ctx: ReportContext) -> str:
    """The unit's own Scaling Scan of its latest wave: spider, bottleneck with the raters' words,
    points of attention and the table of ingredients against the programme's median."""
    scores = ctx.analyses.scaling
    if scores.empty:
        return no_data(ctx, "")
    profile = scaling_profile(scores, ctx.unit_id)
    if all_hidden(profile, ["mean"]):  # personal ratings of too few raters: no score, bottleneck or attention point
        return hidden_sentence(ctx, "ingredients", "raters")
    wave = int(profile["wave"].iloc[0])
    bench = ctx.data.benchmarks.get("scaling", pd.DataFrame(columns=["wave", "ingredient", "median"]))
    profile = profile.merge(bench.loc[bench["wave"] == wave, ["ingredient", "median"]], on="ingredient", how="left")
    profile["label"] = [ingredient_label(ctx, i) for i in profile["ingredient"]]
    why = scaling_rationales(ctx.data["scaling"], profile)  # the raters' words beside each shown score
    profile = profile.merge(why, on=["unit_id", "wave", "ingredient"], how="left")
    n_raters = int(profile["n_raters"].max())
    parts = [html.paragraph(ctx.t("scaling_intro", wave=wave_label(ctx, wave), n=n_raters))]
    neck = ctx.analyses.bottleneck
    neck = neck[neck["wave"] == wave]
    if len(profile) >= 3 and profile["mean"].notna().all():
        fig = scaling_radar(
            profile, label_column="label", unit_label=ctx.name, benchmark_label=ctx.t("programme_median")
        )
        names = ", ".join(ingredient_label(ctx, i) for i in neck["ingredient"])
        alt = ctx.t("radar_alt", name=ctx.name, wave=wave_label(ctx, wave), low=names)
        caption = ctx.t("caption_radar", wave=wave_label(ctx, wave), n=n_raters)
        parts.append(html.figure(fig, alt, caption))
    if len(neck):
        parts.append(html.paragraph(_bottleneck_sentence(ctx, neck)))
        reasons = neck.merge(why, on=["unit_id", "wave", "ingredient"])
        parts.extend(
            html.paragraph(ctx.t("bottleneck_why", ingredient=ingredient_label(ctx, i), rationale=r))
            for i, r in reasons[["ingredient", "rationale"]].values
        )
    attention = ctx.analyses.attention
    attention = attention[attention["wave"] == wave]
    if len(attention):
        names = ", ".join(
            f"{ingredient_label(ctx, i)} ({ctx.n(m)})" for i, m in attention[["ingredient", "mean"]].values
        )
        parts.append(html.paragraph(ctx.t("attention_list", items=names)))
    else:
        parts.append(html.paragraph(ctx.t("attention_none")))
    parts.append(
        html.table(
            profile,
            {
                "label": ctx.t("ingredient"),
                "mean": ctx.t("mean_score"),
                "spread": ctx.t("rater_spread"),
                "n_raters": ctx.t("raters"),
                "median": ctx.t("programme_median"),
                **({"rationale": ctx.t("rationale")} if profile["rationale"].notna().any() else {}),
            },
            formats=numbers(ctx, "mean", "spread", "median"),
        )
    )
    return "\n".join(parts)


def _tracks_own(ctx: ReportContext) -> str:
    """The programme report: each track's own Scaling Scan in its latest wave, its bottleneck and raters."""
    tracks = ctx.data.tables.get("tracks", pd.DataFrame(columns=["track_id", "name"]))
    own = ctx.analyses.tracks_bottleneck
    if own.empty:
        return ""
    latest = own[own["wave"] == own.groupby("unit_id")["wave"].transform("max")]
    names = dict(zip(tracks["track_id"].astype(str), tracks["name"].astype(str), strict=True))
    rows = [
        {
            "track": names.get(str(unit), str(unit)),
            "wave": wave_label(ctx, int(group["wave"].iloc[0])),
            "raters": int(group["n_raters"].min()),
            "bottleneck": "; ".join(
                f"{ingredient_label(ctx, i)} ({ctx.n(m)})" for i, m in group[["ingredient", "mean"]].to_numpy()
            ),
        }
        for unit, group in latest.groupby("unit_id", sort=False)
    ]
    table = pd.DataFrame(rows).sort_values("track")
    title = html.heading(ctx.t("scaling_tracks_title"), 3, ident="scaling-tracks")
    intro = html.paragraph(ctx.t("scaling_tracks_intro"))
    headers = {
        "track": ctx.t("track"),
        "wave": ctx.t("wave"),
        "raters": ctx.t("raters"),
        "bottleneck": ctx.t("scaling_tracks_bottleneck"),
    }
    return "\n".join([title, intro, html.table(table, headers, css="data scaling-tracks")])


def _bottleneck_sentence(ctx: ReportContext, neck: pd.DataFrame) -> str:
    """The bottleneck of one wave: one ingredient, a tie, or ingredients about the same; with its base."""
    names = ", ".join(ingredient_label(ctx, i) for i in neck["ingredient"])
    if as_shown(neck["mean"]).nunique() > 1:  # near-ties: each mean, and why they count as one bottleneck
        listed = ", ".join(f"{ingredient_label(ctx, i)} ({ctx.n(m)})" for i, m in neck[["ingredient", "mean"]].values)
        text = ctx.t("bottleneck_near", items=listed, within=ctx.n(unit_min_change(ctx).on_scale(1, 5)))
    else:
        key = "bottleneck_tie" if len(neck) > 1 else "bottleneck_one"
        text = ctx.t(key, ingredients=names, score=ctx.n(neck["mean"].iloc[0]))
    base = base_sentence(ctx, int(neck["n_raters"].min()), "raters")
    return f"{text} {base}" if base else text


def _transport(ctx: ReportContext) -> str:
    own = ctx.data["lessons"]
    title = html.heading(ctx.t("transport_title"), 3, ident="scaling-transport")
    if own.empty or ctx.kind != "partner":
        return ""
    found = transportability(own, recurrence=lesson_recurrence(ctx))
    mine = found[found["unit"] == ctx.unit_id]
    if mine.empty:
        return title + html.paragraph(ctx.t("no_data"), "no-data")
    row = mine.iloc[0]
    artefacts = str(row["artefacts"]) or ctx.t("none")
    text = " ".join(
        [
            ctx.t("transport_sentence", artefacts=artefacts, n=int(row["n_artefacts"])),
            ctx.t("transport_shared", shared=int(row["shared_with"]))
            if int(row["shared_with"])
            else ctx.t("transport_shared_none"),
            ctx.t("transport_adopted", adopted=int(row["adopted_by"])),
        ]
    )
    return title + html.paragraph(text)
