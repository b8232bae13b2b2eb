"""The partners-compared section of track and programme reports: scores per partner, suppressed."""

from __future__ import annotations

import pandas as pd

from capeval.report import html
from capeval.report.common import (
    all_hidden,
    comparison_wave,
    hidden_sentence,
    no_data,
    numbers,
    suppression_note,
)
from capeval.report.context import ReportContext


def partners_compared(ctx: ReportContext) -> str:
    """Partners compared: activities, participants, respondents, L1, L3 and largest gap, suppressed."""
    head = html.heading(ctx.t("u_section_partners"), ident="partners")
    if ctx.kind == "partner":
        return head + html.paragraph(ctx.t("u_partners_none"), "no-data")
    if ctx.data.partners.empty:
        return no_data(ctx, head)
    frame = ctx.analyses.partner_comparison.copy()
    frame["largest_gap"] = [
        "–" if pd.isna(gap) else ctx.t("u_gap_value", service=ctx.service_label(str(service)), gap=ctx.n(gap))
        for service, gap in zip(frame["gap_service"], frame["gap"], strict=True)
    ]
    hidden = all_hidden(frame, ["l1", "l3"])  # no score column of dashes: one sentence says why
    scores = {} if hidden else {"l1": ctx.t("u_l1"), "l3": ctx.t("u_l3")}
    table = html.table(
        frame,
        {
            "name": ctx.t("partner"),
            "activities": ctx.t("activities"),
            "participants": ctx.t("participants"),
            "respondents": ctx.t("respondents"),
            **scores,
            "largest_gap": ctx.t("u_largest_gap"),
        },
        formats=numbers(ctx, "l1", "l3", digits=0),
        css="data partners-compared",
    )
    parts = [
        head,
        html.paragraph(ctx.t("rel_partners_intro", wave=comparison_wave(ctx, frame))),
        table,
        hidden_sentence(ctx, "compared") if hidden else suppression_note(ctx, frame),
    ]
    return "\n".join(p for p in parts if p)
