"""Executing one chapter notebook with papermill, in a worker process.

:func:`execute_chapter` is what the executors run. It takes and returns plain dicts (so
that a process pool or a Dask cluster can ship them), never raises for a notebook
problem, and returns the executed notebook as text: the engine, not the worker, decides
where it is written. A failing cell comes back as a structured error naming the cell;
a kernel that fails to start is retried once, because parallel kernel starts can race.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import tenacity

from lnutils.runner import kernels

KERNEL_NAME = "python3"

def is_kernel_start_failure(exc: BaseException) -> bool:
    """Whether an exception means the kernel did not start (worth one retry).

    Cell errors (papermill's ``PapermillExecutionError``) are never retried: running the
    same code again gives the same error. Told apart by type: this package's managers
    and clients raise :class:`~lnutils.runner.kernels.KernelStartError`; a socket already
    in use (parallel starts can race) is an ``OSError`` with ``EADDRINUSE`` or a ZeroMQ error.
    """
    if isinstance(exc, kernels.KernelStartError | TimeoutError):
        return True
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return True
    return type(exc).__name__ == "ZMQError"


def _kernel_manager_class(socket_dir: str):
    """A kernel manager talking to its kernel over local IPC sockets.

    IPC sockets avoid TCP port races between kernels started at the same moment and
    keep the traffic off the network (the kernel warns about unencrypted TCP otherwise).
    """
    from jupyter_client.asynchronous import AsyncKernelClient  # noqa: PLC0415
    from jupyter_client.manager import AsyncKernelManager  # noqa: PLC0415

    class StartCheckedClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            try:
                await super().wait_for_ready(timeout=timeout)
            except RuntimeError as exc:
                raise kernels.KernelStartError(str(exc)) from exc

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(socket_dir, "kernel")
            self.client_factory = StartCheckedClient

        async def start_kernel(self, **kwargs) -> None:
            try:
                await super().start_kernel(**kwargs)
            except Exception as exc:
                raise kernels.KernelStartError(
                    f"the kernel did not start ({type(exc).__name__}: {exc})") from exc

    return IPCKernelManager


def _run_papermill(task: dict[str, Any], output: Path, socket_dir: str) -> None:
    import logging  # noqa: PLC0415

    import papermill  # noqa: PLC0415 (slow import, only in workers)

    # papermill logs every notebook's paths at INFO; the engine reports progress itself.
    logging.getLogger("papermill").setLevel(logging.WARNING)

    kernel_name = task.get("kernel_name", KERNEL_NAME)
    start_timeout = task.get("start_timeout", 60)
    options: dict[str, Any] = {}
    source: Any = str(task["notebook"])
    if task.get("reuse_kernel"):
        options["km"] = kernels.warm_kernel(kernel_name, str(task["cwd"]),
                                            task.get("code", ""), start_timeout)
        source = kernels.with_reset_cell(source)
    else:
        options["kernel_manager_class"] = _kernel_manager_class(socket_dir)
    papermill.execute_notebook(
        source, str(output),
        parameters=task["parameters"],
        kernel_name=kernel_name,
        cwd=str(task["cwd"]),
        progress_bar=False,
        log_output=False,
        # papermill writes the output notebook when it finishes, a failing cell included;
        # writing it after every cell as well costs a JSON dump of all outputs each time.
        request_save_on_cell_execute=False,
        start_timeout=start_timeout,
        execution_timeout=task.get("execution_timeout"),
        **options,
    )


def execute_chapter(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook and return what happened.

    Parameters
    ----------
    task : ``label``, ``notebook`` (path), ``parameters``, ``cwd``; optionally
        ``kernel_name``, ``start_timeout``, ``execution_timeout`` (seconds),
        ``reuse_kernel`` (run in this worker's warm kernel, see :mod:`.kernels`) and
        ``code`` (digest of the lnutils source the warm kernel must match).

    Returns
    -------
    dict
        ``label``, ``ok`` (bool), ``notebook`` (the executed notebook as JSON text, also
        when a cell failed; None when no kernel ran), ``seconds``, ``attempts`` and, on
        failure, ``error``: a dict with ``kind`` ("cell" or "kernel"), ``message`` and,
        for a cell error, ``cell`` (1-based, in the source notebook), ``first_line``,
        ``ename``, ``evalue``.
    """
    started = time.perf_counter()
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(2), reraise=True,
        retry=tenacity.retry_if_exception(is_kernel_start_failure),
        # a kernel that saw a failure may be in any state: never reuse it
        before_sleep=lambda state: kernels.discard_kernel())
    with tempfile.TemporaryDirectory(prefix="lnreport-") as tmp:
        output = Path(tmp) / "executed.ipynb"
        try:
            retrying(_run_papermill, task, output, tmp)
            error = None
        except Exception as exc:  # every failure becomes a message, never a traceback
            kernels.discard_kernel()
            error = describe_failure(exc, task, output)
        attempts = retrying.statistics.get("attempt_number", 1)
        text = output.read_text(encoding="utf-8") if output.exists() else None
    kernels.release_clients()
    if text is not None and task.get("reuse_kernel"):
        text = kernels.without_reset_cell(text, str(task["notebook"]))
    return {
        "label": task["label"],
        "ok": error is None,
        "notebook": text,
        "seconds": round(time.perf_counter() - started, 3),
        "attempts": attempts,
        "error": error,
    }


def describe_failure(exc: BaseException, task: dict[str, Any], executed: Path) -> dict[str, Any]:
    """A structured, readable description of why a notebook failed."""
    notebook = task.get("notebook_display", task["notebook"])
    if type(exc).__name__ != "PapermillExecutionError":
        kind = "kernel" if is_kernel_start_failure(exc) else "engine"
        return {"kind": kind, "message":
                f"{notebook}: could not execute the notebook ({type(exc).__name__}: {exc})"}
    cell = source_cell_number(executed, exc.cell_index)
    source = exc.source or ""
    first_line = next((line for line in source.splitlines() if line.strip()), "").strip()
    evalue = str(exc.evalue).strip()
    where = f"cell {cell}" if cell is not None else f"executed cell {exc.cell_index}"
    return {
        "kind": "cell", "cell": cell, "first_line": first_line,
        "ename": exc.ename, "evalue": evalue,
        "message": f"{notebook}, {where} (`{first_line}`): {exc.ename}: {evalue}",
    }


def source_cell_number(executed: Path, cell_index: int) -> int | None:
    """1-based number of a cell in the source notebook, from papermill's cell index.

    Papermill counts cells of the executed notebook before it adds its error banner
    cells; that notebook also holds the ``injected-parameters`` cell the source does not.
    The user edits the source, so messages count cells there.
    """
    import nbformat  # noqa: PLC0415

    try:
        nb = nbformat.read(str(executed), as_version=4)
    except (OSError, ValueError):
        return None
    position = -1  # index in the executed notebook without banner cells
    number = 0  # 1-based number in the source notebook
    added = {"injected-parameters", kernels.RESET_TAG}  # cells the source does not have
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "papermill-error-cell-tag" in tags:
            continue
        position += 1
        if not tags & added:
            number += 1
        if position == cell_index:
            return None if tags & added else number
    return None
