"""Recommended actions: a ranked list per unit, derived from the evidence by fixed rules.

The rules, in order of priority (the first ranks highest; within a rule the most severe
figure first, then the subject's name):

1. ``broken_chain`` -- the latest wave whose chain verdict is "broken": reaction (L1) >= 70
   and behaviour (L3) < 50 % of scale with both 95 % intervals clear of their thresholds
   (a borderline chain triggers nothing): the learning does not transfer.
2. ``largest_gap`` -- the ``max_gaps`` services with the largest gap >= ``min_gap`` in the
   latest wave: OCA turns the largest gaps into the action plan.
3. ``scaling_bottleneck`` -- the lowest Scaling Scan ingredient(s), near-ties all listed.
4. ``gap_widened`` -- a service whose gap grew by at least the minimum change, compared on
   the same respondents where they can be paired (``effect`` "grew").
5. ``no_behaviour_change`` -- the conservative (Phillips) L3 change is under the minimum
   change (verdict "about_same" or "declined").
6. ``least_consensus`` -- a service at least two respondents disagree on: discuss it first.
7. ``point_of_attention`` -- other ingredients under the attention threshold.
8. ``criterion_without_evidence`` -- a criterion that applies to the programme has no evidence.
9. ``added_value_weak`` -- a contribution of the programme's centre that the partners rate under half
   its scale (:func:`capeval.analysis.blocks.weakest`): an action for the centre, never put in the
   partner's own action plan as if it were the partner's capacity gap.

A track's and the programme's synthesis adds (ranked among the above as listed in :data:`RULES`):

- ``track_broken_chain`` -- a learning track whose chain is broken in its latest judged wave
  (:func:`capeval.analysis.synthesis.latest_verdicts`, released at the track's scope): follow-up
  support on transfer to the job for that track (programme report).
- ``shared_bottleneck`` -- an ingredient that is the bottleneck of at least two units and a quarter of
  the scored units (:func:`capeval.analysis.synthesis.shared_bottlenecks`): a programme-wide action.
- ``type_lowest_behaviour`` -- the type of intervention lowest on behaviour (L3) in the latest wave that
  shows two, at least ``min_change`` points below the highest (:func:`capeval.analysis.synthesis.furthest_apart`):
  review its design.
- ``theme_rollout`` -- a theme the evaluator confirmed, shared by two or more tracks, with an artefact
  (:func:`capeval.analysis.themes.rollout_candidates`): roll it out.

Each action names the figure that triggered it (``figure``: the report section, and
``value``/``n``: the number shown there), what its n counts (``base``: respondents,
raters, paired respondents, or "unpaired": different respondents per wave) and
``small_base``: n is under ``min_group_size``, so the action must say what it rests on.
Values are compared as shown (one decimal); suppressed or hidden numbers trigger nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from capeval.analysis.claims import at_least

RULES = (
    "broken_chain",
    "track_broken_chain",
    "largest_gap",
    "scaling_bottleneck",
    "shared_bottleneck",
    "type_lowest_behaviour",
    "gap_widened",
    "no_behaviour_change",
    "least_consensus",
    "point_of_attention",
    "criterion_without_evidence",
    "added_value_weak",
    "theme_rollout",
)
FIGURES = {
    "broken_chain": "kirkpatrick",
    "largest_gap": "gaps",
    "scaling_bottleneck": "scaling",
    "gap_widened": "gaps",
    "no_behaviour_change": "kirkpatrick",
    "least_consensus": "gaps",
    "point_of_attention": "scaling",
    "criterion_without_evidence": "criteria",
    "added_value_weak": "added_value",
    "track_broken_chain": "tracks",
    "shared_bottleneck": "scaling",
    "type_lowest_behaviour": "interventions",
    "theme_rollout": "lessons",
}
# n counts respondents, raters, paired respondents, the smaller of two waves of different respondents,
# nothing (no evidence), the units scored (a shared bottleneck) or the partners sharing a theme
BASES = ("respondents", "raters", "paired", "unpaired", "none", "units", "partners")
PEOPLE = ("respondents", "raters", "paired", "unpaired")  # bases whose n is people: under min_group_size it says so
MIN_ROLLOUT_TRACKS = 2
COLUMNS = ["rank", "rule", "subject", "value", "n", "figure", "base", "small_base"]


def _latest(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None or frame.empty:
        return pd.DataFrame()
    return frame[frame["wave"] == frame["wave"].max()] if "wave" in frame else frame


def _rows(
    rule: str, frame: pd.DataFrame, subject: str, value: str, n: str, *, ascending: bool, base: str | pd.Series
) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    frame = frame.assign(_base=base)
    ordered = frame.sort_values([value, subject], ascending=[ascending, True], kind="stable")
    return [
        {
            "rule": rule,
            "subject": str(r[subject]),
            "value": float(r[value]),
            "n": int(r[n]),
            "figure": FIGURES[rule],
            "base": str(r["_base"]),
        }
        for r in ordered.to_dict("records")
    ]


def recommended_actions(
    *,
    chain: pd.DataFrame | None = None,
    gaps: pd.DataFrame | None = None,
    gap_changes: pd.DataFrame | None = None,
    bottleneck: pd.DataFrame | None = None,
    attention: pd.DataFrame | None = None,
    change: pd.DataFrame | None = None,
    criteria: pd.DataFrame | None = None,
    added_value: pd.DataFrame | None = None,
    track_chains: pd.DataFrame | None = None,
    shared_bottleneck: pd.DataFrame | None = None,
    types_apart: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    min_group_size: int,
    min_change: float = 0.0,
    max_gaps: int = 3,
    min_gap: float = 2.0,
) -> pd.DataFrame:
    """The ranked actions of one unit from its analyses (each optional).

    ``chain``: :func:`~capeval.analysis.kirkpatrick.broken_chain`; ``gaps``:
    :func:`~capeval.analysis.gaps.least_consensus` of the unit's service gaps;
    ``gap_changes``: :func:`~capeval.analysis.gaps.gap_change`; ``bottleneck`` and
    ``attention``: from :mod:`capeval.analysis.scaling`; ``change``:
    :func:`~capeval.analysis.kirkpatrick.change_verdict` of the pre/post change; ``criteria``:
    :func:`~capeval.analysis.criteria.criteria_matrix` (the criteria that apply); ``added_value``:
    :func:`~capeval.analysis.blocks.weakest` of the centre's added value (addressed to the centre). The
    synthesis of a track or programme: ``track_chains``: :func:`~capeval.analysis.synthesis.latest_verdicts`
    of the tracks' released chains; ``shared_bottleneck``: :func:`~capeval.analysis.synthesis.shared_bottlenecks`;
    ``types_apart``: :func:`~capeval.analysis.synthesis.furthest_apart` of the released levels per activity
    type (compared with ``min_change``, points 0-100); ``themes``:
    :func:`~capeval.analysis.themes.recurring_themes`. Returns rank, rule, subject, value, n, figure, base and
    small_base, one row per action.
    """
    actions: list[dict[str, Any]] = []
    broken = _latest(chain.dropna(subset=["l1", "l3"]) if chain is not None and len(chain) else None)
    if len(broken):
        hits = broken[broken["broken"].astype(bool)].assign(subject="L1-L3")
        actions += _rows("broken_chain", hits, "subject", "l3", "n_l3", ascending=True, base="respondents")
    latest = _latest(gaps)
    if len(latest):
        large = latest[at_least(latest["gap"], min_gap)].sort_values(["gap", "service"], ascending=[False, True])
        actions += _rows(
            "largest_gap", large.head(max_gaps), "service", "gap", "n_respondents", ascending=False, base="respondents"
        )
    neck = _latest(bottleneck)
    actions += _rows("scaling_bottleneck", neck, "ingredient", "mean", "n_raters", ascending=True, base="raters")
    if gap_changes is not None and len(gap_changes):
        grew = gap_changes[(gap_changes["effect"] == "grew").fillna(False)]
        bases = grew["compared"].map({"same": "paired", "paired": "paired"}).fillna("unpaired")
        actions += _rows("gap_widened", grew, "service", "change", "n_compared", ascending=False, base=bases)
    if change is not None and len(change):
        stalled = change[
            (change["level"] == "L3")
            & change["verdict"].isin(["about_same", "declined"]).fillna(False)
            & change["conservative_change"].notna()
        ]
        actions += _rows(
            "no_behaviour_change", stalled, "level", "conservative_change", "n_paired", ascending=True, base="paired"
        )
    if len(latest) and "least_consensus" in latest:
        actions += _rows(
            "least_consensus",
            latest[latest["least_consensus"].astype(bool)],
            "service",
            "spread",
            "n_respondents",
            ascending=False,
            base="respondents",
        )
    points = _latest(attention)
    if len(points):
        points = points[~points["ingredient"].isin(set(neck["ingredient"]) if len(neck) else set())]
        actions += _rows("point_of_attention", points, "ingredient", "mean", "n_raters", ascending=True, base="raters")
    if criteria is not None and len(criteria):
        missing = criteria[criteria["strength"] == "none"].assign(value=float("nan"))  # no evidence: no number
        actions += _rows(
            "criterion_without_evidence", missing, "criterion", "value", "n_respondents", ascending=True, base="none"
        )
    if added_value is not None and len(added_value):
        actions += _rows("added_value_weak", added_value, "dimension", "score", "n", ascending=True, base="respondents")
    if shared_bottleneck is not None and len(shared_bottleneck) and len(neck):  # the unit's own is ranked above
        shared_bottleneck = shared_bottleneck[~shared_bottleneck["ingredient"].isin(set(neck["ingredient"]))]
    actions += _synthesis_rows(track_chains, shared_bottleneck, types_apart, themes, min_change=min_change)
    order = {rule: i for i, rule in enumerate(RULES)}
    actions.sort(key=lambda action: order[action["rule"]])  # stable: within a rule the order above stays
    out = pd.DataFrame(actions, columns=COLUMNS[1:-1])
    out["small_base"] = out["base"].isin(PEOPLE) & (out["n"] < min_group_size)
    out.insert(0, "rank", pd.RangeIndex(1, len(out) + 1).to_numpy(dtype="int64"))
    return out


def _synthesis_rows(
    track_chains: pd.DataFrame | None,
    shared_bottleneck: pd.DataFrame | None,
    types_apart: pd.DataFrame | None,
    themes: pd.DataFrame | None,
    *,
    min_change: float,
) -> list[dict[str, Any]]:
    """The actions that follow from a track's or the programme's synthesis (see the module's rules)."""
    actions: list[dict[str, Any]] = []
    if track_chains is not None and len(track_chains):
        broken = track_chains[track_chains["broken"].astype(bool)]
        actions += _rows("track_broken_chain", broken, "track_id", "l3", "n_l3", ascending=True, base="respondents")
    if shared_bottleneck is not None and len(shared_bottleneck):
        shared = shared_bottleneck.astype({"n_bottleneck": "float64"})
        actions += _rows(
            "shared_bottleneck", shared, "ingredient", "n_bottleneck", "n_units", ascending=False, base="units"
        )
    apart = _latest(types_apart)
    if len(apart):
        lowest = apart[at_least(apart["difference"], min_change)]
        actions += _rows(
            "type_lowest_behaviour", lowest, "bottom", "bottom_mean", "bottom_n", ascending=True, base="respondents"
        )
    if themes is not None and len(themes):
        artefact = themes["artefacts"].fillna("").astype(str).str.strip() != ""
        wide = themes[themes["confirmed"].astype(bool) & (themes["n_tracks"] >= MIN_ROLLOUT_TRACKS) & artefact]
        actions += _rows(
            "theme_rollout",
            wide.astype({"n_tracks": "float64"}),
            "theme",
            "n_tracks",
            "n_partners",
            ascending=False,
            base="partners",
        )
    return actions
