"""Where chapters run: a local process pool, in-process, or a Dask cluster.

The engine needs only ``submit(fn, arg)`` returning a future with ``result()`` and
``add_done_callback()``: ``concurrent.futures`` executors and a Dask
``distributed.Client`` both qualify, so any of them can be passed to the engine.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from lnutils.runner import guard

log = logging.getLogger("lnutils.runner")

EXECUTORS = ("local", "dask")


class InlineExecutor:
    """Runs each submitted call at once in this process (``--jobs 1``, tests, debugging)."""

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def iter_completed(futures: Iterable[Any]) -> Iterator[Any]:
    """Yield futures as they finish, for ``concurrent.futures`` and Dask futures alike.

    Both kinds call ``add_done_callback`` (Dask from its own thread), so one queue serves
    both without importing Dask.
    """
    futures = list(futures)
    done: queue.Queue = queue.Queue()
    for future in futures:
        future.add_done_callback(done.put)
    for _ in futures:
        yield done.get()


@contextmanager
def open_executor(kind: str = "local", jobs: int = 1, scheduler: str | None = None,
                  tasks: int | None = None):
    """An executor for a build, shut down on exit (pending work is cancelled on error).

    Parameters
    ----------
    kind : ``"local"`` (process pool) or ``"dask"`` (a ``distributed.Client``).
    jobs : number of worker processes for a local pool or a local Dask cluster.
    scheduler : address of a running Dask scheduler (``tcp://host:8786``); without it a
        local Dask cluster with ``jobs`` workers is started.
    tasks : number of tasks to run, to avoid starting more workers than needed.
    """
    if kind not in EXECUTORS:
        raise ValueError(f"unknown executor {kind!r}; use one of {', '.join(EXECUTORS)}")
    workers = max(1, min(jobs, tasks if tasks else jobs))
    if kind == "dask":
        with _dask_client(workers, scheduler) as client:
            yield client
        return
    if workers == 1:
        yield InlineExecutor()
        return
    # "spawn": workers start from a clean interpreter with the current environment. A
    # forked worker would copy the build's threads' locks (facts are computed in a
    # thread meanwhile) and a fork server would hand out a stale LNREPORT_ROOT.
    # Each worker follows the build: it ends when the build stops or dies (see .guard).
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=guard.start_worker, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _dask_client(workers: int, scheduler: str | None):
    try:
        from distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError:
        raise RuntimeError(
            "the Dask executor needs the optional extra: pip install 'lnutils[dask]'"
        ) from None
    if scheduler:
        log.info("executing on the Dask cluster at %s", scheduler)
        with Client(scheduler) as client:
            yield client
        return
    log.info("starting a local Dask cluster with %d worker(s)", workers)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client
