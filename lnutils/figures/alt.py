"""Captions and alt texts written from the same summaries the figures are drawn from.

Every ``text_*`` function returns a :class:`FigureText` ``(caption, alt)``: the caption
(Norwegian, one or two sentences, with the base) goes under the figure, the alt text
tells a screen-reader user what the figure shows, with the numbers. Notebooks pass them
to the cell options (``#| fig-cap``/``#| fig-alt``) or print them; figure functions do
not attach them, so a figure stays a plain matplotlib object.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from lnutils.analysis.summaries import ALL, OPINION, scale_halves
from lnutils.figures.activity import month_name
from lnutils.figures.likert import diverging_parts
from lnutils.figures.parts import scale_of, table_of
from lnutils.figures.ratings import paired_sentence
from lnutils.fmt import fmt_base, fmt_n, fmt_num, fmt_pct, fmt_range, fmt_share


class FigureText(NamedTuple):
    caption: str
    alt: str


def _join(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def _protection(*summaries) -> str:
    notes = []
    for summary in summaries:
        p = getattr(summary, "protection", None)
        if p is not None and p.note():
            notes.append(p.note())
    return " ".join(dict.fromkeys(notes))


def _count(n: int, share: float) -> str:
    return f"{fmt_n(n)} ({fmt_share(share)})"


def _none(subject: str) -> FigureText:
    return FigureText(f"{subject}. Ingen svar.", f"{subject}: ingen svar å vise.")


def text_choice(counts: pd.DataFrame, *, subject: str) -> FigureText:
    """Single choice (figures 6–8, 10): every option with count and share."""
    if counts.empty or counts["base"].max() == 0:
        return _none(subject)
    base = int(counts["base"].iloc[0])
    parts = [f"{row.label}: {_count(row.n, row.share)}" for row in counts.itertuples()]
    top = counts[counts["kind"] == OPINION].sort_values("n", ascending=False).iloc[0]
    return FigureText(
        f"{subject} ({fmt_base(base)}).",
        f"Liggende stolpediagram. {subject}, {fmt_n(base)} svar. Flest valgte «{top.label}»: "
        f"{_count(top.n, top.share)}. Alle svar: {_join(parts)}.")


def text_multi(shares: pd.DataFrame, *, subject: str) -> FigureText:
    """Multiple choice (figure 9)."""
    if shares.empty or shares["base"].max() == 0:
        return _none(subject)
    base = int(shares["base"].iloc[0])
    rows = shares.sort_values("n", ascending=False)
    parts = [f"{r.label}: {_count(r.n, r.share)}" for r in rows.itertuples()]
    return FigureText(
        f"{subject} ({fmt_base(base)}). Flere svar mulig, så andelene summerer seg til mer "
        f"enn 100 %.",
        f"Liggende stolpediagram over andelen av {fmt_n(base)} som krysset av for hvert "
        f"alternativ, flest først: {_join(parts)}.")


def text_yes_no(counts: pd.DataFrame, *, subject: str) -> FigureText:
    """Ja / nei / vet ikke (figure 13)."""
    if counts.empty or counts["base"].max() == 0:
        return _none(subject)
    base = int(counts["base"].iloc[0])
    parts = [f"{r.label.lower()} {_count(r.n, r.share)}" for r in counts.itertuples()]
    return FigureText(f"{subject} ({fmt_base(base)}).",
                      f"En delt stolpe for {fmt_n(base)} svar: {_join(parts)}.")


def _mean_phrase(row, limits: tuple[float, float]) -> str:
    """"Kommune 4,50 (n = 22, 95 % KI 4,1–4,9)"; the interval cut at the scale's ends,
    as the figure draws it."""
    if pd.isna(row["mean"]):
        return f"{row['group']}: for få svar"
    low, high = max(row["low"], limits[0]), min(row["high"], limits[1])
    ci = f", 95 % KI {fmt_range(low, high, 1)}" if pd.notna(row["low"]) else ""
    return f"{row['group']} {fmt_num(row['mean'], 2)} (n = {fmt_n(row['n'])}{ci})"


def text_mean_by_group(summary, *, subject: str, scale: str | None = None,
                       limits: tuple[float, float] | None = None) -> FigureText:
    """Means by group with intervals (figures 15 and 20).

    ``limits`` (lowest, highest code) and the ``scale`` text ("1–6") default to the
    summary's scale_min/scale_max, from the codebook.
    """
    means = table_of(summary)
    if means.empty:
        return _none(subject)
    limits = scale_of(means, limits)
    scale = scale or f"{limits[0]}–{limits[1]}"
    parts = [_mean_phrase(r, limits) for _, r in means.iterrows()]
    overall = means[means["group"] == ALL]
    base = int(overall["n"].iloc[0]) if not overall.empty else int(means["n"].sum())
    caption = (f"{subject}. Gjennomsnitt på skalaen {scale} med 95 % konfidensintervall, "
               f"uten «Vet ikke» ({fmt_base(base)}). {_protection(summary)}").strip()
    return FigureText(caption, f"Punktdiagram med intervaller. Snitt per gruppe: "
                               f"{_join(parts)}.")


def text_rating_by_group(distribution_summary, means_summary, *, subject: str,
                         scale: str | None = None) -> FigureText:
    """Distribution and mean per group (figure 11); the scale is the distribution's codes."""
    distribution = table_of(distribution_summary)
    if distribution.empty or distribution["base"].max() == 0:
        return _none(subject)
    top = distribution[distribution["kind"] == OPINION]
    limits = (int(top["code"].min()), int(top["code"].max()))
    text = text_mean_by_group(means_summary, subject=subject, scale=scale, limits=limits)
    high = sorted(top["code"].unique())[-2:]
    shares = []
    for group, rows in distribution.groupby("group", sort=False):
        n_high = int(rows[rows["code"].isin(high)]["n"].sum())
        shares.append(f"{group} {fmt_n(n_high)} av {fmt_n(rows['base'].iloc[0])}")
    label = " eller ".join(str(c) for c in high)
    alt = (f"Delte stolper med fordelingen av svarene per gruppe, og snittet ved siden av. "
           f"Svarte {label}: {_join(shares)}. {text.alt.split('. ', 1)[1]}")
    caption = text.caption.replace(f"{subject}. ", f"{subject}: fordeling og snitt. ", 1)
    return FigureText(caption, alt)


def text_paired(paired: pd.DataFrame, *, subject: str,
                scale: tuple[int, int] | None = None) -> FigureText:
    """Two paired ratings (figure 12); ``scale`` defaults to the summary's (the codebook's)."""
    pair = paired[paired["measure"] != "differanse"]
    if pair.empty or pair["n"].max() == 0:
        return _none(subject)
    limits = scale_of(paired, scale)
    parts = [_mean_phrase(r.rename({"title": "group"}), limits) for _, r in pair.iterrows()]
    return FigureText(
        f"{subject}. Snitt med 95 % konfidensintervall for dem som svarte på begge "
        f"({fmt_base(int(pair['n'].iloc[0]))}).",
        f"To punkter med intervaller: {_join(parts)}. {paired_sentence(paired)}")


def text_battery(distribution: pd.DataFrame, *, subject: str) -> FigureText:
    """A battery with non-answers apart (figure 14)."""
    if distribution.empty or distribution["base"].max() == 0:
        return _none(subject)
    parts = []
    for _item, rows in distribution.groupby("item", sort=False):
        opinions = rows[rows["kind"] == OPINION]
        _, high, _ = scale_halves(list(opinions["code"]))
        n_high = int(opinions[opinions["code"].isin(high)]["n"].sum())
        extra = _join([f"{r.label.lower()} {fmt_n(r.n)}" for r in
                       rows[rows["kind"] != OPINION].itertuples() if r.n])
        parts.append(f"{rows['title'].iloc[0]}: {fmt_n(n_high)} av "
                     f"{fmt_n(rows['n_opinion'].iloc[0])} i øvre halvdel"
                     + (f", {extra}" if extra else ""))
    base = int(distribution["base"].max())
    return FigureText(
        f"{subject}. Fordeling av vurderingene; «Vet ikke» og «Ikke deltatt» vist for seg "
        f"(inntil {fmt_base(base)} per punkt).",
        f"Delte stolper per punkt. {'; '.join(parts)}.")


def text_diverging(distribution: pd.DataFrame, *, subject: str) -> FigureText:
    """Diverging bars (figures 16–19)."""
    if distribution.empty or distribution["base"].max() == 0:
        return _none(subject)
    parts = diverging_parts(distribution)
    words = [f"{r.title} {fmt_pct(r.positive, 0)} positive og {fmt_pct(r.negative, 0)} "
             f"negative (n = {fmt_n(r.n_opinion)})" for r in parts.itertuples()]
    vet = distribution[distribution["kind"] == "vet_ikke"]["n"].sum()
    return FigureText(
        f"{subject}. Andel i den negative og positive halvdelen av skalaen, sortert etter "
        f"andel positive; «Vet ikke» vist for seg (inntil "
        f"{fmt_base(int(distribution['base'].max()))}).",
        f"Divergerende stolper, mest positive først: {'; '.join(words)}. "
        f"«Vet ikke» ble svart {fmt_n(int(vet))} ganger i alt.")


def text_timeline(monthly: pd.DataFrame, *, pandemic: str = "2020-03-12") -> FigureText:
    """Activity timeline."""
    events = monthly[monthly["n"] > 0] if not monthly.empty else monthly
    if events.empty:
        return _none("Aktiviteter i nettverket")
    before = int(events[events["month"] < pd.Timestamp(pandemic)]["n"].sum())
    after = events[events["month"] >= pd.Timestamp(pandemic)]
    digital = int(after[after["mode"] == "digital"]["n"].sum())
    total = int(events["n"].sum())
    busiest = events.groupby("month")["n"].sum().idxmax()
    return FigureText(
        f"Aktiviteter i nettverket per måned, fysiske og digitale, med pandemiens start "
        f"markert ({fmt_n(total)} hendelser).",
        f"Tidslinje fra {month_name(events['month'].min())} til "
        f"{month_name(events['month'].max())}. {fmt_n(before)} hendelser før pandemien, "
        f"{fmt_n(int(after['n'].sum()))} etter, av dem {fmt_n(digital)} digitale. Flest "
        f"hendelser i {month_name(busiest)}.")


def text_events_by_arena(by_arena: pd.DataFrame) -> FigureText:
    """Events per arena (Table 1 as a figure)."""
    if by_arena.empty:
        return _none("Hendelser per arena")
    parts = [f"{r.arena} {fmt_n(r.n)}" for r in by_arena.itertuples()]
    return FigureText(f"Hendelser per arena i nettverksperioden ({fmt_n(int(by_arena['n'].sum()))}"
                      f" i alt).", f"Liggende stolper: {_join(parts)}.")


def text_response_rate(rates: pd.DataFrame, *, subject: str = "Svarprosent per gruppe"
                       ) -> FigureText:
    """Response rate by group."""
    if rates.empty:
        return _none(subject)
    parts = [f"{r.group} {fmt_n(r.answered)} av {fmt_n(r.invited)} ({fmt_share(r.rate)})"
             for r in rates.itertuples()]
    return FigureText(f"{subject}, med 95 % konfidensintervall (Wilson).",
                      f"Liggende stolper: {_join(parts)}.")
