"""Level 0 (Phillips inputs): what was done and whom it reached."""

from __future__ import annotations

import pandas as pd

METRICS = ("activities", "participants", "hours", "participant_hours", "cost_eur")


def activity_summary(activities: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Per partner: number of activities, participants, hours, participant-hours, cost.

    Every partner of ``partners`` gets a row, with zeros when it has no activity.
    """
    acts = activities.assign(
        participant_hours=activities["participants"].astype("float64") * activities["hours"].astype("float64")
    )
    grouped = acts.groupby("partner_id", observed=True).agg(
        activities=("activity_id", "count"),
        participants=("participants", "sum"),
        hours=("hours", "sum"),
        participant_hours=("participant_hours", "sum"),
        cost_eur=("cost_eur", lambda s: s.sum(min_count=1)),
    )
    ids = partners["partner_id"].astype(str)
    out = grouped.reindex(ids).reset_index(names="partner_id")
    for column in ("activities", "participants", "hours", "participant_hours"):
        out[column] = out[column].fillna(0).astype("float64")
    out["activities"] = out["activities"].astype("int64")
    out["participants"] = out["participants"].astype("int64")
    return out


def activity_mix(activities: pd.DataFrame) -> pd.DataFrame:
    """Per activity type: count, participants, hours and cost, largest first."""
    if activities.empty:
        return pd.DataFrame(columns=["type", "activities", "participants", "hours", "cost_eur"])
    mix = activities.groupby("type", observed=True).agg(
        activities=("activity_id", "count"),
        participants=("participants", "sum"),
        hours=("hours", "sum"),
        cost_eur=("cost_eur", lambda s: s.sum(min_count=1)),
    )
    mix = mix.reset_index().sort_values(["activities", "type"], ascending=[False, True], kind="stable")
    mix["participants"] = mix["participants"].astype("int64")
    return mix.reset_index(drop=True)


def activity_benchmark(activities: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Programme benchmark per metric: median, quartiles and total across partners."""
    summary = activity_summary(activities, partners)
    rows = []
    for metric in METRICS:
        values = summary[metric].astype("float64").dropna()  # no cost recorded: not a cost of 0
        rows.append(
            {
                "metric": metric,
                "n_partners": len(values),
                "median": values.median() if len(values) else float("nan"),
                "q1": values.quantile(0.25) if len(values) else float("nan"),
                "q3": values.quantile(0.75) if len(values) else float("nan"),
                "total": values.sum(min_count=1),
            }
        )
    return pd.DataFrame(rows)


def respondents_per_wave(responses: pd.DataFrame) -> pd.DataFrame:
    """Distinct respondents per wave (the reach of the surveys)."""
    if responses.empty:
        return pd.DataFrame({"wave": pd.Series(dtype="int64"), "respondents": pd.Series(dtype="int64")})
    out = responses.groupby("wave", observed=True)["respondent_id"].nunique().reset_index(name="respondents")
    out["wave"] = out["wave"].astype("int64")
    return out
