"""Loaded inputs are cached on disk by content; personal data never is."""

import shutil
from pathlib import Path

import pytest

from lnutils.build.cache import Cache
from lnutils.build.datacache import load_cached
from lnutils.codebook import load_codebook
from lnutils.ingest import load_survey
from lnutils.problems import DataError, Problem

FIXTURE = Path(__file__).parent / "fixtures" / "build" / "data" / "survey"


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
    first = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store)
    second = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store)
    assert calls == [1]
    assert second.respondents.equals(first.respondents)
    assert second.answers.equals(first.answers)


def test_a_changed_codebook_loads_the_survey_again(data, tmp_path):
    store, calls = Cache(tmp_path / "cache"), []
    load_cached("survey", data["survey"], data, _counting_loader(calls, data), store)
    text = data["codebook"].read_text(encoding="utf-8")
    data["codebook"].write_text(text.replace("Fosen", "Fosen og Namsos"), encoding="utf-8")
    again = load_cached("survey", data["survey"], data, _counting_loader(calls, data), store)
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
