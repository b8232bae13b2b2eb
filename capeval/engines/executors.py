"""Where a run's reports execute: a registry of executors, each a ``concurrent.futures.Executor``.

``local`` (default): :class:`capeval.engines.pool.ForkPool`, ``workers`` reports at a time,
each in a fresh process forked from a pre-loaded parent. ``dask``: the jobs go to a Dask
cluster (:mod:`capeval.engines.dask_executor`). An executor is built only when a run has
reports to render, so neither a fork server nor a Dask client starts for an unchanged run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from capeval.errors import UsageError

if TYPE_CHECKING:
    from concurrent.futures import Executor


class ExecutorFactory(Protocol):
    """Builds an executor for ``workers`` reports at a time, each killed past ``timeout`` seconds."""

    def __call__(self, workers: int, *, timeout: float | None = None, scheduler: str | None = None) -> Executor: ...


def local_pool(workers: int, *, timeout: float | None = None, scheduler: str | None = None) -> Executor:
    """``workers`` reports at a time, each in a fresh process forked from a pre-loaded parent."""
    from capeval.engines.pool import ForkPool

    if scheduler is not None:
        raise UsageError("--scheduler goes with --executor dask", column="--scheduler")
    return ForkPool(workers, timeout=timeout)


def dask_pool(workers: int, *, timeout: float | None = None, scheduler: str | None = None) -> Executor:
    """The jobs go to the Dask scheduler at ``scheduler``; the cluster, not ``workers``, sets how many run at once."""
    from capeval.engines.dask_executor import dask_executor

    return dask_executor(timeout=timeout, scheduler=scheduler)


EXECUTORS: dict[str, ExecutorFactory] = {"local": local_pool, "dask": dask_pool}


def executor_factory(name: str) -> ExecutorFactory:
    """The registered executor called ``name``; a :class:`UsageError` names the known ones."""
    if name not in EXECUTORS:
        raise UsageError(f"unknown executor '{name}' (expected one of: {', '.join(EXECUTORS)})", column="--executor")
    return EXECUTORS[name]
