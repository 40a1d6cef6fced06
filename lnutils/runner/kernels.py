"""Warm kernels: one Jupyter kernel per worker, reused for the notebooks it executes.

Starting a kernel and importing pandas, matplotlib and lnutils costs about 1.5 s per
notebook, more than a small chapter takes to run; a fan-out over twenty regions pays it
over a hundred times. A worker therefore keeps its kernel and, before each notebook,
runs a reset cell that deletes every name the previous notebook defined
(``%reset -f``), closes its figures, puts ``matplotlib.rcParams`` back to what they were
before the first notebook and resets every pandas option (chapters set display
options). Imported modules stay imported, which is the point. A kernel is discarded
after any failure, and when the ``lnutils`` source, the working directory or the
kernel name differ from what it was started with.

What a reused kernel does not undo: other global state a notebook changes (the working
directory, module attributes, random generators' global state, warning filters).
Chapter notebooks should not change them; ``lnreport build --fresh-kernels`` gives
every notebook its own kernel when in doubt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from typing import Any

RESET_TAG = "lnreport-reset"
ERROR_TAG = "papermill-error-cell-tag"
RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import sys as _lnreport_sys
import warnings as _lnreport_warnings
import matplotlib as _lnreport_mpl
import matplotlib.pyplot as _lnreport_plt
import pandas as _lnreport_pd
if not hasattr(_lnreport_sys, "_lnreport_rc"):
    _lnreport_sys._lnreport_rc = dict(_lnreport_mpl.rcParams)
_lnreport_plt.close("all")
with _lnreport_warnings.catch_warnings():
    _lnreport_warnings.simplefilter("ignore")
    _lnreport_mpl.rcParams.update(_lnreport_sys._lnreport_rc)
    _lnreport_pd.reset_option("all")
del _lnreport_sys, _lnreport_warnings, _lnreport_mpl, _lnreport_plt, _lnreport_pd"""

# One warm kernel per thread (process-pool workers have one thread; Dask workers may
# run several tasks in threads, each with its own kernel).
_local = threading.local()


class _Warm:
    def __init__(self, km: Any, key: tuple, socket_dir: str):
        self.km = km
        self.key = key
        self.socket_dir = socket_dir

    def stop(self) -> None:
        for kc in self.km.__dict__.pop("_lnreport_clients", []):
            try:
                kc.stop_channels()
            except Exception:  # already closed
                pass
        try:
            if self.km.is_alive():
                self.km.shutdown_kernel(now=False)
        except Exception:  # a dead kernel cannot be shut down; nothing left to do
            pass
        shutil.rmtree(self.socket_dir, ignore_errors=True)


class KernelStartError(RuntimeError):
    """A kernel did not start or did not answer in time (worth one more try).

    Raised by this package's kernel managers and clients around jupyter_client's start
    and readiness checks, so that a failed start is told apart from a failing cell by
    its type, not by the words of a message.
    """


def warm_kernel(kernel_name: str, cwd: str, code: str, start_timeout: float = 60) -> Any:
    """The thread's kernel manager, started (again) when needed.

    Parameters
    ----------
    kernel_name : Jupyter kernel name.
    cwd : working directory of the kernel (the repository root).
    code : digest of the lnutils source; a kernel that imported other code is replaced.
    start_timeout : seconds to wait for a new kernel.
    """
    key = (kernel_name, cwd, code)
    warm = getattr(_local, "warm", None)
    if warm is not None and warm.key == key and warm.km.is_alive():
        return warm.km
    discard_kernel()
    socket_dir = tempfile.mkdtemp(prefix="lnreport-kernel-")
    km = _manager_class()(kernel_name=kernel_name)
    # IPC sockets: no TCP port races between kernels started at once, no network traffic.
    km.transport = "ipc"
    km.ip = os.path.join(socket_dir, "kernel")
    _local.warm = _Warm(km, key, socket_dir)
    try:
        km.start_kernel(cwd=cwd)
    except Exception as exc:
        raise KernelStartError(f"the kernel did not start ({type(exc).__name__}: {exc})") from exc
    _register_exit()
    return km


def _manager_class():
    from jupyter_client.manager import KernelManager  # noqa: PLC0415

    class TrackingKernelManager(KernelManager):
        """Remembers the clients papermill opens, to close them after each notebook.

        nbclient leaves the client of a kernel it does not own connected; without this
        every notebook would leave a client with open sockets behind in the worker.
        Its clients are :func:`_quick_client_class` clients.
        """

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.client_factory = _quick_client_class()

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.__dict__.setdefault("_lnreport_clients", []).append(kc)
            return kc

    return TrackingKernelManager


IOPUB_DRAIN_SECONDS = 0.02


def _quick_client_class():
    """A client that connects to a running kernel without jupyter_client's 0.2 s wait.

    ``wait_for_ready`` checks, as jupyter_client does, that the kernel answers a
    ``kernel_info`` request on the shell channel and that IOPub delivers; jupyter_client
    then drains IOPub until it has been silent for 0.2 s, which every notebook of a
    warm kernel would pay. A kernel that is already running sends nothing unasked, and
    nbclient ignores IOPub messages that answer other requests, so a short drain does.
    """
    import time  # noqa: PLC0415
    from queue import Empty  # noqa: PLC0415

    from jupyter_client.blocking.client import BlockingKernelClient  # noqa: PLC0415

    class QuickReadyClient(BlockingKernelClient):
        def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else 60)
            while True:
                self.kernel_info()
                try:
                    reply = self.get_shell_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:
                        self.get_iopub_msg(timeout=0.2)  # IOPub is connected
                    except Empty:
                        pass
                    else:
                        adapt_protocol(self.session, reply)
                        break
                if not self.is_alive():
                    raise KernelStartError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise KernelStartError(f"Kernel didn't respond in {timeout} seconds")
            while True:
                try:
                    self.get_iopub_msg(timeout=IOPUB_DRAIN_SECONDS)
                except Empty:
                    break

    return QuickReadyClient


def adapt_protocol(session, reply: dict) -> None:
    """Speak the kernel's protocol version, as ``jupyter_client`` does on ``kernel_info``.

    Written here on the public ``Session.adapt_version`` instead of calling the client's
    private reply handler, so that a jupyter_client release cannot break it unseen.
    """
    from jupyter_client import protocol_version_info  # noqa: PLC0415

    theirs = int(str(reply["content"].get("protocol_version", "5")).split(".")[0])
    if theirs != protocol_version_info[0]:
        session.adapt_version = theirs


def release_clients() -> None:
    """Close the kernel clients opened for the last notebook (the kernel stays up)."""
    warm = getattr(_local, "warm", None)
    if warm is None:
        return
    for kc in warm.km.__dict__.pop("_lnreport_clients", []):
        try:
            kc.stop_channels()
        except Exception:  # already closed
            pass


def kill_kernel() -> None:
    """Kill this thread's warm kernel at once, with its process group; no shutdown request.

    For a worker that must end now (the build stopped or died): a polite shutdown can
    take seconds, a killed process group cannot outlive the call.
    """
    import signal  # noqa: PLC0415

    warm = getattr(_local, "warm", None)
    _local.warm = None
    if warm is None:
        return
    process = getattr(getattr(warm.km, "provisioner", None), "process", None)
    pid = getattr(process, "pid", None)
    if pid:
        try:
            os.killpg(pid, signal.SIGKILL)  # jupyter_client starts kernels in a new session
        except OSError:
            pass
    shutil.rmtree(warm.socket_dir, ignore_errors=True)


def discard_kernel() -> None:
    """Shut down this thread's warm kernel (after a failure, or at the end of a build)."""
    warm = getattr(_local, "warm", None)
    _local.warm = None
    if warm is not None:
        warm.stop()


_registered = False


def _register_exit() -> None:
    """Shut the kernel down when a worker process exits.

    Process-pool workers leave through ``os._exit``, which skips ``atexit``; the
    multiprocessing finaliser runs in both cases. (A kernel whose parent dies anyway
    stops by itself: ipykernel watches its parent process.)
    """
    global _registered
    if _registered:
        return
    _registered = True
    import atexit  # noqa: PLC0415
    from multiprocessing import util  # noqa: PLC0415

    util.Finalize(None, discard_kernel, exitpriority=10)
    atexit.register(discard_kernel)


# What chapters import, loaded while the inputs are validated (names go with the reset).
PREWARM_CODE = """\
import pandas, matplotlib.pyplot, IPython.display
import lnutils.chapters.context, lnutils.chapters.display, lnutils.analysis.summaries
import lnutils.figures.alt, lnutils.figures.choice, lnutils.figures.likert
import lnutils.figures.ratings, lnutils.figures.response
# The modules just imported live as long as the kernel: moved out of the collector's
# reach, the full collections of every reset cell no longer walk them (0,06-0,19 s
# a notebook).
import gc
gc.freeze()
del gc"""


def prewarm(task: dict[str, Any]) -> bool:
    """Start this worker's kernel and import what chapters use, before any chapter runs.

    The build submits one per worker while it validates the inputs, so that kernel
    start-up overlaps validation instead of following it. Never raises: a failure here
    only means the first chapter starts its kernel itself. Returns whether it worked.
    """
    try:
        km = warm_kernel(task.get("kernel_name", "python3"), str(task["cwd"]),
                         task.get("code", ""), task.get("start_timeout", 60))
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=task.get("start_timeout", 60))
        reply = kc.execute_interactive(PREWARM_CODE, timeout=120,
                                       output_hook=lambda msg: None)
        return reply["content"]["status"] == "ok"
    except Exception:  # any failure: the chapter's own start will try again
        discard_kernel()
        return False
    finally:
        release_clients()


def with_reset_cell(path: str) -> Any:
    """The notebook at ``path`` with the reset cell in front (as an nbformat node)."""
    import nbformat  # noqa: PLC0415

    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(RESET_CODE)
    cell.metadata["tags"] = [RESET_TAG]
    nb.cells.insert(0, cell)
    return nb


def without_reset_cell(text: str, input_path: str) -> str:
    """An executed notebook as if run in a fresh kernel: reset cell gone, counts from 1.

    Also records the source path, which papermill cannot know when given a notebook node.
    """
    nb = json.loads(text)
    nb["cells"] = [c for c in nb["cells"]
                   if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
    renumbered: dict[int, int] = {}
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code" or cell.get("execution_count") is None:
            continue
        renumbered[cell["execution_count"]] = len(renumbered) + 1
        cell["execution_count"] = renumbered[cell["execution_count"]]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                output["execution_count"] = cell["execution_count"]
    for cell in nb["cells"]:  # papermill's error banner names the failing "In [n]"
        if ERROR_TAG in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            cell["source"] = re.sub(r"In \[(\d+)\]", lambda m: _renumber(m, renumbered), source)
    papermill = nb.get("metadata", {}).get("papermill")
    if isinstance(papermill, dict):
        papermill["input_path"] = input_path
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def _renumber(match: re.Match, renumbered: dict[int, int]) -> str:
    old = int(match.group(1))
    return f"In [{renumbered.get(old, old)}]"
