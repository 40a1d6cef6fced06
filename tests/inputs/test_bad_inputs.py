"""The corpus of bad and hostile inputs: ``lnreport validate`` on damaged copies of the example.

Each case damages one thing in a fresh copy of the example network and runs
``lnreport validate`` in-process. It must exit as expected (1 refused, 0 accepted, 2
wrong usage), name the file (and row and column where they exist) with a fix, print no
traceback, leave every file byte-identical, and finish in seconds with at most
:data:`MEMORY_HEADROOM` more address space (``RLIMIT_AS`` is lowered around each case).
"""

from __future__ import annotations

import re
import resource
import time
import unicodedata

import pytest
from support.bad_inputs import (
    Case,
    Where,
    both,
    cell,
    column,
    data,
    digests,
    drop_quote_topic,
    in_data,
    in_narrative,
    in_pipeline,
    make_root,
    nfd,
    nothing,
    pipeline_file,
    raw_bytes,
    remove,
)

from lnutils.cli import main
from lnutils.inputs import invitations

pytestmark = pytest.mark.slow  # about a minute: each case loads the example data

MEMORY_HEADROOM = 1 << 30  # bytes of address space a case may add
SECONDS = 10
SV, INV, ACT = "survey.csv", "invitations.csv", "activities.csv"
TEAMS, SELF, QUOTES, CB = "teams.yml", "self_evaluations.yml", "quotes.yml", "codebook.yml"
PIPE = "trondelag-2021.yml"
COMMENT = "comments: Vi kunne vurdert en mindre gruppe"  # line 63, the second form
MB_TEXT = "Dette er et langt svar. " * 44_000  # about 1 MB
LONG_TEXT = MB_TEXT[:200_000]  # YAML is parsed in pure Python: 200 kB keeps the case short

# -------------------------------------------------------------------------- the survey
SURVEY = [
    Case("label-typo", cell(SV, 2, "periode", "Hele periode"),
         Where(SV, 2, "periode", "not an answer label")),
    Case("unknown-label", cell(SV, 3, "arena", "Kantina"), Where(SV, 3, "arena", "not an answer")),
    Case("code-out-of-range", cell(SV, 2, "nytte_region", "9"),
         Where(SV, 2, "nytte_region", "code 9")),
    Case("code-zero", cell(SV, 4, "nytte_region", "0"), Where(SV, 4, "nytte_region", "code 0")),
    Case("negative-code", cell(SV, 2, "nytte_region", "-3"), Where(SV, 2, "nytte_region")),
    Case("inf-code", cell(SV, 2, "nytte_region", "inf"), Where(SV, 2, "nytte_region")),
    Case("nan-code", cell(SV, 2, "nytte_region", "nan"), Where(SV, 2, "nytte_region")),
    Case("huge-code", cell(SV, 2, "nytte_region", "1" * 400), Where(SV, 2, "nytte_region")),
    Case("float-code", cell(SV, 2, "nytte_region", "4.5"), Where(SV, 2, "nytte_region")),
    Case("exponent-code", cell(SV, 2, "nytte_region", "1e3"), Where(SV, 2, "nytte_region")),
    Case("nul-in-text", cell(SV, 3, "kommentar", "Bra\x00nettverk"),
         Where(SV, 3, "kommentar", "control character (U+0000)")),
    Case("bell-in-text", cell(SV, 3, "kommentar", "Bra\x07"), Where(SV, 3, "kommentar", "U+0007")),
    Case("escape-in-text", cell(SV, 2, "digitalt_tekst", "\x1b[31mrødt"),
         Where(SV, 2, "digitalt_tekst", "U+001B")),
    Case("c1-control-in-text", cell(SV, 2, "kommentar", "Tekst\x85"),
         Where(SV, 2, "kommentar", "U+0085")),
    Case("nul-in-label", cell(SV, 2, "periode", "Hele\x00perioden"), Where(SV, 2, "periode")),
    Case("duplicate-respondent", cell(SV, 3, "respondent", "R001"),
         Where(SV, 3, "respondent", "already appears")),
    Case("empty-respondent", cell(SV, 4, "respondent", ""), Where(SV, 4, "respondent", "empty")),
    Case("answer-not-asked", both(cell(SV, 2, "forbedringsteam", "Nei"),
                                  cell(SV, 2, "region", "Fosen")),
         Where(SV, 2, "region", "routing did not ask")),
    Case("unknown-column", in_data(SV, ";kommentar", ";kommentarer"),
         Where(SV, 1, "kommentarer", "not in the codebook")),
    Case("duplicate-column", in_data(SV, "periode;arena", "periode;periode"), Where(SV, 1)),
    Case("row-too-long", in_data(SV, "\nR002;", "\nR002;x;"), Where(SV, 3)),
    Case("row-too-short", in_data(SV, "\nR003;", "\nR003\n"), Where(SV, 4)),
    Case("truncated-mid-row", raw_bytes(SV, lambda b: b[: len(b) // 2]), Where(SV)),
    Case("empty-file", raw_bytes(SV, lambda b: b""), Where(SV, words="empty")),
    Case("only-bom", raw_bytes(SV, lambda b: b"\xef\xbb\xbf"), Where(SV, words="empty")),
    Case("header-only", raw_bytes(SV, lambda b: b.split(b"\n")[0] + b"\n"),
         Where(SV, words="no respondents")),
    Case("binary-junk", raw_bytes(SV, lambda b: bytes(range(256)) * 40), Where(SV)),
    Case("zip-named-csv", raw_bytes(SV, lambda b: b"PK\x03\x04" + b"\x00" * 200), Where(SV)),
    Case("unclosed-quote", in_data(SV, "\nR004;", '\nR004;"'), Where(SV)),
    Case("lone-surrogate-bytes", raw_bytes(SV, lambda b: b.replace(b"R005", b"R\xed\xa0\x80", 1)),
         Where(SV)),
    Case("all-cells-blank", column(SV, "periode", ""), None),  # missing answers are allowed
    # Accepted: encodings, line ends, Unicode forms, long and hostile text.
    Case("nfd-export", nfd(SV)),
    Case("cp1252-export", raw_bytes(SV, lambda b: b.decode("utf-8-sig").encode("cp1252"))),
    Case("utf16-export", raw_bytes(SV, lambda b: b.decode("utf-8-sig").encode("utf-16"))),
    Case("crlf-export", raw_bytes(SV, lambda b: b.replace(b"\n", b"\r\n"))),
    Case("no-bom", raw_bytes(SV, lambda b: b.removeprefix(b"\xef\xbb\xbf"))),
    Case("megabyte-answer", cell(SV, 3, "kommentar", MB_TEXT)),
    Case("script-in-text", cell(SV, 3, "kommentar", "<script>alert(1)</script>")),
    Case("image-in-text", cell(SV, 3, "kommentar", '<img src="http://example.com/x.png">')),
    Case("link-in-text", cell(SV, 3, "kommentar", "[klikk](http://example.com/phish)")),
    Case("citation-in-text", cell(SV, 3, "kommentar", "@smith2020 sa [@doe]")),
    Case("formula-in-text", cell(SV, 3, "kommentar", '=HYPERLINK("http://x","klikk")')),
    Case("tex-in-text", cell(SV, 3, "kommentar", r"\input{/etc/passwd} $x^2$")),
    Case("bidi-in-text", cell(SV, 3, "kommentar", "abc\u202edcba\u202c")),
    Case("emoji-in-text", cell(SV, 3, "kommentar", "Bra 👍🏽 nettverk")),
    Case("newline-in-text", cell(SV, 3, "kommentar", "Linje én\nLinje to")),
    Case("phone-in-text", cell(SV, 3, "kommentar", "Ring meg på 912-34-567")),
    Case("nfd-label", cell(SV, 2, "region", unicodedata.normalize("NFD", "Værnes"))),
    Case("labels-upper-case", cell(SV, 2, "periode", "HELE PERIODEN")),
    Case("codes-for-labels", cell(SV, 2, "periode", "3")),
]

# ------------------------------------------------------------------ the invitation list
INVITATIONS = [
    Case("email-in-region", cell(INV, 3, "Region", "hilde.ramsli@rennebu.example.no"),
         Where(INV, 3, "Region", "e-mail address")),
    Case("obfuscated-email-in-region", cell(INV, 3, "Region", "hilde (at) rennebu.example.no"),
         Where(INV, 3, "Region", "e-mail address")),
    Case("phone-in-arena", cell(INV, 4, "Arena", "9123 4567"), Where(INV, 4, "Arena", "phone")),
    Case("dashed-phone-in-arena", cell(INV, 4, "Arena", "912-34-567"),
         Where(INV, 4, "Arena", "phone")),
    Case("dotted-phone-in-region", cell(INV, 5, "Region", "912.34.567"),
         Where(INV, 5, "Region", "phone")),
    Case("prefixed-phone-in-org", cell(INV, 6, "Organisasjon", "+47-912-34-567"),
         Where(INV, 6, "Organisasjon", "phone")),
    Case("name-in-org", cell(INV, 6, "Organisasjon", "Ramsli, Hilde"),
         Where(INV, 6, "Organisasjon", "name of an invited person")),
    Case("spelled-name-in-arena", cell(INV, 6, "Arena", "Synnöve Øyen Bakks gruppe"),
         Where(INV, 6, "Arena", "name of an invited person")),
    Case("empty-role", cell(INV, 3, "Rolle", ""), Where(INV, 3, "Rolle", "role is empty")),
    Case("no-role-column", in_data(INV, "Rolle;", "Stilling;"), Where(INV, 1, "role")),
    Case("duplicate-email", cell(INV, 4, "E-post", "hilde.ramsli@rennebu.example.no"),
         Where(INV, 4, "E-post", "same e-mail")),
    Case("nobody-in-row", both(cell(INV, 5, "Navn", ""), cell(INV, 5, "E-post", "")),
         Where(INV, 5, "Navn", "names nobody")),
    Case("nul-in-name", cell(INV, 3, "Navn", "Hilde\x00Ramsli"), Where(INV, 3, "Navn", "U+0000")),
    Case("control-in-org", cell(INV, 3, "Organisasjon", "Rennebu\x1bkommune"),
         Where(INV, 3, "Organisasjon", "U+001B")),
    Case("nfd-list", nfd(INV)),
    Case("ordinary-numbers-in-org", cell(INV, 3, "Organisasjon", "Rennebu kommune 2021-2022")),
]

# ------------------------------------------------------------------------- activities
ACTIVITIES = [
    Case("impossible-date", cell(ACT, 2, "dato", "2021-06-31"), Where(ACT, 2, "dato", "no such")),
    Case("month-13", cell(ACT, 3, "dato", "2021-13-01"), Where(ACT, 3, "dato", "no such")),
    Case("february-29", cell(ACT, 4, "dato", "2021-02-29"), Where(ACT, 4, "dato", "no such")),
    Case("norwegian-date", cell(ACT, 2, "dato", "31.06.2021"), Where(ACT, 2, "dato", "not a date")),
    Case("empty-date", cell(ACT, 5, "dato", ""), Where(ACT, 5, "dato")),
    Case("year-zero", cell(ACT, 5, "dato", "0000-01-01"), Where(ACT, 5, "dato")),
    Case("inf-participants", cell(ACT, 2, "deltakere", "inf"), Where(ACT, 2, "deltakere")),
    Case("nan-participants", cell(ACT, 2, "deltakere", "nan"), Where(ACT, 2, "deltakere")),
    Case("negative-participants", cell(ACT, 2, "deltakere", "-3"), Where(ACT, 2, "deltakere")),
    Case("fraction-participants", cell(ACT, 2, "deltakere", "12.5"), Where(ACT, 2, "deltakere")),
    Case("exponent-participants", cell(ACT, 2, "deltakere", "1e3"), Where(ACT, 2, "deltakere")),
    Case("unknown-mode", cell(ACT, 3, "form", "hybrid"), Where(ACT, 3, "form")),
    Case("unknown-arena", cell(ACT, 3, "arena", "Kantina"), Where(ACT, 3, "arena")),
    Case("unknown-team", cell(ACT, 3, "forbedringsteam", "Mars"), Where(ACT, 3, "forbedringsteam")),
    Case("nul-in-note", cell(ACT, 3, "merknad", "a\x00b"), Where(ACT, 3, "merknad", "U+0000")),
    Case("no-date-column", in_data(ACT, "dato;", "dag;"), Where(ACT, 1, "date")),
    Case("nfd-log", nfd(ACT)),
    Case("hostile-note", cell(ACT, 3, "merknad", "<script>alert(1)</script> [x](http://x)")),
]

# ------------------------------------------------------------------------ teams.yml
TEAMS_CASES = [
    Case("impossible-date-in-teams", in_data(TEAMS, "start: 2019-09", "start: 2019-09-31"),
         Where(TEAMS, 9, "network.period.start", "no such date")),
    Case("month-13-in-teams", in_data(TEAMS, "start: 2019-09", "start: 2019-13"),
         Where(TEAMS, 9)),
    Case("inf-population", in_data(TEAMS, "population: 205200", "population: .inf"),
         Where(TEAMS)),
    Case("nan-population", in_data(TEAMS, "population: 205200", "population: .nan"),
         Where(TEAMS)),
    Case("negative-population", in_data(TEAMS, "population: 205200", "population: -5"),
         Where(TEAMS)),
    Case("nul-escape-in-team-name", in_data(TEAMS, "- name: Fosen", '- name: "Fo\\0sen"'),
         Where(TEAMS, 35, words="U+0000")),
    Case("bell-escape-in-area", in_data(TEAMS, "improvement_area: Bruker",
                                        'improvement_area: "\\aBruker'), Where(TEAMS)),
    Case("raw-nul-in-yaml", in_data(TEAMS, "owner: KS", "owner: K\x00S"), Where(TEAMS, 7)),
    Case("duplicate-key", in_data(TEAMS, "  owner: KS", "  owner: X\n  owner: KS"),
         Where(TEAMS, 8, words="twice")),
    Case("yaml-syntax", in_data(TEAMS, "network:", "network: ["), Where(TEAMS)),
    Case("tabs-in-yaml", in_data(TEAMS, "  owner: KS", "\towner: KS"), Where(TEAMS)),
    Case("team-without-name", in_data(TEAMS, "- name: Fosen", "- navn: Fosen"), Where(TEAMS)),
    Case("nfd-teams", nfd(TEAMS)),
]

# ---------------------------------------------------------------- self-evaluations.yml
SELF_CASES = [
    Case("impossible-submitted", in_data(SELF, "submitted: 2021-06-18", "submitted: 2021-06-31"),
         Where(SELF, 7, "forms[0].submitted", "no such date")),
    Case("february-29-submitted", in_data(SELF, "submitted: 2021-06-18",
                                          "submitted: 2021-02-29"), Where(SELF, 7)),
    Case("word-for-date", in_data(SELF, "submitted: 2021-06-18", "submitted: i går"),
         Where(SELF, 7, "forms[0].submitted", "not a date")),
    Case("unknown-team-form", in_data(SELF, "team: Fosen", "team: Mars"),
         Where(SELF, 6, "forms[0].team")),
    Case("second-form-same-team", in_data(SELF, "team: Orkland Fjell", "team: Fosen"),
         Where(SELF, words="second form")),
    Case("goals-not-list", in_data(SELF, "    goals:\n", "    goals: mange\n    old_goals:\n"),
         Where(SELF)),
    Case("nul-escape-in-text", in_data(SELF, COMMENT, 'comments: "a\\0b" #'),
         Where(SELF, 63, "forms[1].comments", "U+0000")),
    Case("escape-escape-in-text", in_data(SELF, COMMENT, 'comments: "\\e[2J" #'),
         Where(SELF, 63, "forms[1].comments", "U+001B")),
    Case("unknown-field", in_data(SELF, "participants: >-", "deltakere: x\n    participants: >-"),
         Where(SELF, words="unknown field")),
    Case("empty-forms", raw_bytes(SELF, lambda b: b"forms: []\n"), Where(SELF)),
    Case("not-a-mapping", raw_bytes(SELF, lambda b: b"- a\n- b\n"), Where(SELF)),
    Case("nfd-self-evaluations", nfd(SELF)),
    Case("long-self-evaluation", in_data(SELF, COMMENT, f"comments: {LONG_TEXT.strip()} #")),
    Case("hostile-self-evaluation", in_data(SELF, COMMENT, "comments: '<img src=x onerror="
                                            "alert(1)> {{< fact survey.respondents >}}' #")),
]

# -------------------------------------------------------------------------- quotes.yml
QUOTE_CASES = [
    Case("quote-not-an-answer", in_data(QUOTES, "- Om deltakelsen er verdt",
                                        "- Om deltagelsen er verdt"), Where(QUOTES)),
    Case("quote-unknown-question", in_data(QUOTES, "question: ledere_spurte_ja",
                                           "question: finnes_ikke"), Where(QUOTES)),
    Case("nul-in-quote", in_data(QUOTES, "- Om deltakelsen er verdt",
                                 '- "Om\\0 deltakelsen er verdt'), Where(QUOTES)),
    Case("nfd-quotes", nfd(QUOTES)),
    Case("nfd-quotes-and-survey", both(nfd(QUOTES), nfd(SV))),
]

# ------------------------------------------------------------------------ the codebook
CODEBOOK_CASES = [
    Case("codebook-unknown-scale", in_data(CB, "scale: skala6\n", "scale: skala9\n"), Where(CB)),
    Case("codebook-duplicate-id", in_data(CB, "- id: arena", "- id: periode"), Where(CB)),
    Case("codebook-bad-type", in_data(CB, "type: yesno", "type: jada"), Where(CB)),
    Case("codebook-nfd", nfd(CB)),
]

# -------------------------------------------------------- the pipeline and its text
P = dict(target="pipeline")
PIPELINE_CASES = [
    Case("example-as-is", nothing, **P),
    Case("missing-notebook", in_pipeline("notebooks/trondelag_gjennomforing.ipynb",
                                         "notebooks/finnes_ikke.ipynb"),
         Where(PIPE, 69, "chapters[0].notebook", "does not exist"), **P),
    Case("missing-narrative", in_pipeline("trondelag-2021/workshop.md", "trondelag-2021/borte.md"),
         Where(PIPE, None, "narratives[6].file", "does not exist"), **P),
    Case("undeclared-chapter-input", in_pipeline("inputs: [activities]\n    fanout: false\n  - id:"
                                                 " forbedringsteam", "inputs: [aktiviteter]\n    "
                                                 "fanout: false\n  - id: forbedringsteam"),
         Where(PIPE, 71, "chapters[0].inputs", "does not declare"), **P),
    Case("duplicate-chapter-id", in_pipeline("  - id: effekt\n    notebook",
                                             "  - id: organisering\n    notebook"),
         Where(PIPE, 89, "chapters[4].id", "used twice"), **P),
    Case("narrative-id-like-chapter", in_pipeline("{id: del1,", "{id: effekt,"),
         Where(PIPE, None, "narratives[1].id", "used twice"), **P),
    Case("unknown-fanout-question", in_pipeline("values_from: region", "values_from: kommune"),
         Where(PIPE, None, "fanout.values_from", "does not have"), **P),
    Case("fanout-on-rating", in_pipeline("values_from: region", "values_from: nytte_region"),
         Where(PIPE, None, "fanout.values_from", "single-choice"), **P),
    Case("exception-unknown-question", in_pipeline("question: representerer",
                                                   "question: representert"),
         Where(PIPE, 27, "privacy.exceptions[0].question", "does not have"), **P),
    Case("exception-unknown-group", in_pipeline("groups: [Brukerorganisasjon]",
                                                "groups: [Brukerforening]"),
         Where(PIPE, 28, "privacy.exceptions[0].groups", "no option"), **P),
    Case("unknown-anchor", in_pipeline("anchor: forbedringsteam}", "anchor: forbedring}"),
         Where(PIPE, None, "narratives[2].anchor", "names no chapter"), **P),
    Case("missing-input-file", in_pipeline("quotes: quotes.yml", "quotes: sitater.yml"),
         Where("sitater.yml", words="not found"), **P),
    Case("missing-facts-file", in_pipeline("facts: extras/trondelag.py", "facts: extras/nei.py"),
         Where(PIPE, None, "facts", "does not exist"), **P),
    Case("unknown-pipeline-key", in_pipeline("privacy:", "privat: 1\nprivacy:"),
         Where(PIPE, None, "privat"), **P),
    Case("unknown-fact", in_narrative("sammendrag.md", "{{< fact survey.invited >}}",
                                      "{{< fact survey.inviterte >}}"),
         Where("sammendrag.md", None, None, "names a fact"), **P),
    Case("bad-fact-format", in_narrative("sammendrag.md", "{{< fact survey.invited >}}",
                                         "{{< fact survey.invited date >}}"),
         Where("sammendrag.md", None, None, "cannot be shown"), **P),
    Case("text-format-on-list", in_narrative("sammendrag.md", "{{< fact survey.invited >}}",
                                             "{{< fact survey.invited pct:x >}}"),
         Where("sammendrag.md", None, None, "cannot be shown"), **P),
    Case("nobody-in-a-team", both(column(SV, "forbedringsteam", "Nei"),
                                  *(column(SV, q, "") for q in ("region", "innsats_egen",
                                                                "innsats_team",
                                                                "innsats_forbedring"))),
         Where("organisering.md", 18, None, "has no value for these data"), **P),
    Case("everyone-said-no-to-leaders", both(column(SV, "ledere_spurte", "Nei"),
                                             column(SV, "ledere_spurte_ja", ""),
                                             drop_quote_topic("ledere_etterspurte")), **P),
    Case("everyone-said-no-to-digital", column(SV, "digitalt", "Nei"), **P),  # 0 % is a value
    Case("nobody-answered-usefulness", column(SV, "nytte_org", ""),
         Where("sammendrag.md", None, None, "effect.overall_usefulness"), **P),
    Case("data-dir-with-folder", nothing, exit=2, extra=("--data-dir", "{root}")),
    Case("data-dir-missing", nothing, Where(PIPE, None, "--data-dir", "does not exist"),
         extra=("--data-dir", "{root}/nowhere"), **P),
    Case("data-folder-without-survey", remove(lambda r: data(r, SV)),
         Where(SV, words="no survey file")),
    Case("pipeline-not-yaml", in_pipeline("name: trondelag-2021",
                                           "name: [trondelag"),
         Where(PIPE, words="YAML"), **P),
    Case("pipeline-damaged-survey", cell(SV, 2, "nytte_region", "9"),
         Where(SV, 2, "nytte_region", "code 9"), **P),
]

# ---------------------------------------- the programme's inputs (networks, toolkit)
G = dict(target="gode")
HOURS, GATH, NETS = "gode/gathering_hours.csv", "gode/gatherings.csv", "gode/networks.yml"
FORMS, KIT = "gode/toolkit/forms.csv", "gode/toolkit/toolkit.yml"
GODE_CASES = [
    Case("gode-as-is", nothing, **G),
    Case("inf-hours", cell(HOURS, 2, "hours", "inf"),
         Where("gathering_hours.csv", 2, "hours", "finite"), **G),
    Case("nan-hours", cell(HOURS, 3, "hours", "nan"),
         Where("gathering_hours.csv", 3, "hours", "finite"), **G),
    Case("negative-hours", cell(HOURS, 2, "hours", "-1"), Where("gathering_hours.csv", 2, "hours"),
         **G),
    Case("comma-hours", cell(HOURS, 3, "hours", "3,75"), **G),  # a decimal comma is fine
    Case("impossible-gathering-day", cell(GATH, 2, "first_day", "2014-09-31"),
         Where("gatherings.csv", 2, "first_day", "no such date"), **G),
    Case("nul-in-gathering-kind", cell(GATH, 2, "kind", "netts\x00amling"),
         Where("gatherings.csv", 2, "kind", "U+0000"), **G),
    Case("inf-team-size", in_data(NETS, "team_size_average_stated: [5, 6]",
                                  "team_size_average_stated: [5, .inf]"),
         Where("networks.yml", 9, "team_size_average_stated[1]", "finite"), **G),
    Case("impossible-date-in-networks", in_data(NETS, "venue: Oslo", "venue: 2014-02-30"),
         Where("networks.yml", 12, "networks[0].venue", "no such date"), **G),
    Case("impossible-form-date", cell(FORMS, 2, "date_1", "2015-12-32"),
         Where("forms.csv", 2, "date_1", "no such date"), **G),
    Case("inf-score", cell(FORMS, 2, "score_1", "inf"), Where("forms.csv", 2, "score_1"), **G),
    Case("nul-in-activity", cell(FORMS, 2, "activity", "Komme\x00i arbeid"),
         Where("forms.csv", 2, "activity", "U+0000"), **G),
    Case("inf-scale", in_data(KIT, "scale_max: 10", "scale_max: .inf"),
         Where("toolkit.yml", 5, "what_matters_form.scale_max", "finite"), **G),
    Case("nfd-forms", nfd(FORMS), **G),
]

CASES = (SURVEY + INVITATIONS + ACTIVITIES + TEAMS_CASES + SELF_CASES + QUOTE_CASES
         + CODEBOOK_CASES + PIPELINE_CASES + GODE_CASES)


# Cases this part cannot fix: the file that decides belongs to another part.
PARAMS = [pytest.param(c, id=c.id) for c in CASES]


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch):
    monkeypatch.setenv(invitations.KEY_ENV, "corpus-key")


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _validate(argv: list[str]) -> tuple[int, float]:
    """Run ``lnreport validate`` with the address space capped; (status, seconds)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY
                                            else min(cap, hard), hard))
    started = time.perf_counter()
    try:
        status = main(argv)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return status, time.perf_counter() - started


def _error_lines(out: str) -> list[tuple[str, str]]:
    """``(ERROR message, its fix line)`` pairs of a report (a message may span lines)."""
    pairs = []
    for block in re.split(r"\n(?=ERROR: |WARNING: |\d+ error\(s\))", out):
        if block.startswith("ERROR:"):
            fix = next((ln for ln in block.splitlines() if ln.startswith("    fix: ")), "")
            pairs.append((block.split("\n    fix: ")[0], fix))
    return pairs


def _points_at(line: str, where: Where) -> bool:
    head = line.split(": ", 2)[1] if line.count(": ") >= 2 else line
    return (where.file in head
            and (where.row is None or re.search(rf"\brow {where.row}\b", head) is not None)
            and (where.column is None or f"column {where.column!r}" in head)
            and where.words in line)


@pytest.mark.parametrize("case", PARAMS)
def test_bad_input(case: Case, tmp_path, monkeypatch, capsys):
    root = make_root(tmp_path / "project", whole=case.target == "pipeline")
    targets = {"pipeline": pipeline_file(root), "folder": data(root),
               "gode": root / "pipelines" / "gode.yml"}
    monkeypatch.setenv("LNREPORT_ROOT", str(root))
    case.damage(root)
    before = digests(root)
    target = targets[case.target]
    argv = ["validate", str(target), *(a.replace("{root}", str(data(root)))
                                       for a in case.extra)]
    status, seconds = _validate(argv)
    out, err = capsys.readouterr()
    text = out + err
    assert "Traceback" not in text and "failed unexpectedly" not in text, text
    assert status == case.expected_exit, text
    assert digests(root) == before, "validation changed a file"
    assert seconds < SECONDS, f"{seconds:.1f} s"
    errors = _error_lines(text)
    assert all(fix.startswith("    fix: ") and len(fix) > 12 for _, fix in errors), text
    if case.where is not None:
        assert any(_points_at(line, case.where) for line, _ in errors), text
    elif case.expected_exit == 0:
        assert not errors, text


def test_corpus_is_large_and_covers_every_input():
    assert len(CASES) >= 120
    assert len({c.id for c in CASES}) == len(CASES)
    files = {c.where.file for c in CASES if c.where}
    assert {SV, INV, ACT, TEAMS, SELF, QUOTES, CB, PIPE, "forms.csv", "networks.yml"} <= files
