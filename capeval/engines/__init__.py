"""How one report notebook is executed: a registry of engines, each run by papermill.

``inprocess`` (default): the code cells run in the report's own process, which was forked
from a parent that imported capeval, pandas, seaborn, papermill and nbconvert once.
``kernel``: a fresh Jupyter kernel per report (IPC transport), as ``papermill`` does.
Either way the executed notebook is written to ``output`` (also when a cell fails).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from capeval.engines.kernel import PAPERMILL_OPTIONS, execute_in_kernel


def execute_in_process(notebook: str, output: Path, parameters: dict[str, Any], *, timeout: int, cwd: str) -> Any:
    """Execute ``notebook`` with ``parameters`` in this process (see :mod:`capeval.engines.inprocess`)."""
    import papermill

    from capeval.engines.inprocess import ENGINE_NAME, register

    register()
    return papermill.execute_notebook(
        notebook,
        str(output),
        parameters=parameters,
        engine_name=ENGINE_NAME,
        cwd=cwd,
        **PAPERMILL_OPTIONS,
    )


ENGINES: dict[str, Callable[..., Any]] = {"inprocess": execute_in_process, "kernel": execute_in_kernel}
