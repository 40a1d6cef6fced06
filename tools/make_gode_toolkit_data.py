"""Write synthetic toolkit data for the "Gode pasientforløp" example (seeded, no real people).

The source documents describe the toolkit but publish no filled-in forms, so the example
report's toolkit chapter runs on made-up data: users are pseudonyms (B001, ...), activities
come from a short generic list, and everything is drawn from a seeded random generator, so
the same seed always writes the same files. The data deliberately contains what the scoring
rules must handle: second conversations not yet held, activities changed between
conversations, one form with no shared activity, one checklist with every step "not
relevant" and a team (Asker) that replaced a checklist step.

Usage: python tools/make_gode_toolkit_data.py [--seed 2015] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "data/example/gode-pasientforlop-2015/toolkit"
# municipality -> (users, mean change per activity, how often steps are missed)
MUNICIPALITIES = {
    "Bydel Gamle Oslo": (14, 0.4, 1.2), "Flekkefjord": (22, 1.2, 0.8),
    "Klepp": (16, 0.9, 1.0), "Asker": (20, 0.7, 0.9),
    "Melhus": (12, 0.1, 1.3), "Sortland": (15, 1.0, 0.7),
}
ACTIVITIES = [
    "Få et trygt sted å bo", "Holde orden på økonomien", "Komme i arbeid eller praksis",
    "Treffe venner", "Ha kontakt med familien", "Sove bedre", "Trene jevnlig",
    "Lage mat selv", "Ta bussen alene", "Være med i en fritidsaktivitet",
    "Klare seg uten rus i helgene", "Gå på kurs", "Være mindre engstelig ute",
    "Handle selv", "Holde avtaler",
]
MISS = {2: 0.05, 3: 0.15, 4: 0.12, 5: 0.08, 6: 0.30, 7: 0.20, 8: 0.35, 10: 0.25}
NOT_RELEVANT = {3: 0.08, 6: 0.10, 8: 0.05}
START, LAST_FIRST, CUTOFF = dt.date(2015, 3, 1), dt.date(2016, 2, 29), dt.date(2016, 4, 30)


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def _form(rng, form_id, muni, user, effect) -> tuple[list[dict], dt.date, dt.date | None]:
    date_1 = _day(rng, START, LAST_FIRST)
    date_2 = date_1 + dt.timedelta(weeks=int(rng.integers(6, 21)))
    held = date_2 <= CUTOFF
    chosen = list(rng.choice(ACTIVITIES, size=int(rng.integers(2, 6)), replace=False))
    rows = []
    for activity in chosen:
        first = int(rng.integers(1, 7))
        change = int(np.round(rng.normal(effect, 2.0)))
        rows.append({"form": form_id, "municipality": muni, "user": user,
                     "activity": activity, "date_1": date_1, "score_1": first,
                     "date_2": date_2 if held else "",
                     "score_2": int(np.clip(first + change, 1, 10)) if held else ""})
    if held and len(rows) > 2 and rng.random() < 0.15:  # the user swapped one activity
        spare = str(rng.choice([a for a in ACTIVITIES if a not in chosen]))
        rows[-1]["date_2"], rows[-1]["score_2"] = "", ""
        rows.append({**rows[-1], "activity": spare, "date_1": "", "score_1": "",
                     "date_2": date_2, "score_2": int(rng.integers(3, 9))})
    return rows, date_1, date_2 if held else None


def _checklist(rng, cid, form_id, muni, date_1, date_2, miss_factor) -> dict:
    date = date_2 or min(date_1 + dt.timedelta(weeks=8), CUTOFF)
    progress = (date - START).days / (CUTOFF - START).days  # teams get better over time
    row = {"checklist": cid, "form": form_id, "municipality": muni, "date": date,
           "step_1": "ja", "step_9": "ja" if date_2 else "nei"}
    for step in (2, 3, 4, 5, 6, 7, 8, 10):
        draw = rng.random()
        if draw < NOT_RELEVANT.get(step, 0):
            row[f"step_{step}"] = "ikke_aktuelt"
        elif draw < NOT_RELEVANT.get(step, 0) + MISS[step] * miss_factor * (1.2 - 0.6 * progress):
            row[f"step_{step}"] = "nei"
        else:
            row[f"step_{step}"] = "ja"
    return row


def make(seed: int) -> tuple[list[dict], list[dict]]:
    """All form rows and checklist rows, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    forms, checklists, n = [], [], 0
    for muni, (users, effect, miss) in MUNICIPALITIES.items():
        for _ in range(users):
            n += 1
            form_id, user = f"F{n:03d}", f"B{n:03d}"
            rows, date_1, date_2 = _form(rng, form_id, muni, user, effect)
            forms += rows
            checklists.append(_checklist(rng, f"S{n:03d}", form_id, muni, date_1, date_2,
                                         miss))
    # One form whose second conversation scored entirely new activities.
    late = dict(next(r for r in forms if r["score_2"] != "" and r["municipality"] == "Melhus"))
    for r in forms:
        if r["form"] == late["form"]:
            r["date_2"], r["score_2"] = "", ""
    forms.append({**late, "activity": "Finne en ny hobby", "date_1": "", "score_1": "",
                  "score_2": 6})
    # One checklist where every step was marked not relevant.
    odd = next(c for c in checklists if c["municipality"] == "Klepp")
    odd.update({f"step_{i}": "ikke_aktuelt" for i in range(1, 11)})
    return forms, checklists


def write(forms: list[dict], checklists: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    columns = ["form", "municipality", "user", "activity", "date_1", "score_1", "date_2",
               "score_2"]
    with open(out / "forms.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(forms)
    columns = ["checklist", "form", "municipality", "date"] + [f"step_{i}" for i in range(1, 11)]
    with open(out / "checklists.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(checklists)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    forms, checklists = make(args.seed)
    write(forms, checklists, args.out)
    print(f"wrote {len(forms)} form rows and {len(checklists)} checklists to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
