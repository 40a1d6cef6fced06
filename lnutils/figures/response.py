"""Response rate by group against the invitation list, with Wilson 95 % intervals.

Takes :func:`lnutils.analysis.summaries.response_rate_by_group`. The published report gives only
the total (35 of 110); per group the reader sees who is missing from the answers.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from lnutils.analysis.summaries import ALL
from lnutils.figures.datatable import DataTable, attach_table
from lnutils.figures.parts import rows_height, set_base, wrap
from lnutils.figures.style import (
    NONANSWER_GREY,
    PALETTE,
    SMALL,
    TITLE,
    empty_figure,
    new_figure,
    percent_formatter,
    report_style,
    segment_style,
)
from lnutils.fmt import fmt_n, fmt_range, fmt_share


def rate_label(answered: int, invited: int) -> str:
    """"35 av 110 (31,8 %)"."""
    share = answered / invited if invited else float("nan")
    return f"{fmt_n(answered)} av {fmt_n(invited)} ({fmt_share(share)})"


def rate_table(rates: pd.DataFrame) -> DataTable:
    """The numbers of :func:`plot_response_rate`: invited, answered, rate and interval."""
    return DataTable.from_frame(pd.DataFrame({
        "Gruppe": rates["group"].astype(str),
        "Inviterte": [int(n) for n in rates["invited"]],
        "Svarte": [int(n) for n in rates["answered"]],
        "Svarprosent": ["" if pd.isna(r) else fmt_share(r) for r in rates["rate"]],
        "95 % KI": ["" if pd.isna(lo) else fmt_range(lo, hi, 1, share=True)
                    for lo, hi in zip(rates["low"], rates["high"], strict=True)],
    }))


def plot_response_rate(rates: pd.DataFrame, *, title: str = "") -> Figure:
    """Horizontal bars: response rate per group, interval lines, total as a dashed line.

    Parameters
    ----------
    rates : from :func:`lnutils.analysis.summaries.response_rate_by_group`.
    """
    if rates.empty or rates["invited"].sum() == 0:
        return empty_figure("Ingen inviterte å vise.")
    with report_style():
        labels = [wrap(g, 30) for g in rates["group"]]
        fig = new_figure(1.1 + rows_height(labels))
        ax = fig.subplots()
        y = list(range(len(rates)))
        pct = rates["rate"].fillna(0) * 100
        for yy, value, group in zip(y, pct, rates["group"], strict=True):
            ax.barh([yy], [value], height=0.62,
                    **segment_style(NONANSWER_GREY if group == ALL else PALETTE[0]))
        has = rates["low"].notna()
        ax.errorbar(pct[has], [yy for yy, h in zip(y, has, strict=True) if h],
                    xerr=[pct[has] - rates.loc[has, "low"] * 100,
                          rates.loc[has, "high"] * 100 - pct[has]],
                    fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2)
        for yy, row in zip(y, rates.itertuples(), strict=True):
            x = (row.high * 100 if pd.notna(row.high) else 0) + 1.5
            ax.text(x, yy, rate_label(row.answered, row.invited), va="center", fontsize=SMALL)
        total = rates[rates["group"] == ALL]
        if not total.empty:
            ax.axvline(total["rate"].iloc[0] * 100, color=NONANSWER_GREY, linestyle="--",
                       linewidth=0.8)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 145)
        ax.set_xticks(range(0, 101, 25))
        ax.xaxis.set_major_formatter(percent_formatter(0))
        ax.set_xlabel("Svarprosent (strek: 95 % konfidensintervall)")
        if title:
            ax.set_title(wrap(title, 60), loc="left", fontsize=TITLE)
        invited = int(total["invited"].iloc[0]) if not total.empty else int(rates["invited"].sum())
        set_base(ax, invited, "inviterte: ")
    return attach_table(fig, rate_table(rates))
