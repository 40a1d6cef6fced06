"""The build, step by step: validate, plan, execute (or take from cache), facts, render, publish.

:func:`build` reads like the table of contents of a build. Each step that can be
skipped when nothing changed looks itself up in the cache first, so that a build with
nothing changed imports neither pandas nor papermill and starts no kernel.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from lnutils import paths
from lnutils.build import cache as cachemod
from lnutils.build import kernels
from lnutils.build.cache import Cache, digest_json, digest_path
from lnutils.build.execute import KERNEL_NAME, execute_chapter
from lnutils.build.executors import iter_completed, open_executor
from lnutils.build.manifest import build_manifest, now_utc, relative
from lnutils.build.plan import Task, fanout_values, plan_chapters, region_slug
from lnutils.build.publish import (
    build_lock,
    keep_failed,
    new_stage,
    prune_dated,
    publish,
    recover,
    update_status,
    write_json_atomic,
)
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError

log = logging.getLogger("lnutils.build")


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
    reuse_kernels: bool = True  # a warm kernel per worker (see lnutils.build.kernels)
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
    options = options or BuildOptions()
    started = now_utc()
    day = options.day or started.date()
    log.info("pipeline %s, resolved configuration:\n%s", pipeline.name,
             yaml.safe_dump(pipeline.resolved(), allow_unicode=True, sort_keys=False).rstrip())
    target = target_for(pipeline, options, day)
    with build_lock(paths.build_root(), pipeline.name):
        recover(target)
        try:
            result = _build_locked(pipeline, options, started, target)
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


def _build_locked(pipeline: Pipeline, options: BuildOptions, started: dt.datetime,
                  target: Path) -> BuildResult:
    store = Cache()
    code = cachemod.package_digest()
    digests = _all_input_digests(pipeline)
    if options.validate:
        validate_inputs(pipeline, store, code, digests)
    values = region_values(pipeline, store, code, digests)
    tasks = plan_chapters(pipeline, values)
    if not tasks:
        log.warning("%s lists no chapters: the report has only its narratives and facts",
                    pipeline.path.name)
    stage = new_stage(target)
    try:
        chapters = run_chapters(pipeline, tasks, stage, store, code, options)
        facts = write_facts(pipeline, stage, store, code, digests, values)
        renders = render_all(pipeline, stage, store, code, options, values)
        manifest = build_manifest(
            pipeline, started=started, inputs=digests, code_digest=code,
            pipeline_digest=digest_path(pipeline.path), region_values=values,
            chapters=chapters, facts=facts, renders=renders, options=options.record())
        write_json_atomic(stage / "manifest.json", manifest)
        publish(stage, target)
    except Exception as exc:
        failed = paths.build_root() / f"{pipeline.name}.failed"
        if stage.exists():
            keep_failed(stage, failed)
        if isinstance(exc, BuildError):
            raise BuildError(str(exc), failed) from None
        if isinstance(exc, DataError):
            raise
        raise BuildError(f"the build of {pipeline.name} failed: {type(exc).__name__}: {exc}\n"
                         f"partial output kept in {failed}", failed) from exc
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)  # interrupted: leave no trace
        raise
    log.info("published %s (%d executed, %d from cache)", target,
             manifest["executed"], manifest["cache_hits"])
    return BuildResult(
        output=target, manifest=manifest,
        executed=[_label(c) for c in chapters if not c["cached"]],
        cached=[_label(c) for c in chapters if c["cached"]],
    )


def _label(record: dict[str, Any]) -> str:
    region = record["region"]
    return record["chapter"] if region is None else f"{record['chapter']} [{region}]"


def _all_input_digests(pipeline: Pipeline) -> dict[str, str]:
    """Digest of every input; a missing one is marked so that validation reports it."""
    digests = {}
    for name, path in pipeline.inputs.items():
        try:
            digests[name] = digest_path(path)
        except FileNotFoundError:
            digests[name] = "missing"
    return digests


def validate_inputs(pipeline: Pipeline, store: Cache, code: str, digests: dict[str, str]) -> None:
    """Validate every input (or recall that these exact inputs were valid).

    Raises
    ------
    DataError
        With the full validation report when an input is invalid.
    """
    key = digest_json({"code": code, "pipeline": digest_path(pipeline.path),
                       "data_dir": str(pipeline.data_dir), "inputs": digests})
    known = store.get_json("validation", key)
    if known is not None:
        if known.get("count"):
            log.warning("inputs unchanged since they were validated: %d warning(s) "
                        "(`lnreport validate` lists them)", known["count"])
        return
    if importlib.util.find_spec("lnutils.validation") is None:
        log.warning("lnutils.validation is not available: building without validating inputs")
        return
    from lnutils.validation import validate_path  # noqa: PLC0415

    report = validate_path(pipeline.path, data_dir=pipeline.data_dir)
    if not report.ok:
        raise DataError(report)
    if report.warnings:
        log.warning("validation found %d warning(s):\n%s", len(report.warnings),
                    report.format())
    if "missing" not in digests.values():
        store.put_json("validation", key, {"count": len(report.warnings)})


def region_values(pipeline: Pipeline, store: Cache, code: str,
                  digests: dict[str, str]) -> list[str]:
    """The fan-out values; from the cache when the survey and codebook are unchanged."""
    fanout = pipeline.spec.fanout
    if fanout is None or fanout.values or not fanout.values_from:
        return fanout_values(pipeline)
    key = digest_json({"code": code, "fanout": fanout.model_dump(),
                       "inputs": {n: digests.get(n) for n in ("survey", "codebook")}})
    known = store.get_json("fanout", key)
    if known is not None:
        return known
    values = fanout_values(pipeline)
    store.put_json("fanout", key, values)
    return values


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
                 options: BuildOptions) -> list[dict[str, Any]]:
    """Put every executed chapter into ``stage``: from the cache, or by running papermill.

    Returns one record per task, in plan order. Every chapter runs even when one fails,
    so that one build shows every failure and caches every success.

    Raises
    ------
    BuildError
        Naming each failed notebook, cell and error.
    """
    root = paths.repo_root()
    records: dict[int, dict[str, Any]] = {}
    keys: dict[int, str] = {}
    pending: list[int] = []
    for i, task in enumerate(tasks):
        keys[i] = chapter_key(pipeline, task, code)
        cached = store.get_bytes("chapters", keys[i], ".ipynb")
        if cached is None:
            pending.append(i)
            continue
        _write(stage / task.output, cached)
        records[i] = _record(task, keys[i], root, cached=True, seconds=0.0, attempts=0)
    failures = _execute(tasks, pending, keys, stage, store, options, records, root)
    if failures:
        failed = paths.build_root() / f"{pipeline.name}.failed"
        lines = [f"{len(failures)} chapter(s) of {pipeline.name} failed:"]
        lines += [f"  - {message}" for message in failures]
        lines.append(f"The executed notebooks, with the error in place, are in {failed}/ "
                     "(the published report is unchanged).")
        raise BuildError("\n".join(lines))
    return [records[i] for i in range(len(tasks))]


def _execute(tasks, pending, keys, stage, store, options, records, root) -> list[str]:
    if not pending:
        return []
    from tqdm import tqdm  # noqa: PLC0415

    failures: list[str] = []
    log.info("executing %d chapter notebook(s), %d from cache", len(pending),
             len(tasks) - len(pending))
    # Warm kernels live as long as the local workers of this build; on a Dask cluster they
    # would outlive it in long-running workers, so there every notebook gets its own.
    reuse = options.reuse_kernels and options.client is None and options.executor == "local"
    with _executor(options, len(pending)) as executor:
        futures = {}
        for i in pending:
            payload = _payload(tasks[i], root, reuse)
            futures[executor.submit(execute_chapter, payload)] = i
        bar = tqdm(total=len(pending), desc="chapters", unit="nb",
                   disable=None if options.progress is None else not options.progress)
        with bar:
            for future in iter_completed(futures):
                i = futures[future]
                task = tasks[i]
                bar.set_postfix_str(task.label, refresh=False)
                bar.update(1)
                try:
                    result = future.result()
                except Exception as exc:  # a worker died (out of memory, killed)
                    failures.append(f"{task.label}: the worker executing "
                                    f"{relative(task.notebook, root)} failed: {exc!r}")
                    continue
                if result["notebook"] is not None:
                    data = result["notebook"].encode("utf-8")
                    _write(stage / task.output, data)
                if not result["ok"]:
                    failures.append(f"{task.label}: {result['error']['message']}")
                    continue
                store.put_bytes("chapters", keys[i], data, ".ipynb")
                records[i] = _record(task, keys[i], root, cached=False,
                                     seconds=result["seconds"], attempts=result["attempts"])
                log.debug("executed %s in %.1f s", task.label, result["seconds"])
    kernels.discard_kernel()  # the in-process executor's kernel, if it had one
    return failures


def _executor(options: BuildOptions, n: int):
    if options.client is not None:
        from contextlib import nullcontext  # noqa: PLC0415

        return nullcontext(options.client)
    return open_executor(options.executor, options.jobs, options.scheduler, tasks=n)


def _payload(task: Task, root: Path, reuse_kernel: bool) -> dict[str, Any]:
    return {
        "reuse_kernel": reuse_kernel,
        "code": cachemod.package_digest(),
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


def write_facts(pipeline: Pipeline, stage: Path, store: Cache, code: str,
                digests: dict[str, str], values: list[str]) -> dict[str, Any]:
    """Write the flat facts to ``stage/facts.json`` (and each region's folder)."""
    started = time.perf_counter()
    key = digest_json({"code": code, "pipeline": digest_path(pipeline.path), "inputs": digests})
    data = store.get_bytes("facts", key, ".json")
    cached = data is not None
    if data is None:
        if pipeline.spec.facts:
            from lnutils.facts import facts_for_pipeline  # noqa: PLC0415

            facts = facts_for_pipeline(pipeline)
        else:
            log.info("the pipeline names no facts module: facts.json is empty")
            facts = {}
        data = json.dumps(facts, ensure_ascii=False, indent=2, default=str).encode("utf-8")
        store.put_bytes("facts", key, data, ".json")
    _write(stage / "facts.json", data)
    for value in values:
        _write(stage / "regions" / region_slug(value) / "facts.json", data)
    return {"cached": cached, "seconds": round(time.perf_counter() - started, 3),
            "sha256": cachemod.digest_bytes(data)}


def narrative_files(pipeline: Pipeline) -> list[Path]:
    """Files besides the notebooks that shape the rendered report."""
    reports = paths.reports_dir()
    files = [reports / n.file for n in pipeline.spec.narratives]
    files += [reports / "_quarto.yml", reports / pipeline.name]
    return [f for f in files if f.exists()]


def _renderer():
    """The report renderer (``lnutils.render.render_report``), or None when not installed.

    The import happens only when a render is not in the cache: the render package
    pulls in pandoc and the notebook readers.
    """
    if importlib.util.find_spec("lnutils.render") is None:
        return None

    def render(pipeline, folder, *, engine, region):
        from lnutils.render import render_report  # noqa: PLC0415

        return render_report(pipeline, folder, engine=engine, region=region)

    return render


def render_all(pipeline: Pipeline, stage: Path, store: Cache, code: str,
               options: BuildOptions, values: list[str]) -> list[dict[str, Any]]:
    """Render the main report and each region's report, reusing cached renders."""
    if not options.render:
        log.info("rendering skipped (--no-render)")
        return []
    renderer = _renderer()
    if renderer is None:
        log.warning("lnutils.render is not available: the report is not rendered")
        return []
    units: list[tuple[str | None, Path]] = [(None, stage)]
    units += [(v, stage / "regions" / region_slug(v)) for v in values]
    context = {
        "code": code, "pipeline": digest_path(pipeline.path), "engine": options.engine,
        "narratives": {str(f): digest_path(f) for f in narrative_files(pipeline)},
    }
    records = []
    for region, folder in units:
        if not (folder / "notebooks").is_dir():
            continue
        records.append(_render_one(pipeline, folder, region, store, context, options, renderer))
    return records


def _render_one(pipeline, folder, region, store, context, options, renderer) -> dict[str, Any]:
    started = time.perf_counter()
    notebooks = {p.name: digest_path(p) for p in sorted((folder / "notebooks").glob("*.ipynb"))}
    key = digest_json({**context, "region": region, "notebooks": notebooks,
                       "facts": digest_path(folder / "facts.json")})
    entry = store.get_tree("render", key)
    if entry is not None:
        shutil.copytree(entry, folder, dirs_exist_ok=True)
        outputs = sorted(p.relative_to(entry).as_posix() for p in entry.iterdir())
        cached = True
    else:
        produced = renderer(pipeline, folder, engine=options.engine, region=region)
        files = {relative(p, folder): Path(p) for p in produced if Path(p).exists()}
        files = {rel: p for rel, p in files.items() if not Path(rel).is_absolute()}
        store.put_tree("render", key, files)
        outputs = sorted(files)
        cached = False
    return {"region": region, "cached": cached, "outputs": outputs,
            "seconds": round(time.perf_counter() - started, 3)}
