"""The results-per-intervention-type section: the Kirkpatrick levels of the answers about each kind of activity."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.claims import at_least
from capeval.report import html
from capeval.report.answers import question_text
from capeval.report.common import all_hidden, hidden_sentence, percent, unit_min_change, wave_label
from capeval.report.context import ReportContext
from capeval.report.kirkpatrick import level_label


def interventions(ctx: ReportContext) -> str:
    """Results per type of intervention: per wave and activity type, each level's score with its n, as the
    release lets this report show them; one sentence on the types furthest apart on behaviour (L3)."""
    shown_levels = ctx.analyses.type_levels
    if shown_levels["type"].nunique() < 2:  # one type: the Kirkpatrick section already says it all
        return ""
    head = html.heading(ctx.t("section_interventions"), ident="interventions")
    if all_hidden(shown_levels, ["mean"]):
        return head + hidden_sentence(ctx, "types")
    cell = [
        ctx.t("iv_cell", score=ctx.n(mean), n=ctx.n(int(n), 0))  # a hidden score keeps its n: "– (n = 3)"
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
    parts.append(_criteria(ctx))
    parts.append(_questions(ctx))
    hidden = int(shown_levels["suppressed"].sum()) if "suppressed" in shown_levels else 0
    if hidden:
        parts.append(html.paragraph(ctx.t("iv_hidden", k=ctx.n(hidden, 0), min=ctx.min_group_size), "note"))
    return "\n".join(p for p in parts if p)


def _furthest_apart(ctx: ReportContext, levels: pd.DataFrame) -> str:
    """The shown types with the highest and lowest behaviour score (L3) in the latest wave that has two,
    when they differ by at least ``min_change`` points as shown; else that they score about the same."""
    apart = ctx.analyses.types_apart
    if apart.empty:
        return ""
    latest = apart.sort_values("wave").iloc[-1]
    wave = int(latest["wave"])
    if not bool(at_least(pd.Series([latest["difference"]]), unit_min_change(ctx).points_100).iloc[0]):
        shown_types = levels[(levels["level"] == "L3") & levels["mean"].notna() & (levels["wave"] == wave)]
        return html.paragraph(ctx.t("iv_same", wave=wave_label(ctx, wave), k=ctx.n(len(shown_types), 0)))
    return html.paragraph(
        ctx.t(
            "iv_apart",
            wave=wave_label(ctx, wave),
            top=ctx.activity_label(latest["top"]),
            top_score=ctx.n(float(latest["top_mean"])),
            top_n=ctx.n(int(latest["top_n"]), 0),
            bottom=ctx.activity_label(latest["bottom"]),
            bottom_score=ctx.n(float(latest["bottom_mean"])),
            bottom_n=ctx.n(int(latest["bottom_n"]), 0),
        )
    )


def _criteria(ctx: ReportContext) -> str:
    """The evaluation criteria per activity type: a criterion per row, a type per column, "score (n = k)"."""
    scores = ctx.analyses.type_criteria
    if scores.empty or scores["type"].nunique() < 2 or all_hidden(scores, ["score"]):
        return ""
    cell = [
        ctx.t("iv_cell", score=ctx.n(score), n=ctx.n(int(n), 0))
        for score, n in scores[["score", "n_respondents"]].to_numpy()
    ]
    labels = [ctx.t(f"criterion_{c}") for c in scores["criterion"]]
    title = html.heading(ctx.t("iv_criteria_title"), 3, ident="interventions-criteria")
    table = _per_type_table(ctx, scores, cell, labels, row_header=ctx.t("iv_criterion"), css="data iv-criteria")
    return "\n".join([title, html.paragraph(ctx.t("iv_criteria_intro")), table])


def _questions(ctx: ReportContext) -> str:
    """The coded ordinal questions per activity type in the latest wave: a question per row, a type per
    column, "share of the two highest answers (n = k)"; "– (n = k)" where the release hides it."""
    shares = ctx.analyses.type_questions
    if shares.empty or shares["type"].nunique() < 2:
        return ""
    wave = int(shares["wave"].max())
    latest = shares[shares["wave"] == wave]
    if latest["type"].nunique() < 2 or all_hidden(latest, ["share"]):
        return ""
    cell = [
        ctx.t("iv_share_cell", share=percent(ctx, share), n=ctx.n(int(n), 0))
        for share, n in latest[["share", "n_respondents"]].to_numpy()
    ]
    items = ctx.data["items"]
    texts = {str(q): question_text(ctx, items, str(q)) for q in latest["question_id"].unique()}
    labels = list(latest["question_id"].astype(str).map(texts))
    title = html.heading(ctx.t("iv_questions_title"), 3, ident="interventions-questions")
    intro = ctx.t("iv_questions_intro", wave=wave_label(ctx, wave))
    table = _per_type_table(ctx, latest, cell, labels, row_header=ctx.t("iv_question"), css="data iv-questions")
    return "\n".join([title, html.paragraph(intro), table])


def _per_type_table(
    ctx: ReportContext, frame: pd.DataFrame, cells: list[str], labels: list[str], *, row_header: str, css: str
) -> str:
    """A row per label, a column per activity type of ``frame``, each cell its shown text ("–" where none)."""
    wide = (
        frame.assign(cell=cells, label=labels)
        .pivot_table(index="label", columns="type", values="cell", aggfunc="first", sort=False)
        .reset_index()
    )
    kinds = [k for k in wide.columns if k != "label"]
    headers = {"label": row_header} | {str(k): ctx.activity_label(k) for k in kinds}
    wide.columns = ["label", *map(str, kinds)]
    return html.table(wide.fillna("–"), headers, css=css)
