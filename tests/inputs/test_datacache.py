"""Loaded inputs are cached on disk by content; personal data never is."""

import shutil
from pathlib import Path

import pytest

from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.datacache import load_cached
from lnutils.inputs.dataset import IMPLIED_INPUTS, load_dataset
from lnutils.inputs.survey import load_survey
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError, Problem
from lnutils.store import Cache

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build" / "data" / "survey"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    return {"codebook": folder / "codebook.yml", "survey": folder / "survey.csv"}


def _counting_loader(calls, inputs):
    def load():
        calls.append(1)
        return load_survey(inputs["survey"], load_codebook(inputs["codebook"]))
    return load


def test_survey_is_loaded_once_then_read_from_the_cache(data, tmp_path):
    store, calls = Cache(tmp_path / "cache"), []
    first = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                        IMPLIED_INPUTS)
    second = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                        IMPLIED_INPUTS)
    assert calls == [1]
    assert second.respondents.equals(first.respondents)
    assert second.answers.equals(first.answers)


def test_a_changed_codebook_loads_the_survey_again(data, tmp_path):
    store, calls = Cache(tmp_path / "cache"), []
    load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                        IMPLIED_INPUTS)
    text = data["codebook"].read_text(encoding="utf-8")
    data["codebook"].write_text(text.replace("Fosen", "Fosen og Namsos"), encoding="utf-8")
    again = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                        IMPLIED_INPUTS)
    assert calls == [1, 1]
    assert again.codebook.question("region").options[1] == "Fosen og Namsos"


def test_invitations_and_failures_are_never_cached(data, tmp_path):
    store, calls = Cache(tmp_path / "cache"), []
    for _ in range(2):
        load_cached("invitations", data["survey"], data, lambda: calls.append(1), store)
    assert calls == [1, 1]

    def broken():
        raise DataError(Problem("survey.csv", 3, "nytte", "9", "code out of range", "use 1-7"))

    with pytest.raises(DataError):
        load_cached("survey", data["survey"], data, broken, store)
    assert not list((tmp_path / "cache").rglob("*.pickle"))


def test_a_dataset_without_a_store_writes_nothing(tmp_path, monkeypatch):
    """Loading data in JupyterLab or a unit test leaves no cache behind."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE.parents[1], repo)
    monkeypatch.setenv("LNREPORT_ROOT", str(repo))
    before = {p for p in repo.rglob("*")}
    ds = load_dataset(load_pipeline(repo / "pipelines" / "survey.yml"))
    assert len(ds["survey"].respondents) > 0
    assert {p for p in repo.rglob("*")} == before


def test_a_process_keeps_the_input_and_each_caller_gets_its_own_tables(data, tmp_path):
    """A warm kernel runs chapter after chapter: the survey is read once, and what one
    chapter does to its tables never reaches the next."""
    store, calls = Cache(tmp_path / "cache"), []
    first = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                        IMPLIED_INPUTS)
    for pickle_file in (tmp_path / "cache").rglob("*.pickle"):
        pickle_file.unlink()  # the second comes from memory, not from the disk
    second = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                         IMPLIED_INPUTS)
    assert calls == [1] and second is not first
    assert second.answers is not first.answers and second.codebook is first.codebook
    original = second.answers.copy()
    first.answers["code"] = 99  # one chapter overwrites a column ...
    first.answers.loc[first.answers.index[0], "label"] = "endret"  # ... and a cell
    first.warnings.append(Problem("x", None, None, None, "a chapter's own", ""))
    third = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store,
                        IMPLIED_INPUTS)
    assert third.answers.equals(original) and second.answers.equals(original)
    assert third.warnings == [] and calls == [1]
