"""The Trøndelag report: its chapter notebooks, run alone and built into the whole report.

The survey chapters are sections of the generic ``notebooks/survey_section.ipynb``; the
narratives cite their figures by the labels the sections give them. The chapter
notebooks run under nbval (``pytest --nbval-lax``) on a tiny copy of the data: nbval
injects no parameters, so the test writes copies of the notebooks with papermill's
parameters cell pointing at the copy, one per chapter of the pipeline (and one per
section in a sub-report). With their defaults (the example data) every notebook runs by
``pytest --nbval-lax --nbval-current-env notebooks/``. The build runs in a copy of the repository
(``LNREPORT_ROOT``), so the published example report and the cache under ``reports/``
are left alone.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from support.browser import check_in_browser
from support.builds import build_example

from lnutils import paths
from lnutils.chapters.sections import section_labels
from lnutils.facts import facts_for_pipeline
from lnutils.inputs.codebook import load_codebook
from lnutils.pipeline import load_pipeline
from lnutils.render.placeholders import resolve_text

ROOT = paths.repo_root()
PIPELINE = ROOT / "pipelines" / "trondelag-2021.yml"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("trondelag_*.ipynb"))
NARRATIVES = sorted((ROOT / "reports" / "trondelag-2021").glob("*.md"))
SECTION_NOTEBOOK = "notebooks/survey_section.ipynb"
REFERENCE = re.compile(r"@((?:fig|tbl)-[A-Za-z0-9-]*[A-Za-z0-9])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _sources(path, kind):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def test_pipeline_lists_every_chapter_notebook():
    chapters = load_pipeline(PIPELINE).spec.chapters
    listed = {c.notebook for c in chapters}
    assert {f"notebooks/{p.name}" for p in NOTEBOOKS} <= listed
    assert "notebooks/metode.ipynb" in listed  # the chapter shared with the other report
    sections = [c.parameters["section"] for c in chapters if c.notebook == SECTION_NOTEBOOK]
    assert sections == ["deltakelse", "organisering", "effekt"]  # the survey chapters


def test_every_placeholder_names_a_computed_fact():
    facts = facts_for_pipeline(load_pipeline(PIPELINE))
    texts = [(p.name, s) for p in NOTEBOOKS for s in _sources(p, "markdown")]
    texts += [(str(p), p.read_text(encoding="utf-8")) for p in NARRATIVES]
    resolved = 0
    for where, text in texts:
        assert "{{<" not in resolve_text(text, facts, where)  # raises on an unknown fact
        resolved += text.count("{{<")
    assert resolved > 30


def _labels() -> set[str]:
    """Labels of the notebooks' cells and those the survey sections will give."""
    pipeline = load_pipeline(PIPELINE)
    labels = set()
    for p in NOTEBOOKS:
        for s in _sources(p, "code"):
            labels |= set(re.findall(r"^#\| label: ((?:fig|tbl)-[\w-]+)", s, re.M))
    codebook = load_codebook(pipeline.input("codebook"))
    for section in pipeline.spec.sections:
        labels |= set(section_labels(section, codebook))
    return labels


def test_every_reference_has_a_label():
    labels, refs = _labels(), set()
    for p in NOTEBOOKS:
        refs |= {m for s in _sources(p, "markdown") for m in REFERENCE.findall(s)}
    for p in NARRATIVES:
        refs |= set(REFERENCE.findall(p.read_text(encoding="utf-8")))
    assert refs <= labels, refs - labels
    assert len([lb for lb in labels if lb.startswith("fig-")]) >= 19  # figures 6-20 and more
    assert {"fig-effekt-q19", "fig-organisering-nytte-region-representerer",
            "fig-deltakelse-svarprosent-organisation-type"} <= refs


@pytest.fixture(scope="module")
def few_answers(tmp_path_factory):
    """A copy of the example data with only the first 8 respondents."""
    data = tmp_path_factory.mktemp("few") / "data"
    shutil.copytree(ROOT / "data" / "example" / "trondelag-2021", data)
    lines = (data / "survey.csv").read_text(encoding="utf-8-sig").splitlines()
    (data / "survey.csv").write_text("\n".join(lines[:9]) + "\n", encoding="utf-8-sig")
    kept = "\n".join(lines[:9])
    quotes = yaml.safe_load((data / "quotes.yml").read_text(encoding="utf-8"))
    topics = {}
    for name, topic in quotes["topics"].items():  # quotes must stay answers of the copy
        found = [q for q in topic["quotes"] if q in kept]
        if found:
            topics[name] = {**topic, "quotes": found}
    (data / "quotes.yml").write_text(yaml.safe_dump({"topics": topics}, allow_unicode=True),
                                     encoding="utf-8")
    return data


def _parameterised_copies(folder, data):
    """One copy per chapter run: the pipeline's parameters plus ``data_dir``; the survey
    sections once more as a sub-report of a region the tiny data has."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from lnutils.inputs.dataset import load_dataset

    pipeline = load_pipeline(PIPELINE, data_dir=data)
    regions = load_dataset(pipeline)["survey"].answers.query("question == 'region'")
    region = regions["label"].dropna().iloc[0]
    common = {"pipeline": str(PIPELINE), "data_dir": str(data)}
    runs = [(c.id, c.notebook, {**c.parameters, **common}) for c in pipeline.spec.chapters]
    runs += [(f"{c.id}-region", c.notebook, {**c.parameters, **common, "region": region})
             for c in pipeline.spec.chapters if c.notebook == SECTION_NOTEBOOK and c.fanout]
    for name, notebook, parameters in runs:
        nb = load_notebook_node(str(ROOT / notebook))
        nbformat.write(parameterize_notebook(nb, parameters), folder / f"{name}.ipynb")
    return [name for name, _, _ in runs]


@pytest.mark.slow
def test_chapter_notebooks_run_under_nbval_on_a_tiny_data_set(few_answers, tmp_path):
    names = _parameterised_copies(tmp_path, few_answers)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:]
    # every chapter once, and the survey sections that fan out again for a region
    chapters = [c.id for c in load_pipeline(PIPELINE).spec.chapters]
    assert names == [*chapters, "organisering-region", "effekt-region"]
    assert re.search(r"\b\d+ passed", done.stdout) and "failed" not in done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, "trondelag-2021")


@pytest.mark.slow
def test_built_report_has_the_published_structure(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    assert (built / "report.docx").stat().st_size > 10_000
    headings = " ".join(re.sub(r"<[^>]+>", " ", h) for h in re.findall(r"<h1[^>]*>.*?</h1>",
                                                                       html, re.S))
    for text in ["Sammendrag", "Del 1:", "Del 2:", "Del 3:", "Workshop", "Vedlegg 1:",
                 "Forbedringsteamenes egenvurderinger", "Data og metode", "Figurliste"]:
        assert text in " ".join(headings.split()) or text in html, text
    assert len(re.findall(r'<figure id="fig-', html)) >= 19
    assert 'id="tbl-aktiviteter"' in html and 'id="tbl-team"' in html
    for team in ["Fosen", "Orkland Fjell", "Værnes", "Inn-Trøndelag", "Trondheim",
                 "Ytre Namdal"]:
        assert f">{team}</h2>" in html or f">{team}</h" in html, team
    assert "[e-post fjernet]" in html  # the forms' addresses are redacted ...
    text = re.sub(r'data:[^"]+', "", html.split("<main", 1)[1])  # images are no text
    assert not EMAIL.findall(text)  # ... and none is left
    assert re.search(r"31,8[\s\u00a0\u202f]%", html)  # a number from the facts, in the text


@pytest.mark.slow
def test_built_report_has_one_sub_report_per_region(built):
    regions = sorted(p.name for p in (built / "regions").iterdir())
    assert regions == ["fosen", "inn-trondelag", "orkland-fjell", "trondheim", "vaernes",
                       "ytre-namdal"]
    assert all((built / "regions" / r / "report.html").is_file() for r in regions)


@pytest.mark.slow
@pytest.mark.browser
def test_built_report_reads_well_in_a_browser(built):
    check_in_browser(built / "report.html")
