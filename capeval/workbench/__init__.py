"""The analyst workbench for JupyterLab: explore a programme with ipywidgets, render its reports.

``Workbench(root)`` shows pickers for programme, track and partner, one tab per report
section (drawn by the same :mod:`capeval.report` functions as the reports) and a
"render reports" button that runs the batch in a background thread.
"""

from __future__ import annotations

from capeval.workbench.app import Workbench
from capeval.workbench.rendering import BackgroundRender, RenderRequest, render_reports
from capeval.workbench.selection import SECTIONS, Programme, View, clear_caches, find_programmes, open_programme

__all__ = [
    "SECTIONS",
    "BackgroundRender",
    "Programme",
    "RenderRequest",
    "View",
    "Workbench",
    "clear_caches",
    "find_programmes",
    "open_programme",
    "render_reports",
]
