"""``lnreport new``: a new network's folder, draft codebook, pipeline and narrative.

From a survey export (and optionally an invitation list) it writes

- ``data/NAME/``: the raw files, copied byte for byte, and ``codebook.yml``, a draft
  inferred from the export (:mod:`lnutils.inputs.inference`);
- ``pipelines/NAME.yml``: one generic section per block of questions (chapters on
  ``notebooks/survey_section.ipynb``), the response rate by invitation-list group in the
  first section when the list's groups are a question's options, the method appendix,
  and a fan-out by region when the list's regions are;
- ``reports/NAME/*.md``: a summary and one text per section, every number and every
  word that depends on the data written as a fact placeholder.

What the inference could not decide is marked ``# TODO(evaluator): ...`` in the YAML.
Nothing is ever overwritten: when a file to be written exists, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lnutils import paths
from lnutils.inputs.codebook import normalise_label
from lnutils.inputs.inference import Draft, infer_codebook
from lnutils.inputs.invitations import PseudonymKeyWarning, load_invitations
from lnutils.problems import DataError

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
SECTION_NOTEBOOK = "notebooks/survey_section.ipynb"
METHOD_NOTEBOOK = "notebooks/metode.ipynb"
TODO = "# TODO(evaluator): "
# Invitation-list group fields, in the order a response-rate figure prefers them.
GROUP_FIELDS = ("region", "organisation_type", "role", "arena")


class ScaffoldRefused(Exception):
    """The scaffold would overwrite files or was given a bad name (exit status 2)."""


@dataclass
class Scaffold:
    """What ``lnreport new`` writes: relative path -> text or source file to copy."""

    name: str
    texts: dict[Path, str]
    copies: dict[Path, Path]
    draft: Draft


def plan_scaffold(name: str, export: Path, invitations: Path | None = None, *,
                  today: dt.date | None = None) -> Scaffold:
    """Infer the draft and compose every file, without writing anything.

    Raises
    ------
    ScaffoldRefused
        When the name is not a pipeline name, or an input file is missing.
    DataError
        When the export cannot be read.
    """
    if not re.match(NAME_PATTERN, name):
        raise ScaffoldRefused(f"{name!r} is not a pipeline name: use lower-case letters, "
                              "digits, '-' and '_' (e.g. 'agder-2025')")
    for given in (export, invitations):
        if given is not None and not Path(given).is_file():
            raise ScaffoldRefused(f"{given}: file not found")
    export = Path(export)
    draft = infer_codebook(export, name)
    data = Path("data") / name
    copies = {data / export.name: export}
    if invitations is not None:
        invitations = Path(invitations)
        if invitations.name in (export.name, "codebook.yml"):
            raise ScaffoldRefused(f"{invitations}: give the invitation list another file name "
                                  "than the export's")
        copies[data / invitations.name] = invitations
    groups = _matched_groups(draft, invitations)
    sections = _sections(draft)
    texts = {data / "codebook.yml": codebook_yaml(draft, export.name)}
    texts[Path("pipelines") / f"{name}.yml"] = pipeline_yaml(
        name, draft, sections, export.name, invitations.name if invitations else None,
        groups, today or dt.date.today())
    texts[Path("reports") / name / "sammendrag.md"] = summary_markdown(bool(invitations))
    for section in sections:
        texts[Path("reports") / name / f"{section['id']}.md"] = section_markdown(draft, section)
    return Scaffold(name, texts, copies, draft)


def write_scaffold(scaffold: Scaffold, root: Path | None = None) -> list[Path]:
    """Write the files of a planned scaffold; refuse if any of them exists.

    Raises
    ------
    ScaffoldRefused
        Naming every file that exists already; nothing is written then.
    """
    root = root or paths.repo_root()
    # A raw file already in its place (the export saved into data/NAME/) stays as it is.
    copies = {target: source for target, source in scaffold.copies.items()
              if not ((root / target).exists() and (root / target).samefile(source))}
    targets = [*copies, *scaffold.texts]
    existing = [str(t) for t in targets if (root / t).exists()]
    if existing:
        raise ScaffoldRefused("these files exist already and are never overwritten: "
                              + ", ".join(existing) + ". Choose another name, or move them "
                              "away first")
    written = []
    for target, source in copies.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / target)  # the raw bytes, unchanged
        written.append(target)
    for target, text in scaffold.texts.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        with open(root / target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(target)
    return written


# --- what the invitation list and the sections give --------------------------------------


def _matched_groups(draft: Draft, invitations: Path | None) -> dict[str, str]:
    """Invitation-list group field -> the single-choice question with the same groups.

    These become the first section's ``response:`` (response rate by group).

    A question matches a field when at least half of its option labels are values of
    the field. A list that does not load gives no matches (validation will say why).
    """
    if invitations is None:
        return {}
    try:
        with warnings.catch_warnings():
            # Only the group columns are read here; no pseudonym leaves this function.
            warnings.simplefilter("ignore", PseudonymKeyWarning)
            listed = load_invitations(invitations)
    except DataError:
        return {}
    matches: dict[str, str] = {}
    for name in GROUP_FIELDS:
        if name not in listed.columns:
            continue
        values = {normalise_label(v) for v in listed[name].dropna().astype(str)}
        best, best_share = "", 0.5
        for q in draft.codebook["questions"]:
            labels = [normalise_label(x) for x in (q.get("options") or {}).values()]
            if q["type"] != "single" or not labels or q["id"] in matches.values():
                continue
            share = sum(label in values for label in labels) / len(labels)
            if share >= best_share:
                best, best_share = q["id"], share
        if best:
            matches[name] = best
    return matches


def _sections(draft: Draft) -> list[dict[str, Any]]:
    sections = []
    for number, block in enumerate(draft.blocks, start=1):
        first = draft.question(block[0])
        background = number == 1 and first["type"] in ("single", "multi")
        sections.append({"id": "bakgrunn" if background else f"del{number}",
                         "title": "Om respondentene" if background
                         else f"Spørsmålsblokk {number}", "questions": list(block)})
    return sections


# --- YAML ----------------------------------------------------------------------------------


def _dump(data: Any, indent: int = 0) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _todos(notes: list[str], indent: int = 0) -> str:
    return "".join(f"{' ' * indent}{TODO}{note}\n" for note in notes)


def codebook_yaml(draft: Draft, export_name: str) -> str:
    """The draft codebook as YAML, with the evaluator's notes beside their keys."""
    book = draft.codebook
    rows = len(draft.table.rows) if draft.table else 0
    out = [f"# Draft codebook written by `lnreport new` from {export_name} ({rows} respondents).\n"
           "# Check every question against the questionnaire; lines marked TODO(evaluator)\n"
           "# say what the export could not decide. Delete a mark once it is settled.\n"
           "# Format: docs/architecture.md#codebook-yaml; check with `lnreport validate`.\n",
           _dump({"survey": book["survey"]}),
           _todos(["the survey's title as the questionnaire gives it"]),
           _dump({"title": book["title"]}),
           _dump({"respondent_id": book["respondent_id"]})]
    if book.get("ignore_columns"):
        notes = [n for (kind, _), ns in draft.notes.items() if kind == "ignore" for n in ns]
        out += ["# Columns of the survey tool, not questions:\n", _todos(notes),
                _dump({"ignore_columns": book["ignore_columns"]})]
    out.append("scales:\n" if book["scales"] else "scales: {}\n")
    for name, scale in book["scales"].items():
        out += [_todos(draft.notes.get(("scale", name), []), 2), _dump({name: scale}, 2)]
    out.append("questions:\n")
    for question in book["questions"]:
        out += [_todos(draft.notes.get(("question", question["id"]), [])),
                _dump([question])]
    return "".join(out)


def pipeline_yaml(name: str, draft: Draft, sections: list[dict[str, Any]], export: str,
                  invitations: str | None, groups: dict[str, str], today: dt.date) -> str:
    """The draft pipeline: sections, chapters, narratives and fan-out, with notes."""
    inputs = {"codebook": "codebook.yml", "survey": export}
    if invitations:
        inputs["invitations"] = invitations
    if invitations and groups:
        # The first section shows the response rate by every group the list and the
        # survey share (the generic section notebook draws it).
        sections = [{**sections[0], "response": dict(groups)}, *sections[1:]]
    chapters: list[dict[str, Any]] = [
        {"id": s["id"], "notebook": SECTION_NOTEBOOK,
         "inputs": ["survey", "invitations"] if "response" in s else ["survey"],
         "parameters": {"section": s["id"]}} for s in sections]
    chapters.append({"id": "metode", "notebook": METHOD_NOTEBOOK, "title": "Data og metode",
                     "appendix": True, "fanout": False})
    narratives = [{"id": "sammendrag", "file": f"{name}/sammendrag.md", "position": "before",
                   "anchor": chapters[0]["id"]}]
    narratives += [{"id": f"{s['id']}_tekst", "file": f"{name}/{s['id']}.md",
                    "position": "after", "anchor": s["id"]} for s in sections]
    choices = [q["id"] for q in draft.codebook["questions"]
               if q["type"] == "single" and 2 <= len(q.get("options") or {}) <= 8]
    out = [f"# Draft pipeline written by `lnreport new` on {today.isoformat()}.\n"
           "# Lines marked TODO(evaluator) need a decision; `lnreport validate` checks the rest.\n"
           "# Format: docs/architecture.md (Pipeline); the narrative texts are\n"
           f"# under reports/{name}/ (numbers as fact placeholders: reports/README.md).\n",
           _dump({"name": name}),
           _todos(["title, organisation and authors of the report"]),
           _dump({"report": {"title": f"Evaluering av læringsnettverket {name}",
                             "subtitle": "", "organisation": "", "authors": [],
                             "date": today.isoformat(), "lang": "nb"}}),
           _dump({"data_dir": f"../data/{name}"}),
           _dump({"inputs": inputs}),
           _dump({"privacy": {"min_group_size": 5}})]
    if choices:
        out += [_todos([f"background questions to split answers by, e.g. [{choices[0]}]; "
                        "each must be a single choice of the codebook"]),
                f"# breakdowns: [{', '.join(choices[:2])}]\n"]
    unmatched = [] if groups or not invitations else [
        "no question's options match a group column of the invitation list: add "
        "`response: {region: <question>}` to a section for response rates by group"]
    out += [_todos(["one section per block of questions as the export orders them: give "
                    "each a title, and move questions between sections as the questionnaire "
                    "groups them", *unmatched]),
            _dump({"sections": sections}),
            _dump({"chapters": chapters}),
            _todos(["write the texts under reports/; the placeholders take their values from "
                    "`lnreport facts`"]),
            _dump({"narratives": narratives})]
    if "region" in groups:
        out.append(_dump({"fanout": {"parameter": "region", "values_from": groups["region"]}}))
    else:
        candidate = choices[0] if choices else "<question>"
        out += [_todos(["one sub-report per region: name the single-choice question that "
                        "holds the region"]),
                f"# fanout: {{parameter: region, values_from: {candidate}}}\n"]
    return "".join(out)


# --- narrative -----------------------------------------------------------------------------


def summary_markdown(with_invitations: bool) -> str:
    """The summary: who answered, every number a placeholder."""
    text = ["# Sammendrag\n\n"]
    if with_invitations:
        text.append("Spørreundersøkelsen ble sendt til {{< fact response.invited >}} personer, "
                    "og {{< fact response.answered >}} svarte "
                    "({{< fact response.pct pct:1 >}}).\n")
    else:
        text.append("{{< fact survey.respondents >}} personer svarte på spørreundersøkelsen.\n")
    return "".join(text)


def headline(question: dict[str, Any]) -> str:
    """One sentence with the question's headline facts, all as placeholders.

    Words that rank («flest», «høyeste») stand in ``{{< if … >}}`` blocks on whether the
    top (or best and worst) is tied, so that the sentence is true whatever the data and
    ``lnreport lint`` finds it covered. The whole sentence stands in a block on whether
    anybody gave an answer it can speak of: a question nobody has answered yet (early in
    a survey, or in a small region's sub-report) has no mean or top answer, and gets a
    sentence that says so instead.
    """
    q = f"q.{question['id']}"
    about = f"«{{{{< fact {q}.text >}}}}»"
    answered, sentence, nobody = _headline_parts(question["type"], q, about)
    return (f"{{{{< if {answered} >}}}}{sentence}{{{{< else >}}}}{nobody}"
            "{{< /if >}}")


def _headline_parts(kind: str, q: str, about: str) -> tuple[str, str, str]:
    """(condition that the facts exist, the sentence on them, the sentence without)."""
    if kind == "rating":
        return (f"{q}.n > 0",
                f"På spørsmålet {about} var gjennomsnittet {{{{< fact {q}.mean num:1 >}}}} "
                f"på en skala fra {{{{< fact {q}.scale_min >}}}} til "
                f"{{{{< fact {q}.scale_max >}}}} (n = {{{{< fact {q}.n >}}}}), og "
                f"{{{{< fact {q}.upper_half.pct pct:0 >}}}} svarte i den øvre halvdelen "
                "av skalaen.",
                f"Ingen ga et svar på skalaen i spørsmålet {about}.")
    if kind == "battery":
        return (f"len({q}.best.ids) > 0",
                f"{{{{< if {q}.best.tied or {q}.worst.tied >}}}}Av påstandene i {about} fikk "
                f"{{{{< fact {q}.best.labels list >}}}} det høyeste gjennomsnittet og "
                f"{{{{< fact {q}.worst.labels list >}}}} det laveste, flere av dem likt."
                f"{{{{< else >}}}}Av påstandene i {about} fikk "
                f"«{{{{< fact {q}.best.label >}}}}» det høyeste gjennomsnittet og "
                f"«{{{{< fact {q}.worst.label >}}}}» det laveste.{{{{< /if >}}}}",
                f"Ingen vurderte påstandene i {about} på skalaen.")
    if kind == "text":
        return (f"{q}.answered > 0", f"{{{{< fact {q}.answered >}}}} skrev et svar på {about}.",
                f"Ingen skrev et svar på {about}.")
    top = (f"{{{{< if {q}.top.tied >}}}}{{{{< fact {q}.top.labels list >}}}} fikk like mange "
           f"svar, flest av alle{{{{< else >}}}}«{{{{< fact {q}.top.label >}}}}» fikk "
           f"flest svar{{{{< /if >}}}}")
    nobody = f"Ingen valgte et svar på {about}."
    if kind == "multi":
        return (f"len({q}.top.labels) > 0",
                f"På {about} kunne respondentene velge flere svar. {top} "
                f"({{{{< fact {q}.top.pct pct:0 >}}}}); i snitt valgte respondentene "
                f"{{{{< fact {q}.per_person num:1 >}}}} svar, så andelene summerer seg til "
                f"{{{{< fact {q}.sum_pct pct:0 >}}}}.", nobody)
    return (f"len({q}.top.labels) > 0",
            f"På {about}: {top} ({{{{< fact {q}.top.pct pct:0 >}}}} av dem som svarte).",
            nobody)


def section_markdown(draft: Draft, section: dict[str, Any]) -> str:
    """A section's text: one headline sentence per question, to be rewritten."""
    sentences = [headline(draft.question(qid)) for qid in section["questions"]]
    return "\n\n".join(sentences) + "\n"
