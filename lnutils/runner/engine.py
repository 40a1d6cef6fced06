"""The build, step by step: validate, plan, execute (or take from cache), facts, render, publish.

:func:`build` reads like the table of contents of a build. Each step that can be
skipped when nothing changed looks itself up in the cache first, so that a build with
nothing changed imports neither pandas nor papermill and starts no kernel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import shutil
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from lnutils import paths
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError
from lnutils.runner import cache as cachemod
from lnutils.runner import chapter_runs as chaptersmod
from lnutils.runner import guard, outputs, prepare
from lnutils.runner.cache import Cache, digest_path
from lnutils.runner.manifest import build_manifest, now_utc
from lnutils.runner.plan import plan_chapters
from lnutils.runner.publish import (
    build_lock,
    keep_failed,
    new_stage,
    prune_dated,
    publish,
    recover,
    update_status,
    write_json_atomic,
)
from lnutils.store import DATA_CACHE_ENV

log = logging.getLogger("lnutils.runner")

CACHE_DAYS = 30  # cache entries unused for this long are deleted after a successful build


@dataclass
class BuildOptions:
    """How to build (the flags of ``lnreport build``)."""

    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    engine: str = "auto"
    render: bool = True
    nightly: bool = False
    keep: int = 14
    executor: str = "local"
    scheduler: str | None = None
    validate: bool = True
    reuse_kernels: bool = True  # a warm kernel per worker (see lnutils.runner.kernels)
    progress: bool | None = None  # None: a progress bar only on a terminal
    day: dt.date | None = None  # the nightly folder's date; default today (UTC)
    client: Any = None  # a ready executor (anything with submit()); overrides `executor`

    def record(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["client"] = type(self.client).__name__ if self.client is not None else None
        return data


@dataclass
class BuildResult:
    """What a successful build produced."""

    output: Path
    manifest: dict[str, Any]
    executed: list[str]
    cached: list[str]


class BuildError(Exception):
    """A build failed; ``failed_dir`` holds what it produced, for inspection."""

    def __init__(self, message: str, failed_dir: Path | None = None):
        self.failed_dir = failed_dir
        super().__init__(message)


def target_for(pipeline: Pipeline, options: BuildOptions, day: dt.date) -> Path:
    """Where a build is published: ``<name>/`` or ``<name>.nightly/<YYYY-MM-DD>/``."""
    if options.nightly:
        return paths.build_root() / f"{pipeline.name}.nightly" / day.isoformat()
    return paths.build_root() / pipeline.name


def build(pipeline: Pipeline, options: BuildOptions | None = None) -> BuildResult:
    """Build a pipeline's report and publish it atomically.

    Parameters
    ----------
    pipeline : the loaded pipeline (``lnutils.pipeline.load_pipeline``).
    options : how to build; defaults to :class:`BuildOptions`.

    Returns
    -------
    BuildResult

    Raises
    ------
    DataError
        When the inputs are invalid (nothing is executed).
    BuildError
        When a chapter, the facts or the rendering fail; the partial build is kept in
        ``reports/_build/<name>.failed/`` and the published output is left untouched.
    """
    if multiprocessing.current_process().name != "MainProcess":
        # A worker process re-imports the main script; an unguarded build() there would
        # wait for the parent's lock for ever.
        raise RuntimeError("build() called inside a worker process: put the script's call "
                           "under `if __name__ == \"__main__\":`")
    options = options or BuildOptions()
    started = now_utc()
    day = options.day or started.date()
    log.info("pipeline %s, resolved configuration:\n%s", pipeline.name,
             yaml.safe_dump(pipeline.resolved(), allow_unicode=True, sort_keys=False).rstrip())
    target = target_for(pipeline, options, day)
    with build_lock(paths.build_root(), pipeline.name), data_cache_for_kernels(), \
            guard.marked_build(paths.build_root(), pipeline.name) as build_id:
        recover(target)
        try:
            # a stop signal puts back a report that publishing had moved aside
            with guard.on_stop(lambda: recover(target)):
                result = _build_locked(pipeline, options, started, target)
        except (KeyboardInterrupt, SystemExit):
            # interrupted in-process: end workers, kernels and pandoc instead of waiting
            guard.end_build_processes(build_id, spare_tracker=True)
            raise
        except (BuildError, DataError) as exc:
            if options.nightly:
                update_status(target.parent, ok=False, day=day, message=str(exc), output=None)
            raise
        if options.nightly:
            removed = prune_dated(target.parent, options.keep)
            for path in removed:
                log.info("removed old nightly output %s", path.name)
            update_status(target.parent, ok=True, day=day, output=target, message=(
                f"{len(result.executed)} chapter(s) executed, {len(result.cached)} from cache"))
    return result


@contextlib.contextmanager
def data_cache_for_kernels():
    """Tell the build's workers and kernels where to keep parsed inputs, for this build only."""
    before = os.environ.get(DATA_CACHE_ENV)
    os.environ[DATA_CACHE_ENV] = str(Cache().root)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DATA_CACHE_ENV, None)
        else:
            os.environ[DATA_CACHE_ENV] = before


def _build_locked(pipeline: Pipeline, options: BuildOptions, started: dt.datetime,
                  target: Path) -> BuildResult:
    # the workers may start early (warming kernels during validation); leaving this
    # block by any route shuts them down
    with chaptersmod.Workers(options) as workers:
        return _build_with(pipeline, options, started, target, workers)


def _build_with(pipeline: Pipeline, options: BuildOptions, started: dt.datetime,
                target: Path, workers: chaptersmod.Workers) -> BuildResult:
    store = Cache()
    code = cachemod.code_digest(pipeline)
    digests = prepare.all_input_digests(pipeline)
    failed = paths.build_root() / f"{pipeline.name}.failed"
    stage = new_stage(target)
    # a stop signal removes the stage (lnutils.runner.guard), like the handler below
    with guard.on_stop(lambda: shutil.rmtree(stage, ignore_errors=True)):
        try:
            run = chaptersmod.ChapterRun(pipeline, stage, store, code, options, workers)
            values, tasks, validation = _prepare(pipeline, options, store, code, digests,
                                                 workers, run)
            if not tasks:
                log.warning("%s lists no chapters: the report has only its narratives and "
                            "facts", pipeline.path.name)
            run.add(tasks)
            _finish_validation(validation)  # while the chapters run
            if run.futures:  # chapters run, so reports render: their scan's index meanwhile
                outputs.start_name_index(pipeline, options)
            facts_job = outputs.FactsJob(pipeline, store, code, digests, values,  # alongside
                                         validation.dataset)
            validation.dataset = None  # the facts job keeps the inputs while it needs them
            chapters = run.finish(tasks)
            facts = outputs.write_facts(facts_job, stage, values)
            renders = outputs.render_all(pipeline, stage, store, code, options, values)
            manifest = build_manifest(
                pipeline, started=started, inputs=digests, code_digest=code,
                pipeline_digest=digest_path(pipeline.path), region_values=values,
                chapters=chapters, facts=facts, renders=renders, options=options.record())
            write_json_atomic(stage / "manifest.json", manifest)
            publish(stage, target)
            if failed.exists():  # an older failure, now fixed: no stale notebooks to mislead
                shutil.rmtree(failed, ignore_errors=True)
            store.prune(CACHE_DAYS)
        except Exception as exc:
            workers.close(exc)  # before the stage is kept: nothing may still write into it
            if isinstance(exc, Invalid):  # invalid before anything was built
                shutil.rmtree(stage, ignore_errors=True)
                raise exc.error from None
            if stage.exists():
                keep_failed(stage, failed)
            if isinstance(exc, chaptersmod.ChapterFailure):
                raise BuildError(str(exc), failed) from None
            if isinstance(exc, DataError):
                raise
            raise BuildError(f"the build of {pipeline.name} failed: {type(exc).__name__}: {exc}\n"
                             f"partial output kept in {failed}", failed) from exc
        except BaseException as exc:
            workers.close(exc)
            shutil.rmtree(stage, ignore_errors=True)  # interrupted: leave no trace
            raise
    log.info("published %s (%d executed, %d from cache)", target,
             manifest["executed"], manifest["cache_hits"])
    return BuildResult(
        output=target, manifest=manifest,
        executed=[_label(c) for c in chapters if not c["cached"]],
        cached=[_label(c) for c in chapters if c["cached"]],
    )


def _prepare(pipeline: Pipeline, options: BuildOptions, store: Cache, code: str,
             digests: dict[str, str], workers: chaptersmod.Workers,
             run: chaptersmod.ChapterRun):
    """Validate the inputs, find the fan-out values and plan the chapters; workers warm
    meanwhile, and each chapter of the main report whose inputs are all found valid
    starts as soon as they are (``run``), while the others are still being read.

    Also returns the validation begun (:class:`~lnutils.runner.prepare.Validation`): the
    inputs it loaded (None when cached or skipped), so that the fan-out and the facts do
    not read them again, and the checks left (facts and texts), which need no kernel
    and run while the chapters execute.

    Raises
    ------
    Invalid
        With the DataError of an invalid input, pipeline or plan.
    """
    valid: set[str] = set()

    def start_ready(name: str) -> None:
        valid.add(name)
        ready = [t for t in main
                 if set(cachemod.chapter_input_names(pipeline, t.inputs)) <= valid]
        run.add(ready, more=True)

    try:
        main = plan_chapters(pipeline)
        if chaptersmod.will_execute(pipeline, main, store, code):
            workers.prewarm(code)  # kernels start while the inputs are validated
        validation = prepare.Validation(None)
        if options.validate:
            validation = prepare.start_validation(pipeline, store, code, digests, start_ready)
        values = prepare.region_values(pipeline, store, code, digests, validation.dataset)
        return values, plan_chapters(pipeline, values), validation
    except DataError as exc:
        raise Invalid(exc) from None


class Invalid(Exception):
    """The build's data or texts are invalid (a DataError, in ``error``); found before
    anything was built, or while the chapters ran (the facts, the texts)."""

    def __init__(self, error: DataError):
        super().__init__(str(error))
        self.error = error


def _finish_validation(validation: prepare.Validation) -> None:
    """The facts and the texts checked (the chapters run meanwhile); on a problem the
    chapters are stopped and the build ends with the validation report, as before them."""
    try:
        validation.finish()
    except DataError as exc:
        raise Invalid(exc) from None


def _label(record: dict[str, Any]) -> str:
    region = record["region"]
    return record["chapter"] if region is None else f"{record['chapter']} [{region}]"


