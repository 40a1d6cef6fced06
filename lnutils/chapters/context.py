"""What a chapter notebook opens first: its pipeline, data, facts and small-group rules.

A chapter notebook's ``parameters`` cell holds literal defaults only
(``pipeline = "pipelines/<name>.yml"``, ``data_dir = ""``, ``region = "alle"``,
``min_group_size = 0``); its first code cell calls :func:`open_chapter` with them.
Relative paths are taken from the repository root, so the same notebook runs from
JupyterLab (working folder ``notebooks/``) and from the build engine.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from functools import cached_property
from pathlib import Path
from typing import Any

from lnutils import paths
from lnutils.analysis.subsets import restrict_survey
from lnutils.analysis.summaries import item_nonresponse
from lnutils.inputs.dataset import Dataset, load_dataset
from lnutils.inputs.invitations import PseudonymKeyWarning
from lnutils.pipeline import Pipeline, Privacy, load_pipeline
from lnutils.store import DATA_CACHE_ENV, Cache

ALL = "alle"


def _from_root(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else paths.repo_root() / p


@dataclasses.dataclass(eq=False)
class ChapterContext:
    """Everything a chapter needs, loaded once.

    Attributes
    ----------
    pipeline : the loaded pipeline.
    dataset : every input of the pipeline (lazy).
    region : the fan-out value this chapter is restricted to, or ``"alle"``.
    privacy : the small-group rules in force (the pipeline's, or the notebook's
        ``min_group_size`` when that is higher).
    """

    pipeline: Pipeline
    dataset: Dataset
    region: str = ALL
    privacy: Privacy = dataclasses.field(default_factory=Privacy)

    @property
    def is_subreport(self) -> bool:
        return self.region != ALL

    @cached_property
    def survey(self):
        """The survey, restricted to the region's respondents in a sub-report."""
        survey = self.dataset["survey"]
        if not self.is_subreport:
            return survey
        return restrict_survey(survey, self.region_question, self.region)

    @cached_property
    def item_nonresponse(self):
        """Asked, answered and non-answers per question of :attr:`survey` (the method
        appendix shows them in a table and in its text)."""
        return item_nonresponse(self.survey)

    @property
    def region_question(self) -> str:
        fanout = self.pipeline.spec.fanout
        return fanout.values_from if fanout and fanout.values_from else "region"

    @cached_property
    def facts(self) -> dict[str, Any]:
        """Flat facts as the chapter's text reads them (``lnreport facts`` prints them).

        The generic facts with the network's own on top; in a sub-report, the region's
        (its respondents only, the network's values under ``all.``), as the build
        resolves a sub-report's placeholders.
        """
        from lnutils.facts import all_facts, region_facts

        network = all_facts(self.dataset)
        if not self.is_subreport:
            return network
        return region_facts(self.dataset, self.region, network)

    def __getitem__(self, name: str) -> Any:
        return self.dataset[name]


def open_chapter(pipeline: str, data_dir: str = "", region: str = ALL,
                 min_group_size: int = 0) -> ChapterContext:
    """Open a chapter's pipeline and data.

    Parameters
    ----------
    pipeline : the pipeline file, absolute or relative to the repository root.
    data_dir : read the inputs from this folder instead ("" = the pipeline's own).
    region : restrict the survey to one fan-out value ("alle" = everybody).
    min_group_size : small-group threshold; 0 keeps the pipeline's. A notebook may
        raise the threshold, never lower it: a lower one is ignored, since exceptions
        exist only as the pipeline records them, with their reasons.
    """
    # The build's validation has logged the development-key warning once; repeated in a
    # chapter it would only put an English stderr stream into the executed notebook.
    warnings.filterwarnings("ignore", category=PseudonymKeyWarning)
    other_data = _from_root(data_dir) if data_dir else None
    loaded = load_pipeline(_from_root(pipeline), data_dir=other_data)
    privacy = loaded.spec.privacy
    if min_group_size > privacy.min_group_size:
        privacy = privacy.model_copy(update={"min_group_size": min_group_size})
    return ChapterContext(loaded, load_dataset(loaded, data_store()), region or ALL, privacy)


def data_store() -> Cache | None:
    """The store of parsed inputs the runner passes to its kernels, or None.

    A build sets ``LNREPORT_DATA_CACHE`` for its workers, so that every chapter does not
    parse the same export again; a notebook opened in JupyterLab writes no cache.
    """
    folder = os.environ.get(DATA_CACHE_ENV)
    return Cache(Path(folder)) if folder else None
