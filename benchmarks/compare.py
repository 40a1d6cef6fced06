"""Compare the cold build of this tree with that of an earlier commit, on this machine now.

A cold build's seconds depend on the machine and on what else it runs: the same code
measured on two days can differ by a fifth. A target such as "within 10 % of the build
of <date>" is therefore checked against that day's code run here and now, not against
the seconds it took then:

1. the earlier commit is checked out in ``benchmarks/_work/compare/<rev>/`` (a git
   worktree) and each tree's own ``benchmarks/run.py --skip-baseline`` prepares its
   scratch repositories and data (and measures once);
2. cold builds of the two trees then alternate, ``--rounds`` times per case, each tree
   building its own scratch copy of the case with its own code, the same command the
   run script times (``lnreport build PIPELINE --data-dir DATA --jobs J``);
3. the table gives each tree's median and the ratio of each round's pair.

Usage::

    python benchmarks/compare.py 772e74f                 # both cases, 3 rounds
    python benchmarks/compare.py 772e74f --cases example --rounds 5

Results go to ``benchmarks/_work/compare.json``. Run it on a machine doing nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
BIN = Path(sys.executable).parent
# case -> (scratch folder under _work, data folder relative to the tree)
CASES = {
    "synthetic": ("synthetic-N10000-M20", "benchmarks/_work/data-N10000-M20"),
    "example": ("example", "data/example/trondelag-2021"),
}
PIPELINE = "pipelines/trondelag-2021.yml"


def worktree(rev: str) -> Path:
    """The earlier commit checked out beside this tree (made once, then reused)."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    tree = WORK / "compare" / commit
    if not (tree / "benchmarks" / "run.py").is_file():
        tree.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(tree), commit],
                       cwd=ROOT, check=True, capture_output=True)
    return tree


def prepare(tree: Path, cases: list[str], jobs: int) -> None:
    """Let the tree's own run script make its scratch repositories, data and snapshot."""
    subprocess.run([sys.executable, str(tree / "benchmarks" / "run.py"), "--skip-baseline",
                    "--cases", ",".join(cases), "--jobs", str(jobs)],
                   cwd=tree, check=True, capture_output=True, text=True)
    for case in cases:
        repo = tree / "benchmarks" / "_work" / CASES[case][0] / "repo"
        if not (repo / PIPELINE).is_file():
            raise SystemExit(f"{tree}: no scratch repository {repo} after its run script")


def cold_build(tree: Path, case: str, jobs: int) -> float:
    """Seconds of one cold build of ``case`` by the tree's own code (empty cache)."""
    work = tree / "benchmarks" / "_work"
    repo = work / CASES[case][0] / "repo"
    for name in ("_cache", "_build"):
        shutil.rmtree(repo / "reports" / name, ignore_errors=True)
    env = {**os.environ, "LNREPORT_ROOT": str(repo),
           "PYTHONPATH": os.pathsep.join(p for p in (str(work / "snapshot"),
                                                     os.environ.get("PYTHONPATH", "")) if p)}
    cmd = [str(BIN / "lnreport"), "build", PIPELINE, "--data-dir",
           str(tree / CASES[case][1]), "--jobs", str(jobs), "--quiet"]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {tree}:\n{proc.stdout}\n{proc.stderr}")
    return round(seconds, 2)


def compare(rev: str, cases: list[str], rounds: int, jobs: int) -> dict:
    base = worktree(rev)
    for tree in (base, ROOT):
        prepare(tree, cases, jobs)
    results: dict = {"rev": rev, "jobs": jobs, "cases": {}}
    for case in cases:
        pairs = []
        for _ in range(rounds):
            before = cold_build(base, case, jobs)
            now = cold_build(ROOT, case, jobs)
            pairs.append({"base": before, "current": now, "ratio": round(now / before, 3)})
            print(f"{case:10s} {rev}: {before:6.1f} s   current: {now:6.1f} s   "
                  f"ratio {now / before:5.2f}", flush=True)
        results["cases"][case] = {
            "rounds": pairs,
            "median_base": statistics.median(p["base"] for p in pairs),
            "median_current": statistics.median(p["current"] for p in pairs),
            "median_ratio": statistics.median(p["ratio"] for p in pairs),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold builds of this tree against an "
                                     "earlier commit's, alternating (see module doc).")
    parser.add_argument("rev", help="the earlier commit (e.g. 772e74f)")
    parser.add_argument("--cases", default="synthetic,example",
                        help="comma-separated: synthetic, example")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of cold builds per case")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; use {', '.join(CASES)}")
    results = compare(args.rev, cases, args.rounds, args.jobs)
    for case, found in results["cases"].items():
        print(f"{case}: median {found['median_base']} s at {args.rev}, "
              f"{found['median_current']} s now; median ratio {found['median_ratio']}")
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "compare.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
