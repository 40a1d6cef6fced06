"""Pipeline declarations: ``pipelines/<name>.yml`` read into a :class:`Pipeline`.

A pipeline names its data folder, the inputs in it, the chapters with their
parameters, the fan-out, the small-group rules and the report's metadata. Paths in
the file are relative to the file (``data_dir``, ``allow_paths``) or to ``data_dir``
(``inputs``); the loaded object holds them resolved. ``--data-dir`` replaces
``data_dir``.

Every path a pipeline names stays where it belongs, checked before anything is read
(symbolic links followed): inputs inside the data folder or a folder listed under
``allow_paths:``, chapter notebooks and narratives inside the repository. A pipeline
therefore cannot make a build read, and echo in its error messages, a file that is not
one of its declared inputs (``../../etc/passwd``).
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lnutils import limits, paths
from lnutils.problems import DataError, Problem, ValidationReport, display_path
from lnutils.yamlfiles import load_yaml, yaml_key_lines

YAML_SUFFIXES = (".yml", ".yaml")


class ReportMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    subtitle: str = ""
    organisation: str = ""
    authors: list[str] = Field(default_factory=list)
    date: dt.date | str = ""
    lang: str = "nb"


class GroupException(BaseModel):
    """A lower small-group threshold for named groups of one question, with its reason."""

    model_config = ConfigDict(extra="forbid")
    question: str
    groups: list[str]
    min_group_size: int = Field(ge=1)
    reason: str = Field(min_length=10)


class Privacy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_group_size: int = Field(default=5, ge=1)
    exceptions: list[GroupException] = Field(default_factory=list)


class Chapter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    notebook: str
    title: str = ""
    part: str = ""
    appendix: bool = False
    parameters: dict[str, Any] = Field(default_factory=dict)
    inputs: list[str] | None = None  # input names the chapter reads; None = all
    # run this chapter in per-region sub-reports too (true), not (false), or only there
    fanout: bool | Literal["only"] = True


class Narrative(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    file: str  # relative to reports/
    title: str = ""
    part: str = ""
    position: str = "before"  # before/after the chapter named in ``anchor``
    anchor: str = ""
    appendix: bool = False
    # in the per-region sub-reports too (resolved with the region's facts), or only there
    subreports: bool | Literal["only"] = False


class Fanout(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parameter: str = "region"
    values_from: str = ""  # a survey question whose answered options give the values
    values: list[str] = Field(default_factory=list)


class SectionQuestion(BaseModel):
    """A question of a section with breakdowns of its own (ratings only; ``[]`` = none,
    unset = the section's), or compared with another rating the same respondents gave
    (``paired_with``: one figure of both means and their difference)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    breakdowns: list[str | list[str]] | None = None
    paired_with: str = ""


class Section(BaseModel):
    """A generic survey chapter: a title and the codebook's questions to show, in order.

    ``breakdowns`` (a subset of the pipeline's) split every rating question of the
    section by a background question; a question written as a mapping
    (``{id: q, breakdowns: [a, [a, b]]}``) has its own, where ``[a, b]`` is a two-way
    breakdown. ``response`` maps an invitation-list field to the survey question whose
    answers name the same groups (``{organisation_type: role}``) and shows the
    response rate by those groups.
    """

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    questions: list[str | SectionQuestion] = Field(min_length=1)
    breakdowns: list[str] = Field(default_factory=list)
    notes: str = ""
    response: dict[str, str] = Field(default_factory=dict)

    def entries(self) -> list[SectionQuestion]:
        """Every question as a :class:`SectionQuestion` (plain ids get no own breakdowns)."""
        return [q if isinstance(q, SectionQuestion) else SectionQuestion(id=q)
                for q in self.questions]


class PipelineSpec(BaseModel):
    """The pipeline file as written."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    report: ReportMeta
    data_dir: str
    inputs: dict[str, str]
    # further folders inputs may be read from, relative to the pipeline file
    allow_paths: list[str] = Field(default_factory=list)
    facts: str = ""
    loaders: dict[str, str] = Field(default_factory=dict)
    # Background questions (single choice) the generic facts split every answer by.
    breakdowns: list[str] = Field(default_factory=list)
    privacy: Privacy = Field(default_factory=Privacy)
    chapters: list[Chapter] = Field(default_factory=list)
    narratives: list[Narrative] = Field(default_factory=list)
    fanout: Fanout | None = None
    parts: list[str] = Field(default_factory=list)
    breakdowns: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_sections(self) -> PipelineSpec:
        ids = [s.id for s in self.sections]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"section id(s) used more than once: {', '.join(doubles)}")
        return self


class Pipeline:
    """A loaded pipeline with every path resolved.

    Attributes
    ----------
    path : the pipeline file.
    spec : the file's content as a :class:`PipelineSpec`.
    data_dir : the folder the inputs are read from (after ``--data-dir``).
    inputs : input name -> absolute path.
    allowed : the folders inputs may resolve into (the data folder and ``allow_paths``).

    Raises
    ------
    DataError
        When an input resolves outside the allowed folders, a notebook or narrative
        outside the repository, or an input is not a regular file or is larger than its
        limit (:mod:`lnutils.limits`). ``lines`` (key path -> line in the pipeline file)
        places each problem on its line.
    """

    def __init__(self, path: Path, spec: PipelineSpec, data_dir: Path,
                 lines: dict[tuple, int] | None = None):
        self.path = path
        self.spec = spec
        self.data_dir = data_dir
        self.inputs = {name: data_dir / rel for name, rel in spec.inputs.items()}
        base = path.parent if path.is_file() else path
        self.allowed = [data_dir.resolve(), *((base / p).resolve() for p in spec.allow_paths)]
        problems = path_problems(self, lines or {})
        if problems:
            raise DataError(ValidationReport(problems, [display_path(path)]))

    @property
    def name(self) -> str:
        return self.spec.name

    def input(self, name: str) -> Path | None:
        """Absolute path of one input, or None when the pipeline has no such input."""
        return self.inputs.get(name)

    def section(self, section_id: str) -> Section:
        """The section with this id; KeyError naming the known ones otherwise."""
        for section in self.spec.sections:
            if section.id == section_id:
                return section
        known = ", ".join(s.id for s in self.spec.sections) or "none"
        raise KeyError(f"the pipeline has no section {section_id!r}; its sections: {known}")

    def notebook_path(self, chapter: Chapter) -> Path:
        return (paths.repo_root() / chapter.notebook).resolve()

    def resolved(self) -> dict[str, Any]:
        """The resolved configuration, as logged at the start of a run."""
        data = self.spec.model_dump(mode="json")
        data["path"] = str(self.path)
        data["data_dir"] = str(self.data_dir)
        data["inputs"] = {k: str(v) for k, v in self.inputs.items()}
        return data


def _problem(path: Path, key: str | None, message: str, fix: str, value: Any = None,
             line: int | None = None):
    return Problem(display_path(path), line, key, value, message, fix)


def path_problems(pipeline: Pipeline, lines: dict[tuple, int]) -> list[Problem]:
    """Every path of a pipeline that leads outside where it may, or to an unreadable input.

    Symbolic links are followed: a link in the data folder to a file elsewhere is refused
    like ``../`` is. Nothing is opened; only names are resolved and files stat'ed.
    """
    problems = []

    def refuse(keys: tuple, value: str, message: str, fix: str) -> None:
        problems.append(_problem(pipeline.path, ".".join(map(str, keys)), message, fix,
                                 value, lines.get(tuple(map(str, keys)))))

    for name, rel in pipeline.spec.inputs.items():
        path = pipeline.inputs[name]
        message = _outside(path, pipeline.allowed, "the data folder")
        if message:
            refuse(("inputs", name), rel, f"input {name!r} {message}",
                   "copy the file into the data folder, or list its folder under "
                   "`allow_paths:` in the pipeline (see docs/architecture.md)")
            continue
        message = _unreadable(path)
        if message:
            refuse(("inputs", name), rel, f"input {name!r} {message[0]}", message[1])
    repo = paths.repo_root().resolve()
    for i, chapter in enumerate(pipeline.spec.chapters):
        message = _outside(pipeline.notebook_path(chapter), [repo], "the repository")
        if message:
            refuse(("chapters", i, "notebook"), chapter.notebook,
                   f"the notebook of chapter {chapter.id!r} {message}",
                   "keep chapter notebooks under notebooks/ in the repository")
    for i, narrative in enumerate(pipeline.spec.narratives):
        message = _outside(paths.reports_dir() / narrative.file, [repo], "the repository")
        if message:
            refuse(("narratives", i, "file"), narrative.file,
                   f"the narrative {narrative.id!r} {message}",
                   "keep narratives under reports/ (their paths are relative to reports/)")
    return problems


def _outside(path: Path, folders: list[Path], where: str) -> str:
    """Why ``path`` (links followed) is outside every one of ``folders``; "" when inside."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return "is a symbolic link that leads nowhere (a loop)"
    if any(real.is_relative_to(folder) for folder in folders):
        return ""
    shown = display_path(real)
    if path.is_symlink() or any(p.is_symlink() for p in path.parents):
        return f"is a symbolic link to {shown}, outside {where}"
    return f"resolves to {shown}, outside {where}"


def _unreadable(path: Path) -> tuple[str, str] | None:
    """Why an existing input cannot be read within bounds: not a file, or too large."""
    try:
        info = path.stat()
    except OSError:
        return None  # missing: validation reports it with the other inputs' problems
    if not stat.S_ISREG(info.st_mode):
        return ("is not a regular file (a folder, device or pipe)",
                "point the input at the data file itself")
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        limit, setting = limits.max_yaml_bytes(), "LNREPORT_MAX_YAML_MB"
    else:
        limit, setting = limits.max_table_bytes(), "LNREPORT_MAX_TABLE_MB"
    if info.st_size > limit:
        return (f"is a file of {limits.size_text(info.st_size)}, more than the "
                f"{limits.size_text(limit)} allowed ({setting})",
                f"check that it is the right file; if it is, set {setting} higher")
    return None


def load_pipeline(path: str | Path, data_dir: str | Path | None = None) -> Pipeline:
    """Read a pipeline file.

    Parameters
    ----------
    path : the pipeline YAML file.
    data_dir : read the inputs from this folder instead of the file's ``data_dir``.

    Raises
    ------
    DataError
        When the file is missing, is not YAML, or does not follow the pipeline schema.
        Missing input files are reported by validation, not here.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise DataError(_problem(path, None, "pipeline file not found",
                                 "give the path of a file under pipelines/"))
    too_large = _unreadable(path)
    if too_large:
        raise DataError(_problem(path, None, f"the pipeline file {too_large[0]}", too_large[1]))
    try:
        text = path.read_text(encoding="utf-8")
        raw = load_yaml(text)
        lines, _ = yaml_key_lines(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(_problem(path, None, f"not valid YAML: {exc}",
                                 "fix the YAML syntax", line=mark.line + 1 if mark else None)
                        ) from None
    if not isinstance(raw, dict):
        raise DataError(_problem(path, None, "a pipeline file must be a YAML mapping",
                                 "start from a pipeline in pipelines/ "
                                 "(docs/architecture.md#pipeline)"))
    try:
        spec = PipelineSpec.model_validate(raw)
    except ValidationError as exc:
        # A check of the whole file (no key in ``loc``) would show the whole file as its
        # value: its message names what is wrong instead.
        problems = [
            _problem(path, ".".join(str(p) for p in err["loc"]) or None, err["msg"],
                     "see docs/architecture.md for the pipeline keys",
                     err.get("input") if err["loc"] else None)
            for err in exc.errors()
        ]
        raise DataError(problems) from None
    if data_dir is not None:
        resolved_data = Path(data_dir).resolve()
    else:
        resolved_data = (path.parent / spec.data_dir).resolve()
    return Pipeline(path, spec, resolved_data, lines)
