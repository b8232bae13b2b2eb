"""HTML building blocks for reports: the one escaping function, tables, figures, headings.

All text from data passes through :func:`escape`; nothing from data is trusted as HTML.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from capeval.figures import png_bytes
from capeval.i18n import whole_number
from capeval.visible import escape_html

_SLUG = re.compile(r"[^a-z0-9]+")
# While set, figure() keeps each figure it embeds here: the workbench exports them as PNG or SVG.
FIGURES: ContextVar[list[Figure] | None] = ContextVar("capeval_figures", default=None)


escape = escape_html  # text safe in HTML content or a quoted attribute: the one escaping function, index pages too


def anchor(text: str) -> str:
    """A stable id for a heading."""
    return _SLUG.sub("-", text.lower()).strip("-") or "section"


def heading(text: str, level: int = 2, *, ident: str | None = None) -> str:
    ident = ident or anchor(text)
    return f'<h{level} id="{escape(ident)}">{escape(text)}</h{level}>'


def paragraph(text: str, css: str = "") -> str:
    cls = f' class="{escape(css)}"' if css else ""
    return f"<p{cls}>{escape(text)}</p>"


def table(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    *,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    css: str = "data",
) -> str:
    """An escaped HTML table of ``frame``'s columns named in ``headers`` (in that order)."""
    formats = formats or {}
    head = "".join(f'<th scope="col">{escape(label)}</th>' for label in headers.values())
    body = []
    records: list[dict[str, Any]] = frame[list(headers)].to_dict("records")  # type: ignore[assignment]
    for values in records:
        cells = []
        for column in headers:
            value = values[column]
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            shown = formats[column](value) if column in formats else _shown(value, numeric)
            cells.append(f'<td class="num">{escape(shown)}</td>' if numeric else f"<td>{escape(shown)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{escape(css)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _shown(value: object, numeric: bool) -> str:
    """A cell without a format: "–" when missing, a count with its thousands grouped (years and ids are text)."""
    if _missing(value):
        return "–"
    return whole_number(value) if numeric and isinstance(value, int) else str(value)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def figure(fig: Figure, alt: str, caption: str = "") -> str:
    """The figure embedded as a PNG data URI with alt text (no external file, no network)."""
    kept = FIGURES.get()
    if kept is not None:
        kept.append(fig)
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}">{cap}</figure>'


def definition_list(pairs: Mapping[str, object]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs.items())
    return f"<dl>{items}</dl>"
