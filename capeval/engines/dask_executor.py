"""Run report jobs on a Dask distributed cluster: a ``concurrent.futures.Executor`` over ``distributed.Client``.

``capeval run … --executor dask --scheduler tcp://HOST:PORT`` submits the same jobs as the
local pool: :func:`capeval.engines.run.execute_job` with a job of plain data (paths and
parameters). What it assumes of the cluster:

- every worker sees the programme's store, the notebooks and the report folder at the
  same absolute paths as the machine that submits (a shared filesystem, or an object
  store mounted at the same path), and reads and writes them there;
- every worker has the same capeval installed (``pip install capeval[dask]``).

On a worker, each report still runs in a fresh process: the task forks it from the
worker's own fork server (:class:`capeval.engines.pool.ForkPool`, started on the worker's
first report with the same pre-loaded imports), so nothing one report defines reaches the
next and a report pays no interpreter start-up or imports (a new interpreter per report
costs 3–5 s of imports; a fork 0.05–0.08 s).

A worker that dies mid-report (killed, its machine lost) loses its report process with
it (the report process dies with its fork server, which ends with the worker); the
scheduler runs the report again on another worker, up to
``distributed.scheduler.allowed-failures`` times before the report fails with
``KilledWorker``. A report's file is written to a temp file and renamed, so it is whole or
absent; when a retried report finishes, temp files its lost attempt left are removed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import threading
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capeval.engines.pool import ForkPool
from capeval.engines.run import execute_job
from capeval.errors import CapevalError, UsageError
from capeval.log import logger

if TYPE_CHECKING:
    from capeval.jobs import Job

INSTALL_HINT = "pip install capeval[dask]"
CONNECT_SECONDS = 10

_pools: dict[float | None, ForkPool] = {}  # on a worker: one fork server per report timeout
_pools_lock = threading.Lock()


def dask_executor(*, timeout: float | None = None, scheduler: str | None = None) -> cf.Executor:
    """An executor over the Dask scheduler at ``scheduler`` (a :class:`UsageError` without one)."""
    if not scheduler:
        raise UsageError(
            "--executor dask needs --scheduler tcp://HOST:PORT (the address of the Dask scheduler)",
            column="--scheduler",
        )
    check_installed()
    return DaskExecutor(scheduler, timeout=timeout)


def check_installed() -> None:
    """Raise :class:`UsageError` saying how to install dask.distributed when it is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(f"the dask executor needs dask.distributed: {INSTALL_HINT}") from None


class DaskExecutor(cf.Executor):
    """Submit tasks to a Dask cluster; each runs in a fresh process forked on its worker.

    ``timeout`` (seconds) kills a task's process that runs longer, as in the local pool.
    Futures are ``concurrent.futures.Future``, so callers wait on them as on any executor.
    """

    def __init__(self, address: str, *, timeout: float | None = None) -> None:
        from distributed import Client

        try:
            self._client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except OSError as exc:
            raise CapevalError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self._timeout = timeout
        self._remote: list[Any] = []
        self._local: list[cf.Future[Any]] = []
        self._lock = threading.Lock()
        self._shutdown = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to an executor that is shut down")
            key = f"capeval-{_task_name(fn, args)}-{uuid.uuid4().hex[:12]}"
            remote = self._client.submit(run_forked, fn, args, kwargs, self._timeout, key=key, pure=False)
            self._remote.append(remote)
            local: cf.Future[Any] = cf.Future()
            local.set_running_or_notify_cancel()
            self._local.append(local)
        remote.add_done_callback(partial(_settle, local))
        return local

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            if self._shutdown:
                return
            self._shutdown = True
            remote, local = list(self._remote), list(self._local)
        if cancel_futures:
            self._client.cancel(remote, force=True)
        elif wait:
            cf.wait(local)
        self._client.close()

    def terminate(self) -> None:
        """Cancel every task not finished; reports already running on a worker finish there."""
        self.shutdown(wait=False, cancel_futures=True)


def _task_name(fn: Callable[..., Any], args: tuple[Any, ...]) -> str:
    job = args[0] if args else None
    unit = getattr(job, "unit_id", None)
    return f"{getattr(job, 'kind', 'report')}-{unit}" if unit is not None else getattr(fn, "__name__", "task")


def _settle(local: cf.Future[Any], remote: Any) -> None:
    """Pass a finished Dask future's result or error on to its ``concurrent.futures`` twin."""
    try:
        if remote.status == "finished":
            local.set_result(remote.result())
        elif remote.status == "cancelled":
            local.set_exception(cf.CancelledError(f"{remote.key} was cancelled"))
        else:
            local.set_exception(remote.exception())
    except Exception as exc:  # the client lost the scheduler while fetching the result
        if not local.done():
            local.set_exception(exc)


def run_forked(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], timeout: float | None) -> Any:
    """On a worker: ``fn(*args, **kwargs)`` in a fresh process forked from this worker's fork server."""
    try:
        return _worker_pool(timeout).submit(fn, *args, **kwargs).result()
    finally:
        if fn is execute_job:
            remove_partial_writes(*args)


def _worker_pool(timeout: float | None) -> ForkPool:
    with _pools_lock:
        if timeout not in _pools:
            process = multiprocessing.current_process()
            if process.daemon:  # a worker under a nanny is daemonic, and a daemonic process may not start children
                process.daemon = False  # ours die with the fork server, which ends with this worker
            _pools[timeout] = ForkPool(1024, timeout=timeout)  # the worker's threads bound how many run
            logger.info("report processes of this worker are forked from a fork server (timeout %s s)", timeout)
        return _pools[timeout]


def remove_partial_writes(job: Job, out: str) -> None:
    """Remove temp files of ``job``'s report and failed notebook left by a lost attempt (killed mid-write)."""
    target = Path(out) / job.path
    stem = Path(job.path).stem
    leftovers = [target.parent.glob(f".{target.name}.*.tmp")]
    failed = Path(out) / "_failed"
    leftovers += [failed.glob(f".{name}.*.tmp") for name in (f"{stem}.ipynb", f"{job.kind}-{stem}.ipynb")]
    for found in leftovers:
        for path in found:
            path.unlink(missing_ok=True)
