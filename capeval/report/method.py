"""The method and data notes: n per section, what was suppressed and why, rejected rows, the waves."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.privacy import quotable
from capeval.analysis.respondents import count_respondents
from capeval.options import differing, label_key, resolve
from capeval.report import html
from capeval.report.context import ReportContext


def method_notes(ctx: ReportContext) -> str:
    """Method and data notes: n per section, what was suppressed and why, rejected rows per table, the waves."""
    head = html.heading(ctx.t("section_method"), ident="method")
    n_table = html.table(
        observations(ctx),
        {"section": ctx.t("u_section"), "n": ctx.t("u_n"), "counted": ctx.t("u_counted")},
        css="data method-n",
    )
    rules = "".join(html.paragraph(rule) for rule in [*privacy_rules(ctx), *options_note(ctx)])
    hidden = suppressions(ctx) or [ctx.t("u_supp_none")]
    items = "".join(f"<li>{html.escape(s)}</li>" for s in hidden)
    counts = ctx.data.meta["counts"]
    rows = pd.DataFrame(
        [{"table": f"{name}.csv", "kept": c["kept"], "rejected": c["rejected"]} for name, c in sorted(counts.items())]
    )
    table = html.table(rows, {"table": ctx.t("table"), "kept": ctx.t("rows_kept"), "rejected": ctx.t("rejected_rows")})
    waves = html.table(
        wave_rows(ctx),
        {
            "wave": ctx.t("u_wave_id"),
            "label": ctx.t("u_label"),
            "year": ctx.t("u_year"),
            "respondents": ctx.t("u_respondents_here"),
        },
        formats={"wave": str, "year": lambda v: "–" if v is None or pd.isna(v) else str(int(v))},  # ids, not counts
    )
    return "\n".join(
        [
            head,
            html.heading(ctx.t("u_n_title"), 3, ident="method-n"),
            n_table,
            "".join(html.paragraph(caveat, "note") for caveat in caveats(ctx)),
            html.heading(ctx.t("u_suppressed_title"), 3, ident="method-suppressed"),
            rules,
            f'<ul class="suppressed">{items}</ul>',
            html.heading(ctx.t("u_rejected_title"), 3, ident="method-rejected"),
            table,
            html.heading(ctx.t("u_waves_title"), 3, ident="method-waves"),
            waves,
        ]
    )


def _respondents(responses: pd.DataFrame) -> int:
    return count_respondents(responses)


def observations(ctx: ReportContext) -> pd.DataFrame:
    """One row per section of the report: its heading, its n and what the n counts."""
    data = ctx.data
    counts = data.answer_result("counts", ctx.min_group_size).iloc[0]  # respondents and items answered
    scaling = data["scaling"]
    rows = [
        ("section_activities", len(data["activities"]), "u_n_activities"),
        ("section_kirkpatrick", int(counts["levelled_respondents"]), "u_n_respondents"),
        ("section_criteria", int(counts["mapped_items"]), "u_n_items"),
        ("section_answers", int(counts["respondents"]), "u_n_answer_respondents"),
        ("section_gaps", int(data["portfolio"]["partner_id"].nunique()), "u_n_portfolio"),
        ("section_lessons", len(data["lessons"]), "u_n_lessons"),
        ("section_scaling", int((scaling["unit_id"] == ctx.unit_id).sum()), "u_n_raters"),
    ]
    if ctx.kind != "partner":  # the partners' scans together (a track's own scan is the row above)
        partners_rated = int(scaling["unit_id"].isin(data.partners["partner_id"]).sum())
        rows.append(("section_scaling", partners_rated, "u_n_raters_partners"))
    if ctx.kind == "programme":  # the programme has no scan of its own
        rows = [r for r in rows if r[2] != "u_n_raters"]
    if ctx.kind == "track":
        rows.insert(1, ("u_section_partners", len(data.partners), "u_n_partners_counted"))
    if ctx.kind == "programme":
        rows = [r for r in rows if r[0] != "section_answers"]  # the programme report has no answers section
        rows.insert(1, ("u_section_tracks", int(data.partners["track_id"].nunique()), "u_n_tracks"))
    return pd.DataFrame(
        [{"section": ctx.t(s), "n": n, "counted": ctx.t(what)} for s, n, what in rows],
        columns=["section", "n", "counted"],
    )


def privacy_rules(ctx: ReportContext) -> list[str]:
    """The privacy rules this report applies, one sentence each, as the programme declares them."""
    config, size = ctx.data.config, ctx.min_group_size
    rules = [ctx.t("rel_rule_survey", min=size)]
    if ctx.data.has("portfolio"):
        rules.append(ctx.t(f"rel_rule_portfolio_{config.privacy.portfolio}", min=size))
    if ctx.data.has("scaling"):
        rules.append(ctx.t(f"rel_rule_scaling_{config.privacy.scaling}", min=size))
    rules.append(ctx.t("rel_rule_quotes", min_comments=config.min_comments))

    if size != config.min_group_size:
        rules.append(ctx.t("rel_rule_threshold", min=size, programme=config.min_group_size))
    return rules


def options_note(ctx: ReportContext) -> list[str]:
    """The sentence naming the options this report was rendered with that differ from the programme's
    or the default (none: no sentence); the threshold has its own rule above, the language is the report's."""
    usual = resolve(programme=ctx.data.config)
    changed = {k: v for k, v in differing(ctx.options, usual).items() if k not in ("min_group_size", "language")}
    items = [
        ctx.t("opt_value_default", label=ctx.t(label_key(k)), value=ctx.n(v), default=ctx.n(getattr(usual, k)))
        for k, v in changed.items()
    ]
    return [ctx.t("opt_non_default", options="; ".join(items))] if items else []


def caveats(ctx: ReportContext) -> list[str]:
    """What the reader must know about how the levels were measured (L3/L4 by self-report beside L1)."""
    levels = ctx.analyses.self_reported_levels
    if not levels or not ctx.data.has("responses"):
        return []
    return [ctx.t("self_report_caveat", levels=", ".join(ctx.t(f"level_{level}") for level in levels))]


def suppressions(ctx: ReportContext) -> list[str]:
    """One sentence per kind of figure this report hid, saying how many and why (empty: nothing hidden).

    The survey figures come from the release's record of what the sections above hid.
    """
    data = ctx.data
    found = [
        ctx.t(
            f"rel_hidden_{row['reason']}",
            kind=ctx.t(f"rel_kind_{row['kind']}"),
            k=row["values"],
            min=ctx.min_group_size,
        )
        for row in ctx.decisions.hidden_counts().to_dict("records")
    ]
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


def wave_rows(ctx: ReportContext) -> pd.DataFrame:
    """The programme's waves (id, label, year) with the respondents of this report in each."""
    reach = ctx.data.answer_result("respondents_per_wave", ctx.min_group_size).set_index("wave")["respondents"]
    return pd.DataFrame(
        [
            {"wave": w.id, "label": w.label, "year": w.year, "respondents": int(reach.get(w.id, 0))}
            for w in ctx.data.config.waves
        ]
    )
