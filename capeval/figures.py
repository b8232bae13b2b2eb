"""Figures in one house style: seaborn, colour-blind-safe, readable at A4 width.

Every figure function returns a matplotlib Figure; :func:`png_bytes` saves it with fixed
metadata so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

import matplotlib

matplotlib.use("Agg")  # reports render headless; set before pyplot is imported

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from matplotlib.text import Text
from PIL import Image
from PIL.PngImagePlugin import PngInfo

PALETTE = sns.color_palette("colorblind")
A4_WIDTH_IN = 6.7  # text width of an A4 page with 2 cm margins
DPI = 110


@contextmanager
def house_style() -> Iterator[None]:
    """Seaborn's whitegrid theme with the colour-blind palette and A4-sized fonts."""
    with (
        sns.axes_style("whitegrid"),
        sns.plotting_context("notebook", font_scale=0.9),
        plt.rc_context(
            {
                "font.family": "DejaVu Sans",
                "svg.hashsalt": "capeval",
                "axes.prop_cycle": cycler(color=PALETTE),
                "text.parse_math": False,  # labels come from data: "US$ 5k and US$ 2k" is text, not mathematics
            }
        ),
    ):
        yield


def gap_bars(frame: pd.DataFrame, *, label_column: str, gap_label: str, median_label: str, axis_title: str) -> Figure:
    """Horizontal bars of ``gap`` per service, with the programme median as a marker.

    ``frame`` needs ``label_column``, ``gap`` and ``median_gap`` (may be NaN).
    """
    data = frame.sort_values("gap", ascending=False, kind="stable")
    height = max(2.2, 0.42 * len(data) + 1.0)
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, height), dpi=DPI)
        # matplotlib's own bars, as seaborn's barplot draws them for one value per label, at a third of its cost
        rows = range(len(data))
        ax.barh(rows, data["gap"], height=0.8, color=sns.desaturate(PALETTE[0], 0.75), label=gap_label)
        ax.set_yticks(rows, [str(v) for v in data[label_column]])
        ax.set_ylim(len(data) - 0.5, -0.5)  # the largest gap on top
        ax.yaxis.grid(False)
        if data["median_gap"].notna().any():
            ax.scatter(
                data["median_gap"],
                range(len(data)),
                marker="D",
                color=PALETTE[3],
                zorder=3,
                label=median_label,
            )
        ax.set_xlabel(axis_title)
        ax.set_ylabel("")
        low = min(0.0, float(data[["gap", "median_gap"]].min().min()))
        ax.set_xlim(low - 0.5 if low < 0 else 0, 10.5)
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.legend(loc="lower right", frameon=True, fontsize="small")
        fig.tight_layout()
    return fig


def scaling_radar(
    frame: pd.DataFrame,
    *,
    label_column: str,
    unit_label: str,
    benchmark_label: str,
    value_column: str = "mean",
    benchmark_column: str = "median",
    scale: tuple[float, float] = (1.0, 5.0),
) -> Figure:
    """A spider diagram of the Scaling Scan: one spoke per ingredient, the unit's mean score
    as a filled polygon and the programme median (when the column has values) as a dashed line.

    ``frame`` has one row per ingredient, in the order to draw them (clockwise from the top).
    """
    labels = [textwrap.fill(str(v), 16) for v in frame[label_column]]
    angles = np.linspace(0.0, 2.0 * np.pi, len(labels), endpoint=False).tolist()
    closed = [*angles, angles[0]]
    with house_style():
        fig = plt.figure(figsize=(A4_WIDTH_IN, A4_WIDTH_IN * 0.85), dpi=DPI)
        ax = cast(PolarAxes, fig.add_axes((0.2, 0.14, 0.6, 0.72), projection="polar"))
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        values = frame[value_column].astype("float64").tolist()
        ax.plot(closed, [*values, values[0]], color=PALETTE[0], linewidth=2, label=unit_label)
        ax.fill(closed, [*values, values[0]], color=PALETTE[0], alpha=0.2)
        if benchmark_column in frame and frame[benchmark_column].notna().any():
            bench = frame[benchmark_column].astype("float64").tolist()
            ax.plot(closed, [*bench, bench[0]], color=PALETTE[3], linewidth=1.5, linestyle="--", label=benchmark_label)
        ax.set_xticks(angles)
        ax.set_xticklabels(labels, fontsize="small")
        ax.tick_params(axis="x", pad=10)
        low, high = scale
        ax.set_ylim(low - 1, high)  # one ring below the scale keeps a score of 1 off the centre
        ax.set_yticks(np.arange(low, high + 1))
        ax.set_yticklabels([f"{v:g}" for v in np.arange(low, high + 1)], fontsize="x-small")
        fig.legend(loc="lower center", ncol=2, fontsize="small", frameon=True)
    return fig


NOT_OFFERED_X = -0.8  # the dumbbell's "not offered" column, left of the 1-10 quality scale
# answer options from the most negative to the most positive (ColorBrewer PuOr: colour-blind safe),
# the middle option of an odd scale a neutral grey
LIKERT_NEUTRAL = "0.78"


def _wrapped(value: object, width: int = 30) -> str:
    return textwrap.fill(str(value), width)


def legend_on_top(fig: Figure, ncol: int, fontsize: str = "small") -> None:
    """The figure's legend in one row (or ``ncol`` columns) centred above the plot, without a frame."""
    fig.legend(loc="upper center", bbox_to_anchor=(0.5, 0.995), ncol=max(1, ncol), fontsize=fontsize, frameon=False)


def fit_margins(fig: Figure, labels: list[str], *, bottom_lines: int = 2, top_lines: int = 1) -> None:
    """Room for the longest label line on the left, tick labels and an axis title below and a legend
    above: estimated from character counts (tight_layout would lay the figure out twice over)."""
    width, height = fig.get_size_inches()
    longest = max((len(line) for label in labels for line in str(label).splitlines()), default=0)
    left = 0.3 + 0.068 * longest
    fig.subplots_adjust(
        left=left / width,
        right=1 - 0.25 / width,
        bottom=(0.15 + 0.22 * bottom_lines) / height,
        top=1 - (0.12 + 0.26 * top_lines) / height,
    )


def chain_intervals(frame: pd.DataFrame, *, axis_title: str, programme_label: str) -> Figure:
    """The Kirkpatrick chain as dots with 95 % intervals: one row per level (top to bottom), one colour
    per wave, the programme's mean as an open diamond beside each dot.

    ``frame`` has one row per wave and level with ``level_label``, ``wave_label``, ``mean``, ``ci_low``,
    ``ci_high`` and ``programme`` (each may be NaN: a hidden or unknown value is not drawn), in the
    order to draw them."""
    levels = list(dict.fromkeys(frame["level_label"]))
    waves = list(dict.fromkeys(frame["wave_label"]))
    step = 0.6 / max(1, len(waves))
    benchmarked = False
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 0.5 * len(levels) * max(1.0, len(waves) ** 0.5) + 1.3), dpi=DPI)
        for j, wave in enumerate(waves):
            rows = frame[frame["wave_label"] == wave]
            y = np.array([levels.index(v) for v in rows["level_label"]]) + (j - (len(waves) - 1) / 2) * step
            mean, low, high = (rows[c].astype("float64").to_numpy() for c in ("mean", "ci_low", "ci_high"))
            known = ~np.isnan(mean) & ~np.isnan(low) & ~np.isnan(high)
            ax.hlines(y[known], low[known], high[known], color=PALETTE[j % len(PALETTE)], linewidth=2)
            ax.scatter(mean, y, color=PALETTE[j % len(PALETTE)], s=30, zorder=3, label=_wrapped(wave, 24))
            bench = rows["programme"].astype("float64").to_numpy()
            ax.scatter(bench, y, marker="D", s=28, facecolors="none", edgecolors="0.15", zorder=4)
            benchmarked = benchmarked or not np.isnan(bench).all()
        if benchmarked:  # one legend entry, after the waves
            ax.scatter(
                [], [], marker="D", s=28, facecolors="none", edgecolors="0.15", label=_wrapped(programme_label, 24)
            )
        ax.set_yticks(range(len(levels)), [_wrapped(v) for v in levels])
        ax.set_ylim(len(levels) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.set_xlabel(axis_title)
        legend_on_top(fig, len(waves) + 1)
        fit_margins(fig, [_wrapped(v) for v in levels], top_lines=2)
    return fig


def answer_shares(frame: pd.DataFrame, *, hidden_label: str, axis_title: str) -> Figure:
    """Diverging stacked bars of answer shares: one bar per row (a question, or a question in one wave),
    the options below the scale's middle to the left of 0, those above to the right, a middle option split.

    ``frame`` is long: ``row`` (the bar's label, bars in order of appearance), ``option`` (the answer's
    value, ordering the options), ``label`` (the option's text) and ``share`` (0-1); an optional ``bar``
    (e.g. the item id) tells bars apart where two questions have the same wording. A row with any share
    missing (hidden by the release) gets no bar, only ``hidden_label``."""
    key = "bar" if "bar" in frame.columns else "row"
    names = dict(frame.drop_duplicates(key)[[key, "row"]].itertuples(index=False, name=None))  # bar -> label
    rows = list(names)
    options = sorted(frame["option"].unique())
    labels = dict(zip(frame["option"], frame["label"], strict=True))
    colours = sns.color_palette("PuOr", len(options))
    middle = len(options) // 2 if len(options) % 2 else None
    if middle is not None:
        colours[middle] = LIKERT_NEUTRAL
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 0.34 * len(rows) + 1.5), dpi=DPI)
        for y, row in enumerate(rows):
            shares = frame[frame[key] == row].set_index("option")["share"].astype("float64")
            if shares.isna().any() or shares.empty:
                ax.text(0, y, hidden_label, ha="center", va="center", fontsize="small", color="0.3", style="italic")
                continue
            shares = shares.reindex(options, fill_value=0.0)
            below = float(shares.iloc[: len(options) // 2].sum())
            start = -below - (float(shares.iloc[middle]) / 2 if middle is not None else 0.0)
            for k, option in enumerate(options):
                width = float(shares[option])
                if width > 0:
                    ax.barh(y, width, left=start, color=colours[k], height=0.7, edgecolor="white", linewidth=0.5)
                start += width
        for k, option in enumerate(options):  # legend entries in scale order, whichever bars have them
            ax.barh(0, 0, color=colours[k], label=_wrapped(labels[option], 16))
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_xlim(-1, 1)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100\u00a0%", "50\u00a0%", "0", "50\u00a0%", "100\u00a0%"])
        ax.set_yticks(range(len(rows)), [_wrapped(names[r], 36) for r in rows], fontsize="x-small")
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel(axis_title)
        ax.grid(axis="y", visible=False)
        legend_on_top(fig, len(options), "x-small")
        legend_lines = max(_wrapped(v, 16).count("\n") + 1 for v in labels.values())
        # x-small row labels: about four fifths of a small label's width per character
        fit_margins(fig, [_wrapped(names[r], 29) for r in rows], top_lines=legend_lines)
    return fig


def portfolio_dumbbell(
    frame: pd.DataFrame,
    *,
    label_column: str,
    now_label: str,
    desired_label: str,
    not_offered_label: str,
    partly_label: str,
    hidden_label: str,
    axis_title: str,
) -> Figure:
    """Current against desired quality per service as a dumbbell on the 1-10 scale. A service nobody
    offers (``offered_now`` or ``offered_desired`` 0) is drawn in a "not offered" column left of the
    scale, never as quality 0; one some respondents offer (share between 0 and 1) as an open dot.

    ``frame`` has ``label_column``, ``quality_now``, ``quality_desired``, ``offered_now`` and
    ``offered_desired`` (shares 0-1); a row whose qualities are hidden (NaN) gets ``hidden_label``."""
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 0.36 * len(frame) + 1.4), dpi=DPI)
        ends: dict[str, list[float]] = {"now": [], "desired": []}
        shown: list[int] = []
        for y, row in enumerate(frame.to_dict("records")):
            if pd.isna(row["quality_now"]) and pd.isna(row["quality_desired"]):
                ax.text(4.5, y, hidden_label, ha="center", va="center", fontsize="small", color="0.3", style="italic")
                continue
            shown.append(y)
            for part, xs in ends.items():
                nobody = float(row[f"offered_{part}"]) == 0
                xs.append(NOT_OFFERED_X if nobody else float(row[f"quality_{part}"]))
        ax.hlines(shown, ends["now"], ends["desired"], color="0.6", linewidth=2, zorder=2)
        partly = False
        for part, colour in (("now", PALETTE[1]), ("desired", PALETTE[0])):
            shares = frame[f"offered_{part}"].astype("float64").to_numpy()[shown]
            partial = (shares > 0) & (shares < 1)
            partly = partly or bool(partial.any())
            faces = [(1.0, 1.0, 1.0) if p else colour for p in partial]
            ax.scatter(ends[part], shown, s=40, c=faces, edgecolors=[colour], linewidths=1.5, zorder=3)
        for label, colour in ((now_label, PALETTE[1]), (desired_label, PALETTE[0])):
            ax.scatter([], [], s=40, color=colour, label=label)
        if partly:
            ax.scatter([], [], s=40, color="white", edgecolors="0.3", label=partly_label)
        ax.axvline(0.1, color="0.5", linewidth=0.8, linestyle=":")
        ax.set_xticks([NOT_OFFERED_X, *range(1, 11)], [_wrapped(not_offered_label, 10), *map(str, range(1, 11))])
        ax.set_xlim(NOT_OFFERED_X - 0.9, 10.5)
        ax.set_yticks(range(len(frame)), [_wrapped(v) for v in frame[label_column]], fontsize="small")
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlabel(axis_title)
        legend_on_top(fig, 3)
        fit_margins(fig, [_wrapped(v) for v in frame[label_column]], bottom_lines=3)
    return fig


def score_heatmap(values: pd.DataFrame, notes: pd.DataFrame) -> Figure:
    """A heat map of 0-100 scores (rows and columns of ``values``, labelled by its index and columns),
    each cell written with its text from ``notes`` (same shape: the score and its n); a missing score
    (hidden, or no evidence) is a light grey cell with only its note."""
    data = values.astype("float64").to_numpy()
    cmap = plt.get_cmap("Blues").with_extremes(bad="0.93")  # one hue: readable without colour vision
    with house_style():
        width = min(A4_WIDTH_IN, 2.4 + 1.5 * values.shape[1])
        fig, ax = plt.subplots(figsize=(width, 0.42 * values.shape[0] + 1.0), dpi=DPI)
        ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=100, aspect="auto")
        for (i, j), value in np.ndenumerate(data):
            colour = "white" if not np.isnan(value) and value > 60 else "0.1"  # Blues is dark above the middle
            ax.text(j, i, str(notes.iat[i, j]), ha="center", va="center", fontsize="x-small", color=colour)
        ax.set_xticks(range(values.shape[1]), [_wrapped(c, 16) for c in values.columns], fontsize="small")
        ax.set_yticks(range(values.shape[0]), [_wrapped(r) for r in values.index], fontsize="small")
        ax.xaxis.tick_top()
        ax.grid(visible=False)
        top = max((_wrapped(c, 16).count("\n") + 1 for c in values.columns), default=1)
        fit_margins(fig, [_wrapped(r) for r in values.index], bottom_lines=0, top_lines=top)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG with fixed metadata (byte-identical for identical data); closes it."""
    buffer = io.BytesIO()
    with plt.rc_context({"text.parse_math": False}):  # tick labels made while drawing are data too
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        # one draw at the figure's own DPI (savefig would lay a tight-laid-out figure out again first)
        fig.set_dpi(DPI)
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        canvas.draw()  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped
        pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
        # an opaque figure (every house-style one) as RGB: the same pixels without an alpha channel to compress
        opaque = bool((pixels[..., 3] == 255).all())
        image = Image.fromarray(np.ascontiguousarray(pixels[..., :3]) if opaque else pixels)
        # zlib's fastest level: half the encoding time, and RGB at level 1 is smaller than RGBA at the default 6;
        # an empty PNG text block: no "Software" line, so the same data gives the same bytes
        image.save(buffer, format="png", dpi=(DPI, DPI), pnginfo=PngInfo(), compress_level=1)
    plt.close(fig)
    return buffer.getvalue()
