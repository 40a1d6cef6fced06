"""Person names in free text, found however they are spelled.

Names are compared on *folded* text: Unicode NFC, case folded, Nordic letters and
other diacritics folded (ø, ö -> o; æ, ä -> ae; å -> aa; é -> e), hyphens and every
kind of space made one space, apostrophes dropped. A name then matches as its words
in any order ("Ramsli, Hilde"), with a Norwegian possessive or inflected ending on a
word ("Hilde Ramslis", "Ramslien"), and with only one part of a double surname
("Synnøve Bakk" for "Synnøve Øyen-Bakk") or without a middle name ("Anne Dahl" for
"Anne Berg Dahl").

:class:`NameIndex` holds the names of an invitation list (tens of thousands) so that
each text is searched only for the few names whose words all occur in it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

# Letters that do not decompose into a base letter and a mark, or that Norwegians
# spell in two letters; ä and ö are the Swedish/German spellings of æ and ø.
_LETTERS = {"ø": "o", "ö": "o", "œ": "oe", "æ": "ae", "ä": "ae", "å": "aa", "ß": "ss",
            "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i"}
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\u00ad"
_APOSTROPHES = "'\u2019\u02bc\u00b4`"
# Endings a name takes in Norwegian text: possessive -s, and -es/-en/-ens (Hansens, Bakken).
SUFFIXES = ("s", "es", "en", "ens")
_MIN_STEM = 2
_TOKEN_RE = re.compile(r"\w+")
# What may stand between two words of one name: spaces and at most one comma.
_GAP_RE = re.compile(r" *,? *")
_IRREGULAR_RE = re.compile(r"[^\x00-\x26\x28-\x5f\x61-\x7f]")


def _fold_char(char: str) -> str:
    if char.isspace() or char in _DASHES:
        return " "
    if char in _APOSTROPHES:
        return ""
    out = []
    for ch in char.casefold():
        if ch in _LETTERS:
            out.append(_LETTERS[ch])
            continue
        out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(out)


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``text`` folded for comparing names (see module docs); may change its length."""
    return unicodedata.normalize("NFC", text).translate(_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded ``text`` and, per folded character, its index in ``text`` (NFC).

    The caller gets ``unicodedata.normalize("NFC", text)`` positions; the last entry
    is the length, so a span ``[a, b)`` of the folded text maps to
    ``[offsets[a], offsets[b])``.
    """
    offsets: list[int] = []
    done = 0
    # Every ASCII character but the apostrophes folds to one character: only the
    # others need a look, which keeps long texts fast.
    for match in _IRREGULAR_RE.finditer(text):
        index = match.start()
        offsets.extend(range(done, index))
        offsets.extend([index] * len(_TABLE[ord(match.group(0))]))
        done = index + 1
    offsets.extend(range(done, len(text)))
    offsets.append(len(text))
    return text.translate(_TABLE), offsets


@functools.lru_cache(maxsize=1 << 16)
def stems(token: str) -> frozenset[str]:
    """A folded word and what it is without a Norwegian name ending."""
    return frozenset([token] + [token[:-len(suffix)] for suffix in SUFFIXES
                                if token.endswith(suffix) and len(token) - len(suffix)
                                >= _MIN_STEM])


def name_variants(name: str) -> set[tuple[str, ...]]:
    """The folded word lists a name is recognised by.

    The full name; with three words or more, the first and the last word; with a
    hyphenated surname, the given names with each part of the surname alone.
    """
    words = unicodedata.normalize("NFC", name).split()
    full = tuple(_TOKEN_RE.findall(fold(name)))
    if not full:
        return set()
    variants = {full}
    if len(words) >= 3:
        first, last = _TOKEN_RE.findall(fold(words[0])), _TOKEN_RE.findall(fold(words[-1]))
        variants.add(tuple(first + last))
    surname = _TOKEN_RE.findall(fold(words[-1]))
    if len(words) >= 2 and len(surname) >= 2:
        given = [t for w in words[:-1] for t in _TOKEN_RE.findall(fold(w))]
        variants.update(tuple(given + [part]) for part in surname)
    return variants


# One spelling of a listed name: (listed name, its folded words in order, the distinct
# words). Plain tuples of strings, so that once the garbage collector has seen an index
# it stops tracking it (CPython untracks such tuples, not instances of classes): an
# index of tens of thousands of names kept for a whole build then costs nothing in
# every later collection.
_Variant = tuple[str, tuple[str, ...], tuple[str, ...]]


class NameIndex:
    """Full names, indexed so that many texts can be searched for them quickly.

    Parameters
    ----------
    names : full names as written in the invitation list.

    Notes
    -----
    Each spelling variant of a name is filed under its longest word. A text is
    folded and split into words once; only variants whose words all occur in the
    text (allowing name endings) are then looked for as runs of adjacent words.
    """

    def __init__(self, names: Iterable[str]):
        distinct = {" ".join(n.split()) for n in names if n and n.strip()}
        self.names = tuple(sorted(distinct, key=lambda n: (-len(n), n)))
        by_word: dict[str, list[_Variant]] = {}  # filed under the variant's longest word
        for name in self.names:
            for tokens in name_variants(name):
                variant = (name, tokens, tuple(sorted(set(tokens))))
                by_word.setdefault(max(tokens, key=len), []).append(variant)
        self._by_word = {word: tuple(variants) for word, variants in by_word.items()}

    def __len__(self) -> int:
        return len(self.names)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Names in ``text`` as ``(start, end, listed name)``, spans in NFC ``text``.

        Overlapping matches keep the longest; spans are in text order.
        """
        if not self._by_word or not text:
            return []
        folded = fold(text)
        tokens = list(_TOKEN_RE.finditer(folded))
        token_stems = [stems(m.group(0)) for m in tokens]
        present = set().union(*token_stems) if token_stems else set()
        spans = []
        for word in [w for w in present if w in self._by_word]:
            for name, spelled, words in self._by_word[word]:
                if present.issuperset(words):
                    spans += [(a, b, name)
                              for a, b in _runs(spelled, words, tokens, token_stems, folded)]
        if not spans:
            return []
        nfc = unicodedata.normalize("NFC", text)
        _, offsets = fold_with_offsets(nfc)
        chosen = _longest_first(spans)
        return [(offsets[a], offsets[b], name) for a, b, name in chosen]


def _runs(spelled: tuple[str, ...], words: tuple[str, ...], tokens: list[re.Match],
          token_stems: list[frozenset[str]], folded: str) -> list[tuple[int, int]]:
    """Spans (in folded text) where a variant's words (``spelled``) stand next to each other."""
    size = len(spelled)
    found = []
    for start in range(len(tokens) - size + 1):
        if token_stems[start].isdisjoint(words):
            continue
        window = range(start, start + size)
        if any(not _GAP_RE.fullmatch(folded[tokens[i].end():tokens[i + 1].start()])
               for i in window[:-1]):
            continue
        if _assign([token_stems[i] for i in window], list(spelled)):
            found.append((tokens[start].start(), tokens[start + size - 1].end()))
    return found


def _assign(window: list[frozenset[str]], wanted: list[str]) -> bool:
    """Whether each word of the window can stand for a different wanted name word."""
    if not window:
        return not wanted
    head, rest = window[0], window[1:]
    for i, word in enumerate(wanted):
        if word in head and _assign(rest, wanted[:i] + wanted[i + 1:]):
            return True
    return False


def _longest_first(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    for a, b, name in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(b <= c or a >= d for c, d, _ in chosen):
            chosen.append((a, b, name))
    return sorted(chosen)
