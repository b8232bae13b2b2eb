"""The lessons-learned section: a partner's own lessons in full, by domain and ingredient, shared themes,
roll-out candidates and quotes (consent and min_comments decide what others read)."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.lessons import (
    ADOPTED_OUTSIDE,
    ADOPTED_PARTNERS,
    adopters,
    lesson_entries,
    lesson_ingredients,
    lessons_by,
)
from capeval.analysis.privacy import quotable
from capeval.analysis.redaction import redaction_marks
from capeval.analysis.themes import recurring_themes, rollout_candidates
from capeval.report import html
from capeval.report.common import ingredient_label, lesson_recurrence, no_data, wave_label
from capeval.report.context import ReportContext


def lessons(ctx: ReportContext) -> str:
    """Lessons learned: own lessons in full (partner), by domain and ingredient, themes, roll-out, quotes."""
    head = html.heading(ctx.t("section_lessons"), ident="lessons")
    own = ctx.data["lessons"]
    if own.empty:
        return no_data(ctx, head)
    consent = int(own["consent_to_quote"].astype("boolean").fillna(False).sum())
    parts = [head, html.paragraph(ctx.t("lessons_intro", n=len(own), consent=consent))]
    if ctx.kind == "partner":  # a partner's own words are not hidden from that partner
        parts.append(_own_lessons(ctx, own))
    domains = lessons_by(own, "domain").assign(label=lambda f: f["domain"].replace({"unassigned": ctx.t("unassigned")}))
    parts.append(html.heading(ctx.t("by_domain"), 3, ident="lessons-domain"))
    parts.append(html.table(domains, {"label": ctx.t("domain"), "n_lessons": ctx.t("n_lessons")}))
    labels = {i.id: i.label for i in ctx.data.config.scaling_ingredients}
    pairs = lesson_ingredients(own, labels=labels).merge(own, on="lesson_id")
    by_ingredient = lessons_by(pairs, "ingredient")
    by_ingredient["label"] = [
        ctx.t("unassigned") if i == "unassigned" else ingredient_label(ctx, i) for i in by_ingredient["ingredient"]
    ]
    parts.append(html.heading(ctx.t("by_ingredient"), 3, ident="lessons-ingredient"))
    parts.append(html.table(by_ingredient, {"label": ctx.t("ingredient"), "n_lessons": ctx.t("n_lessons")}))
    quotes = quotable(own, min_comments=ctx.data.config.min_comments, placeholders=redaction_marks(ctx.language))
    parts.append(_themes(ctx, own, quotes))
    parts.append(_rollout(ctx, own))
    if ctx.kind != "partner":
        parts.append(html.heading(ctx.t("quotes_title"), 3, ident="lessons-quotes"))
        if quotes.empty:
            n = int(quotes.attrs.get("n_comments", 0))
            parts.append(html.paragraph(ctx.t("quotes_withheld", n=n, min=ctx.data.config.min_comments), "note"))
        else:
            parts.extend(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes["quote"])
    return "\n".join(parts)


def _own_lessons(ctx: ReportContext, own: pd.DataFrame) -> str:
    """Each lesson with what its method records (MSC, OH, AAR), its artefact and adopters; who, where, when."""
    own = own.assign(adopted_by=adopters_shown(ctx, own))
    entries = lesson_entries(own.sort_values("lesson_id", kind="stable"), redaction_marks(ctx.language))
    tracks = ctx.data["tracks"] if "tracks" in ctx.data.tables else pd.DataFrame(columns=["track_id", "name"])
    track_names = dict(zip(tracks["track_id"], tracks["name"], strict=True))
    parts = [html.heading(ctx.t("own_lessons_title"), 3, ident="lessons-own")]
    for record in own.sort_values("lesson_id", kind="stable").to_dict("records"):
        track = record.get("track_id")
        meta = ctx.t(
            "lesson_meta",
            method=ctx.t(f"method_{record['method']}"),
            who=ctx.name,
            where=track_names.get(track, track) if isinstance(track, str) else "–",
            when=wave_label(ctx, record["wave"]),
        )
        fields = entries[entries["lesson_id"] == record["lesson_id"]]
        rows = "".join(
            f"<dt>{html.escape(ctx.t(f'lesson_field_{f}'))}</dt><dd>{html.escape(t)}</dd>"
            for f, t in fields[["field", "text"]].values
        )
        parts.append(
            f'<div class="lesson"><h4>{html.escape(record["lesson_id"])}</h4>'
            f'<p class="note">{html.escape(meta)}</p><dl>{rows}</dl></div>'
        )
    return "\n".join(parts)


def _themes(ctx: ReportContext, own: pd.DataFrame, quotes: pd.DataFrame) -> str:
    """The themes this unit's lessons share with other partners or tracks, with their member lessons."""
    title = html.heading(ctx.t("themes_title"), 3, ident="lessons-themes")
    shared = recurring_themes(lesson_recurrence(ctx), own)
    internal = ctx.narrative_kind == "programme-internal"
    # suggestions by word overlap alone are not findings: a shareable report counts them, the internal one lists them
    waiting = 0 if internal else len(recurring_themes(lesson_recurrence(ctx, suggested=True), own)) - len(shared)
    unconfirmed = html.paragraph(ctx.t("themes_unconfirmed", n=waiting)) if waiting else ""
    if shared.empty:
        return title + html.paragraph(ctx.t("themes_none")) + unconfirmed
    if ctx.kind == "partner":
        mine = set(own["lesson_id"])
        members = shared["lesson_ids"].map(lambda ids: ", ".join(i for i in ids.split(", ") if i in mine))
    else:  # another unit's lesson is named by id, and quoted only where the quote rule allows
        quoted = dict(zip(quotes.get("lesson_id", []), quotes.get("quote", []), strict=True))
        members = shared["lesson_ids"].map(
            lambda ids: " | ".join(f"{i}: {quoted[i]}" if i in quoted else i for i in ids.split(", "))
        )
    shown = shared.assign(
        members=members,
        status=[ctx.t("theme_confirmed") if c else ctx.t("theme_suggested") for c in shared["confirmed"]],
        theme=[t or ctx.t("theme_unnamed") for t in shared["theme"]],
    )
    headers = {
        "theme": ctx.t("theme"),
        **({"status": ctx.t("theme_status")} if internal else {}),
        "n_partners": ctx.t("shared_partners"),
        "n_tracks": ctx.t("shared_tracks"),
        "members": ctx.t("own_members") if ctx.kind == "partner" else ctx.t("members"),
    }
    intro = ctx.t("themes_intro_internal") if internal else ctx.t(f"themes_intro_{ctx.kind}")
    return title + html.paragraph(intro) + html.table(shown, headers) + unconfirmed


def _rollout(ctx: ReportContext, own: pd.DataFrame) -> str:
    """Confirmed themes shared by two or more partners or tracks, with their artefacts and adopters."""
    title = html.heading(ctx.t("rollout_title"), 3, ident="lessons-rollout")
    candidates = rollout_candidates(lesson_recurrence(ctx), own)
    if candidates.empty:
        return title + html.paragraph(ctx.t("rollout_none"))
    candidates["adopted_by"] = adopters_shown(ctx, candidates)
    table = html.table(
        candidates,
        {
            "theme": ctx.t("theme"),
            "n_partners": ctx.t("shared_partners"),
            "n_tracks": ctx.t("shared_tracks"),
            "artefacts": ctx.t("lesson_field_artefact"),
            "adopted_by": ctx.t("lesson_field_adopted_by"),
        },
    )
    return title + html.paragraph(ctx.t("rollout_intro")) + table


def _nameable(ctx: ReportContext) -> dict[str, str]:
    """The partners this report may name (partner id -> name): those it covers and names elsewhere; none in the
    shareable programme report, which may be bundled with any partner's report."""
    if ctx.kind == "programme" and ctx.narrative_kind != "programme-internal":
        return {}
    if ctx.kind == "partner":
        return {ctx.unit_id: ctx.name}
    partners = ctx.data.partners
    return {str(p): str(n) for p, n in zip(partners["partner_id"], partners["name"], strict=True)}


def adopters_shown(ctx: ReportContext, rows: pd.DataFrame) -> list[str]:
    """Who adopted each lesson (or theme) of ``rows`` as this report may say it: organisations outside the
    programme as recorded, the partners it covers by name, other partners of the programme as a count."""
    nameable = _nameable(ctx)
    missing = pd.Series(pd.NA, index=rows.index)
    said = []
    for inside, outside in zip(rows.get(ADOPTED_PARTNERS, missing), rows.get(ADOPTED_OUTSIDE, missing), strict=True):
        ids = adopters(inside)
        shown = sorted(
            dict.fromkeys([*adopters(outside), *(nameable[i] for i in ids if i in nameable)]), key=str.casefold
        )
        counted = sum(1 for i in ids if i not in nameable)
        if counted:
            key = "adopters_partners" if ctx.kind == "programme" and not nameable else "adopters_other_partners"
            shown.append(ctx.t(key, n=counted))
        said.append("; ".join(shown))
    return said
