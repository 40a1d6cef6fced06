"""What a build runs: one task per chapter of the report and per chapter of each sub-report.

The main report runs every chapter of the pipeline with its declared parameters. A
fan-out (``fanout:`` in the pipeline) adds one sub-report per value, under
``regions/<slug>/``, running the chapters marked ``fanout: true`` with the fan-out
parameter set to that value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lnutils import paths
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, Problem, display_path


@dataclass(frozen=True)
class Task:
    """One notebook execution.

    Attributes
    ----------
    chapter : the chapter id.
    notebook : absolute path of the source notebook.
    parameters : the parameters papermill injects (always ``data_dir`` and ``pipeline``).
    inputs : input names the chapter reads, or None for all.
    region : the fan-out value, or None for the main report.
    output : path of the executed notebook relative to the build folder.
    """

    chapter: str
    notebook: Path
    parameters: dict[str, Any] = field(hash=False)
    inputs: tuple[str, ...] | None
    region: str | None
    output: str

    @property
    def label(self) -> str:
        """How the task is named in messages: ``chapter`` or ``chapter [region]``."""
        return self.chapter if self.region is None else f"{self.chapter} [{self.region}]"


def region_slug(value: str) -> str:
    """A folder name for a fan-out value: lower case ASCII, words joined by ``-``.

    >>> region_slug("Værnesregionen / Stjørdal")
    'vaernesregionen-stjordal'
    """
    return paths.slug(value)


def base_parameters(pipeline: Pipeline) -> dict[str, str]:
    """Parameters every chapter gets: where the data and the pipeline file are."""
    return {"data_dir": str(pipeline.data_dir), "pipeline": str(pipeline.path)}


def plan_chapters(pipeline: Pipeline, region_values: list[str] | None = None) -> list[Task]:
    """Tasks for the main report and for each fan-out value, in report order.

    Parameters
    ----------
    pipeline : the loaded pipeline.
    region_values : fan-out values (see :func:`fanout_values`); None or empty for none.

    Raises
    ------
    DataError
        When a chapter's notebook is missing or two regions share a folder name.
    """
    tasks = []
    base = base_parameters(pipeline)
    for chapter in pipeline.spec.chapters:
        notebook = _notebook(pipeline, chapter)
        if chapter.fanout == "only":
            continue  # a chapter about one region: in the sub-reports only
        tasks.append(Task(
            chapter=chapter.id, notebook=notebook,
            parameters={**chapter.parameters, **base},
            inputs=tuple(chapter.inputs) if chapter.inputs is not None else None,
            region=None, output=f"notebooks/{chapter.id}.ipynb",
        ))
    if not region_values:
        return tasks
    parameter = pipeline.spec.fanout.parameter
    _check_unique_slugs(pipeline, region_values)
    for value in region_values:
        slug = region_slug(value)
        for chapter in pipeline.spec.chapters:
            if not chapter.fanout:
                continue
            tasks.append(Task(
                chapter=chapter.id, notebook=_notebook(pipeline, chapter),
                parameters={**chapter.parameters, **base, parameter: value},
                inputs=tuple(chapter.inputs) if chapter.inputs is not None else None,
                region=value, output=f"regions/{slug}/notebooks/{chapter.id}.ipynb",
            ))
    return tasks


def _notebook(pipeline: Pipeline, chapter) -> Path:
    path = pipeline.notebook_path(chapter)
    if not path.is_file():
        raise DataError(Problem(
            display_path(pipeline.path), None, f"chapters[{chapter.id}].notebook", chapter.notebook,
            "the chapter's notebook does not exist",
            "give the notebook's path relative to the repository root (notebooks/<name>.ipynb)"))
    return path


def _check_unique_slugs(pipeline: Pipeline, values: list[str]) -> None:
    seen: dict[str, str] = {}
    for value in values:
        slug = region_slug(value)
        if slug in seen and seen[slug] != value:
            raise DataError(Problem(
                display_path(pipeline.path), None, "fanout", value,
                f"fan-out values {seen[slug]!r} and {value!r} give the same folder {slug!r}",
                "make the values differ in letters or digits"))
        seen[slug] = value


def fanout_values(pipeline: Pipeline, dataset=None) -> list[str]:
    """The fan-out values of a pipeline: listed ``values`` or the answered options of a question.

    With ``values_from: <question>``, the values are the labels of that question's
    options that at least one respondent chose, in the codebook's option order. This
    loads the survey (and pandas), so the engine caches the result by input content;
    ``dataset`` gives the inputs if already loaded.
    """
    fanout = pipeline.spec.fanout
    if fanout is None:
        return []
    if fanout.values:
        return [str(v) for v in fanout.values]
    if not fanout.values_from:
        return []
    return _answered_options(pipeline, fanout.values_from, dataset)


def _answered_options(pipeline: Pipeline, question_id: str, dataset=None) -> list[str]:
    from lnutils.inputs.dataset import load_dataset  # noqa: PLC0415 (loads pandas; only when needed)

    dataset = load_dataset(pipeline) if dataset is None else dataset
    codebook = dataset.codebook
    try:
        question = codebook.question(question_id)
    except KeyError:
        raise DataError(Problem(
            display_path(pipeline.path), None, "fanout.values_from", question_id,
            "the fan-out names a question the codebook does not have",
            "use the id of a single-choice question (e.g. region)")) from None
    if question.type != "single" or not question.options:
        raise DataError(Problem(
            display_path(pipeline.path), None, "fanout.values_from", question_id,
            f"a fan-out needs a single-choice question; {question_id!r} is {question.type!r}",
            "use the id of a single-choice question (e.g. region)"))
    column = dataset.survey.respondents[question_id]
    answered = {int(code) for code in column.dropna().unique()}
    return [str(label) for code, label in question.options.items() if int(code) in answered]
