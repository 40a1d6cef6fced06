"""Stopping a build: Ctrl-C, SIGTERM and SIGKILL at a few moments, and a full disk.

Each case starts a real build (worker processes, warm kernels) of a pipeline whose
chapters sleep, in a subprocess as a terminal would, signals it, and checks that it
ends within a few seconds with one line and no traceback, that no process of the build
is left (found by the build's mark in their environment, and by the process tree as
it was at the signal), and that the last good report is byte-identical.
"""

import errno
import os
import shutil
import signal
import subprocess
import sys

import pytest
from support import signal_builds as sb

from lnutils.runner import engine, guard

pytestmark = pytest.mark.slow

STOP_SECONDS = 6  # "within a few seconds", with room for a loaded 2-core machine
LEFT_SECONDS = 4  # kernels poll their parent once a second


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A repository with a published report of the slow pipeline, and its cache."""
    base = tmp_path_factory.mktemp("signals")
    repo = sb.make_repo(base)
    done = sb.run_build(repo)
    assert done.returncode == 0, done.stderr
    return repo


@pytest.fixture
def repo(pristine, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(pristine, copy)
    # the cache holds absolute paths of nothing; moving the copy keeps it valid
    sb.set_sleep(copy, 60)
    return copy


def published(repo):
    return sb.digest_tree(repo / "reports" / "_build" / "slow")


def leftovers(repo, tree):
    return sb.alive(tree) + [p.pid for p in sb.build_processes(repo)]


@pytest.mark.parametrize("signum, name, code", [
    (signal.SIGINT, "Ctrl-C", 130),
    (signal.SIGTERM, "SIGTERM", 143),
])
@pytest.mark.parametrize("moment", ["starting", "executing"])
def test_a_stopped_build_ends_at_once_with_one_line(repo, signum, name, code, moment):
    before = published(repo)
    proc = sb.start_build(repo, "--quiet")
    result = sb.interrupt(proc, signum, moment)
    assert result["seconds"] < STOP_SECONDS, result
    assert result["returncode"] == code, result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert result["after"].strip().splitlines() == [
        f"lnreport build: stopped by {name}; the published report is unchanged"]
    assert sb.wait_for(lambda: not leftovers(repo, result["tree"]), LEFT_SECONDS), \
        leftovers(repo, result["tree"])
    assert published(repo) == before
    assert not list((repo / "reports" / "_build").glob(".slow.staging-*"))


def test_a_killed_build_leaves_no_process_and_the_next_build_works(repo):
    before = published(repo)
    proc = sb.start_build(repo, "--quiet")
    result = sb.interrupt(proc, signal.SIGKILL, "executing")
    assert result["returncode"] == -signal.SIGKILL
    assert len(result["tree"]) >= 4  # two workers with a kernel each, at least
    # workers notice their build died (PR_SET_PDEATHSIG / parent watch), kernels their worker
    assert sb.wait_for(lambda: not leftovers(repo, result["tree"]), LEFT_SECONDS), \
        leftovers(repo, result["tree"])
    assert published(repo) == before
    sb.set_sleep(repo, 0)
    again = sb.run_build(repo)
    assert again.returncode == 0, again.stderr
    assert not list((repo / "reports" / "_build").glob(".slow.staging-*"))
    assert not list((repo / "reports" / "_build").glob(".slow.processes.json"))


def test_the_next_build_ends_what_a_killed_build_left(tmp_path):
    """A leftover that ignores SIGTERM (as multiprocessing's resource tracker does) is killed."""
    build_id = "f" * 32
    env = {**os.environ, guard.MARK: build_id}
    stubborn = subprocess.Popen(
        [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, "
         "signal.SIG_IGN); print('ready', flush=True); time.sleep(120)"],
        env=env, stdout=subprocess.PIPE, text=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                             env={**os.environ, guard.MARK: "e" * 32})
    try:
        assert stubborn.stdout.readline().strip() == "ready"
        (tmp_path / ".tiny.processes.json").write_text(
            f'{{"build_id": "{build_id}", "pid": 1}}', encoding="utf-8")
        ended = guard.clear_leftovers(tmp_path, "tiny")
        assert ended == [stubborn.pid]
        # psutil reaps it (it is this test's child), so Popen sees no exit status
        assert sb.wait_for(lambda: stubborn.poll() is not None, 5)
        assert other.poll() is None  # another build's process is not touched
        assert not (tmp_path / ".tiny.processes.json").exists()
    finally:
        for proc in (stubborn, other):
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("writer", ["notebook", "manifest"])
def test_a_full_disk_leaves_the_last_good_report(pristine, tmp_path, monkeypatch, writer):
    """``ENOSPC`` while the stage is written: the build fails with a message, nothing else."""
    repo = tmp_path / "repo"
    shutil.copytree(pristine, repo)
    before = published(repo)
    monkeypatch.setenv("LNREPORT_ROOT", str(repo))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    from lnutils.pipeline import load_pipeline
    from lnutils.runner import chapter_runs as chapters

    if writer == "notebook":
        monkeypatch.setattr(chapters, "_write", full)
    else:
        monkeypatch.setattr(engine, "write_json_atomic", full)
    options = engine.BuildOptions(jobs=1, validate=False, render=False, progress=False)
    with pytest.raises(engine.BuildError, match="No space left on device"):
        engine.build(load_pipeline(repo / "pipelines" / "slow.yml"), options)
    assert published(repo) == before
    assert not list((repo / "reports" / "_build").glob(".slow.staging-*"))
