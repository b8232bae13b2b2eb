"""What the report sections share: the unit's analyses as released, labels, formats and small HTML helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from capeval.analysis.compare import LEVELS
from capeval.analysis.privacy import COMPLEMENTARY_REASON, NOT_RELEASED, SMALL, suppress_small_groups
from capeval.analysis.release import PROGRAMME, float_columns
from capeval.i18n import day, own_word
from capeval.i18n import percent as percent_text
from capeval.report import html
from capeval.report.context import ReportContext
from capeval.schema import MinChange


def no_data(ctx: ReportContext, head: str) -> str:
    """A section's heading and the one line saying it has no data."""
    return head + html.paragraph(ctx.t("no_data"), "no-data")


def baseline_and_follow_up(ctx: ReportContext) -> tuple[int, int]:
    """The programme's baseline and follow-up wave ids."""
    ids = ctx.data.config.wave_ids
    return min(ids), max(ids)


def wave_label(ctx: ReportContext, wave: object) -> str:
    labels = {w.id: w.label for w in ctx.data.config.waves}
    # a name the programme took from the table is shown in the report's language ("follow-up": vervolgmeting)
    return own_word("wave_word_", wave, labels.get(int(str(wave)), wave), ctx.language)


def ingredient_label(ctx: ReportContext, ingredient: str) -> str:
    labels = {i.id: i.label for i in ctx.data.config.scaling_ingredients}
    return own_word("ingredient_", ingredient, labels.get(ingredient, ingredient), ctx.language)


def numbers(ctx: ReportContext, *columns: str, digits: int = 1) -> dict[str, Callable[[Any], str]]:
    """Table formats that write ``columns`` as the reader's numbers."""

    def write(value: Any) -> str:
        return ctx.n(value, digits)

    return dict.fromkeys(columns, write)


def unit_min_change(ctx: ReportContext) -> MinChange:
    """The smallest change this report calls a change: the options ``min_change_10`` and ``min_change_100``
    (open_report resolved them: the run's, else programme.yaml's ``min_change``)."""
    declared, chosen = ctx.data.config.min_change, ctx.options
    return MinChange(
        points_10=declared.points_10 if chosen.min_change_10 is None else chosen.min_change_10,
        points_100=declared.points_100 if chosen.min_change_100 is None else chosen.min_change_100,
    )


def base_sentence(ctx: ReportContext, n: int, base: str = "respondents") -> str:
    """What a claim rests on when it must say so: fewer than min_group_size (respondents, raters or
    paired respondents), or different respondents in each wave ("unpaired"); else ""."""
    if base == "unpaired":
        return ctx.t("base_unpaired", n=n)
    if base not in ("respondents", "raters", "paired") or n >= ctx.min_group_size:
        return ""
    return ctx.t(f"base_{base}_{'one' if n == 1 else 'many'}", n=n)


def suppressed_note(ctx: ReportContext, frame: pd.DataFrame) -> str:
    if "suppressed" in frame and bool(frame["suppressed"].any()):
        return html.paragraph(ctx.t("suppressed_note", min=ctx.min_group_size), "note")
    return ""


def all_hidden(frame: pd.DataFrame, value_columns: Sequence[str]) -> bool:
    """Whether the release or the small-group rule hid every value of ``value_columns`` in ``frame``: it has
    rows, none shows a value, and (where ``frame`` has a ``suppressed`` column) at least one was hidden, not absent."""
    columns = [c for c in value_columns if c in frame]
    if frame.empty or not columns or bool(frame[columns].notna().to_numpy().any()):
        return False
    return "suppressed" not in frame or bool(frame["suppressed"].any())


def hidden_sentence(ctx: ReportContext, what: str, base: str = "respondents") -> str:
    """The one sentence that stands instead of a table whose every value is hidden: what is not shown
    (``what``: a ``hidden_what_*`` label) and why, with the threshold; ``base`` is what the threshold counts
    (respondents, paired respondents, a personal portfolio's respondents, a personal Scaling Scan's raters)."""
    key = "hidden_all" if base == "respondents" else f"hidden_all_{base}"  # paired, portfolio, raters
    text = ctx.t(key, what=ctx.t(f"hidden_what_{what}"), min=ctx.min_group_size)
    return html.paragraph(text, "note hidden-all")


def released(
    ctx: ReportContext, frame: pd.DataFrame, family: str, *, n_column: str, key: str | None = None
) -> pd.DataFrame:
    """``frame`` as the programme's release lets this report show it: rows whose cell is hidden lose
    their values (see :mod:`capeval.analysis.release`). ``family`` is formatted with each row's columns
    (e.g. ``"level:{level}"``); the row's ``wave`` column, if any, names its wave."""
    if frame.empty:
        return frame.assign(reason=pd.Series(dtype=str))
    rows = frame.to_dict("records")
    return ctx.decisions.mask(
        frame,
        family=[family.format(**{str(k): v for k, v in row.items()}) for row in rows],
        key=key or ctx.scope,
        wave=list(frame["wave"]) if "wave" in frame else None,
        n_column=n_column,
        value_columns=float_columns(frame),
    )


def programme_benchmark(ctx: ReportContext, name: str, family: str, *, n_column: str) -> pd.DataFrame:
    """A precomputed programme benchmark as this report's release lets it show the programme's cells
    (the store applied the programme's own threshold; a report rendered with another applies its own,
    and then shows no spread of partner scores, which was taken over partners of the programme's threshold)."""
    bench = ctx.data.benchmarks.get(name)
    if bench is None or bench.empty:
        return pd.DataFrame(columns=["wave", "level", "criterion", "mean", "median", "score", "conservative_change"])
    if ctx.min_group_size == ctx.data.config.min_group_size:
        return bench
    out = released(ctx, bench, family, n_column=n_column, key=PROGRAMME)
    for column in ("median", "q1", "q3"):
        if column in out:
            out[column] = float("nan")
    return out


def released_gaps(ctx: ReportContext, gaps: pd.DataFrame) -> pd.DataFrame:
    """Service gaps as the programme's ``privacy.portfolio`` rule lets a report show them: all of them for an
    organisational self-assessment; for personal opinions, none of fewer than min_group_size respondents."""
    if ctx.data.config.privacy.portfolio != "personal" or gaps.empty:
        return gaps
    return suppress_small_groups(
        gaps, n_column="n_respondents", value_columns=float_columns(gaps), min_size=ctx.min_group_size
    )


def day_text(ctx: ReportContext, value: object) -> str:
    """A date (a datetime's day, an ISO date string) as the reader writes it ("22 april 2024"); "–" when missing."""
    if isinstance(value, str) and value:
        value = date.fromisoformat(value[:10])
    if not isinstance(value, date) or pd.isna(value):  # NaT is a datetime too
        return "–"
    return day(value, ctx.language)


def percent(ctx: ReportContext, value: float) -> str:
    """A share (0-1) as the reader writes a whole percentage ("–" when hidden or unknown)."""
    return percent_text(None if pd.isna(value) else value, ctx.language)


def lesson_recurrence(ctx: ReportContext, *, suggested: bool = False) -> pd.DataFrame:
    """The programme's lesson themes (precomputed by the store), one row per lesson; empty when it has none.

    A shareable report reads only the themes the evaluator confirmed (``lesson_themes.csv``): a theme
    suggested by word overlap alone is no finding to sign. The internal report, where the evaluator
    reviews the suggestions, and ``suggested=True`` read them all."""
    empty = pd.DataFrame(columns=["lesson_id", "cluster", "confirmed", "n_partners", "n_tracks", "recurring"])
    frame = ctx.data.benchmarks.get("lesson_recurrence", empty)
    if suggested or ctx.narrative_kind == "programme-internal":
        return frame
    confirmed = frame["confirmed"].astype(bool) if "confirmed" in frame else pd.Series(False, index=frame.index)
    return frame[confirmed].reset_index(drop=True)


def released_levels(ctx: ReportContext, frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame``'s l1 and l3 (with n_l1, n_l3 and ``wave``) blanked where the release hides them;
    ``reason_l1`` and ``reason_l3`` say why."""
    for level in LEVELS:
        name = level.lower()
        frame = ctx.decisions.mask(
            frame,
            family=f"level:{level}",
            key=keys,
            wave=list(frame["wave"]),
            n_column=f"n_{name}",
            value_columns=[name],
        ).rename(columns={"reason": f"reason_{name}"})
    return frame


def hidden_counts(frame: pd.DataFrame, min_group_size: int) -> tuple[int, int]:
    """(scores hidden for fewer than ``min_group_size`` respondents, scores hidden so that a difference
    of published figures does not reveal a small group) in a comparison from :func:`released_levels`."""
    reasons = pd.concat([frame[f"reason_{level.lower()}"] for level in LEVELS])
    return int((reasons == SMALL).sum()), int(reasons.isin([COMPLEMENTARY_REASON, NOT_RELEASED]).sum())


def suppression_note(ctx: ReportContext, frame: pd.DataFrame) -> str:
    own, extra = hidden_counts(frame, ctx.min_group_size)
    if not own + extra:
        return ""
    return html.paragraph(ctx.t("rel_compare_note", min=ctx.min_group_size, k=own, c=extra), "note")


def comparison_wave(ctx: ReportContext, frame: pd.DataFrame) -> str:
    wave = frame["wave"].dropna()
    return wave_label(ctx, wave.iloc[0]) if len(wave) else "–"


def unit_costs_shown(ctx: ReportContext) -> bool:
    """Whether this report may show its unit's own cost figures. A partner's are its own record. A track's or
    the programme's total is the sum of its partners' costs: shown only when at least ``min_group_size`` + 1
    partners have a known cost, so that the total minus one partner's own (which that partner knows) gives
    away the costs of no fewer than ``min_group_size`` other partners, as the programme totals beside a unit.
    A track of one partner shows that partner's own costs."""
    if ctx.kind == "partner" or len(ctx.data.partners) == 1:  # a one-partner track is read by that partner alone
        return True
    return costed_partners(ctx) - 1 >= ctx.min_group_size


def costed_partners(ctx: ReportContext) -> int:
    """How many partners of this report's unit have an activity with a known cost."""
    acts = ctx.data["activities"]
    if acts.empty or "cost_eur" not in acts:
        return 0
    return int(acts.loc[acts["cost_eur"].notna(), "partner_id"].nunique())
