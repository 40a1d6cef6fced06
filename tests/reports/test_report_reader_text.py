"""Only reader-facing Norwegian in the built example report, in every output.

Builds the example (slow) and scans each rendered HTML, DOCX and PDF, the main report and
every sub-report, for English sentences, internal identifiers, missing-value markers and
references to the example's origin (see ``reader_text``); and each executed notebook for
stderr streams.
"""

import json
from pathlib import Path

import pytest
import yaml
from support.builds import build_example
from support.reader_text import english, findings, identifiers

from lnutils import paths

EXAMPLES = ["trondelag-2021", "gode-pasientforlop-2015"]


def test_scanner_finds_what_it_looks_for():
    assert english("Melding: pseudonyms made with the built-in development key")
    assert english("Rapporten bygger på dataene i tabellen. Ingen tall er skrevet inn.") == []
    found = identifiers("Inndata self_evaluations fra codebook.yml, se pipeline-fil", {"quotes"})
    assert found == ["codebook.yml", "self_evaluations", "pipeline"]
    assert identifiers("Sitater fra deltakerne (quotes)", {"quotes"}) == ["quotes"]


@pytest.fixture(scope="module", params=EXAMPLES)
def built(request, tmp_path_factory) -> tuple[str, Path]:
    return request.param, build_example(tmp_path_factory, request.param)


@pytest.mark.slow
def test_every_output_reads_as_norwegian_for_a_reader(built):
    name, built = built
    pipeline = paths.repo_root() / "pipelines" / f"{name}.yml"
    input_ids = set(yaml.safe_load(pipeline.read_text(encoding="utf-8"))["inputs"])
    outputs = sorted(p for p in built.rglob("report.*")
                     if p.suffix in {".html", ".docx", ".pdf"})
    assert len(outputs) >= 3  # the report (and its sub-reports): HTML, DOCX and PDF
    found = {str(p.relative_to(built)): findings(p, input_ids) for p in outputs}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.slow
def test_executed_notebooks_carry_no_stderr(built):
    _, built = built
    streams = []
    for path in sorted(built.rglob("notebooks/*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        streams += [f"{path.relative_to(built)}: {''.join(o.get('text', ''))[:80]}"
                    for cell in notebook["cells"] for o in cell.get("outputs", [])
                    if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert streams == []
