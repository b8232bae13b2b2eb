"""What the method and data notes count: n per section, what was suppressed and why, the waves."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.activities import respondents_per_wave
from capeval.analysis.answers import answer_frequencies
from capeval.analysis.privacy import quotable
from capeval.report.context import ReportContext
from capeval.report.sections_common import unit_chain


def _respondents(responses: pd.DataFrame) -> int:
    if responses.empty:
        return 0
    return int((responses["partner_id"].astype(str) + "\x1f" + responses["respondent_id"].astype(str)).nunique())


def observations(ctx: ReportContext) -> pd.DataFrame:
    """One row per section of the report: its heading, its n and what the n counts."""
    data = ctx.data
    responses, items = data["responses"], data["items"]
    levelled = items.loc[items["level"].notna(), "item_id"]
    mapped = items.loc[items["criterion"].notna(), "item_id"]
    scaling = data["scaling"]
    rows = [
        ("section_activities", len(data["activities"]), "u_n_activities"),
        ("section_kirkpatrick", _respondents(responses[responses["item_id"].isin(levelled)]), "u_n_respondents"),
        ("section_criteria", int(responses.loc[responses["item_id"].isin(mapped), "item_id"].nunique()), "u_n_items"),
        ("section_answers", _respondents(responses), "u_n_answer_respondents"),
        ("section_gaps", int(data["portfolio"]["partner_id"].nunique()), "u_n_portfolio"),
        ("section_lessons", len(data["lessons"]), "u_n_lessons"),
        ("section_scaling", int((scaling["unit_id"] == ctx.unit_id).sum()), "u_n_raters"),
    ]
    if ctx.kind == "track":
        rows.insert(1, ("u_section_partners", len(data.partners), "u_n_partners_counted"))
    if ctx.kind == "programme":
        rows = [r for r in rows if r[0] != "section_answers"]  # the programme report has no answers section
        rows.insert(1, ("u_section_tracks", int(data.partners["track_id"].nunique()), "u_n_tracks"))
    return pd.DataFrame(
        [{"section": ctx.t(s), "n": n, "counted": ctx.t(what)} for s, n, what in rows],
        columns=["section", "n", "counted"],
    )


def suppressions(ctx: ReportContext) -> list[str]:
    """One sentence per section that hid something, saying how much (empty: nothing hidden)."""
    data, size = ctx.data, ctx.min_group_size
    found: list[str] = []
    chain = unit_chain(ctx)
    if len(chain) and chain["suppressed"].any():
        found.append(ctx.t("u_supp_chain", k=int(chain["suppressed"].sum()), n=len(chain)))
    if ctx.kind != "programme":
        freq = answer_frequencies(data["responses"], data["items"], min_group_size=size)
        if len(freq):
            hidden = freq.groupby("question_id", sort=False)["suppressed"].all()
            if hidden.any():
                found.append(ctx.t("u_supp_questions", k=int(hidden.sum()), n=len(hidden)))
    found.extend(_compared(ctx))
    if ctx.kind == "partner" and len(data["portfolio"]):
        bench = data.benchmarks.get("gaps", pd.DataFrame(columns=["suppressed"]))
        if len(bench) and bench["suppressed"].any():
            k = int(bench["suppressed"].sum())
            found.append(ctx.t("u_supp_benchmark", k=k, n=len(bench), min=data.config.min_group_size))
    lessons = data["lessons"]
    if len(lessons):
        quotes = quotable(lessons, min_comments=data.config.min_comments)
        n = int(quotes.attrs.get("n_comments", 0))
        if n < data.config.min_comments:
            found.append(ctx.t("u_supp_quotes_withheld", n=n, min=data.config.min_comments))
        else:
            found.append(ctx.t("u_supp_quotes", q=len(quotes), n=n))
    return found


def _compared(ctx: ReportContext) -> list[str]:
    """The partners (track report) or tracks (programme report) whose scores were hidden."""
    from capeval.report.sections_units import hidden_counts, partner_comparison, track_comparison

    data = ctx.data
    if ctx.kind == "track" and len(data.partners):
        frame, key = partner_comparison(ctx), "u_supp_partners"
    elif ctx.kind == "programme" and len(data.partners) and len(data["tracks"]):
        frame, key = track_comparison(ctx), "u_supp_tracks"
    else:
        return []
    own, extra = hidden_counts(frame, ctx.min_group_size)
    return [ctx.t(key, k=own, c=extra)] if frame["suppressed"].any() else []


def wave_rows(ctx: ReportContext) -> pd.DataFrame:
    """The programme's waves (id, label, year) with the respondents of this report in each."""
    reach = respondents_per_wave(ctx.data["responses"]).set_index("wave")["respondents"]
    return pd.DataFrame(
        [
            {"wave": w.id, "label": w.label, "year": w.year, "respondents": int(reach.get(w.id, 0))}
            for w in ctx.data.config.waves
        ]
    )
