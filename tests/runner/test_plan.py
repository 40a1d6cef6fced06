"""The build plan: which notebooks run, with which parameters, written where."""

import shutil
from pathlib import Path

import pytest

from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError
from lnutils.runner.cache import chapter_input_names
from lnutils.runner.plan import fanout_values, plan_chapters, region_slug

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build"


def test_region_slug_folds_norwegian_letters():
    assert region_slug("Værnes") == "vaernes"
    assert region_slug("Orkdal / Øyer og Åfjord") == "orkdal-oyer-og-afjord"
    assert region_slug("!!!") == "region"


def test_main_report_runs_every_chapter_with_data_dir_and_pipeline(repo):
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    tasks = plan_chapters(pipeline)
    assert [t.chapter for t in tasks] == ["alpha", "beta", "gamma"]
    alpha = tasks[0]
    assert alpha.parameters == {
        "factor": 2,
        "data_dir": str(repo / "data" / "tiny"),
        "pipeline": str(repo / "pipelines" / "tiny.yml"),
    }
    assert alpha.inputs == ("counts",)
    assert tasks[2].inputs is None
    assert alpha.output == "notebooks/alpha.ipynb"
    assert alpha.notebook == repo / "notebooks" / "alpha.ipynb"


def test_fanout_adds_fanout_chapters_per_value(repo):
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    values = fanout_values(pipeline)
    assert values == ["Fosen", "Værnes"]
    tasks = plan_chapters(pipeline, values)
    regional = [(t.label, t.output) for t in tasks if t.region]
    # beta has fanout: false, so each region gets alpha and gamma only
    assert regional == [
        ("alpha [Fosen]", "regions/fosen/notebooks/alpha.ipynb"),
        ("gamma [Fosen]", "regions/fosen/notebooks/gamma.ipynb"),
        ("alpha [Værnes]", "regions/vaernes/notebooks/alpha.ipynb"),
        ("gamma [Værnes]", "regions/vaernes/notebooks/gamma.ipynb"),
    ]
    assert tasks[3].parameters["region"] == "Fosen"
    assert "region" not in tasks[0].parameters


def test_a_chapter_with_fanout_only_runs_in_the_subreports_only(repo):
    import yaml

    path = repo / "pipelines" / "tiny.yml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["chapters"][2]["fanout"] = "only"  # gamma: about one region
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    pipeline = load_pipeline(path)
    tasks = plan_chapters(pipeline, fanout_values(pipeline))
    assert [t.chapter for t in tasks if t.region is None] == ["alpha", "beta"]
    assert [t.label for t in tasks if t.region == "Fosen"] == ["alpha [Fosen]",
                                                               "gamma [Fosen]"]


def test_data_dir_override_reaches_the_parameters(repo, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(repo / "data" / "tiny", other)
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml", data_dir=other)
    assert {t.parameters["data_dir"] for t in plan_chapters(pipeline)} == {str(other)}


def test_missing_notebook_is_a_data_error(repo):
    (repo / "notebooks" / "beta.ipynb").unlink()
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    with pytest.raises(DataError) as err:
        plan_chapters(pipeline)
    problem = err.value.report.errors[0]
    assert problem.value == "notebooks/beta.ipynb"
    assert "chapters[beta]" in problem.column


def test_colliding_region_folders_are_refused(repo):
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    with pytest.raises(DataError, match="same folder"):
        plan_chapters(pipeline, ["Sør-Fron", "Sor Fron"])


def test_survey_implies_codebook(repo):
    text = (repo / "pipelines" / "tiny.yml").read_text(encoding="utf-8")
    extra = "  notes: notes.txt\n  survey: s.csv\n  codebook: c.yml"
    text = text.replace("  notes: notes.txt", extra)
    (repo / "pipelines" / "tiny.yml").write_text(text, encoding="utf-8")
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    assert chapter_input_names(pipeline, ["survey"]) == ["codebook", "survey"]
    assert chapter_input_names(pipeline, ["counts"]) == ["counts"]
    assert chapter_input_names(pipeline, None) == ["codebook", "counts", "notes", "survey"]
