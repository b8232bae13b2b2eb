"""The survey-answers section: response rates, before/after questions, answer shares per question and wave."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from capeval.analysis.answers import answer_frequencies, before_after, response_rates
from capeval.analysis.privacy import SMALL
from capeval.report import html
from capeval.report.charts import answers_figure
from capeval.report.common import all_hidden, day_text, hidden_sentence, percent, wave_label
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


def _rates(ctx: ReportContext) -> str:
    rates = response_rates(ctx.data["activities"], ctx.data["responses"])
    if rates.empty or rates["respondents"].sum() == 0:
        return ""
    shown = rates.assign(
        type=rates["type"].map(ctx.activity_label),
        date=[day_text(ctx, d) for d in rates["date"]],
    )
    total_p, total_r = int(rates["participants"].sum()), int(rates["respondents"].sum())
    overall = total_r / total_p if total_p else float("nan")
    sentence = ctx.t("ans_response_rate_overall", r=ctx.n(total_r, 0), p=ctx.n(total_p, 0), rate=percent(ctx, overall))
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
        formats={"response_rate": lambda v: percent(ctx, v)},
    )
    return html.heading(ctx.t("ans_response_rates"), 3, ident="response-rates") + html.paragraph(sentence) + table


def question_text(ctx: ReportContext, items: pd.DataFrame, item_id: str) -> str:
    """An item's question in the report's language (the other language when missing), without its option."""
    row = items.loc[items["item_id"] == item_id].iloc[0]
    first, second = ("text_nl", "text_en") if ctx.language == "nl" else ("text_en", "text_nl")
    text = row[first] if not pd.isna(row[first]) else row[second]
    return str(text).split(" [", 1)[0]  # "Question? [select all that apply] Option" -> the question


def _before_after(ctx: ReportContext, data: pd.DataFrame, items: pd.DataFrame) -> str:
    pairs = before_after(data, items, min_group_size=ctx.min_group_size)
    if pairs.empty:
        return ""
    pairs = ctx.decisions.mask(
        pairs,
        family=[f"pair:{stem}" for stem in pairs["stem"]],
        key=ctx.scope,
        n_column="n_pairs",
        value_columns=["mean_before", "mean_after", "mean_change", "improved", "same", "worse"],
    )
    sentences = []
    for pair in pairs.to_dict("records"):
        if pair["suppressed"]:
            stem = question_text(ctx, items, str(pair["item_after"]))
            key = "ans_pair_small" if pair["n_pairs"] < ctx.min_group_size else "ans_pair_hidden"
            sentences.append(ctx.t(key, stem=stem, min=ctx.min_group_size, n=pair["n_pairs"]))
            continue
        sentences.append(
            ctx.t(
                "ans_before_after_sentence",
                stem=question_text(ctx, items, str(pair["item_after"])),
                before=ctx.n(float(pair["mean_before"])),
                after=ctx.n(float(pair["mean_after"])),
                n=pair["n_pairs"],
                improved=percent(ctx, float(pair["improved"])),
            )
        )
    return html.heading(ctx.t("ans_before_after"), 3, ident="before-after") + "".join(
        html.paragraph(s) for s in sentences
    )


def _frequencies(ctx: ReportContext, data: pd.DataFrame, items: pd.DataFrame) -> str:
    freq = answer_frequencies(data, items, min_group_size=ctx.min_group_size)
    if freq.empty:
        return ""
    freq = _released(ctx, freq)
    parts = [html.heading(ctx.t("ans_answer_frequencies"), 3, ident="answer-frequencies")]
    if all_hidden(freq, ["n", "share"]):  # one sentence, not a heading and a note per question
        return parts[0] + hidden_sentence(ctx, "answers")
    texts = {str(i): question_text(ctx, items, str(i)) for i in freq["item_id"].unique()}
    parts.append(
        answers_figure(ctx, freq.assign(label=freq["label"].map(lambda v: _option_text(ctx, v))), items, texts)
    )
    for question, group in freq.groupby("question_id", sort=False):
        # a select-all question is one table of its options; other items are a table each
        tables = [group] if group["multiple"].all() else [g for _, g in group.groupby("item_id", sort=False)]
        for table in tables:
            parts.append(f"<h4>{html.escape(question_text(ctx, items, str(table['item_id'].iloc[0])))}</h4>")
            parts.append(_question_table(ctx, table, str(question)))
    return "\n".join(parts)


def _question_table(ctx: ReportContext, table: pd.DataFrame, question: str) -> str:
    """One question's answers: per wave a column group (count, share) headed by the wave's n; notes below."""
    bases = _wave_bases(table)
    if bases["hidden"].all():
        return "".join(html.paragraph(note, "note") for note in _table_notes(ctx, table, bases))
    # plain dicts: one small table per question, where a pivot costs more than the rows it holds
    records = table[["item_id", "option", "label", "wave", "n", "share"]].to_dict("records")
    cells = {(r["item_id"], r["option"], r["wave"]): (r["n"], r["share"]) for r in records}
    options = list(dict.fromkeys((r["item_id"], r["option"]) for r in records))
    labels = {(r["item_id"], r["option"]): r["label"] for r in reversed(records)}  # the first row's label
    groups = "".join(
        f'<th scope="colgroup" colspan="2">{html.escape(_wave_base(ctx, wave, base))}</th>'
        for wave, base in bases.iterrows()
    )
    pair = (
        f'<th scope="col">{html.escape(ctx.t("ans_count"))}</th><th scope="col">{html.escape(ctx.t("ans_share"))}</th>'
    )
    head = f'<tr><th scope="col" rowspan="2">{html.escape(ctx.t("ans_option"))}</th>{groups}</tr>'
    head += f"<tr>{pair * len(bases)}</tr>"
    body = []
    for option in options:
        row = [f"<td>{html.escape(_option_text(ctx, labels[option]))}</td>"]
        for wave in bases.index:
            count, share = cells.get((*option, wave), (None, None))
            shown = "–" if count is None or pd.isna(count) else ctx.n(count, 0)
            row.append(f'<td class="num">{html.escape(shown)}</td>')
            row.append(f'<td class="num">{html.escape(percent(ctx, float("nan") if share is None else share))}</td>')
        body.append("<tr>" + "".join(row) + "</tr>")
    css = html.escape(f"data freq q-{html.anchor(question)}")
    out = f'<table class="{css}"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
    return out + "".join(html.paragraph(note, "note") for note in _table_notes(ctx, table, bases))


def _option_text(ctx: ReportContext, label: object) -> str:
    """An answer as the reader writes it: a number on the scale with the report's decimal sign ("4,5")."""
    text = str(label)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return ctx.n(float(text), len(text.split(".")[1]))
    return text


def _wave_bases(table: pd.DataFrame) -> pd.DataFrame:
    """Per wave (sorted) of one question's table: its respondents (n), answers, hidden and why."""
    bases: dict[Any, dict[str, Any]] = {}
    for r in table[["wave", "n_respondents", "n_answers", "suppressed", "reason"]].to_dict("records"):
        first = {"n": r["n_respondents"], "answers": r["n_answers"], "hidden": True, "reason": ""}
        base = bases.setdefault(r["wave"], first)
        base["n"] = max(base["n"], r["n_respondents"])
        base["answers"] = max(base["answers"], r["n_answers"])
        base["hidden"] = bool(base["hidden"]) and bool(r["suppressed"])
        if isinstance(r["reason"], str):
            base["reason"] = max(str(base["reason"]), r["reason"])
    return pd.DataFrame.from_dict(bases, orient="index").sort_index()


def _wave_base(ctx: ReportContext, wave: object, base: pd.Series) -> str:
    """A wave's column heading: its label and n (and the answers, when some answered twice)."""
    n, answers = int(base["n"]), int(base["answers"])
    key = "ans_wave_n" if answers == n else "ans_wave_n_answers"
    return ctx.t(key, wave=wave_label(ctx, wave), n=ctx.n(n, 0), a=ctx.n(answers, 0))


def _table_notes(ctx: ReportContext, table: pd.DataFrame, bases: pd.DataFrame) -> list[str]:
    """Why a wave is blank, what a select-all share is of, and where shares are of answers."""
    notes = [
        ctx.t(
            "ans_suppressed_wave" if base["reason"] in ("", SMALL) else "ans_hidden_wave",
            wave=wave_label(ctx, wave),
            min=ctx.min_group_size,
            n=int(base["n"]),
        )
        for wave, base in bases.iterrows()
        if base["hidden"]
    ]
    if bases["hidden"].all():
        return notes
    if table["multiple"].all():
        notes.append(ctx.t("ans_select_all"))
    elif ((bases["answers"] > bases["n"]) & ~bases["hidden"]).any():
        notes.append(ctx.t("ans_shares_of_answers"))
    return notes


def _released(ctx: ReportContext, freq: pd.DataFrame) -> pd.DataFrame:
    """The answer shares as the programme's release lets this report show them (adds ``reason``).

    A select-all question is one release cell per wave, any other item one of its own
    (as :func:`capeval.analysis.release.answer_tables` lists them).
    """
    tables = freq["question_id"].where(freq["multiple"].astype(bool), freq["item_id"]).astype(str)
    return ctx.decisions.mask(
        freq,
        family=("question:" + tables).tolist(),
        key=ctx.scope,
        wave=freq["wave"].astype(int).tolist(),
        n_column="n_respondents",
        value_columns=["n", "share"],
    )
