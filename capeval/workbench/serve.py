"""``capeval app``: the workbench as a code-free Voilà app on 127.0.0.1.

Voilà runs ``notebooks/app.ipynb`` (one cell: :func:`capeval.workbench.workbench_from_environment`)
and shows its output only, no code. The environment tells the kernel where the programmes are,
where reports go and how Voilà serves the rendered reports (``/voila/files/``, HTML only).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from capeval.errors import UsageError
from capeval.parameters import NOTEBOOKS

APP_NOTEBOOK = NOTEBOOKS / "app.ipynb"
FILES_URL = "/voila/files/"


def served_root(wanted: Path) -> Path:
    """The folder Voilà serves from: ``wanted`` when it holds the app notebook (Voilà needs it inside), else
    the notebook's folder."""
    try:
        APP_NOTEBOOK.resolve().relative_to(wanted.resolve())
    except ValueError:
        return APP_NOTEBOOK.resolve().parent
    return wanted.resolve()


def voila_command(port: int, *, root_dir: Path, open_browser: bool = False) -> list[str]:
    """The command that serves the app on 127.0.0.1:``port``, serving report HTML under ``root_dir``."""
    root = served_root(root_dir)
    return [
        sys.executable,
        "-m",
        "voila",
        APP_NOTEBOOK.resolve().relative_to(root).as_posix(),
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--Voila.root_dir={root}",
        r"--VoilaConfiguration.file_allowlist=['.*\.html']",
        "--VoilaConfiguration.show_tracebacks=False",
        "--no-browser" if not open_browser else "",
    ]


def app_environment(root: Path, out: Path, base: Path) -> dict[str, str]:
    """The variables :func:`~capeval.workbench.launch.workbench_from_environment` reads, for the app."""
    return {
        "CAPEVAL_WORKBENCH_ROOT": str(root),
        "CAPEVAL_WORKBENCH_OUT": str(out),
        "CAPEVAL_WORKBENCH_BASE": str(base),
        "CAPEVAL_WORKBENCH_SERVER_ROOT": str(served_root(base)),
        "CAPEVAL_WORKBENCH_FILES_URL": FILES_URL,
    }


def serve_app(root: str | Path, out: str | Path, *, port: int = 8866, open_browser: bool = False) -> int:
    """Serve the app until it is stopped (Ctrl-C); the exit code of Voilà."""
    base = Path.cwd()
    if not Path(root).is_dir():
        raise UsageError(f"no folder of programmes at {root}; run 'capeval demo' or give --root DIR")
    command = [part for part in voila_command(port, root_dir=base, open_browser=open_browser) if part]
    env = os.environ | app_environment(Path(root).resolve(), Path(out).resolve(), base)
    return subprocess.call(command, env=env, cwd=served_root(base))
