"""Facts are computed alongside the chapters and cached; their errors reach the build."""

import json
import shutil
from pathlib import Path

import pytest

import lnutils.facts
from lnutils.pipeline import load_pipeline
from lnutils.runner.cache import Cache
from lnutils.runner.outputs import FactsJob, write_facts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build"


@pytest.fixture
def pipeline(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    path = root / "pipelines" / "tiny.yml"
    path.write_text(path.read_text(encoding="utf-8") + "facts: tiny\n", encoding="utf-8")
    return load_pipeline(path)


def test_facts_are_computed_once_then_cached(pipeline, tmp_path, monkeypatch):
    calls = []

    def fake_facts(p, store=None, dataset=None):
        calls.append(p.name)
        return {"survey.respondents": 35, "survey.response_rate_pct": 31.8}

    monkeypatch.setattr(lnutils.facts, "facts_for_pipeline", fake_facts)
    store = Cache(tmp_path / "cache")
    first = FactsJob(pipeline, store, "code", {"counts": "a"})
    stage = tmp_path / "stage"
    record = write_facts(first, stage, ["Værnes"])
    again = FactsJob(pipeline, store, "code", {"counts": "a"})
    assert calls == ["tiny"] and again.cached and not record["cached"]
    assert json.loads((stage / "facts.json").read_text(encoding="utf-8")) == {
        "survey.respondents": 35, "survey.response_rate_pct": 31.8}
    assert (stage / "regions" / "vaernes" / "facts.json").exists()
    changed = FactsJob(pipeline, store, "code", {"counts": "b"})  # new data: computed again
    changed.result()
    assert calls == ["tiny", "tiny"]


def test_a_failing_facts_module_raises_in_the_build(pipeline, tmp_path, monkeypatch):
    def broken(p, store=None, dataset=None):
        raise KeyError("survey.respondents")

    monkeypatch.setattr(lnutils.facts, "facts_for_pipeline", broken)
    job = FactsJob(pipeline, Cache(tmp_path / "cache"), "code", {})
    with pytest.raises(KeyError, match="survey.respondents"):
        job.result()
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_each_region_gets_its_own_facts_cached(pipeline, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(lnutils.facts, "facts_for_pipeline",
                        lambda p, store=None, dataset=None: {"survey.respondents": 35})

    def regions(p, values, network, store=None, dataset=None):
        calls.append(list(values))
        return {v: {"survey.respondents": len(v), **{"all." + k: x for k, x in
                                                       network.items()}} for v in values}

    monkeypatch.setattr(lnutils.facts, "facts_for_regions", regions)
    store = Cache(tmp_path / "cache")
    values = ["Værnes", "Fosen"]
    for _ in range(2):  # computed with the network's facts, alongside the chapters
        write_facts(FactsJob(pipeline, store, "code", {}, values), tmp_path / "stage", values)
    assert calls == [values]  # the second build read them from the cache
    write_facts(FactsJob(pipeline, store, "code", {}), tmp_path / "stage", ["Ytre Namdal"])
    assert calls == [values, ["Ytre Namdal"]]  # a value the job was not told of
    own = json.loads((tmp_path / "stage" / "regions" / "fosen" / "facts.json").read_text("utf-8"))
    assert own == {"survey.respondents": 5, "all.survey.respondents": 35}
