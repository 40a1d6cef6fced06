"""A build's validation: the data and the texts cached apart, the facts computed once."""

from __future__ import annotations

import json

import pytest
from support.files import write, write_two_group_survey

import lnutils.facts
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError
from lnutils.runner import checks, prepare
from lnutils.runner.cache import Cache
from lnutils.runner.outputs import FactsJob, facts_key

PIPELINE = """\
name: t
report: {title: T}
data_dir: data
inputs: {codebook: codebook.yml, survey: survey.csv}
chapters: [{id: kap, notebook: notebooks/kap.ipynb}]
narratives: [{id: t, file: t.md}]
"""


def _notebook(text: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": [text]}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def network(tmp_path, monkeypatch):
    monkeypatch.setenv("LNREPORT_ROOT", str(tmp_path))  # narratives stay in the repository
    write_two_group_survey(tmp_path / "data")
    write(tmp_path / "reports", "t.md", "Flest fra {{< fact q.org.top.label >}}.\n")
    write(tmp_path / "notebooks", "kap.ipynb", _notebook("Svar: {{< fact q.org.answered >}}."))
    return load_pipeline(write(tmp_path, "p.yml", PIPELINE))


def test_the_facts_are_computed_once_and_a_text_edit_checks_only_the_texts(
        network, tmp_path, monkeypatch):
    computed, data_checks = [], []
    facts_for_pipeline = lnutils.facts.facts_for_pipeline
    validate_data = checks.validate_data_inputs  # the data step's reading of the inputs

    def counted_facts(*args, **kwargs):
        computed.append(1)
        return facts_for_pipeline(*args, **kwargs)

    def counted_data(*args, **kwargs):
        data_checks.append(1)
        return validate_data(*args, **kwargs)

    monkeypatch.setattr(lnutils.facts, "facts_for_pipeline", counted_facts)
    monkeypatch.setattr(checks, "validate_data_inputs", counted_data)
    store = Cache(tmp_path / "cache")
    digests = prepare.all_input_digests(network)

    dataset = prepare.validate_inputs(network, store, "code", digests)
    assert dataset is not None and "survey" in dataset
    assert store.has("facts", facts_key(network, "code", digests), ".json")
    job = FactsJob(network, store, "code", digests, dataset=dataset)  # finds them stored
    assert job.cached and json.loads(job.result())["q.org.top.label"] == "Kommune"
    assert (computed, data_checks) == ([1], [1])
    assert prepare.validate_inputs(network, store, "code", digests) is None  # all cached

    # A notebook names a fact these data do not give: only the texts are checked again.
    write(tmp_path / "notebooks", "kap.ipynb", _notebook("Snitt: {{< fact q.org.mean >}}."))
    with pytest.raises(DataError) as caught:
        prepare.validate_inputs(network, store, "code", digests)
    assert [(p.value, p.column) for p in caught.value.report.errors] == [("q.org.mean",
                                                                          "cell 1")]
    write(tmp_path / "notebooks", "kap.ipynb", _notebook("Ingen tall."))
    assert prepare.validate_inputs(network, store, "code", digests) is None
    assert (computed, data_checks) == ([1], [1])

    # New data: everything again.
    write(tmp_path / "data", "survey.csv", "respondent;org\nr1;1\nr2;2\nr3;2\n")
    digests = prepare.all_input_digests(network)
    assert prepare.validate_inputs(network, store, "code", digests) is not None
    assert (computed, data_checks) == ([1, 1], [1, 1])


def test_lnreport_validate_needs_no_store(network, tmp_path):
    write(tmp_path / "reports", "t.md",
          "{{< fact q.org.top.label >}} og {{< fact q.org.mean >}}.\n")
    report = checks.validate_pipeline(network.path)
    assert [(p.row, p.value) for p in report.errors] == [(1, "q.org.mean")]
    assert not (tmp_path / "reports" / "_cache").exists()


def test_chapters_on_other_inputs_start_before_the_survey_is_read(tmp_path, monkeypatch):
    """The survey takes longest to read: it is read last, and a chapter of the main
    report that reads none of it is handed to the workers before it is."""
    from lnutils import paths
    from lnutils.inputs import validation
    from lnutils.runner import engine

    events = []
    load_input = validation._load_input

    def recorded(dataset, name, shown):
        events.append(("read", name))
        return load_input(dataset, name, shown)

    class Run:
        def add(self, tasks, more=False):
            events.append(("start", sorted(t.chapter for t in tasks), more))

    class Workers:
        def prewarm(self, code):
            pass

    monkeypatch.setattr(validation, "_load_input", recorded)
    pipeline = load_pipeline(paths.repo_root() / "pipelines" / "trondelag-2021.yml")
    store = Cache(tmp_path / "cache")
    digests = prepare.all_input_digests(pipeline)
    _, tasks, validation_run = engine._prepare(pipeline, engine.BuildOptions(), store, "code",
                                               digests, Workers(), Run())
    survey = events.index(("read", "survey"))
    assert events[survey + 1:] == [] or all(e[0] == "start" for e in events[survey + 1:])
    before = {chapter for e in events[:survey] if e[0] == "start" for chapter in e[1]}
    assert {"gjennomforing", "forbedringsteam", "fremdriftsplan"} <= before
    assert not before & {"deltakelse", "organisering", "effekt", "metode"}  # need the survey
    validation_run.finish()
    assert {t.chapter for t in tasks} >= before  # the plan still holds them
