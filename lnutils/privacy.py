"""Personal data in report text: redact it, and find any that reached an output.

Two uses share one set of patterns:

- :func:`redact_text` is called by chapters that quote free text written by
  participants (the teams' self-evaluations), before the text is shown;
- :func:`scan_paths` is run on every rendered output (HTML, DOCX, executed
  notebooks) so that a build fails when an address, a phone number or a name
  from the invitation list got through anyway.

Everything is compared on Unicode NFC text. E-mail addresses count also when written
out ("kari (at) kommune (dot) no", "kari[at]kommune.no", "kari at kommune dot no").
Phone numbers are Norwegian: eight digits, the first 2-9, written together or in groups
of two to four split by one kind of separator ("9123 4567", "912 34 567",
"91 23 45 67", "912-34-567", "912.34.567"), optionally after +47 or 0047. Digits that
are part of a longer number, a decimal number, a date, a pair of years, an amount in
thousands, a hex colour or an identifier never count. Names are found by
:class:`lnutils.names.NameIndex` however they are spelled. Base64 image data and CSS
are not text a reader sees and are not scanned.
"""

from __future__ import annotations

import html.parser
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lnutils.names import NameIndex

EMAIL_MARK = "[e-post fjernet]"
PHONE_MARK = "[telefon fjernet]"
NAME_MARK = "[navn fjernet]"

# An address: a local part, "@" (or an obfuscation of it), a domain with a top-level
# domain. Written-out forms ("kari (at) kommune (dot) no") are common in free text.
_LOCAL = r"(?<![\w.+-])[\w.+-]*\w"
_BRACKETED = r"\s*[(\[{<]\s*WORD\s*[)\]}>]\s*"
_AT = (r"(?:\s*@\s*|" + _BRACKETED.replace("WORD", r"(?:at|a|alfakrøll|krøll)")
       + r"|\s+(?:at|alfakrøll|krøll)\s+)")
_DOT = (r"(?:\.|" + _BRACKETED.replace("WORD", r"(?:dot|punktum|prikk)")
        + r"|\s+(?:dot|punktum|prikk)\s+)")
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
EMAIL_RE = re.compile(_LOCAL + _AT + _LABEL + r"(?:" + _DOT + _LABEL + r")*" + _DOT
                      + r"[a-z]{2,24}(?![\w-])", re.IGNORECASE)
# " at " is also a Norwegian word ("mener at ..."): that form counts only before a
# domain whose top-level domain is a common one.
_COMMON_TLD = r"(?:no|com|org|net|se|dk|fi|is|eu|info|io|nu|uk|de|edu|gov)"
_PLAIN_AT = re.compile(r"\s+(?:at|alfakrøll|krøll)\s+", re.IGNORECASE)


def _emails(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in EMAIL_RE.finditer(text):
        value = match.group(0)
        if (_PLAIN_AT.search(value) and "@" not in value
                and not re.search(_COMMON_TLD + r"$", value, re.IGNORECASE)):
            continue
        spans.append(match.span())
    return spans


# A Norwegian subscriber number has eight digits, the first 2-9, written together or in
# groups of two to four digits split by one kind of separator ("9123 4567", "912-34-567",
# "912.34.567", "91 23 45 67"), optionally after +47 or 0047. A run of digit groups is
# taken whole, so a longer number never yields a phone number from its middle.
_SEP = "[ \u00a0.\u2009\u202f-]"
PHONE_RE = re.compile(
    r"(?<![\w#+])(?P<prefix>(?:\+|00)47" + _SEP + r"?)?"
    r"(?P<body>\d+(?:(?P<sep>" + _SEP + r")\d+(?:(?P=sep)\d+)*)?)(?!\w)")
# Eight digits in a row that read as a date (YYYYMMDD, 1990-2039) are taken as one.
_COMPACT_DATE_RE = re.compile(r"(?:199\d|20[0-3]\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_YEAR = r"(?:19|20)\d\d"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
# Grouped digits that are a date, a pair of years or an amount in thousands, not a phone.
_NOT_PHONE = [re.compile(p) for p in (
    rf"{_YEAR}\D{_MONTH}\D{_DAY}", rf"{_DAY}\D{_MONTH}\D{_YEAR}", rf"{_YEAR}\D{_YEAR}",
    r"\d\d[ \u00a0\u2009\u202f.]\d{3}[ \u00a0\u2009\u202f.]\d{3}")]


def _is_phone(match: re.Match, text: str) -> bool:
    body = match.group("body")
    groups = re.split(_SEP, body)
    digits = "".join(groups)
    if len(digits) != 8 or digits[0] in "01":
        return False
    if len(groups) > 1 and not (len(groups) <= 4 and all(2 <= len(g) <= 4 for g in groups)):
        return False
    if len(groups) == 1 and _COMPACT_DATE_RE.fullmatch(body):
        return False
    if len(groups) > 1 and not match.group("prefix") and any(
            p.fullmatch(body) for p in _NOT_PHONE):
        return False
    # Part of a decimal number, a date, a time or a range ("4,12345678", "1-92233444").
    start, end = match.span()
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return not (re.fullmatch(r"\d[.,:/-]", before) or re.fullmatch(r"[.,:/-]\d", after))


def _phones(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PHONE_RE.finditer(text) if _is_phone(m, text)]


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in an output file.

    Attributes
    ----------
    path : the file it was found in.
    kind : ``"e-post"``, ``"telefon"`` or ``"navn"``.
    text : the text that matched (shown to the person fixing the leak).
    where : a short locator inside the file (cell number, "text"), may be empty.
    """

    path: Path
    kind: str
    text: str
    where: str = ""

    def format(self) -> str:
        loc = f" ({self.where})" if self.where else ""
        return f"{self.path}{loc}: {self.kind} {self.text!r}"


def name_index(names: Iterable[str] | NameIndex) -> NameIndex:
    """``names`` as a :class:`NameIndex`; build one once to search many texts."""
    return names if isinstance(names, NameIndex) else NameIndex(names)


def personal_spans(text: str, names: Iterable[str] | NameIndex = ()
                   ) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every piece of personal data in NFC-normalised ``text``.

    Addresses come first and win over a phone number or name inside them; spans do
    not overlap and are in text order.
    """
    text = unicodedata.normalize("NFC", text)
    spans = [(a, b, "e-post") for a, b in _emails(text)]
    spans += [(a, b, "telefon") for a, b in _phones(text) if _free(a, b, spans)]
    # Names are looked for with addresses and numbers blanked out (same length, so spans
    # stay true): "Kari Berg, kari.berg@…" must not read as "Berg, kari".
    pieces, done = [], 0
    for a, b, _ in sorted(spans):
        pieces += [text[done:a], "#" * (b - a)]
        done = b
    blanked = "".join(pieces) + text[done:]
    spans += [(a, b, "navn") for a, b, _ in name_index(names).find(blanked)]
    return sorted(spans)


def _free(start: int, end: int, taken: list[tuple[int, int, str]]) -> bool:
    return all(end <= a or start >= b for a, b, _ in taken)


MARKS = {"e-post": EMAIL_MARK, "telefon": PHONE_MARK, "navn": NAME_MARK}


def redact_text(text: str, names: Iterable[str] | NameIndex = ()) -> str:
    """Replace e-mail addresses, phone numbers and the given names in ``text``.

    Parameters
    ----------
    text : free text, e.g. a team's answer in a self-evaluation form.
    names : full names to remove (from ``lnutils.inputs.invitations.personal_names``).

    Returns
    -------
    str
        The text with "[e-post fjernet]", "[telefon fjernet]" and "[navn fjernet]"
        in place of what was removed (the text in Unicode NFC when anything was);
        ``text`` itself when nothing was found.
    """
    if not text:
        return text
    spans = personal_spans(text, names)
    if not spans:
        return text
    out = unicodedata.normalize("NFC", text)
    for start, end, kind in reversed(spans):
        out = out[:start] + MARKS[kind] + out[end:]
    return out


def find_in_text(text: str, names: Iterable[str] | NameIndex = ()) -> list[tuple[str, str]]:
    """List ``(kind, matched text)`` for every piece of personal data in ``text``.

    Grouped by kind (e-mail addresses, phone numbers, names), each in text order.
    """
    nfc = unicodedata.normalize("NFC", text)
    spans = personal_spans(nfc, names)
    return [(kind, nfc[a:b]) for kind in MARKS for a, b, k in spans if k == kind]


class _VisibleText(html.parser.HTMLParser):
    """Collects what a reader can see or follow in HTML: text, links, alt and title."""

    _SKIP = {"style", "script"}
    _ATTRS = {"href", "alt", "title", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip_depth += 1
        for key, value in attrs:
            if key in self._ATTRS and value and not value.startswith("data:"):
                self.chunks.append(value.removeprefix("mailto:").removeprefix("tel:"))

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data):
        if not self._skip_depth:
            self.chunks.append(data)


def html_text(markup: str) -> str:
    """Visible text and link targets of an HTML document, one chunk per line."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.chunks)


def docx_text(path: Path) -> str:
    """Text of a DOCX file (body, headers, footers, notes, properties), standard library only."""
    chunks = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".xml") and member.startswith(("word/", "docProps/")):
                xml = archive.read(member).decode("utf-8", errors="replace")
                # Paragraph ends become line breaks so words of two paragraphs don't merge.
                xml = re.sub(r"</w:p>", "\n", xml)
                chunks.append(html.unescape(re.sub(r"<[^>]+>", "", xml)))
    return "\n".join(chunks)


def notebook_texts(path: Path) -> list[tuple[str, str]]:
    """``(locator, text)`` for every cell source and text output of a notebook.

    Image data (base64) is left out: it is not readable text and its digit runs
    would look like phone numbers.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for i, cell in enumerate(nb.get("cells", []), start=1):
        texts.append((f"cell {i}", _joined(cell.get("source", ""))))
        for output in cell.get("outputs", []):
            if "text" in output:
                texts.append((f"cell {i} output", _joined(output["text"])))
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/"):
                    text = _joined(data)
                    if mime == "text/html":
                        text = html_text(text)
                    texts.append((f"cell {i} output", text))
            if output.get("output_type") == "error":
                texts.append((f"cell {i} error", output.get("evalue", "")))
    return texts


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def scan_paths(paths: Iterable[str | Path],
               names: Iterable[str] | NameIndex = ()) -> list[Finding]:
    """Find personal data in output files.

    Parameters
    ----------
    paths : files to scan: ``.html``, ``.docx``, ``.ipynb``, or any text file.
    names : full names from the invitation list.

    Returns
    -------
    list[Finding]
        Every e-mail address, phone number and listed name found, in file order.
        Empty when nothing was found.
    """
    names = name_index(names)
    findings: list[Finding] = []
    for raw in paths:
        path = Path(raw)
        for where, text in _texts_of(path):
            findings += [Finding(path, kind, match, where)
                         for kind, match in find_in_text(text, names)]
    return findings


def _texts_of(path: Path) -> list[tuple[str, str]]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return [("", docx_text(path))]
    if suffix == ".ipynb":
        return notebook_texts(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix in {".html", ".htm"}:
        return [("", html_text(text))]
    return [("", text)]
