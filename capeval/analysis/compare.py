"""Units side by side: partners of a track, tracks of a programme, waves over the years.

Pure functions: DataFrames in, DataFrames out. Survey scores follow the one suppression
rule of :mod:`capeval.analysis.privacy`: a group under ``min_group_size`` respondents
shows its n but no score, and one more group per level loses its score when a pooled
total would otherwise give the hidden one away (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from capeval.analysis.activities import activity_summary
from capeval.analysis.answers import response_rates
from capeval.analysis.gaps import service_gaps
from capeval.analysis.kirkpatrick import ATTRIBUTION, ATTRIBUTION_CONFIDENCE, RESPONDENT, scored_responses
from capeval.analysis.privacy import COMPLEMENTARY, SUPPRESSED, suppress_small_groups

LEVELS = ("L1", "L3")
HOURS_PER_DAY = 8.0  # a training day, for "training days" from activity hours
TOP_TWO_MIN_POINTS = 4  # an item needs a scale of at least 4 points for "the top two" to mean something


def level_scores(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    groups: pd.Series,
    min_group_size: int,
    levels: Sequence[str] = LEVELS,
    complementary: bool = True,
) -> pd.DataFrame:
    """Per group and level, all waves pooled: n_respondents and the mean of respondent means (0-100).

    ``groups`` gives each response row its group (the partner, its track, the wave); rows
    with a missing group are left out. Scores of groups under ``min_group_size`` are blank
    (``suppressed``); with ``complementary``, a single hidden group of a level also hides
    the smallest shown one (``suppressed_complementary``), as a pooled total would reveal it.
    """
    columns = ["group", "level", "n_respondents", "mean", SUPPRESSED, COMPLEMENTARY]
    if responses.empty:
        return pd.DataFrame(columns=columns)
    scored = scored_responses(responses.assign(group=groups.astype("string")), items)
    scored = scored[scored["level"].isin(levels) & ~scored["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])]
    scored = scored.dropna(subset=["group"])
    if scored.empty:
        return pd.DataFrame(columns=columns)
    per_respondent = scored.groupby(["group", "level", RESPONDENT], sort=True)["score"].mean().reset_index()
    out = per_respondent.groupby(["group", "level"], sort=True).agg(
        n_respondents=(RESPONDENT, "size"), mean=("score", "mean")
    )
    out = suppress_small_groups(
        out.reset_index(),
        n_column="n_respondents",
        value_columns=["mean"],
        min_size=min_group_size,
        complementary_within=["level"] if complementary else None,
    )
    if COMPLEMENTARY not in out:
        out[COMPLEMENTARY] = False
    out["group"] = out["group"].astype(str)
    return out[columns]


def _wide_levels(scores: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Level scores as columns l1, n_l1, l3, n_l3 (and which were hidden), one row per group."""
    out = pd.DataFrame(index=pd.Index(list(groups), name="group"))
    hidden = pd.Series(False, index=out.index)
    complementary = pd.Series(False, index=out.index)
    for level in LEVELS:
        name = level.lower()
        rows = scores[scores["level"] == level].set_index("group")
        out[name] = rows["mean"].reindex(out.index).astype("float64")
        out[f"n_{name}"] = rows["n_respondents"].reindex(out.index).fillna(0).astype("int64")
        hidden |= rows[SUPPRESSED].astype(bool).reindex(out.index, fill_value=False)
        complementary |= rows[COMPLEMENTARY].astype(bool).reindex(out.index, fill_value=False)
    out[SUPPRESSED] = hidden
    out[COMPLEMENTARY] = complementary
    return out


def _respondents(responses: pd.DataFrame, groups: pd.Series) -> pd.Series:
    """Distinct respondents per group (respondent ids are unique per partner)."""
    if responses.empty:
        return pd.Series(dtype="int64")
    keys = responses["partner_id"].astype(str) + "\x1f" + responses["respondent_id"].astype(str)
    return keys.groupby(groups.astype(str)).nunique()


def compare_partners(
    activities: pd.DataFrame,
    responses: pd.DataFrame,
    items: pd.DataFrame,
    portfolio: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    min_group_size: int,
) -> pd.DataFrame:
    """One row per partner: activities, participants, respondents, L1 and L3 (0-100), largest gap.

    L1 and L3 pool every wave. A partner under ``min_group_size`` respondents shows no
    score at all (L1, L3, gap); complementary suppression per level protects it against
    the unit's pooled level means. The largest gap is of the partner's latest portfolio
    wave (``gap_service``, ``gap``). Rows in ``partners`` order.
    """
    ids = [str(p) for p in partners["partner_id"]]
    groups = responses["partner_id"].astype(str)
    summary = activity_summary(activities, partners).set_index("partner_id")
    out = _wide_levels(level_scores(responses, items, groups=groups, min_group_size=min_group_size), ids)
    out["respondents"] = _respondents(responses, groups).reindex(out.index).fillna(0).astype("int64")
    out["activities"] = summary["activities"].reindex(out.index).fillna(0).astype("int64")
    out["participants"] = summary["participants"].reindex(out.index).fillna(0).astype("int64")
    out["name"] = partners.set_index(partners["partner_id"].astype(str))["name"].astype(str).reindex(out.index)
    largest = _largest_gaps(service_gaps(portfolio))
    out["gap_service"] = largest["service"].reindex(out.index)
    out["gap"] = largest["gap"].reindex(out.index).astype("float64")
    small = out["respondents"] < min_group_size
    out[SUPPRESSED] = out[SUPPRESSED] | small
    out.loc[small, ["l1", "l3"]] = np.nan
    out.loc[small, "gap"] = np.nan  # the gap has no pooled total in a report: only the partner's own rule
    out.loc[small, "gap_service"] = None
    columns = ["activities", "participants", "respondents", "l1", "n_l1", "l3", "n_l3", "gap_service", "gap"]
    return out.reset_index(names="partner_id")[["partner_id", "name", *columns, SUPPRESSED, COMPLEMENTARY]]


def _largest_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per partner: the service with the largest gap in its latest wave (ties: first service by id)."""
    if gaps.empty:
        return pd.DataFrame(columns=["service", "gap"], index=pd.Index([], name="partner_id"))
    latest = gaps[gaps["wave"] == gaps.groupby("partner_id")["wave"].transform("max")].dropna(subset=["gap"])
    ranked = latest.sort_values(["partner_id", "gap", "service"], ascending=[True, False, True], kind="stable")
    first = ranked.groupby("partner_id", sort=True).head(1)
    return first.set_index(first["partner_id"].astype(str))[["service", "gap"]]


def compare_tracks(
    activities: pd.DataFrame,
    responses: pd.DataFrame,
    items: pd.DataFrame,
    partners: pd.DataFrame,
    tracks: pd.DataFrame,
    *,
    min_group_size: int,
) -> pd.DataFrame:
    """One row per track with partners: n_partners, activities, participants, respondents, L1, L3.

    A partner without a track counts under its own row with track_id "" (when there is one).
    Scores follow the same rule as :func:`compare_partners`, with the track as the group.
    """
    pairs = zip(partners["partner_id"], partners["track_id"], strict=True)
    track_of = {str(p): ("" if pd.isna(t) else str(t)) for p, t in pairs}
    names = dict(zip(tracks["track_id"].astype(str), tracks["name"].astype(str), strict=True))
    present = sorted(set(track_of.values()), key=lambda t: (t == "", t))
    groups = responses["partner_id"].astype(str).map(track_of)
    out = _wide_levels(level_scores(responses, items, groups=groups, min_group_size=min_group_size), present)
    out["n_partners"] = pd.Series(track_of).value_counts().reindex(out.index).fillna(0).astype("int64")
    out["respondents"] = _respondents(responses, groups).reindex(out.index).fillna(0).astype("int64")
    acts = activities.assign(group=activities["partner_id"].astype(str).map(track_of))
    out["activities"] = acts.groupby("group")["activity_id"].count().reindex(out.index).fillna(0).astype("int64")
    participants = acts.groupby("group")["participants"].sum()
    out["participants"] = participants.reindex(out.index).fillna(0).astype("int64")
    out["name"] = [names.get(t, t) for t in out.index]
    columns = ["name", "n_partners", "activities", "participants", "respondents", "l1", "n_l1", "l3", "n_l3"]
    return out.reset_index(names="track_id")[["track_id", *columns, SUPPRESSED, COMPLEMENTARY]]


def activity_year(activities: pd.DataFrame) -> pd.Series:
    """The calendar year of each activity's date (<NA> when the date is missing)."""
    return pd.to_datetime(activities["date"], errors="coerce").dt.year.astype("Int64")


def intervention_mix(activities: pd.DataFrame) -> pd.DataFrame:
    """Per year and activity type: activities, participants and hours; years then types in order."""
    columns = ["year", "type", "activities", "participants", "hours"]
    if activities.empty:
        return pd.DataFrame(columns=columns)
    acts = activities.assign(year=activity_year(activities)).dropna(subset=["year"])
    out = acts.groupby(["year", "type"], observed=True, sort=True).agg(
        activities=("activity_id", "count"), participants=("participants", "sum"), hours=("hours", "sum")
    )
    out = out.reset_index()
    out["year"] = out["year"].astype("int64")
    out["participants"] = out["participants"].astype("int64")
    out["hours"] = out["hours"].astype("float64")
    return out[columns]


def waves_over_years(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    activities: pd.DataFrame,
    waves: pd.DataFrame,
    *,
    min_group_size: int,
) -> pd.DataFrame:
    """Per wave of ``waves`` (wave, label, year): respondents, partners answering, L1 and L3 of the unit,
    and the activities held in the wave's year (<NA> when the wave has no year).

    Level scores pool the unit's respondents of that wave; below ``min_group_size`` they are blank.
    """
    out = waves[["wave", "label", "year"]].copy().reset_index(drop=True)
    out["wave"] = out["wave"].astype("int64")
    groups = responses["wave"].astype("int64").astype(str)
    out["respondents"] = (
        _respondents(responses, groups).reindex(out["wave"].astype(str)).fillna(0).astype("int64").to_numpy()
    )
    answering = responses.groupby(groups)["partner_id"].nunique() if len(responses) else pd.Series(dtype="int64")
    out["partners"] = answering.reindex(out["wave"].astype(str)).fillna(0).astype("int64").to_numpy()
    # one wave's scores are shown per wave elsewhere too: primary suppression only
    scores = level_scores(responses, items, groups=groups, min_group_size=min_group_size, complementary=False)
    for level in LEVELS:
        means = scores[scores["level"] == level].set_index("group")["mean"]
        out[level.lower()] = means.reindex(out["wave"].astype(str)).astype("float64").to_numpy()
    counts = activity_year(activities).value_counts() if len(activities) else pd.Series(dtype="int64")
    year = out["year"].astype("Int64")
    out["activities"] = year.map(lambda y: pd.NA if pd.isna(y) else int(counts.get(y, 0))).astype("Int64")
    return out


def top_two_share(responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int) -> tuple[float, int]:
    """Share of L1 (reaction) answers in the top two points of their scale, and the respondents behind it.

    Only items whose scale has at least :data:`TOP_TWO_MIN_POINTS` points count. The share
    is NaN without such answers or when fewer than ``min_group_size`` respondents gave them.
    """
    rated = items[
        (items["level"] == "L1")
        & (items["scale_max"].astype("float64") - items["scale_min"].astype("float64") >= TOP_TWO_MIN_POINTS - 1)
    ]
    rows = responses.merge(rated[["item_id", "scale_max"]], on="item_id", how="inner")
    rows = rows.dropna(subset=["value"])
    n = int((rows["partner_id"].astype(str) + "\x1f" + rows["respondent_id"].astype(str)).nunique()) if len(rows) else 0
    if n == 0 or n < min_group_size:
        return float("nan"), n
    top = rows["value"].astype("float64") >= rows["scale_max"].astype("float64") - 1
    return float(top.mean()), n


def headline_figures(
    activities: pd.DataFrame, responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int
) -> dict[str, float]:
    """The figures training networks publish: activities, training hours and days (of 8 h), people
    trained (participants), respondents, response rate (respondents of activities / their
    participants) and the share rating the training in the top two scale points (NaN when
    suppressed or without such items; ``top_two_n`` says over how many respondents).
    """
    hours = float(activities["hours"].astype("float64").sum()) if len(activities) else 0.0
    participants = int(activities["participants"].sum()) if len(activities) else 0
    rates = response_rates(activities, responses)
    reached = int(rates["respondents"].sum()) if len(rates) else 0
    share, n = top_two_share(responses, items, min_group_size=min_group_size)
    respondents = (
        int((responses["partner_id"].astype(str) + "\x1f" + responses["respondent_id"].astype(str)).nunique())
        if len(responses)
        else 0
    )
    return {
        "activities": float(len(activities)),
        "training_hours": hours,
        "training_days": hours / HOURS_PER_DAY,
        "participants": float(participants),
        "respondents": float(respondents),
        "response_rate": reached / participants if participants else float("nan"),
        "top_two_share": share,
        "top_two_n": float(n),
    }
