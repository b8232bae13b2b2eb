"""What the report sections share: the unit's analyses as released, labels, formats and small HTML helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from capeval.analysis.activities import unit_benchmark
from capeval.analysis.compare import LEVELS
from capeval.analysis.criteria import criteria_matrix, evidence_sources
from capeval.analysis.gaps import CONSENSUS_SPREAD, gap_change, least_consensus, service_gaps
from capeval.analysis.kirkpatrick import broken_chain, change_verdict, kirkpatrick_chain, pre_post_change
from capeval.analysis.privacy import COMPLEMENTARY_REASON, NOT_RELEASED, SMALL, suppress_small_groups
from capeval.analysis.release import PROGRAMME, float_columns
from capeval.analysis.scaling import ATTENTION_BELOW, points_of_attention, scaling_bottleneck, scaling_scores
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
    return str(labels.get(int(str(wave)), wave))


def ingredient_label(ctx: ReportContext, ingredient: str) -> str:
    labels = {i.id: i.label for i in ctx.data.config.scaling_ingredients}
    return labels.get(ingredient, ingredient)


def numbers(ctx: ReportContext, *columns: str, digits: int = 1) -> dict[str, Callable[[Any], str]]:
    """Table formats that write ``columns`` as the reader's numbers."""

    def write(value: Any) -> str:
        return ctx.n(value, digits)

    return dict.fromkeys(columns, write)


def option(ctx: ReportContext, name: str, default: float) -> float:
    """A report parameter that overrides a documented default (e.g. ``consensus_spread``)."""
    value = ctx.parameters.get(name)
    return default if value is None or value == "" else float(value)


def unit_min_change(ctx: ReportContext) -> MinChange:
    """programme.yaml's ``min_change``; the report parameters ``min_change_10`` and ``min_change_100`` override it."""
    declared = ctx.data.config.min_change
    return MinChange(
        points_10=option(ctx, "min_change_10", declared.points_10),
        points_100=option(ctx, "min_change_100", declared.points_100),
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


def activity_benchmark_shown(ctx: ReportContext) -> pd.DataFrame:
    """The programme's activity benchmark as this unit's report may show it (see
    :func:`capeval.analysis.activities.unit_benchmark`: totals and medians need enough other partners)."""
    return unit_benchmark(
        ctx.data.benchmarks["activities"],
        ctx.data["activities"],
        ctx.data.partners,
        min_group_size=ctx.min_group_size,
        whole_programme=ctx.kind == "programme",
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


def unit_criteria(ctx: ReportContext) -> pd.DataFrame:
    """The unit's criteria matrix (scores pooled over waves per respondent), as released."""
    tables = ctx.data.tables
    matrix = criteria_matrix(
        tables["responses"],
        tables["items"],
        sources=evidence_sources(tables),
        min_group_size=ctx.min_group_size,
        criteria=tuple(ctx.data.config.criteria),
    )
    return released(ctx, matrix, "criterion:{criterion}", n_column="n_respondents")


def unit_chain(ctx: ReportContext) -> pd.DataFrame:
    """The unit's Kirkpatrick chain per wave and level (the unit's slice pooled), as released."""
    chain = kirkpatrick_chain(ctx.data["responses"], ctx.data["items"], by=(), min_group_size=ctx.min_group_size)
    return released(ctx, chain, "level:{level}", n_column="n_respondents")


def unit_change(ctx: ReportContext) -> pd.DataFrame:
    """The unit's paired baseline to follow-up change per level, as released, with its verdict."""
    baseline, follow_up = baseline_and_follow_up(ctx)
    change = pre_post_change(
        ctx.data["responses"],
        ctx.data["items"],
        baseline=baseline,
        follow_up=follow_up,
        by=(),
        min_group_size=ctx.min_group_size,
    )
    shown = released(ctx, change, "change:{level}", n_column="n_paired")
    return change_verdict(shown, min_change=unit_min_change(ctx).points_100)  # judged on what is shown


def unit_broken_chain(ctx: ReportContext) -> pd.DataFrame:
    return broken_chain(unit_chain(ctx), by=())


def unit_gaps(ctx: ReportContext) -> pd.DataFrame:
    """A partner's service gaps with least-consensus flags (empty for other units)."""
    portfolio = ctx.data["portfolio"]
    if ctx.kind != "partner" or portfolio.empty:
        return pd.DataFrame()
    spread = option(ctx, "consensus_spread", CONSENSUS_SPREAD)
    return least_consensus(released_gaps(ctx, service_gaps(portfolio)), threshold=spread)


def released_gaps(ctx: ReportContext, gaps: pd.DataFrame) -> pd.DataFrame:
    """Service gaps as the programme's ``privacy.portfolio`` rule lets a report show them: all of them for an
    organisational self-assessment; for personal opinions, none of fewer than min_group_size respondents."""
    if ctx.data.config.privacy.portfolio != "personal" or gaps.empty:
        return gaps
    return suppress_small_groups(
        gaps, n_column="n_respondents", value_columns=float_columns(gaps), min_size=ctx.min_group_size
    )


def unit_gap_change(ctx: ReportContext) -> pd.DataFrame:
    """A partner's gap change from baseline to follow-up, on the same respondents where they can be paired."""
    portfolio = ctx.data["portfolio"]
    if ctx.kind != "partner" or portfolio.empty:
        return pd.DataFrame()
    baseline, follow_up = baseline_and_follow_up(ctx)
    change = gap_change(portfolio, baseline=baseline, follow_up=follow_up, min_change=unit_min_change(ctx).points_10)
    if ctx.data.config.privacy.portfolio != "personal" or change.empty:
        return change
    # personal opinions: no change of fewer than min_group_size people compared, and so no claim about it
    small = change["n_compared"] < ctx.min_group_size
    out = suppress_small_groups(
        change, n_column="n_compared", value_columns=float_columns(change), min_size=ctx.min_group_size
    )
    out.loc[small, "effect"] = pd.NA
    return out


def unit_scaling(ctx: ReportContext) -> pd.DataFrame:
    """The unit's own Scaling Scan scores, in programme.yaml's ingredient order."""
    rows = ctx.data["scaling"]
    rows = rows[rows["unit_id"] == ctx.unit_id]
    ingredients = [i.id for i in ctx.data.config.scaling_ingredients]
    # rated by the unit's named roles (organisational, the default): shown whatever the number of raters
    personal = ctx.data.config.privacy.scaling == "personal"
    return scaling_scores(rows, ingredients=ingredients, min_raters=ctx.min_group_size if personal else 1)


def unit_bottleneck(ctx: ReportContext, scores: pd.DataFrame) -> pd.DataFrame:
    """The lowest ingredient(s); those less than the minimum change (on the 1-5 scale) above it tie."""
    return scaling_bottleneck(scores, within=unit_min_change(ctx).on_scale(1, 5))


def unit_attention(ctx: ReportContext, scores: pd.DataFrame) -> pd.DataFrame:
    threshold = option(ctx, "attention_below", ATTENTION_BELOW)
    return points_of_attention(scores, threshold=threshold)


def percent(ctx: ReportContext, value: float) -> str:
    """A share (0-1) as the reader writes a whole percentage ("–" when hidden or unknown)."""
    return "–" if pd.isna(value) else f"{ctx.n(100 * value, 0)} %"


def lesson_recurrence(ctx: ReportContext) -> pd.DataFrame:
    """The programme's recurring-lesson clusters (precomputed by the store), empty when it has none."""
    empty = pd.DataFrame(columns=["lesson_id", "cluster", "n_partners", "n_tracks", "recurring"])
    return ctx.data.benchmarks.get("lesson_recurrence", empty)


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
