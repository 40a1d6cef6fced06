"""``lnreport validate``: check every input of a pipeline (or of a data folder) in one run.

Each input is loaded through its loader in :data:`lnutils.inputs.dataset.LOADERS`; every
:class:`~lnutils.problems.DataError` is collected, so a user sees all problems of all
inputs at once. Nothing here ends in a traceback: a loader that is not written yet gives
a warning, and a loader that crashes is reported as an error naming the input.

A data folder (instead of a pipeline file) follows a naming convention: ``codebook.yml``
and ``survey.csv``, ``survey.xlsx`` or ``survey.sav`` are required; the other inputs are
checked when present under their conventional names (:data:`FOLDER_INPUTS`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from lnutils.inputs.dataset import Dataset, loader_for
from lnutils.pipeline import Pipeline, PipelineSpec, ReportMeta, load_pipeline
from lnutils.problems import WARNING, DataError, Problem, ValidationReport, display_path
from lnutils.store import Cache
from lnutils.yamlfiles import load_yaml

# Input name -> file names tried in a data folder, in order.
FOLDER_INPUTS: dict[str, tuple[str, ...]] = {
    "codebook": ("codebook.yml", "codebook.yaml"),
    "survey": ("survey.csv", "survey.xlsx", "survey.sav"),
    "invitations": ("invitations.csv", "invitations.xlsx"),
    "activities": ("activities.csv",),
    "teams": ("teams.yml",),
    "self_evaluations": ("self_evaluations.yml",),
    "quotes": ("quotes.yml",),
}
REQUIRED_IN_FOLDER = ("codebook", "survey")
# Inputs that cannot be checked when another input failed (the survey needs its codebook).
DEPENDS_ON = {"survey": "codebook"}
LAST = "survey"  # read last when something waits for the others (validated_inputs)


def validate_path(path: str | Path, data_dir: str | Path | None = None, *,
                  store: Cache | None = None) -> ValidationReport:
    """Check a pipeline's inputs, or a data folder's, and report every problem.

    Parameters
    ----------
    path : a pipeline file (``pipelines/*.yml``) or a data folder.
    data_dir : for a pipeline file, read its inputs from this folder instead.
    store : where parsed inputs are kept (:mod:`lnutils.inputs.datacache`; the runner's
        store); None keeps them in memory only.

    Returns
    -------
    ValidationReport
        ``.ok`` is False when any input has an error; ``.checked`` lists the files read.
    """
    return validated_inputs(path, data_dir, store=store)[0]


def validated_inputs(path: str | Path, data_dir: str | Path | None = None, *,
                     store: Cache | None = None,
                     on_valid: Callable[[str], None] | None = None
                     ) -> tuple[ValidationReport, Dataset | None]:
    """:func:`validate_path`, with the inputs it loaded for further checks.

    ``on_valid`` is called with each input's name as soon as it loaded without an
    error; with it, the survey is read last (it takes longest), so that what needs only
    the other inputs can begin meanwhile. The report lists the inputs in the pipeline's
    order either way.

    Returns
    -------
    report, dataset
        The report, and the :class:`~lnutils.inputs.dataset.Dataset` holding every input
        loaded (None when no pipeline could be read). Read the dataset only when the
        report has no errors.
    """
    path = Path(path)
    report = ValidationReport()
    if not path.exists():
        report.add(Problem(display_path(path), None, None, None, "no such file or folder",
                           "give a pipeline file (pipelines/<name>.yml) or a data folder"))
        return report, None
    if path.is_dir():
        if data_dir is not None:
            report.add(Problem(display_path(path), None, None, None,
                               "--data-dir applies to a pipeline file, not to a data folder",
                               "validate the folder itself, or give a pipeline file"))
            return report, None
        pipeline = _folder_pipeline(path, report)
    elif path.suffix.lower() not in (".yml", ".yaml"):
        report.add(Problem(display_path(path), None, None, None,
                           "not a pipeline file or a data folder",
                           "give pipelines/<name>.yml, or the folder holding the data files"))
        return report, None
    else:
        pipeline = _load_pipeline(path, data_dir, report)
    if pipeline is None:
        return report, None
    dataset = Dataset(pipeline, store)
    _check_inputs(dataset, report, on_valid)
    return report, dataset


def _load_pipeline(path: Path, data_dir: str | Path | None,
                   report: ValidationReport) -> Pipeline | None:
    if _looks_like_codebook(path):
        report.add(Problem(display_path(path), None, None, None,
                           "this is a codebook, not a pipeline file",
                           f"validate the data folder instead: lnreport validate "
                           f"{display_path(path.parent)}"))
        return None
    try:
        pipeline = load_pipeline(path, data_dir=data_dir)
    except DataError as exc:
        report.merge(exc.report)
        return None
    report.checked.append(display_path(pipeline.path))
    if not pipeline.data_dir.is_dir():
        where = "--data-dir" if data_dir is not None else "data_dir"
        report.add(Problem(display_path(pipeline.path), None, where,
                           display_path(pipeline.data_dir),
                           "the data folder the pipeline points at does not exist",
                           "fix `data_dir:` in the pipeline (relative to the pipeline file) "
                           "or give an existing folder with --data-dir"))
        return None
    return pipeline


def _looks_like_codebook(path: Path) -> bool:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return False  # load_pipeline reports it
    return isinstance(raw, dict) and "questions" in raw and "inputs" not in raw


def _folder_pipeline(folder: Path, report: ValidationReport) -> Pipeline | None:
    """A pipeline made up from a data folder's conventional file names."""
    inputs: dict[str, str] = {}
    for name, candidates in FOLDER_INPUTS.items():
        found = [c for c in candidates if (folder / c).is_file()]
        if len(found) > 1:
            report.add(Problem(display_path(folder), None, None, ", ".join(found),
                               f"the folder holds more than one {name} file",
                               f"keep only one of {', '.join(found)}"))
        elif found:
            inputs[name] = found[0]
        elif name in REQUIRED_IN_FOLDER:
            report.add(Problem(display_path(folder / candidates[0]), None, None, None,
                               f"the data folder has no {name} file",
                               f"add {' or '.join(candidates)} (see docs/export-formats.md)"))
    if not report.ok:
        return None
    slug = re.sub(r"[^a-z0-9_-]+", "-", folder.resolve().name.lower()).strip("-") or "data"
    spec = PipelineSpec(name=slug if slug[0].isalnum() else f"data-{slug}",
                        report=ReportMeta(title=f"Data folder {folder.name}"),
                        data_dir=str(folder.resolve()), inputs=inputs)
    return Pipeline(folder.resolve(), spec, folder.resolve())


def _check_inputs(dataset: Dataset, report: ValidationReport,
                  on_valid: Callable[[str], None] | None = None) -> None:
    """Load every input; collect problems; never let one input hide another's."""
    pipeline = dataset.pipeline
    names = list(pipeline.inputs)
    if on_valid is not None:  # the survey last: the others are ready the sooner
        names.sort(key=lambda name: name == LAST)
    failed: set[str] = set()
    found: dict[str, tuple[list[Problem], bool]] = {}  # name -> problems, checked
    for name in names:
        found[name] = _check_input(dataset, name, failed)
        if on_valid is not None and name not in failed:
            on_valid(name)
    for name in pipeline.inputs:  # reported in the pipeline's order
        problems, checked = found[name]
        if checked:
            report.checked.append(display_path(pipeline.inputs[name]))
        report.extend(problems)


def _check_input(dataset: Dataset, name: str, failed: set[str]) -> tuple[list[Problem], bool]:
    """The problems of one input and whether it was read; adds it to ``failed`` if bad."""
    file = dataset.pipeline.inputs[name]
    shown = display_path(file)
    if not file.exists():
        failed.add(name)
        return [Problem(shown, None, f"inputs.{name}", None, f"input {name!r} not found",
                        f"check `{name}:` under `inputs:` and the data folder")], False
    if DEPENDS_ON.get(name) in failed:
        failed.add(name)
        return [Problem(shown, None, None, None,
                        f"not checked: its {DEPENDS_ON[name]} has errors",
                        f"fix the {DEPENDS_ON[name]} first", WARNING)], False
    problems = _load_input(dataset, name, shown)
    if any(p.severity != WARNING for p in problems):
        failed.add(name)
    return problems, True


def _load_input(dataset: Dataset, name: str, shown: str) -> list[Problem]:
    """Problems of one input: its DataError, its warnings, or why it could not be checked."""
    try:
        loader_for(name, dataset.pipeline)
    except DataError as exc:  # the pipeline's own loader could not be found or loaded
        return list(exc.report.problems)
    except KeyError:
        return [Problem(display_path(dataset.pipeline.path), None, f"inputs.{name}", name,
                        f"no loader knows an input named {name!r}",
                        "rename the input to one of the known names (see docs/architecture.md)")]
    except (ImportError, AttributeError) as exc:
        return [Problem(shown, None, None, None,
                        f"not checked: the loader of {name!r} is not available ({exc})",
                        "update lnutils; this input is checked once its loader exists",
                        WARNING)]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = dataset[name]
    except DataError as exc:
        return list(exc.report.problems)
    except Exception as exc:  # noqa: BLE001 -- a loader bug must not end in a traceback
        return [Problem(shown, None, None, None,
                        f"the {name} loader failed unexpectedly: {type(exc).__name__}: {exc}",
                        "this is a bug in lnutils; please report it with this file")]
    problems = _warnings_of(value)
    # Python warnings of the loader become report warnings (once), not stderr noise.
    known = {p.message for p in problems}
    for warning in caught:
        message = str(warning.message)
        if message not in known:
            known.add(message)
            problems.append(Problem(shown, None, None, None, message, "", WARNING))
    return problems


def _warnings_of(value: Any) -> list[Problem]:
    """Warnings a loader attached to what it returned (its typed ``warnings`` field)."""
    found = getattr(value, "warnings", None)
    return [p for p in found or [] if isinstance(p, Problem)]
