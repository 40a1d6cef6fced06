"""The ``lnreport`` command: validate inputs, print facts, build reports, scaffold a network.

Exit status: 0 success (warnings allowed), 1 invalid data or a failed build,
2 wrong usage. Data problems are printed as a report, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lnutils.problems import DataError


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR", default=None,
        help="read the pipeline's inputs from DIR instead of the folder the pipeline names",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lnreport",
        description="Build evaluation reports for learning networks from survey and activity data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every input against its codebook")
    p.add_argument("path", help="a pipeline file (pipelines/*.yml) or a data folder")
    _add_data_dir(p)

    p = sub.add_parser("summary", help="validate the inputs and print a short summary of them")
    p.add_argument("pipeline", help="a pipeline file (pipelines/*.yml)")
    _add_data_dir(p)

    p = sub.add_parser("facts", help="print the report's computed facts as one flat JSON object")
    p.add_argument("pipeline", help="a pipeline file (pipelines/*.yml)")
    _add_data_dir(p)

    p = sub.add_parser("lint", help="find data words and typed numbers no claim checks, and "
                                    "check every claim and placeholder against the facts")
    p.add_argument("pipeline", help="a pipeline file (pipelines/*.yml)")
    p.add_argument("--no-facts", action="store_true",
                   help="only lint the words; do not compute the facts to check the claims")
    _add_data_dir(p)

    p = sub.add_parser(
        "new", help="scaffold a new network from a survey export: data folder, draft "
        "codebook, pipeline and narrative",
        description="Copy the export (and invitation list) into data/NAME/ unchanged, infer a "
        "draft codebook from the export, and write pipelines/NAME.yml and reports/NAME/*.md. "
        "Decisions the export cannot settle are marked '# TODO(evaluator)' in the YAML. "
        "Existing files are never overwritten (exit status 2).")
    p.add_argument("name", help="the new pipeline's name, e.g. agder-2025")
    p.add_argument("--export", required=True, metavar="FILE",
                   help="the survey export (CSV, XLSX or SPSS .sav)")
    p.add_argument("--invitations", metavar="FILE", default=None,
                   help="the invitation list (CSV or XLSX), for response rates")

    from lnutils.runner.command import add_build_arguments  # noqa: PLC0415

    p = sub.add_parser("build", help="execute the chapters and render the report")
    add_build_arguments(p)
    _add_data_dir(p)
    return parser


def _cmd_validate(args: argparse.Namespace) -> int:
    from lnutils.runner.checks import validate_pipeline

    if args.data_dir is not None and Path(args.path).is_dir():
        # Wrong usage, not invalid data: exit 2 as argparse does.
        print("lnreport validate: error: --data-dir applies to a pipeline file, not to a data "
              "folder; validate the folder itself, or give a pipeline file", file=sys.stderr)
        return 2
    report = validate_pipeline(Path(args.path), data_dir=args.data_dir)
    print(report.format())
    return 0 if report.ok else 1


def _cmd_summary(args: argparse.Namespace) -> int:
    from lnutils.inputs.dataset import describe_dataset, load_dataset
    from lnutils.pipeline import load_pipeline
    from lnutils.runner.checks import validate_pipeline

    report = validate_pipeline(Path(args.pipeline), data_dir=args.data_dir)
    if not report.ok:
        print(report.format())
        return 1
    pipeline = load_pipeline(args.pipeline, data_dir=args.data_dir)
    print(describe_dataset(load_dataset(pipeline)))
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from lnutils.pipeline import load_pipeline
    from lnutils.render.lint import check_pipeline_texts, lint_pipeline

    pipeline = load_pipeline(args.pipeline, data_dir=args.data_dir)
    findings = [f.format() for f in lint_pipeline(pipeline)]
    if not args.no_facts:
        from lnutils.facts import facts_for_pipeline

        findings += check_pipeline_texts(pipeline, facts_for_pipeline(pipeline))
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


def _cmd_facts(args: argparse.Namespace) -> int:
    from lnutils.facts import facts_for_pipeline
    from lnutils.pipeline import load_pipeline

    pipeline = load_pipeline(args.pipeline, data_dir=args.data_dir)
    flat = facts_for_pipeline(pipeline)
    print(json.dumps(flat, ensure_ascii=False, indent=2, default=str))
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from lnutils.runner.scaffold import ScaffoldRefused, plan_scaffold, write_scaffold

    try:
        scaffold = plan_scaffold(args.name, Path(args.export),
                                 Path(args.invitations) if args.invitations else None)
        written = write_scaffold(scaffold)
    except ScaffoldRefused as exc:
        print(f"lnreport new: {exc}", file=sys.stderr)
        return 2
    todos = sum(len(notes) for notes in scaffold.draft.notes.values())
    print("\n".join(f"wrote {path}" for path in written))
    print(f"{len(scaffold.draft.codebook['questions'])} questions inferred; {todos} "
          "TODO(evaluator) notes in the YAML. Next: "
          f"lnreport validate pipelines/{args.name}.yml")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from lnutils.runner.command import run_build

    return run_build(args)


COMMANDS = {
    "validate": _cmd_validate,
    "summary": _cmd_summary,
    "facts": _cmd_facts,
    "lint": _cmd_lint,
    "build": _cmd_build,
    "new": _cmd_new,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataError as exc:
        print(exc.report.format(), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into a command that stopped reading (e.g. `| head`): not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
