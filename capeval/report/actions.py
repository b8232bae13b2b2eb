"""The recommended-actions section: actions ranked by documented rules, each naming its trigger."""

from __future__ import annotations

import pandas as pd

from capeval.report import html
from capeval.report.common import (
    base_sentence,
    ingredient_label,
)
from capeval.report.context import ReportContext


def actions(ctx: ReportContext) -> str:
    """Recommended actions, ranked by documented rules, each naming the figure that triggered it."""
    head = html.heading(ctx.t("section_actions"), ident="actions")
    ranked = ranked_actions(ctx)
    if ranked.empty:
        return head + html.paragraph(ctx.t("actions_none"), "no-data")
    table = html.table(ranked, {"rank": ctx.t("rank"), "action": ctx.t("action"), "trigger": ctx.t("trigger")})
    return head + html.paragraph(ctx.t("actions_intro")) + table


def ranked_actions(ctx: ReportContext) -> pd.DataFrame:
    """The unit's recommended actions with their sentence (``action``) and what triggered them."""
    ranked = ctx.analyses.recommended.copy()
    if ranked.empty:
        return ranked
    ranked["action"] = [
        _action_sentence(ctx, str(r), str(s), int(n), str(b))
        for r, s, n, b in ranked[["rule", "subject", "n", "base"]].values
    ]
    ranked["trigger"] = [
        ctx.t("triggered_by", figure=ctx.t(f"section_{f}"), value=ctx.n(v), n=n)
        if pd.notna(v)
        else ctx.t("triggered_by_no_evidence", figure=ctx.t(f"section_{f}"))
        for f, v, n in ranked[["figure", "value", "n"]].values
    ]
    return ranked


def _action_sentence(ctx: ReportContext, rule: str, subject: str, n: int, base: str) -> str:
    """The action, followed by what it rests on where that is fewer than min_group_size or not the same people."""
    text = ctx.t(f"action_{rule}", subject=_subject(ctx, rule, subject))
    said = base_sentence(ctx, n, base)
    return f"{text} {said}" if said else text


def _subject(ctx: ReportContext, rule: str, subject: str) -> str:
    if rule in ("largest_gap", "gap_widened", "least_consensus"):
        return ctx.service_label(subject)
    if rule in ("scaling_bottleneck", "point_of_attention"):
        return ingredient_label(ctx, subject)
    if rule == "criterion_without_evidence":
        return ctx.t(f"criterion_{subject}")
    if rule == "added_value_weak":
        return {d.id: d.label for d in ctx.data.config.added_value}.get(subject, subject)
    return subject
