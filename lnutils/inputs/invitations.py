"""The invitation list: who was invited, in which role, organisation type, region and arena.

Personal fields (name, e-mail, phone; found by their column names) are replaced while
loading by stable pseudonyms: a keyed hash (HMAC-SHA256) of the normalised value, so the
same person gets the same pseudonym in every run with the same key, and nothing
downstream of :func:`load_invitations` holds the raw values. Only
:func:`personal_names` reads raw names, for redaction and the personal-data scan;
:func:`personal_name_index` gives them as a :class:`~lnutils.names.NameIndex`. Both the
loaded list and the index are built once per version of the file in a process (a build
validates the list, checks it and has chapters read it) and kept in its memory only.

The key comes from, in order: the ``key`` argument, the environment variable
``LNREPORT_PSEUDONYM_KEY``, the key file ``$XDG_CONFIG_HOME/lnreport/pseudonym-key``
(default ``~/.config/lnreport/pseudonym-key``). Without any, a built-in development key
is used, with a warning: its pseudonyms can be recomputed by anyone with the code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from lnutils import limits
from lnutils.inputs.checked import with_warnings
from lnutils.inputs.readers import RawTable, read_table
from lnutils.inputs.text_checks import control_problems, nfc_table
from lnutils.memo import Recent
from lnutils.names import NameIndex
from lnutils.privacy import personal_spans
from lnutils.problems import WARNING, DataError, Problem, display_path

KEY_ENV = "LNREPORT_PSEUDONYM_KEY"
DEVELOPMENT_KEY = b"lnreport-development-key-not-secret"
PSEUDONYM_HEX = 12  # 48 bits: collisions stay improbable far beyond any invitation list

# Canonical column -> accepted header names, compared with letters and digits only
# ("E-post", "e_post" and "epost" are the same).
PERSONAL_COLUMNS = {
    "name": ("name", "navn", "fulltnavn", "fullname", "fornavn", "etternavn", "firstname",
             "lastname", "surname", "deltaker", "deltakernavn"),
    "email": ("email", "epost", "mail", "epostadresse", "emailaddress", "mailadresse"),
    "phone": ("phone", "telefon", "tlf", "mobil", "mobilnummer", "telefonnummer",
              "phonenumber", "mobile"),
}
GROUP_COLUMNS = {
    "role": ("role", "rolle"),
    "organisation_type": ("organisationtype", "organizationtype", "organisasjonstype",
                          "orgtype", "representerer", "virksomhetstype"),
    "region": ("region", "kommuneregion"),
    "arena": ("arena", "formellarena", "formalarena"),
}
REQUIRED = ("role", "organisation_type")
PREFIX = {"name": "navn", "email": "epost", "phone": "tlf"}


# Invitation lists read in this process, most recently used last: their name indexes by
# the file's content digest and suffix (which decides how it is read), their loaded
# frames (pseudonymised) by content, name and key. Memory only: never written anywhere.
# A warm kernel runs many chapter notebooks, a build validates and checks the same list;
# each would otherwise read, check and index it again. A changed file is read again.
_INDEXES = Recent(2)
_FRAMES = Recent(2)
_BUILD_LOCK = threading.Lock()  # one name index built at a time; others wait for it


class PseudonymKeyWarning(UserWarning):
    """Pseudonyms were made with the built-in development key."""


def load_invitations(path: str | Path, key: str | bytes | None = None) -> pd.DataFrame:
    """Read the invitation list, replacing personal fields by pseudonyms.

    Parameters
    ----------
    path : CSV or XLSX with one row per invited person.
    key : pseudonym key; default from the environment or key file (see module docs).

    Returns
    -------
    pandas.DataFrame
        One row per person: ``person`` (pseudonym id), the group columns ``role``,
        ``organisation_type``, ``region``, ``arena`` (when present; empty cells NA), any
        other columns as given, and the personal columns (``name``, ``email``, ``phone``)
        holding pseudonyms.
        Its ``warnings`` (a :class:`~lnutils.inputs.checked.CheckedTable`) list the
        warnings (e.g. the development key was used).

    Raises
    ------
    DataError
        Missing required columns, empty values, duplicate people, or personal data in a
        column not known as personal.
    """
    path = Path(path)
    digest = _file_digest(path)
    # A file that cannot be read (or is too large) gets the reader's error first.
    table = None if digest else nfc_table(read_table(path))
    secret, key_warning = _resolve_key(key, display_path(path))
    # The loaded list, by what decides it: the file's bytes and name (its warnings name
    # it), the key (by its digest: the key itself is not kept) and whether its warning
    # applies. The build's validation, its checks and chapters load the same list.
    memo_key = (digest, str(path), hashlib.sha256(secret).hexdigest(), key_warning is None)
    kept = _FRAMES.get(memo_key) if digest else None
    if kept is not None:
        return kept.copy()
    table = table if table is not None else nfc_table(read_table(path))
    roles = _column_roles(table)
    problems = _column_problems(table, roles) + control_problems(table)
    problems += _row_problems(table, roles)
    if any(p.severity != WARNING for p in problems):
        raise DataError(problems)
    frame = _pseudonymised_frame(table, roles, secret)
    frame = with_warnings(frame, problems + ([key_warning] if key_warning else []))
    if digest and _file_digest(path) == digest:
        _FRAMES.put(memo_key, frame.copy())
    return frame


def load_invitations_input(path: Path, dataset: Any) -> pd.DataFrame:
    """Loader of the pipeline input ``invitations`` (key from environment or key file)."""
    return load_invitations(path)


def personal_names(path: str | Path) -> list[str]:
    """The raw names of the invitation list, for redaction and scanning only.

    Several name columns (first name, last name) are joined with a space per row.
    Returns the distinct non-empty names in file order; ``[]`` when there is no name
    column. Never store these anywhere.
    """
    table = nfc_table(read_table(path))
    name_columns = [i for i, (kind, canon) in _column_roles(table).items()
                    if kind == "personal" and canon == "name"]
    names: dict[str, None] = {}  # an ordered set
    for _, cells in table.rows:
        full = " ".join(" ".join(cells[i].split()) for i in name_columns if cells[i].strip())
        if full:
            names[full] = None
    return list(names)


def personal_name_index(path: str | Path) -> NameIndex:
    """The names of the invitation list as a :class:`~lnutils.names.NameIndex`.

    Built once per content of the file in this process: a file whose bytes changed is
    read again. Kept in memory only (the last two lists), never on disk. Threads that ask
    while it is built (a build's renders) wait for that one index.
    """
    path = Path(path)
    key = (_file_digest(path), path.suffix.lower())
    if not key[0]:  # missing, unreadable or over the size limit: the reader says which
        return NameIndex(personal_names(path))
    with _BUILD_LOCK:
        index = _INDEXES.get(key)
        if index is not None:
            return index
        index = NameIndex(personal_names(path))
        # Kept only when the file did not change while it was read.
        if _file_digest(path) == key[0]:
            _INDEXES.put(key, index)
    return index


def _file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes; "" when it cannot be read or is over the size limit."""
    try:
        if path.stat().st_size > limits.max_table_bytes():
            return ""
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def pseudonym(value: str, kind: str, key: bytes) -> str:
    """Stable pseudonym of one personal value, e.g. ``navn-3fa9c2d1e0b4``.

    The value is normalised first (case, spaces; digits only for phones, without +47)
    so that the same person written slightly differently gets the same pseudonym.
    """
    normal = " ".join(value.casefold().split())
    if kind == "phone":
        normal = re.sub(r"\D", "", normal)
        if len(normal) == 10 and normal.startswith("47"):
            normal = normal[2:]
    digest = hmac.digest(key, f"{kind}:{normal}".encode(), "sha256").hex()
    return f"{PREFIX[kind]}-{digest[:PSEUDONYM_HEX]}"


def key_file() -> Path:
    """Where the pseudonym key file is looked for."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "lnreport" / "pseudonym-key"


def _resolve_key(key: str | bytes | None, file: str) -> tuple[bytes, Problem | None]:
    if key is None:
        key = os.environ.get(KEY_ENV) or None
    if key is None and key_file().is_file():
        key = key_file().read_text(encoding="utf-8").strip() or None
    if key is not None:
        return (key.encode() if isinstance(key, str) else key), None
    message = ("pseudonyms made with the built-in development key; anyone with the code can "
               "recompute them")
    warnings.warn(message, PseudonymKeyWarning, stacklevel=3)
    return DEVELOPMENT_KEY, Problem(file, None, None, None, message,
                                    f"set {KEY_ENV} or write a key to {key_file()}", WARNING)


def _header_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _column_roles(table: RawTable) -> dict[int, tuple[str, str]]:
    """Column index -> ("personal" | "group" | "other", canonical name)."""
    roles: dict[int, tuple[str, str]] = {}
    for index, name in enumerate(table.columns):
        key = _header_key(name)
        role = ("other", name)
        for canon, aliases in PERSONAL_COLUMNS.items():
            if key in aliases:
                role = ("personal", canon)
        for canon, aliases in GROUP_COLUMNS.items():
            if key in aliases:
                role = ("group", canon)
        roles[index] = role
    return roles


def _column_problems(table: RawTable, roles: dict[int, tuple[str, str]]) -> list[Problem]:
    problems = []
    found = {canon for kind, canon in roles.values() if kind == "group"}
    for canon in REQUIRED:
        if canon not in found:
            accepted = ", ".join(GROUP_COLUMNS[canon][:3])
            problems.append(Problem(table.file, 1, canon, None,
                                    f"the invitation list has no {canon} column",
                                    f"add a column named one of: {accepted}"))
    groups = [canon for kind, canon in roles.values() if kind == "group"]
    for canon in sorted({c for c in groups if groups.count(c) > 1}):
        problems.append(Problem(table.file, 1, canon, None,
                                f"more than one column means {canon}",
                                "keep one of them"))
    if not any(kind == "personal" and canon in ("name", "email")
               for kind, canon in roles.values()):
        problems.append(Problem(table.file, 1, "name", None,
                                "the invitation list has neither a name nor an e-mail column",
                                "add the invited people's names (navn) or e-mail (e-post)"))
    if not table.rows:
        problems.append(Problem(table.file, None, None, None,
                                "the invitation list has a header but nobody in it",
                                "add one row per invited person"))
    return problems


def _row_problems(table: RawTable, roles: dict[int, tuple[str, str]]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    personal = {i: canon for i, (kind, canon) in roles.items() if kind == "personal"}
    name_column = next((table.columns[i] for i, c in personal.items() if c == "name"), "name")
    names = NameIndex(_full_name(cells, personal) for _, cells in table.rows)
    scanned: dict[str, list[str]] = {}
    for row, cells in table.rows:
        for index, (kind, canon) in roles.items():
            value = cells[index].strip()
            if kind == "group" and canon in REQUIRED and not value:
                problems.append(Problem(table.file, row, table.columns[index], None,
                                        f"{canon} is empty", f"fill in the person's {canon}"))
            elif kind != "personal" and value:
                # Group columns repeat a few values: each distinct value is scanned once.
                if value not in scanned:
                    scanned[value] = _personal_kinds(value, names)
                if scanned[value]:
                    problems.append(_personal_data_problem(
                        table.file, row, table.columns[index], scanned[value]))
        ident = _person_text(cells, personal)
        if ident is None:
            problems.append(Problem(table.file, row, name_column, None,
                                    "the row names nobody (no name and no e-mail)",
                                    "fill in the person's name or e-mail, or remove the row"))
        elif ident in seen:
            # Two people may share a name; two sharing an e-mail are one person twice.
            email = ident[0] == "email"
            problems.append(Problem(
                table.file, row, _column_of(table, personal, ident[0]), None,
                f"the same {'e-mail' if email else 'name'} as row {seen[ident]}",
                "remove the duplicate row" if email else
                "check whether this is the same person invited twice",
                "error" if email else WARNING))
        else:
            seen[ident] = row
    return problems


def _personal_kinds(value: str, names: NameIndex) -> list[str]:
    """Kinds of personal data in one cell: e-post, telefon, navn (an invited person)."""
    found = {kind for _, _, kind in personal_spans(value, names)}
    return [kind for kind in ("e-post", "telefon", "navn") if kind in found]


def _personal_data_problem(file: str, row: int, column: str, kinds: list[str]) -> Problem:
    """Personal data outside the personal fields; the value is not repeated (it is personal)."""
    what = {"e-post": "an e-mail address", "telefon": "a phone number",
            "navn": "the name of an invited person"}
    found = " and ".join(what[k] for k in kinds)
    return Problem(file, row, column, None,
                   f"holds {found}, in a column that is not pseudonymised",
                   "remove the personal data from this cell (or, if the column holds names, "
                   "e-mail addresses or phone numbers, name it Navn/E-post/Telefon)")


def _column_of(table: RawTable, personal: dict[int, str], canon: str) -> str:
    return next((table.columns[i] for i, c in personal.items() if c == canon), canon)


def _person_text(cells: list[str], personal: dict[int, str]) -> tuple[str, str] | None:
    """What identifies a person, normalised: the e-mail when given, else the full name."""
    emails = [cells[i] for i, c in personal.items() if c == "email" and cells[i].strip()]
    if emails:
        return "email", " ".join(emails[0].casefold().split())
    name = _full_name(cells, personal)
    return ("name", name.casefold()) if name else None


def _full_name(cells: list[str], personal: dict[int, str]) -> str:
    """The name columns of a row joined (first name + last name), spaces collapsed."""
    return " ".join(" ".join(cells[i].split()) for i, c in personal.items()
                    if c == "name" and cells[i].strip())


def _pseudonymised_frame(table: RawTable, roles: dict[int, tuple[str, str]],
                         key: bytes) -> pd.DataFrame:
    """The table with one ``person`` id, group columns first, personal values hashed.

    Several name columns (first/last name) become one ``name`` pseudonym of the full name.
    """
    personal = {i: canon for i, (kind, canon) in roles.items() if kind == "personal"}
    kept = [i for i in sorted(roles, key=lambda i: (roles[i][0] != "group", i))
            if roles[i][0] != "personal"]
    extra_personal = [i for i, c in personal.items() if c != "name"]
    rows: list[dict[str, Any]] = []
    for _, cells in table.rows:
        ident = _person_text(cells, personal)
        record: dict[str, Any] = {
            "person": "person-" + pseudonym(ident[1], ident[0], key).split("-", 1)[1]}
        # An empty cell (e.g. no region for people outside the teams) is missing, not "".
        record.update({roles[i][1]: " ".join(cells[i].split()) or pd.NA for i in kept})
        if "name" in personal.values():
            name = _full_name(cells, personal)
            record["name"] = pseudonym(name, "name", key) if name else pd.NA
        for i in extra_personal:
            canon, value = personal[i], cells[i].strip()
            column = canon if canon not in record else f"{canon}_{i}"
            record[column] = pseudonym(value, canon, key) if value else pd.NA
        rows.append(record)
    return pd.DataFrame(rows).astype("str")
