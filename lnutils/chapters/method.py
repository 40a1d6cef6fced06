"""The "Data og metode" chapter: what was read, what validation said, which rules applied.

Every report has this chapter (``notebooks/metode.ipynb``); the same notebook serves each
pipeline with other parameters. The functions take the chapter's
:class:`~lnutils.chapters.context.ChapterContext` (or a part of it) and return display tables with
Norwegian column names, or short Norwegian text. A part that does not apply to a pipeline
(no survey, no networks, no exceptions to the small-group rule) gives an empty table or
``None``, so that the notebook shows nothing for it.

What a reader sees is written for a reader: the data described in words, never file
names, input ids, question ids or the validator's own (English) messages; those stay in
the build log and the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lnutils.analysis.summaries.nonresponse import (  # noqa: F401 -- kept importable here
    NONANSWER_KINDS,
    item_nonresponse,
)
from lnutils.fmt import fmt_pct
from lnutils.literal import escape_markdown
from lnutils.problems import WARNING, Problem

# What each kind of input holds, as the report names it.
INPUT_DESCRIPTIONS = {
    "codebook": "Kodebok for spørreundersøkelsen",
    "survey": "Svarene på spørreundersøkelsen",
    "invitations": "Invitasjonslisten (personopplysninger erstattet med pseudonymer)",
    "activities": "Aktivitetene i nettverksperioden",
    "teams": "Forbedringsteamene",
    "self_evaluations": "Teamenes egenvurderinger",
    "quotes": "Sitater fra deltakerne",
    "networks": "Nettverkene med samlingssted og kommuner",
    "gatherings": "Samlingene med måned og datoer",
    "gathering_hours": "Timer per samling etter type innslag",
    "municipal_goals": "Kategorier av mål kommunene satte seg",
    "team_composition": "Hvem som satt i kommunenes team",
    "tools_adopted": "Verktøy kommunene bruker eller planlegger å bruke",
    "toolkit_spec": "Verktøykassens skala og sjekklistens steg",
    "toolkit_forms": "Skjemaene «Hva er viktig for meg»",
    "toolkit_checklists": "Sjekklistene for samhandling",
}
# What one row of a table input is, in the plural, for the "Omfang" column.
INPUT_UNITS = {"invitations": "inviterte", "activities": "hendelser", "quotes": "sitater",
               "self_evaluations": "egenvurderinger"}


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def input_size(value: Any, unit: str = "rader") -> str:
    """How much an input holds, in Norwegian ("12 rader", "99 skjemaer", ...).

    Parameters
    ----------
    value : a loaded input, as :class:`~lnutils.inputs.dataset.Dataset` returns it.
    unit : what one row of a table input is, in the plural ("inviterte").
    """
    if isinstance(value, pd.DataFrame):
        return f"{len(value)} {unit}"
    if hasattr(value, "respondents") and hasattr(value, "answers"):
        return f"{len(value.respondents)} respondenter"
    if hasattr(value, "questions"):
        return f"{len(value.questions)} spørsmål"
    if hasattr(value, "municipalities") and hasattr(value, "table"):
        return (f"{len(value.table)} nettverk, "
                f"{value.municipalities['municipality'].nunique()} kommunenavn")
    if isinstance(getattr(value, "teams", None), (list, tuple, dict, pd.DataFrame)):
        return f"{len(value.teams)} forbedringsteam"
    if hasattr(value, "forms") and hasattr(value, "scores"):
        return f"{len(value.forms)} skjemaer, {len(value.scores)} aktiviteter"
    if hasattr(value, "checklists") and hasattr(value, "steps"):
        return f"{len(value.checklists)} sjekklister"
    if hasattr(value, "steps") and hasattr(value, "scale"):
        return f"{len(value.steps)} steg, skala {value.scale[0]}–{value.scale[1]}"
    if isinstance(value, (list, dict)):
        return f"{len(value)} oppføringer"
    return ""


def _loaded(ctx, name: str) -> tuple[bool, Any]:
    """(True, the input) or (False, None) when lnutils has no loader module for it yet.

    Invalid data still raises :class:`~lnutils.problems.DataError`: a report is never
    built on it. A loader that is not written yet is what ``lnreport validate`` reports
    as "not checked"; this chapter says the same instead of failing.
    """
    try:
        return True, ctx.dataset[name]
    except (ImportError, AttributeError):
        return False, None


def inputs_table(ctx) -> pd.DataFrame:
    """One row per input of the pipeline: what it holds and how much, in words.

    Loads every input (each loads once per chapter). Columns: Data, Omfang. An input
    without a description here is described as "Andre opplysninger" rather than by its
    internal name.
    """
    rows = []
    for name in ctx.pipeline.inputs:
        ok, value = _loaded(ctx, name)
        size = input_size(value, INPUT_UNITS.get(name, "rader"))
        rows.append({"Data": INPUT_DESCRIPTIONS.get(name, "Andre opplysninger"),
                     "Omfang": size if ok else "ikke lest (ingen innlesing ennå)"})
    return pd.DataFrame(rows, columns=["Data", "Omfang"])


def warnings_of(value: Any) -> list[Problem]:
    """The warnings a loader attached to what it returned (its typed ``warnings`` field)."""
    found = getattr(value, "warnings", None)
    return [p for p in found or [] if isinstance(p, Problem) and p.severity == WARNING]


def validation_warnings(ctx) -> pd.DataFrame:
    """Every warning the loaders gave, one row each, in input order.

    The message is the validator's own (as ``lnreport validate`` prints it), so that a
    reader can find it in the build log. Columns: Fil, Rad, Felt, Melding.
    """
    rows = []
    for name, path in ctx.pipeline.inputs.items():
        for problem in warnings_of(_loaded(ctx, name)[1]):
            rows.append({"Fil": _relative(path, ctx.pipeline.data_dir),
                         "Rad": "" if problem.row is None else str(problem.row),
                         "Felt": problem.column or "", "Melding": problem.message})
    return pd.DataFrame(rows, columns=["Fil", "Rad", "Felt", "Melding"])


def warnings_text(ctx) -> str:
    """What the checks of the data found, in words for a reader (counts, no messages).

    The warnings themselves (file, row, field, the validator's message) are in the build
    log; the report says how many there were.
    """
    count = sum(len(warnings_of(_loaded(ctx, name)[1])) for name in ctx.pipeline.inputs)
    text = "Kontrollen fant ikke feil i dataene til denne rapporten."
    if count == 0:
        return text + " Den ga heller ikke advarsler."
    amount = "én advarsel" if count == 1 else f"{count} advarsler"
    return (text + f" Den ga {amount} om forhold som ikke stopper beregningene; "
            "de er ført i loggen fra kjøringen med fil, rad og felt.")


def response_text(ctx) -> str | None:
    """How many were invited to the survey and how many answered (None: no survey)."""
    if "survey" not in ctx.dataset or "invitations" not in ctx.dataset:
        return None
    invited, answered = len(ctx.dataset["invitations"]), len(ctx.survey.respondents)
    if invited == 0:
        return None
    return (f"Spørreundersøkelsen gikk til de {invited} personene på invitasjonslisten, og "
            f"{answered} svarte ({fmt_pct(100 * answered / invited, 1)}). Alle svarene er "
            "med i beregningene. Hvem som fikk hvilke spørsmål, og hvor mange som lot et "
            "spørsmål stå tomt, står i tabellen over ubesvarte spørsmål nedenfor.")


def municipality_mismatch_text(ctx) -> str | None:
    """Where the networks' stated numbers of municipalities differ from their lists.

    Returns None when the pipeline has no ``networks`` input or every count agrees.
    """
    if "networks" not in ctx.dataset:
        return None
    net = ctx.dataset["networks"]
    parts = []
    for _, row in net.table.iterrows():
        if row["stated"] == row["names_listed"]:
            continue
        text = (f"nettverk {row['network']} oppgir {row['stated']} kommuner, men listen har "
                f"{row['names_listed']} navn")
        own = net.municipalities[(net.municipalities["network"] == row["network"])
                                 & (net.municipalities["groups"] > 1)]
        text += "".join(f" ({m['municipality']} deltok med {m['groups']} grupper)"
                        for _, m in own.iterrows())
        parts.append(text)
    distinct = net.municipalities["municipality"].nunique()
    if not parts and distinct == net.total_stated:
        return None
    sentences = []
    if parts:
        sentences.append("Kildene oppgir antall kommuner per nettverk og lister navnene, "
                         "og de to stemmer ikke overalt: " + "; ".join(parts) + ".")
    sentences.append(f"Til sammen oppgis {net.total_stated} kommuner, mens listene har "
                     f"{distinct} ulike kommunenavn. Rapporten bruker tallene slik kildene "
                     "trykker dem og viser begge der kommunene telles.")
    return " ".join(sentences)


def privacy_rules(ctx) -> pd.DataFrame:
    """The small-group rule in force and every recorded exception, with its reason.

    The first row is the general rule (noting when this run's threshold differs from the
    pipeline file's); one row follows per exception. Columns: Gjelder, Grupper,
    Minste antall, Begrunnelse.
    """
    rule, declared = ctx.privacy, ctx.pipeline.spec.privacy
    reason = ("Hovedregelen for rapporten: færre svar enn dette kan peke ut enkeltpersoner."
              if rule.min_group_size == declared.min_group_size else
              f"Satt for denne utgaven av rapporten; hovedregelen for rapporten er "
              f"{declared.min_group_size}.")
    rows = [{"Gjelder": "Alle spørsmål og grupper", "Grupper": "",
             "Minste antall": rule.min_group_size, "Begrunnelse": reason}]
    rows += [{"Gjelder": f"Unntak: {_question_words(ctx, e.question)}",
              "Grupper": ", ".join(e.groups), "Minste antall": e.min_group_size,
              "Begrunnelse": " ".join(e.reason.split())}
             for e in rule.exceptions]
    return pd.DataFrame(rows, columns=["Gjelder", "Grupper", "Minste antall", "Begrunnelse"])


def privacy_text(ctx) -> str:
    """The small-group rule in words for the appendix, written from the rule in force."""
    from lnutils.analysis.suppression import rule_description  # noqa: PLC0415

    return rule_description(ctx.privacy)


def _question_words(ctx, question: str) -> str:
    """A question as the reader knows it: «its wording» (spørsmål 8), never its id."""
    try:
        q = ctx.survey.codebook.question(question)
    except (KeyError, AttributeError, ImportError):
        return "ett spørsmål i undersøkelsen"
    number = f" (spørsmål {q.number})" if q.number is not None else ""
    return f"«{q.text}»{number}" if q.text else f"spørsmål {q.number}"


def nonresponse_table(ctx) -> pd.DataFrame:
    """Item non-response per question of the survey, for display (empty: no survey).

    Columns: Nr., Spørsmål, Spurt, Svart, Vet ikke o.l., Ubesvart, Andel ubesvart.
    """
    columns = ["Nr.", "Spørsmål", "Spurt", "Svart", "Vet ikke o.l.", "Ubesvart",
               "Andel ubesvart"]
    if "survey" not in ctx.dataset:
        return pd.DataFrame(columns=columns)
    frame = ctx.item_nonresponse
    shares = ["" if pd.isna(s) else fmt_pct(100 * s, 1) for s in frame["missing_share"]]
    numbers = ["" if n is None or pd.isna(n) else str(n) for n in frame["number"]]
    return pd.DataFrame({"Nr.": numbers, "Spørsmål": frame["text"], "Spurt": frame["asked"],
                         "Svart": frame["answered"], "Vet ikke o.l.": frame["nonanswer"],
                         "Ubesvart": frame["missing"], "Andel ubesvart": shares},
                        columns=columns)


def nonresponse_text(ctx) -> str | None:
    """How item non-response is counted, with the most often skipped question (None: no survey)."""
    if "survey" not in ctx.dataset:
        return None
    frame = ctx.item_nonresponse
    closed = frame[(frame["type"] != "text") & (frame["asked"] > 0)]
    text = ("**Ubesvarte spørsmål.** Tabellen nedenfor viser for hvert spørsmål hvor mange "
            "som fikk det (spørsmål som ble hoppet over etter et tidligere svar, telles "
            "ikke med), hvor mange som svarte, hvor mange som svarte «Vet ikke» eller "
            "«Ikke deltatt», og hvor mange som lot det stå tomt. Åpne tekstspørsmål står "
            "oftest tomme og er tatt med for fullstendighetens skyld.")
    if not closed.empty and closed["missing"].max() > 0:
        top = closed.sort_values(["missing_share", "asked"], ascending=[False, False]).iloc[0]
        name = f"spørsmål {top['number']}" if pd.notna(top["number"]) else f"«{top['text']}»"
        text += (f" Blant de lukkede spørsmålene står {name} oftest tomt: "
                 f"{top['missing']} av {top['asked']} ({fmt_pct(100 * top['missing_share'], 1)}).")
    return text


def as_markdown(text: str | None, *, markdown: bool = False):
    """Text as a Markdown display object for a notebook cell, or None (shows nothing).

    The text is plain and holds words from data (labels, names of groups and teams): it
    is escaped (:func:`lnutils.literal.escape_markdown`) so that it reaches the report as
    the characters it holds. Pass ``markdown=True`` for text that is Markdown already
    and escaped where it took in data (``teamreport.self_evaluations_markdown``).
    """
    if not text:
        return None
    from IPython.display import Markdown  # noqa: PLC0415 -- only inside a notebook

    return Markdown(text if markdown else escape_markdown(text))


def table_or_nothing(frame: pd.DataFrame) -> pd.DataFrame | None:
    """The frame, or None when it is empty, so that a notebook cell shows nothing."""
    return None if frame is None or frame.empty else frame


def suppressed_text(summary, min_group_size: int, unit: str = "svar") -> str | None:
    """Name the groups a summary left out under the small-group rule (None: none left out).

    Parameters
    ----------
    summary : a :class:`~lnutils.analysis.suppression.GroupSummary` whose
        ``protection.suppressed`` lists the groups left out.
    min_group_size : the threshold in force.
    unit : what the base counts, in Norwegian plural ("svar", "skjemaer", ...).
    """
    left_out = list(summary.protection.suppressed)
    if not left_out:
        return None
    names = ", ".join(left_out[:-1]) + " og " + left_out[-1] if len(left_out) > 1 \
        else left_out[0]
    return (f"Grupper med færre enn {min_group_size} {unit} vises ikke hver for seg: "
            f"{names}. De er med i tallene for hele nettverket.")


def labelled(frame: pd.DataFrame, columns: dict[str, str], *, shares: tuple[str, ...] = (),
             decimals: int = 1) -> pd.DataFrame:
    """A display copy of ``frame``: the given columns in order, renamed, shares as percent.

    Parameters
    ----------
    frame : a tidy summary.
    columns : column -> Norwegian heading, in display order.
    shares : columns holding shares 0-1, written as "87,7 %".
    decimals : decimals of the percentages.
    """
    out = frame[list(columns)].copy()
    for column in shares:
        out[column] = ["" if pd.isna(v) else fmt_pct(100 * v, decimals) for v in out[column]]
    return out.rename(columns=columns).reset_index(drop=True)


def present_absent(wide: pd.DataFrame, *, present: str = "Med", absent: str = "Manglet"
                   ) -> pd.DataFrame:
    """A wide yes/no/count matrix as two short lists per row, for a narrow page.

    A cell "ja" lists the column under ``present``, a number lists it with the number in
    brackets ("Brukerrepresentant (6)"), "nei" lists it under ``absent``; blank cells
    (the source says nothing) are left out. The index becomes ordinary columns.
    """
    rows = []
    for key, cells in wide.iterrows():
        yes = [name if str(cell) == "ja" else f"{name} ({cell})"
               for name, cell in cells.items() if str(cell) not in ("", "nei", "nan")]
        no = [name for name, cell in cells.items() if str(cell) == "nei"]
        keys = key if isinstance(key, tuple) else (key,)
        rows.append([*keys, ", ".join(yes), ", ".join(no)])
    names = [n or f"nivå {i}" for i, n in enumerate(wide.index.names)]
    return pd.DataFrame(rows, columns=[*names, present, absent])
