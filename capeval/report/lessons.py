"""The lessons-learned section: lessons by domain and scaling ingredient, roll-out candidates, quotes."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.lessons import lesson_ingredients, lessons_by, rollout_candidates
from capeval.analysis.privacy import quotable
from capeval.analysis.redaction import redaction_marks
from capeval.report import html
from capeval.report.common import ingredient_label, lesson_recurrence, no_data
from capeval.report.context import ReportContext


def lessons(ctx: ReportContext) -> str:
    """Lessons learned: by domain and scaling ingredient, recurring lessons, quotes (consent, redacted)."""
    head = html.heading(ctx.t("section_lessons"), ident="lessons")
    own = ctx.data["lessons"]
    if own.empty:
        return no_data(ctx, head)
    consent = int(own["consent_to_quote"].astype("boolean").fillna(False).sum())
    parts = [head, html.paragraph(ctx.t("lessons_intro", n=len(own), consent=consent))]
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
    parts.append(_rollout(ctx, own, quotes))
    parts.append(html.heading(ctx.t("quotes_title"), 3, ident="lessons-quotes"))
    if quotes.empty:
        n = int(quotes.attrs.get("n_comments", 0))
        parts.append(html.paragraph(ctx.t("quotes_withheld", n=n, min=ctx.data.config.min_comments), "note"))
    else:
        parts.extend(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes["quote"])
    return "\n".join(parts)


def _rollout(ctx: ReportContext, own: pd.DataFrame, quotes: pd.DataFrame) -> str:
    title = html.heading(ctx.t("rollout_title"), 3, ident="lessons-rollout")
    candidates = rollout_candidates(lesson_recurrence(ctx), own)
    if candidates.empty:
        return title + html.paragraph(ctx.t("rollout_none"))
    quoted = dict(zip(quotes.get("lesson_id", []), quotes.get("quote", []), strict=True))
    domains = dict(zip(own["lesson_id"], own["domain"].astype("string").fillna(""), strict=True))

    def describe(ids: str) -> str:  # the unit's own lesson: quoted when the quote rule allows
        quote = next((quoted[i] for i in ids.split(", ") if i in quoted), None)
        return quote or ", ".join(f"{i} ({domains[i]})" if domains.get(i) else i for i in ids.split(", "))

    candidates["lesson"] = [describe(ids) for ids in candidates["lesson_ids"]]
    table = html.table(
        candidates,
        {"lesson": ctx.t("lesson"), "n_partners": ctx.t("shared_partners"), "n_tracks": ctx.t("shared_tracks")},
    )
    return title + html.paragraph(ctx.t("rollout_intro")) + table
