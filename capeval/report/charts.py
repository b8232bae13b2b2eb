"""The sections' figures, drawn from the very frames their tables show (as released: a hidden value is
NaN there and is not drawn), each with its n in the caption and alt text that states what it shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from capeval.figures import answer_shares, chain_intervals, portfolio_dumbbell, score_heatmap
from capeval.report import html
from capeval.report.common import percent, programme_benchmark, wave_label
from capeval.report.context import ReportContext
from capeval.report.figures_units import waves_lines


def _bases(ctx: ReportContext, frame: pd.DataFrame, n_column: str) -> str:
    """Each wave's n as a caption writes it: "25 respondents in the baseline, 18 … in the follow-up"."""
    per_wave = frame.groupby("wave", sort=True)[n_column].max()
    return ", ".join(ctx.t("chart_wave_n", n=int(n), wave=wave_label(ctx, w)) for w, n in per_wave.items())


def chain_figure(ctx: ReportContext, shown: pd.DataFrame) -> str:
    """The Kirkpatrick chain per wave with 95 % intervals against the programme mean ("" when nothing may be
    drawn). ``shown`` is the section's table: wave, level_label, wave_label, n_respondents, mean, ci_low,
    ci_high, programme."""
    drawn = shown[shown["mean"].notna()]
    if drawn.empty:
        return ""
    frame = shown.assign(programme=shown["programme"] if ctx.kind != "programme" else float("nan"))
    fig = chain_intervals(frame, axis_title=ctx.t("chart_kp_axis"), programme_label=ctx.t("chart_kp_programme"))
    latest = drawn[drawn["wave"] == drawn["wave"].max()]
    scores = "; ".join(
        ctx.t("chart_kp_score", level=r["level_label"], score=ctx.n(r["mean"]), programme=ctx.n(r["programme"]))
        if ctx.kind != "programme" and pd.notna(r["programme"])
        else ctx.t("chart_kp_score_alone", level=r["level_label"], score=ctx.n(r["mean"]))
        for r in latest.to_dict("records")
    )
    own = "_own" if ctx.kind == "programme" else ""  # the programme's report: no programme beside itself
    alt = ctx.t(f"chart_kp_alt{own}", name=ctx.name, wave=latest["wave_label"].iloc[0], scores=scores)
    bases = _bases(ctx, shown, "n_respondents")
    caption = ctx.t(f"chart_kp_caption{own}", bases=bases, below=ctx.t("chart_table_below"))
    return html.figure(fig, alt, caption)


def answers_figure(ctx: ReportContext, freq: pd.DataFrame, items: pd.DataFrame, texts: Mapping[str, str]) -> str:
    """Diverging bars of the ordinal questions' answer shares in the latest wave, one figure per answer scale
    ("" when none). ``freq`` is the section's released answer table; ``texts`` each item's question text."""
    ordinal = items.loc[items["kind"] == "ordinal", "item_id"] if "kind" in items else items["item_id"]
    scored = freq[freq["item_id"].isin(set(ordinal)) & ~freq["multiple"].astype(bool)]
    if scored.empty or scored["share"].isna().all():
        return ""
    wave = scored.loc[scored["share"].notna(), "wave"].max()
    latest = scored[scored["wave"] == wave]
    scales = latest.groupby("item_id", sort=False)[["option", "label"]].apply(
        lambda g: tuple(zip(g["option"], g["label"], strict=True))
    )
    return "".join(
        _answers_scale(ctx, latest[latest["item_id"].isin(scales.index[scales == scale])], texts, wave)
        for scale in dict.fromkeys(scales)
    )


def _answers_scale(ctx: ReportContext, rows: pd.DataFrame, texts: Mapping[str, str], wave: object) -> str:
    rows = rows.assign(row=rows["item_id"].map(texts))
    fig = answer_shares(  # a bar per item: two questions may have the same wording (a Kobo form's groups)
        rows[["row", "option", "label", "share"]].assign(bar=rows["item_id"]),
        hidden_label=ctx.t("chart_hidden"),
        axis_title=ctx.t("chart_ans_axis"),
    )
    options = sorted(rows["option"].unique())
    upper = set(options[(len(options) + 1) // 2 :])  # the options above the middle: agreement
    agree = rows[rows["option"].isin(upper)].groupby("item_id", sort=False)["share"].sum(min_count=1).dropna()
    top, low = str(agree.idxmax()), str(agree.idxmin())
    values = {"top": texts[top], "top_share": percent(ctx, agree[top]), "wave": wave_label(ctx, wave)}
    alt = (
        ctx.t("chart_ans_alt_one", **values)
        if len(agree) == 1
        else ctx.t("chart_ans_alt", k=len(agree), low=texts[low], low_share=percent(ctx, agree[low]), **values)
    )
    n = rows.loc[rows["share"].notna(), "n_respondents"].astype(int)
    shown_n = ctx.n(n.min(), 0) if n.min() == n.max() else f"{ctx.n(n.min(), 0)}–{ctx.n(n.max(), 0)}"
    caption = ctx.t("chart_ans_caption", wave=values["wave"], n=shown_n, below=ctx.t("chart_table_below"))
    return html.figure(fig, alt, caption)


def portfolio_figure(ctx: ReportContext, mine: pd.DataFrame, wave: int) -> str:
    """Current against desired quality per service of one partner in ``wave`` (rows of the gaps table,
    ranked), a service nobody offers as "not offered" ("" when every value is hidden)."""
    shown = mine[mine["quality_now"].notna() | mine["quality_desired"].notna()]
    if shown.empty:
        return ""
    fig = portfolio_dumbbell(
        mine,
        label_column="label",
        now_label=ctx.t("chart_now"),
        desired_label=ctx.t("chart_desired"),
        not_offered_label=ctx.t("chart_not_offered"),
        partly_label=ctx.t("chart_partly"),
        hidden_label=ctx.t("chart_hidden"),
        axis_title=ctx.t("chart_quality_axis"),
    )
    top = shown.sort_values("gap", ascending=False, kind="stable").to_dict("records")[0]
    missing = shown.loc[shown["offered_now"] == 0, "label"].tolist()
    alt = ctx.t(
        "chart_gap_alt",
        name=ctx.name,
        wave=wave_label(ctx, wave),
        top=top["label"],
        now=quality_text(ctx, top, "now"),
        desired=quality_text(ctx, top, "desired"),
        missing=", ".join(missing) if missing else ctx.t("chart_none"),
    )
    caption = ctx.t(
        "chart_gap_caption",
        wave=wave_label(ctx, wave),
        n=int(shown["n_respondents"].max()),
        below=ctx.t("chart_table_below"),
    )
    return html.figure(fig, alt, caption)


def quality_text(ctx: ReportContext, row: Mapping[Any, Any], part: str) -> str:
    """A service's current or desired quality as the reader sees it: "not offered" when nobody offers it."""
    offered, quality = row[f"offered_{part}"], row[f"quality_{part}"]
    if isinstance(offered, float) and offered == 0:
        return ctx.t("chart_not_offered")
    return ctx.n(quality if isinstance(quality, float | int) else float("nan"))


def criteria_figure(ctx: ReportContext, shown: pd.DataFrame) -> str:
    """The criteria matrix as a heat map: per criterion the unit's score and n (and the programme's beside
    it in a partner's or track's report); "" when no score may be shown. ``shown`` is the section's table."""
    if shown["score"].isna().all():
        return ""
    labels = shown["label"].tolist()
    values = {ctx.name: shown["score"].tolist()}
    notes = {
        ctx.name: [
            _cell(ctx, s, n, strength) for s, n, strength in shown[["score", "n_respondents", "strength"]].values
        ]
    }
    against = ctx.kind != "programme" and shown["programme"].notna().any()
    if against:
        bench = programme_benchmark(ctx, "criteria", "criterion:{criterion}", n_column="n_respondents")
        rows = shown[["criterion"]].merge(bench, on="criterion", how="left")
        values[ctx.t("chart_kp_programme")] = rows["score"].tolist()
        notes[ctx.t("chart_kp_programme")] = [
            _cell(ctx, s, n, strength) for s, n, strength in rows[["score", "n_respondents", "strength"]].values
        ]
    fig = score_heatmap(pd.DataFrame(values, index=labels), pd.DataFrame(notes, index=labels))
    scored = shown.dropna(subset=["score"])
    ranked = scored.sort_values("score", ascending=False, kind="stable").to_dict("records")
    top, low = ranked[0], ranked[-1]
    alt = ctx.t(
        "chart_crit_alt" if len(scored) > 1 else "chart_crit_alt_one",
        name=ctx.name,
        against=ctx.t("chart_crit_against") if against else "",
        top=top["label"],
        top_score=ctx.n(top["score"]),
        low=low["label"],
        low_score=ctx.n(low["score"]),
        missing=ctx.t("chart_crit_missing", k=len(shown) - len(scored), total=len(shown))
        if len(shown) > len(scored)
        else "",
    )
    return html.figure(fig, alt, ctx.t("chart_crit_caption", below=ctx.t("chart_table_below")))


def _cell(ctx: ReportContext, score: object, n: object, strength: object) -> str:
    if isinstance(score, float) and pd.notna(score):
        return ctx.t("chart_crit_cell", score=ctx.n(score), n=ctx.n(n if isinstance(n, int | float) else 0, 0))
    return ctx.t("no_evidence") if strength == "none" else "–"


def waves_figure(ctx: ReportContext, frame: pd.DataFrame) -> str:
    """Reaction (L1) and behaviour (L3) over the programme's waves, any number of them ("" with fewer than
    two waves or nothing that may be shown). ``frame`` is the section's table (released per wave)."""
    series = {c: ctx.t(f"level_{c.upper()}") for c in ("l1", "l3") if frame[c].notna().any()}
    if len(frame) < 2 or not series:
        return ""
    shown = frame.assign(wave_name=[wave_label(ctx, w) for w in frame["wave"]])
    fig = waves_lines(shown, x_column="wave_name", series=series, axis_title=ctx.t("chart_kp_axis"))
    changes = []
    for column, level in series.items():
        known = shown[shown[column].notna()]
        first, last = known.iloc[0], known.iloc[-1]
        values = {"level": level, "last": ctx.n(last[column]), "last_wave": last["wave_name"]}
        if len(known) == 1:
            changes.append(ctx.t("chart_waves_one", **values))
        else:
            changes.append(
                ctx.t("chart_waves_change", first=ctx.n(first[column]), first_wave=first["wave_name"], **values)
            )
    alt = ctx.t(
        "chart_waves_alt",
        series=f" {ctx.t('chart_and')} ".join(series.values()),
        k=len(shown),
        changes="; ".join(changes),
    )
    bases = ", ".join(
        ctx.t("chart_wave_n", n=int(r), wave=w) for w, r in zip(shown["wave_name"], shown["respondents"], strict=True)
    )
    return html.figure(fig, alt, ctx.t("chart_waves_caption", bases=bases, below=ctx.t("chart_table_below")))
