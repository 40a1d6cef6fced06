"""One object holding every input of a pipeline, loaded and validated on first use.

Inputs are named in the pipeline file (``inputs:``); each name has a loader here.
A loader takes the input's path and the dataset (for inputs that need another, as
the survey needs its codebook) and returns tidy data or raises
:class:`~lnutils.problems.DataError`.

Nothing is written to disk unless a store is passed in: the runner passes one so that
each chapter of a build does not parse a large export again
(:mod:`lnutils.inputs.datacache`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lnutils.extensions import load_named
from lnutils.inputs.datacache import load_cached
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, Problem, display_path
from lnutils.store import Cache

# Inputs whose loader needs another input: the survey is decoded with the codebook
# (``dataset.codebook``), so a change in the codebook changes the loaded survey.
IMPLIED_INPUTS: dict[str, tuple[str, ...]] = {"survey": ("codebook",)}

# input name -> "module:function"; the function is called as f(path, dataset).
LOADERS: dict[str, str] = {
    "codebook": "lnutils.inputs.codebook:load_codebook_input",
    "survey": "lnutils.inputs.survey:load_survey_input",
    "invitations": "lnutils.inputs.invitations:load_invitations_input",
    "activities": "lnutils.inputs.activities:load_activities",
    "teams": "lnutils.inputs.teams:load_teams",
    "self_evaluations": "lnutils.inputs.selfeval:load_self_evaluations",
    "quotes": "lnutils.inputs.quotes:load_quotes",
    "networks": "lnutils.inputs.networks:load_networks",
    "gatherings": "lnutils.inputs.networks:load_gatherings",
    "gathering_hours": "lnutils.inputs.networks:load_gathering_hours",
    "municipal_goals": "lnutils.inputs.networks:load_municipal_goals",
    "team_composition": "lnutils.inputs.networks:load_team_composition",
    "tools_adopted": "lnutils.inputs.networks:load_tools_adopted",
    "toolkit_spec": "lnutils.inputs.toolkit:load_toolkit_spec",
    "toolkit_forms": "lnutils.inputs.toolkit_forms:load_toolkit_forms",
    "toolkit_checklists": "lnutils.inputs.toolkit_forms:load_toolkit_checklists",
}


LOADER_GROUP = "lnutils.loaders"


def loader_for(name: str, pipeline: Pipeline | None = None) -> Callable[[Path, Dataset], Any]:
    """The loader function of an input name.

    A pipeline's own ``loaders:`` come first: ``{name: extras/file.py:function}`` (a file
    beside the pipeline) or ``{name: <entry point>}`` in the group ``lnutils.loaders``;
    they raise a located DataError when the code cannot be found or loaded.
    """
    if pipeline is not None and name in pipeline.spec.loaders:
        return load_named(pipeline, f"loaders.{name}", pipeline.spec.loaders[name],
                          LOADER_GROUP, "load")
    if name not in LOADERS:
        raise KeyError(name)
    module_name, func_name = LOADERS[name].split(":")
    return getattr(importlib.import_module(module_name), func_name)


class Dataset:
    """Every input of a pipeline; ``ds["survey"]`` loads (once) and returns one.

    Parameters
    ----------
    pipeline : the loaded pipeline.
    store : a disk store for parsed inputs (the runner's); None keeps them in memory only.
    """

    def __init__(self, pipeline: Pipeline, store: Cache | None = None):
        self.pipeline = pipeline
        self.store = store
        self._cache: dict[str, Any] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.pipeline.inputs

    def __getitem__(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> Any:
        path = self.pipeline.input(name)
        if path is None:
            raise DataError(Problem(display_path(self.pipeline.path), None, f"inputs.{name}",
                                    None, f"the pipeline declares no input {name!r}",
                                    f"add `{name}: <file>` under `inputs:`"))
        if not path.exists():
            raise DataError(Problem(display_path(path), None, None, None,
                                    f"input {name!r} not found",
                                    "check the file name under `inputs:` and the data folder"))
        try:
            loader = loader_for(name, self.pipeline)
        except KeyError:
            raise DataError(Problem(display_path(self.pipeline.path), None, f"inputs.{name}",
                                    None, f"no loader knows an input named {name!r}",
                                    f"use one of: {', '.join(sorted(LOADERS))}")) from None
        if self.store is None or name in self.pipeline.spec.loaders:
            return loader(path, self)  # a pipeline's own loader: its code is not in the key
        return load_cached(name, path, self.pipeline.inputs, lambda: loader(path, self),
                           self.store, IMPLIED_INPUTS)

    @property
    def codebook(self):
        return self["codebook"]

    @property
    def survey(self):
        return self["survey"]


def load_dataset(pipeline: Pipeline, store: Cache | None = None) -> Dataset:
    """A :class:`Dataset` for the pipeline; inputs load lazily on first access."""
    return Dataset(pipeline, store)


def describe_dataset(ds: Dataset) -> str:
    """A short plain-text summary of every input: what it is and how big."""
    lines = [f"Pipeline {ds.pipeline.name}: data in {display_path(ds.pipeline.data_dir)}"]
    for name in ds.pipeline.inputs:
        value = ds[name]
        describe = getattr(value, "describe_short", None)
        if callable(describe):
            text = describe()
        elif hasattr(value, "shape"):
            text = f"{value.shape[0]} rows, {value.shape[1]} columns"
        elif isinstance(value, (list, dict)):
            text = f"{len(value)} entries"
        else:
            text = type(value).__name__
        lines.append(f"  {name:<18} {text}")
    return "\n".join(lines)
