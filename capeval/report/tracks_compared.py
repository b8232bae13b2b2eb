"""The tracks-compared section of the programme report: scores per learning track, suppressed."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.release import scope_key
from capeval.report import html
from capeval.report.common import (
    all_hidden,
    comparison_wave,
    hidden_sentence,
    no_data,
    numbers,
    released_levels,
    suppression_note,
)
from capeval.report.context import ReportContext


def track_comparison(ctx: ReportContext) -> pd.DataFrame:
    """The programme's tracks side by side in the latest wave, as the release lets this report show them."""
    frame = ctx.data.answer_result("track_comparison", ctx.min_group_size)  # compare_tracks
    return released_levels(ctx, frame, [scope_key("track", t) for t in frame["track_id"]])


def tracks_compared(ctx: ReportContext) -> str:
    """Learning tracks compared: partners, activities, participants, respondents, L1 and L3, suppressed."""
    head = html.heading(ctx.t("u_section_tracks"), ident="tracks")
    if ctx.data.partners.empty or ctx.data["tracks"].empty:
        return no_data(ctx, head)
    frame = track_comparison(ctx)
    frame["name"] = [ctx.t("u_no_track") if tid == "" else name for tid, name in frame[["track_id", "name"]].values]
    hidden = all_hidden(frame, ["l1", "l3"])  # no score column of dashes: one sentence says why
    scores = {} if hidden else {"l1": ctx.t("u_l1"), "l3": ctx.t("u_l3")}
    table = html.table(
        frame,
        {
            "name": ctx.t("track"),
            "n_partners": ctx.t("u_n_partners"),
            "activities": ctx.t("activities"),
            "participants": ctx.t("participants"),
            "respondents": ctx.t("respondents"),
            **scores,
        },
        formats=numbers(ctx, "l1", "l3", digits=0),
        css="data tracks-compared",
    )
    note = hidden_sentence(ctx, "compared") if hidden else suppression_note(ctx, frame)
    intro = html.paragraph(ctx.t("rel_tracks_intro", wave=comparison_wave(ctx, frame)))
    return "\n".join(p for p in (head, intro, table, note) if p)
