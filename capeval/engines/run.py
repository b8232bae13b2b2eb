"""One report, start to end, in the process it was given: execute, convert, write atomically.

:func:`execute_job` is what an executor runs for each job; it never raises for a report's
own error: the returned entry says which cell failed and why, and the executed notebook
is kept under ``_failed/``.
"""

from __future__ import annotations

import re
import resource
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capeval.errors import OUT_OF_MEMORY, ReportCellError, ReportError, ReportTimeoutError
from capeval.files import write_atomic
from capeval.i18n import t
from capeval.parameters import check_json

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # a kernel's traceback is coloured for a terminal

if TYPE_CHECKING:
    from capeval.jobs import Entry, Job


def execute_job(job: Job, out: str) -> Entry:
    """Run one report and write its HTML under ``out``; the entry says how it went."""
    from nbformat import from_dict

    from capeval.engines import ENGINES
    from capeval.render import notebook_to_html

    started, cpu = time.perf_counter(), cpu_seconds()
    folder = Path(out)
    stem = Path(job.path).stem  # the report's own file name, distinct in the programme
    failed_nb = folder / "_failed" / (f"{stem}.ipynb" if job.kind == "partner" else f"{job.kind}-{stem}.ipynb")
    scratch = Path(tempfile.mkdtemp(prefix="capeval-")) / f"{stem}.ipynb"
    entry = job.entry("ok")
    try:
        check_json(job.parameters, "parameters")  # only JSON reaches a notebook, whoever made the job
        with deadline(job.timeout):
            executed = ENGINES[job.engine](
                job.notebook, scratch, job.parameters, timeout=job.timeout, cwd=str(Path(job.notebook).parent)
            )
            node = from_dict(executed)  # type: ignore[no-untyped-call]
            html = notebook_to_html(
                node,
                title=job.title,
                language=job.language,
                toc_label=t("contents", job.language),
            )
            write_atomic(folder / job.path, html)
        failed_nb.unlink(missing_ok=True)
    except Exception as exc:  # one failing report never stops the batch
        if getattr(exc, "ename", None) == "KeyboardInterrupt":
            raise KeyboardInterrupt from exc  # stopped (Ctrl-C, pool shut down), not failed: keep nothing
        entry.failed(report_error(exc))
        if scratch.is_file():
            write_atomic(failed_nb, scratch.read_bytes())
    finally:
        scratch.unlink(missing_ok=True)
        scratch.parent.rmdir()
    entry.seconds = round(time.perf_counter() - started, 3)
    entry.cpu_seconds = round(cpu_seconds() - cpu, 3)
    entry.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB
    return entry


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (a kernel, when there is one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`ReportTimeoutError` in this (main) thread after ``seconds``.

    Raised inside a cell, it is that cell's error, so the manifest names the cell.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only; the executor's own limit still applies
        return

    def expire(signum: int, frame: Any) -> None:
        raise ReportTimeoutError(f"the report took longer than {seconds:g} s (timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def report_error(exc: BaseException) -> ReportError:
    """``exc`` as capeval's error: a failing cell keeps its number, source and traceback; others say what they are."""
    if isinstance(exc, ReportError):
        return exc
    if type(exc).__name__ == "PapermillExecutionError":  # by name: papermill is slow to import
        error: Any = exc
        return ReportCellError(
            cell=int(error.cell_index) + 1,
            source=str(error.source),
            ename=str(error.ename),
            evalue=str(error.evalue),
            traceback=_ANSI.sub("", "\n".join(error.traceback)),
        )
    if isinstance(exc, MemoryError):
        return ReportError(OUT_OF_MEMORY)
    lines = traceback.format_exception_only(type(exc), exc)
    return ReportError("".join(lines).strip())
