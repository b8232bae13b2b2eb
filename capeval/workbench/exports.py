"""Export what a tab shows: its tables as CSV or XLSX, its figures as PNG or SVG.

Tables are read back from the tab's HTML, so an export holds exactly the cells the analyst
sees (suppressed cells stay suppressed); figures are the section's own matplotlib figures,
collected while it is drawn. Each export is a download link (a data URI): nothing is written
beside the reports.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO

import pandas as pd
from matplotlib.figure import Figure

from capeval.csvfile import frame_csv_text, neutralise_frame
from capeval.report.html import FIGURES, escape

MIME = {
    "csv": "text/csv;charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
}


@dataclass
class Export:
    """One file to download: its name and bytes."""

    name: str
    data: bytes
    kind: str = field(default="")

    def link(self, text: str) -> str:
        """An HTML link that downloads the file."""
        uri = f"data:{MIME[self.kind]};base64,{base64.b64encode(self.data).decode('ascii')}"
        return f'<a class="wb-export-link" download="{escape(self.name)}" href="{uri}">{escape(text)}</a>'


def section_tables(html: str) -> list[pd.DataFrame]:
    """The tables of a section's HTML as shown (empty when it has none)."""
    if "<table" not in html:
        return []
    # numbers are grouped by a thin space (capeval.i18n.number): read back as numbers
    frames: list[pd.DataFrame] = pd.read_html(StringIO(html), flavor="lxml", thousands="\u2009", keep_default_na=False)
    return frames


def drawn_figures(draw: Callable[[], str]) -> list[Figure]:
    """The matplotlib figures ``draw`` embeds while it draws a section, in order."""
    kept: list[Figure] = []
    token = FIGURES.set(kept)
    try:
        draw()
    finally:
        FIGURES.reset(token)
    return kept


def file_stem(*parts: str) -> str:
    """A file name made of ``parts`` (letters, digits, ``-`` and ``_`` only)."""
    return "_".join(re.sub(r"[^\w-]+", "-", p, flags=re.ASCII).strip("-") for p in parts if p)


def tables_csv(frames: list[pd.DataFrame], stem: str) -> list[Export]:
    """One CSV per table (formula-like cells neutralised, as every CSV capeval writes)."""
    suffix = len(frames) > 1
    return [
        Export(f"{stem}{f'_{i}' if suffix else ''}.csv", frame_csv_text(frame).encode("utf-8"), "csv")
        for i, frame in enumerate(frames, 1)
    ]


def tables_xlsx(frames: list[pd.DataFrame], stem: str) -> Export:
    """All tables in one workbook, a sheet per table."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for i, frame in enumerate(frames, 1):
            neutralise_frame(frame).to_excel(writer, sheet_name=f"table {i}", index=False)
    return Export(f"{stem}.xlsx", buffer.getvalue(), "xlsx")


def figure_files(figures: list[Figure], stem: str, kind: str) -> list[Export]:
    """Each figure as PNG or SVG (``kind``)."""
    exports = []
    for i, fig in enumerate(figures, 1):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None}, dpi=150)
        name = f"{stem}{f'_{i}' if len(figures) > 1 else ''}.{kind}"
        exports.append(Export(name, buffer.getvalue(), kind))
    return exports
