"""Personal data in report text: redact it, and find any that reached an output.

Two uses share one set of patterns:

- :func:`redact_text` is called by chapters that quote free text written by
  participants (the teams' self-evaluations), before the text is shown;
- :func:`scan_paths` is run on every rendered output (HTML, DOCX, executed
  notebooks) so that a build fails when an address, a phone number or a name
  from the invitation list got through anyway.

Phone numbers are Norwegian: eight digits written together or grouped
("22 33 44 55", "922 33 444"), optionally after +47 or 0047. Digits that are part
of a longer number, a decimal number, a date, a hex colour or an identifier never
count. Base64 image data and CSS are not text a reader sees and are not scanned.
"""

from __future__ import annotations

import functools
import html.parser
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EMAIL_MARK = "[e-post fjernet]"
PHONE_MARK = "[telefon fjernet]"
NAME_MARK = "[navn fjernet]"

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# A Norwegian subscriber number starts with 2-9; "+47 " / "0047 " may precede it.
# The look-arounds keep digits that belong to a longer number, a decimal number
# ("4,12345678"), a date or time, a hex colour or an identifier from counting.
_PHONE_BODY = r"[2-9]\d(?:\d{6}|\d \d{2} \d{3}| \d{2} \d{2} \d{2}| \d{3} \d{3})"
PHONE_RE = re.compile(
    r"(?<![\w#+])(?<!\d[.,:/-])(?:(?:\+|00)47[ \u00a0]?)?" + _PHONE_BODY
    + r"(?!\w|[.,:/-]\d)"
)
# Eight digits in a row that read as a date (YYYYMMDD, 1990-2039) are taken as one.
_COMPACT_DATE_RE = re.compile(r"(?:199\d|20[0-3]\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def _phones(text: str) -> list[re.Match]:
    return [m for m in PHONE_RE.finditer(text) if not _COMPACT_DATE_RE.fullmatch(m.group(0))]


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


_WORD_RE = re.compile(r"\w+")


class NameIndex:
    """Full names, indexed so that many texts can be searched for them quickly.

    A text is searched with one regular expression made of the names whose words
    all occur in it (usually none), not of every name on a list of thousands.
    Matching is case-insensitive and tolerates any whitespace between the words.
    """

    def __init__(self, names: Iterable[str]):
        distinct = {" ".join(n.split()) for n in names if n and n.strip()}
        self.names = tuple(sorted(distinct, key=lambda n: (-len(n), n)))
        self._by_word: dict[str, list[tuple[str, frozenset[str]]]] = {}
        self._wordless: list[str] = []
        for name in self.names:
            words = frozenset(w.casefold() for w in _WORD_RE.findall(name))
            if not words:
                self._wordless.append(name)
                continue
            self._by_word.setdefault(min(words), []).append((name, words))

    def pattern_for(self, text: str) -> re.Pattern | None:
        """A pattern for the names that may occur in ``text``; None when none can."""
        present = {w.casefold() for w in _WORD_RE.findall(text)}
        candidates = set(self._wordless)
        for word in present:
            candidates.update(name for name, words in self._by_word.get(word, ())
                              if words <= present)
        if not candidates:
            return None
        return _name_pattern(tuple(n for n in self.names if n in candidates))


@functools.lru_cache(maxsize=256)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One case-insensitive pattern matching any of ``names`` (longest first)."""
    parts = [r"\s+".join(re.escape(w) for w in name.split()) for name in names]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def name_index(names: Iterable[str] | NameIndex) -> NameIndex:
    """``names`` as a :class:`NameIndex`; build one once to search many texts."""
    return names if isinstance(names, NameIndex) else NameIndex(names)


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
        in place of what was removed. Addresses go first so that a name inside an
        address does not leave half an address behind.
    """
    if not text:
        return text
    out = EMAIL_RE.sub(EMAIL_MARK, text)
    for match in reversed(_phones(out)):
        out = out[:match.start()] + PHONE_MARK + out[match.end():]
    pattern = name_index(names).pattern_for(out)
    if pattern is not None:
        out = pattern.sub(NAME_MARK, out)
    return out


def find_in_text(text: str, names: Iterable[str] | NameIndex = ()) -> list[tuple[str, str]]:
    """List ``(kind, matched text)`` for every piece of personal data in ``text``."""
    found = [("e-post", m.group(0)) for m in EMAIL_RE.finditer(text)]
    found += [("telefon", m.group(0)) for m in _phones(text)]
    pattern = name_index(names).pattern_for(text)
    if pattern is not None:
        found += [("navn", m.group(0)) for m in pattern.finditer(text)]
    return found


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
