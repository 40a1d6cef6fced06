"""The third example network (Fjordnett, invented): a Nettskjema export, no Python of its own.

Fast tests: the committed files are the generator's output, the pipeline validates and
needs no extension, the narrative writes every number as a placeholder. The slow test
builds the main report and the regional sub-reports end to end; it needs the generic
facts and the generic section notebook (issue 12, items 1 and 3).
"""

import importlib.util
import json
import re

import pytest
import yaml
from support.browser import check_in_browser
from support.builds import build_example

from lnutils import paths
from lnutils.cli import main
from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.survey import load_survey

ROOT = paths.repo_root()
DATA = ROOT / "data" / "example" / "fjordnett-2024"
PIPELINE = ROOT / "pipelines" / "fjordnett-2024.yml"
NARRATIVE = ROOT / "reports" / "fjordnett-2024"
REGIONS = ["nordre-fjordbygd", "sondre-fjordbygd", "midtdalen", "kystriket", "fjellregionen"]


def test_the_committed_data_are_the_generators_output(tmp_path):
    script = ROOT / "tools" / "make_fjordnett_example.py"
    spec = importlib.util.spec_from_file_location("make_fjordnett_example", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["codebook.yml", "invitations.csv", "survey.csv"]
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_the_export_has_the_nettskjema_shape():
    header = (DATA / "survey.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = [c.strip('"') for c in header.split(";")]
    assert columns[:3] == ["$submission_id", "$created", "$answer_time_ms"]
    assert header.startswith('"$submission_id";')
    assert [c for c in columns if c.startswith("deltok.")] == [f"deltok.{i}" for i in range(1, 6)]
    assert sum(c.startswith("samhandling.") for c in columns) == 4
    survey = load_survey(DATA / "survey.csv", load_codebook(DATA / "codebook.yml"))
    assert 40 <= len(survey.respondents) <= 80
    assert survey.respondents["region"].nunique() == 5
    # Codes, not labels, in the cells: the loader saw no label.
    second = (DATA / "survey.csv").read_text(encoding="utf-8").splitlines()[1].split(";")
    assert all(re.fullmatch(r'"\d*"', cell) for cell in second[3:-1])


def test_the_pipeline_validates_with_no_python_of_its_own(capsys):
    assert main(["validate", str(PIPELINE)]) == 0, capsys.readouterr().out
    pipeline = yaml.safe_load(PIPELINE.read_text(encoding="utf-8"))
    assert "facts" not in pipeline
    notebooks = {c["notebook"] for c in pipeline["chapters"]}
    assert notebooks == {"notebooks/survey_section.ipynb", "notebooks/metode.ipynb"}
    assert pipeline["fanout"] == {"parameter": "region", "values_from": "region"}


def test_the_narrative_writes_every_number_as_a_placeholder(capsys):
    for path in sorted(NARRATIVE.glob("*.md")):
        text = re.sub(r"\{\{<.*?>\}\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d", text), path.name
    # Words that rank or count (flest, høyeste, ...) stand beside a claim that checks them.
    assert main(["lint", str(PIPELINE), "--no-facts"]) == 0, capsys.readouterr().out


@pytest.mark.slow
def test_every_claim_and_placeholder_holds_on_the_data(capsys):
    """Needs the generic facts (issue 12, item 1)."""
    assert main(["lint", str(PIPELINE)]) == 0, capsys.readouterr().out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, "fjordnett-2024")


@pytest.mark.slow
def test_the_report_and_its_regional_sub_reports_are_built(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    assert (built / "report.docx").stat().st_size > 10_000
    assert "Nytten av nettverket" in html and "Data og metode" in html
    assert "{{<" not in html
    facts = json.loads((built / "facts.json").read_text(encoding="utf-8"))
    everyone = len(load_survey(DATA / "survey.csv", load_codebook(DATA / "codebook.yml"))
                   .respondents)
    assert facts["survey.respondents"] == everyone
    regional = []
    for slug in REGIONS:
        folder = built / "regions" / slug
        assert (folder / "report.html").is_file(), slug
        regional.append(json.loads((folder / "facts.json").read_text(encoding="utf-8")))
    # Each sub-report counts its own region's respondents, and together they are everyone.
    assert sum(f["survey.respondents"] for f in regional) == everyone
    assert len({f["q.nytte.mean"] for f in regional}) > 1


@pytest.mark.slow
@pytest.mark.browser
def test_the_report_reads_well_in_a_browser(built):
    check_in_browser(built / "report.html")
