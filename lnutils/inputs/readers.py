"""Reading tabular exports as they arrive: CSV in any common encoding and delimiter, or XLSX.

Every cell comes back as a string ("" for an empty cell), so that the loaders decide
what a value means with the codebook in hand, and every row keeps the number a
spreadsheet would show for it (the header is row 1). Problems that make a file
unreadable -- an empty file, text that is not in any supported encoding, a row with
more or fewer cells than the header -- raise :class:`~lnutils.problems.DataError`
naming the file and the row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lnutils import limits
from lnutils.inputs.spss import SAV_SUFFIXES, read_sav
from lnutils.problems import DataError, Problem, ValidationReport, display_path
from lnutils.yamlfiles import load_yaml, yaml_key_lines  # noqa: F401 -- loaders import them here

DELIMITERS = (";", ",", "\t")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLSX_UNPACKED_FACTOR = 4  # a workbook may unpack to this many times the table limit
INTERNED_CELLS = 200_000  # distinct cell values shared between rows (see _fit_rows)
# Bytes that Windows-1252 leaves undefined: a file holding them is not cp1252 text.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# A well-formed multi-byte UTF-8 sequence (lead byte + continuation bytes).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


@dataclass(frozen=True)
class RawTable:
    """A table read from a file, before any interpretation.

    Attributes
    ----------
    path : the file read.
    columns : header cells, stripped of surrounding whitespace.
    rows : ``(spreadsheet row number, cells)`` for every non-blank data row; each
        row has exactly ``len(columns)`` cells.
    encoding : the text encoding found (``"xlsx"`` for a workbook).
    delimiter : the CSV delimiter found (``""`` for a workbook).
    header_row : the header's row number (1 unless blank rows come first).
    column_labels : column -> the wording a file stores beside it (SPSS variable labels).
    value_labels : column -> {cell text: answer label} (SPSS value labels).
    """

    path: Path
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    header_row: int = 1
    column_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The file as messages show it."""
        return display_path(self.path)


def read_table(path: str | Path) -> RawTable:
    """Read a CSV or XLSX file into a :class:`RawTable` of strings.

    Parameters
    ----------
    path : a ``.csv``/``.txt``/``.tsv`` file (comma, semicolon or tab; UTF-8 with or
        without BOM, UTF-16 with BOM, Windows-1252/Latin-1), an ``.xlsx`` workbook
        (first sheet) or an SPSS ``.sav`` file (codes, with its labels beside the table).

    Raises
    ------
    DataError
        When the file is missing, empty, undecodable, an old binary ``.xls``, larger
        than ``LNREPORT_MAX_TABLE_MB`` (checked before reading), or has rows that do
        not fit the header (the first of each kind listed, the rest counted).
    """
    path = Path(path)
    file = display_path(path)
    if not path.is_file():
        raise DataError(Problem(file, None, None, None, "file not found",
                                "check the file name and the data folder"))
    _check_table_size(path, file)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise DataError(Problem(file, None, None, None,
                                "old binary Excel files (.xls) are not supported",
                                "open the file in Excel and save it as .xlsx or as CSV"))
    if suffix in SAV_SUFFIXES:
        return read_sav(path)
    if suffix in XLSX_SUFFIXES:
        header, records = _read_xlsx(path)
        encoding, delimiter = "xlsx", ""
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError(Problem(file, None, None, None,
                                    f"the file cannot be read: {exc.strerror or exc}",
                                    "check the file's permissions")) from None
        text, encoding = decode_bytes(data, file)
        del data  # the text is all that is needed from here on
        # The csv module refuses cells over 128 kB; a long free-text answer is data, and
        # the file's size is bounded already (LNREPORT_MAX_TABLE_MB).
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        text, delimiter = _excel_separator_line(text)
        delimiter = delimiter or sniff_delimiter(text)
        records = _csv_records(text, delimiter, file)
        header, records = _split_header(records, file)
    return _fit_rows(path, header, records, encoding, delimiter)


def _check_table_size(path: Path, file: str) -> None:
    """Refuse a table larger than the limit before reading it; for a workbook, unpacked too.

    An XLSX file is a zip archive: a small file can unpack to gigabytes of XML.
    """
    limit = limits.max_table_bytes()
    size = path.stat().st_size
    what = "file"
    if size <= limit and path.suffix.lower() in XLSX_SUFFIXES:
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            return  # the workbook reader reports it
        # XML holds the same cells in about four times the bytes of CSV
        size, limit, what = unpacked, XLSX_UNPACKED_FACTOR * limit, "workbook unpacked"
    if size > limit:
        raise DataError(Problem(
            file, None, None, None,
            f"the {what} is {limits.size_text(size)}, more than the "
            f"{limits.size_text(limit)} allowed (LNREPORT_MAX_TABLE_MB)",
            "check that this is the right file; if it is, set LNREPORT_MAX_TABLE_MB higher"))


def decode_bytes(data: bytes, file: str) -> tuple[str, str]:
    """Decode a text file's bytes, finding the encoding.

    Tries, in order: a byte-order mark (UTF-8 or UTF-16), UTF-16 without BOM (many
    zero bytes), UTF-8, Windows-1252. Returns ``(text, encoding)``.

    Raises
    ------
    DataError
        When the file is empty or no supported encoding fits; the problem names the
        line of the first byte that does not decode.
    """
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise DataError(Problem(file, None, None, None, "the file is empty",
                                "export the survey again; the file holds no header and no rows"))
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_strict(data, name, file), name
    if b"\x00" in data:
        return _decode_strict(data, _utf16_without_bom(data, file), file), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _UTF8_MULTIBYTE.search(data):
        # Valid UTF-8 letters next to invalid bytes: a damaged or mixed file. Reading it
        # as cp1252 would silently turn every "ø" into "Ã¸", so reject it instead.
        raise DataError(_decode_problem(data, utf8_error.start, file,
                                        "the file mixes UTF-8 text with bytes that are not UTF-8"))
    bad = _CP1252_UNDEFINED.search(data)
    if bad:
        raise DataError(_decode_problem(data, bad.start(), file,
                                        "the text is in no supported encoding"))
    return data.decode("cp1252"), "cp1252"


def _utf16_without_bom(data: bytes, file: str) -> str:
    """Name the UTF-16 byte order of a BOM-less file, or reject a file with stray NULs."""
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    half = len(data) // 4  # about half of the characters of Latin text are ASCII
    if odd_zeros >= half and odd_zeros > even_zeros:
        return "utf-16-le"
    if even_zeros >= half and even_zeros > odd_zeros:
        return "utf-16-be"
    raise DataError(_decode_problem(data, data.index(b"\x00"), file,
                                    "the file holds zero bytes: it is binary, not text"))


def _decode_strict(data: bytes, encoding: str, file: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(_decode_problem(data, exc.start, file,
                                        f"the text is not valid {encoding.upper()}")) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _decode_problem(data: bytes, offset: int, file: str, message: str) -> Problem:
    """A problem at the first undecodable byte, placed on its spreadsheet row and column."""
    utf16 = data[1:2] == b"\x00" or data[:1] == b"\x00"
    newline = b"\n\x00" if utf16 else b"\n"
    line = data[:offset].count(newline) + 1
    row, column = _locate_bad_cell(data, "utf-16" if utf16 else "utf-8")
    snippet = data[max(0, offset - 8): offset + 8]
    return Problem(file, row or line, column, snippet,
                   f"{message} (byte {offset + 1}, line {line})",
                   "save the export again as UTF-8 (or Windows-1252) CSV, or as XLSX")


def _locate_bad_cell(data: bytes, encoding: str) -> tuple[int | None, str | None]:
    """Row and column name of the first cell that holds a replacement character."""
    text = data.decode(encoding, errors="replace").replace("\x00", "")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""),
                                  delimiter=sniff_delimiter(text)))
    except csv.Error:
        return None, None
    header = records[0] if records else []
    for row, cells in enumerate(records, start=1):
        for i, cell in enumerate(cells):
            if "\ufffd" in cell:
                name = header[i].strip() if i < len(header) and row > 1 else f"#{i + 1}"
                return row, name
    return None, None


def _excel_separator_line(text: str) -> tuple[str, str]:
    """Drop Excel's ``sep=;`` first line, returning the text and the delimiter it names.

    Excel does not show that line, so the header stays row 1 as a spreadsheet shows it.
    """
    match = re.match(r"sep=(.)\r?\n", text)
    if match:
        return text[match.end():], match.group(1)
    return text, ""


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter (``;``, ``,`` or tab) that splits the first rows most consistently.

    A delimiter scores by how many rows split into as many cells as the header, then by
    the header's width; a file with one column gets ``","``.
    """
    sample = "\n".join(text.splitlines()[:30])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        consistent = sum(1 for r in records if len(r) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_records(text: str, delimiter: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """Parse CSV text into ``(row number, cells)``; blank lines keep their row number.

    A generator: rows are checked and kept one at a time, so the parsed file is never
    held twice.
    """
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    row = 0
    try:
        for cells in reader:
            row += 1
            yield row, cells
    except csv.Error as exc:
        raise DataError(Problem(file, row + 1, None, None, f"the CSV cannot be parsed: {exc}",
                                "check the quotes in this row: a quoted cell must end with "
                                "a quote followed by the delimiter")) from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``open(newline="")`` gives them.

    One line at a time: ``io.StringIO`` would first copy the whole text into a buffer of
    four bytes per character.
    """
    return (match.group() for match in _LINE.finditer(text))


def _split_header(
    records: Iterable[tuple[int, list[str]]], file: str
) -> tuple[tuple[int, list[str]], Iterator[tuple[int, list[str]]]]:
    """First non-blank record is the header; the rest (an iterator) are data records."""
    records = iter(records)
    for row, cells in records:
        if any(c.strip() for c in cells):
            return (row, cells), records
    raise DataError(Problem(file, None, None, None, "the file is empty",
                            "export the survey again; the file holds no header and no rows"))


def _read_xlsx(path: Path) -> tuple[tuple[int, list[str]], list[tuple[int, list[str]]]]:
    """Read the first sheet of a workbook into string records."""
    import openpyxl  # noqa: PLC0415 -- only needed for workbooks

    file = display_path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(Problem(file, None, None, None,
                                f"not a readable XLSX workbook ({type(exc).__name__})",
                                "open the file in Excel and save it again as .xlsx")) from None
    try:
        sheet = workbook.worksheets[0]
        # min_row=1 makes openpyxl yield empty leading rows too, so numbers match Excel's.
        records = [(row, [cell_text(v) for v in values])
                   for row, values in enumerate(sheet.iter_rows(min_row=1, values_only=True),
                                                start=1)]
    finally:
        workbook.close()
    return _split_header(records, file)


def cell_text(value: object) -> str:
    """A workbook cell as the string a CSV export would hold.

    Whole numbers lose Excel's ``.0``; dates become ISO dates; empty cells ``""``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _fit_rows(
    path: Path,
    header: tuple[int, list[str]],
    records: Iterable[tuple[int, list[str]]],
    encoding: str,
    delimiter: str,
) -> RawTable:
    """Check the header and that every row fits it; drop blank rows.

    Cells are interned (up to ``INTERNED_CELLS`` distinct values): an export repeats the
    same codes and labels in every row, and one string object per distinct value instead
    of one per cell keeps a large file's table to a fraction of the memory.
    """
    interned: dict[str, str] = {}
    file = display_path(path)
    header_row, header_cells = header
    # Trailing empty header cells come from spreadsheets with formatted empty columns.
    while header_cells and not header_cells[-1].strip():
        header_cells = header_cells[:-1]
    columns = [c.strip().lstrip("\ufeff") for c in header_cells]
    problems = ValidationReport(_header_problems(file, header_row, columns), [file])
    width = len(columns)
    rows: list[tuple[int, list[str]]] = []
    for row, cells in records:
        if not any(c.strip() for c in cells):
            continue  # blank rows are skipped, keeping the numbers of the others
        extra = cells[width:]
        if any(c.strip() for c in extra):
            problems.add(Problem(
                file, row, f"#{width + 1}", ", ".join(c for c in extra if c.strip()),
                f"the row has {len(cells)} cells but the header has {width} columns",
                "quote cells that contain the delimiter, or remove the extra cells"
                if delimiter else "give the column a header or remove the values outside it"))
            continue
        if len(cells) < width:
            problems.add(Problem(
                file, row, columns[len(cells)] if cells else None, None,
                f"the row has {len(cells)} cells but the header has {width} columns",
                "fill in the missing cells (empty cells still need their delimiters)"))
            continue
        if len(interned) < INTERNED_CELLS:
            cells = [interned.setdefault(c, c) for c in cells[:width]]
        else:
            cells = [interned.get(c, c) for c in cells[:width]]
        rows.append((row, cells))
    if problems.problems:
        raise DataError(problems)
    return RawTable(path, columns, rows, encoding, delimiter, header_row)


def _header_problems(file: str, header_row: int, columns: list[str]) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(columns, start=1):
        if not name:
            problems.append(Problem(file, header_row, f"#{i}", None,
                                    f"column {i} has no name in the header",
                                    "give every column a name (a question id or wording)"))
            continue
        key = name.casefold()
        if key in seen:
            problems.append(Problem(file, header_row, name, name,
                                    f"columns {seen[key]} and {i} have the same name",
                                    "remove or rename one of the two columns"))
        else:
            seen[key] = i
    return problems
