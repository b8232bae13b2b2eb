"""Executed notebook -> one self-contained HTML page, with capeval's own template.

No code, no prompts, no scripts or stylesheets from the network; a table of contents
built from the section headings (:mod:`capeval.toc`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from capeval import __version__
from capeval.toc import insert_toc

if TYPE_CHECKING:  # nbconvert is imported when a page is rendered: slow to import
    import nbformat
    from nbconvert import HTMLExporter

TEMPLATES = Path(str(files("capeval").joinpath("templates")))


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
