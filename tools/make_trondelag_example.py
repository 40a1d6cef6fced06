"""Write the reconstructed Trøndelag 2019-2021 example data set (seeded, reproducible).

The published evaluation (KS Trøndelag, September 2021) gives counts, means and
orderings but not its raw data. This script *creates* data that agree with every
published figure, so it holds the published targets (distributions chosen by hand to
meet them); ``lnutils`` never does: it computes the facts back from the files written
here. Everything not fixed by the report (names, e-mails, dates inside a month, the
spread of answers, the free text) is invented; see the data folder's README.

Run from the repository root::

    .venv/bin/python tools/make_trondelag_example.py [--out DIR]

Names are built from invented surnames and checked against the source document, so no
real person named there appears in the data.
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
OUT = ROOT / "data" / "example" / "trondelag-2021"
SEED = 20210624
SOURCE = ROOT.parent / "shared" / "seeds" / "000_bbd7c52b74b53415.txt"

# --- codebook ------------------------------------------------------------------------------

SKALA6 = {1: "1 I liten grad", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6 I stor grad"}
VERBAL5 = {1: "I meget liten grad", 2: "I liten grad", 3: "I noe grad", 4: "I stor grad",
           5: "I meget stor grad"}
PERIODE = {1: "Første del av perioden", 2: "Andre del av perioden", 3: "Hele perioden"}
ARENA = {1: "Forbedringsteam", 2: "Arbeidsgruppe", 3: "Arbeidsutvalg",
         4: "Andre arenaer (fellessamlinger, webinarer m.m.)"}
ORG = {1: "Kommune", 2: "Helseforetak", 3: "Brukerorganisasjon", 4: "Kompetansemiljø",
       5: "KS", 6: "Statsforvalteren", 7: "Annet"}
AKTIVITET = {1: "Informasjonsmøte", 2: "Felles nettverkssamlinger",
             3: "Felles forbedringsteamsamlinger", 4: "Koordinator- og brukerrepresentantsamlinger",
             5: "Arbeidsgruppemøter", 6: "Arbeidsutvalgsmøter", 7: "Webinarer",
             8: "Veiledning i forbedringsteamet", 9: "Møter i eget forbedringsteam"}
ROLLE = {1: "Leder", 2: "Fagperson", 3: "Koordinator i forbedringsteam",
         4: "Brukerrepresentant eller erfaringskonsulent", 5: "Rådgiver eller prosessveileder",
         6: "Annet"}
REGION = {1: "Fosen", 2: "Orkland Fjell", 3: "Værnes", 4: "Inn-Trøndelag", 5: "Trondheim",
          6: "Ytre Namdal"}
ARENA_ITEMS = {  # battery item -> the activity option it rates
    "nettverkssamlinger": (2, "Felles nettverkssamlinger"),
    "forbedringsteamsamlinger": (3, "Felles forbedringsteamsamlinger"),
    "koordinatorsamlinger": (4, "Koordinator- og brukerrepresentantsamlinger"),
    "arbeidsgruppemoter": (5, "Arbeidsgruppemøter"),
    "arbeidsutvalgsmoter": (6, "Arbeidsutvalgsmøter"),
    "webinarer": (7, "Webinarer"),
    "veiledning": (8, "Veiledning i forbedringsteamet"),
}
Q19_ITEMS = {
    "relasjoner": "Bygge relasjoner mellom dem som er involvert",
    "erfaringsutveksling": "Være en møteplass der erfaringer deles",
    "forstaelse": "Skape felles forståelse på tvers av forvaltningsnivåer",
    "endring": "Fremme endring og forbedring som gir bedre tjenester",
    "kompetanse": "Gi mer kompetanse i kunnskapsbaserte metoder og praktiske verktøy",
}
SAMHANDLING_ITEMS = {
    "kommuner_region": "Mellom kommunene i egen kommuneregion",
    "kommuner_hf": "Mellom kommunene og helseforetaket",
    "tjenester_brukere": "Mellom tjenestene og brukerrepresentantene",
    "kommuneregioner": "Mellom kommuneregionene",
    "kompetansemiljo": "Mellom tjenestene og kompetansemiljøene",
}
Q22_ITEMS = {"individ": "På individnivå", "tjeneste": "På tjenestenivå",
             "system": "På systemnivå"}


def codebook() -> dict:
    """The participant survey as the report describes it (numbers as in the report)."""
    def q(qid, number, text, qtype, **extra):
        return {"id": qid, "number": number, "text": text, "type": qtype, **extra}

    team = {"question": "forbedringsteam", "in": [1]}
    return {
        "survey": "trondelag-2021",
        "title": "Spørreundersøkelse blant deltakerne i læringsnettverket",
        "respondent_id": "respondent",
        "meta": {"tool": "Questback", "sent_after_gathering": dt.date(2021, 6, 10),
                 "open_from": dt.date(2021, 6, 25), "open_to": dt.date(2021, 8, 24),
                 "reminders": 2, "deadline_extensions": 2},
        "ignore_columns": ["Startet", "Fullført"],
        "scales": {
            "skala6": {"kind": "rating", "codes": SKALA6, "nonanswers": {7: "Vet ikke"}},
            "skala6_arena": {"kind": "rating", "codes": SKALA6,
                             "nonanswers": {7: "Vet ikke", 8: "Ikke deltatt"}},
            "verbal5": {"kind": "rating", "codes": VERBAL5, "nonanswers": {6: "Vet ikke"}},
            "janeivetikke": {"kind": "nominal", "codes": {1: "Ja", 2: "Nei"},
                             "nonanswers": {3: "Vet ikke"}},
            "janei": {"kind": "nominal", "codes": {1: "Ja", 2: "Nei"}},
        },
        "questions": [
            q("periode", 1, "Hvilken del av nettverksperioden deltok du i?", "single",
              options=PERIODE),
            q("arena", 2, "Hvilken formell arena i nettverket var du knyttet til?", "single",
              options=ARENA),
            q("representerer", 3, "Hvem representerte du i læringsnettverket?", "single",
              options=ORG),
            q("aktiviteter", 4, "Hvilke aktiviteter i nettverket har du deltatt på? "
              "(flere kryss mulig)", "multi", options=AKTIVITET),
            q("aktiviteter_annet", 5, "Andre aktiviteter du har deltatt på", "text"),
            q("rolle", 6, "Hvilken rolle hadde du i nettverket?", "single", options=ROLLE),
            q("forbedringsteam", 7, "Har du vært deltaker i et forbedringsteam?", "yesno",
              scale="janei"),
            q("region", 8, "Hvilken kommuneregion er forbedringsteamet ditt knyttet til?",
              "single", options=REGION, routing=team),
            q("nytte_region", 9, "I hvilken grad har det vært nyttig at nettverket bygget på "
              "kommuneregionene?", "rating", scale="skala6"),
            q("innsats_egen", 10, "Hvordan vurderer du din egen innsats i forbedringsteamet?",
              "rating", scale="skala6", routing=team),
            q("innsats_team", 11, "Hvordan vurderer du innsatsen til forbedringsteamet samlet?",
              "rating", scale="skala6", routing=team),
            q("innsats_forbedring", 12, "Hva kunne nettverket gjort for at innsatsen hadde "
              "blitt enda bedre?", "text", routing=team),
            q("ledere_spurte", 13, "Har lederne i din organisasjon etterspurt hva dere har "
              "arbeidet med i nettverket?", "yesno", scale="janeivetikke"),
            q("ledere_spurte_ja", 14, "Hva ble etterspurt?", "text",
              routing={"question": "ledere_spurte", "in": [1]}),
            q("ledere_spurte_nei", 15, "Hva tror du er grunnen til at arbeidet ikke ble "
              "etterspurt?", "text", routing={"question": "ledere_spurte", "in": [2]}),
            q("nytte_arena", 16, "Hvor nyttige har de ulike arenaene i nettverket vært for "
              "deg?", "battery", scale="skala6_arena",
              items={k: v[1] for k, v in ARENA_ITEMS.items()}),
            q("covid", 17, "I hvilken grad har pandemien påvirket nytten av nettverket?",
              "rating", scale="skala6"),
            q("digitalt", 18, "Vil de digitale verktøyene nettverket tok i bruk gjøre det "
              "lettere å samarbeide i fagfeltet framover?", "yesno", scale="janeivetikke"),
            q("digitalt_tekst", "18b", "Utdyp gjerne svaret ditt", "text"),
            q("q19", 19, "I hvilken grad har måten læringsnettverket var organisert på "
              "lyktes med å ...", "battery", scale="verbal5", items=Q19_ITEMS),
            q("q20", 20, "I hvilken grad har læringsnettverket bidratt til bedre samhandling?",
              "battery", scale="skala6", items=SAMHANDLING_ITEMS),
            q("q21", 21, "I hvilken grad har læringsnettverket bidratt til å styrke fag- og "
              "tjenesteutviklingen?", "battery", scale="skala6", items=SAMHANDLING_ITEMS),
            q("q21_tekst", "21b", "Hva har vært de viktigste grepene for fag- og "
              "tjenesteutviklingen?", "text"),
            q("q22", 22, "I hvilken grad har læringsnettverket bidratt til å styrke "
              "brukermedvirkningen?", "battery", scale="skala6", items=Q22_ITEMS),
            q("q22_tekst", "22b", "Hva har vært de viktigste grepene for brukermedvirkningen?",
              "text"),
            q("nytte_org", 23, "Alt i alt: i hvilken grad har organisasjonen du representerer "
              "hatt nytte av å delta i læringsnettverket?", "rating", scale="skala6"),
            q("kommentar", 24, "Andre kommentarer til læringsnettverket", "text"),
        ],
    }


# --- respondents -----------------------------------------------------------------------------

# (arena, representerer, rolle, in a team, region) for the 35 respondents. The report fixes
# the totals per arena (29/2/3, the 35th in the working committee: our choice), per
# organisation (22/6/3, 4 others), the 30 team members and that all teams are covered.
def _profiles() -> list[dict]:
    team_rows = {  # region -> (kommune, helseforetak, brukerorganisasjon) among respondents
        1: (4, 1, 0), 2: (4, 1, 1), 3: (4, 1, 1), 4: (3, 0, 0), 5: (2, 2, 1), 6: (3, 1, 0)}
    rows = []
    coordinator_regions = {1, 2, 3, 4, 6}  # five of six coordinators answered (invented)
    for region, (kom, hf, bruker) in team_rows.items():
        for i in range(kom):
            rolle = 3 if i == 0 and region in coordinator_regions else (1 if i == 1 else 2)
            rows.append(dict(arena=1, org=1, rolle=rolle, team=1, region=region))
        rows += [dict(arena=1, org=2, rolle=2 if i else 1, team=1, region=region)
                 for i in range(hf)]
        rows += [dict(arena=1, org=3, rolle=4, team=1, region=region) for _ in range(bruker)]
    rows += [
        dict(arena=2, org=1, rolle=1, team=1, region=5),   # working group, also in a team
        dict(arena=2, org=4, rolle=5, team=2, region=None),
        dict(arena=3, org=5, rolle=5, team=2, region=None),
        dict(arena=4, org=1, rolle=2, team=2, region=None),
        dict(arena=4, org=4, rolle=5, team=2, region=None, one_activity=True),
        dict(arena=4, org=6, rolle=5, team=2, region=None),
    ]
    return rows


def _pool(counts: dict[int, int]) -> list[int]:
    return [code for code, n in counts.items() for _ in range(n)]


# Distributions per question (code -> count, 35 answers unless routed; code 0 = left
# blank). Chosen so the published figures hold: n, counts, means to the published
# decimals and orderings.
NYTTE_REGION = {6: 9, 5: 12, 4: 10, 3: 2, 2: 2}
INNSATS_EGEN = {6: 4, 5: 10, 4: 11, 3: 4, 2: 1}
INNSATS_TEAM = {6: 8, 5: 13, 4: 7, 3: 2}
LEDERE = {1: 15, 2: 15, 3: 5}
COVID = {6: 2, 5: 4, 4: 8, 3: 8, 2: 6, 1: 5, 7: 2}
DIGITALT = {1: 24, 2: 6, 3: 5}
NYTTE_ARENA = {
    "nettverkssamlinger": {6: 12, 5: 13, 4: 6, 3: 2, 8: 2},
    "forbedringsteamsamlinger": {6: 10, 5: 12, 4: 7, 3: 2, 7: 1, 8: 3},
    "koordinatorsamlinger": {6: 3, 5: 6, 4: 4, 3: 2, 7: 12, 8: 8},
    "arbeidsgruppemoter": {6: 2, 5: 4, 4: 3, 3: 2, 7: 14, 8: 10},
    "arbeidsutvalgsmoter": {6: 2, 5: 4, 4: 4, 3: 1, 7: 13, 8: 11},
    "webinarer": {6: 4, 5: 9, 4: 8, 3: 3, 2: 1, 7: 4, 8: 6},
    "veiledning": {6: 5, 5: 8, 4: 7, 3: 2, 2: 1, 7: 5, 8: 7},
}
Q19 = {
    "relasjoner": {5: 14, 4: 16, 3: 4, 2: 1},
    "erfaringsutveksling": {5: 12, 4: 17, 3: 5, 2: 1},
    "forstaelse": {5: 8, 4: 17, 3: 8, 2: 2},
    "endring": {5: 4, 4: 12, 3: 14, 2: 4, 1: 1},
    "kompetanse": {5: 3, 4: 11, 3: 15, 2: 5, 1: 1},
}
Q20 = {
    "kommuner_region": {6: 10, 5: 12, 4: 6, 3: 3, 2: 1, 7: 3},
    "kommuner_hf": {6: 4, 5: 9, 4: 8, 3: 5, 2: 3, 1: 1, 7: 5},
    "tjenester_brukere": {6: 6, 5: 10, 4: 8, 3: 4, 2: 2, 7: 5},
    "kommuneregioner": {6: 2, 5: 6, 4: 9, 3: 8, 2: 3, 1: 1, 7: 6},
    "kompetansemiljo": {6: 2, 5: 7, 4: 9, 3: 6, 2: 3, 7: 8},
}
Q21 = {
    "kommuner_region": {6: 6, 5: 10, 4: 9, 3: 5, 2: 2, 7: 3},
    "kommuner_hf": {6: 3, 5: 7, 4: 10, 3: 7, 2: 3, 1: 1, 7: 4},
    "tjenester_brukere": {6: 5, 5: 10, 4: 10, 3: 4, 2: 2, 7: 4},
    "kommuneregioner": {6: 2, 5: 6, 4: 10, 3: 8, 2: 3, 1: 1, 7: 5},
    "kompetansemiljo": {6: 2, 5: 7, 4: 10, 3: 7, 2: 2, 7: 6, 0: 1},
}
Q22 = {
    "individ": {6: 3, 5: 8, 4: 9, 3: 7, 2: 3, 1: 1, 7: 3, 0: 1},
    "tjeneste": {6: 5, 5: 10, 4: 9, 3: 5, 2: 2, 7: 4},
    "system": {6: 8, 5: 11, 4: 8, 3: 4, 2: 1, 7: 3},
}
# Overall usefulness by organisation: municipalities 99/22 (4,5), health trust 18/6 (the
# lowest group), user organisations 15/3 (above the mean), the rest 15/4; 147/35 = 4,2.
NYTTE_ORG = {1: [6] * 4 + [5] * 7 + [4] * 7 + [3] * 4, 2: [4, 4, 3, 3, 2, 2],
             3: [6, 5, 4], 4: [4, 3], 5: [4], 6: [4]}
PERIODE_COUNTS = {1: 3, 2: 6, 3: 26}


def _spread(rng: random.Random, counts: dict[int, int], n: int) -> list[int]:
    pool = _pool(counts)
    assert len(pool) == n, (counts, n)
    rng.shuffle(pool)
    return pool


def _assign_periods(rng: random.Random, rows: list[dict]) -> None:
    """Whole-period respondents' mean overall usefulness must round to 4,3."""
    while True:
        periods = _spread(rng, PERIODE_COUNTS, len(rows))
        whole = [r["nytte_org"] for r, p in zip(rows, periods, strict=True) if p == 3]
        if round(sum(whole) / len(whole), 1) == 4.3:
            for r, p in zip(rows, periods, strict=True):
                r["periode"] = p
            return


def _fixed_arena_ratings(r: dict) -> dict[str, int]:
    """Ratings some respondents must give: the one who only attended webinars, and the
    working-group and committee members, who rate their own meetings."""
    if r.get("one_activity"):
        return {item: (4 if item == "webinarer" else 8) for item in ARENA_ITEMS}
    if r["arena"] == 2:
        return {"arbeidsgruppemoter": 5}
    if r["arena"] == 3:
        return {"arbeidsgruppemoter": 4, "arbeidsutvalgsmoter": 6}
    return {}


def _assign_arena_ratings(rng: random.Random, rows: list[dict]) -> None:
    """Arena ratings: fixed ones first, the rest shuffled until everyone outside the
    teams attended at least two arenas (the report: all but one attended several)."""
    fixed = [_fixed_arena_ratings(r) for r in rows]
    while True:
        for item, counts in NYTTE_ARENA.items():
            pool = _pool(counts)
            for f in fixed:
                if item in f:
                    pool.remove(f[item])
            rng.shuffle(pool)
            for r, f in zip(rows, fixed, strict=True):
                r[f"nytte_arena.{item}"] = f[item] if item in f else pool.pop()
        if all(_arena_ok(r) for r in rows):
            return


def _arena_ok(r: dict) -> bool:
    attended = [item for item in ARENA_ITEMS if r[f"nytte_arena.{item}"] != 8]
    if r.get("one_activity"):
        return True
    return len(attended) >= (1 if r["team"] == 1 else 2)


def _activities(rng: random.Random, r: dict) -> dict[int, int]:
    """Ticked activities follow the arena ratings ("Ikke deltatt" = not ticked)."""
    ticks = {code: 0 for code in AKTIVITET}
    for item, (code, _) in ARENA_ITEMS.items():
        ticks[code] = int(r[f"nytte_arena.{item}"] != 8)
    if not r.get("one_activity"):
        ticks[1] = int(rng.random() < 0.45)  # the information meeting, August 2019
    ticks[9] = int(r["team"] == 1)
    return ticks


def respondents(rng: random.Random) -> list[dict]:
    """The 35 answers as codes (texts added by :func:`survey_rows`)."""
    rows = _profiles()
    for r in rows:
        r["respondent"] = ""
    org_groups: dict[int, list[dict]] = {code: [] for code in NYTTE_ORG}
    for r in rows:
        org_groups[r["org"]].append(r)
    for key, group in org_groups.items():
        values = list(NYTTE_ORG[key])
        rng.shuffle(values)
        for r, v in zip(group, values, strict=True):
            r["nytte_org"] = v
    _assign_periods(rng, rows)
    team = [r for r in rows if r["team"] == 1]
    for name, counts, group in [("nytte_region", NYTTE_REGION, rows),
                                ("innsats_egen", INNSATS_EGEN, team),
                                ("innsats_team", INNSATS_TEAM, team),
                                ("ledere_spurte", LEDERE, rows), ("covid", COVID, rows),
                                ("digitalt", DIGITALT, rows)]:
        for r, v in zip(group, _spread(rng, counts, len(group)), strict=True):
            r[name] = v
    for prefix, battery in [("q19", Q19), ("q20", Q20), ("q21", Q21), ("q22", Q22)]:
        for item, counts in battery.items():
            for r, v in zip(rows, _spread(rng, counts, len(rows)), strict=True):
                r[f"{prefix}.{item}"] = v
    _assign_arena_ratings(rng, rows)
    for r in rows:
        r["aktiviteter"] = _activities(rng, r)
    rng.shuffle(rows)
    for i, r in enumerate(rows, start=1):
        r["respondent"] = f"R{i:03d}"
    return rows


def _free_text(rng: random.Random, rows: list[dict]) -> None:
    """Attach the invented free-text answers to fitting respondents."""
    def give(field: str, answers: list[str], who: list[dict]) -> None:
        for r, text in zip(rng.sample(who, len(answers)), answers, strict=True):
            r[field] = text

    give("ledere_spurte_ja", LEDERE_JA, [r for r in rows if r["ledere_spurte"] == 1])
    give("ledere_spurte_nei", LEDERE_NEI, [r for r in rows if r["ledere_spurte"] == 2])
    give("digitalt_tekst", DIGITALT_JA, [r for r in rows if r["digitalt"] == 1])
    give("q21_tekst", FAGUTVIKLING, rows)
    give("q22_tekst", BRUKERMEDVIRKNING, rows)
    give("kommentar", KOMMENTARER, rows)
    give("aktiviteter_annet", ANDRE_AKTIVITETER,
         [r for r in rows if r["aktiviteter"][7] == 1])


def _label(scale: dict[int, str], code: int, nonanswers: dict[int, str]) -> str:
    return {0: "", **scale, **nonanswers}[code]


def survey_rows(rng: random.Random, rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """The Questback-like export: one row per respondent, labels in the cells."""
    _free_text(rng, rows)
    vet = {7: "Vet ikke"}
    header = ["respondent", "Startet", "Fullført", "periode", "arena", "representerer"]
    header += [f"aktiviteter.{c}" for c in AKTIVITET]
    header += ["aktiviteter_annet", "rolle", "forbedringsteam", "region", "nytte_region",
               "innsats_egen", "innsats_team", "innsats_forbedring", "ledere_spurte",
               "ledere_spurte_ja", "ledere_spurte_nei"]
    header += [f"nytte_arena.{i}" for i in ARENA_ITEMS]
    header += ["covid", "digitalt", "digitalt_tekst"]
    header += [f"q19.{i}" for i in Q19_ITEMS] + [f"q20.{i}" for i in SAMHANDLING_ITEMS]
    header += [f"q21.{i}" for i in SAMHANDLING_ITEMS] + ["q21_tekst"]
    header += [f"q22.{i}" for i in Q22_ITEMS] + ["q22_tekst", "nytte_org", "kommentar"]
    jn = {1: "Ja", 2: "Nei", 3: "Vet ikke"}
    out = []
    for r in sorted(rows, key=lambda r: r["respondent"]):
        day = rng.randrange(0, 60)
        hour, minute = rng.randrange(8, 22), rng.randrange(50)
        date = f"2021-{6 + (24 + day) // 30:02d}-{(24 + day) % 30 + 1:02d}"
        start = f"{date} {hour:02d}:{minute:02d}"
        done = f"{date} {hour:02d}:{minute + rng.randrange(4, 10):02d}"
        team = r["team"] == 1
        cells = {
            "respondent": r["respondent"], "Startet": start, "Fullført": done,
            "periode": PERIODE[r["periode"]], "arena": ARENA[r["arena"]],
            "representerer": ORG[r["org"]],
            **{f"aktiviteter.{c}": str(v) for c, v in r["aktiviteter"].items()},
            "aktiviteter_annet": r.get("aktiviteter_annet", ""),
            "rolle": ROLLE[r["rolle"]], "forbedringsteam": jn[r["team"]],
            "region": REGION[r["region"]] if team else "",
            "nytte_region": _label(SKALA6, r["nytte_region"], vet),
            "innsats_egen": SKALA6[r["innsats_egen"]] if team else "",
            "innsats_team": SKALA6[r["innsats_team"]] if team else "",
            "innsats_forbedring": "",  # nobody suggested anything (the report says so)
            "ledere_spurte": jn[r["ledere_spurte"]],
            "ledere_spurte_ja": r.get("ledere_spurte_ja", ""),
            "ledere_spurte_nei": r.get("ledere_spurte_nei", ""),
            "covid": _label(SKALA6, r["covid"], vet), "digitalt": jn[r["digitalt"]],
            "digitalt_tekst": r.get("digitalt_tekst", ""),
            "q21_tekst": r.get("q21_tekst", ""), "q22_tekst": r.get("q22_tekst", ""),
            "nytte_org": SKALA6[r["nytte_org"]], "kommentar": r.get("kommentar", ""),
        }
        for item in ARENA_ITEMS:
            cells[f"nytte_arena.{item}"] = _label(SKALA6, r[f"nytte_arena.{item}"],
                                                  {7: "Vet ikke", 8: "Ikke deltatt"})
        for item in Q19_ITEMS:
            cells[f"q19.{item}"] = _label(VERBAL5, r[f"q19.{item}"], {6: "Vet ikke"})
        for prefix in ("q20", "q21"):
            for item in SAMHANDLING_ITEMS:
                cells[f"{prefix}.{item}"] = _label(SKALA6, r[f"{prefix}.{item}"], vet)
        for item in Q22_ITEMS:
            cells[f"q22.{item}"] = _label(SKALA6, r[f"q22.{item}"], vet)
        out.append([cells[h] for h in header])
    return header, out


# --- invitations -----------------------------------------------------------------------------

# Invited people per (arena, organisation type, team region): 42 team members, 6 in the
# working group, 4 in the committee ("vel 50" active roles), 58 at other arenas; 110 in all.
TEAM_INVITED = {  # region -> (kommune, helseforetak, brukerorganisasjon)
    "Fosen": (4, 1, 2), "Orkland Fjell": (6, 2, 1), "Værnes": (6, 1, 1),
    "Inn-Trøndelag": (5, 0, 0), "Trondheim": (4, 2, 2), "Ytre Namdal": (3, 1, 1)}
OTHER_INVITED = [  # (arena, organisation type, region, count)
    ("Arbeidsgruppe", "Kommune", "Trondheim", 1), ("Arbeidsgruppe", "Kommune", "", 1),
    ("Arbeidsgruppe", "Helseforetak", "", 1), ("Arbeidsgruppe", "Kompetansemiljø", "", 2),
    ("Arbeidsgruppe", "Brukerorganisasjon", "", 1),
    ("Arbeidsutvalg", "KS", "", 1), ("Arbeidsutvalg", "Statsforvalteren", "", 2),
    ("Arbeidsutvalg", "Kompetansemiljø", "", 1),
    ("Andre arenaer (fellessamlinger, webinarer m.m.)", "Kommune", "", 34),
    ("Andre arenaer (fellessamlinger, webinarer m.m.)", "Helseforetak", "", 10),
    ("Andre arenaer (fellessamlinger, webinarer m.m.)", "Brukerorganisasjon", "", 2),
    ("Andre arenaer (fellessamlinger, webinarer m.m.)", "Kompetansemiljø", "", 6),
    ("Andre arenaer (fellessamlinger, webinarer m.m.)", "KS", "", 2),
    ("Andre arenaer (fellessamlinger, webinarer m.m.)", "Statsforvalteren", "", 4),
]
ORGANISATIONS = {
    "Helseforetak": ["St. Olavs hospital", "Helse Nord-Trøndelag"],
    "Brukerorganisasjon": ["Mental Helse Trøndelag", "RIO Trøndelag", "Brukerrepresentant"],
    "Kompetansemiljø": ["KoRus Midt", "NAPHA", "RKBU Midt-Norge"],
    "KS": ["KS Trøndelag"], "Statsforvalteren": ["Statsforvalteren i Trøndelag"],
}
TEAM_HF = {"Fosen": "Nidaros DPS", "Orkland Fjell": "Orkdal DPS", "Værnes": "Stjørdal DPS",
           "Trondheim": "Nidelv DPS", "Ytre Namdal": "Namsos DPS"}
TEAM_MUNICIPALITIES = {
    "Fosen": ["Indre Fosen", "Ørland", "Åfjord"],
    "Orkland Fjell": ["Oppdal", "Hitra", "Frøya", "Rennebu", "Orkland", "Røros", "Holtålen"],
    "Værnes": ["Stjørdal", "Frosta", "Meråker", "Tydal", "Selbu"],
    "Inn-Trøndelag": ["Steinkjer", "Snåsa"],
    "Trondheim": ["Melhus", "Trondheim", "Malvik"],
    "Ytre Namdal": ["Nærøysund", "Leka", "Bindal"],
}
OTHER_MUNICIPALITIES = ["Trondheim", "Levanger", "Verdal", "Namsos", "Steinkjer", "Stjørdal",
                        "Orkland", "Melhus", "Malvik", "Skaun", "Inderøy", "Midtre Gauldal"]
ROLES = {"Kommune": ["Leder", "Fagperson", "Fagperson"], "Helseforetak": ["Leder", "Fagperson"],
         "Brukerorganisasjon": ["Brukerrepresentant"], "Kompetansemiljø": ["Rådgiver"],
         "KS": ["Rådgiver"], "Statsforvalteren": ["Seniorrådgiver"]}
FIRST = ["Anne", "Ingrid", "Marte", "Silje", "Hilde", "Tone", "Kristin", "Ola", "Lars", "Knut",
         "Eirik", "Sindre", "Håkon", "Guro", "Siri", "Linn", "Vegard", "Øystein", "Torunn",
         "Mari", "Ragnhild", "Bjørn", "Are", "Sunniva", "Petter", "Maja", "Geir", "Helene",
         "Aslak", "Synnøve", "Tor", "Live", "Magnus", "Elin", "Ronja", "Sverre"]
LAST = ["Fjellvang", "Brekkmo", "Lianes", "Storvoll", "Hegglund", "Skarbø", "Vikstrøm",
        "Aunevik", "Moldset", "Grønnå", "Tvervik", "Ramsli", "Kvernmo", "Eidsvang", "Sandnesli",
        "Hollås", "Øyen-Bakk", "Flatmo", "Lervang", "Nyhaugen", "Strandvik", "Bjørkås",
        "Torvmo", "Heggem", "Skogsnes"]


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "-", ".": ""})
    return text.lower().translate(table)


def invitations(rng: random.Random) -> list[dict]:
    """The 110 invited people (synthetic names, e-mails, phones)."""
    plan = []
    for region, (kom, hf, bruker) in TEAM_INVITED.items():
        munis = TEAM_MUNICIPALITIES[region]
        plan += [("Forbedringsteam", "Kommune", region, f"{munis[i % len(munis)]} kommune",
                  "Koordinator" if i == 0 else ("Leder" if i == 1 else "Fagperson"))
                 for i in range(kom)]
        plan += [("Forbedringsteam", "Helseforetak", region, TEAM_HF[region], "Fagperson")
                 for _ in range(hf)]
        plan += [("Forbedringsteam", "Brukerorganisasjon", region,
                  rng.choice(ORGANISATIONS["Brukerorganisasjon"]), "Brukerrepresentant")
                 for _ in range(bruker)]
    for arena, org, region, n in OTHER_INVITED:
        for _ in range(n):
            munis = TEAM_MUNICIPALITIES[region] if region else OTHER_MUNICIPALITIES
            name = (f"{rng.choice(munis)} kommune" if org == "Kommune"
                    else rng.choice(ORGANISATIONS[org]))
            plan.append((arena, org, region, name, rng.choice(ROLES[org])))
    names: set[str] = set()
    people = []
    for arena, org, region, organisation, role in plan:
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in names:
                names.add(name)
                break
        first, last = name.split(" ", 1)
        domain = _slug(organisation.replace(" kommune", "")) + ".example.no"
        people.append({
            "Navn": name, "E-post": f"{_slug(first)}.{_slug(last)}@{domain}",
            "Telefon": f"{rng.choice('49')}{rng.randrange(1000000, 9999999)}",
            "Rolle": role, "Organisasjonstype": org, "Organisasjon": organisation,
            "Region": region, "Arena": arena,
        })
    rng.shuffle(people)
    return people


def check_names_are_invented(people: list[dict]) -> None:
    """Refuse to write a name or surname that occurs in the source document."""
    if not SOURCE.exists():
        return
    source = SOURCE.read_text(encoding="utf-8").casefold()
    for last in LAST:
        if last.casefold() in source:
            raise SystemExit(f"surname {last!r} occurs in the source document; pick another")
    for p in people:
        if p["Navn"].casefold() in source:
            raise SystemExit(f"name {p['Navn']!r} occurs in the source document")


# --- free text (invented, in our own words) ---------------------------------------------------

LEDERE_JA = [
    "Hva vi har lært på samlingene, og hvordan arbeidet i teamet går framover.",
    "Om deltakelsen er verdt tiden vi bruker, og hva vi kan ta med inn i egen drift.",
    "Status i forbedringsarbeidet og hvilke resultater vi ser så langt.",
    "Hvordan brukerne kan få mer å si for hvordan tjenestene våre blir utformet.",
    "Hvilke tiltak teamet har valgt, og hvorfor.",
    "Erfaringene med brukerpanel, og om det kan brukes i hele kommunen.",
    "Korte muntlige oppdateringer på ledermøtene.",
    "Hva samarbeidet med DPS har gitt oss.",
]
LEDERE_NEI = [
    "Travle dager og lite rom for å følge opp noe som ikke er en del av driften.",
    "Jeg har nok ikke selv fortalt nok om arbeidet underveis.",
    "Ny leder kom midt i perioden, og koronaarbeidet tok det meste av oppmerksomheten.",
    "Vi har ingen fast rutine for å melde tilbake fra nettverk som dette.",
    "Forbedringsarbeid på tvers av nivåene har lav prioritet hos oss.",
    "Kommunesammenslåingen gjorde at mye annet måtte komme først.",
]
DIGITALT_JA = [
    "Korte digitale møter gjør det enklere å samle folk fra flere kommuner.",
    "Vi har møttes oftere fordi ingen trenger å reise.",
    "Det er lettere å ta kontakt med DPS når vi kjenner hverandre fra skjermen.",
    "Digitale møter fungerer godt når noen styrer møtet og agendaen er tydelig.",
    "Vi sparer mye reisetid, men savner praten i pausene.",
    "Nå bruker de fleste Teams, så det skal lite til for et kort avklaringsmøte.",
]
FAGUTVIKLING = [
    "At vi har fått jobbe sammen med brukerrepresentantene fra start til slutt.",
    "Veiledningen teamet fikk var konkret og hjalp oss videre.",
    "Å høre hvordan de andre teamene løser de samme utfordringene.",
    "Gode foredrag på fellessamlingene.",
    "Vi kjenner tjenestene i nabokommunene mye bedre nå.",
]
BRUKERMEDVIRKNING = [
    "Det at brukerne satt i teamene fra første møte.",
    "Hvert team måtte ha med brukere – det var ikke valgfritt.",
    "Brukerorganisasjonene har vært synlige på alle nivåer i nettverket.",
    "Temaet har gått igjen på samlinger og webinarer.",
    "Flere regioner har startet med brukerpanel samtidig, og vi har lært av hverandre.",
    "Vi ble tatt på alvor som brukerrepresentanter.",
]
KOMMENTARER = [
    "Takk for et lærerikt nettverk. Vi ønsker å fortsette å møtes i regionen.",
    "Det hadde vært fint med flere fysiske samlinger, men det var ikke mulig i denne perioden.",
    "Nettverket burde vært bedre forankret hos toppledelsen i kommunene.",
    "To år er kort tid for så store endringer.",
]
ANDRE_AKTIVITETER = [
    "Fagdag om brukerpanel i egen region.",
    "Digitalt seminar om innbyggerinvolvering.",
]

# --- activity log --------------------------------------------------------------------------

ACTIVITY_COLUMNS = ["dato", "arena", "form", "forbedringsteam", "deltakere", "merknad"]
PANDEMIC = "2020-03-12"  # the first physical meetings were cancelled from this date
# (arena, dates, approximate participants). Counts per arena are Table 1 of the report;
# the dates follow the plan in its appendix 2 where it gives them, otherwise invented.
EVENTS = [
    ("Informasjonsmøte", ["2019-08-27"], 60),
    ("Arbeidsgruppe møter", ["2019-09-11", "2019-11-20", "2020-01-15", "2020-06-09",
                             "2020-08-17", "2020-09-07", "2020-12-03", "2021-01-12",
                             "2021-03-24"], 9),
    ("Arbeidsutvalg møter", ["2019-08-14", "2019-09-04", "2019-10-02", "2019-10-30",
                             "2019-11-27", "2020-01-08", "2020-02-19", "2020-03-25",
                             "2020-04-07", "2020-04-22", "2020-05-14", "2020-06-09",
                             "2020-06-24", "2020-08-17", "2020-09-07", "2020-09-30",
                             "2020-10-12", "2020-10-28", "2020-11-11", "2020-12-03",
                             "2021-01-12", "2021-02-12", "2021-02-24", "2021-03-24",
                             "2021-03-26", "2021-04-13", "2021-05-05", "2021-05-26",
                             "2021-06-02", "2021-06-16"], 5),
    ("Koordinator- og brukerrepresentant samlinger", ["2019-12-04", "2020-02-26", "2020-05-26",
                                                      "2020-05-27", "2020-10-01", "2021-01-13",
                                                      "2021-03-10"], 12),
    ("Felles forbedringsteam samlinger", ["2020-08-28", "2020-12-09", "2021-03-17"], 40),
    ("Felles nettverkssamlinger", ["2019-10-23", "2020-02-05", "2020-11-03", "2021-06-09"], 80),
    ("Webinarer", ["2020-06-16", "2020-11-18", "2021-04-19", "2021-04-27"], 45),
    ("Veiledning av brukerrepresentantene", ["2020-05-06", "2021-02-17"], 9),
]
GUIDANCE = [  # two offers of tailored guidance per team
    ("2020-09-18", "Fosen"), ("2020-09-18", "Værnes"), ("2020-09-22", "Trondheim"),
    ("2020-09-22", "Orkland Fjell"), ("2020-09-23", "Ytre Namdal"),
    ("2020-10-14", "Inn-Trøndelag"), ("2021-01-26", "Fosen"), ("2021-01-28", "Orkland Fjell"),
    ("2021-02-02", "Værnes"), ("2021-02-04", "Inn-Trøndelag"), ("2021-02-09", "Trondheim"),
    ("2021-02-11", "Ytre Namdal")]
PHYSICAL_AFTER_PANDEMIC = {("Arbeidsutvalg møter", "2020-09-07"),
                           ("Arbeidsutvalg møter", "2020-12-03")}
PARTLY_DIGITAL = {("Felles nettverkssamlinger", "2020-11-03")}
NOTES = {
    ("Felles nettverkssamlinger", "2019-10-23"): "To dager",
    ("Felles nettverkssamlinger", "2020-02-05"): "To dager",
    ("Felles nettverkssamlinger", "2021-06-09"): "To dager, heldigital",
    ("Felles nettverkssamlinger", "2020-11-03"): "Tema samhandling; delvis digital",
    ("Webinarer", "2020-11-18"): "Erfaringspanel",
    ("Webinarer", "2021-04-19"): "Brukerpanel",
    ("Webinarer", "2021-04-27"): "Innbyggerinvolvering",
    ("Informasjonsmøte", "2019-08-27"): "For organisasjoner som vurderte å delta",
}


def _mode(arena: str, date: str) -> str:
    if (arena, date) in PARTLY_DIGITAL:
        return "delvis digital"
    if date < PANDEMIC or (arena, date) in PHYSICAL_AFTER_PANDEMIC:
        return "fysisk"
    return "digital"


def activity_rows(rng: random.Random) -> list[list[str]]:
    """One row per event, in date order."""
    rows = []
    for arena, dates, size in EVENTS:
        for date in dates:
            people = max(2, size + rng.randrange(-size // 5 - 1, size // 5 + 2))
            rows.append([date, arena, _mode(arena, date), "", str(people),
                         NOTES.get((arena, date), "")])
    for date, team in GUIDANCE:
        rows.append([date, "Veiledning i forbedringsteamene", "digital", team,
                     str(rng.randrange(4, 9)), "Skreddersydd veiledning, to timer"])
    return sorted(rows, key=lambda r: (r[0], r[1], r[3]))


# --- writing ---------------------------------------------------------------------------------

def write_csv(path: Path, header: list[str], rows: list[list[str]], bom: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n" if bom else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")


class _PlainDumper(yaml.SafeDumper):
    """No anchors and aliases: the codebook is read and edited by people."""

    def ignore_aliases(self, data) -> bool:
        return True


def write_yaml(path: Path, data, comment: str) -> None:
    text = yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                     width=100)
    path.write_text(comment + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder to write (default: %(default)s)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    people = invitations(rng)
    check_names_are_invented(people)
    rows = respondents(rng)
    header, cells = survey_rows(rng, rows)
    note = "# Written by tools/make_trondelag_example.py; edit the script, not this file.\n"
    write_yaml(out / "codebook.yml", codebook(), note)
    write_csv(out / "survey.csv", header, cells, bom=True)
    write_csv(out / "invitations.csv", list(people[0]), [list(p.values()) for p in people],
              bom=False)
    write_csv(out / "activities.csv", ACTIVITY_COLUMNS, activity_rows(rng),
              bom=False)
    print(f"wrote {out}: {len(people)} invited, {len(rows)} respondents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
