"""What the PDF adds to rendering a built report: render with and without it.

Renders the executed chapters of a built report (``reports/_build/<pipeline>`` after
``lnreport build``) again into scratch copies, once with all three outputs and once with
the PDF step left out, ``--repeat`` times each, and prints the median wall-clock and CPU
seconds (this process and its pandoc children; Typst compiles in-process). Run it with
the main report and each sub-report, as a build does. Not a test: timings depend on the
machine. Scratch copies go to ``benchmarks/_work/render/``.

    .venv/bin/python benchmarks/render_formats.py pipelines/trondelag-2021.yml --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import statistics
import time
from pathlib import Path
from unittest import mock

from lnutils import paths
from lnutils.pipeline import load_pipeline
from lnutils.render import pandoc_engine, render_report

WORK = Path(__file__).resolve().parent / "_work" / "render"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _units(built: Path) -> list[tuple[str | None, Path]]:
    units: list[tuple[str | None, Path]] = [(None, built)]
    regions = built / "regions"
    if regions.is_dir():
        manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
        folders = (manifest.get("fanout") or {}).get("folders", {})
        units += [(value, built / folder) for value, folder in folders.items()]
    return units


def render_all(pipeline, units, with_pdf: bool) -> tuple[float, float]:
    """Wall and CPU seconds to render every unit into fresh scratch copies."""
    copies = []
    for i, (region, folder) in enumerate(units):
        target = WORK / f"unit-{i}"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copytree(folder / "notebooks", target / "notebooks")
        shutil.copy(folder / "facts.json", target / "facts.json")
        copies.append((region, target))
    no_pdf = mock.patch.object(pandoc_engine, "write_pdf",
                               side_effect=lambda doc, stage, *a, **k: Path(stage) / "report.pdf")
    started, cpu = time.perf_counter(), _cpu()
    with contextlib.nullcontext() if with_pdf else no_pdf:
        for region, target in copies:
            render_report(pipeline, target, engine="pandoc", region=region)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pipeline", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pipeline = load_pipeline(args.pipeline)
    built = paths.build_root() / pipeline.name
    if not (built / "notebooks").is_dir():
        parser.error(f"{built}: build the report first (lnreport build {args.pipeline})")
    units = _units(built)
    results: dict[str, list[tuple[float, float]]] = {"with PDF": [], "without PDF": []}
    for _ in range(args.repeat):
        for label, with_pdf in (("with PDF", True), ("without PDF", False)):
            results[label].append(render_all(pipeline, units, with_pdf))
    for label, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{label:12s} {len(units)} report(s): wall {wall:6.2f} s, cpu {cpu:6.2f} s "
              f"(median of {len(runs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
