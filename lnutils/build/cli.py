"""Arguments and entry point of ``lnreport build`` (filled in by the build engine)."""

from __future__ import annotations

import argparse


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pipeline", help="a pipeline file (pipelines/*.yml)")


def run_build(args: argparse.Namespace) -> int:
    from lnutils.cli import _cmd_summary

    # Until the engine lands, a build validates the inputs and prints their summary.
    return _cmd_summary(args)
