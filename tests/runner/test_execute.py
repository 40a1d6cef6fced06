"""Executing one notebook: kernel-start retries, and failures that name notebook, cell and error."""

import errno
import json
from pathlib import Path

import nbformat
import pytest

from lnutils.runner import execute, kernels
from lnutils.runner.execute import execute_chapter, is_kernel_start_failure
from lnutils.runner.kernels import KernelStartError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build"


class PapermillExecutionError(Exception):
    """Stands in for papermill's class (classified by name, as papermill is imported lazily)."""


def _task(name="alpha"):
    return {"label": name, "notebook": str(FIXTURE / "notebooks" / f"{name}.ipynb"),
            "notebook_display": f"notebooks/{name}.ipynb",
            "parameters": {"pipeline": str(FIXTURE / "pipelines" / "tiny.yml"),
                           "data_dir": str(FIXTURE / "data" / "tiny")},
            "cwd": str(FIXTURE)}


@pytest.mark.parametrize("exc, retry", [
    (KernelStartError("Kernel didn't respond in 60 seconds"), True),
    (KernelStartError("Kernel died before replying to kernel_info"), True),
    (OSError(errno.EADDRINUSE, "Address already in use"), True),
    (OSError(errno.ENOENT, "No such file"), False),
    (RuntimeError("Kernel didn't respond"), False),  # told apart by type, not by words
    (TimeoutError(), True),
    (PapermillExecutionError("Kernel didn't respond"), False),
    (ValueError("bad parameter"), False),
])
def test_kernel_start_failures_are_told_apart_from_other_errors(exc, retry):
    assert is_kernel_start_failure(exc) is retry


def test_a_failed_kernel_start_is_retried_once(monkeypatch):
    calls = []

    def flaky(task, output, socket_dir):
        calls.append(1)
        if len(calls) == 1:
            raise KernelStartError("Kernel didn't respond in 60 seconds")
        output.write_text('{"cells": []}', encoding="utf-8")

    monkeypatch.setattr(execute, "_run_papermill", flaky)
    result = execute_chapter(_task())
    assert result["ok"] and result["attempts"] == 2
    assert result["notebook"] == '{"cells": []}'


def test_a_kernel_that_fails_twice_gives_a_message(monkeypatch):
    def dead(task, output, socket_dir):
        raise KernelStartError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(execute, "_run_papermill", dead)
    result = execute_chapter(_task())
    assert not result["ok"] and result["attempts"] == 2
    assert result["error"]["kind"] == "kernel"
    assert "notebooks/alpha.ipynb" in result["error"]["message"]
    assert "Kernel didn't respond" in result["error"]["message"]


def test_other_errors_are_not_retried(monkeypatch):
    calls = []

    def broken(task, output, socket_dir):
        calls.append(1)
        raise ValueError("no such parameter")

    monkeypatch.setattr(execute, "_run_papermill", broken)
    result = execute_chapter(_task())
    assert len(calls) == 1 and not result["ok"]
    assert result["error"]["kind"] == "engine"


@pytest.mark.slow
@pytest.mark.parametrize("reuse", [False, True], ids=["fresh", "warm"])
def test_a_failing_cell_names_notebook_cell_and_error(reuse):
    result = execute_chapter({**_task("broken"), "reuse_kernel": reuse, "code": "c"})
    error = result["error"]
    assert not result["ok"] and result["attempts"] == 1
    # markdown title = 1, parameters = 2, load = 3, the division = 4 (source numbering)
    assert error["cell"] == 4
    assert error["first_line"] == "ratio = 1 / 0"
    assert error["ename"] == "ZeroDivisionError"
    assert error["message"] == (
        "notebooks/broken.ipynb, cell 4 (`ratio = 1 / 0`): ZeroDivisionError: division by zero")
    assert '"ename": "ZeroDivisionError"' in result["notebook"]  # kept with the error in place
    assert kernels.RESET_TAG not in result["notebook"]
    assert getattr(kernels._local, "warm", None) is None  # a failed kernel is not reused


@pytest.mark.slow
def test_a_warm_kernel_forgets_the_previous_notebook(tmp_path):
    probe = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('pipeline = ""\ndata_dir = ""')
    params.metadata["tags"] = ["parameters"]
    probe.cells = [params, nbformat.v4.new_code_cell("'numbers' in dir()"),
                   nbformat.v4.new_code_cell("import os\nos.getpid()"),
                   nbformat.v4.new_code_cell(
                       "import matplotlib as mpl\nimport pandas as pd\n"
                       "(pd.get_option('display.max_rows'), mpl.rcParams['lines.linewidth'])")]
    probe.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                    "display_name": "Python 3"}
    nbformat.write(probe, tmp_path / "probe.ipynb")
    probe_task = {**_task(), "notebook": str(tmp_path / "probe.ipynb"), "label": "probe",
                  "notebook_display": "probe.ipynb"}
    try:
        first = execute_chapter({**_task("alpha"), "reuse_kernel": True, "code": "c"})
        # a notebook that changes global library state, as chapters setting options do
        polluter = nbformat.v4.new_notebook(metadata=probe.metadata)
        polluter.cells = [params, nbformat.v4.new_code_cell(
            "import matplotlib as mpl\nimport pandas as pd\n"
            "pd.set_option('display.max_rows', 5)\nmpl.rcParams['lines.linewidth'] = 7")]
        nbformat.write(polluter, tmp_path / "polluter.ipynb")
        polluted = execute_chapter({**probe_task, "notebook": str(tmp_path / "polluter.ipynb"),
                                    "reuse_kernel": True, "code": "c"})
        second = execute_chapter({**probe_task, "reuse_kernel": True, "code": "c"})
        third = execute_chapter({**probe_task, "reuse_kernel": True, "code": "c"})
    finally:
        kernels.discard_kernel()
    assert first["ok"] and polluted["ok"] and second["ok"] and third["ok"], (
        polluted["error"], second["error"], third["error"])
    nb = json.loads(second["notebook"])
    outputs = [c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"]
    # `numbers` was defined by alpha in the same kernel, and is gone
    assert "".join(outputs[2][0]["data"]["text/plain"]) == "False"
    pid = "".join(outputs[3][0]["data"]["text/plain"])
    third_cells = json.loads(third["notebook"])["cells"]
    third_pid = "".join(third_cells[-2]["outputs"][0]["data"]["text/plain"])
    # the polluter's pandas option and rc setting are undone: defaults 60 and 1.5
    assert "".join(outputs[4][0]["data"]["text/plain"]) == "(60, 1.5)"
    assert pid == third_pid  # the same kernel ran both
    # numbered as in a fresh kernel: parameters 1, injected 2, then 3, 4 and 5
    assert [c["execution_count"] for c in nb["cells"]] == [1, 2, 3, 4, 5]
    assert nb["metadata"]["papermill"]["input_path"] == str(tmp_path / "probe.ipynb")


def test_a_prewarmed_kernel_runs_the_next_notebook_as_if_fresh(tmp_path):
    task = {**_task(), "reuse_kernel": True, "code": "prewarm-test"}
    try:
        assert kernels.prewarm(task)
        warm = kernels.warm_kernel("python3", task["cwd"], "prewarm-test")
        result = execute_chapter(task)
        # the same kernel: prewarm's imports and names do not show in the notebook
        assert kernels.warm_kernel("python3", task["cwd"], "prewarm-test") is warm
        assert result["ok"], result["error"]
        nb = json.loads(result["notebook"])
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
        assert counts == list(range(1, len(counts) + 1))
    finally:
        kernels.discard_kernel()


def test_prewarm_never_raises(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(kernels, "warm_kernel", broken)
    assert kernels.prewarm({"cwd": str(FIXTURE)}) is False
