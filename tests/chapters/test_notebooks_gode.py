"""The chapters of the "Gode pasientforløp" report and the shared "Data og metode" chapter.

Fast checks read the stored notebooks and the pipeline: the chapter layout every notebook
follows, figure and table options, that every fact placeholder names a computed fact and
every cross-reference a label of the report. The slow checks run each notebook through
papermill with its defaults from ``notebooks/`` (as JupyterLab does), and the shared
method chapter on a pipeline with a survey.
"""

import json
import re

import pytest
import yaml

from lnutils import paths
from lnutils.facts import facts_for_pipeline
from lnutils.pipeline import load_pipeline
from lnutils.render.notebooks import cell_options
from lnutils.render.placeholders import resolve_text

ROOT = paths.repo_root()
PIPELINE = ROOT / "pipelines" / "gode-pasientforlop-2015.yml"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("gode_*.ipynb")) + [ROOT / "notebooks" /
                                                                 "metode.ipynb"]
DEFAULTS = {"pipeline": "pipelines/gode-pasientforlop-2015.yml", "data_dir": "",
            "region": "alle", "min_group_size": 0}
REFERENCE = re.compile(r"@((?:fig|tbl)-[A-Za-z0-9-]*[A-Za-z0-9])")


def _cells(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]), c.get("metadata", {}))
            for c in notebook["cells"]]


def _options(path):
    """(cell number, options) of every code cell with '#|' options."""
    return [(n, cell_options(src, f"{path.name}, cell {n}")[0])
            for n, (kind, src, _) in enumerate(_cells(path), start=1) if kind == "code"
            and src.startswith("#|")]


@pytest.fixture(scope="module")
def facts():
    return facts_for_pipeline(load_pipeline(PIPELINE))


def test_pipeline_lists_every_chapter_notebook_of_this_report():
    pipeline = load_pipeline(PIPELINE)
    listed = {ROOT / c.notebook for c in pipeline.spec.chapters}
    assert listed == set(NOTEBOOKS)
    assert all(c.part in pipeline.spec.parts for c in pipeline.spec.chapters if c.part)
    for narrative in pipeline.spec.narratives:
        assert (paths.repo_root() / "reports" / narrative.file).is_file(), narrative.file


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_like_every_chapter(path):
    cells = _cells(path)
    assert cells[0][0] == "markdown" and cells[0][1].startswith("# ")
    kind, source, metadata = cells[1]
    assert kind == "code" and metadata.get("tags") == ["parameters"]
    namespace: dict = {}
    exec(source, namespace)  # literals only: nothing to import, nothing derived
    assert {k: v for k, v in namespace.items() if k != "__builtins__"} == DEFAULTS
    assert "ctx = open_chapter(pipeline, data_dir, region, min_group_size)" in cells[2][1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_and_tables_carry_their_options(path):
    for number, options in _options(path):
        label = options.get("label", "")
        if label.startswith("fig-"):
            assert options.get("fig-cap") and options.get("fig-alt"), f"cell {number}"
        else:
            assert label.startswith("tbl-") and options.get("tbl-cap"), f"cell {number}"


def test_labels_are_unique_and_every_reference_has_a_label():
    labels, references = [], set()
    for path in NOTEBOOKS:
        labels += [o["label"] for _, o in _options(path)]
        references |= {m for kind, src, _ in _cells(path) if kind == "markdown"
                       for m in REFERENCE.findall(src)}
    for narrative in (ROOT / "reports" / "gode-pasientforlop-2015").glob("*.md"):
        references |= set(REFERENCE.findall(narrative.read_text(encoding="utf-8")))
    assert len(labels) == len(set(labels))
    assert references <= set(labels), references - set(labels)


def test_every_placeholder_names_a_computed_fact(facts):
    texts = [(f"{p.name}, cell {n}", src) for p in NOTEBOOKS
             for n, (kind, src, _) in enumerate(_cells(p), start=1) if kind == "markdown"]
    texts += [(str(p), p.read_text(encoding="utf-8"))
              for p in (ROOT / "reports" / "gode-pasientforlop-2015").glob("*.md")]
    resolved = 0
    for where, text in texts:
        out = resolve_text(text, facts, where)  # raises on an unknown fact or bad format
        assert "{{<" not in out
        resolved += text.count("{{<")
    assert resolved > 40  # the narrative states its numbers through facts


def test_narratives_type_no_digits():
    """Numbers in the narrative come from facts; digits typed by hand would go stale."""
    for narrative in (ROOT / "reports" / "gode-pasientforlop-2015").glob("*.md"):
        text = re.sub(r"\{\{<.*?>\}\}", "", narrative.read_text(encoding="utf-8"))
        assert not re.findall(r"\d", text), narrative.name


# ---------------------------------------------------------------- papermill runs


def _run(path, tmp_path, parameters=None):
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters=parameters or {},
                               cwd=str(ROOT / "notebooks"), kernel_name="python3",
                               progress_bar=False)
    return json.loads(out.read_text(encoding="utf-8"))


def _shown(cell) -> list[str]:
    """The rich output kinds of one executed cell (image, table, markdown)."""
    kinds = []
    for output in cell["outputs"]:
        data = output.get("data", {})
        if "image/svg+xml" in data or "image/png" in data:
            kinds.append("image")
        elif "<table" in "".join(data.get("text/html", "")):
            kinds.append("table")
        elif "text/markdown" in data:
            kinds.append("markdown")
    return kinds


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_with_its_defaults(path, tmp_path):
    executed = _run(path, tmp_path)
    for cell in executed["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert not [o for o in cell["outputs"] if o["output_type"] == "error"]
        options, _ = cell_options("".join(cell["source"]), path.name)
        label = options.get("label", "")
        if label.startswith("fig-"):
            assert _shown(cell) == ["image"], label  # each figure exactly once
        elif label == "tbl-ubesvart":
            assert _shown(cell) == [], label  # this report has no survey
        elif label.startswith("tbl-"):
            assert _shown(cell) == ["table"], label


@pytest.mark.slow
def test_method_chapter_serves_a_pipeline_with_a_survey(tmp_path):
    pipeline = ROOT / "tests" / "fixtures" / "build" / "pipelines" / "survey.yml"
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    assert "survey" in spec["inputs"] and "networks" not in spec["inputs"]
    executed = _run(ROOT / "notebooks" / "metode.ipynb", tmp_path,
                    {"pipeline": str(pipeline), "min_group_size": 7})
    shown = {}
    for cell in executed["cells"]:
        if cell["cell_type"] == "code":
            options, code = cell_options("".join(cell["source"]), "metode")
            shown[options.get("label") or code.strip()] = _shown(cell)
    assert shown["tbl-ubesvart"] == ["table"]
    # warnings are counted in words, never quoted: no table of validator messages
    assert shown["method.as_markdown(method.warnings_text(ctx))"] == ["markdown"]
    assert shown["method.as_markdown(method.municipality_mismatch_text(ctx))"] == []
    assert shown["method.as_markdown(method.nonresponse_text(ctx))"] == ["markdown"]
    rules = next(c for c in executed["cells"]
                 if "label: tbl-smagrupper" in "".join(c["source"]))
    html = "".join(rules["outputs"][0]["data"]["text/html"])
    # the notebook's threshold (a notebook may raise the pipeline's, never lower it)
    assert '<td style="text-align: right">7</td>' in html
