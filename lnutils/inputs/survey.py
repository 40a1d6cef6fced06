"""Survey exports (Questback, Nettskjema; CSV, XLSX or SPSS) read through a codebook.

:func:`load_survey` maps the export's columns to the codebook's questions (by id or
wording), reads every answer (code or label, case and whitespace tolerant), applies the
routing, and returns a :class:`Survey` with a respondent table and a long answer table
(formats in ``docs/architecture.md``). An export that does not fit its codebook raises
:class:`~lnutils.problems.DataError` listing every problem, each naming file, row,
column, value and fix. The file itself is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lnutils.inputs.codebook import Codebook
from lnutils.inputs.export_reader import NOT_ASKED, ExportReader
from lnutils.inputs.readers import read_table
from lnutils.inputs.spss import value_label_problems
from lnutils.inputs.text_checks import control_problems, nfc_table
from lnutils.problems import WARNING, DataError, Problem

ANSWER_COLUMNS = ["respondent", "question", "item", "code", "label", "nonanswer", "text"]


@dataclass(eq=False)  # tables do not compare with ==
class Survey:
    """A validated survey export.

    Attributes
    ----------
    respondents : one row per respondent, index ``respondent``; a nullable ``Int64``
        code column per single/rating/yesno question (non-answer codes such as 7 for
        "Vet ikke" included -- use the codebook before averaging), ``<qid>.<item>`` per
        battery item, ``<qid>.<option>`` (0/1) per multi option, text as strings.
    answers : the long table, one row per respondent x question x item, columns
        respondent, question, item, code, label, nonanswer, text. Battery rows have the
        item id in ``item``; multi rows have the option code in ``item``, ``code`` 1
        (chosen) or 0 and the option's label in ``label``. ``nonanswer`` is NA for an
        opinion, else ``vet_ikke``, ``ikke_deltatt``, ``other``, ``missing`` or
        ``not_asked``.
    codebook : the :class:`~lnutils.inputs.codebook.Codebook` the export was read with.
    path : the export file.
    warnings : problems that did not stop loading (e.g. a column mixing codes and labels).
    """

    respondents: pd.DataFrame
    answers: pd.DataFrame
    codebook: Codebook
    path: Path | None = None
    warnings: list[Problem] = field(default_factory=list)

    def describe_short(self) -> str:
        """One line: respondents, questions, answers given, non-answers, not asked."""
        kinds = self.answers["nonanswer"]
        given = int(kinds.isna().sum())
        skipped = int((kinds == NOT_ASKED).sum())
        return (f"{len(self.respondents)} respondents, {len(self.codebook.questions)} questions: "
                f"{given} answers, {len(kinds) - given - skipped} non-answers, "
                f"{skipped} not asked")


def load_survey(path: str | Path, codebook: Codebook) -> Survey:
    """Read a survey export through its codebook.

    Parameters
    ----------
    path : the export (CSV in any supported encoding and delimiter, or XLSX).
    codebook : the survey's codebook.

    Returns
    -------
    Survey

    Raises
    ------
    DataError
        With every problem found in the file (see ``docs/export-formats.md``).
    """
    # An export saved in NFD (as macOS may) holds the same labels as the codebook.
    table = nfc_table(read_table(path))
    reader = ExportReader(table, codebook)
    records, wide = reader.read()
    reader.problems += control_problems(table)
    reader.problems += value_label_problems(table, reader)
    if any(p.severity != WARNING for p in reader.problems):
        raise DataError(reader.problems)
    return Survey(
        respondents=_respondent_table(wide, reader.row_ids, codebook),
        answers=_answer_table(records),
        codebook=codebook,
        path=Path(path),
        warnings=reader.problems,
    )


def load_survey_input(path: Path, dataset: Any) -> Survey:
    """Loader of the pipeline input ``survey``: read with the dataset's codebook."""
    return load_survey(path, dataset.codebook)


def _respondent_table(wide: dict[str, dict[str, Any]], ids: list[str],
                      codebook: Codebook) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {}
    index = pd.Index(ids, name="respondent", dtype="str")
    for q in codebook.questions:
        if q.type == "battery":
            names = [f"{q.id}.{item}" for item in q.items or {}]
        elif q.type == "multi":
            names = [f"{q.id}.{code}" for code in q.options or {}]
        else:
            names = [q.id]
        for name in names:
            values = [wide.get(name, {}).get(rid) for rid in ids]
            dtype = "str" if q.type == "text" else "Int64"
            columns[name] = pd.Series(values, index=index, dtype=dtype)
    return pd.DataFrame(columns, index=index)


def _answer_table(records: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame.from_records(records, columns=ANSWER_COLUMNS)
    table = table.astype({"respondent": "str", "question": "str", "item": "str",
                          "code": "Int64", "label": "str", "nonanswer": "str", "text": "str"})
    return table
