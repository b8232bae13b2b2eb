"""The report's title section: who the report is about, and where the table of contents goes."""

from __future__ import annotations

import pandas as pd

from capeval.report import html
from capeval.report.context import ReportContext
from capeval.toc import TOC_MARK  # capeval.render fills it with the section links


def title(ctx: ReportContext) -> str:
    """The report's title and who it is about."""
    parts = [html.heading(ctx.t(f"report_title_{ctx.kind}", name=ctx.name), 1, ident="title")]
    facts: dict[str, object] = {ctx.t("programme"): ctx.data.config.title}
    if ctx.kind == "partner":
        row = ctx.data.partners.iloc[0]
        shown = {"kind": ctx.kind_label, "country": ctx.country_label}
        for column, named in shown.items():
            if column in row and not pd.isna(row[column]):
                facts[ctx.t(column)] = named(row[column])
        if not pd.isna(row.get("track_id")):
            tracks = ctx.data.tables["tracks"].set_index("track_id")["name"]
            facts[ctx.t("track")] = tracks.get(row["track_id"], row["track_id"])
    elif ctx.kind == "track":
        table = ctx.data.tables["tracks"]
        track = table.loc[table["track_id"] == ctx.unit_id].iloc[0]
        for column, label in (("theme", "u_theme"), ("goal", "u_goal")):
            if column in track and not pd.isna(track[column]):
                facts[ctx.t(label)] = track[column]
        facts[ctx.t("u_n_partners")] = ", ".join(str(n) for n in ctx.data.partners["name"]) or "–"
    else:
        facts[ctx.t("u_n_partners")] = len(ctx.data.partners)
        facts[ctx.t("u_n_tracks")] = len(ctx.data.tables["tracks"])
    parts.append(html.definition_list(facts))
    parts.append(TOC_MARK)
    return "\n".join(parts)
