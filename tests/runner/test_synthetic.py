"""Fan-out over survey answers, and the benchmark's synthetic survey generator."""

import importlib.util
import shutil
from pathlib import Path

import pytest

from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.survey import load_survey
from lnutils.pipeline import load_pipeline
from lnutils.runner.cache import Cache
from lnutils.runner.plan import fanout_values
from lnutils.runner.prepare import region_values

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build"
SYNTHETIC = Path(__file__).parents[2] / "benchmarks" / "synthetic.py"


def _synthetic():
    spec = importlib.util.spec_from_file_location("bench_synthetic", SYNTHETIC)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fanout_values_are_the_answered_options_in_codebook_order(tmp_path):
    pipeline = load_pipeline(FIXTURE / "pipelines" / "survey.yml")
    # r1 and r4 chose Fosen, r2 Værnes; nobody chose Namdal; r3 was not asked
    assert fanout_values(pipeline) == ["Fosen", "Værnes"]
    store = Cache(tmp_path / "cache")
    assert region_values(pipeline, store, "code", {"survey": "s", "codebook": "c"}) == [
        "Fosen", "Værnes"]
    # the second call reads the cache: it works even if the survey cannot be loaded
    broken = tmp_path / "data"
    shutil.copytree(FIXTURE / "data" / "survey", broken)
    (broken / "survey.csv").write_text("ikke en eksport\n", encoding="utf-8")
    moved = load_pipeline(FIXTURE / "pipelines" / "survey.yml", data_dir=broken)
    assert region_values(moved, store, "code", {"survey": "s", "codebook": "c"}) == [
        "Fosen", "Værnes"]


def test_synthetic_data_loads_through_the_codebook(tmp_path):
    synthetic = _synthetic()
    out = synthetic.make_dataset(FIXTURE / "data" / "survey", tmp_path / "syn", n=200, m=12,
                                 seed=7)
    codebook = load_codebook(out / "codebook.yml")
    assert list(codebook.question("region").options.values())[:2] == ["Region 01", "Region 02"]
    assert len(codebook.question("region").options) == 12
    survey = load_survey(out / "survey.csv", codebook)  # raises DataError on any problem
    assert len(survey.respondents) == 200
    # routing: only forbedringsteam members (arena 1) have a region
    asked = survey.respondents["arena"] == 1
    assert survey.respondents.loc[~asked, "region"].isna().all()
    assert survey.respondents.loc[asked, "region"].notna().mean() > 0.9
    again = synthetic.make_dataset(FIXTURE / "data" / "survey", tmp_path / "syn2", n=200, m=12,
                                   seed=7)
    assert (again / "survey.csv").read_bytes() == (out / "survey.csv").read_bytes()


def test_synthetic_generator_refuses_a_codebook_without_the_region_question():
    synthetic = _synthetic()
    with pytest.raises(SystemExit, match="no question 'kommune'"):
        synthetic.synthetic_codebook({"questions": [{"id": "region"}]}, 3, "kommune")
