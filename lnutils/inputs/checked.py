"""A loaded table together with the warnings its checks gave.

Loaders of hand-kept tables (activity log, invitation list, quotes, self-evaluations,
the networks' goals) accept data with warnings: the report uses it as given and the
method appendix lists each warning. The warnings travel in a declared, typed field of
the table, :attr:`CheckedTable.warnings`, not in the frame's hidden ``attrs``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lnutils.problems import Problem


class CheckedTable(pd.DataFrame):
    """A :class:`pandas.DataFrame` with ``warnings``: the checks' warnings, as Problems.

    ``warnings`` is pandas metadata (``_metadata``), so it survives pickling (the
    runner's cache of parsed inputs) and copies; a frame derived from the table (a
    selection, a merge) may carry it on or drop it, and is never read for warnings.
    """

    _metadata = ["warnings"]
    warnings: tuple[Problem, ...] = ()

    @property
    def _constructor(self):
        return CheckedTable


def with_warnings(frame: pd.DataFrame, warnings: Iterable[Problem]) -> CheckedTable:
    """``frame`` as a :class:`CheckedTable` holding ``warnings`` (the frame is not changed)."""
    table = CheckedTable(frame)
    table.warnings = tuple(warnings)
    return table
