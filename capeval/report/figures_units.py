"""Figures of the track and programme reports, in capeval's one house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from capeval.figures import A4_WIDTH_IN, DPI, PALETTE, house_style


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
