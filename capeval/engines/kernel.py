"""Run a notebook in a Jupyter kernel of its own, over IPC sockets.

The slow but classic path (``--engine kernel``): a fresh ``python3`` kernel per report.
Kernels talk over Unix sockets in a private temporary folder instead of TCP ports, so
parallel reports cannot race for the same port (papermill#511, ipykernel#412).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

# How capeval calls papermill with either engine: quiet, and the notebook saved once at the end.
PAPERMILL_OPTIONS: dict[str, Any] = {
    "kernel_name": "python3",
    "language": "python",
    "progress_bar": False,
    "log_output": False,
    "request_save_on_cell_execute": False,
}


def execute_in_kernel(notebook: str, output: Path, parameters: dict[str, Any], *, timeout: int, cwd: str) -> Any:
    """Execute ``notebook`` with ``parameters`` in a new kernel; the executed notebook is saved to ``output``."""
    import papermill
    from jupyter_client.manager import KernelManager

    sockets = Path(tempfile.mkdtemp(prefix="capeval-k-"))  # short: a socket path has at most 107 bytes
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    try:
        return papermill.execute_notebook(
            notebook,
            str(output),
            parameters=parameters,
            km=manager,
            execution_timeout=timeout,
            cwd=cwd,
            **PAPERMILL_OPTIONS,
        )
    finally:
        if manager.has_kernel:  # nbclient leaves a kernel manager it was given to its owner
            manager.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
