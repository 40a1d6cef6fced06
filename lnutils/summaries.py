"""Tidy summaries of survey questions: counts, shares, distributions and means.

Every function takes the long ``answers`` table of :class:`lnutils.ingest.Survey`
(columns respondent, question, item, code, label, nonanswer, text) and returns a tidy
DataFrame with the base and interval bounds, ready for :mod:`lnutils.figures`.

Conventions
-----------
- The *base* of a question is the respondents who gave any answer to it, "Vet ikke" and
  "Ikke deltatt" included; those not asked (routing) or who skipped it are outside it and
  counted in ``frame.attrs["missing"]`` / ``["not_asked"]``.
- Means use opinion codes only ("Vet ikke"/"Ikke deltatt" left out); their ``n`` is the
  number of opinions, stated next to every mean.
- Shares are 0..1 with Wilson 95 % bounds ``low``/``high``; means carry SD and a t
  interval (:mod:`lnutils.stats`).
- Breakdowns by group go through :mod:`lnutils.suppression`; the result is in
  ``frame.attrs["protection"]`` (a :class:`~lnutils.suppression.Protection`).
- A ``codebook`` gives option order, zero counts and item wordings. It is required
  wherever the scale matters (distributions of ratings and batteries): a scale read
  off the answers would miss steps nobody chose and split the scale in the wrong place.
  Tests may pass a stand-in with ``question(qid)`` giving ``codes()``, ``nonanswers()``,
  ``nonanswer_kind()``, ``options``, ``items`` and ``text``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from lnutils.stats import mean_ci, wilson_interval
from lnutils.suppression import OTHER, Protection, plan_groups

ALL = "Alle"
OPINION = "svar"  # value of ``kind`` for an opinion (not a non-answer)
SHOWN_NONANSWERS = ("vet_ikke", "ikke_deltatt", "other")
NONANSWER_LABELS = {"vet_ikke": "Vet ikke", "ikke_deltatt": "Ikke deltatt", "other": "Annet"}


# --- selecting answers -------------------------------------------------------------------------

def _rows(answers: pd.DataFrame, question: str, item: str | None = None) -> pd.DataFrame:
    """Rows of one question (and item); a clear error for a question that is not there."""
    rows = answers[answers["question"] == question]
    if rows.empty and not answers.empty:
        known = ", ".join(sorted(answers["question"].unique())[:30])
        raise KeyError(f"question {question!r} is not in the answers; known questions: {known}")
    if item is not None:
        rows = rows[rows["item"] == item]
    return rows


def _given(rows: pd.DataFrame) -> pd.DataFrame:
    """Answers inside the base: opinions and shown non-answers ("Vet ikke", ...)."""
    return rows[rows["code"].notna() & (rows["nonanswer"].isna()
                                        | rows["nonanswer"].isin(SHOWN_NONANSWERS))]


def _opinions(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["code"].notna() & rows["nonanswer"].isna()]


def _outside(rows: pd.DataFrame) -> dict[str, int]:
    kinds = rows["nonanswer"]
    return {"missing": int((kinds == "missing").sum()),
            "not_asked": int((kinds == "not_asked").sum())}


def _wilson_columns(frame: pd.DataFrame, n: str = "n", base: str = "base") -> pd.DataFrame:
    out = frame.copy()
    bounds = [wilson_interval(int(k), int(b)) if b > 0 else (math.nan, math.nan)
              for k, b in zip(out[n], out[base], strict=True)]
    out["share"] = [k / b if b > 0 else math.nan for k, b in zip(out[n], out[base],
                                                                   strict=True)]
    out["low"] = [lo for lo, _ in bounds]
    out["high"] = [hi for _, hi in bounds]
    return out


def _categories(rows: pd.DataFrame, question: str, codebook) -> list[tuple[int, str, object]]:
    """(code, label, nonanswer kind or NA) in questionnaire order."""
    if codebook is not None:
        q = codebook.question(question)
        cats = [(c, lab, pd.NA) for c, lab in q.codes().items()]
        cats += [(c, lab, q.nonanswer_kind(c)) for c, lab in q.nonanswers().items()]
        return cats
    seen = _given(rows).drop_duplicates("code")
    seen = seen.assign(_na=seen["nonanswer"].notna()).sort_values(["_na", "code"])
    return [(int(r.code), r.label, r.nonanswer) for r in seen.itertuples()]


def _kind(nonanswer) -> str:
    return OPINION if pd.isna(nonanswer) else str(nonanswer)


# --- one question --------------------------------------------------------------------------------

def count_choice(answers: pd.DataFrame, *, question: str, item: str = "", codebook=None
                 ) -> pd.DataFrame:
    """Counts and shares of each answer to one single-choice, yes/no or rating question.

    Parameters
    ----------
    answers : the long answer table.
    question : question id.
    item : battery item id ("" for a question without items).
    codebook : for the questionnaire's order and options nobody chose.

    Returns
    -------
    DataFrame
        One row per answer option: code, label, kind (``"svar"``, ``"vet_ikke"``,
        ``"ikke_deltatt"``, ``"other"``), n, base, share, low, high. ``attrs``: question,
        base, missing, not_asked.
    """
    rows = _rows(answers, question, item)
    given = _given(rows)
    base = given["respondent"].nunique()
    counts = given.groupby("code")["respondent"].nunique()
    out = pd.DataFrame(
        [{"code": code, "label": label, "kind": _kind(kind), "n": int(counts.get(code, 0)),
          "base": base} for code, label, kind in _categories(rows, question, codebook)],
        columns=["code", "label", "kind", "n", "base"])
    out = _wilson_columns(out)
    out.attrs.update(question=question, base=base, **_outside(rows))
    return out


def share_multi(answers: pd.DataFrame, *, question: str, codebook=None) -> pd.DataFrame:
    """Share of respondents who ticked each option of a multiple-choice question.

    The base is the respondents who ticked at least one option (someone who ticked none
    cannot be told from someone who skipped the question). Shares sum past 100 %.

    Returns
    -------
    DataFrame
        code, label, n, base, share, low, high, in questionnaire order. ``attrs``:
        question, base, missing, not_asked, share_sum, one_option_only (respondents who
        ticked exactly one option).
    """
    rows = _rows(answers, question)
    ticked = rows[rows["code"] == 1]
    per_person = ticked.groupby("respondent")["item"].nunique()
    base = len(per_person)
    if codebook is not None:
        options = codebook.question(question).options or {}
    else:
        first = rows.drop_duplicates("item")
        options = {int(i): lab for i, lab in zip(first["item"], first["label"], strict=True)}
        options = dict(sorted(options.items()))
    counts = ticked.groupby("item")["respondent"].nunique()
    out = pd.DataFrame([{"code": code, "label": label, "n": int(counts.get(str(code), 0)),
                         "base": base} for code, label in options.items()],
                       columns=["code", "label", "n", "base"])
    out = _wilson_columns(out)
    skipped = rows.groupby("respondent")["code"].apply(lambda c: bool((c != 1).all()))
    out.attrs.update(question=question, base=base, missing=int(skipped.sum()),
                     not_asked=int((rows.drop_duplicates("respondent")["nonanswer"]
                                    == "not_asked").sum()),
                     share_sum=float(out["share"].sum()) if base else math.nan,
                     one_option_only=int((per_person == 1).sum()))
    return out


def summarise_rating(answers: pd.DataFrame, *, question: str, item: str = "") -> dict:
    """Mean, SD and 95 % interval of one rating, with its base and non-answers.

    Returns
    -------
    dict
        n (opinions), base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high.
    """
    rows = _rows(answers, question, item)
    return _rating_stats(rows)


def _rating_stats(rows: pd.DataFrame) -> dict:
    given = _given(rows)
    stats = mean_ci(_opinions(given)["code"].astype(float))
    return {"n": stats["n"], "base": len(given),
            "n_vet_ikke": int((given["nonanswer"] == "vet_ikke").sum()),
            "n_ikke_deltatt": int((given["nonanswer"] == "ikke_deltatt").sum()),
            "mean": stats["mean"], "sd": stats["sd"], "low": stats["low"],
            "high": stats["high"]}


# --- groups ----------------------------------------------------------------------------------

def group_labels(answers: pd.DataFrame, *, question: str) -> pd.DataFrame:
    """Each respondent's group: the label and code of their opinion answer to ``question``.

    Returns
    -------
    DataFrame
        Index respondent; columns label, code. Respondents without an opinion answer
        (not asked, skipped, "Vet ikke") are not in it.
    """
    rows = _opinions(_rows(answers, question, ""))
    return rows.set_index("respondent")[["label", "code"]]


def _cells(answers: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """respondent -> one label column and one code column per grouping question."""
    frame = None
    for q in by:
        part = group_labels(answers, question=q).rename(
            columns={"label": q, "code": f"_code_{q}"})
        frame = part if frame is None else frame.join(part, how="inner")
    return frame


def _grouped(answers: pd.DataFrame, rows: pd.DataFrame, by: Sequence[str], size_of,
             privacy, mode: str):
    """Rows with a ``_cell`` column after protection, the ordered cells, the Protection."""
    cells = _cells(answers, by)
    if cells is None or cells.empty or rows.empty:
        return rows.iloc[0:0].assign(_cell=None), [], Protection(
            getattr(privacy, "min_group_size", 5))
    keyed = rows.join(cells, on="respondent", how="inner")
    keyed["_cell"] = list(zip(*(keyed[q] for q in by), strict=True))
    codes = {cell: tuple(int(x) for x in group[[f"_code_{q}" for q in by]].iloc[0])
             for cell, group in keyed.groupby("_cell", sort=False)}
    sizes = {cell: size_of(group) for cell, group in keyed.groupby("_cell", sort=False)}
    target, protection = plan_groups(sizes, by=by, privacy=privacy, mode=mode, codes=codes)
    keyed["_cell"] = keyed["_cell"].map(target)
    keyed = keyed[keyed["_cell"].notna()]
    order = sorted(codes, key=lambda c: codes[c])
    shown = []
    for cell in order:
        new = target[cell]
        if new is not None and new not in shown:
            shown.append(new)
    # Merged cells go after the named groups of the same remaining keys.
    shown.sort(key=lambda c: (c[0] == OTHER,))
    return keyed, shown, protection


def _as_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _group_columns(cell: tuple, by: Sequence[str]) -> dict:
    return {**dict(zip(by, cell, strict=True)), "group": " – ".join(str(c) for c in cell)}


def _order_of(shown: list[tuple], keyed: pd.DataFrame, by: Sequence[str]) -> dict[str, int]:
    """Label -> option code of the last grouping question, for ordering legends."""
    last = by[-1]
    codes = keyed.drop_duplicates(last).set_index(last)[f"_code_{last}"] if len(keyed) else {}
    return {str(k): int(v) for k, v in dict(codes).items()}


def mean_by_group(answers: pd.DataFrame, *, question: str, by: str | Sequence[str],
                  item: str = "", privacy=None, mode: str = "merge", total: bool = True
                  ) -> pd.DataFrame:
    """Mean rating with SD and 95 % interval per group (one or more grouping questions).

    Parameters
    ----------
    answers : the long answer table.
    question : a rating question (or battery with ``item``).
    by : grouping question id, or several (e.g. ``["representerer", "periode"]``): a
        respondent's group is their answer to it.
    privacy : the pipeline's :class:`~lnutils.pipeline.Privacy`; a group with fewer
        opinions than its threshold is merged or left out (see :mod:`lnutils.suppression`).
    mode : ``"merge"`` or ``"suppress"``.
    total : add a row ``group == "Alle"`` over every respondent with an opinion.

    Returns
    -------
    DataFrame
        One column per grouping question (its labels), group (labels joined by " – "),
        n, base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high. ``attrs``: question,
        by, protection, order (label -> option code of the last grouping question).
    """
    by = _as_list(by)
    rows = _given(_rows(answers, question, item))
    keyed, shown, protection = _grouped(answers, rows, by, lambda g: len(_opinions(g)),
                                        privacy, mode)
    records = [{**_group_columns(cell, by), **_rating_stats(keyed[keyed["_cell"] == cell])}
               for cell in shown]
    if total and not rows.empty:
        records.append({**{q: ALL for q in by}, "group": ALL, **_rating_stats(rows)})
    columns = [*by, "group", "n", "base", "n_vet_ikke", "n_ikke_deltatt", "mean", "sd",
               "low", "high"]
    out = pd.DataFrame(records, columns=columns)
    out.attrs.update(question=question, by=by, protection=protection,
                     order=_order_of(shown, keyed, by))
    return out


def rating_by_group(answers: pd.DataFrame, *, question: str, by: str | Sequence[str],
                    codebook, item: str = "", privacy=None, mode: str = "merge",
                    total: bool = True) -> pd.DataFrame:
    """Distribution of a rating (all codes, non-answers included) per group.

    Protection counts every respondent who answered in the group ("Vet ikke" too).

    Returns
    -------
    DataFrame
        Grouping columns, group, code, label, kind, n, base, share (of the group's
        base), low, high; rows in code order within groups. ``attrs``: question, by,
        protection.
    """
    by = _as_list(by)
    all_rows = _rows(answers, question, item)
    rows = _given(all_rows)
    keyed, shown, protection = _grouped(answers, rows, by, len, privacy, mode)
    cats = _categories(all_rows, question, codebook)
    parts = [(cell, keyed[keyed["_cell"] == cell]) for cell in shown]
    if total and not rows.empty:
        parts.append((tuple(ALL for _ in by), rows))
    records = []
    for cell, group in parts:
        counts = group.groupby("code")["respondent"].nunique()
        for code, label, kind in cats:
            records.append({**_group_columns(cell, by), "code": code, "label": label,
                            "kind": _kind(kind), "n": int(counts.get(code, 0)),
                            "base": len(group)})
    out = pd.DataFrame(records, columns=[*by, "group", "code", "label", "kind", "n", "base"])
    out = _wilson_columns(out)
    out.attrs.update(question=question, by=by, protection=protection)
    return out


# --- pairs and batteries -----------------------------------------------------------------------

def paired_ratings(answers: pd.DataFrame, *, questions: Sequence[str],
                   titles: Sequence[str] | None = None) -> pd.DataFrame:
    """Two ratings given by the same respondents (e.g. own versus the team's effort).

    Only respondents with an opinion on both questions count, so the two means share
    one base and their difference is a paired one.

    Parameters
    ----------
    questions : two question ids, ``(first, second)``.
    titles : short Norwegian names for the two (default: the question ids).

    Returns
    -------
    DataFrame
        Three rows, ``measure`` = first id, second id and ``"differanse"`` (second minus
        first, per respondent): title, n, mean, sd, low, high; on every row n_higher,
        n_equal, n_lower (respondents whose second rating is above, equal to or below
        their first).
    """
    first, second = questions
    titles = list(titles) if titles is not None else [first, second]
    values = {}
    for q in (first, second):
        opinions = _opinions(_rows(answers, q, ""))
        values[q] = opinions.set_index("respondent")["code"].astype(float)
    both = pd.concat(values, axis=1, join="inner")
    diff = both[second] - both[first] if len(both) else pd.Series(dtype=float)
    counts = {"n_higher": int((diff > 0).sum()), "n_equal": int((diff == 0).sum()),
              "n_lower": int((diff < 0).sum())}
    records = [{"measure": q, "title": t, **mean_ci(both[q] if len(both) else []), **counts}
               for q, t in zip((first, second), titles, strict=True)]
    records.append({"measure": "differanse", "title": "Differanse", **mean_ci(diff),
                    **counts})
    out = pd.DataFrame(records)
    out.attrs.update(questions=[first, second])
    return out


def battery_distribution(answers: pd.DataFrame, *, question: str | None = None,
                         questions: Sequence[str] | None = None, codebook,
                         titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Distribution of every item of a battery (or of several rating questions on one scale).

    Parameters
    ----------
    question : a battery question; its items are the rows.
    questions : instead, rating questions sharing a scale; each is a row.
    codebook : for the scale's codes (zero counts included), the items' order and wording.
    titles : item (or question) id -> short text shown for it.

    Returns
    -------
    DataFrame
        item, title, code, label, kind, n, base (answers to the item, non-answers
        included), share (of base), n_opinion, share_opinion (of the opinions; NaN for
        non-answers). ``attrs``: question or questions.
    """
    if (question is None) == (questions is None):
        raise ValueError("give either question= (a battery) or questions= (ratings)")
    if question is not None:
        q_rows = _rows(answers, question)
        if codebook is not None:
            items = dict(codebook.question(question).items or {})
        else:
            items = {i: i for i in dict.fromkeys(q_rows["item"])}
        pieces = [(item, q_rows[q_rows["item"] == item], question) for item in items]
    else:
        items = {}
        for q in questions:
            text = codebook.question(q).text if codebook is not None else ""
            items[q] = text or q
        pieces = [(q, _rows(answers, q, ""), q) for q in questions]
    titles = {**items, **(titles or {})}
    records = []
    for item, rows, qid in pieces:
        given = _given(rows)
        n_opinion = len(_opinions(given))
        counts = given.groupby("code")["respondent"].nunique()
        for code, label, kind in _categories(rows, qid, codebook):
            n = int(counts.get(code, 0))
            records.append({"item": item, "title": titles.get(item, item), "code": code,
                            "label": label, "kind": _kind(kind), "n": n, "base": len(given),
                            "n_opinion": n_opinion,
                            "share_opinion": (n / n_opinion if n_opinion and pd.isna(kind)
                                              else math.nan)})
    out = pd.DataFrame(records, columns=["item", "title", "code", "label", "kind", "n", "base",
                                         "n_opinion", "share_opinion"])
    out.insert(7, "share", [n / b if b else math.nan for n, b in zip(out["n"], out["base"],
                                                                      strict=True)])
    out.attrs.update(question=question, questions=list(questions or []))
    return out


def scale_halves(codes: Sequence[int]) -> tuple[list[int], list[int], int | None]:
    """Split an ordered scale into (negative, positive, middle) codes.

    1–6 splits 1–3 | 4–6 with no middle; a five-step scale splits 1–2 | 4–5 with 3 as
    the middle.
    """
    codes = sorted(codes)
    half = len(codes) // 2
    middle = codes[half] if len(codes) % 2 else None
    return codes[:half], codes[len(codes) - half:], middle


def battery_means(answers: pd.DataFrame, *, question: str, codebook,
                  titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Mean, SD, interval and share in the upper half of the scale, per battery item.

    Returns
    -------
    DataFrame
        item, title, n, base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high, n_top,
        share_top, top_low, top_high (share of opinions in the upper half, 4–6 on 1–6,
        with Wilson bounds), sorted as in the questionnaire.
    """
    dist = battery_distribution(answers, question=question, codebook=codebook, titles=titles)
    opinion_codes = sorted(dist.loc[dist["kind"] == OPINION, "code"].unique())
    _, top, _ = scale_halves(opinion_codes)
    q_rows = _rows(answers, question)
    records = []
    for item, title in dict(zip(dist["item"], dist["title"], strict=True)).items():
        stats = _rating_stats(q_rows[q_rows["item"] == item])
        n_top = int(dist[(dist["item"] == item) & dist["code"].isin(top)]["n"].sum())
        low, high = wilson_interval(n_top, stats["n"]) if stats["n"] else (math.nan,) * 2
        records.append({"item": item, "title": title, **stats, "n_top": n_top,
                        "share_top": n_top / stats["n"] if stats["n"] else math.nan,
                        "top_low": low, "top_high": high})
    out = pd.DataFrame(records)
    out.attrs.update(question=question)
    return out


# --- response and activities --------------------------------------------------------------------

def response_rate_by_group(*, invited: pd.Series, answered: pd.Series, total: bool = True,
                           order: Sequence[str] | None = None) -> pd.DataFrame:
    """Response rate per group against the invitation list, with Wilson intervals.

    The survey is anonymous, so rates are compared group by group: invited people per
    group (from the invitation list) against respondents who said they belong to it.
    Labels are matched ignoring case and spacing.

    Parameters
    ----------
    invited : one group label per invited person (e.g. the list's organisation type).
    answered : one group label per respondent (e.g. ``group_labels(...)["label"]``);
        respondents without a group count in the total only.
    total : add a row ``group == "Alle"`` (all invited, all respondents).
    order : group labels in the order wanted (default: most invited first).

    Returns
    -------
    DataFrame
        group, invited, answered, rate, low, high.

    Raises
    ------
    ValueError
        When a group has more respondents than invited people (the two lists use
        different group names, or the list is incomplete).
    """
    def norm(s: pd.Series) -> pd.Series:
        return s.dropna().astype(str).str.strip().str.casefold()

    names = dict(zip(norm(invited), invited.dropna().astype(str).str.strip(), strict=True))
    n_inv = norm(invited).value_counts()
    n_ans = norm(answered).value_counts()
    unknown = sorted(set(n_ans.index) - set(n_inv.index))
    keys = list(n_inv.index) if order is None else [str(o).strip().casefold() for o in order]
    records = [{"group": names.get(k, k), "invited": int(n_inv.get(k, 0)),
                "answered": int(n_ans.get(k, 0))} for k in keys]
    if total:
        records.append({"group": ALL, "invited": int(invited.notna().sum()),
                        "answered": len(answered)})
    for r in records:
        if r["answered"] > r["invited"]:
            raise ValueError(
                f"group {r['group']!r} has {r['answered']} respondents but only "
                f"{r['invited']} invited; make the survey's group names match the "
                f"invitation list's (respondent groups not in the list: {unknown})")
    out = pd.DataFrame(records, columns=["group", "invited", "answered"])
    out = _wilson_columns(out, n="answered", base="invited").rename(columns={"share": "rate"})
    out.attrs.update(unmatched=unknown)
    return out


MODES = {"fysisk": "fysisk", "digital": "digital", "delvis digital": "delvis digital",
         "physical": "fysisk", "hybrid": "delvis digital"}


def _events(activities: pd.DataFrame, date: str, arena: str, mode: str | None) -> pd.DataFrame:
    missing = [c for c in (date, arena, mode) if c and c not in activities.columns]
    if missing:
        raise KeyError(f"activity table has no column(s) {missing}; columns are "
                       f"{list(activities.columns)}; pass date=, arena=, mode= to name them")
    out = pd.DataFrame({"date": pd.to_datetime(activities[date]),
                        "arena": activities[arena].astype(str)})
    raw = activities[mode].astype(str).str.strip().str.lower() if mode else "ukjent"
    out["mode"] = raw.map(lambda m: MODES.get(m, m)) if mode else raw
    return out


def events_by_arena(activities: pd.DataFrame, *, date: str = "date", arena: str = "arena",
                    mode: str | None = "mode") -> pd.DataFrame:
    """Events per arena (Table 1 of the report), split by physical and digital.

    Parameters
    ----------
    activities : the activity log, one row per event.
    date, arena, mode : its column names (``mode`` holds fysisk / digital / delvis
        digital; None when the log has no such column).

    Returns
    -------
    DataFrame
        arena, n, one column per mode (``fysisk``, ``digital``, ``delvis digital``),
        first, last (dates); arenas in order of their first event.
    """
    events = _events(activities, date, arena, mode)
    if events.empty:
        return pd.DataFrame(columns=["arena", "n", "first", "last"])
    per_mode = pd.crosstab(events["arena"], events["mode"])
    grouped = events.groupby("arena")["date"]
    out = pd.DataFrame({"n": grouped.size(), "first": grouped.min(), "last": grouped.max()})
    out = out.join(per_mode).sort_values(["first", "arena"]).reset_index()
    modes = [m for m in ("fysisk", "delvis digital", "digital") if m in per_mode.columns]
    modes += [m for m in per_mode.columns if m not in modes]
    return out[["arena", "n", *modes, "first", "last"]]


def events_per_month(activities: pd.DataFrame, *, date: str = "date", arena: str = "arena",
                     mode: str | None = "mode") -> pd.DataFrame:
    """Events per calendar month, arena and mode, with every month of the period present.

    Returns
    -------
    DataFrame
        month (Timestamp, first day), arena, mode, n; months without events appear
        with ``arena`` and ``mode`` empty and n 0, so a timeline has no gaps.
    """
    events = _events(activities, date, arena, mode)
    if events.empty:
        return pd.DataFrame(columns=["month", "arena", "mode", "n"])
    events["month"] = events["date"].dt.to_period("M").dt.to_timestamp()
    counts = (events.groupby(["month", "arena", "mode"]).size().rename("n").reset_index())
    months = pd.date_range(events["month"].min(), events["month"].max(), freq="MS")
    empty = [m for m in months if m not in set(counts["month"])]
    fill = pd.DataFrame({"month": empty, "arena": "", "mode": "", "n": 0})
    out = pd.concat([counts, fill], ignore_index=True) if empty else counts
    return out.sort_values(["month", "arena", "mode"]).reset_index(drop=True)
