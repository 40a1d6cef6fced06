"""environment.yml gives conda users the same dependencies as pyproject.toml."""

import re
import tomllib

import yaml

from lnutils import paths


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def test_environment_yml_matches_pyproject():
    root = paths.repo_root()
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_and_spec(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(_name_and_spec(r) for r in extra)

    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = dict(
        _name_and_spec(d) for d in env["dependencies"] if isinstance(d, str)
    )
    conda.pop("python"), conda.pop("pip")
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda.update(_name_and_spec(r) for r in pip if not r.startswith("-e"))
    assert conda == wanted
