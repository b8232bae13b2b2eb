"""Executed notebook -> one self-contained HTML page, with capeval's own template.

No code, no prompts, no scripts or stylesheets from the network; a table of contents
built from the section headings; files written atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from capeval import __version__

if TYPE_CHECKING:  # nbconvert and capeval.report are imported when a page is rendered: slow to import
    import nbformat
    from nbconvert import HTMLExporter

TEMPLATES = Path(str(files("capeval").joinpath("templates")))
_UMASK = os.umask(0)
os.umask(_UMASK)
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


@cache
def _exporter() -> HTMLExporter:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="capeval_report",
        extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


@cache
def report_css() -> str:
    return (TEMPLATES / "nbconvert" / "capeval_report" / "report.css").read_text(encoding="utf-8")


def notebook_to_html(nb: nbformat.NotebookNode, *, title: str, language: str, toc_label: str) -> str:
    """The executed notebook as one HTML page with a table of contents."""
    resources = {"capeval": {"title": title, "language": language, "version": __version__, "css": report_css()}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return insert_toc(body, toc_label)


def insert_toc(page: str, label: str) -> str:
    """Replace the TOC mark with links to every section heading (h2) of the page."""
    from capeval.report.html import escape
    from capeval.report.sections import TOC_MARK

    if TOC_MARK not in page:
        return page
    entries = [f'<li><a href="#{ident}">{text}</a></li>' for ident, text in _H2.findall(page) if ident != "provenance"]
    nav = f'<nav class="toc"><h2 id="contents">{escape(label)}</h2><ol>{"".join(entries)}</ol></nav>'
    return page.replace(TOC_MARK, nav, 1)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a report is meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
