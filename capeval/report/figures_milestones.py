"""The milestones timeline in capeval's one house style: planned against achieved, one row per step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capeval.figures import A4_WIDTH_IN, DPI, PALETTE, fit_margins, house_style, legend_on_top

LATE_AFTER_DAYS = 30  # "late" in the figure's finding: more than a month after the planned date
EPOCH = pd.Timestamp("1970-01-01")  # matplotlib's date epoch (rcParams date.epoch), untouched by the house style
ON_TIME, LATE, PLANNED, OPEN = PALETTE[2], PALETTE[3], PALETTE[0], "0.45"


def milestone_dates(
    timeline: pd.DataFrame, *, latest: pd.Timestamp | None, labels: Mapping[str, str], months: Sequence[str]
) -> Figure:
    """One unit's plan as a timeline: per step (rows in ``timeline``'s order, labelled by ``step_label``) an
    open circle at the planned date and a filled one at the achieved date, joined by a line (green: on time,
    vermilion: late); a step not yet achieved whose date has passed gets a dotted line up to ``latest`` (the
    latest achieved date, drawn as a dashed line), a dropped step a grey cross. ``labels`` names the legend
    entries (planned, on_time, late, open, dropped, latest); ``months`` the twelve month abbreviations."""
    rows = [str(v) for v in timeline["step_label"]]
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 0.34 * len(rows) + 1.5), dpi=DPI)
        for y, row in enumerate(timeline.to_dict("records")):
            planned, achieved = _day(row["planned"]), _day(row["achieved"])
            if row["status"] == "dropped":
                ax.scatter([planned], [y], marker="x", color=OPEN, s=36, zorder=3)
                continue
            if not np.isnan(achieved):
                colour = LATE if achieved > planned else ON_TIME
                ax.plot([planned, achieved], [y, y], color=colour, linewidth=2.2, zorder=2)
                ax.scatter([achieved], [y], color=colour, s=36, zorder=4)
            elif latest is not None and planned < _day(latest):
                ax.plot([planned, _day(latest)], [y, y], color=OPEN, linewidth=1.5, linestyle=":", zorder=2)
                ax.scatter([_day(latest)], [y], marker=">", color=OPEN, s=30, zorder=4)
            ax.scatter([planned], [y], s=36, facecolors="white", edgecolors=[PLANNED], linewidths=1.5, zorder=3)
        _legend_and_axes(ax, rows, latest, labels, months, dropped=bool((timeline["status"] == "dropped").any()))
        legend_on_top(fig, 3, "x-small")
        fit_margins(fig, rows, top_lines=2)
    return fig


def milestone_spread(
    timeline: pd.DataFrame, *, latest: pd.Timestamp | None, labels: Mapping[str, str], months: Sequence[str]
) -> Figure:
    """Many units' plans as one timeline: per step (rows in order of ``order``, labelled by ``step_label``)
    the span of planned dates (thin line, open circle at the median) above the span of achieved dates (thick
    line, filled circle at the median: green when that median is on or before the planned median, else
    vermilion); ``latest`` is drawn as a dashed line. ``labels`` and ``months`` as :func:`milestone_dates`."""
    steps = timeline.drop_duplicates("step").sort_values("order", kind="stable")
    rows = [str(v) for v in steps["step_label"]]
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 0.42 * len(rows) + 1.5), dpi=DPI)
        for y, step in enumerate(steps["step"]):
            dates = timeline[timeline["step"] == step]
            planned = dates["planned"].dropna().sort_values().map(_day)
            if len(planned):
                middle = planned.iloc[len(planned) // 2]
                ax.plot([planned.iloc[0], planned.iloc[-1]], [y - 0.12] * 2, color=PLANNED, linewidth=1.2, zorder=2)
                ax.scatter(
                    [middle], [y - 0.12], s=32, facecolors="white", edgecolors=[PLANNED], linewidths=1.5, zorder=3
                )
            achieved = dates["achieved"].dropna().sort_values().map(_day)
            if len(achieved):
                median = achieved.iloc[len(achieved) // 2]
                colour = LATE if len(planned) and median > planned.iloc[len(planned) // 2] else ON_TIME
                ax.plot([achieved.iloc[0], achieved.iloc[-1]], [y + 0.12] * 2, color=colour, linewidth=3, zorder=2)
                ax.scatter([median], [y + 0.12], s=32, color=colour, zorder=4)
        _legend_and_axes(ax, rows, latest, labels, months, dropped=False, open_=False)
        legend_on_top(fig, 3, "x-small")
        fit_margins(fig, rows, top_lines=2)
    return fig


def _legend_and_axes(
    ax: Axes,
    rows: list[str],
    latest: pd.Timestamp | None,
    labels: Mapping[str, str],
    months: Sequence[str],
    *,
    dropped: bool,
    open_: bool = True,
) -> None:
    """Legend entries in a fixed order, the latest date as a dashed line, steps top to bottom, dates below."""
    if latest is not None:
        ax.axvline(_day(latest), color="0.3", linewidth=0.8, linestyle="--", label=labels["latest"])
    ax.scatter([], [], s=36, facecolors="white", edgecolors=[PLANNED], linewidths=1.5, label=labels["planned"])
    ax.scatter([], [], s=36, color=ON_TIME, label=labels["on_time"])
    ax.scatter([], [], s=36, color=LATE, label=labels["late"])
    if open_:
        ax.scatter([], [], s=30, marker=">", color=OPEN, label=labels["open"])
    if dropped:
        ax.scatter([], [], s=36, marker="x", color=OPEN, label=labels["dropped"])
    ax.set_yticks(range(len(rows)), rows, fontsize="small")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    # ticks named in the report's language ("mrt 2024"), not the C locale's
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _month_year(x, months)))
    ax.tick_params(axis="x", labelsize="x-small")
    low, high = ax.get_xlim()
    pad = max(15.0, 0.03 * (high - low))  # days: keeps the first and last marker off the frame
    ax.set_xlim(low - pad, high + pad)


def _day(value: object) -> float:
    """A date as matplotlib's day number (days since its 1970 epoch); NaN when missing."""
    if not isinstance(value, pd.Timestamp) or pd.isna(value):
        return float("nan")
    return float((value - EPOCH) / pd.Timedelta(days=1))


def _month_year(x: float, months: Sequence[str]) -> str:
    """A tick's date as "mrt 2024" ("2024" in January: the year's first tick)."""
    when = EPOCH + pd.Timedelta(days=x)
    return f"{months[when.month - 1]} {when.year}" if when.month != 1 else str(when.year)


def latest_date(timeline: pd.DataFrame) -> pd.Timestamp | None:
    """The latest achieved date in the data, the figure's "now" (today would change the bytes); None when
    nothing is achieved yet (planned dates say nothing about how far the plan has come)."""
    dates = timeline["achieved"].dropna()
    return pd.Timestamp(dates.max()) if len(dates) else None
