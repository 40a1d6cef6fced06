"""Loaders' warnings travel in a typed field of the table, kept through pickling."""

import pickle

import pandas as pd

from lnutils.inputs.checked import CheckedTable, with_warnings
from lnutils.problems import WARNING, Problem


def test_warnings_are_a_typed_field_kept_through_the_cache():
    warning = Problem("a.csv", 3, "date", "x", "odd date", "check it", WARNING)
    frame = pd.DataFrame({"a": [1, 2]})
    table = with_warnings(frame, [warning])
    assert isinstance(table, CheckedTable) and table.warnings == (warning,)
    assert not hasattr(frame, "warnings") and frame.attrs == {}  # input unchanged
    again = pickle.loads(pickle.dumps(table))
    assert again.warnings == (warning,) and again.equals(table)
    assert with_warnings(frame, []).warnings == ()
