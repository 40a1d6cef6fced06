"""SPSS ``.sav`` exports (Questback, the TSD data loader) read through ``pyreadstat``.

The cells come back as the codes SPSS stores (``1``, not ``1.0``; empty for a system
missing value), exactly as a CSV export with codes would hold them, so the survey loader
reads a ``.sav`` through its codebook like any other export. The file's variable labels
(the question wording) and value labels (code -> answer label) travel with the table,
for ``lnreport new`` to infer a codebook from.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from lnutils.problems import WARNING, DataError, Problem, display_path

SAV_SUFFIXES = (".sav", ".zsav")


def read_sav(path: Path):
    """Read an SPSS file into a :class:`~lnutils.inputs.readers.RawTable` of strings.

    Returns the table with ``column_labels`` (variable -> label) and ``value_labels``
    (variable -> {code as text: label}) filled in.

    Raises
    ------
    DataError
        When the file is not a readable SPSS file.
    """
    import pyreadstat  # noqa: PLC0415 -- only needed for SPSS files

    from lnutils.inputs.readers import RawTable  # noqa: PLC0415 -- readers imports this module

    file = display_path(path)
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False,
                                          user_missing=False)
    except Exception as exc:  # pyreadstat raises its own and plain errors for bad files
        raise DataError(Problem(file, None, None, None,
                                f"not a readable SPSS file ({type(exc).__name__}: {exc})",
                                "export the survey again as .sav, or as CSV or XLSX")) from None
    columns = [str(c).strip() for c in meta.column_names]
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = [sav_cell_text(v) for v in values]
        if any(cells):
            rows.append((number, cells))
    labels = {name: str(label).strip()
              for name, label in zip(columns, meta.column_labels or [], strict=False)
              if label and str(label).strip()}
    value_labels = {
        str(name).strip(): {sav_cell_text(code): str(label).strip()
                            for code, label in mapping.items()}
        for name, mapping in (meta.variable_value_labels or {}).items()
    }
    return RawTable(path, columns, rows, encoding=meta.file_encoding or "sav", delimiter="",
                    column_labels=labels, value_labels=value_labels)


def sav_cell_text(value: object) -> str:
    """One SPSS value as an export's cell: whole numbers without ``.0``, missing as ``""``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


def value_label_problems(table, reader) -> list:
    """Warnings where the file's value labels contradict the codebook's labels.

    A codebook written from the questionnaire may number the answers differently from
    the SPSS file ("1 Nei, 2 Ja" against "1 Ja, 2 Nei"); the codes would then be read
    with the wrong meaning and nothing else would notice. Labels that only differ in
    case, spacing or a leading code ("6 I stor grad" / "I stor grad") agree.

    Parameters
    ----------
    table : the :class:`~lnutils.inputs.readers.RawTable` read from the ``.sav``.
    reader : the :class:`~lnutils.inputs.export_reader.ExportReader` that read it
        (its column mapping and its label lookups).
    """
    problems = []
    for target, index in reader.columns.items():
        name = table.columns[index]
        labels = table.value_labels.get(name)
        multi = reader.codebook.question(target.question).type == "multi"
        if not labels or multi:
            continue  # option columns hold 0/1, whatever their labels say
        valid, lookup = reader.valid[target.question], reader.labels[target.question]
        for text, label in labels.items():
            code = int(text) if text.isdigit() else None
            bare = re.sub(r"^\d+\s+(?=\S)", "", label.strip())  # "6 I stor grad"
            if code not in valid or code in (lookup.get(_normal(label)), lookup.get(_normal(bare))):
                continue
            problems.append(Problem(
                table.file, table.header_row, name, label,
                f"the file's value label of code {code} is {label!r}, but the codebook's "
                f"label of code {code} is {valid[code]!r}",
                "check that the codebook numbers the answers as the survey tool did",
                WARNING))
    return problems


def _normal(label: str) -> str:
    from lnutils.inputs.codebook import normalise_label  # noqa: PLC0415

    return normalise_label(label)
