"""Write the invented Fjordnett 2022-2024 example data set (seeded, reproducible).

The third example network, in another shape than the other two: a Nettskjema
csv-report as the survey tool gives it -- ``;``-separated, every cell quoted, UTF-8,
answers as option *codes* (not labels), the metadata columns ``$submission_id``,
``$created`` (ISO 8601 with offset) and ``$answer_time_ms``, checkboxes as one 0/1
column per option (``question.option``) and a radio matrix as one column per row
(``question.row``) -- with an invitation list and the codebook an evaluator would write
for it. Everything is invented: the network, its regions, the people (first names and
surnames put together at random, addresses under ``example.no``) and the answers.

Nettskjema's checkbox matrix (``question.row.option``) is left out: a codebook cannot
express a multiple choice per row of a matrix (see the data folder's README).

Run from the repository root::

    .venv/bin/python tools/make_fjordnett_example.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "example" / "fjordnett-2024"
SEED = 20240614

REGION = {1: "Nordre Fjordbygd", 2: "Søndre Fjordbygd", 3: "Midtdalen", 4: "Kystriket",
          5: "Fjellregionen"}
ROLLE = {1: "Leder", 2: "Ansatt i tjenestene", 3: "Brukerrepresentant", 4: "Koordinator",
         5: "Annen rolle"}
VIRKSOMHET = {1: "Kommune", 2: "Helseforetak", 3: "Brukerorganisasjon", 4: "Annen virksomhet"}
DELTOK = {1: "Nettverkssamlinger", 2: "Webinarer", 3: "Møter i forbedringsteamet",
          4: "Veiledning av teamet", 5: "Erfaringskonferansen"}
GRAD5 = {1: "I svært liten grad", 2: "I liten grad", 3: "I noen grad", 4: "I stor grad",
         5: "I svært stor grad"}
SKALA10 = {1: "1 Svært lite sannsynlig", **{c: str(c) for c in range(2, 10)},
           10: "10 Svært sannsynlig"}
SAMHANDLING = {"kommune": "Mellom kommunene i regionen",
               "hf": "Mellom kommunene og helseforetaket",
               "bruker": "Mellom tjenestene og brukerrepresentantene",
               "team": "Innad i eget forbedringsteam"}
# Invited people per region and organisation type (before rounding by chance).
INVITED = {1: 24, 2: 22, 3: 20, 4: 22, 5: 21}
# Share of each region's invited people who answered: response rates differ by region.
RESPONSE = {1: 0.72, 2: 0.55, 3: 0.45, 4: 0.65, 5: 0.52}
# A region's answers lean up or down: regional sub-reports differ from each other.
LEAN = {1: 0.4, 2: 0.0, 3: -0.3, 4: 0.2, 5: -0.1}
FIRST = ["Astrid", "Berit", "Camilla", "Dag", "Eirik", "Frida", "Geir", "Hanne", "Ivar",
         "Jorunn", "Kjetil", "Lene", "Magnus", "Nina", "Ole", "Petra", "Runa", "Sindre",
         "Tone", "Ulrik", "Vibeke", "Øystein", "Åse", "Yngve"]
# Surnames made up to be plainly invented, so no pair of names is a real person's.
LAST = ["Eksempelsen", "Prøvestad", "Fiktivlund", "Modellvik", "Oppdiktrud", "Testaker",
        "Utkastli", "Skissedal", "Plassholdersen", "Demobakken", "Simulund", "Syntetstad",
        "Formularsen", "Kladdeberg"]
COMMENTS = [
    "Samlingene ga meg ideer jeg har tatt med hjem til tjenesten.",
    "Mer tid til arbeid i eget team mellom samlingene hadde hjulpet.",
    "Webinarene var nyttige, men vanskelige å prioritere i en travel hverdag.",
    "Brukerrepresentantene ble hørt, og det merket vi i teamet.",
    "Det var krevende å holde trykket oppe etter den første samlingen.",
    "Veiledningen var det beste ved nettverket.",
    "Lederne burde vært tettere med fra starten.",
    "Vi fikk et nettverk av kolleger i nabokommunene som vi fortsatt bruker.",
]


# --- codebook --------------------------------------------------------------------------------


def codebook() -> dict:
    """The codebook an evaluator would write for the export (labels from the form)."""
    def q(qid, text, qtype, **extra):
        return {"id": qid, "text": text, "type": qtype, **extra}

    return {
        "survey": "fjordnett-2024",
        "title": "Spørreundersøkelse blant deltakerne i Fjordnett",
        "respondent_id": "$submission_id",
        "meta": {"tool": "Nettskjema", "open_from": "2024-05-27", "open_to": "2024-06-14",
                 "reminders": 1},
        "ignore_columns": ["$created", "$answer_time_ms"],
        "scales": {
            "grad5": {"kind": "rating", "codes": GRAD5, "nonanswers": {9: "Vet ikke"}},
            "skala10": {"kind": "rating", "codes": SKALA10},
            "janei": {"kind": "nominal", "codes": {1: "Ja", 2: "Nei"},
                      "nonanswers": {3: "Vet ikke"}},
            "nytte5": {"kind": "rating",
                       "codes": {1: "1 Ikke nyttig", 2: "2", 3: "3", 4: "4", 5: "5 Svært nyttig"},
                       "nonanswers": {6: "Ikke deltatt"}},
        },
        "questions": [
            q("region", "Hvilken region hører du til?", "single", options=REGION),
            q("rolle", "Hvilken rolle hadde du i nettverket?", "single", options=ROLLE),
            q("virksomhet", "Hvor arbeider du?", "single", options=VIRKSOMHET),
            q("deltok", "Hvilke deler av nettverket deltok du i?", "multi", options=DELTOK),
            q("nytte", "I hvilken grad har nettverket vært nyttig for arbeidet ditt?", "rating",
              scale="grad5"),
            q("teamnytte", "Hvor nyttige var møtene i forbedringsteamet?", "rating",
              scale="nytte5", routing={"question": "deltok", "in": [3]}),
            q("samhandling", "I hvilken grad har nettverket bedret samhandlingen på disse "
              "områdene?", "battery", scale="grad5", items=SAMHANDLING),
            q("anbefale", "Vil du anbefale andre å delta i et slikt nettverk?", "yesno",
              scale="janei"),
            q("fortsette", "Hvor sannsynlig er det at tjenesten din fortsetter "
              "forbedringsarbeidet etter nettverket?", "rating", scale="skala10"),
            q("kommentar", "Har du andre kommentarer til nettverket?", "text"),
        ],
    }


# --- people and answers ----------------------------------------------------------------------


def invitations(rng: random.Random) -> list[dict]:
    """The invited people: one row each, with role, organisation type and region."""
    people, used = [], set()
    for region, count in INVITED.items():
        for _ in range(count):
            while True:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                if (first, last) not in used:
                    used.add((first, last))
                    break
            kind = rng.choices(list(VIRKSOMHET), weights=[60, 20, 12, 8])[0]
            role = rng.choices(list(ROLLE), weights=[20, 45, 12, 15, 8])[0]
            if kind == 3:
                role = 3  # user organisations send user representatives
            people.append({"region": region, "virksomhet": kind, "rolle": role,
                           "first": first, "last": last})
    rng.shuffle(people)
    return people


def _mail(person: dict) -> str:
    letters = str.maketrans({"ø": "o", "å": "a", "æ": "ae", "Ø": "o", "Å": "a", "Æ": "ae"})
    local = f"{person['first']}.{person['last']}".lower().translate(letters)
    domain = {1: "kommune", 2: "helseforetak", 3: "brukerforening", 4: "kompetansesenter"}
    return f"{local}@{domain[person['virksomhet']]}.example.no"


def _rating(rng: random.Random, centre: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(centre, 0.9 * (high - low) / 4))))


def answers(rng: random.Random, person: dict, number: int) -> dict[str, str]:
    """One respondent's row of the csv-report (codes as text, "" for no answer)."""
    lean = LEAN[person["region"]]
    created = dt.datetime(2024, 5, 27, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    created += dt.timedelta(minutes=rng.randrange(0, 18 * 24 * 60))
    row = {"$submission_id": str(4_170_000 + number * 37 + rng.randrange(0, 30)),
           "$created": created.isoformat(timespec="seconds"),
           "$answer_time_ms": str(rng.randrange(150_000, 900_000)),
           "region": str(person["region"]), "rolle": str(person["rolle"]),
           "virksomhet": str(person["virksomhet"])}
    chosen = {c for c, p in zip(DELTOK, (0.85, 0.6, 0.7, 0.4, 0.35), strict=True)
              if rng.random() < p} or {1}
    for code in DELTOK:
        row[f"deltok.{code}"] = "1" if code in chosen else "0"
    row["nytte"] = "9" if rng.random() < 0.05 else str(_rating(rng, 3.7 + lean, 1, 5))
    row["teamnytte"] = "" if 3 not in chosen else (
        "6" if rng.random() < 0.06 else str(_rating(rng, 3.9 + lean, 1, 5)))
    for item, shift in zip(SAMHANDLING, (0.2, -0.4, 0.1, 0.5), strict=True):
        row[f"samhandling.{item}"] = ("9" if rng.random() < 0.08
                                      else str(_rating(rng, 3.4 + lean + shift, 1, 5)))
    row["anbefale"] = str(rng.choices([1, 2, 3], weights=[78 + 20 * lean, 10, 12])[0])
    row["fortsette"] = "" if rng.random() < 0.05 else str(_rating(rng, 7.0 + 2 * lean, 1, 10))
    row["kommentar"] = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
    if rng.random() < 0.04:
        row["nytte"] = ""  # a skipped question: missing, not a non-answer
    return row


def survey_rows(rng: random.Random, people: list[dict]) -> list[dict[str, str]]:
    """The respondents: a share of each region's invited people, in submission order."""
    respondents = []
    for region in REGION:
        invited = [p for p in people if p["region"] == region]
        respondents += rng.sample(invited, round(RESPONSE[region] * len(invited)))
    rows = [answers(rng, p, n) for n, p in enumerate(respondents, start=1)]
    return sorted(rows, key=lambda r: r["$created"])


def columns() -> list[str]:
    return ["$submission_id", "$created", "$answer_time_ms", "region", "rolle", "virksomhet",
            *[f"deltok.{c}" for c in DELTOK], "nytte", "teamnytte",
            *[f"samhandling.{i}" for i in SAMHANDLING], "anbefale", "fortsette", "kommentar"]


# --- files -------------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, quote_all: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


class _PlainDumper(yaml.SafeDumper):
    """Block style, no aliases."""

    def ignore_aliases(self, data):
        return True


def write_yaml(path: Path, data: dict) -> None:
    comment = "# Written by tools/make_fjordnett_example.py; edit the script, not this file.\n"
    text = yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    path.write_text(comment + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder to write (default: %(default)s)")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    people = invitations(rng)
    rows = survey_rows(rng, people)
    args.out.mkdir(parents=True, exist_ok=True)
    write_yaml(args.out / "codebook.yml", codebook())
    write_csv(args.out / "survey.csv", columns(), [[r[c] for c in columns()] for r in rows],
              quote_all=True)
    write_csv(args.out / "invitations.csv",
              ["Navn", "E-post", "Rolle", "Organisasjonstype", "Region"],
              [[f"{p['first']} {p['last']}", _mail(p), ROLLE[p["rolle"]],
                VIRKSOMHET[p["virksomhet"]], REGION[p["region"]]] for p in people],
              quote_all=False)
    print(f"wrote {len(rows)} respondents and {len(people)} invited people to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
