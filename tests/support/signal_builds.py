"""Helpers of the signal tests: a repository to build, a build in a subprocess, its processes.

Used by ``tests/runner/test_signals.py`` and runnable on its own to measure how a build
stops (``python tests/support/signal_builds.py SIGTERM executing``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

TESTS = Path(__file__).resolve().parent.parent
FIXTURE = TESTS / "fixtures" / "build"
SIGNALS = TESTS / "fixtures" / "signals"
DRIVER = SIGNALS / "drive_build.py"
MARKER = "LNREPORT_BUILD_ID"


def make_repo(base: Path) -> Path:
    """A copy of the build fixture with the slow pipeline and its sleeping notebook."""
    repo = base / "repo"
    shutil.copytree(FIXTURE, repo)
    shutil.copy(SIGNALS / "sleepy.ipynb", repo / "notebooks" / "sleepy.ipynb")
    shutil.copy(SIGNALS / "slow.yml", repo / "pipelines" / "slow.yml")
    return repo


def set_sleep(repo: Path, seconds: int) -> None:
    """Make the two sleeping chapters sleep this long (a new cache key: they re-execute)."""
    path = repo / "pipelines" / "slow.yml"
    text = re.sub(r"seconds: \d+", f"seconds: {seconds}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


def environment(repo: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["LNREPORT_ROOT"] = str(repo)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS.parent), env.get("PYTHONPATH", "")])
    env.pop(MARKER, None)
    return env


def start_build(repo: Path, *args: str) -> subprocess.Popen:
    """``lnreport build pipelines/slow.yml --jobs 2`` in a new process group, like a terminal's.

    Output goes to files, not pipes: a process the build leaves behind would hold a pipe
    open and keep a reader waiting.
    """
    out = (repo / "build.out").open("w")
    err = (repo / "build.err").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(repo / "pipelines" / "slow.yml"), "--jobs", "2",
         *args],
        cwd=repo, env=environment(repo), stdout=out, stderr=err, start_new_session=True)
    out.close()
    err.close()
    proc.repo = repo
    return proc


def run_build(repo: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DRIVER), str(repo / "pipelines" / "slow.yml"), "--jobs", "2"],
        cwd=repo, env=environment(repo), capture_output=True, text=True, timeout=timeout)


def build_processes(root: psutil.Process | None = None) -> list[psutil.Process]:
    """Every live process started for a build of this test run (workers, kernels...).

    Found by the build marker in their environment, which the build sets for everything
    it starts; kernels and workers re-parented after their build died are found too.
    """
    found = []
    for proc in psutil.process_iter(["pid"]):
        if proc.pid == os.getpid():
            continue
        try:
            env = proc.environ()
            if env.get(MARKER) and env.get("LNREPORT_ROOT", "").startswith(str(root or "")):
                if proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def wait_for(condition, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def digest_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def kernels_of(pid: int) -> list[psutil.Process]:
    found = []
    for child in descendants(pid):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def workers_of(pid: int) -> list[psutil.Process]:
    found = []
    for child in descendants(pid):
        try:
            if any("multiprocessing" in part and "spawn" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


MOMENTS = {
    # the worker processes exist; their kernels are still starting
    "starting": lambda pid: len(workers_of(pid)) >= 1,
    # both sleeping chapters run in their kernels
    "executing": lambda pid: len(kernels_of(pid)) >= 2,
}


def interrupt(proc: subprocess.Popen, signum: int, after: float | str) -> dict:
    """Signal a running build after some seconds or at a moment of ``MOMENTS``.

    Returns how long it took to end, its exit status, what it wrote to stderr (all of
    it, and what came after the signal) and the pids of its process tree at the signal.
    """
    if isinstance(after, str):
        if not wait_for(lambda: MOMENTS[after](proc.pid), timeout=120, step=0.05):
            raise AssertionError(f"the build never reached the moment {after!r}")
        if after == "executing":
            time.sleep(1.0)  # the notebooks' sleeping cell is running by now
    else:
        time.sleep(after)
    tree = descendants(proc.pid)
    said = len((proc.repo / "build.err").read_text(encoding="utf-8"))
    sent = time.monotonic()
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the terminal's whole group
    else:
        os.kill(proc.pid, signum)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    ended = time.monotonic() - sent
    out = (proc.repo / "build.out").read_text(encoding="utf-8")
    err = (proc.repo / "build.err").read_text(encoding="utf-8")
    return {"seconds": ended, "returncode": proc.returncode, "stdout": out, "stderr": err,
            "after": err[said:], "tree": [p.pid for p in tree]}


def alive(pids: list[int]) -> list[int]:
    left = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                left.append(pid)
        except psutil.NoSuchProcess:
            continue
    return left


if __name__ == "__main__":  # measure: python tests/support/signal_builds.py SIGTERM 4
    import tempfile

    signum = getattr(signal, sys.argv[1])
    after = sys.argv[2] if sys.argv[2] in MOMENTS else float(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp))
        first = run_build(repo)
        print("first build", first.returncode, first.stderr.strip().splitlines()[-1:])
        set_sleep(repo, 30)
        proc = start_build(repo)
        result = interrupt(proc, signum, after)
        print(f"{sys.argv[1]} after {after} s: ended in {result['seconds']:.1f} s, "
              f"exit {result['returncode']}, {len(result['tree'])} descendant(s) before")
        print("stderr lines:", len(result["stderr"].splitlines()),
              "tracebacks:", result["stderr"].count("Traceback"))
        print(result["stderr"][-1500:])
        for wait in (0, 3, 10):
            time.sleep(wait)
            print(f"+{wait} s alive of the tree:", alive(result["tree"]))
        for pid in alive(result["tree"]):
            psutil.Process(pid).kill()
