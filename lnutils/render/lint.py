"""The text linter: data-dependent words and typed numbers that nothing checks.

A number typed into a narrative goes stale when the data change; so does a word
such as «flertallet», «ingen» or «lavest». This module finds both in narrative
Markdown and in the Markdown cells of chapter notebooks, so that every one of them
is either produced by a placeholder or checked by a claim or a conditional
(:mod:`lnutils.render.claims`). The rule (also in ``reports/README.md``):

- The text is cut into sentences (and headings and list items). A sentence is
  *covered* when it holds a ``{{< claim ... >}}``, and a word is covered when it
  stands inside an ``{{< if ... >}}`` block (in any branch). A placeholder alone
  does not cover a sentence's words: «Bare {{< fact n >}} svarte ja» stays a
  judgement that a claim must back (``{{< claim n * 2 < total >}}``).
- A *data word* (:data:`DATA_WORDS`: quantifiers, rankings, changes) in a sentence
  that is not covered is a finding.
- A *typed number* (digits in the text that no placeholder produces) outside a
  covered sentence is a finding, except what is not data (:data:`ALLOWED_NUMBERS`):
  dates and years, references to the report's own parts («del 3», «vedlegg 2»),
  and a number that opens a heading.

Words inside placeholders, code, links' targets, cross-references and HTML comments
are not read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lnutils.render.claims import block_structure, find_directives
from lnutils.render.placeholders import PLACEHOLDER_RE

# Words whose truth depends on the data; matched case-insensitively as whole words.
DATA_WORDS = (
    # quantifiers over people, teams, regions
    "ingen", "ingenting", "ikke noen", "alle", "samtlige", "hver", "hvert", "hele",
    "flertallet", "de fleste", "majoriteten", "mindretallet", "halvparten",
    "bare", "kun", "alene", "dekker alle", "like mange", "like høyt", "like lavt",
    "mer enn", "mindre enn", "flere enn", "færre enn", "over halvparten",
    "under halvparten", "minst", "mest", "flest", "færrest",
    # rankings
    "høyest", "høyeste", "lavest", "laveste", "best", "beste", "dårligst", "dårligste",
    "svakest", "svakeste", "sterkest", "sterkeste", "størst", "største", "minste",
    "oftest", "sjeldnest", "kom best", "kom dårligst", "vanligst", "vanligste",
    "hyppigst", "hyppigste",
    # changes over time and absolute statements about events
    "økte", "sank", "falt", "gikk ned", "gikk opp", "umulig", "aldri", "alltid",
    "ikke lenger",
)
_WORD_RE = re.compile(r"(?<![\w-])(" + "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(DATA_WORDS, key=len, reverse=True))
    + r")(?![\w-])", re.IGNORECASE)

_MONTHS = ("januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
           "desember")
# Numbers that are not data: dates and years, the report's own parts.
ALLOWED_NUMBERS = (
    rf"\b\d{{1,2}}\.\s+(?:{_MONTHS})(?:\s+\d{{4}})?",           # 26. august 2021
    rf"\b(?:{_MONTHS})\s+\d{{4}}\b",                             # mars 2020
    r"\b(?:19|20)\d{2}\b",                                        # 2021, 2019–2021
    r"\b(?:del|vedlegg|kapittel|figur|tabell)\s+\d+\b",           # del 3
)
_ALLOWED_RE = re.compile("|".join(ALLOWED_NUMBERS), re.IGNORECASE)
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")

# Not prose: code, comments, link targets, cross-references, attributes.
_NOT_PROSE = re.compile(
    r"```.*?```|~~~.*?~~~|<!--.*?-->|`[^`\n]*`|\]\([^)\n]*\)|@(?:fig|tbl|sec)-[\w-]+"
    r"|\{[#.][^}\n]*\}", re.DOTALL)
_BOUNDARY = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)|\n(?=#)|(?<=[.!?])\s+(?=[^\sa-zæøå])")
_MASK = "\u00a7"  # what hidden text is replaced by (keeps every position)


@dataclass(frozen=True)
class Finding:
    """One uncovered data word or typed number."""

    source: str
    line: int
    word: str
    kind: str  # "word" or "number"
    sentence: str

    def format(self) -> str:
        what = "data word" if self.kind == "word" else "typed number"
        return (f"{self.source}, line {self.line}: {what} {self.word!r} in a sentence no "
                f"placeholder, claim or conditional covers: «{self.sentence}»")


def _mask(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: re.sub(r"[^\n]", _MASK, m.group(0)), text)


def lint_text(text: str, source: str | Path, first_line: int = 1) -> list[Finding]:
    """Findings of one Markdown text (see the module docstring for the rule)."""
    directives = find_directives(text, first_line)
    blocks, problems = block_structure(directives, lambda line: f"{source}, line {line}")
    covered = [(b.opening.start, b.end.end) for b in blocks if b.end is not None]
    claims = [d.start for d in directives if d.name == "claim"]
    masked = _mask(_mask(text, _NOT_PROSE), PLACEHOLDER_RE)
    for d in directives:
        masked = masked[:d.start] + re.sub(r"[^\n]", _MASK, masked[d.start:d.end]) \
            + masked[d.end:]
    findings = [Finding(str(source), first_line, p, "structure", "") for p in problems]
    for start, end in _sentences(masked):
        if any(start <= c < end for c in claims):
            continue
        sentence = masked[start:end]
        hits = [(m.start(), m.group(0), "word") for m in _WORD_RE.finditer(sentence)]
        numbers = _mask(_heading_number(sentence), _ALLOWED_RE)
        hits += [(m.start(), m.group(0), "number") for m in _NUMBER_RE.finditer(numbers)]
        for offset, word, kind in sorted(hits):
            position = start + offset
            if any(s <= position < e for s, e in covered):
                continue
            line = first_line + text.count("\n", 0, position)
            shown = " ".join(text[start:end].split())
            findings.append(Finding(str(source), line, " ".join(word.split()), kind,
                                    shown[:160]))
    return findings


def _heading_number(sentence: str) -> str:
    """Hide the number that opens a heading ("## 3.1 Resultater")."""
    return re.sub(r"^(\s*#+\s+)([\d.]+)", lambda m: m.group(1) + _MASK * len(m.group(2)),
                  sentence)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# --- the texts of a pipeline ----------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One Markdown text of a report: a narrative, or a notebook's Markdown cell.

    Attributes
    ----------
    source : the file (and cell) named in messages.
    text : the Markdown.
    main : whether the main report shows it.
    subreports : whether the sub-reports show it.
    """

    source: str
    text: str
    main: bool = True
    subreports: bool = False


def pipeline_pieces(pipeline) -> list[Piece]:
    """Every Markdown text the pipeline's reports show: narratives and notebook cells."""
    from lnutils import paths

    pieces = []
    for narrative in pipeline.spec.narratives:
        path = paths.reports_dir() / narrative.file
        mode = narrative.subreports
        pieces.append(Piece(str(path), path.read_text(encoding="utf-8"),
                            main=mode != "only", subreports=mode in (True, "only")))
    for chapter in pipeline.spec.chapters:
        path = pipeline.notebook_path(chapter)
        if not path.is_file():
            continue  # a missing notebook is the plan's error (lnreport validate, build)
        for number, source in notebook_markdown(path):
            pieces.append(Piece(f"{path}, cell {number}", source,
                                main=chapter.fanout != "only",
                                subreports=bool(pipeline.spec.fanout) and bool(chapter.fanout)))
    return pieces


def notebook_markdown(path: Path) -> list[tuple[int, str]]:
    """(cell number, source) of every Markdown cell of a notebook (cells count from 1)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            cells.append((number, "".join(source) if isinstance(source, list) else source))
    return cells


def lint_pipeline(pipeline) -> list[Finding]:
    """Findings in every narrative and notebook Markdown cell of a pipeline."""
    return [f for piece in pipeline_pieces(pipeline) for f in lint_text(piece.text, piece.source)]


def check_pipeline_texts(pipeline, facts, *, region: bool = False) -> list[str]:
    """Resolve every text the report (or a sub-report) shows; return what fails.

    Claims, conditionals and placeholders are checked against ``facts`` exactly as the
    render does, without executing a notebook: a fast check of a new data set.
    """
    from lnutils.render.errors import RenderError
    from lnutils.render.placeholders import resolve_text

    problems = []
    for piece in pipeline_pieces(pipeline):
        if not (piece.subreports if region else piece.main):
            continue
        try:
            resolve_text(piece.text, facts, piece.source)
        except RenderError as exc:
            problems.append(str(exc))
    return problems
