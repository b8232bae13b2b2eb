"""Level 0 (Phillips inputs): what was done, whom it reached and what it cost.

``participants`` of an activity are attendances: a person at two activities is two participations.
Hours and costs are summed only over the activities that have them (``timed``, ``costed``), never as
if a missing value were 0; a cost per participant divides the cost of the costed activities by
those same activities' participants.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capeval.analysis.respondents import respondent_codes

METRICS = ("activities", "participants", "hours", "participant_hours", "cost_eur")
EFFICIENCY = ("cost_per_participant", "cost_per_participant_hour")
# the count (of _sums) a partner needs above 0 for a metric to count it, which is also how many activities it rests on
_BASIS = {
    "activities": "activities",
    "participants": "activities",
    "hours": "timed",
    "participant_hours": "timed",
    "cost_eur": "costed",
    "cost_per_participant": "priced_people",
    "cost_per_participant_hour": "priced_hours",
}
_COUNTS = ("activities", "timed", "costed", "priced_people", "priced_hours")


def _sums(activities: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    """Per group of ``by``: counts and sums of activities, each sum over the activities that have the value.

    A cost per participant rests on the ``priced_people`` activities (a cost and a participant count
    above 0): their ``people_cost`` over their ``priced_participants``; a cost per participant-hour on
    the ``priced_hours`` ones (hours too): ``hours_cost`` over ``priced_participant_hours``.
    """
    # plain numpy columns: a report's slice has a handful of activities, and pandas' cost per operation dominates
    participants = activities["participants"].astype("float64").to_numpy()
    hours = activities["hours"].astype("float64").to_numpy()
    cost = (
        activities["cost_eur"].astype("float64").to_numpy() if "cost_eur" in activities else np.full(len(hours), np.nan)
    )
    participant_hours = participants * hours
    costed, timed = ~np.isnan(cost), ~np.isnan(hours)
    priced_people = costed & (participants > 0)  # a participant count of 0 is no base for a cost per head
    priced_hours = costed & (participant_hours > 0)
    frame = pd.DataFrame(
        {
            "activities": np.ones(len(hours), dtype="int64"),
            "participants": participants,
            "hours": hours,
            "participant_hours": participant_hours,
            "cost_eur": cost,
            "timed": timed.astype("int64"),
            "costed": costed.astype("int64"),
            "priced_people": priced_people.astype("int64"),
            "priced_hours": priced_hours.astype("int64"),
            "people_cost": np.where(priced_people, cost, np.nan),
            "priced_participants": np.where(priced_people, participants, np.nan),
            "hours_cost": np.where(priced_hours, cost, np.nan),
            "priced_participant_hours": np.where(priced_hours, participant_hours, np.nan),
        }
    )
    sums = frame.groupby(by.to_numpy(), sort=True).sum(min_count=1)
    for column in _COUNTS:
        if sums[column].dtype != "int64":  # an int column's sums stay int64 (every group has an activity)
            sums[column] = sums[column].fillna(0).astype("int64")
    sums["participants"] = sums["participants"].fillna(0)
    sums["cost_per_participant"] = sums["people_cost"] / sums["priced_participants"]
    sums["cost_per_participant_hour"] = sums["hours_cost"] / sums["priced_participant_hours"]
    return sums


def _per_partner(activities: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """:func:`_sums` per partner of ``partners`` (in its order); a partner without activities has zeros."""
    ids = pd.Index(partners["partner_id"].astype(str), name="partner_id")
    if activities.empty:
        sums = _sums(activities.iloc[:0], pd.Series([], dtype=str))
    else:
        sums = _sums(activities, activities["partner_id"].astype(str))
    out = sums.reindex(ids)
    idle = ~ids.isin(sums.index)
    for column in ("participants", "hours", "participant_hours", *_COUNTS):
        out.loc[idle, column] = 0  # no activity recorded: nothing done, rather than unknown
    for column in _COUNTS:
        out[column] = out[column].astype("int64")
    return out


def activity_totals(activities: pd.DataFrame) -> pd.Series:
    """One unit's activities pooled: activities, participants (participations), hours and participant-hours
    (over the ``timed`` activities), cost_eur (over the ``costed`` ones; NaN when none), the counts
    ``timed``, ``costed``, ``priced_people`` and ``priced_hours``, and the cost per participant and per
    participant-hour with their parts (see :func:`_sums`)."""
    if activities.empty:
        return _per_partner(activities, pd.DataFrame({"partner_id": ["_"]})).iloc[0]
    return _sums(activities, pd.Series("_", index=activities.index)).iloc[0]


def activity_summary(activities: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Per partner: activities, participants (participations), hours and participant-hours (over activities
    with hours; NaN when none has them), cost_eur (over activities with a cost; NaN when none has one),
    ``timed`` and ``costed`` (how many activities have hours, a cost).

    Every partner of ``partners`` gets a row, with zeros (and no cost) when it has no activity.
    """
    out = _per_partner(activities, partners).reset_index()
    out["participants"] = out["participants"].astype("int64")
    return out[["partner_id", *METRICS, "timed", "costed"]]


def activity_mix(activities: pd.DataFrame) -> pd.DataFrame:
    """Per activity type: count, participants, hours, ``costed`` (activities with a known cost) and
    cost_eur over those (NaN when none), largest first."""
    columns = ["type", "activities", "participants", "hours", "costed", "cost_eur"]
    if activities.empty:
        return pd.DataFrame(columns=columns)
    mix = _sums(activities, activities["type"].astype(str)).reset_index(names="type")
    mix = mix.sort_values(["activities", "type"], ascending=[False, True], kind="stable")
    mix["participants"] = mix["participants"].astype("int64")
    return mix.reset_index(drop=True)[columns]


def contributing_partners(activities: pd.DataFrame, partners: pd.DataFrame) -> pd.Series:
    """Per metric (METRICS and EFFICIENCY): how many of ``partners`` contribute a value to it: partners
    with an activity; for hours, with an activity with hours; for costs, with a costed activity."""
    sums = _per_partner(activities, partners)
    return pd.Series({m: int((sums[_BASIS[m]] > 0).sum()) for m in (*METRICS, *EFFICIENCY)})


def activity_benchmark(activities: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Programme benchmark per metric (METRICS, then EFFICIENCY): ``n_partners`` contributing (see
    :func:`contributing_partners`), ``n_activities`` the figures rest on (with hours, with a cost), and
    the median, quartiles and total across those partners (no total of a cost per participant).
    """
    sums = _per_partner(activities, partners)
    rows = []
    for metric in (*METRICS, *EFFICIENCY):
        values = sums.loc[sums[_BASIS[metric]] > 0, metric].astype("float64").dropna()
        rows.append(
            {
                "metric": metric,
                "n_partners": len(values),
                "n_activities": int(sums[_BASIS[metric]].sum()),
                "median": values.median() if len(values) else float("nan"),
                "q1": values.quantile(0.25) if len(values) else float("nan"),
                "q3": values.quantile(0.75) if len(values) else float("nan"),
                "total": values.sum(min_count=1) if metric in METRICS else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def unit_benchmark(
    benchmark: pd.DataFrame,
    activities: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    min_group_size: int,
    whole_programme: bool = False,
) -> pd.DataFrame:
    """The programme ``benchmark`` as the report of the unit made of ``partners`` may show it.

    A programme aggregate (median, quartiles, total) is shown beside a unit only when at least
    ``min_group_size`` partners outside the unit contribute to it (``n_others``; for costs, partners
    with a known cost): else the programme total minus the unit's own figure is another partner's
    exact figure. In the programme's own report (``whole_programme``) the total is its own figure
    and the median and quartiles need ``min_group_size`` partners. Adds ``n_own``, ``n_others``
    and ``suppressed``; the hidden values are NaN.
    """
    out = benchmark.copy()
    own = contributing_partners(activities, partners)
    out["n_own"] = 0 if whole_programme else out["metric"].map(own).fillna(0).astype("int64")
    out["n_others"] = out["n_partners"] - out["n_own"]
    hidden = out["n_others"] < min_group_size
    out["suppressed"] = hidden
    hide = ["median", "q1", "q3"] if whole_programme else ["median", "q1", "q3", "total"]
    for column in hide:
        out[column] = out[column].astype("float64").where(~hidden, np.nan)
    return out


def efficiency_figures(
    activities: pd.DataFrame, partners: pd.DataFrame, *, benchmark: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cost per participant and per participant-hour of the unit made of ``partners``, beside the
    programme median per partner.

    The unit's figure pools its rows of ``activities`` that have a cost and a participant count above 0:
    their cost over their participants, and (of those with hours too) over their participant-hours.
    The median is that of every partner in ``activities`` with such a figure, or from ``benchmark``
    (:func:`activity_benchmark`'s rows, possibly as :func:`unit_benchmark` shows them: a report has
    its unit's activities only). One row per metric: value, cost_eur and base (participants or
    participant-hours) it divides, n_costed (the activities it rests on), n_activities (all of the
    unit's), median and n_partners (behind the median).
    """
    ids = set(partners["partner_id"].astype(str))
    mine = activities[activities["partner_id"].astype(str).isin(ids)]
    totals = activity_totals(mine)
    if benchmark is None:
        everyone = pd.DataFrame({"partner_id": sorted(activities["partner_id"].astype(str).unique())})
        benchmark = activity_benchmark(activities, everyone)
    bench = benchmark.set_index("metric").reindex(list(EFFICIENCY))
    medians = bench["median"].astype("float64")
    behind = bench["n_partners"].fillna(0).astype("int64")
    rows = []
    for metric, cost, base in (
        ("cost_per_participant", "people_cost", "priced_participants"),
        ("cost_per_participant_hour", "hours_cost", "priced_participant_hours"),
    ):
        rows.append(
            {
                "metric": metric,
                "value": float(totals[metric]),
                "cost_eur": float(totals[cost]),
                "base": float(totals[base]),
                "n_costed": int(totals[_BASIS[metric]]),
                "n_activities": int(totals["activities"]),
                "median": float(medians[metric]),
                "n_partners": int(behind[metric]),
            }
        )
    return pd.DataFrame(rows)


def respondents_per_wave(responses: pd.DataFrame) -> pd.DataFrame:
    """Distinct respondents (partner id and respondent id) per wave: the reach of the surveys."""
    if responses.empty:
        return pd.DataFrame({"wave": pd.Series(dtype="int64"), "respondents": pd.Series(dtype="int64")})
    people = pd.Series(respondent_codes(responses), index=responses.index)
    out = people.groupby(responses["wave"], observed=True).nunique().reset_index(name="respondents")
    out["wave"] = out["wave"].astype("int64")
    return out
