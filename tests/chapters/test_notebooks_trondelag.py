"""The Trøndelag report: its chapter notebooks, run alone and built into the whole report.

The build runs in a copy of the repository (``LNREPORT_ROOT``), so the published example
report and the cache under ``reports/`` are left alone.
"""

import json
import re
import shutil

import pytest
import yaml
from support.browser import check_in_browser
from support.builds import build_example

from lnutils import paths
from lnutils.facts import facts_for_pipeline
from lnutils.pipeline import load_pipeline

ROOT = paths.repo_root()
PIPELINE = ROOT / "pipelines" / "trondelag-2021.yml"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("trondelag_*.ipynb"))
SURVEY_CHAPTERS = ["trondelag_deltakelse.ipynb", "trondelag_organisering.ipynb",
                   "trondelag_effekt.ipynb"]
PLACEHOLDER = re.compile(r"\{\{<\s*fact\s+(\S+)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _sources(path, kind):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def test_pipeline_lists_every_chapter_notebook():
    listed = {c.notebook for c in load_pipeline(PIPELINE).spec.chapters}
    assert {f"notebooks/{p.name}" for p in NOTEBOOKS} <= listed
    assert "notebooks/metode.ipynb" in listed  # the chapter shared with the other report


def test_every_placeholder_names_a_computed_fact():
    facts = facts_for_pipeline(load_pipeline(PIPELINE))
    used = {m for p in NOTEBOOKS for s in _sources(p, "markdown") for m in PLACEHOLDER.findall(s)}
    assert used and used <= set(facts)


def test_every_reference_has_a_label():
    labels, refs = set(), set()
    for p in NOTEBOOKS:
        for s in _sources(p, "code"):
            labels |= set(re.findall(r"^#\| label: ((?:fig|tbl)-[\w-]+)", s, re.M))
        for s in _sources(p, "markdown"):
            refs |= set(re.findall(r"@((?:fig|tbl)-[A-Za-z0-9-]*[A-Za-z0-9])", s))
    assert refs <= labels
    assert len([lb for lb in labels if lb.startswith("fig-")]) >= 19  # figures 6-20 and more


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_with_its_defaults(path, tmp_path):
    import papermill

    papermill.execute_notebook(str(path), str(tmp_path / path.name), cwd=str(path.parent),
                               kernel_name="python3", progress_bar=False)


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


@pytest.mark.slow
@pytest.mark.parametrize("name", SURVEY_CHAPTERS[1:])
def test_survey_chapters_run_on_a_tiny_data_set(name, few_answers, tmp_path):
    import papermill

    out = tmp_path / name
    papermill.execute_notebook(str(ROOT / "notebooks" / name), str(out),
                               parameters={"data_dir": str(few_answers)},
                               cwd=str(ROOT / "notebooks"), kernel_name="python3",
                               progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "image/png" in text


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
    assert not EMAIL.findall(html.split("<main", 1)[1])  # ... and none is left
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
