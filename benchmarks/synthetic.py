"""Seeded synthetic survey data for the build benchmarks: N respondents, M regions.

Takes an example data folder (its codebook and other inputs), replaces the options of
the region question by M synthetic regions ("Region 01" ...), and writes a survey
export of N respondents that follows the codebook: routing respected, ratings skewed
towards the upper half as in real evaluations, some "Vet ikke" and blank answers, a few
short free-text answers. The other inputs are copied unchanged; an invitation list, if
the example has one, is grown so that the response rate stays plausible.

Usage::

    python benchmarks/synthetic.py --like data/example/trondelag-2021 \\
        --respondents 10000 --regions 20 --seed 2021 --out benchmarks/_work/synthetic

The output is the same for the same arguments. No real person appears in it.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

# Short synthetic free-text answers (no names, no contact details).
PHRASES = [
    "Nyttige samlinger og gode diskusjoner.",
    "Mer tid til arbeid i teamet hadde hjulpet.",
    "Digitale møter fungerte bedre enn ventet.",
    "Vanskelig å få med ledere i egen kommune.",
    "Brukerrepresentantene bidro med viktige innspill.",
    "Ønsker oppfølging etter at nettverket er avsluttet.",
]


def region_names(m: int) -> dict[int, str]:
    """Codes 1..m with synthetic region names."""
    width = max(2, len(str(m)))
    return {code: f"Region {code:0{width}d}" for code in range(1, m + 1)}


def synthetic_codebook(raw: dict[str, Any], regions: int, question: str) -> dict[str, Any]:
    """A copy of a codebook (as read from YAML) with ``regions`` options on ``question``."""
    out = yaml.safe_load(yaml.safe_dump(raw, allow_unicode=True))  # deep copy
    for q in out["questions"]:
        if q["id"] == question:
            q["options"] = region_names(regions)
            return out
    raise SystemExit(f"the codebook has no question {question!r} to spread regions over")


def _rating(rng: random.Random, codes: list[int]) -> int:
    """A code skewed towards the upper half (weights 1, 2, 3, ...)."""
    return rng.choices(codes, weights=range(1, len(codes) + 1))[0]


class SurveyWriter:
    """Generates answers question by question, honouring routing."""

    def __init__(self, codebook: Any, rng: random.Random,
                 texts: dict[str, list[str]] | None = None):
        self.codebook = codebook
        self.rng = rng
        self.texts = texts or {}  # question id -> free-text answers to draw from

    def columns(self) -> list[str]:
        cols = [self.codebook.respondent_id]
        for q in self.codebook.questions:
            if q.type == "battery":
                cols += [f"{q.id}.{item}" for item in q.items]
            elif q.type == "multi":
                cols += [f"{q.id}.{code}" for code in q.options]
            else:
                cols.append(q.id)
        return cols

    def respondent(self, number: int) -> dict[str, Any]:
        row: dict[str, Any] = {self.codebook.respondent_id: f"S{number:06d}"}
        chosen: dict[str, set[int]] = {}
        for q in self._routing_order():
            asked = q.routing is None or bool(chosen.get(q.routing.question, set())
                                              & set(q.routing.in_))
            chosen[q.id] = self._answer(q, row, asked)
        return row

    def _routing_order(self) -> list[Any]:
        """Questions with each routing question before the questions it routes."""
        by_id = {q.id: q for q in self.codebook.questions}
        order: list[Any] = []
        seen: set[str] = set()

        def visit(q):
            if q.id in seen:
                return
            seen.add(q.id)
            if q.routing is not None and q.routing.question in by_id:
                visit(by_id[q.routing.question])
            order.append(q)

        for q in self.codebook.questions:
            visit(q)
        return order

    def _answer(self, q: Any, row: dict[str, Any], asked: bool) -> set[int]:
        rng = self.rng
        if q.type == "multi":
            codes = list(q.options)
            picked = {c for c in codes if rng.random() < 0.35} or {rng.choice(codes)}
            for code in codes:
                row[f"{q.id}.{code}"] = (1 if code in picked else 0) if asked else ""
            return picked if asked else set()
        if q.type == "battery":
            for item in q.items:
                row[f"{q.id}.{item}"] = self._code(q) if asked else ""
            return set()
        if q.type == "text":
            pool = self.texts.get(q.id) or PHRASES
            row[q.id] = rng.choice(pool) if asked and rng.random() < 0.15 else ""
            return set()
        code = self._code(q) if asked else ""
        row[q.id] = code
        return {code} if isinstance(code, int) else set()

    def _code(self, q: Any) -> int | str:
        rng = self.rng
        draw = rng.random()
        if draw < 0.03:
            return ""  # asked, not answered
        nonanswers = list(q.nonanswers())
        if nonanswers and draw < 0.10:
            return rng.choice(nonanswers)
        codes = list(q.codes())
        if q.type in ("rating", "battery"):
            return _rating(rng, codes)
        return rng.choice(codes)


def write_survey(codebook: Any, path: Path, n: int, seed: int,
                 texts: dict[str, list[str]] | None = None) -> None:
    """Write ``n`` synthetic respondents as a semicolon-separated UTF-8 export.

    ``texts`` gives, per free-text question, the answers to draw from (the example's own
    answers, so that quotes chosen from them stay valid); otherwise :data:`PHRASES`.
    """
    writer = SurveyWriter(codebook, random.Random(seed), texts)
    columns = writer.columns()
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=columns, delimiter=";")
        out.writeheader()
        for number in range(1, n + 1):
            out.writerow(writer.respondent(number))


def grow_invitations(source: Path, dest: Path, invited: int, seed: int) -> None:
    """Copy an invitation list, repeating its rows with synthetic names up to ``invited``.

    Columns are kept; a column whose name suggests a name, e-mail or phone gets
    synthetic values so that no real person is repeated.
    """
    rng = random.Random(seed)
    with source.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=";,")
        rows = list(csv.DictReader(fh, dialect=dialect))
    if not rows:
        shutil.copy2(source, dest)
        return
    columns = list(rows[0])
    with dest.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=columns, delimiter=dialect.delimiter)
        out.writeheader()
        for number in range(1, invited + 1):
            row = dict(rng.choice(rows))
            for col in columns:
                low = col.lower()
                if "navn" in low or "name" in low:
                    row[col] = f"Deltaker {number:06d}"
                elif "post" in low or "mail" in low:
                    row[col] = f"deltaker{number:06d}@example.org"
                elif "telefon" in low or "phone" in low or "mobil" in low:
                    row[col] = ""
                elif low in ("id", "nr", "nummer", "invitation", "invitation_id"):
                    row[col] = str(number)
            out.writerow(row)


def example_texts(like: Path) -> dict[str, list[str]]:
    """The free-text answers of the example survey, per question (empty when it has none)."""
    from lnutils.inputs.codebook import load_codebook  # noqa: PLC0415
    from lnutils.inputs.survey import load_survey  # noqa: PLC0415

    if not (like / "survey.csv").exists():
        return {}
    survey = load_survey(like / "survey.csv", load_codebook(like / "codebook.yml"))
    texts = survey.answers.dropna(subset=["text"])
    return {str(q): sorted(set(group["text"])) for q, group in texts.groupby("question")}


def make_dataset(like: Path, out: Path, n: int, m: int, seed: int,
                 region_question: str = "region") -> Path:
    """Write a synthetic data folder modelled on ``like``; return ``out``.

    Parameters
    ----------
    like : an example data folder with ``codebook.yml`` (and other inputs to copy).
    out : the folder to write (replaced).
    n, m : number of respondents and of regions.
    seed : random seed; the same arguments give the same files.
    region_question : the question whose options become the M regions.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from lnutils.inputs.codebook import load_codebook  # noqa: PLC0415

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for item in like.iterdir():
        if item.name in ("codebook.yml", "survey.csv", "survey.xlsx", "invitations.csv"):
            continue
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, out / item.name)
    raw = yaml.safe_load((like / "codebook.yml").read_text(encoding="utf-8"))
    codebook_yaml = synthetic_codebook(raw, m, region_question)
    (out / "codebook.yml").write_text(
        yaml.safe_dump(codebook_yaml, allow_unicode=True, sort_keys=False), encoding="utf-8")
    codebook = load_codebook(out / "codebook.yml")
    write_survey(codebook, out / "survey.csv", n, seed, example_texts(like))
    if (like / "invitations.csv").exists():
        # keep roughly the example's response rate (about one in three answered)
        grow_invitations(like / "invitations.csv", out / "invitations.csv", n * 3, seed + 1)
        match_invitations(out / "invitations.csv", out / "survey.csv", codebook)
    return out


GROUP_COLUMNS = {"Organisasjonstype": "representerer", "Arena": "arena"}


def match_invitations(path: Path, survey_path: Path, codebook) -> None:
    """Give the grown list the survey's groups, so every group answered about one in three.

    Randomly drawn answers do not follow the example list's group sizes; a group with more
    respondents than invited people is (rightly) a data error for the response-rate
    chapter. Row ``i`` of the list takes the organisation type and arena of respondent
    ``i // 3``.
    """
    from lnutils.inputs.survey import load_survey  # noqa: PLC0415

    respondents = load_survey(survey_path, codebook).respondents
    labels = {col: respondents[q].map(codebook.question(q).options).fillna("").tolist()
              for col, q in GROUP_COLUMNS.items()}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        columns, rows = reader.fieldnames, list(reader)
    for i, row in enumerate(rows):
        for col, values in labels.items():
            value = values[(i // 3) % len(values)]
            if col in row and value:  # a respondent who skipped keeps the drawn row's group
                row[col] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=columns, delimiter=";")
        out.writeheader()
        out.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--like", type=Path, required=True,
                        help="example data folder (codebook.yml and the other inputs)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    parser.add_argument("--respondents", "-n", type=int, default=10_000)
    parser.add_argument("--regions", "-m", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--region-question", default="region")
    args = parser.parse_args(argv)
    out = make_dataset(args.like, args.out, args.respondents, args.regions, args.seed,
                       args.region_question)
    print(f"wrote {out} ({args.respondents} respondents, {args.regions} regions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
