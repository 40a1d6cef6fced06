"""Executing the chapters: take each from the cache or run it with papermill in a worker.

Every chapter runs even when another fails, so that one build shows every failure and
caches every success; the progress bar counts the notebooks actually executed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lnutils import paths
from lnutils.pipeline import Pipeline
from lnutils.runner import cache as cachemod
from lnutils.runner import guard, kernels
from lnutils.runner.cache import Cache, digest_json, digest_path
from lnutils.runner.execute import KERNEL_NAME, execute_chapter
from lnutils.runner.executors import iter_completed, open_executor
from lnutils.runner.manifest import relative
from lnutils.runner.plan import Task

if TYPE_CHECKING:
    from lnutils.runner.engine import BuildOptions

log = logging.getLogger("lnutils.runner")


class ChapterFailure(Exception):
    """One or more chapters failed; the message names each notebook, cell and error."""


def chapter_key(pipeline: Pipeline, task: Task, code: str) -> str:
    """The cache key of one chapter execution (see the module docstring of ``cache``)."""
    names = cachemod.chapter_input_names(pipeline, task.inputs)
    return digest_json({
        "notebook": digest_path(task.notebook),
        "parameters": task.parameters,
        "code": code,
        "inputs": cachemod.input_digests(pipeline, names),
        "settings": cachemod.pipeline_settings(pipeline),
        "versions": cachemod.environment_versions(),
        "kernel": KERNEL_NAME,
    })


def run_chapters(pipeline: Pipeline, tasks: list[Task], stage: Path, store: Cache, code: str,
                 options: BuildOptions, workers: Workers | None = None) -> list[dict[str, Any]]:
    """Put every executed chapter into ``stage``: from the cache, or by running papermill.

    Returns one record per task, in plan order. Every chapter runs even when one fails,
    so that one build shows every failure and caches every success. ``workers`` may
    have been opened (and warmed) before; they are shut down when the chapters are done.
    :class:`ChapterRun` does the same in steps, so that the build can do other work
    while the chapters execute.

    Raises
    ------
    ChapterFailure
        Naming each failed notebook, cell and error.
    """
    run = ChapterRun(pipeline, stage, store, code, options, workers)
    run.add(tasks)
    return run.finish(tasks)


class ChapterRun:
    """The chapters of a build: :meth:`add` starts them, :meth:`finish` collects them.

    ``add`` takes each chapter found in the cache and submits the others to the
    workers, and returns at once; it may be called again with more tasks (a task
    already added is skipped). ``finish`` waits for them, stores each success, shuts
    the workers down and raises :class:`ChapterFailure` naming every failure. After an
    error in between, ``workers.close(error)`` cancels what has not started.
    """

    def __init__(self, pipeline: Pipeline, stage: Path, store: Cache, code: str,
                 options: BuildOptions, workers: Workers | None = None):
        self.pipeline, self.stage, self.store = pipeline, stage, store
        self.code, self.options = code, options
        self.workers = workers or Workers(options)
        self.root = paths.repo_root()
        self.records: dict[str, dict[str, Any]] = {}  # task output -> its record
        self.keys: dict[str, str] = {}  # task output -> cache key
        self.futures: dict[Any, Task] = {}

    def add(self, tasks: list[Task], more: bool = False) -> None:
        """Take the cached chapters among ``tasks``; submit the others (they run from here).

        ``more``: more tasks will be added, so the workers are opened for ``--jobs``
        notebooks at once rather than for these alone.
        """
        pending: list[Task] = []
        for task in tasks:
            if task.output in self.keys:
                continue
            key = self.keys[task.output] = chapter_key(self.pipeline, task, self.code)
            cached = self.store.get_bytes("chapters", key, ".ipynb")
            if cached is None:
                pending.append(task)
                continue
            _write(self.stage / task.output, cached)
            self.records[task.output] = _record(task, key, self.root, cached=True,
                                                seconds=0.0, attempts=0)
        if not pending:
            return
        log.info("executing %d chapter notebook(s)%s", len(pending),
                 "" if self.futures else f", {len(self.records)} from cache")
        reuse = reuses_kernels(self.options)
        try:
            executor = self.workers.open(self.options.jobs if more else len(pending))
            with guard.spawning():  # a pool starts its workers as work is submitted
                for task in pending:
                    payload = _payload(task, self.root, reuse, self.code)
                    self.futures[executor.submit(execute_chapter, payload)] = task
        except BaseException as exc:
            self.workers.close(exc)
            raise

    def finish(self, plan: list[Task]) -> list[dict[str, Any]]:
        """Wait for the submitted chapters; the records of ``plan`` in its order.

        Raises
        ------
        ChapterFailure
            Naming each failed notebook, cell and error.
        """
        try:
            failures = self._collect()
        except BaseException as exc:
            self.workers.close(exc)
            raise
        self.workers.close()
        if failures:
            failed = paths.build_root() / f"{self.pipeline.name}.failed"
            lines = [f"{len(failures)} chapter(s) of {self.pipeline.name} failed:"]
            lines += [f"  - {message}" for message in failures]
            lines.append(f"The executed notebooks, with the error in place, are in {failed}/ "
                         "(the published report is unchanged).")
            raise ChapterFailure("\n".join(lines))
        return [self.records[task.output] for task in plan]

    def _collect(self) -> list[str]:
        if not self.futures:
            return []
        from tqdm import tqdm  # noqa: PLC0415

        failures: list[str] = []
        progress = self.options.progress
        bar = tqdm(total=len(self.futures), desc="chapters", unit="nb",
                   disable=None if progress is None else not progress)
        with bar:
            for future in iter_completed(self.futures):
                task = self.futures[future]
                bar.set_postfix_str(task.label, refresh=False)
                bar.update(1)
                message = self._take(future, task)
                if message:
                    failures.append(message)
        kernels.discard_kernel()  # the in-process executor's kernel, if it had one
        return failures

    def _take(self, future, task: Task) -> str | None:
        """Store one finished chapter; the failure message when it failed."""
        try:
            result = future.result()
        except Exception as exc:  # a worker died (out of memory, killed)
            return (f"{task.label}: the worker executing "
                    f"{relative(task.notebook, self.root)} failed: {exc!r}")
        data = (result["notebook"] or "").encode("utf-8")
        if data:  # kept for inspection also when a cell failed
            _write(self.stage / task.output, data)
        if not result["ok"] or not data:
            error = result["error"] or {"message": "no executed notebook came back"}
            return f"{task.label}: {error['message']}"
        key = self.keys[task.output]
        self.store.put_bytes("chapters", key, data, ".ipynb")
        self.records[task.output] = _record(task, key, self.root, cached=False,
                                            seconds=result["seconds"],
                                            attempts=result["attempts"])
        log.debug("executed %s in %.1f s", task.label, result["seconds"])
        return None


def reuses_kernels(options: BuildOptions) -> bool:
    """Whether workers keep a warm kernel (see :mod:`.kernels`).

    Warm kernels live as long as the local workers of this build; on a Dask cluster they
    would outlive it in long-running workers, so there every notebook gets its own.
    """
    return options.reuse_kernels and options.client is None and options.executor == "local"


class Workers:
    """The build's executor, opened on first use or early, to warm kernels meanwhile.

    ``prewarm`` opens the local pool with ``--jobs`` workers and has each start its
    kernel and import what chapters use while the engine validates the inputs;
    ``open`` returns the executor (opening it for ``n`` tasks if not yet open);
    ``close`` shuts it down (waiting for running work, cancelling the rest on error);
    it may be called again, and leaving a ``with Workers(...)`` block calls it.
    """

    def __init__(self, options: BuildOptions):
        self.options = options
        self._context = None
        self._executor = None

    def prewarm(self, code: str) -> None:
        if not reuses_kernels(self.options) or self.options.jobs < 2 or self._executor:
            return
        executor = self.open(self.options.jobs)
        task = {"cwd": str(paths.repo_root()), "code": code, "kernel_name": KERNEL_NAME}
        with guard.spawning():
            for _ in range(self.options.jobs):
                executor.submit(kernels.prewarm, task)

    def open(self, n: int):
        if self._executor is None:
            if self.options.client is not None:
                self._executor = self.options.client
                return self._executor
            self._context = open_executor(self.options.executor, self.options.jobs,
                                          self.options.scheduler, tasks=n)
            self._executor = self._context.__enter__()
        return self._executor

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(exc)

    def close(self, error: BaseException | None = None) -> None:
        context, self._context, self._executor = self._context, None, None
        if context is not None:
            if error is None:
                context.__exit__(None, None, None)
            else:
                context.__exit__(type(error), error, error.__traceback__)


def will_execute(pipeline: Pipeline, tasks: list[Task], store: Cache, code: str) -> bool:
    """Whether any of ``tasks`` is missing from the cache (so kernels will be needed)."""
    return any(not store.has("chapters", chapter_key(pipeline, task, code), ".ipynb")
               for task in tasks)


def _payload(task: Task, root: Path, reuse_kernel: bool, code: str) -> dict[str, Any]:
    return {
        "reuse_kernel": reuse_kernel,
        "code": code,
        "label": task.label,
        "notebook": str(task.notebook),
        "notebook_display": relative(task.notebook, root),
        "parameters": task.parameters,
        "cwd": str(root),
        "kernel_name": KERNEL_NAME,
    }


def _record(task: Task, key: str, root: Path, *, cached: bool, seconds: float,
            attempts: int) -> dict[str, Any]:
    return {
        "chapter": task.chapter, "region": task.region,
        "notebook": relative(task.notebook, root), "output": task.output,
        "parameters": task.parameters,
        "inputs": list(task.inputs) if task.inputs is not None else None,
        "cache_key": key, "cached": cached, "seconds": seconds, "attempts": attempts,
    }


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


