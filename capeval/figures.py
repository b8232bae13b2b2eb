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

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from matplotlib.text import Text
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
        # an empty PNG text block: no "Software" line, so the same data gives the same bytes
        pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        mpimg.imsave(buffer, pixels, format="png", dpi=DPI, pil_kwargs={"pnginfo": PngInfo()})
    plt.close(fig)
    return buffer.getvalue()
