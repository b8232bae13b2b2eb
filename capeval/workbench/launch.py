"""Start the workbench from the environment: in JupyterLab (``make lab``) or as the Voilà app.

``make lab``, ``make app`` and ``capeval app`` set where the programmes are, where reports go,
which folder relative paths start from and how the server serves files; the Voilà app also
reads its selection from the page's query string (Voilà gives it to the kernel as
``QUERY_STRING``) and keeps that string equal to what is shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from capeval.workbench.app import Workbench
from capeval.workbench.query import selection_from_query

ENVIRONMENT = {
    "root": "CAPEVAL_WORKBENCH_ROOT",  # a folder of programme folders
    "out": "CAPEVAL_WORKBENCH_OUT",  # where "render reports" writes
    "base": "CAPEVAL_WORKBENCH_BASE",  # the folder relative paths start from (where make was run)
    "server_root": "CAPEVAL_WORKBENCH_SERVER_ROOT",  # the folder the server serves files from
    "files_url": "CAPEVAL_WORKBENCH_FILES_URL",  # the URL prefix it serves them at
}


def workbench_from_environment(*, app: bool = False) -> Workbench:
    """The workbench the environment describes; ``app`` for the Voilà app (selection from the URL)."""
    env = {name: os.environ.get(variable, "") for name, variable in ENVIRONMENT.items()}
    base = Path(env["base"] or Path.cwd())
    bench = Workbench(
        env["root"] or "build/demo",
        out=env["out"] or "reports",
        base=base,
        served=(Path(env["server_root"]) if env["server_root"] else None, env["files_url"] or "/files/"),
        app=app,
    )
    if app:
        bench.apply_selection(selection_from_query(os.environ.get("QUERY_STRING", "")))
    return bench
