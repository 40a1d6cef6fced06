"""What a column's answers are: the type and scale inferred from the values alone.

Used by :mod:`lnutils.inputs.inference` (``lnreport new``). :func:`classify` takes a
column's non-empty cells (and an SPSS file's value labels, when it has them) and says
whether they are a rating, a yes/no question, a single or multiple choice or free text,
with the codes, labels and non-answers the codebook needs, and a note for the evaluator
on everything the values cannot decide.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lnutils.inputs.codebook import normalise_label
from lnutils.privacy import find_in_text

NONANSWER_LABELS = ("vet ikke", "ikke aktuelt", "ikke relevant", "ikke deltatt",
                    "vet ikke/ikke aktuelt", "vet ikke / ikke aktuelt", "ønsker ikke å svare",
                    "vil ikke svare", "kan ikke svare", "ingen formening")
# Verbal rating scales, lowest step first; each step lists the wordings seen for it.
VERBAL_SCALES: dict[str, list[tuple[str, ...]]] = {
    "grad5": [("I svært liten grad", "I meget liten grad"), ("I liten grad",),
              ("I noen grad", "I noe grad", "I middels grad"), ("I stor grad",),
              ("I svært stor grad", "I meget stor grad")],
    "enig5": [("Helt uenig", "Svært uenig"), ("Delvis uenig", "Litt uenig", "Uenig"),
              ("Verken enig eller uenig", "Nøytral"), ("Delvis enig", "Litt enig", "Enig"),
              ("Helt enig", "Svært enig")],
    "god5": [("Svært dårlig", "Meget dårlig"), ("Dårlig",),
             ("Verken god eller dårlig", "Middels"), ("God",), ("Svært god", "Meget god")],
    "fornoyd5": [("Svært misfornøyd", "Meget misfornøyd"), ("Misfornøyd",),
                 ("Verken fornøyd eller misfornøyd",), ("Fornøyd",),
                 ("Svært fornøyd", "Meget fornøyd")],
    "nyttig5": [("Ikke nyttig", "Ikke nyttig i det hele tatt"), ("Lite nyttig",),
                ("Noe nyttig", "Litt nyttig"), ("Nyttig", "Ganske nyttig"),
                ("Svært nyttig", "Meget nyttig")],
    "ofte5": [("Aldri",), ("Sjelden",), ("Av og til", "Noen ganger"), ("Ofte",),
              ("Alltid", "Svært ofte")],
}
YES, NO = "Ja", "Nei"
# Words in a question's wording that make whole numbers a rating rather than codes.
RATING_CUES = re.compile(r"i hvilken grad|hvor (fornøyd|nyttig|godt|god|viktig|enig|"
                         r"tilfreds|sannsynlig|ofte|mye)|grad\b|skala|vurder|enig|fornøyd|"
                         r"tilfreds|nytte|\b1\s*[-–=]", re.IGNORECASE)
DELIMITERS = (";", "|", ",")
INT_CODE = re.compile(r"^-?\d+(\.0+)?$")
_NUMBERED = re.compile(r"^(\d+)\s*(?:[-–=.:)]\s*)?(\S.*)?$")
MAX_CHOICES = 15  # more distinct short answers than this: free text
MAX_LABEL = 80
SHORT_LABEL = 30  # longer answers that no one else gave are free text


@dataclass
class AnswerKind:
    """What a set of values is: its type, codes and labels, and notes."""

    type: str  # single | rating | yesno | text | multi
    codes: dict[int, str] = field(default_factory=dict)
    nonanswers: dict[int, str] = field(default_factory=dict)
    scale: str = ""  # name of a known verbal scale, "numeric", or ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    # The non-answer codes were given here (the export holds their labels), so they may
    # be renumbered; codes from the file (numbers, SPSS) may not.
    own_nonanswer_codes: bool = False


def _is_nonanswer(label: str) -> bool:
    return normalise_label(label) in NONANSWER_LABELS


def _verbal_scale(labels: list[str]) -> tuple[str, dict[int, str]] | None:
    """The known verbal scale all labels belong to: ``(name, {code: label})``.

    A middle step may be worded in a way we have not listed ("Verken eller", "Hverken
    god eller dårlig"): when every other label matches a step of one scale, its ends
    included, and exactly one inner step is left for exactly one label, that label is
    the step.
    """
    for name, steps in VERBAL_SCALES.items():
        found: dict[int, str] = {}
        for code, wordings in enumerate(steps, start=1):
            keys = {_scale_key(alt) for alt in wordings}
            found[code] = next((w for w in labels if _scale_key(w) in keys), "")
        unmatched = [w for w in labels if w not in found.values()]
        empty = [code for code, label in found.items() if not label]
        if len(unmatched) == 1 and len(empty) == 1 and 1 < empty[0] < len(steps) \
                and found[1] and found[len(steps)]:
            found[empty[0]] = unmatched[0]
            unmatched = []
        if labels and not unmatched:
            return name, {code: label or steps[code - 1][0] for code, label in found.items()}
    return None


def _scale_key(label: str) -> str:
    """A scale label compared without case, spacing or the old spelling "hverken"."""
    return re.sub(r"\bhverken\b", "verken", normalise_label(label))


def _numbered(labels: list[str]) -> dict[int, str] | None:
    """Labels like "1 I liten grad", "2", ... "6 I stor grad": code -> label, or None."""
    found: dict[int, str] = {}
    for label in labels:
        match = _NUMBERED.match(label)
        if not match:
            return None
        code = int(match.group(1))
        if match.group(2) or code not in found:
            found[code] = label
    return found


def _ordered_labels(values: list[str]) -> list[str]:
    """Distinct values in the order they first appear, spelled as first seen."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(normalise_label(value), " ".join(value.split()))
    return list(seen.values())


def classify(values: list[str], wording: str = "", value_labels: dict[str, str] | None = None,
             *, matrix: bool = False) -> AnswerKind:
    """What one column's non-empty values are (see the module docstring).

    ``matrix``: the values are the answers of a radio matrix's rows, where whole numbers
    are a rating whatever the wording says.
    """
    if value_labels:
        return _classify_labelled(values, value_labels)
    if not values:
        return AnswerKind("text", notes=["no answers in the export: the type could not be "
                                    "inferred (set to text)"])
    if all(INT_CODE.match(v) for v in values):
        return _classify_numbers(sorted({int(float(v)) for v in values}), wording, matrix)
    if any(find_in_text(v) for v in set(values)):
        # Answers would become option labels, shown in figures; free text is redacted.
        return AnswerKind("text", notes=["the answers hold e-mail addresses or phone "
                                         "numbers: kept as free text, which reports redact"])
    delimited = _delimited(values)
    if delimited is not None:
        return delimited
    labels = _ordered_labels(values)
    opinions = [x for x in labels if not _is_nonanswer(x)]
    nonanswers = [x for x in labels if _is_nonanswer(x)]
    return _classify_labels(opinions, nonanswers, values)


def _classify_labels(opinions: list[str], nonanswers: list[str], values: list[str]) -> AnswerKind:
    if opinions and {normalise_label(x) for x in opinions} <= {"ja", "nei"}:
        return _with_nonanswers(AnswerKind("yesno", {1: YES, 2: NO}, scale="janei"), nonanswers)
    verbal = _verbal_scale(opinions)
    if verbal is not None:
        name, codes = verbal
        kind = _with_nonanswers(AnswerKind("rating", codes, scale=name), nonanswers)
        unseen = [label for code, label in codes.items()
                  if normalise_label(label) not in {normalise_label(x) for x in opinions}]
        if unseen:
            kind.notes.append(f"the steps {', '.join(map(repr, unseen))} were not chosen by "
                              "anyone: check that the questionnaire offered them")
        return kind
    numbered = _numbered(opinions)
    if numbered is not None and len(numbered) >= 2:
        codes = {c: numbered.get(c, str(c)) for c in range(min(1, min(numbered)),
                                                           max(numbered) + 1)}
        kind = _with_nonanswers(AnswerKind("rating", codes, scale="numeric"), nonanswers)
        kind.notes.append(f"a {min(codes)}-{max(codes)} scale from the highest answer "
                          "given: check the scale's end points in the questionnaire")
        return kind
    longest = max((len(v) for v in values), default=0)
    many = len(opinions) > MAX_CHOICES or (len(values) >= 10 and len(opinions) > len(values) / 2)
    # Answers nobody repeats that read as sentences are what people wrote themselves.
    sentences = sum(v.rstrip()[-1:] in ".!?" for v in values)
    prose = sentences * 2 >= len(values) or (len(opinions) == len(values) and any(
        len(v) > SHORT_LABEL or v.rstrip()[-1:] in ".!?" for v in opinions))
    if not opinions:
        return AnswerKind("text", notes=[
            f"only non-answers ({', '.join(map(repr, nonanswers))}) in the export: the "
            "type could not be inferred (set to text)"])
    if longest > MAX_LABEL or many or prose:
        return AnswerKind("text")
    kind = _with_nonanswers(AnswerKind("single", dict(enumerate(opinions, start=1))), nonanswers)
    kind.notes.append("options in the order they first appear in the export: put them in "
                      "the questionnaire's order (keep each label with its code)")
    return kind


def _with_nonanswers(kind: AnswerKind, nonanswers: list[str]) -> AnswerKind:
    """Non-answers coded after the scale, in one order ("Vet ikke" first) for every
    question, so that questions offering the same non-answers share their codes."""
    def rank(label: str) -> int:
        return NONANSWER_LABELS.index(normalise_label(label))

    top = max([*kind.codes, 0])
    kind.nonanswers = {top + i: label
                       for i, label in enumerate(sorted(nonanswers, key=rank), start=1)}
    kind.own_nonanswer_codes = True
    return kind


def _classify_numbers(codes: list[int], wording: str, matrix: bool = False) -> AnswerKind:
    """Whole numbers: a rating (matrix rows, a rating word, or seven values and more),
    else a choice whose labels the export does not give."""
    if codes[0] < 0 or codes[-1] > 99 or len(codes) > 11:
        return AnswerKind("text", notes=["numbers that are not answer codes (there is no number "
                                    "type): kept as text"])
    if len(codes) == 1 and codes[0] in (0, 1):
        return AnswerKind("single", {0: "0", 1: "1"},
                     notes=["only 0/1 answers: write what 0 and 1 mean"])
    low = 0 if codes[0] == 0 else 1
    run, apart = _run_and_apart(codes)
    opinions = {c: str(c) for c in range(low, run + 1)}
    if matrix or len(opinions) >= 7 or RATING_CUES.search(wording or ""):
        kind = AnswerKind("rating", opinions, {c: "Vet ikke" for c in apart}, scale="numeric",
                     notes=[f"a {low}-{run} rating from the highest answer given: check the "
                            "end points and label them (e.g. '1 I liten grad')"])
        if apart:
            kind.notes.append(f"code {', '.join(map(str, apart))} stands apart from the "
                              f"scale {low}-{run}: taken as a non-answer 'Vet ikke'; check "
                              "what it means")
        return kind
    return AnswerKind("single", {c: str(c) for c in range(low, codes[-1] + 1)},
                 notes=["the export holds codes only: write each option's label (or, if this "
                        "is a 1-N rating, make it type rating with a scale)"])


def _run_and_apart(codes: list[int]) -> tuple[int, list[int]]:
    """The end of the scale's run of codes, and codes well above it (9 after 1-5, 99).

    Survey tools give "Vet ikke" a code apart from the scale: the highest code, after a
    gap of three or more following at least three codes given, marks it (two codes
    apart are more likely the top of a longer scale with steps nobody chose).
    """
    if len(codes) >= 4 and codes[-1] - codes[-2] > 2:
        return codes[-2], codes[-1:]
    return codes[-1], []


def _delimited(values: list[str]) -> AnswerKind | None:
    """A multiple choice exported as one column of options joined by a delimiter."""
    for delimiter in DELIMITERS:
        split = [[p.strip() for p in v.split(delimiter) if p.strip()] for v in values]
        if not any(len(parts) > 1 for parts in split):
            continue
        counts = Counter(p for parts in split for p in parts)
        options = _ordered_labels([p for parts in split for p in parts])
        # Option labels start like labels; sentences split at a comma do not.
        label_like = all(p[0].isupper() or p[0].isdigit() for p in options) and not any(
            v.rstrip()[-1:] in ".!?" for v in values)
        if (label_like and len(options) <= MAX_CHOICES and max(map(len, options)) <= MAX_LABEL
                and len(options) < len(values) + 2 and min(counts.values()) >= 1
                and len(options) < sum(counts.values())):
            return AnswerKind("multi", dict(enumerate(options, start=1)), delimiter=delimiter,
                         notes=[f"multiple choice in one column, options joined by "
                                f"{delimiter!r}: options nobody chose are missing, and the "
                                "order is as first seen"])
    return None


def _classify_labelled(values: list[str], value_labels: dict[str, str]) -> AnswerKind:
    """SPSS values with value labels: the file's own codes, classified by their labels."""
    labels = {int(float(k)): v for k, v in value_labels.items() if INT_CODE.match(k)}
    unlabelled = sorted({int(float(v)) for v in values if INT_CODE.match(v)} - set(labels))
    for code in unlabelled:
        labels[code] = str(code)
    if not labels or any(not INT_CODE.match(v) for v in values):
        return classify(values)
    opinions = {c: x for c, x in sorted(labels.items()) if not _is_nonanswer(x)}
    nonanswers = {c: x for c, x in sorted(labels.items()) if _is_nonanswer(x)}
    names = list(opinions.values())
    worded = [x for x in names if not x.isdigit()]
    # Scales labelled at their end points only: "1 = I svært liten grad" ... "5 = ...".
    ends_only = len(opinions) >= 3 and {c for c, x in opinions.items() if not x.isdigit()} \
        <= {min(opinions), max(opinions)}
    if names and {normalise_label(x) for x in names} <= {"ja", "nei"}:
        kind = AnswerKind("yesno", opinions, nonanswers, scale="janei")
    elif (worded and _verbal_scale(worded) is not None) or ends_only:
        filled = {c: opinions.get(c, str(c)) for c in range(min(opinions), max(opinions) + 1)}
        verbal = _verbal_scale(worded) if worded else None
        kind = AnswerKind("rating", filled, nonanswers, scale=verbal[0] if verbal else "numeric")
    elif _numbered(names) is not None and len(names) >= 3:
        kind = AnswerKind("rating", opinions, nonanswers, scale="numeric")
    else:
        kind = AnswerKind("single", {**opinions, **nonanswers})
    if unlabelled:
        kind.notes.append(f"codes {', '.join(map(str, unlabelled))} have no value label in "
                          "the file: write their labels")
    return kind


# --- questions -----------------------------------------------------------------------------


