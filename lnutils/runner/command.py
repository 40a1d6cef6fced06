"""Arguments and entry point of ``lnreport build``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings

DESCRIPTION = """\
Validate the pipeline's inputs, execute its chapter notebooks with papermill (in
parallel, reusing cached chapters whose notebook, parameters, lnutils source and input
files are unchanged), compute the facts, render the report and publish it atomically
under reports/_build/<pipeline>/. A fan-out in the pipeline adds one sub-report per
value under regions/<folder>/, the value in lower-case ASCII ("Øvre Dal" -> ovre-dal).

A failed build leaves the published report untouched and keeps what it produced in
reports/_build/<pipeline>.failed/ (the failing notebook with the error in place).
Exit status: 0 built, 1 invalid inputs or a failed build.
"""

EPILOG = """\
examples:
  lnreport build pipelines/my-network.yml
  lnreport build pipelines/my-network.yml --data-dir data/new-wave --jobs 4
  lnreport build pipelines/my-network.yml --nightly --keep 30
  lnreport build pipelines/my-network.yml --executor dask --scheduler tcp://host:8786

The cache lives in reports/_cache/ (delete it to force a full rebuild).
"""


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``lnreport build`` (``--data-dir`` is added by lnutils.cli)."""
    parser.description = DESCRIPTION
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("pipeline", help="a pipeline file (pipelines/*.yml)")
    parser.add_argument(
        "--jobs", "-j", type=_positive, default=os.cpu_count() or 1, metavar="N",
        help="notebooks executed at once (default: the number of cores, %(default)s here)")
    parser.add_argument(
        "--engine", choices=("auto", "pandoc", "quarto"), default="auto",
        help="rendering engine: auto uses Quarto when installed, else the embedded pandoc")
    parser.add_argument(
        "--no-render", dest="render", action="store_false",
        help="execute the chapters and compute the facts, but do not render the report")
    parser.add_argument(
        "--nightly", action="store_true",
        help="write a dated output under reports/_build/<pipeline>.nightly/YYYY-MM-DD/, "
             "keep the last --keep of them and record the outcome in status.json there")
    parser.add_argument(
        "--keep", type=_positive, default=14, metavar="N",
        help="nightly outputs to keep (default: %(default)s)")
    parser.add_argument(
        "--executor", choices=("local", "dask"), default="local",
        help="local worker processes (default) or a Dask cluster (needs lnutils[dask]); "
             "Dask workers must see the repository and the data at the same paths")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", default=None,
        help="address of a running Dask scheduler; without it --executor dask starts a "
             "local cluster with --jobs workers")
    parser.add_argument(
        "--fresh-kernels", dest="reuse_kernels", action="store_false",
        help="start a new kernel for every notebook instead of reusing one kernel per "
             "worker (slower; full isolation between chapters)")
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print only warnings and errors")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run_build(args: argparse.Namespace) -> int:
    """Run ``lnreport build``; return the exit status."""
    from lnutils.runner import guard  # noqa: PLC0415

    # Ctrl-C and SIGTERM (CI timeout, `kill`) stop the build the same way, at once: its
    # processes end, its staging folder is removed, the published report stays as it
    # was, and one line says so (lnutils.runner.guard).
    with guard.stop_on_signals(stopped_message):
        return _run_build(args)


def stopped_message(signum: int) -> str:
    """The one line a stopped build prints."""
    import signal  # noqa: PLC0415

    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    return f"lnreport build: stopped by {name}; the published report is unchanged"


def _run_build(args: argparse.Namespace) -> int:
    from lnutils.pipeline import load_pipeline  # noqa: PLC0415
    from lnutils.runner.engine import BuildError, BuildOptions, build  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
    if args.scheduler and args.executor != "dask":
        print("lnreport build: --scheduler needs --executor dask", file=sys.stderr)
        return 2
    pipeline = load_pipeline(args.pipeline, data_dir=args.data_dir)
    # Validation reports a development pseudonym key once, as a data warning; the facts
    # thread loading the invitation list again would repeat it as a Python warning.
    warnings.filterwarnings("ignore", message="pseudonyms made with the built-in development")
    options = BuildOptions(
        jobs=args.jobs, engine=args.engine, render=args.render, nightly=args.nightly,
        keep=args.keep, executor=args.executor, scheduler=args.scheduler,
        reuse_kernels=args.reuse_kernels,
    )
    try:
        result = build(pipeline, options)
    except BuildError as exc:
        print(f"BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"built {result.output} ({len(result.executed)} chapter(s) executed, "
          f"{len(result.cached)} from cache)")
    return 0
