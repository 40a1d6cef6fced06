"""Staging, atomic publishing, locking and the nightly archive.

A build writes into a fresh staging folder next to its target and publishes it by two
renames under a lock: the old output moves aside, the new one moves in, the old one is
deleted. Renames within one folder are atomic, so the published folder is always a
complete build; the lock keeps two builds of the same pipeline from swapping at once;
and a build killed between the two renames is repaired by the next one (it moves the
old output back). A failed build never touches the published folder.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

log = logging.getLogger("lnutils.runner")

_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@contextmanager
def build_lock(root: Path, name: str):
    """Hold the build lock of one pipeline; wait (and say so) when another build holds it."""
    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / f".{name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another build of %s is running; waiting for it to finish", name)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def new_stage(target: Path) -> Path:
    """A fresh, empty staging folder next to ``target`` (same file system: rename works)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.staging-{os.getpid()}-"
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))


def _aside(target: Path) -> Path:
    return target.parent / f".{target.name}.previous"


def recover(target: Path) -> None:
    """Repair what an interrupted build left next to ``target`` (call under the lock).

    Staging folders of dead builds are removed; an old output moved aside by a build
    that died before moving its new output in is moved back.
    """
    parent = target.parent
    if not parent.is_dir():
        return
    for stale in parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    aside = _aside(target)
    if aside.exists():
        if target.exists():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            log.warning("restoring the previous output of an interrupted build: %s", target)
            os.replace(aside, target)


def publish(stage: Path, target: Path) -> None:
    """Replace ``target`` by ``stage`` (call under the lock)."""
    aside = _aside(target)
    if aside.exists():
        shutil.rmtree(aside)
    if target.exists():
        os.replace(target, aside)
    os.replace(stage, target)
    if aside.exists():
        shutil.rmtree(aside)


def keep_failed(stage: Path, failed: Path) -> Path:
    """Move a failed build's staging folder to ``failed`` (replacing an older failed one)."""
    if failed.exists():
        shutil.rmtree(failed)
    os.replace(stage, failed)
    return failed


def prune_dated(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` dated (``YYYY-MM-DD``) sub-folders; return the deleted."""
    dated = sorted(p for p in folder.iterdir() if p.is_dir() and _DATED.match(p.name))
    removed = dated[: max(0, len(dated) - keep)]
    for path in removed:
        shutil.rmtree(path)
    return removed


def write_json_atomic(path: Path, value: Any) -> None:
    """Write JSON through a temporary file, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False, indent=2, default=str)
        os.replace(tmp, path)
    except BaseException:  # a full disk, or a stop: no half-written file stays behind
        Path(tmp).unlink(missing_ok=True)
        raise


def update_status(folder: Path, *, ok: bool, day: dt.date, message: str,
                  output: Path | None) -> dict[str, Any]:
    """Record the outcome of a nightly build in ``folder/status.json`` and return it.

    The file keeps the last success and the last failure, so that a failing night does
    not hide when the report was last good.
    """
    path = folder / "status.json"
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        status = {}
    entry = {
        "date": day.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "message": message,
        "output": str(output) if output else None,
    }
    status["last_run"] = {**entry, "ok": ok}
    status["last_success" if ok else "last_failure"] = entry
    write_json_atomic(path, status)
    return status
