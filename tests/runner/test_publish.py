"""Publishing swaps whole folders; interrupted builds are repaired; nightly keeps N."""

import datetime as dt
import json
import threading

from filelock import FileLock, Timeout

from lnutils.runner.publish import (
    build_lock,
    keep_failed,
    new_stage,
    prune_dated,
    publish,
    recover,
    update_status,
)


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_replaces_the_whole_folder(tmp_path):
    target = tmp_path / "tiny"
    target.mkdir()
    (target / "old.txt").write_text("old")
    stage = new_stage(target)
    assert stage.parent == tmp_path and stage.name.startswith(".tiny.staging-")
    (stage / "report.html").write_text("new")
    publish(stage, target)
    assert _tree(target) == {"report.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"]


def test_recover_restores_output_moved_aside_by_an_interrupted_build(tmp_path):
    target = tmp_path / "tiny"
    aside = tmp_path / ".tiny.previous"
    aside.mkdir()
    (aside / "report.html").write_text("good")
    stale = tmp_path / ".tiny.staging-999-abc"
    stale.mkdir()
    recover(target)
    assert _tree(target) == {"report.html": b"good"}
    assert not aside.exists() and not stale.exists()


def test_keep_failed_replaces_the_previous_failed_build(tmp_path):
    failed = tmp_path / "tiny.failed"
    failed.mkdir()
    (failed / "stale.ipynb").write_text("x")
    stage = new_stage(tmp_path / "tiny")
    (stage / "alpha.ipynb").write_text("y")
    keep_failed(stage, failed)
    assert _tree(failed) == {"alpha.ipynb": b"y"}


def test_prune_keeps_the_newest_dated_folders(tmp_path):
    for day in ["2026-11-01", "2026-11-03", "2026-11-02", "notes"]:
        (tmp_path / day).mkdir()
    removed = prune_dated(tmp_path, keep=2)
    assert [p.name for p in removed] == ["2026-11-01"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-02", "2026-11-03", "notes"]


def test_status_keeps_last_success_through_a_failure(tmp_path):
    update_status(tmp_path, ok=True, day=dt.date(2026, 11, 1), message="ok", output=tmp_path)
    update_status(tmp_path, ok=False, day=dt.date(2026, 11, 2), message="alpha failed",
                  output=None)
    status = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))
    assert status["last_success"]["date"] == "2026-11-01"
    assert status["last_failure"]["message"] == "alpha failed"
    assert status["last_run"]["ok"] is False


def test_second_build_waits_for_the_lock(tmp_path):
    holding = threading.Event()
    release = threading.Event()

    def first():
        with build_lock(tmp_path, "tiny"):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    other = FileLock(str(tmp_path / ".tiny.lock"))
    try:
        other.acquire(timeout=0.1)
        acquired = True
    except Timeout:
        acquired = False
    release.set()
    thread.join()
    assert not acquired
    with other.acquire(timeout=1):
        pass
