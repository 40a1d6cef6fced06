"""Chapter notebooks hold no functions or classes and are stored without outputs.

Code belongs in lnutils, where it is tested; a notebook only calls it. Outputs belong
in the build folder, not in the repository.
"""

import ast
import json
import re

import pytest

from lnutils import paths

NOTEBOOKS = sorted(paths.notebooks_dir().rglob("*.ipynb")) if paths.notebooks_dir().is_dir() else []
NOTEBOOKS = [nb for nb in NOTEBOOKS if ".ipynb_checkpoints" not in nb.parts]

# IPython magics and shell escapes are not Python; blank them before parsing.
_MAGIC = re.compile(r"^\s*[%!]", re.MULTILINE)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def definitions(notebook: dict) -> list[str]:
    """``cell N: def name`` for every function or class defined in a code cell (N from 1)."""
    found = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        code = "\n".join("" if _MAGIC.match(line) else line
                         for line in _source(cell).splitlines())
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(f"cell {number}: def {node.name}")
            elif isinstance(node, ast.ClassDef):
                found.append(f"cell {number}: class {node.name}")
    return found


def stored_outputs(notebook: dict) -> list[str]:
    """``cell N`` for every code cell stored with outputs or an execution count."""
    return [f"cell {number}" for number, cell in enumerate(notebook.get("cells", []), start=1)
            if cell.get("cell_type") == "code"
            and (cell.get("outputs") or cell.get("execution_count") is not None)]


def _code_cell(source, outputs=(), count=None):
    return {"cell_type": "code", "source": source, "outputs": list(outputs),
            "execution_count": count, "metadata": {}}


def test_checks_find_definitions_and_outputs():
    notebook = {"cells": [
        {"cell_type": "markdown", "source": "def is fine in prose"},
        _code_cell("%matplotlib inline\nx = sorted([2, 1], key=lambda v: -v)"),
        _code_cell(["if True:\n", "    def helper():\n", "        return 1\n"]),
        _code_cell("class Table:\n    pass", outputs=[{"output_type": "stream", "text": "1"}]),
        _code_cell("y = 1", count=3),
    ]}
    assert definitions(notebook) == ["cell 3: def helper", "cell 4: class Table"]
    assert stored_outputs(notebook) == ["cell 4", "cell 5"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_defines_no_function_or_class(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert definitions(notebook) == [], f"{path.name}: move these into lnutils"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert stored_outputs(notebook) == [], (
        f"{path.name}: clear the outputs before committing "
        "(jupyter nbconvert --clear-output --inplace)")
