"""Keeping a build's processes from outliving it, however the build ends.

A build starts worker processes, and each worker a Jupyter kernel. Three guards make
sure none of them stays behind:

* **A mark.** The build puts a fresh id in its environment (``LNREPORT_BUILD_ID``)
  before it starts anything; workers, kernels and pandoc inherit it. The id and the
  build's pid are written to a file beside the build lock, so the next build of the
  pipeline finds whatever a killed build left (:func:`clear_leftovers`) and ends it.
* **Workers watch their parent.** :func:`start_worker` (the pool's initializer) asks
  Linux to send the worker SIGTERM when the build process dies (``PR_SET_PDEATHSIG``)
  and starts a thread that polls the parent's pid, for systems without it. A worker
  ending by SIGTERM kills its kernel's process group first. Kernels themselves watch
  their worker (ipykernel exits when its parent changes), so a worker killed outright
  takes its kernel with it within a second.
* **A stopped build ends at once.** On Ctrl-C or SIGTERM, :func:`stop_on_signals`'s
  handler kills every process carrying the build's mark, runs the clean-ups the engine
  registered with :func:`on_stop` (remove the staging folder, put back a report moved
  aside), prints one line and exits. It does not unwind the build with an exception:
  the signal can arrive anywhere, also inside a process pool holding its locks, and
  unwinding from there could wait on those locks for ever (it did: 60 s and more).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("lnutils.runner")

MARK = "LNREPORT_BUILD_ID"
PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 1.0  # between SIGTERM and SIGKILL when ending processes
PARENT_POLL_SECONDS = 0.5

_current: dict[str, str] = {}  # "build_id" of the build running in this process
_cleanups: list[Callable[[], object]] = []  # run by the stop handler, last first


# --- the build's side -----------------------------------------------------------------------


@contextlib.contextmanager
def marked_build(lock_dir: Path, name: str):
    """Mark this build's children, clear a dead build's leftovers, and record this one.

    Call under the build lock. The record file is removed when the build ends normally;
    a killed build leaves it for the next one.
    """
    clear_leftovers(lock_dir, name)
    build_id = uuid.uuid4().hex
    record = _record_path(lock_dir, name)
    previous = os.environ.get(MARK)
    os.environ[MARK] = build_id
    _current["build_id"] = build_id
    _write_record(record, build_id)
    try:
        with on_stop(lambda: record.unlink(missing_ok=True)):
            yield build_id
    finally:
        _current.pop("build_id", None)
        if previous is None:
            os.environ.pop(MARK, None)
        else:
            os.environ[MARK] = previous
        with contextlib.suppress(OSError):
            record.unlink()


def _record_path(lock_dir: Path, name: str) -> Path:
    return lock_dir / f".{name}.processes.json"


def _write_record(path: Path, build_id: str) -> None:
    data = {"build_id": build_id, "pid": os.getpid()}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def clear_leftovers(lock_dir: Path, name: str) -> list[int]:
    """End the processes a killed earlier build of ``name`` left running; return their pids."""
    record = _record_path(lock_dir, name)
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    ended = end_build_processes(str(data.get("build_id", "")), exclude={os.getpid()})
    if ended:
        log.warning("ended %d process(es) left behind by an interrupted build of %s",
                    len(ended), name)
    with contextlib.suppress(OSError):
        record.unlink()
    return ended


def end_build_processes(build_id: str, exclude: set[int] | None = None,
                        grace: float = GRACE_SECONDS, *, at_once: bool = False,
                        spare_tracker: bool = False) -> list[int]:
    """Terminate every process marked with ``build_id`` (SIGTERM, then SIGKILL); return pids.

    Only processes of this user whose environment carries the mark are touched, so a
    reused pid never hits an unrelated program. ``at_once`` sends SIGKILL straight away.
    ``spare_tracker`` leaves multiprocessing's resource tracker alone, for a process
    that goes on after the build (it would otherwise warn when it starts a new one).
    """
    if not build_id:
        return []
    import psutil  # noqa: PLC0415 -- only needed when stopping

    exclude = (exclude or set()) | {os.getpid()}
    marked = []
    for proc in psutil.process_iter(["pid"]):
        if proc.pid in exclude:
            continue
        try:
            if proc.environ().get(MARK) == build_id and not (
                    spare_tracker and any("resource_tracker" in p for p in proc.cmdline())):
                marked.append(proc)
        except (psutil.Error, OSError):
            continue  # gone, another user's, or a zombie
    for proc in marked:
        with contextlib.suppress(psutil.Error):
            proc.kill() if at_once else proc.terminate()
    _, alive = psutil.wait_procs(marked, timeout=grace)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(alive, timeout=grace)
    return [proc.pid for proc in marked]


@contextlib.contextmanager
def spawning():
    """Start child processes with SIGINT blocked, so Ctrl-C during their start-up is silent.

    A blocked signal stays blocked across ``fork`` and ``exec``: a worker hit by Ctrl-C
    while still importing holds it pending instead of printing a KeyboardInterrupt
    traceback, and its initializer (:func:`start_worker`) ignores it before unblocking.
    In the build, a Ctrl-C that came meanwhile is delivered when the block ends (it
    takes as long as the workers' start-up: the parent waits for them to read their
    start-up data).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def on_stop(cleanup: Callable[[], object]):
    """Have the stop handler run ``cleanup`` while the block runs (see the module docs)."""
    _cleanups.append(cleanup)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            _cleanups.remove(cleanup)


@contextlib.contextmanager
def stop_on_signals(message: Callable[[int], str]):
    """While the block runs, Ctrl-C and SIGTERM stop this process cleanly and at once.

    The handler ignores further signals, kills the marked processes of the running
    build, runs the registered clean-ups (last registered first), writes
    ``message(signum)`` as one line to stderr and exits with ``128 + signum``. Only in
    the main thread (elsewhere Python cannot install handlers; nothing changes).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    _current["message"] = message
    try:
        yield
    finally:
        _current.pop("message", None)
        for sig, old in previous.items():
            signal.signal(sig, old)


def _stop(signum, frame) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    with contextlib.suppress(Exception):
        end_build_processes(_current.get("build_id", ""), at_once=True)
    for cleanup in reversed(list(_cleanups)):
        with contextlib.suppress(Exception):
            cleanup()
    with contextlib.suppress(Exception):
        # os.write, not print: the signal may have come in the middle of a print
        os.write(2, (_current["message"](signum) + "\n").encode("utf-8", "replace"))
    os._exit(128 + signum)


# --- the workers' side ----------------------------------------------------------------------


def start_worker(parent: int) -> None:
    """Initializer of a build's worker process: follow the build when it stops or dies.

    Ctrl-C goes to the whole terminal group: the build handles it and ends its workers,
    so a worker ignores SIGINT (no traceback per worker). SIGTERM kills the worker's
    kernel first. When the build process dies, the worker gets SIGTERM (Linux) or
    notices within half a second that its parent changed.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # see spawning()
    signal.signal(signal.SIGTERM, _terminated)
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # the build died before the death signal was set
        _exit_now()
    watch_parent(parent)


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent: int, every: float = PARENT_POLL_SECONDS) -> threading.Thread:
    """A daemon thread that ends this process when its parent is no longer ``parent``."""

    def poll() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        _exit_now()

    thread = threading.Thread(target=poll, name="lnreport-parent-watch", daemon=True)
    thread.start()
    return thread


def _terminated(signum, frame) -> None:
    _exit_now()


def _exit_now() -> None:
    """Kill this worker's kernel, then leave at once (no clean-up that could hang)."""
    from lnutils.runner import kernels  # noqa: PLC0415

    with contextlib.suppress(Exception):
        kernels.kill_kernel()
    os._exit(1)
