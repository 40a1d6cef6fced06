"""The nightly CI workflow is valid GitHub Actions YAML and calls real `lnreport` flags."""

import re
import shlex

import yaml

from lnutils import paths
from lnutils.cli import _parser

WORKFLOW = paths.repo_root() / ".github" / "workflows" / "nightly.yml"


def _load():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_workflow_is_scheduled_and_well_formed():
    data = _load()
    crons = [entry["cron"] for entry in data["on"]["schedule"]]
    assert crons and all(len(c.split()) == 5 for c in crons)
    assert data["jobs"], "a workflow needs at least one job"
    for name, job in data["jobs"].items():
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name)
        assert "runs-on" in job and job["steps"]
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step  # exactly one of the two
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[\w.-]+", step["uses"]), step["uses"]


def test_workflow_commands_parse_with_the_real_cli():
    steps = [s for job in _load()["jobs"].values() for s in job["steps"] if "run" in s]
    commands = [line for s in steps for line in s["run"].splitlines() if "lnreport" in line]
    assert any(" build " in c and "--nightly" in c for c in commands)
    for command in commands:
        argv = shlex.split(command.replace('"$PIPELINE"', "pipelines/x.yml"))
        args = _parser().parse_args(argv[1:])  # raises SystemExit on an unknown flag
        assert args.command in {"validate", "build"}
