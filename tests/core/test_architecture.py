"""The package's plan: layers import only downwards, and nothing names an example network.

Layers, lowest first (see docs/architecture.md): core modules, ``inputs``, ``analysis``,
``facts`` and ``figures`` (side by side, neither imports the other), ``chapters``,
``render``, ``runner``, then the command line. Imports inside functions count too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from lnutils import paths
from lnutils.inputs import activities, invitations

PACKAGE = paths.PACKAGE_DIR
CORE = {"lnutils", "lnutils.paths", "lnutils.problems", "lnutils.fmt", "lnutils.literal",
        "lnutils.pipeline", "lnutils.privacy", "lnutils.names", "lnutils.store", "lnutils.limits",
        "lnutils.yamlfiles", "lnutils.extensions", "lnutils.memo"}
RANKS = {"inputs": 1, "analysis": 2, "facts": 3, "figures": 3, "chapters": 4, "render": 5,
         "runner": 6}
TOP = {"lnutils.cli": 7, "lnutils.__main__": 7}


def module_name(file: Path) -> str:
    parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> tuple[int, str]:
    """(rank, group) of a module of the package."""
    if module in CORE:
        return 0, "core"
    if module in TOP:
        return TOP[module], "cli"
    group = module.split(".")[1]
    if group not in RANKS:
        raise AssertionError(f"{module} belongs to no layer: add it to docs/architecture.md "
                             "and to this test")
    return RANKS[group], group


def imported_modules(file: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m == "lnutils" or m.startswith("lnutils.")}


def known_module(name: str, modules: set[str]) -> str | None:
    """The package module an import names (``lnutils.x.y.func`` -> ``lnutils.x.y``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def upward_imports() -> list[str]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    wrong = []
    for file in files:
        here = module_name(file)
        rank, group = layer(here)
        for name in imported_modules(file):
            target = known_module(name, modules)
            if target is None or target == "lnutils":
                continue
            their_rank, their_group = layer(target)
            if their_rank > rank or (their_rank == rank and their_group != group):
                wrong.append(f"{here} ({group}) imports {target} ({their_group})")
    return sorted(set(wrong))


def test_no_module_imports_a_higher_layer():
    assert upward_imports() == []


def test_the_layer_check_catches_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "lnutils"
    for rel in ["__init__.py", "inputs/__init__.py", "inputs/low.py", "runner/__init__.py",
                "runner/high.py"]:
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text("", encoding="utf-8")
    (fake / "inputs" / "low.py").write_text("def f():\n    from lnutils.runner import high\n",
                                            encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", fake)
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    wrong = upward_imports()
    assert "lnutils.inputs.low (inputs) imports lnutils.runner.high (runner)" in wrong
    assert all(w.startswith("lnutils.inputs.low ") for w in wrong)


# ---------------------------------------------------------------- example networks

def generic_words() -> set[str]:
    """Names the package's own input schemas define (an example may reuse them as ids)."""
    words = set()
    for aliases in [*invitations.GROUP_COLUMNS.values(), *invitations.PERSONAL_COLUMNS.values(),
                    *activities.COLUMNS.values()]:
        words.update(aliases)
    return {w.casefold() for w in words} | {"region"}  # the fan-out parameter's name


def example_names() -> tuple[set[str], set[str]]:
    """What would name an example network: (words to find in any text, ids as literals).

    Words: the networks' names, region names, labels of two words or more and question
    ids that could be nothing else (with a digit or an underscore). Literals: every
    question id, when it stands alone as a string in code ("periode" as a word in a
    docstring is Norwegian, ``"periode"`` as a value is the example's question).
    """
    words = {"trøndelag", "trondelag", "gode pasientforløp", "gode-pasientforlop", "fjordnett",
             "fjordfylket"}
    ids = set()
    for codebook in sorted((paths.repo_root() / "data" / "example").glob("*/codebook.yml")):
        spec = yaml.safe_load(codebook.read_text(encoding="utf-8"))
        for q in spec["questions"]:
            ids.add(q["id"])
            labels = [*q.get("options", {}).values(), *q.get("items", {}).values()]
            if q["id"] == "region":
                words.update(labels)  # region names, however short
            words.update(label for label in labels if " " in label.strip())
    words.update(i for i in ids if re.search(r"[\d_]", i))
    return {w.casefold() for w in words}, ids - generic_words()


def naming_hits(names: tuple[set[str], set[str]], root: Path = PACKAGE) -> list[str]:
    words, ids = names
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(words))) + r")(?!\w)",
                         re.IGNORECASE)
    hits = []
    for file in sorted(root.rglob("*")):
        if file.suffix not in {".py", ".lua", ".html", ".css", ".yml", ".typ"}:
            continue
        text = file.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            for match in pattern.finditer(line):
                hits.append(f"{file.relative_to(root)}:{number}: {match.group(0)}")
        if file.suffix == ".py":
            hits.extend(f"{file.relative_to(root)}:{node.lineno}: {node.value}"
                        for node in ast.walk(ast.parse(text))
                        if isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and node.value in ids)
    return hits


def test_no_module_names_an_example_network():
    assert naming_hits(example_names()) == []


@pytest.mark.parametrize("planted", ["# see q19", "# in Værnes", "# as in Trøndelag",
                                     'BY = "periode"', "# Felles nettverkssamlinger"])
def test_the_name_check_finds_a_planted_name(planted, tmp_path):
    (tmp_path / "module.py").write_text(planted + "\n", encoding="utf-8")
    assert len(naming_hits(example_names(), tmp_path)) == 1


def test_the_name_check_lets_norwegian_words_pass(tmp_path):
    (tmp_path / "module.py").write_text('"""Periode og aktiviteter i en region."""\n',
                                        encoding="utf-8")
    assert naming_hits(example_names(), tmp_path) == []


def test_docs_name_every_module():
    """docs/architecture.md names each module of the package (as `x.py` or `x`)."""
    doc = (paths.repo_root() / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [str(f.relative_to(PACKAGE)) for f in sorted(PACKAGE.rglob("*.py"))
               if f.stem not in ("__init__", "__main__")
               and f.name not in doc and f"`{f.stem}`" not in doc]
    assert missing == []
