"""Text from data, made literal for the report's Markdown.

Free-text answers, quotes, self-evaluations, labels, names of groups and regions and
codebook wording reach the report through Markdown (a chapter's ``Markdown(...)``
output, a fact placeholder in a narrative). Pandoc's Markdown reads far more than
emphasis: raw HTML and TeX, links, images, citations (``@word``), math (``$x$``), lists
(a line starting "14. august" or "* "), headings, tables, footnotes, attributes. Text
from data must reach HTML, DOCX and PDF as the characters it holds, so it is escaped
once, where it enters Markdown, by :func:`escape_markdown`.

Every ASCII character that can open or close markup is backslash-escaped (pandoc
reads ``\\X`` as a literal X for any punctuation), lines lose their leading spaces
(four would make a code block) and control characters, including the bidirectional
overrides that can make text display in another order than it reads, are removed.
"""

from __future__ import annotations

import re
import unicodedata

# Pandoc's Markdown (all_symbols_escapable) reads a backslash before any ASCII
# punctuation as that character, literally. Escaped: every character that can start or
# close markup, and the straight quotes (smart typography would turn them into « »).
# Left alone, to keep the resolved text readable: , ; ? % /
_MARKUP = "\\`*_{}[]()<>#+-.!|~^$@&=:\"'"
_PUNCTUATION = re.compile("([" + re.escape(_MARKUP) + "])")
# Explicit bidirectional formatting (embeddings, overrides, isolates) and other
# invisible format characters that change how text is shown, not what it says.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_SPACES = re.compile(r"[ \t]+")


def clean_text(text: object) -> str:
    """``text`` as a string without control or bidirectional formatting characters.

    Line breaks are kept (as ``\\n``); tabs become spaces; every other control character
    (C0, C1, DEL) and the bidi embeddings, overrides and isolates are removed.
    """
    value = "" if text is None else str(text)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _BIDI.sub("", value)
    return "".join(ch for ch in value
                   if ch in "\n\t" or unicodedata.category(ch) != "Cc").replace("\t", " ")


def escape_markdown(text: object, *, lines: bool = True) -> str:
    """``text`` as pandoc Markdown that reads back as exactly its characters.

    Parameters
    ----------
    text : a value from data (converted with ``str``; None gives "").
    lines : keep the text's line breaks: a blank line parts paragraphs, a single break
        stays a soft break. With ``lines=False`` the text becomes one line, for a value
        used inside a sentence, a heading or a list item.

    Examples
    --------
    >>> escape_markdown("14. august 2019 *ble* <b>bra</b>")
    '14\\\\. august 2019 \\\\*ble\\\\* \\\\<b\\\\>bra\\\\</b\\\\>'
    """
    value = clean_text(text)
    if not lines:
        value = " ".join(value.split())
    out = []
    for line in value.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        out.append(_PUNCTUATION.sub(r"\\\1", line))
    return "\n".join(out)


def markdown_list(items, *, quote: tuple[str, str] = ("", "")) -> str:
    """A Markdown bullet list of data texts, each escaped and on one line.

    ``quote`` wraps each item (``("«", "»")`` for quotations).
    """
    opening, closing = quote
    return "\n".join(f"- {opening}{escape_markdown(item, lines=False)}{closing}"
                     for item in items)
