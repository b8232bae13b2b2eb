"""The recommended-actions section: actions ranked by documented rules, each naming its trigger."""

from __future__ import annotations

import pandas as pd

from capeval.i18n import table as labels
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
    intro = ctx.t("actions_intro")
    if ctx.kind != "partner":  # a track's and the programme's synthesis rules
        intro = f"{intro} {ctx.t('actions_intro_synthesis')}"
    return head + html.paragraph(intro) + table


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
        _trigger(ctx, str(r), str(f), v, int(n)) for r, f, v, n in ranked[["rule", "figure", "value", "n"]].values
    ]
    return ranked


def _trigger(ctx: ReportContext, rule: str, figure: str, value: float, n: int) -> str:
    """The figure that triggered an action with its value and n; a count (units, tracks) as a whole number
    in the rule's own words."""
    name = ctx.t(f"section_{figure}")
    if pd.isna(value):
        return ctx.t("triggered_by_no_evidence", figure=name)
    if f"triggered_by_{rule}" in labels():
        return ctx.t(f"triggered_by_{rule}", figure=name, value=ctx.n(value, 0), n=n)
    return ctx.t("triggered_by", figure=name, value=ctx.n(value), n=n)


def _action_sentence(ctx: ReportContext, rule: str, subject: str, n: int, base: str) -> str:
    """The action, followed by what it rests on where that is fewer than min_group_size or not the same people."""
    key = f"action_{rule}_{ctx.kind}" if f"action_{rule}_{ctx.kind}" in labels() else f"action_{rule}"  # a track's own
    text = ctx.t(key, subject=_subject(ctx, rule, subject))
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
    if rule == "shared_bottleneck":
        return ingredient_label(ctx, subject)
    if rule == "type_lowest_behaviour":
        return ctx.activity_label(subject)
    if rule == "track_broken_chain":
        tracks = ctx.data["tracks"]
        return dict(zip(tracks["track_id"].astype(str), tracks["name"].astype(str), strict=True)).get(subject, subject)
    return subject
