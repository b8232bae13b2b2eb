"""The analyses of one report, each computed once per report and shared by every section that shows it.

``ctx.analyses.chain`` is the unit's Kirkpatrick chain as released, whether the Kirkpatrick section,
the key findings, the actions or the waves section asks for it: a section reads these, it does not
recompute them. Each property runs its analysis on first use and keeps the result for the report.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from capeval.analysis.activities import activity_totals, efficiency_figures, unit_benchmark
from capeval.analysis.blocks import weakest
from capeval.analysis.compare import HeadlineFigures
from capeval.analysis.gaps import gap_change, least_consensus, partner_gaps_vs_benchmark, service_gaps
from capeval.analysis.kirkpatrick import (
    broken_chain,
    change_verdict,
    self_reported_levels,
)
from capeval.analysis.privacy import suppress_small_groups
from capeval.analysis.recommendations import recommended_actions
from capeval.analysis.release import float_columns, scope_key
from capeval.analysis.scaling import points_of_attention, scaling_bottleneck, scaling_scores
from capeval.analysis.synthesis import (
    bottleneck_counts,
    furthest_apart,
    largest_gap_frequency,
    latest_verdicts,
    shared_bottlenecks,
)
from capeval.analysis.themes import recurring_themes
from capeval.report.common import (
    baseline_and_follow_up,
    lesson_recurrence,
    released,
    released_gaps,
    released_levels,
    unit_min_change,
)
from capeval.report.headline import released_rating

if TYPE_CHECKING:
    from capeval.report.context import ReportContext


class Analyses:
    """One report's analyses (of ``ctx``'s unit slice, as the programme's release lets it show them)."""

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx

    @cached_property
    def chain(self) -> pd.DataFrame:
        """The unit's Kirkpatrick chain per wave and level (the unit's slice pooled), as released."""
        ctx = self.ctx
        chain = ctx.data.answer_result("chain", ctx.min_group_size)  # kirkpatrick_chain of the unit's answers
        return released(ctx, chain, "level:{level}", n_column="n_respondents")

    @cached_property
    def self_reported_levels(self) -> tuple[str, ...]:
        """The outcome levels measured by self-report beside reaction (every level label asks)."""
        return self_reported_levels(self.ctx.data["items"])

    @cached_property
    def broken_chain(self) -> pd.DataFrame:
        """The broken-chain verdict per wave, judged on the chain as shown."""
        return broken_chain(self.chain, by=())

    @cached_property
    def change(self) -> pd.DataFrame:
        """The unit's paired baseline to follow-up change per level, as released, with its verdict."""
        ctx = self.ctx
        change = ctx.data.answer_result("change", ctx.min_group_size)  # pre_post_change, first and last wave
        shown = released(ctx, change, "change:{level}", n_column="n_paired")
        return change_verdict(shown, min_change=unit_min_change(ctx).points_100)  # judged on what is shown

    @cached_property
    def criteria(self) -> pd.DataFrame:
        """The unit's criteria matrix (scores pooled over waves per respondent), as released."""
        ctx = self.ctx
        matrix = ctx.data.answer_result("criteria", ctx.min_group_size)  # criteria_matrix with the evidence sources
        return released(ctx, matrix, "criterion:{criterion}", n_column="n_respondents")

    @cached_property
    def service_gaps(self) -> pd.DataFrame:
        """Every partner's service gaps in the unit, per wave, as the portfolio privacy rule lets them show."""
        return released_gaps(self.ctx, service_gaps(self.ctx.data["portfolio"]))

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """A partner's service gaps with least-consensus flags (empty for other units)."""
        ctx = self.ctx
        if ctx.kind != "partner" or ctx.data["portfolio"].empty:
            return pd.DataFrame()
        return least_consensus(self.service_gaps, threshold=ctx.options.consensus_spread)

    @cached_property
    def own_gaps(self) -> pd.DataFrame:
        """A partner's service gaps in the latest wave beside the programme median, as released (the gaps
        section asks twice: whether all are hidden, and what to show)."""
        all_gaps = self.service_gaps
        mine = partner_gaps_vs_benchmark(all_gaps, self.ctx.data.benchmarks["gaps"], self.ctx.unit_id)
        return mine[mine["wave"] == int(all_gaps["wave"].max())]

    @cached_property
    def gap_change(self) -> pd.DataFrame:
        """A partner's gap change from baseline to follow-up, on the same respondents where they can be paired."""
        ctx = self.ctx
        portfolio = ctx.data["portfolio"]
        if ctx.kind != "partner" or portfolio.empty:
            return pd.DataFrame()
        baseline, follow_up = baseline_and_follow_up(ctx)
        points = unit_min_change(ctx).points_10
        change = gap_change(portfolio, baseline=baseline, follow_up=follow_up, min_change=points)
        if ctx.data.config.privacy.portfolio != "personal" or change.empty:
            return change
        # personal opinions: no change of fewer than min_group_size people compared, and so no claim about it
        small = change["n_compared"] < ctx.min_group_size
        out = suppress_small_groups(
            change, n_column="n_compared", value_columns=float_columns(change), min_size=ctx.min_group_size
        )
        out.loc[small, "effect"] = pd.NA
        return out

    @cached_property
    def scaling(self) -> pd.DataFrame:
        """The unit's own Scaling Scan scores, in programme.yaml's ingredient order."""
        ctx = self.ctx
        rows = ctx.data["scaling"]
        rows = rows[rows["unit_id"] == ctx.unit_id]
        ingredients = [i.id for i in ctx.data.config.scaling_ingredients]
        # rated by the unit's named roles (organisational, the default): shown whatever the number of raters
        personal = ctx.data.config.privacy.scaling == "personal"
        return scaling_scores(rows, ingredients=ingredients, min_raters=ctx.min_group_size if personal else 1)

    @cached_property
    def units_scaling(self) -> pd.DataFrame:
        """The Scaling Scan scores of the partners in this report's slice (a track's partners, the programme's
        partners), by the same privacy rule as :attr:`scaling`: the synthesis of a track or programme. A track's
        own scan is not one of them (it is the track report's own, :attr:`scaling`; :attr:`tracks_bottleneck`)."""
        ctx = self.ctx
        rows = ctx.data["scaling"]
        return self._scores(rows[rows["unit_id"].isin(ctx.data.partners["partner_id"])])

    @cached_property
    def tracks_bottleneck(self) -> pd.DataFrame:
        """The programme report: each track's own Scaling Scan bottleneck (near-ties included), per wave."""
        ctx = self.ctx
        if ctx.kind != "programme" or "tracks" not in ctx.data.tables:
            return pd.DataFrame(columns=["unit_id", "wave", "ingredient", "mean", "n_raters"])
        rows = ctx.data["scaling"]
        scores = self._scores(rows[rows["unit_id"].isin(ctx.data.tables["tracks"]["track_id"])])
        return scaling_bottleneck(scores, within=unit_min_change(ctx).on_scale(1, 5))

    def _scores(self, rows: pd.DataFrame) -> pd.DataFrame:
        ctx = self.ctx
        ingredients = [i.id for i in ctx.data.config.scaling_ingredients]
        personal = ctx.data.config.privacy.scaling == "personal"
        return scaling_scores(rows, ingredients=ingredients, min_raters=ctx.min_group_size if personal else 1)

    @cached_property
    def units_bottleneck(self) -> pd.DataFrame:
        """Every unit's bottleneck, as each unit's own report names it (near-ties included)."""
        return scaling_bottleneck(self.units_scaling, within=unit_min_change(self.ctx).on_scale(1, 5))

    @cached_property
    def bottleneck(self) -> pd.DataFrame:
        """The lowest ingredient(s); those less than the minimum change (on the 1-5 scale) above it tie."""
        return scaling_bottleneck(self.scaling, within=unit_min_change(self.ctx).on_scale(1, 5))

    @cached_property
    def attention(self) -> pd.DataFrame:
        """The ingredients scored below the ``attention_below`` threshold."""
        return points_of_attention(self.scaling, threshold=self.ctx.options.attention_below)

    @cached_property
    def recommended(self) -> pd.DataFrame:
        """The unit's recommended actions, ranked by the documented rules (without their sentences); a track's
        and the programme's also from their synthesis (chains per track, shared bottlenecks, types, themes)."""
        synthesis = self.ctx.kind != "partner"
        return recommended_actions(
            chain=self.broken_chain,
            gaps=self.gaps,
            gap_changes=self.gap_change,
            bottleneck=self.bottleneck,
            attention=self.attention,
            change=self.change,
            criteria=self.criteria,
            added_value=self.added_value_weak,
            track_chains=self.track_verdicts if synthesis else None,
            shared_bottleneck=self.shared_bottlenecks if synthesis else None,
            types_apart=self.types_apart if synthesis else None,
            themes=self.shared_themes if synthesis else None,
            min_group_size=self.ctx.min_group_size,
            min_change=unit_min_change(self.ctx).points_100,
        )

    @cached_property
    def type_levels(self) -> pd.DataFrame:
        """The Kirkpatrick levels per activity type (responses → activity → type), as released at this scope."""
        levels = self.ctx.data.answer_result("type_levels", self.ctx.min_group_size)  # levels_by_type
        return released(self.ctx, levels, "typelevel:{type}:{level}", n_column="n_respondents")

    @cached_property
    def type_criteria(self) -> pd.DataFrame:
        """The evaluation criteria per activity type (survey scores, waves pooled), as released at this scope."""
        scores = self.ctx.data.answer_result("type_criteria", self.ctx.min_group_size)  # criteria_by_type
        return released(self.ctx, scores, "typecriterion:{type}:{criterion}", n_column="n_respondents")

    @cached_property
    def type_questions(self) -> pd.DataFrame:
        """Per activity type, wave and coded ordinal question: the share of its two highest answers, as released."""
        shares = self.ctx.data.answer_result("type_questions", self.ctx.min_group_size)  # top_two_by_type
        return released(self.ctx, shares, "typequestion:{type}:{question_id}", n_column="n_respondents")

    @cached_property
    def types_apart(self) -> pd.DataFrame:
        """Per wave, the shown activity types highest and lowest on behaviour (L3), and how far apart."""
        return furthest_apart(self.type_levels, by="type")

    @cached_property
    def track_verdicts(self) -> pd.DataFrame:
        """The programme's tracks: each track's chain verdict in its latest judged wave, its levels as released
        at the track's scope (as the track's own report states it); empty in other reports."""
        ctx = self.ctx
        if ctx.kind != "programme":
            return latest_verdicts(broken_chain(pd.DataFrame(), by=("track_id",)))
        chain = ctx.data.answer_result("track_chains", ctx.min_group_size)  # track_chains of the programme
        shown = ctx.decisions.mask(
            chain,
            family=[f"level:{level}" for level in chain["level"]],
            key=[scope_key("track", str(t)) for t in chain["track_id"]],
            wave=list(chain["wave"]),
            n_column="n_respondents",
            value_columns=float_columns(chain),
        )
        return latest_verdicts(broken_chain(shown, by=("track_id",)))

    @cached_property
    def shared_bottlenecks(self) -> pd.DataFrame:
        """The ingredients that hold back many of the slice's units in the latest wave (a track or the programme)."""
        return shared_bottlenecks(bottleneck_counts(self.units_bottleneck, self.units_scaling))

    @cached_property
    def shared_themes(self) -> pd.DataFrame:
        """The themes this unit's lessons share with two or more partners or tracks, most widely shared first."""
        return recurring_themes(lesson_recurrence(self.ctx), self.ctx.data["lessons"])

    @cached_property
    def largest_gap_frequency(self) -> pd.DataFrame:
        """How often each service is a partner's largest gap in the latest wave, over the slice's partners."""
        return largest_gap_frequency(self.service_gaps)

    @cached_property
    def added_value_weak(self) -> pd.DataFrame:
        """The centre's contributions the partners rate under half the scale, as the release shows them."""
        from capeval.report.blocks import block_scores  # the sections' helper: it masks through the release

        dimensions = self.ctx.data.config.added_value
        return weakest(block_scores(self.ctx, dimensions)) if dimensions else pd.DataFrame()

    @cached_property
    def activity_totals(self) -> pd.Series:
        """The unit's activities, participations, hours and costs (with how many activities have them)."""
        return activity_totals(self.ctx.data["activities"])

    @cached_property
    def activity_benchmark(self) -> pd.DataFrame:
        """The programme's activity benchmark as this unit's report may show it (see
        :func:`capeval.analysis.activities.unit_benchmark`: totals and medians need enough other partners)."""
        ctx = self.ctx
        return unit_benchmark(
            ctx.data.benchmarks["activities"],
            ctx.data["activities"],
            ctx.data.partners,
            min_group_size=ctx.min_group_size,
            whole_programme=ctx.kind == "programme",
        )

    @cached_property
    def efficiency(self) -> pd.DataFrame:
        """The unit's cost per participant and per participant-hour beside the programme median, as this report
        may show it (:func:`capeval.analysis.activities.efficiency_figures`; the activities and criteria sections)."""
        ctx = self.ctx
        return efficiency_figures(ctx.data["activities"], ctx.data.partners, benchmark=self.activity_benchmark)

    @cached_property
    def headline(self) -> HeadlineFigures:
        """The unit's headline figures, the rating question as programme.yaml names it or the rule finds it."""
        ctx = self.ctx
        figures = ctx.data.headline(ctx.min_group_size)  # headline_figures, the rating question programme.yaml's
        return released_rating(figures, ctx.decisions, ctx.scope)

    @cached_property
    def partner_comparison(self) -> pd.DataFrame:
        """The unit's partners side by side in the latest wave, as the release lets this report show them."""
        ctx = self.ctx
        frame = ctx.data.answer_result("partner_comparison", ctx.min_group_size)  # compare_partners
        return released_levels(ctx, frame, [scope_key("partner", p) for p in frame["partner_id"]])
