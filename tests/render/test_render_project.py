"""The Quarto project: generated _quarto.yml is valid and lists existing files.

Quarto itself cannot be installed here; a stand-in ``quarto`` script on PATH
checks that the engine calls it on the project, never asks it to execute, and
turns its exit status into an error.
"""

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from fixtures.render.make_fixtures import PARTS, build_project, render_fixture

from lnutils import paths
from lnutils.pipeline import load_pipeline
from lnutils.render import RenderError
from lnutils.render.project import listed_files, load_template, write_project
from lnutils.render.structure import load_facts, part_order, report_items, report_meta


def test_committed_template_sets_language_and_formats():
    config = load_template(paths.repo_root() / "reports" / "_quarto.yml")
    assert config["project"]["type"] == "book"
    assert config["lang"] == "nb"
    assert config["language"]["section-title-appendices"] == "Vedlegg"
    assert set(config["format"]) == {"html", "docx", "typst"}  # the three outputs
    assert config["format"]["typst"]["papersize"] == "a4"
    assert config["format"]["typst"]["keep-typ"] is True  # scanned for personal data
    assert "enabled" not in config.get("execute", {})  # never asks Quarto to run notebooks


@pytest.fixture()
def project(tmp_path, monkeypatch):
    pipe, stage = build_project(tmp_path)
    monkeypatch.setenv("LNREPORT_ROOT", str(tmp_path))
    pipeline = load_pipeline(pipe)
    items = report_items(pipeline, stage)
    out = write_project(items, part_order(pipeline, items), report_meta(pipeline),
                        load_facts(stage), stage)
    return out, yaml.safe_load(out.read_text(encoding="utf-8"))


def test_generated_project_parses_and_every_listed_file_exists(project):
    path, config = project
    files = listed_files(path)
    assert len(files) == 7  # index, four narratives, two chapters
    assert all(f.is_file() for f in files)


def test_generated_project_has_parts_appendix_and_title_page(project):
    _, config = project
    book = config["book"]
    assert book["title"] == "Evaluering av læringsnettverket"
    assert book["date"] == "2021-09-24" and config["date-format"] == "D. MMMM YYYY"
    assert book["chapters"][:2] == ["index.md", "_sources/sammendrag.md"]
    # The part "Evalueringen" opens with a text without heading: it is the part's page.
    assert [c["part"] for c in book["chapters"][2:]] == [PARTS[0], "_sources/del2.md", PARTS[2]]
    assert book["chapters"][3]["chapters"] == ["_sources/sporreundersokelse.ipynb"]
    assert book["appendices"] == ["_sources/egenvurderinger.ipynb"]
    assert config["language"]["crossref-apx-prefix"] == "Vedlegg"


def test_project_sources_have_facts_resolved_and_titles(project):
    path, _ = project
    summary = (path.parent / "_sources" / "sammendrag.md").read_text(encoding="utf-8")
    assert "{{<" not in summary and "31,8" in summary
    assert summary.startswith("# Sammendrag {.unnumbered}")
    intro = (path.parent / "_sources" / "del2.md").read_text(encoding="utf-8")
    assert intro.startswith(f"# {PARTS[1]}\n\nDenne delen bygger på tre kilder")
    survey = json.loads((path.parent / "_sources" / "sporreundersokelse.ipynb").read_text("utf-8"))
    tags = [c["metadata"].get("tags") for c in survey["cells"]]
    assert ["parameters"] not in tags and ["injected-parameters"] not in tags
    outputs = [o["output_type"] for c in survey["cells"] for o in c.get("outputs", [])]
    assert "stream" not in outputs and "display_data" in outputs
    assert "#| label: fig-periode" in json.dumps(survey)  # Quarto reads the cell options
    appendix = (path.parent / "_sources" / "egenvurderinger.ipynb").read_text(encoding="utf-8")
    assert "# Forbedringsteamenes egenvurdering" in appendix


def _fake_quarto(folder, exit_code, text="Rapporten"):
    """A stand-in quarto CLI: records its arguments, writes the three formats (or fails)."""
    script = folder / "quarto"
    script.write_text(
        "#!/bin/sh\n"
        'echo "$@" > "$2/quarto-args.txt"\n'
        f'if [ {exit_code} -ne 0 ]; then echo "ERROR: bad cell" >&2; exit {exit_code}; fi\n'
        'mkdir -p "$2/_quarto"\n'
        'echo "<html lang=nb><p>ok</p></html>" > "$2/_quarto/index.html"\n'
        'cp "$2/reference.docx" "$2/_quarto/Rapport.docx"\n'
        'echo "%PDF-1.7" > "$2/_quarto/Rapport.pdf"\n'
        f'echo "{text}" > "$2/Rapport.typ"\n',
        encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def test_quarto_engine_renders_the_project_through_the_quarto_package(tmp_path, monkeypatch):
    pytest.importorskip("quarto")
    (tmp_path / "bin").mkdir()
    bin_dir = _fake_quarto(tmp_path / "bin", 0)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    _, stage, outputs = render_fixture(tmp_path / "p", engine="auto")
    out = stage / "_quarto"
    assert outputs == [out / "Rapport.docx", out / "Rapport.pdf", out / "index.html"]
    args = (stage / "quarto-args.txt").read_text(encoding="utf-8").split()
    assert args == ["render", str(stage), "--no-execute", "--quiet"]  # never executes
    assert (stage / "_quarto.yml").is_file() and (stage / "reference.docx").is_file()


def test_quarto_engine_calls_quarto_render_with_the_project(tmp_path, monkeypatch):
    # Without any quarto CLI: the package's render function is replaced by a recorder.
    quarto = pytest.importorskip("quarto")
    (tmp_path / "bin").mkdir()
    bin_dir = _fake_quarto(tmp_path / "bin", 0)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    calls = []

    def render(input, **kwargs):
        calls.append((input, kwargs))
        stage = Path(input)
        config = yaml.safe_load((stage / "_quarto.yml").read_text(encoding="utf-8"))
        assert set(config["format"]) == {"html", "docx", "typst"}
        assert all(f.is_file() for f in listed_files(stage / "_quarto.yml"))
        (stage / "_quarto").mkdir()
        for name in ["index.html", "Rapport.pdf"]:
            (stage / "_quarto" / name).write_text("x", encoding="utf-8")
        shutil.copyfile(stage / "reference.docx", stage / "_quarto" / "Rapport.docx")
        (stage / "_quarto" / "Rapport.typ").write_text("Rapport", encoding="utf-8")

    monkeypatch.setattr(quarto, "render", render)
    _, stage, outputs = render_fixture(tmp_path / "p", engine="quarto")
    assert calls == [(str(stage), {"execute": False, "quiet": True})]
    assert {p.suffix for p in outputs} == {".html", ".docx", ".pdf"}


def test_quarto_failure_is_a_render_error(tmp_path, monkeypatch):
    pytest.importorskip("quarto")
    (tmp_path / "bin").mkdir()
    bin_dir = _fake_quarto(tmp_path / "bin", 3)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RenderError, match=r"wrote no HTML, DOCX, PDF under"):
        render_fixture(tmp_path / "p", engine="quarto")


def test_quarto_pdf_is_scanned_for_personal_data(tmp_path, monkeypatch):
    pytest.importorskip("quarto")
    (tmp_path / "bin").mkdir()
    bin_dir = _fake_quarto(tmp_path / "bin", 0, text="Skriv til leder\\@kommune.no")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RenderError, match=r"(?s)Rapport\.pdf.*leder@kommune\.no"):
        render_fixture(tmp_path / "p", engine="quarto")


def test_output_captions_become_cell_options_for_quarto(tmp_path, monkeypatch):
    from fixtures.render.make_fixtures import survey_notebook

    nb = survey_notebook()
    figure = nb.cells[6]  # fig-nytte: has its own fig-cap and fig-alt
    figure.outputs[0].metadata = {"image/png": {"caption": "Fra data", "alt": "Alt fra data"}}
    figure.source = figure.source.replace('#| fig-alt: "Stolpediagram over skår 1 til 6."\n', "")
    pipe, stage = build_project(tmp_path, survey=nb)
    monkeypatch.setenv("LNREPORT_ROOT", str(tmp_path))
    pipeline = load_pipeline(pipe)
    items = report_items(pipeline, stage)
    write_project(items, part_order(pipeline, items), report_meta(pipeline), load_facts(stage),
                  stage)
    survey = json.loads((stage / "_sources" / "sporreundersokelse.ipynb").read_text("utf-8"))
    source = next(c["source"] for c in survey["cells"]
                  if c["cell_type"] == "code" and "fig-nytte" in str(c["source"]))
    assert source.split("\n")[:4] == [
        "#| label: fig-nytte", '#| fig-cap: "Nytten av kommuneregionstrukturen"',
        '#| fig-alt: "Alt fra data"', "figures.plot_scale(summary)"]
