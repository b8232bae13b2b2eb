"""The results-per-intervention-type section: the Kirkpatrick levels of the answers about each kind of activity."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.claims import shown
from capeval.analysis.interventions import levels_by_type
from capeval.report import html
from capeval.report.common import released, unit_min_change, wave_label
from capeval.report.context import ReportContext
from capeval.report.kirkpatrick import level_label


def interventions(ctx: ReportContext) -> str:
    """Results per type of intervention: per wave and activity type, each level's score with its n, as the
    release lets this report show them; one sentence on the types furthest apart on behaviour (L3)."""
    levels = levels_by_type(ctx.data["responses"], ctx.data["items"], ctx.data["activities"])
    if levels["type"].nunique() < 2:  # one type: the Kirkpatrick section already says it all
        return ""
    head = html.heading(ctx.t("section_interventions"), ident="interventions")
    shown_levels = released(ctx, levels, "typelevel:{type}:{level}", n_column="n_respondents")
    cell = [
        "–" if pd.isna(mean) else ctx.t("iv_cell", score=ctx.n(mean), n=ctx.n(int(n), 0))
        for mean, n in shown_levels[["mean", "n_respondents"]].to_numpy()
    ]
    wide = (
        shown_levels.assign(cell=cell, type_label=[ctx.activity_label(k) for k in shown_levels["type"]])
        .pivot_table(index=["wave", "type_label"], columns="level", values="cell", aggfunc="first")
        .reset_index()
    )
    order = sorted(c for c in wide.columns if str(c).startswith("L"))
    wide["wave_label"] = [wave_label(ctx, w) for w in wide["wave"]]
    headers = {"wave_label": ctx.t("wave"), "type_label": ctx.t("type")}
    headers |= {str(level): level_label(ctx, str(level)) for level in order}
    parts = [head, html.paragraph(ctx.t("iv_intro")), html.table(wide.fillna("–"), headers, css="data iv-types")]
    parts.append(_furthest_apart(ctx, shown_levels))
    hidden = int(shown_levels["suppressed"].sum()) if "suppressed" in shown_levels else 0
    if hidden:
        parts.append(html.paragraph(ctx.t("iv_hidden", k=ctx.n(hidden, 0), min=ctx.min_group_size), "note"))
    return "\n".join(p for p in parts if p)


def _furthest_apart(ctx: ReportContext, levels: pd.DataFrame) -> str:
    """The shown types with the highest and lowest behaviour score (L3) in the latest wave that has two,
    when they differ by at least ``min_change`` points as shown; else nothing."""
    behaviour = levels[(levels["level"] == "L3") & levels["mean"].notna()]
    counted = behaviour.groupby("wave")["type"].size()
    waves = [int(w) for w in counted[counted >= 2].index]
    if not waves:
        return ""
    wave = max(waves)
    latest = behaviour[behaviour["wave"] == wave].sort_values(["mean", "type"], ascending=[False, True])
    top, bottom = latest.iloc[0], latest.iloc[-1]
    if shown(float(top["mean"])) - shown(float(bottom["mean"])) < unit_min_change(ctx).points_100:
        return html.paragraph(ctx.t("iv_same", wave=wave_label(ctx, wave), k=ctx.n(len(latest), 0)))
    return html.paragraph(
        ctx.t(
            "iv_apart",
            wave=wave_label(ctx, wave),
            top=ctx.activity_label(top["type"]),
            top_score=ctx.n(float(top["mean"])),
            top_n=ctx.n(int(top["n_respondents"]), 0),
            bottom=ctx.activity_label(bottom["type"]),
            bottom_score=ctx.n(float(bottom["mean"])),
            bottom_n=ctx.n(int(bottom["n_respondents"]), 0),
        )
    )
