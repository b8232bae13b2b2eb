"""An Executor that runs every task in a fresh process forked from a pre-loaded parent.

Python's ``forkserver`` start method keeps one single-threaded server process that has
imported :data:`PRELOAD` (capeval, pandas, seaborn, papermill, nbconvert and a warm
IPython shell); each task gets a process forked from it, runs once and exits. So a report
pays neither interpreter start-up nor imports, and nothing it defines reaches the next
report: that one starts from a new copy of the server's memory.

Unlike ``ProcessPoolExecutor``, a task whose process dies (killed, out of memory,
segfault) fails alone with :class:`WorkerDiedError`, and a task running past ``timeout`` is
killed and fails with :class:`TaskTimeoutError`; the other tasks go on.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from capeval.errors import TaskTimeoutError, WorkerDiedError

PRELOAD = ["capeval.engines.preload"]
_PR_SET_PDEATHSIG = 1
_SOCKET_DIR_MAX = 60  # a Unix socket's path holds at most 107 bytes; the fork server's adds ~40


def _short_socket_dir() -> None:
    """Keep the fork server's socket path short enough for ``AF_UNIX`` (107 bytes).

    multiprocessing puts its sockets in a ``pymp-*`` folder under the temporary folder; with a
    long ``TMPDIR`` (a test runner's, a home folder on a network share) starting the server
    fails with "AF_UNIX path too long". Then that one folder goes to the system's short one;
    everything else keeps using ``TMPDIR``.
    """
    from multiprocessing import util

    if len(tempfile.gettempdir()) <= _SOCKET_DIR_MAX:
        return
    # get_temp_dir makes a private folder (mkdtemp, mode 700) inside the one chosen here
    for short in ("/tmp", "/var/tmp", "/dev/shm"):  # noqa: S108
        if Path(short).is_dir() and os.access(short, os.W_OK | os.X_OK):
            previous, tempfile.tempdir = tempfile.tempdir, short
            try:
                util.get_temp_dir()  # made once per process, then reused for every socket
            finally:
                tempfile.tempdir = previous
            return


@dataclass
class _Task:
    future: Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass
class _Running:
    task: _Task
    process: BaseProcess
    conn: Connection
    deadline: float | None
    done: bool = field(default=False)


def _run_task(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """In the forked process: run ``fn`` once, send ``(ok, value or exception)`` back."""
    _die_with_parent()
    signal.signal(signal.SIGTERM, _interrupt)  # stop like Ctrl-C: temp files are cleaned up
    try:
        message: tuple[bool, Any] = (True, fn(*args, **kwargs))
    except BaseException as exc:  # the parent decides what a failure means
        message = (False, exc)
    try:
        conn.send(message)
    except OSError:  # the run that asked is gone (killed, SIGTERM): nobody to tell, and no traceback
        pass
    except Exception as exc:  # an unpicklable result or exception
        with contextlib.suppress(OSError):
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc} (sending {message[1]!r})")))
    finally:
        with contextlib.suppress(OSError):
            conn.close()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _die_with_parent() -> None:
    """On Linux, be killed when the fork server dies (it exits when capeval does)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class ForkPool(Executor):
    """At most ``max_workers`` tasks at a time, each in its own process forked from the server.

    ``timeout`` (seconds) kills a task's process that runs longer; ``preload`` names the
    modules the fork server imports once (they must import without error).
    """

    def __init__(
        self, max_workers: int | None = None, *, timeout: float | None = None, preload: Sequence[str] = PRELOAD
    ) -> None:
        _short_socket_dir()
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(list(preload))
        self._max_workers = max(1, max_workers or os.cpu_count() or 1)
        self._timeout = timeout
        self._pending: deque[_Task] = deque()
        self._lock = threading.Lock()
        self._shutdown = False
        self._terminate = False
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._thread: threading.Thread | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to a pool that is shut down")
            self._pending.append(_Task(future, fn, args, kwargs))
            if self._thread is None:
                self._thread = threading.Thread(target=self._schedule, name="capeval-forkpool", daemon=True)
                self._thread.start()
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                for task in self._pending:
                    task.future.cancel()
        self._wake()
        if wait and self._thread is not None:
            self._thread.join()
        if self._thread is None:
            self._wake_r.close()
        if self._thread is None or not self._thread.is_alive():
            self._wake_w.close()

    def terminate(self) -> None:
        """Cancel waiting tasks and stop the running ones now (SIGTERM, then SIGKILL)."""
        with self._lock:
            self._terminate = True
        self.shutdown(wait=True, cancel_futures=True)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send_bytes(b"")

    def _start(self, task: _Task) -> _Running:
        receive, send = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(target=_run_task, args=(send, task.fn, task.args, task.kwargs), daemon=True)
        process.start()
        send.close()
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        return _Running(task, process, receive, deadline)

    def _schedule(self) -> None:
        running: list[_Running] = []
        while True:
            with self._lock:
                terminate, shutdown = self._terminate, self._shutdown
                while not terminate and self._pending and len(running) < self._max_workers:
                    task = self._pending.popleft()
                    if task.future.set_running_or_notify_cancel():
                        try:
                            running.append(self._start(task))
                        except Exception as exc:  # e.g. the fork server could not start
                            task.future.set_exception(exc)
                idle = not self._pending and not running
            if terminate:
                _stop(running)
            if terminate or (shutdown and idle):
                self._wake_r.close()
                return
            self._wait(running)
            running = [r for r in running if not r.done]

    def _wait(self, running: list[_Running]) -> None:
        deadlines = [r.deadline for r in running if r.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        handles: list[Any] = [self._wake_r, *(r.conn for r in running), *(r.process.sentinel for r in running)]
        ready = set(wait(handles, timeout))
        if self._wake_r in ready:
            while self._wake_r.poll():
                self._wake_r.recv_bytes()
        now = time.monotonic()
        for run in running:
            if run.conn in ready or run.process.sentinel in ready:
                _collect(run)
            elif run.deadline is not None and now >= run.deadline:
                run.process.kill()
                run.process.join()
                run.conn.close()
                run.done = True
                run.task.future.set_exception(TaskTimeoutError(f"killed after {self._timeout:g} s"))


def _collect(run: _Running) -> None:
    """Take a finished task's result, or fail it with the way its process ended."""
    message: tuple[bool, Any] | None = None
    try:
        if run.conn.poll():
            message = run.conn.recv()
    except (EOFError, OSError):
        message = None
    run.process.join()
    run.conn.close()
    run.done = True
    if message is None:
        code = run.process.exitcode
        why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        run.task.future.set_exception(WorkerDiedError(f"report process ended without a result ({why})"))
    elif message[0]:
        run.task.future.set_result(message[1])
    else:
        run.task.future.set_exception(message[1])


def _stop(running: list[_Running], grace: float = 2.0) -> None:
    for run in running:
        run.process.terminate()
    end = time.monotonic() + grace
    for run in running:
        run.process.join(max(0.0, end - time.monotonic()))
        if run.process.exitcode is None:
            run.process.kill()
            run.process.join()
        run.conn.close()
        if not run.task.future.cancel():
            run.task.future.set_exception(WorkerDiedError("stopped before it finished"))
