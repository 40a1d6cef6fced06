"""A pipeline's own loaders: a Python file beside it reads an input the package does not know."""

import pytest
from support.files import write

from lnutils.cli import main
from lnutils.inputs.dataset import load_dataset
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError

LOADER = '''\
import csv


def load_registry(path, dataset):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
'''
PIPELINE = """\
name: egen
report: {{title: T}}
data_dir: ../data
inputs: {{registry: registry.csv}}
loaders: {{registry: {loader}}}
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.setenv("LNREPORT_ROOT", str(tmp_path))
    write(tmp_path / "data", "registry.csv", "kommune,team\nA,1\nB,2\n")
    write(tmp_path / "pipelines" / "extras", "registry.py", LOADER)
    return tmp_path


def _pipeline(repo, loader: str):
    return load_pipeline(write(repo / "pipelines", "egen.yml", PIPELINE.format(loader=loader)))


def test_a_loader_beside_the_pipeline_reads_its_input(repo):
    dataset = load_dataset(_pipeline(repo, "extras/registry.py:load_registry"))
    assert dataset["registry"] == [{"kommune": "A", "team": "1"}, {"kommune": "B", "team": "2"}]


@pytest.mark.parametrize(("loader", "words"), [
    ("extras/registry.py:missing", "has no function 'missing'"),
    ("extras/finnes_ikke.py:load", "does not exist"),
    ("ukjent-utvidelse", "no extension named 'ukjent-utvidelse'"),
])
def test_a_loader_that_cannot_be_found_is_a_located_error(repo, loader, words, capsys):
    with pytest.raises(DataError) as info:
        load_dataset(_pipeline(repo, loader))["registry"]
    problem = info.value.report.problems[0]
    assert problem.column == "loaders.registry" and words in problem.message
    assert main(["validate", str(repo / "pipelines" / "egen.yml")]) == 1  # before any run
    out = capsys.readouterr().out
    assert "loaders.registry" in out and "Traceback" not in out


def test_a_broken_loader_file_names_its_line(repo):
    write(repo / "pipelines" / "extras", "registry.py", "def load_registry(path, ds):\n    x = (\n")
    with pytest.raises(DataError, match="line 2"):
        load_dataset(_pipeline(repo, "extras/registry.py:load_registry"))["registry"]
