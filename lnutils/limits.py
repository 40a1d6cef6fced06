"""Limits that keep the work of reading any input bounded, with their settings.

A careless export or a hostile file must end in a short, located error, never in an
exhausted machine. Each limit has a default that real inputs stay far below and an
environment variable to raise it (``docs/architecture.md#limits`` lists them):

========================================  ==========  ==============================
setting                                   default     what it bounds
========================================  ==========  ==============================
``LNREPORT_MAX_TABLE_MB``                 100         size of a CSV/XLSX input
``LNREPORT_MAX_YAML_MB``                  5           size of a YAML file
``LNREPORT_YAML_MAX_DEPTH``               64          nesting of YAML collections
``LNREPORT_YAML_MAX_ALIASES``             1000        ``*alias`` references in one file
``LNREPORT_YAML_MAX_EXPANSION``           100000      values that aliases add when expanded
``LNREPORT_MAX_PROBLEMS_PER_KIND``        20          problems of one kind listed per file
========================================  ==========  ==============================

The example data use less than a thousandth of each (its largest input is 15 kB).
"""

from __future__ import annotations

import os

MB = 1_000_000

DEFAULTS = {
    "LNREPORT_MAX_TABLE_MB": 100,
    "LNREPORT_MAX_YAML_MB": 5,
    "LNREPORT_YAML_MAX_DEPTH": 64,
    "LNREPORT_YAML_MAX_ALIASES": 1000,
    "LNREPORT_YAML_MAX_EXPANSION": 100_000,
    "LNREPORT_MAX_PROBLEMS_PER_KIND": 20,
}


def setting(name: str) -> int:
    """The value of one limit: the environment's when it is a positive number, else the default.

    A malformed value falls back to the default rather than failing the run: a limit is a
    guard, and an unreadable override must not switch it off.
    """
    text = os.environ.get(name, "").strip().replace("_", "")
    if text.isdigit() and int(text) > 0:
        return int(text)
    return DEFAULTS[name]


def max_table_bytes() -> int:
    return setting("LNREPORT_MAX_TABLE_MB") * MB


def max_yaml_bytes() -> int:
    return setting("LNREPORT_MAX_YAML_MB") * MB


def max_problems_per_kind() -> int:
    return setting("LNREPORT_MAX_PROBLEMS_PER_KIND")


def size_text(size: int) -> str:
    """A byte count as (English) messages show it: ``"52.4 MB"``."""
    return f"{size / MB:.1f} MB"
