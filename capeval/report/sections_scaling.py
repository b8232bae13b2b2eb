"""Report sections: lessons learned, scaling potential and the recommended actions."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.claims import as_shown
from capeval.analysis.lessons import lesson_ingredients, lessons_by, rollout_candidates
from capeval.analysis.privacy import quotable
from capeval.analysis.recommendations import recommended_actions
from capeval.analysis.redaction import redaction_marks
from capeval.analysis.scaling import scaling_profile, transportability
from capeval.figures import scaling_radar
from capeval.report import html
from capeval.report.context import ReportContext
from capeval.report.sections_common import (
    base_sentence,
    ingredient_label,
    no_data,
    numbers,
    unit_attention,
    unit_bottleneck,
    unit_broken_chain,
    unit_change,
    unit_criteria,
    unit_gap_change,
    unit_gaps,
    unit_min_change,
    unit_scaling,
    wave_label,
)


def _recurrence(ctx: ReportContext) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["lesson_id", "cluster", "n_partners", "n_tracks", "recurring"])
    return ctx.data.benchmarks.get("lesson_recurrence", empty)


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
    candidates = rollout_candidates(_recurrence(ctx), own)
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


def scaling(ctx: ReportContext) -> str:
    """Scaling potential: spider diagram, bottleneck (ties), points of attention, transportability."""
    head = html.heading(ctx.t("section_scaling"), ident="scaling")
    scores = unit_scaling(ctx)
    if scores.empty:
        return no_data(ctx, head) + _transport(ctx)
    profile = scaling_profile(scores, ctx.unit_id)
    wave = int(profile["wave"].iloc[0])
    bench = ctx.data.benchmarks.get("scaling", pd.DataFrame(columns=["wave", "ingredient", "median"]))
    profile = profile.merge(bench.loc[bench["wave"] == wave, ["ingredient", "median"]], on="ingredient", how="left")
    profile["label"] = [ingredient_label(ctx, i) for i in profile["ingredient"]]
    n_raters = int(profile["n_raters"].max())
    parts = [head, html.paragraph(ctx.t("scaling_intro", wave=wave_label(ctx, wave), n=n_raters))]
    neck = unit_bottleneck(ctx, scores)
    neck = neck[neck["wave"] == wave]
    if len(profile) >= 3 and profile["mean"].notna().all():
        fig = scaling_radar(
            profile, label_column="label", unit_label=ctx.name, benchmark_label=ctx.t("programme_median")
        )
        names = ", ".join(ingredient_label(ctx, i) for i in neck["ingredient"])
        alt = ctx.t("radar_alt", name=ctx.name, wave=wave_label(ctx, wave), low=names)
        caption = ctx.t("caption_radar", wave=wave_label(ctx, wave), n=n_raters)
        parts.append(html.figure(fig, alt, caption))
    if len(neck):
        parts.append(html.paragraph(_bottleneck_sentence(ctx, neck)))
    attention = unit_attention(ctx, scores)
    attention = attention[attention["wave"] == wave]
    if len(attention):
        names = ", ".join(
            f"{ingredient_label(ctx, i)} ({ctx.n(m)})" for i, m in attention[["ingredient", "mean"]].values
        )
        parts.append(html.paragraph(ctx.t("attention_list", items=names)))
    else:
        parts.append(html.paragraph(ctx.t("attention_none")))
    parts.append(
        html.table(
            profile,
            {
                "label": ctx.t("ingredient"),
                "mean": ctx.t("mean_score"),
                "spread": ctx.t("rater_spread"),
                "n_raters": ctx.t("raters"),
                "median": ctx.t("programme_median"),
            },
            formats=numbers(ctx, "mean", "spread", "median"),
        )
    )
    parts.append(_transport(ctx))
    return "\n".join(parts)


def _bottleneck_sentence(ctx: ReportContext, neck: pd.DataFrame) -> str:
    """The bottleneck of one wave: one ingredient, a tie, or ingredients about the same; with its base."""
    names = ", ".join(ingredient_label(ctx, i) for i in neck["ingredient"])
    if as_shown(neck["mean"]).nunique() > 1:  # near-ties: each mean, and why they count as one bottleneck
        listed = ", ".join(f"{ingredient_label(ctx, i)} ({ctx.n(m)})" for i, m in neck[["ingredient", "mean"]].values)
        text = ctx.t("bottleneck_near", items=listed, within=ctx.n(unit_min_change(ctx).on_scale(1, 5)))
    else:
        key = "bottleneck_tie" if len(neck) > 1 else "bottleneck_one"
        text = ctx.t(key, ingredients=names, score=ctx.n(neck["mean"].iloc[0]))
    base = base_sentence(ctx, int(neck["n_raters"].min()), "raters")
    return f"{text} {base}" if base else text


def _transport(ctx: ReportContext) -> str:
    own = ctx.data["lessons"]
    title = html.heading(ctx.t("transport_title"), 3, ident="scaling-transport")
    if own.empty or ctx.kind != "partner":
        return ""
    found = transportability(own, recurrence=_recurrence(ctx))
    mine = found[found["unit"] == ctx.unit_id]
    if mine.empty:
        return title + html.paragraph(ctx.t("no_data"), "no-data")
    row = mine.iloc[0]
    artefacts = str(row["artefacts"]) or ctx.t("none")
    text = ctx.t(
        "transport_sentence",
        artefacts=artefacts,
        n=int(row["n_artefacts"]),
        shared=int(row["shared_with"]),
        adopted=int(row["adopted_by"]),
    )
    return title + html.paragraph(text)


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
    scores = unit_scaling(ctx)
    ranked = recommended_actions(
        chain=unit_broken_chain(ctx),
        gaps=unit_gaps(ctx),
        gap_changes=unit_gap_change(ctx),
        bottleneck=unit_bottleneck(ctx, scores),
        attention=unit_attention(ctx, scores),
        change=unit_change(ctx),
        criteria=unit_criteria(ctx),
        min_group_size=ctx.min_group_size,
    )
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
    return subject
