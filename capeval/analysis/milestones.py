"""Milestones: each unit's plan, planned against achieved (``milestones.csv``).

A step's status is the table's own, or when empty "achieved" (it has an achieved date) or
"planned". Milestones are what a unit reports about its own plan: organisational data, not
survey answers, so they carry counts of units, not respondents.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

TIMELINE_COLUMNS = ["unit_id", "step", "order", "planned", "achieved", "status", "delay_days", "evidence"]
PROGRESS_COLUMNS = ["step", "order", "n_units", "achieved", "on_time", "late", "open", "dropped", "median_delay_days"]


def milestone_timeline(milestones: pd.DataFrame, steps: Sequence[str] = ()) -> pd.DataFrame:
    """One row per unit and step, in the plan's order (``steps``; else by planned date): planned and
    achieved dates, the status, ``delay_days`` (achieved minus planned; negative: early; missing: not
    achieved) and the evidence."""
    if milestones.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    frame = milestones.copy()
    frame["planned"] = pd.to_datetime(frame["planned"])
    frame["achieved"] = pd.to_datetime(frame["achieved"])
    given = frame["status"].astype("string") if "status" in frame else pd.Series(pd.NA, index=frame.index)
    derived = pd.Series("planned", index=frame.index).where(frame["achieved"].isna(), "achieved")
    frame["status"] = given.fillna(derived).astype(str)
    order = {step: k for k, step in enumerate(steps, start=1)}
    first_planned = frame.groupby("step")["planned"].transform("min")
    frame["order"] = frame["step"].map(order) if order else first_planned.rank(method="dense").astype(int)
    frame["delay_days"] = (frame["achieved"] - frame["planned"]).dt.days.astype("Int64")
    if "evidence" not in frame:
        frame["evidence"] = pd.NA
    frame = frame.sort_values(["unit_id", "order", "planned"], kind="stable").reset_index(drop=True)
    return frame[TIMELINE_COLUMNS]


def milestone_progress(timeline: pd.DataFrame) -> pd.DataFrame:
    """Per step of :func:`milestone_timeline`: how many units plan it (``n_units``), have achieved it
    (``on_time``: by its planned date, ``late``: after it), have it still open, or dropped it, and the
    median delay of those achieved, in days."""
    if timeline.empty:
        return pd.DataFrame(columns=PROGRESS_COLUMNS)
    done = timeline["achieved"].notna()
    frame = timeline.assign(
        _achieved=done,
        _on_time=done & (timeline["delay_days"].fillna(0) <= 0),
        _late=done & (timeline["delay_days"].fillna(0) > 0),
        _dropped=timeline["status"] == "dropped",
    )
    frame["_open"] = ~frame["_achieved"] & ~frame["_dropped"]
    grouped = frame.groupby(["order", "step"], sort=True)
    out = pd.DataFrame(
        {
            "n_units": grouped["unit_id"].nunique(),
            "achieved": grouped["_achieved"].sum(),
            "on_time": grouped["_on_time"].sum(),
            "late": grouped["_late"].sum(),
            "open": grouped["_open"].sum(),
            "dropped": grouped["_dropped"].sum(),
            "median_delay_days": grouped["delay_days"].median().astype("float64"),
        }
    ).reset_index()
    for column in ("n_units", "achieved", "on_time", "late", "open", "dropped"):
        out[column] = out[column].astype("int64")
    return out[PROGRESS_COLUMNS]
