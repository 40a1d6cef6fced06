"""Measure ``lnreport build`` against the naive way of running the same notebooks.

For each case (the example pipeline with its own data, and a synthetic data set of N
respondents in M regions made by ``benchmarks/synthetic.py``) this measures, in a
scratch copy of the repository under ``benchmarks/_work/``:

- cold build: empty cache, ``lnreport build PIPELINE --data-dir DATA --jobs J`` (``--repeat
  N``: N times, the median reported);
- no-change rebuild: the same command again (wall clock of the whole command,
  Python start-up included, and the engine's own time from ``manifest.json``);
- one-chapter rebuild: after editing the first chapter notebook;
- peak memory: the largest sum of resident memory of the build process and all its
  children (workers, kernels, pandoc), sampled every 0.1 s (an upper bound: pages
  shared between processes are counted once per process);
- the naive baseline: the same notebooks (main report and every fan-out value),
  one ``papermill.execute_notebook`` after the other in one process, then
  ``jupyter nbconvert --to html`` for each executed notebook.

It prints a table with ratios and writes ``benchmarks/_work/results.json``. Usage::

    python benchmarks/run.py                       # both cases, N = 10 000, M = 20
    python benchmarks/run.py --cases example --skip-baseline
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def scratch_repo(case: str, source: Path) -> Path:
    """A copy of the parts of the repository a build reads, with no build output."""
    root = WORK / case.replace(" ", "-") / "repo"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for name in ("notebooks", "pipelines", "reports"):
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name,
                            ignore=shutil.ignore_patterns("_build", "_cache"))
    return root


def without_narratives(pipeline: Path) -> None:
    """Drop a scratch pipeline's narratives (and the figure references they hold).

    The example's texts check their claims against the example's data (issue 13); random
    synthetic answers make some of them false, which fails the build by design. What the
    synthetic case measures is the chapters, facts and renders at scale.
    """
    import yaml  # noqa: PLC0415

    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    spec["narratives"] = []
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")


def _synthetic():
    """benchmarks/synthetic.py as a module (benchmarks/ is not a package)."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location("synthetic", Path(__file__).with_name(
        "synthetic.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PeakMemory:
    """Samples the resident memory of a process tree in a thread."""

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil  # noqa: PLC0415 (installed with the dask extra)

        self.psutil = psutil
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
            except self.psutil.Error:
                break
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except self.psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def snapshot_package() -> Path:
    """A copy of the lnutils package for the benchmark's builds to import.

    The cache keys on the package's source: in a working tree that others edit while
    the benchmark runs, a rebuild would otherwise (correctly) execute everything again.
    """
    target = WORK / "snapshot"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "lnutils", target / "lnutils",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return target


def build_env(root: Path) -> dict:
    """Environment of a build: its scratch root and the package snapshot."""
    env = {**os.environ, "LNREPORT_ROOT": str(root)}
    entries = [str(WORK / "snapshot"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(e for e in entries if e)
    return env


def run_build(root: Path, pipeline: Path, name: str, data: Path, jobs: int) -> dict:
    """Run ``lnreport build`` once; wall time, peak memory and the manifest's summary."""
    env = build_env(root)
    cmd = [str(BIN / "lnreport"), "build", str(pipeline), "--data-dir", str(data),
           "--jobs", str(jobs), "--quiet"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(cmd)}):\n{out}\n{err}")
    manifest = json.loads((root / "reports" / "_build" / name / "manifest.json").read_text())
    return {
        "seconds": round(seconds, 3),
        "engine_seconds": manifest["seconds"],
        "peak_rss_mib": round(memory.peak / 2**20, 1),
        "executed": manifest["executed"],
        "cached": manifest["cache_hits"],
        "rendered": sum(1 for r in manifest["renders"] if not r["cached"]),
    }


def touch_first_chapter(root: Path, pipeline: Path) -> str:
    """Edit the first chapter notebook (a markdown cell added) and return its id."""
    from lnutils.pipeline import load_pipeline  # noqa: PLC0415

    chapter = load_pipeline(pipeline).spec.chapters[0]
    path = root / chapter.notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "benchmark-edit",
                        "source": ["Endret av benchmark."]})
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return chapter.id


def naive_baseline(root: Path, pipeline_path: Path, data: Path) -> dict:
    """The same notebooks, executed one by one, then each converted to HTML."""
    os.environ["LNREPORT_ROOT"] = str(root)
    import papermill  # noqa: PLC0415

    from lnutils.pipeline import load_pipeline  # noqa: PLC0415
    from lnutils.runner.plan import fanout_values, plan_chapters  # noqa: PLC0415

    pipeline = load_pipeline(pipeline_path, data_dir=data)
    tasks = plan_chapters(pipeline, fanout_values(pipeline))
    out = Path(tempfile.mkdtemp(prefix="naive-", dir=WORK))
    started = time.perf_counter()
    executed = []
    for i, task in enumerate(tasks):
        target = out / f"{i:03d}-{task.chapter}.ipynb"
        papermill.execute_notebook(str(task.notebook), str(target), parameters=task.parameters,
                                   kernel_name="python3", cwd=str(root), progress_bar=False)
        executed.append(target)
    execute_seconds = time.perf_counter() - started
    for target in executed:
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(target)],
                       check=True, capture_output=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(out)
    return {"seconds": round(seconds, 3), "execute_seconds": round(execute_seconds, 3),
            "notebooks": len(tasks)}


def cold_builds(root: Path, pipeline: Path, name: str, data: Path, jobs: int,
                repeat: int) -> dict:
    """``repeat`` cold builds (cache and output removed before each); the median one.

    The other runs' wall clocks are kept under ``"runs"`` to show the spread.
    """
    runs = []
    for _ in range(repeat):
        for folder in ("_build", "_cache"):
            shutil.rmtree(root / "reports" / folder, ignore_errors=True)
        runs.append(run_build(root, pipeline, name, data, jobs))
    median = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    return {**median, "runs": [r["seconds"] for r in runs]}


def measure(case: str, pipeline: Path, data: Path, jobs: int, baseline: bool,
            source: Path, repeat: int = 1) -> dict:
    from lnutils.pipeline import load_pipeline  # noqa: PLC0415

    root = scratch_repo(case, source)
    # the baseline's kernels load inputs the same way as the build's
    os.environ["PYTHONPATH"] = build_env(root)["PYTHONPATH"]
    scratch_pipeline = root / "pipelines" / pipeline.name
    if case.startswith("synthetic"):
        without_narratives(scratch_pipeline)
    name = load_pipeline(scratch_pipeline).name
    result = {"case": case, "data": str(data)}
    print(f"[{case}] cold build{f' x {repeat}' if repeat > 1 else ''} ...", flush=True)
    result["cold"] = cold_builds(root, scratch_pipeline, name, data, jobs, repeat)
    print(f"[{case}] no-change rebuild ...", flush=True)
    result["nochange"] = run_build(root, scratch_pipeline, name, data, jobs)
    chapter = touch_first_chapter(root, scratch_pipeline)
    print(f"[{case}] rebuild after editing chapter {chapter} ...", flush=True)
    result["onechapter"] = {**run_build(root, scratch_pipeline, name, data, jobs),
                            "chapter": chapter}
    if baseline:
        print(f"[{case}] naive baseline ...", flush=True)
        result["baseline"] = naive_baseline(root, scratch_pipeline, data)
        result["speedup_cold_vs_naive"] = round(
            result["baseline"]["seconds"] / result["cold"]["seconds"], 2)
    return result


def report(results: list[dict]) -> str:
    lines = [f"{'case':<34}{'step':<14}{'seconds':>9}{'engine s':>10}{'peak MiB':>10}"
             f"{'executed':>10}{'cached':>8}"]
    for r in results:
        for step in ("cold", "nochange", "onechapter"):
            s = r[step]
            lines.append(f"{r['case']:<34}{step:<14}{s['seconds']:>9.2f}{s['engine_seconds']:>10.2f}"
                         f"{s['peak_rss_mib']:>10.0f}{s['executed']:>10}{s['cached']:>8}")
        runs = r["cold"].get("runs", [])
        if len(runs) > 1:
            lines.append(f"{r['case']:<34}cold runs: "
                         + ", ".join(f"{x:.2f}" for x in runs) + " s (median above)")
        if "baseline" in r:
            b = r["baseline"]
            lines.append(f"{r['case']:<34}{'naive':<14}{b['seconds']:>9.2f}{'':>10}{'':>10}"
                         f"{b['notebooks']:>10}{'':>8}")
            lines.append(f"{r['case']:<34}cold build is {r['speedup_cold_vs_naive']:.2f}x "
                         "faster than the naive baseline")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark lnreport build (see module doc).")
    parser.add_argument("--pipeline", type=Path, default=ROOT / "pipelines" / "trondelag-2021.yml")
    parser.add_argument("--cases", default="example,synthetic",
                        help="comma-separated: example, synthetic")
    parser.add_argument("--respondents", "-n", type=int, default=10_000)
    parser.add_argument("--regions", "-m", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="cold builds per case; the median is reported (default 1)")
    parser.add_argument("--out", type=Path, default=WORK / "results.json",
                        help="where to write the results as JSON")
    parser.add_argument("--source-root", type=Path, default=ROOT,
                        help="copy notebooks/, pipelines/ and reports/ from here "
                             "(default: the repository)")
    args = parser.parse_args(argv)

    from lnutils.pipeline import load_pipeline  # noqa: PLC0415

    pipeline_path = args.pipeline.resolve()
    if not pipeline_path.is_file():
        print(f"no pipeline {pipeline_path}: nothing to measure", file=sys.stderr)
        return 1
    pipeline = load_pipeline(pipeline_path)
    if not pipeline.spec.chapters:
        print(f"{pipeline_path.name} lists no chapters yet: nothing to measure", file=sys.stderr)
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    snapshot_package()
    results = []
    for case in args.cases.split(","):
        if case == "example":
            data = pipeline.data_dir
        elif case == "synthetic":
            data = WORK / f"data-N{args.respondents}-M{args.regions}"
            print(f"[synthetic] generating N = {args.respondents}, M = {args.regions} ...",
                  flush=True)
            _synthetic().make_dataset(pipeline.data_dir, data, args.respondents, args.regions,
                                      args.seed)
            case = f"synthetic N{args.respondents} M{args.regions}"
        else:
            parser.error(f"unknown case {case!r}")
        results.append(measure(case, pipeline_path, data, args.jobs, not args.skip_baseline,
                               args.source_root.resolve(), max(1, args.repeat)))
    meta = {"machine": platform.platform(), "cpus": os.cpu_count(), "jobs": args.jobs,
            "python": platform.python_version(), "pipeline": str(pipeline_path)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "results": results}, indent=2,
                                   ensure_ascii=False))
    print()
    print(report(results))
    print(f"\n(details in {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
