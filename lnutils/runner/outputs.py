"""After the chapters: the facts file and the rendered reports (both cached).

Facts are computed in a thread while the chapters execute (the main process only waits
for its workers then); renders of the main report and of each region run in a small
thread pool, as most of their time is spent in pandoc subprocesses.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lnutils import paths
from lnutils.pipeline import Pipeline
from lnutils.runner import cache as cachemod
from lnutils.runner.cache import Cache, digest_json, digest_path
from lnutils.runner.manifest import relative
from lnutils.runner.plan import region_slug

if TYPE_CHECKING:
    from lnutils.runner.engine import BuildOptions

log = logging.getLogger("lnutils.runner")


def facts_key(pipeline: Pipeline, code: str, digests: dict[str, str]) -> str:
    """The store key of a pipeline's flat facts: the code, the pipeline file, every input."""
    return digest_json({"code": code, "pipeline": digest_path(pipeline.path),
                        "inputs": digests})


def network_facts(pipeline: Pipeline, store: Cache, code: str, digests: dict[str, str],
                  dataset: Any = None) -> bytes:
    """The flat facts of a pipeline as ``facts.json`` holds them: from the store, or
    computed (from ``dataset``, the loaded inputs, when given) and stored.

    The validation of a build calls this first (it checks the texts against these very
    facts); :class:`FactsJob` then finds them in the store.
    """
    key = facts_key(pipeline, code, digests)
    data = store.get_bytes("facts", key, ".json")
    if data is None:
        from lnutils.facts import facts_for_pipeline, facts_json  # noqa: PLC0415

        data = facts_json(facts_for_pipeline(pipeline, store=store, dataset=dataset))
        store.put_bytes("facts", key, data, ".json")
    return data


class FactsJob:
    """The flat facts of a pipeline and of its sub-reports, from the cache or computed in a
    background thread while the chapters execute.

    Parameters
    ----------
    pipeline, store, code, digests : the pipeline, the cache, the lnutils source digest
        and the digests of every input (the facts may read any of them).
    values : the fan-out values: each sub-report's facts are computed on its respondents
        (:func:`lnutils.facts.facts_for_regions`) and cached beside the network's.
    dataset : the pipeline's inputs if the build loaded them already (its validation
        did); else they are loaded (parsed ones from the store) when needed.
    """

    def __init__(self, pipeline: Pipeline, store: Cache, code: str, digests: dict[str, str],
                 values: list[str] | tuple[str, ...] = (), dataset: Any = None):
        self.pipeline = pipeline
        self.store = store
        self.code, self.digests = code, digests
        self.key = facts_key(pipeline, code, digests)
        self.data = store.get_bytes("facts", self.key, ".json")
        self.regions = self._cached_regions(values)
        # all in the store (the network's may come from this build's validation)
        self.cached = self.data is not None and None not in self.regions.values()
        self.error: BaseException | None = None
        self.seconds = 0.0  # time spent computing (not waiting)
        self.thread: threading.Thread | None = None
        self.dataset = None
        if not self.cached:
            self.dataset = dataset
            self.thread = threading.Thread(target=self._compute, daemon=True,
                                           name="lnreport-facts")
            self.thread.start()

    def region_key(self, value: str) -> str:
        return digest_json({"facts": self.key, "region": value})

    def _cached_regions(self, values) -> dict[str, bytes | None]:
        return {v: self.store.get_bytes("facts", self.region_key(v), ".json") for v in values}

    def _compute(self) -> None:
        started = time.perf_counter()
        try:
            if self.data is None:
                self.data = network_facts(self.pipeline, self.store, self.code, self.digests,
                                          self._inputs())
            self._compute_regions([v for v, d in self.regions.items() if d is None])
        except BaseException as exc:  # re-raised in the build's thread by result()
            self.error = exc
        finally:
            self.dataset = None  # the inputs are not needed any more
            self.seconds = round(time.perf_counter() - started, 3)

    def _inputs(self) -> Any:
        """The loaded inputs, loaded once for the network's and the regions' facts."""
        if self.dataset is None:
            from lnutils.inputs.dataset import load_dataset  # noqa: PLC0415

            self.dataset = load_dataset(self.pipeline, self.store)
        return self.dataset

    def _compute_regions(self, values: list[str]) -> None:
        if not values:
            return
        from lnutils.facts import facts_for_regions, facts_json  # noqa: PLC0415

        network = json.loads(self.data)
        for value, facts in facts_for_regions(self.pipeline, values, network, store=self.store,
                                              dataset=self._inputs()).items():
            self.regions[value] = facts_json(facts)
            self.store.put_bytes("facts", self.region_key(value), self.regions[value], ".json")

    def result(self) -> bytes:
        """The facts as JSON bytes; raises what computing them raised."""
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error
        return self.data

    def region_result(self, value: str) -> bytes:
        """A sub-report's facts as JSON bytes (computed now if the job was not told of it)."""
        self.result()
        if self.regions.get(value) is None:
            self.regions.update({k: v for k, v in self._cached_regions([value]).items()
                                 if v is not None})
            if self.regions.get(value) is None:
                try:
                    self._compute_regions([value])
                finally:
                    self.dataset = None
        return self.regions[value]


def write_facts(job: FactsJob, stage: Path, values: list[str]) -> dict[str, Any]:
    """Write the flat facts to ``stage/facts.json`` and each region's own to its folder.

    A region's facts are computed on its respondents, with the network's under ``all.``
    (:func:`lnutils.facts.facts_for_regions`).
    """
    data = job.result()
    _write(stage / "facts.json", data)
    for value in values:
        _write(stage / "regions" / region_slug(value) / "facts.json", job.region_result(value))
    return {"cached": job.cached, "seconds": job.seconds, "sha256": cachemod.digest_bytes(data)}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


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


def start_name_index(pipeline: Pipeline, options: BuildOptions) -> None:
    """Have the renders' name index built while the chapters execute.

    Every render scans its outputs for the names on the invitation list; built at the
    first render, the index would hold up the renders' start (its building is Python
    work, which the render threads' own Python then waits for).
    """
    if options.render and _renderer() is not None:
        from lnutils.render import start_name_index as start  # noqa: PLC0415

        start(pipeline)


def render_all(pipeline: Pipeline, stage: Path, store: Cache, code: str,
               options: BuildOptions, values: list[str]) -> list[dict[str, Any]]:
    """Render the main report and each region's report, reusing cached renders.

    Raises whatever the renderer raises (``lnutils.render.RenderError``) for the first
    report that fails.
    """
    if not options.render:
        log.info("rendering skipped (--no-render)")
        return []
    renderer = _renderer()
    if renderer is None:
        log.warning("lnutils.render is not available: the report is not rendered")
        return []
    units: list[tuple[str | None, Path]] = [(None, stage)]
    units += [(v, stage / "regions" / region_slug(v)) for v in values]
    units = [(region, folder) for region, folder in units if (folder / "notebooks").is_dir()]
    context = {
        "code": code, "pipeline": digest_path(pipeline.path), "engine": options.engine,
        "narratives": {str(f): digest_path(f) for f in narrative_files(pipeline)},
        # the outputs are scanned for the names on the invitation list: a new name on
        # the list must scan the reports again
        "scanned_names": _digest_if_file(pipeline.input("invitations")),
    }

    def one(unit):
        region, folder = unit
        return _render_one(pipeline, folder, region, store, context, options, renderer)

    if len(units) > 1 and options.jobs > 1:
        with ThreadPoolExecutor(max_workers=options.jobs,
                                thread_name_prefix="lnreport-render") as pool:
            return list(pool.map(one, units))
    return [one(unit) for unit in units]


def _digest_if_file(path: Path | None) -> str | None:
    return digest_path(path) if path is not None and Path(path).is_file() else None


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
