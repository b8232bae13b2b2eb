"""Figures of the track and programme reports, in capeval's one house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from capeval.figures import A4_WIDTH_IN, DPI, PALETTE, fit_margins, house_style, legend_on_top


def mix_bars(table: pd.DataFrame, *, axis_title: str, legend_title: str) -> Figure:
    """Stacked bars of activities per year (rows of ``table``) by type (its columns, in order)."""
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 3.2), dpi=DPI)
        bottom = pd.Series(0.0, index=table.index)
        years = [str(y) for y in table.index]
        for i, column in enumerate(table.columns):
            values = table[column].astype("float64")
            ax.bar(years, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=str(column), width=0.6)
            bottom += values
        ax.set_ylabel(axis_title)
        ax.set_xlabel("")
        ax.legend(
            title=legend_title, fontsize="small", title_fontsize="small", loc="center left", bbox_to_anchor=(1, 0.5)
        )
        fig.tight_layout()
    return fig


def waves_lines(frame: pd.DataFrame, *, x_column: str, series: dict[str, str], axis_title: str) -> Figure:
    """Scores (0-100) over any number of waves: one line per column named in ``series`` (column → legend
    label), the waves along x in ``frame``'s order labelled by ``x_column``; a hidden wave (NaN) breaks
    its line and gets no dot."""
    xs = list(range(len(frame)))
    with house_style():
        fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, 2.8), dpi=DPI)
        for i, (column, label) in enumerate(series.items()):
            ax.plot(xs, frame[column].astype("float64"), marker="o", color=PALETTE[i % len(PALETTE)], label=label)
        ax.set_xticks(xs, [str(v) for v in frame[x_column]])
        ax.set_xlim(-0.4, len(xs) - 0.6)
        ax.set_ylim(0, 100)
        ax.set_ylabel(axis_title)
        legend_on_top(fig, len(series))
        fit_margins(fig, ["100 %%"])
    return fig
