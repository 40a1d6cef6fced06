"""Draw every survey and activity figure from a pipeline's data into a gallery.

    .venv/bin/python tools/gallery.py [pipelines/trondelag-2021.yml] [--out DIR]

Writes one PNG per figure (named after the published figure it replaces), Table 1 as
HTML, and ``index.html`` showing each figure with its caption and alt text, into
``reports/_build/gallery/`` by default. The summaries and figures are the library's;
this script only chooses questions and saves, as a chapter notebook would.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from lnutils import paths  # noqa: E402
from lnutils.analysis.summaries import (  # noqa: E402
    battery_distribution,
    count_choice,
    events_by_arena,
    events_per_month,
    group_labels,
    mean_by_group,
    paired_ratings,
    rating_by_group,
    response_rate_by_group,
    share_multi,
)
from lnutils.figures import activity, alt, choice, likert, ratings, response, tables  # noqa: E402
from lnutils.inputs.dataset import load_dataset  # noqa: E402
from lnutils.pipeline import load_pipeline  # noqa: E402
from lnutils.problems import DataError  # noqa: E402

DEFAULT_PIPELINE = "pipelines/trondelag-2021.yml"


def _entries(ds) -> list[tuple[str, str, Callable]]:
    """(file name, what it replaces, function returning (figure, FigureText)) per figure."""
    answers = ds["survey"].answers
    cb = ds["codebook"]
    privacy = ds.pipeline.spec.privacy

    def single(qid, subject):
        counts = count_choice(answers, question=qid, codebook=cb)
        return choice.plot_choice(counts), alt.text_choice(counts, subject=subject)

    def yes_no(qid, subject):
        counts = count_choice(answers, question=qid, codebook=cb)
        return choice.plot_yes_no(counts), alt.text_yes_no(counts, subject=subject)

    def multi():
        shares = share_multi(answers, question="aktiviteter", codebook=cb)
        subject = "Aktiviteter respondentene deltok på"
        return choice.plot_multi(shares), alt.text_multi(shares, subject=subject)

    def by_group(qid, subject):
        dist = rating_by_group(answers, question=qid, by="representerer", codebook=cb,
                               privacy=privacy)
        means = mean_by_group(answers, question=qid, by="representerer", privacy=privacy,
                              codebook=cb)
        return (ratings.plot_rating_by_group(dist, means),
                alt.text_rating_by_group(dist, means, subject=subject))

    def means(qid, by, subject):
        frame = mean_by_group(answers, question=qid, by=by, privacy=privacy, codebook=cb)
        return ratings.plot_mean_by_group(frame), alt.text_mean_by_group(frame, subject=subject)

    def paired():
        frame = paired_ratings(answers, questions=["innsats_egen", "innsats_team"],
                               titles=["Egen innsats", "Teamets samlede innsats"],
                               codebook=cb)
        subject = "Egen og teamets innsats, vurdert av deltakerne i forbedringsteamene"
        return ratings.plot_paired_ratings(frame), alt.text_paired(frame, subject=subject)

    def battery():
        dist = battery_distribution(answers, question="nytte_arena", codebook=cb)
        subject = "Nytten av arenaene i nettverket"
        return likert.plot_battery(dist), alt.text_battery(dist, subject=subject)

    def diverging(qid, subject):
        dist = battery_distribution(answers, question=qid, codebook=cb)
        return likert.plot_diverging(dist), alt.text_diverging(dist, subject=subject)

    def timeline():
        monthly = events_per_month(ds["activities"])
        return activity.plot_events_timeline(monthly), alt.text_timeline(monthly)

    def arenas():
        by_arena = events_by_arena(ds["activities"])
        return activity.plot_events_by_arena(by_arena), alt.text_events_by_arena(by_arena)

    def rates(column, qid, subject):
        invited = ds["invitations"][column]
        answered = group_labels(answers, question=qid)["label"]
        frame = response_rate_by_group(invited=invited, answered=answered)
        return response.plot_response_rate(frame), alt.text_response_rate(frame, subject=subject)

    return [
        ("fig06_periode", "figur 6", lambda: single("periode", "Del av nettverksperioden "
                                                    "respondentene deltok i")),
        ("fig07_arena", "figur 7", lambda: single("arena", "Formell arena respondentene var "
                                                  "knyttet til")),
        ("fig08_representerer", "figur 8", lambda: single("representerer", "Hvem respondentene "
                                                          "representerte")),
        ("fig09_aktiviteter", "figur 9", multi),
        ("fig10_region", "figur 10", lambda: single("region", "Kommuneregion for deltakerne i "
                                                    "forbedringsteamene")),
        ("fig11_nytte_region", "figur 11", lambda: by_group(
            "nytte_region", "Nytten av at nettverket bygget på kommuneregionene")),
        ("fig12_innsats", "figur 12", paired),
        ("fig13_ledere_spurte", "figur 13", lambda: yes_no(
            "ledere_spurte", "Om lederne i egen organisasjon etterspurte arbeidet")),
        ("fig14_nytte_arena", "figur 14", battery),
        ("fig15_covid", "figur 15", lambda: means(
            "covid", "arena", "Hvordan pandemien påvirket nytten, etter arena")),
        ("tekst_digitalt", "tekst s. 20", lambda: yes_no(
            "digitalt", "Om de digitale verktøyene vil gjøre samarbeid lettere")),
        ("fig16_q19", "figur 16", lambda: diverging(
            "q19", "Hvor godt organiseringen av nettverket lyktes")),
        ("fig17_q20", "figur 17", lambda: diverging(
            "q20", "Nettverkets bidrag til bedre samhandling")),
        ("fig18_q21", "figur 18", lambda: diverging(
            "q21", "Nettverkets bidrag til fag- og tjenesteutvikling")),
        ("fig19_q22", "figur 19", lambda: diverging(
            "q22", "Nettverkets bidrag til brukermedvirkning")),
        ("fig20_nytte_org", "figur 20", lambda: means(
            "nytte_org", ["representerer", "periode"],
            "Nytten for egen organisasjon, etter gruppe og deltakelse")),
        ("fig20b_nytte_org_fordeling", "figur 20 (fordeling)", lambda: by_group(
            "nytte_org", "Nytten for egen organisasjon, etter gruppe")),
        ("tabell1_arenaer", "tabell 1", arenas),
        ("aktiviteter_tidslinje", "vedlegg 2", timeline),
        ("svarprosent_organisasjon", "ny", lambda: rates(
            "organisation_type", "representerer", "Svarprosent etter organisasjonstype")),
        ("svarprosent_arena", "ny", lambda: rates(
            "arena", "arena", "Svarprosent etter formell arena")),
    ]


def _index(rows: list[tuple[str, str, alt.FigureText]], table_html: str, title: str) -> str:
    items = []
    for name, replaces, text in rows:
        items.append(
            f'<figure id="{name}"><img src="{name}.png" alt="{html.escape(text.alt)}">'
            f"<figcaption><b>{html.escape(name)}</b> (erstatter {html.escape(replaces)}): "
            f"{html.escape(text.caption)}<br><small>Alt-tekst: {html.escape(text.alt)}"
            f"</small></figcaption></figure>")
    return ("<!doctype html><html lang='nb'><meta charset='utf-8'>"
            f"<title>Figurgalleri – {html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:62rem;margin:auto}"
            "img{max-width:100%}figure{margin:2rem 0}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.2rem .5rem}</style>"
            f"<h1>Figurgalleri: {html.escape(title)}</h1>{''.join(items)}"
            f"<h2>Tabell 1</h2>{table_html}</html>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pipeline", nargs="?", default=DEFAULT_PIPELINE)
    parser.add_argument("--out", type=Path, default=paths.build_root() / "gallery")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        ds = load_dataset(load_pipeline(args.pipeline))
        by_arena = events_by_arena(ds["activities"])
        with warnings.catch_warnings():  # invitations load here, with the development key
            warnings.simplefilter("ignore")
            for name, replaces, draw in _entries(ds):
                fig, text = draw()
                fig.savefig(args.out / f"{name}.png", dpi=150)
                rows.append((name, replaces, text))
    except DataError as exc:  # inputs load lazily, so any figure may be the first to fail
        print(exc.report.format(), file=sys.stderr)
        return 1
    table = tables.events_table(
        by_arena, uncounted={"Møter i de ulike forbedringsteamene": "Ikke telt"})
    table_html = table.to_html(index=False, na_rep="", border=0)
    (args.out / "tabell1.html").write_text(table_html, encoding="utf-8")
    (args.out / "index.html").write_text(_index(rows, table_html, ds.pipeline.name),
                                         encoding="utf-8")
    seconds = time.perf_counter() - started
    print(f"{len(rows)} figures and Table 1 in {args.out} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
