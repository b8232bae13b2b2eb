"""The survey-answers section: response rates, before/after questions, answer frequencies."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.answers import answer_frequencies, before_after, response_rates
from capeval.report import html
from capeval.report.context import ReportContext


def answers(ctx: ReportContext) -> str:
    """Response rates per activity, paired before/after questions, and per-question answer shares."""
    head = html.heading(ctx.t("section_answers"), ident="answers")
    data, items = ctx.data["responses"], ctx.data["items"]
    parts = [_rates(ctx), _before_after(ctx, data, items), _frequencies(ctx, data, items)]
    shown = [p for p in parts if p]
    if not shown:
        return head + html.paragraph(ctx.t("no_data"), "no-data")
    return "\n".join([head, *shown])


def _percent(ctx: ReportContext, value: float) -> str:
    return "–" if pd.isna(value) else f"{ctx.n(100 * value, 0)} %"


def _rates(ctx: ReportContext) -> str:
    rates = response_rates(ctx.data["activities"], ctx.data["responses"])
    if rates.empty or rates["respondents"].sum() == 0:
        return ""
    shown = rates.assign(
        type=rates["type"].map(ctx.activity_label),
        date=rates["date"].map(lambda d: "" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")),
    )
    total_p, total_r = int(rates["participants"].sum()), int(rates["respondents"].sum())
    overall = total_r / total_p if total_p else float("nan")
    sentence = ctx.t("ans_response_rate_overall", r=ctx.n(total_r, 0), p=ctx.n(total_p, 0), rate=_percent(ctx, overall))
    table = html.table(
        shown,
        {
            "activity_id": ctx.t("ans_activity"),
            "type": ctx.t("type"),
            "date": ctx.t("ans_date"),
            "participants": ctx.t("participants"),
            "respondents": ctx.t("respondents"),
            "response_rate": ctx.t("ans_response_rate"),
        },
        formats={"response_rate": lambda v: _percent(ctx, v)},
    )
    return html.heading(ctx.t("ans_response_rates"), 3, ident="response-rates") + html.paragraph(sentence) + table


def _item_text(ctx: ReportContext, items: pd.DataFrame, item_id: str) -> str:
    row = items.loc[items["item_id"] == item_id].iloc[0]
    first, second = ("text_nl", "text_en") if ctx.language == "nl" else ("text_en", "text_nl")
    text = row[first] if not pd.isna(row[first]) else row[second]
    return str(text).split(" [", 1)[0]  # "Question? [select all that apply] Option" -> the question


def _before_after(ctx: ReportContext, data: pd.DataFrame, items: pd.DataFrame) -> str:
    pairs = before_after(data, items, min_group_size=ctx.min_group_size)
    if pairs.empty:
        return ""
    sentences = []
    for pair in pairs.to_dict("records"):
        if pair["suppressed"]:
            sentences.append(ctx.t("ans_suppressed_question", min=ctx.min_group_size, n=pair["n_pairs"]))
            continue
        sentences.append(
            ctx.t(
                "ans_before_after_sentence",
                stem=_item_text(ctx, items, str(pair["item_after"])),
                before=ctx.n(float(pair["mean_before"])),
                after=ctx.n(float(pair["mean_after"])),
                n=pair["n_pairs"],
                improved=_percent(ctx, float(pair["improved"])),
            )
        )
    return html.heading(ctx.t("ans_before_after"), 3, ident="before-after") + "".join(
        html.paragraph(s) for s in sentences
    )


def _frequencies(ctx: ReportContext, data: pd.DataFrame, items: pd.DataFrame) -> str:
    freq = answer_frequencies(data, items, min_group_size=ctx.min_group_size)
    if freq.empty:
        return ""
    parts = [html.heading(ctx.t("ans_answer_frequencies"), 3, ident="answer-frequencies")]
    for question, group in freq.groupby("question_id", sort=False):
        parts.append(f"<h4>{html.escape(_item_text(ctx, items, str(group['item_id'].iloc[0])))}</h4>")
        if group["suppressed"].all():
            n = int(group["n_respondents"].max())
            parts.append(html.paragraph(ctx.t("ans_suppressed_question", min=ctx.min_group_size, n=n), "note"))
            continue
        parts.append(
            html.table(
                group,
                {"label": ctx.t("ans_option"), "n": ctx.t("ans_count"), "share": ctx.t("ans_share")},
                formats={"n": lambda v: ctx.n(v, 0), "share": lambda v: _percent(ctx, v)},
                css=f"data freq q-{html.anchor(str(question))}",
            )
        )
    return "\n".join(parts)
