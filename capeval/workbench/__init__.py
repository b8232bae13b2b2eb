"""The analyst workbench for JupyterLab and Voilà: explore a programme with ipywidgets, render its reports.

``Workbench(root)`` shows pickers for programme, track and partner (with filters), one tab per
section of the unit's report (drawn by the same :mod:`capeval.report` functions as the report),
a side-by-side comparison, exports of the open tab, and "render reports", which runs the batch
in a background thread. :func:`workbench_from_environment` starts it as ``make lab`` and the
Voilà app (``capeval app``) do.
"""

from __future__ import annotations

from capeval.workbench.app import Workbench
from capeval.workbench.launch import workbench_from_environment
from capeval.workbench.rendering import BackgroundRender, RenderRequest, render_reports
from capeval.workbench.selection import (
    Programme,
    View,
    clear_caches,
    find_programmes,
    open_programme,
    report_sections,
    tab_sections,
)

__all__ = [
    "BackgroundRender",
    "Programme",
    "RenderRequest",
    "View",
    "Workbench",
    "clear_caches",
    "find_programmes",
    "open_programme",
    "render_reports",
    "report_sections",
    "tab_sections",
    "workbench_from_environment",
]
