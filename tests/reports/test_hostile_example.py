"""Hostile strings in the free-text inputs of a copy of the example data, built end to end.

The improvement teams' self-evaluations (text fields and goal lists), the teams' areas
of improvement and the notes of the activity log get the printable strings of
``fixtures/render/hostile.py``; the report of three chapters that show them is built
with ``lnreport build``. HTML, DOCX and PDF must show each string as text. (Control
and bidi characters are left out here: the validation of the inputs may refuse them;
the rendering tests feed them straight to the renderer.)
"""

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from fixtures.render.hostile import EXTERNAL, PRINTABLE, shown, squeeze
from support.browser import watched_page

from lnutils import paths
from lnutils.cli import main
from lnutils.privacy import html_text

pytestmark = pytest.mark.slow
EXAMPLE = "trondelag-2021"


def _poison_data(data: Path) -> None:
    forms_path = data / "self_evaluations.yml"
    forms = yaml.safe_load(forms_path.read_text(encoding="utf-8"))
    first = forms["forms"][0]
    first["done"] = "\n\n".join(PRINTABLE)
    first["goals"] = list(PRINTABLE[:8])
    first["learned"] = PRINTABLE[14] + "\n" + PRINTABLE[15] + "\n" + PRINTABLE[16]
    forms_path.write_text(yaml.safe_dump(forms, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")

    teams_path = data / "teams.yml"
    teams = yaml.safe_load(teams_path.read_text(encoding="utf-8"))
    for team, text in zip(teams["teams"], PRINTABLE[:4], strict=False):
        team["improvement_area"] = text
    teams_path.write_text(yaml.safe_dump(teams, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")

    log = data / "activities.csv"
    rows = list(csv.reader(io.StringIO(log.read_text(encoding="utf-8")), delimiter=";"))
    header, body = rows[0], rows[1:]
    note = header.index("merknad")
    later = [row for row in body if row[0] >= "2020-03-01"]
    for row, text in zip(later, PRINTABLE, strict=False):
        row[note] = text
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows([header, *body])
    log.write_text(out.getvalue(), encoding="utf-8")


def _small_pipeline(source: Path, target: Path) -> None:
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    keep = {"forbedringsteam", "egenvurderinger", "fremdriftsplan"}
    chapters = [c for c in spec["chapters"] if c["id"] in keep]
    for chapter in chapters:
        chapter.pop("part", None)
    spec.update(name="hostile", chapters=chapters, narratives=[], parts=[])
    spec.pop("fanout", None)
    target.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = paths.repo_root()
    repo = tmp_path_factory.mktemp("hostile-example") / "repo"
    for folder in ["notebooks", "pipelines", "data"]:
        shutil.copytree(root / folder, repo / folder)
    shutil.copytree(root / "reports", repo / "reports", ignore=shutil.ignore_patterns("_*"))
    shutil.copy(root / "pyproject.toml", repo / "pyproject.toml")
    _poison_data(repo / "data" / "example" / EXAMPLE)
    pipeline = repo / "pipelines" / "hostile.yml"
    _small_pipeline(repo / "pipelines" / f"{EXAMPLE}.yml", pipeline)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LNREPORT_ROOT", str(repo))
        status = main(["build", str(pipeline), "--quiet", "--engine", "pandoc"])
    assert status == 0
    return repo / "reports" / "_build" / "hostile"


def test_html_shows_the_strings_as_text(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower() and EXTERNAL + "/" not in html.split("<main")[0]
    assert f'src="{EXTERNAL}' not in html and f'href="{EXTERNAL}' not in html
    assert "<ol" not in html[html.index("<main"):]
    text = " ".join(html_text(html).split())
    for s in PRINTABLE:
        assert shown(s) in text, s


def test_docx_and_pdf_show_the_strings_as_text(built):
    docx = pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    from support.pdf import read_pdf

    document = docx.Document(str(built / "report.docx"))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    words = " ".join(" ".join(texts).split())
    pdf = squeeze(" ".join(read_pdf(built / "report.pdf").texts))
    for s in PRINTABLE:
        assert shown(s) in words, s
        assert squeeze(shown(s)) in pdf, s
    assert [r for r in document.part.rels.values() if r.is_external] == []


@pytest.mark.browser
def test_in_chromium_nothing_runs_and_nothing_leaves(built):
    with watched_page(built / "report.html") as (page, seen):
        scripts = page.evaluate("document.scripts.length")
        text = " ".join(page.inner_text("body").split())
    assert (seen["requests"], seen["problems"], seen["dialogs"], scripts) == ([], [], [], 0)
    for s in PRINTABLE:
        assert shown(s) in text, s
