"""What a reader sees in a built report, and what must not be there.

``reader_text`` pulls the text out of a rendered HTML (visible text plus alt texts and
titles), DOCX (paragraphs and table cells, via python-docx) or PDF (page text and figure
alt texts). ``findings`` lists English
sentences (two English function words in a row, or a word no Norwegian sentence uses),
internal identifiers (the pipeline's input ids, file names with an extension, snake_case
tokens, our tool names) and missing-value markers.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# English function words that are not also common Norwegian words ("to", "by", "at",
# "be", "is", "for", "i" and "a" are left out for that reason).
ENGLISH = {"the", "of", "and", "with", "anyone", "can", "made", "built", "from", "this",
           "that", "which", "are", "was", "were", "has", "have", "been", "will", "would",
           "should", "could", "not", "into", "your", "you", "their", "they", "its", "or",
           "an", "on", "in", "it"}
ONLY_ENGLISH = {"the", "with", "which", "anyone", "should", "would", "could", "please",
                "pseudonyms", "recompute"}
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:csv|ya?ml|ipynb|py|json|xlsx|md|sav|txt)\b", re.I)
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
TOOLS = re.compile(r"\b(?:pipeline|notebook|lnutils|lnreport|papermill|stderr|stdout)\b",
                   re.I)
MISSING = re.compile(r"(?:<NA>|\bNaN\b|\bnan\b|\bNone\b|\bNA\b|\bNaT\b)")
WORD = re.compile(r"[A-Za-zÆØÅæøå]+")
# References to where our own example came from, not to anything in this report.
ORIGIN = re.compile(r"(?:den publiserte rapporten|i originalrapporten)", re.I)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"alt", "title", "aria-label"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def reader_text(path: Path) -> str:
    """The text a reader of ``path`` (HTML, DOCX or PDF) meets, one block per line."""
    if path.suffix == ".pdf":
        from support.pdf import read_pdf  # noqa: PLC0415 -- pypdf only when a PDF is read

        report = read_pdf(path)
        return "\n".join([*report.texts, *(f.alt or "" for f in report.figures)])
    if path.suffix == ".docx":
        import docx  # noqa: PLC0415 -- python-docx, a test dependency

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def english(text: str) -> list[str]:
    """Stretches of text that read as English."""
    found = []
    for line in text.splitlines():
        words = WORD.findall(line)
        lower = [w.lower() for w in words]
        for i, word in enumerate(lower):
            pair = i + 1 < len(lower) and word in ENGLISH and lower[i + 1] in ENGLISH
            if pair or word in ONLY_ENGLISH:
                found.append(" ".join(words[max(0, i - 3):i + 4]))
    return found


def identifiers(text: str, input_ids: set[str]) -> list[str]:
    """Internal names: input ids, file names, snake_case tokens, our tools' names."""
    found = FILE_NAME.findall(text) + SNAKE.findall(text) + TOOLS.findall(text)
    words = set(WORD.findall(text))
    found += sorted(i for i in input_ids if i in words)
    return found


def findings(path: Path, input_ids: set[str]) -> dict[str, list[str]]:
    """Everything in the output at ``path`` that a reader should not meet."""
    text = reader_text(path)
    return {k: v for k, v in {"english": english(text),
                              "identifiers": identifiers(text, input_ids),
                              "missing markers": MISSING.findall(text),
                              "origin": ORIGIN.findall(text)}.items() if v}
