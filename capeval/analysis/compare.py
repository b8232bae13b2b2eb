"""Units side by side: partners of a track, tracks of a programme, waves over the years.

Pure functions: DataFrames in, DataFrames out. Survey scores are per wave and follow the
primary rule of :mod:`capeval.analysis.privacy`: a group under ``min_group_size`` respondents
shows its n but no score. Which further scores a difference of published ones would give
away is decided once for the programme's whole release (:mod:`capeval.analysis.release`),
and the report sections apply it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from capeval.analysis.activities import activity_summary
from capeval.analysis.answers import response_rates
from capeval.analysis.gaps import service_gaps
from capeval.analysis.kirkpatrick import (
    outcome_items,
    restore_item_columns,
    scored_responses,
)
from capeval.analysis.privacy import SUPPRESSED, suppress_small_groups
from capeval.analysis.respondents import RESPONDENT, count_respondents, respondent_codes
from capeval.schema import TOP_TWO_MIN_POINTS

LEVELS = ("L1", "L3")
HOURS_PER_DAY = 8.0  # a training day, for "training days" from activity hours


def level_scores(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    groups: pd.Series,
    min_group_size: int,
    levels: Sequence[str] = LEVELS,
) -> pd.DataFrame:
    """Per group and level: n_respondents and the mean of respondent means (0-100).

    ``groups`` gives each response row its group (the partner, its track, the wave); rows with a
    missing group are left out. Pass the answers of one wave: scores pooled over waves would
    give a wave's hidden score away beside the per-wave ones. Scores of groups under
    ``min_group_size`` are blank (``suppressed``); what a difference of published scores would
    reveal is decided for the whole release (:mod:`capeval.analysis.release`).
    """
    columns = ["group", "level", "n_respondents", "mean", SUPPRESSED]
    if responses.empty:
        return pd.DataFrame(columns=columns)
    scored_items = outcome_items(items[items["level"].isin(levels)])
    scored = scored_responses(responses.assign(group=_group_strings(groups)), scored_items, keep=("group",))
    scored = scored.dropna(subset=["group"])
    if scored.empty:
        return pd.DataFrame(columns=columns)
    keys = ["group", "level", RESPONDENT]
    per_respondent = scored.groupby(keys, observed=True, sort=True)["score"].mean().reset_index()
    del scored
    out = per_respondent.groupby(["group", "level"], observed=True, sort=True).agg(
        n_respondents=(RESPONDENT, "size"), mean=("score", "mean")
    )
    out = suppress_small_groups(
        restore_item_columns(out.reset_index(), items),
        n_column="n_respondents",
        value_columns=["mean"],
        min_size=min_group_size,
    )
    out["group"] = out["group"].astype(str)
    return out[columns]


def _group_strings(groups: pd.Series) -> pd.Series:
    """``groups`` as strings: kept as they are when they already are (1 M answers' groups as Python
    strings would take 60 MB)."""
    return groups if isinstance(groups.dtype, pd.StringDtype) else groups.astype("string")


def _wide_levels(scores: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Level scores as columns l1, n_l1, l3, n_l3, one row per group."""
    out = pd.DataFrame(index=pd.Index(list(groups), name="group"))
    hidden = pd.Series(False, index=out.index)
    for level in LEVELS:
        name = level.lower()
        rows = scores[scores["level"] == level].set_index("group")
        out[name] = rows["mean"].reindex(out.index).astype("float64")
        out[f"n_{name}"] = rows["n_respondents"].reindex(out.index).fillna(0).astype("int64")
        hidden |= rows[SUPPRESSED].astype(bool).reindex(out.index, fill_value=False)
    out[SUPPRESSED] = hidden
    return out


def _respondents(responses: pd.DataFrame, groups: pd.Series) -> pd.Series:
    """Distinct respondents per group (respondent ids are unique per partner)."""
    if responses.empty:
        return pd.Series(dtype="int64")
    people = pd.Series(respondent_codes(responses), index=responses.index)
    return people.groupby(_group_strings(groups)).nunique()


def latest_wave(responses: pd.DataFrame) -> int | None:
    """The latest wave with answers (None without answers)."""
    return None if responses.empty else int(responses["wave"].astype("int64").max())


def compare_partners(
    activities: pd.DataFrame,
    responses: pd.DataFrame,
    items: pd.DataFrame,
    portfolio: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    min_group_size: int,
    wave: int | None = None,
    personal_portfolio: bool = False,
) -> pd.DataFrame:
    """One row per partner: activities, participants, respondents, L1 and L3 (0-100) in ``wave``, largest gap.

    ``wave`` defaults to the latest wave with answers; respondents, L1 and L3 are of that wave.
    A score of fewer than ``min_group_size`` respondents is blank. The largest gap is of the
    partner's latest portfolio wave (``gap_service``, ``gap``, ``n_gap`` respondents); a
    portfolio is the organisation's own self-assessment, shown whatever its n, unless
    ``personal_portfolio`` (then a gap of fewer than ``min_group_size`` respondents is blank).
    Rows in ``partners`` order.
    """
    ids = [str(p) for p in partners["partner_id"]]
    wave = latest_wave(responses) if wave is None else wave
    answers = responses[responses["wave"].astype("int64") == wave] if wave is not None else responses
    groups = _group_strings(answers["partner_id"])
    summary = activity_summary(activities, partners).set_index("partner_id")
    out = _wide_levels(level_scores(answers, items, groups=groups, min_group_size=min_group_size), ids)
    out["wave"] = wave
    out["respondents"] = _respondents(answers, groups).reindex(out.index).fillna(0).astype("int64")
    out["activities"] = summary["activities"].reindex(out.index).fillna(0).astype("int64")
    out["participants"] = summary["participants"].reindex(out.index).fillna(0).astype("int64")
    out["name"] = partners.set_index(partners["partner_id"].astype(str))["name"].astype(str).reindex(out.index)
    largest = largest_gaps(service_gaps(portfolio))
    out["gap_service"] = largest["service"].reindex(out.index)
    out["gap"] = largest["gap"].reindex(out.index).astype("float64")
    out["n_gap"] = largest["n_respondents"].reindex(out.index).fillna(0).astype("int64")
    if personal_portfolio:
        small = out["n_gap"] < min_group_size
        out.loc[small, "gap"] = np.nan
        out.loc[small, "gap_service"] = None
    columns = ["wave", "activities", "participants", "respondents", "l1", "n_l1", "l3", "n_l3"]
    columns += ["gap_service", "gap", "n_gap"]
    return out.reset_index(names="partner_id")[["partner_id", "name", *columns, SUPPRESSED]]


def largest_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per partner: the service with the largest gap in its latest wave (ties: first service by id)."""
    if gaps.empty:
        return pd.DataFrame(columns=["service", "gap", "n_respondents"], index=pd.Index([], name="partner_id"))
    latest = gaps[gaps["wave"] == gaps.groupby("partner_id")["wave"].transform("max")].dropna(subset=["gap"])
    ranked = latest.sort_values(["partner_id", "gap", "service"], ascending=[True, False, True], kind="stable")
    first = ranked.groupby("partner_id", sort=True).head(1)
    return first.set_index(first["partner_id"].astype(str))[["service", "gap", "n_respondents"]]


def compare_tracks(
    activities: pd.DataFrame,
    responses: pd.DataFrame,
    items: pd.DataFrame,
    partners: pd.DataFrame,
    tracks: pd.DataFrame,
    *,
    min_group_size: int,
    wave: int | None = None,
) -> pd.DataFrame:
    """One row per track with partners: n_partners, activities, participants, respondents, L1, L3 in ``wave``.

    A partner without a track counts under its own row with track_id "" (when there is one).
    Scores follow the same rule as :func:`compare_partners`, with the track as the group.
    """
    pairs = zip(partners["partner_id"], partners["track_id"], strict=True)
    track_of = {str(p): ("" if pd.isna(t) else str(t)) for p, t in pairs}
    names = dict(zip(tracks["track_id"].astype(str), tracks["name"].astype(str), strict=True))
    present = sorted(set(track_of.values()), key=lambda t: (t == "", t))
    wave = latest_wave(responses) if wave is None else wave
    answers = responses[responses["wave"].astype("int64") == wave] if wave is not None else responses
    partner, ids = pd.factorize(answers["partner_id"])  # a lookup per partner, not per answer
    groups = pd.Series(np.array([*(track_of.get(str(p)) for p in ids), None], dtype=object)[partner])
    groups = groups.set_axis(answers.index).astype(pd.StringDtype("pyarrow"))
    out = _wide_levels(level_scores(answers, items, groups=groups, min_group_size=min_group_size), present)
    out["wave"] = wave
    out["n_partners"] = pd.Series(track_of).value_counts().reindex(out.index).fillna(0).astype("int64")
    out["respondents"] = _respondents(answers, groups).reindex(out.index).fillna(0).astype("int64")
    acts = activities.assign(group=activities["partner_id"].astype(str).map(track_of))
    out["activities"] = acts.groupby("group")["activity_id"].count().reindex(out.index).fillna(0).astype("int64")
    participants = acts.groupby("group")["participants"].sum()
    out["participants"] = participants.reindex(out.index).fillna(0).astype("int64")
    out["name"] = [names.get(t, t) for t in out.index]
    columns = ["name", "wave", "n_partners", "activities", "participants", "respondents", "l1", "n_l1", "l3", "n_l3"]
    return out.reset_index(names="track_id")[["track_id", *columns, SUPPRESSED]]


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
    groups = responses["wave"].astype("int64").astype(pd.StringDtype("pyarrow"))  # no Python string per answer
    out["respondents"] = (
        _respondents(responses, groups).reindex(out["wave"].astype(str)).fillna(0).astype("int64").to_numpy()
    )
    answering = responses["partner_id"].groupby(groups).nunique() if len(responses) else pd.Series(dtype="int64")
    out["partners"] = answering.reindex(out["wave"].astype(str)).fillna(0).astype("int64").to_numpy()
    scores = level_scores(responses, items, groups=groups, min_group_size=min_group_size)
    for level in LEVELS:
        means = scores[scores["level"] == level].set_index("group")["mean"]
        out[level.lower()] = means.reindex(out["wave"].astype(str)).astype("float64").to_numpy()
    counts = activity_year(activities).value_counts() if len(activities) else pd.Series(dtype="int64")
    year = out["year"].astype("Int64")
    out["activities"] = year.map(lambda y: pd.NA if pd.isna(y) else int(counts.get(y, 0))).astype("Int64")
    return out


# the default rating question: an L1 item of one of these dimensions (first in items.csv order)
RATING_DIMENSIONS = ("rating", "grade", "overall", "satisfaction")


def rating_question(items: pd.DataFrame, named: str | None = None) -> str | None:
    """The one question behind "rated in the top two": ``named`` (programme.yaml's ``rating_item``)
    when ``items`` holds it with a scale of at least :data:`TOP_TWO_MIN_POINTS` points; without a
    name, the first item of ``items`` at level L1 whose dimension is one of
    :data:`RATING_DIMENSIONS` with such a scale. None when there is none.
    """
    points = items["scale_max"].astype("float64") - items["scale_min"].astype("float64") + 1
    rated = items[points >= TOP_TWO_MIN_POINTS]
    if named is not None:
        return named if (rated["item_id"].astype(str) == named).any() else None
    dimension = rated["dimension"].astype(str).str.strip().str.lower()
    candidates = rated[(rated["level"] == "L1") & dimension.isin(RATING_DIMENSIONS)]
    return str(candidates["item_id"].iloc[0]) if len(candidates) else None


def rating_top_two(responses: pd.DataFrame, items: pd.DataFrame, item_id: str, *, min_group_size: int) -> pd.DataFrame:
    """Per wave: the respondents who answered the rating question ``item_id`` (``n_respondents``), how
    many of them chose one of its two highest points (``n_top_two``) and the ``share``.

    A respondent counts once per wave (with the mean of their answers, when they rated two
    activities in one wave) and once in every wave they answered. Below ``min_group_size``
    respondents, n_top_two and share are blank (``suppressed``). Rows by wave.
    """
    columns = ["wave", "n_respondents", "n_top_two", "share", SUPPRESSED]
    item = items[items["item_id"].astype(str) == item_id]
    rows = responses[_group_strings(responses["item_id"]) == item_id].dropna(subset=["value"])
    if item.empty or rows.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in ("wave", "n_respondents") else "float64") for c in columns}
        )
    top = float(item["scale_max"].iloc[0]) - 1
    people = pd.Series(respondent_codes(rows), index=rows.index)
    rows = rows.assign(**{RESPONDENT: people, "wave": rows["wave"].astype("int64")})
    per_person = rows.groupby(["wave", RESPONDENT], sort=True)["value"].mean().reset_index()
    per_person["top"] = per_person["value"].astype("float64") >= top
    out = per_person.groupby("wave", sort=True).agg(n_respondents=(RESPONDENT, "size"), n_top_two=("top", "sum"))
    out = out.reset_index().astype({"wave": "int64", "n_respondents": "int64", "n_top_two": "float64"})
    out["share"] = out["n_top_two"] / out["n_respondents"]
    # the count of top answers gives the share away: both are blanked
    out = suppress_small_groups(
        out, n_column="n_respondents", value_columns=["n_top_two", "share"], min_size=min_group_size
    )
    return out[columns]


@dataclass(frozen=True, eq=False)
class HeadlineFigures:
    """The figures training networks publish, each named for what it counts.

    ``participations`` are attendances (participants summed over activities: a person at two
    activities counts twice); ``respondents`` are distinct people, ``(partner_id, respondent_id)``.
    The response rate compares like with like: per activity with a participant count (above 0),
    its distinct respondents over its participants, both summed over those activities
    (``rate_responses`` of ``rate_participations``); answers not tied to an activity are not in it.
    """

    activities: int
    timed_activities: int  # activities with hours: training hours count only these
    training_hours: float  # the activities' own hours (not participant-hours)
    participations: int
    respondents: int
    respondents_several: int  # respondents who answered about two or more activities
    rate_activities: int
    rate_responses: int
    rate_participations: int
    rating_item: str | None  # the rating question (see rating_question), None without one
    rating: pd.DataFrame  # rating_top_two per wave (empty without a rating question)

    @property
    def training_days(self) -> float:
        return self.training_hours / HOURS_PER_DAY

    @property
    def response_rate(self) -> float:
        return self.rate_responses / self.rate_participations if self.rate_participations else float("nan")


def headline_figures(
    activities: pd.DataFrame,
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    min_group_size: int,
    rating_item: str | None = None,
) -> HeadlineFigures:
    """A unit's headline figures (see :class:`HeadlineFigures`). ``rating_item`` is programme.yaml's
    choice of rating question (None: the rule of :func:`rating_question`)."""
    rates = response_rates(activities, responses)
    counted = rates[rates["participants"].astype("float64") > 0] if len(rates) else rates
    linked = responses.dropna(subset=["activity_id"])
    # how many activities each person answered about: a person at two is one respondent, two participations
    per_person = (
        linked["activity_id"].groupby(respondent_codes(linked)).nunique() if len(linked) else pd.Series(dtype="int64")
    )
    question = rating_question(items, rating_item)
    rating = (
        rating_top_two(responses, items, question, min_group_size=min_group_size)
        if question
        else rating_top_two(responses.iloc[:0], items.iloc[:0], "", min_group_size=min_group_size)
    )
    hours = activities["hours"].astype("float64") if len(activities) else pd.Series(dtype="float64")
    return HeadlineFigures(
        activities=len(activities),
        timed_activities=int(hours.notna().sum()),
        training_hours=float(hours.sum()),
        participations=int(activities["participants"].sum()) if len(activities) else 0,
        respondents=count_respondents(responses),
        respondents_several=int((per_person >= 2).sum()),
        rate_activities=len(counted),
        rate_responses=int(counted["respondents"].sum()) if len(counted) else 0,
        rate_participations=int(counted["participants"].sum()) if len(counted) else 0,
        rating_item=question,
        rating=rating,
    )
