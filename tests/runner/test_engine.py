"""End-to-end builds of the tiny fixture pipeline (real papermill kernels).

One cold build (7 notebooks: 3 chapters plus 2 fan-out chapters for 2 regions) runs
once per module; each test starts from a copy of that repository, cache included, at
the same path, so that only what a test changes is executed again.
"""

import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest

from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError, Problem
from lnutils.runner import chapter_runs, outputs, prepare
from lnutils.runner.engine import BuildError, BuildOptions, build

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build"
MAIN = ["alpha", "beta", "gamma"]
ALL = MAIN + ["alpha [Fosen]", "gamma [Fosen]", "alpha [Værnes]", "gamma [Værnes]"]


def fake_render(calls):
    """A renderer that lists the executed notebooks in report.html, and counts its calls."""

    def render(pipeline, folder, *, engine, region):
        calls.append(region)
        names = sorted(p.name for p in (folder / "notebooks").glob("*.ipynb"))
        out = folder / "report.html"
        out.write_text(f"<h1>{pipeline.spec.report.title}</h1>{names}", encoding="utf-8")
        return [out]

    return render


def tree(folder, skip=("manifest.json",)):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip}


def cells_text(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("build")
    repo = base / "repo"
    shutil.copytree(FIXTURE, repo)
    calls = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LNREPORT_ROOT", str(repo))
        mp.setattr(outputs, "_renderer", lambda: fake_render(calls))
        result = build(load_pipeline(repo / "pipelines" / "tiny.yml"),
                       BuildOptions(jobs=2, validate=False, progress=False))
    shutil.copytree(repo, base / "pristine")
    return {"base": base, "result": result, "render_calls": calls}


@pytest.fixture
def renders(monkeypatch):
    """The regions rendered during a test (None for the main report)."""
    calls = []
    monkeypatch.setattr(outputs, "_renderer", lambda: fake_render(calls))
    return calls


@pytest.fixture
def repo(built, renders, monkeypatch):
    base = built["base"]
    repo = base / "repo"
    shutil.rmtree(repo)
    shutil.copytree(base / "pristine", repo)
    monkeypatch.setenv("LNREPORT_ROOT", str(repo))
    return repo


def _build(repo, **options):
    options.setdefault("validate", False)
    options.setdefault("progress", False)
    options.setdefault("jobs", 2)
    return build(load_pipeline(repo / "pipelines" / "tiny.yml"), BuildOptions(**options))


def _no_kernels(monkeypatch):
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    monkeypatch.setattr(chapter_runs, "execute_chapter", refuse)
    monkeypatch.setattr(chapter_runs, "open_executor", refuse)  # no worker, warm or not


def test_cold_build_executes_and_publishes_everything(built):
    result = built["result"]
    out = result.output
    assert result.executed == ALL and result.cached == []
    assert sorted(built["render_calls"], key=str) == ["Fosen", None, "Værnes"]
    assert out.name == "tiny" and out.parent.name == "_build"
    assert "alfa alle: 12" in cells_text(out / "notebooks" / "alpha.ipynb")  # (1+2+3) * 2
    assert "alfa Fosen: 12" in cells_text(out / "regions" / "fosen" / "notebooks" / "alpha.ipynb")
    assert not (out / "regions" / "fosen" / "notebooks" / "beta.ipynb").exists()
    assert json.loads((out / "facts.json").read_text(encoding="utf-8")) == {}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["executed"] == 7 and manifest["cache_hits"] == 0
    assert set(manifest["inputs"]) == {"counts", "notes"}
    assert manifest["versions"]["papermill"] and manifest["versions"]["python"]
    alpha = manifest["chapters"][0]
    assert alpha["parameters"]["factor"] == 2 and alpha["seconds"] > 0
    assert manifest["fanout"]["folders"] == {"Fosen": "regions/fosen",
                                             "Værnes": "regions/vaernes"}
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".tiny.")]
    assert leftovers == [".tiny.lock"]


def test_a_build_with_work_to_do_warms_its_workers_first(repo, monkeypatch):
    warmed = []
    monkeypatch.setattr(chapter_runs.Workers, "prewarm", lambda self, code: warmed.append(code))
    (repo / "data" / "tiny" / "notes.txt").write_text("endret\n", encoding="utf-8")
    result = _build(repo)
    assert result.executed and len(warmed) == 1


def test_unchanged_build_starts_no_kernel(repo, renders, monkeypatch):
    _no_kernels(monkeypatch)
    before = tree(repo / "reports" / "_build" / "tiny")
    result = _build(repo)
    assert result.executed == [] and result.cached == ALL
    assert renders == []  # renders come from the cache too
    assert tree(result.output) == before
    manifest = result.manifest
    assert manifest["executed"] == 0 and manifest["facts"]["cached"]


def test_changed_data_reexecutes_exactly_the_chapters_reading_it(repo):
    (repo / "data" / "tiny" / "notes.txt").write_text("én linje\n", encoding="utf-8")
    result = _build(repo)
    # beta reads notes; gamma reads every input; alpha reads only counts
    assert result.executed == ["beta", "gamma", "gamma [Fosen]", "gamma [Værnes]"]
    assert result.cached == ["alpha", "alpha [Fosen]", "alpha [Værnes]"]
    assert "beta: 1 linjer" in cells_text(result.output / "notebooks" / "beta.ipynb")


def test_failing_build_leaves_the_last_good_output_byte_identical(repo):
    out = repo / "reports" / "_build" / "tiny"
    before = tree(out, skip=())
    notebook = repo / "notebooks" / "alpha.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"][3]["source"] = "numbers = [int(x) for x in ['1', 'to']]"
    notebook.write_text(json.dumps(nb), encoding="utf-8")

    with pytest.raises(BuildError) as err:
        _build(repo)

    message = str(err.value)
    assert ("alpha: notebooks/alpha.ipynb, cell 4 (`numbers = [int(x) for x in ['1', 'to']]`): "
            "ValueError: invalid literal for int() with base 10: 'to'") in message
    assert "3 chapter(s) of tiny failed" in message  # alpha and its two regional runs
    assert tree(out, skip=()) == before
    failed = repo / "reports" / "_build" / "tiny.failed"
    assert err.value.failed_dir == failed
    assert str(failed) in message
    kept = (failed / "notebooks" / "alpha.ipynb").read_text(encoding="utf-8")
    assert '"ename": "ValueError"' in kept
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name]

    notebook.write_text((repo.parent / "pristine" / "notebooks" / "alpha.ipynb").read_text(
        encoding="utf-8"), encoding="utf-8")
    fixed = _build(repo)  # the fix is the old notebook: all from the cache
    assert fixed.executed == [] and not failed.exists()


def test_a_text_problem_found_while_the_chapters_run_ends_the_build_as_validation(
        repo, monkeypatch):
    """The facts and the texts are checked while the chapters execute: a problem there
    stops them and ends the build with the validation report, leaving nothing behind."""
    out = repo / "reports" / "_build" / "tiny"
    before = tree(out, skip=())
    notebook = repo / "notebooks" / "beta.ipynb"  # beta executes again
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("Beta", "Beta 2"),
                        encoding="utf-8")
    started = []

    def late_problem():
        started.append(sorted(p.name for p in (out.parent).iterdir()))
        raise DataError(Problem("tekst.md", 3, None, "q.x.mean", "unknown fact", "fix it"))

    monkeypatch.setattr(prepare, "start_validation",
                        lambda *a, **k: prepare.Validation(None, late_problem))
    with pytest.raises(DataError) as err:
        _build(repo, validate=True)
    assert "tekst.md, row 3" in err.value.report.format()
    assert any(".staging-" in name for name in started[0])  # the chapters had begun
    assert tree(out, skip=()) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".tiny.lock", "tiny"]


def test_interrupted_build_leaves_no_trace(repo, monkeypatch):
    out = repo / "reports" / "_build" / "tiny"
    before = tree(out, skip=())

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "write_facts", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _build(repo)
    assert tree(out, skip=()) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".tiny.lock", "tiny"]


def test_report_title_change_rerenders_without_executing(repo, renders, monkeypatch):
    _no_kernels(monkeypatch)
    path = repo / "pipelines" / "tiny.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Liten testrapport", "Ny tittel"),
                    encoding="utf-8")
    result = _build(repo)
    assert result.executed == []
    assert sorted(renders, key=str) == ["Fosen", None, "Værnes"]
    assert "Ny tittel" in (result.output / "report.html").read_text(encoding="utf-8")


def test_two_builds_at_once_both_publish_a_complete_output(repo, monkeypatch):
    _no_kernels(monkeypatch)
    results, errors = [], []

    def run():
        try:
            results.append(_build(repo))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 2
    out = repo / "reports" / "_build" / "tiny"
    assert set(tree(out)) == set(tree(repo.parent / "pristine" / "reports" / "_build" / "tiny"))


def test_nightly_keeps_the_last_n_and_a_status(repo, monkeypatch):
    import datetime as dt

    _no_kernels(monkeypatch)
    for day in (1, 2, 3):
        _build(repo, nightly=True, keep=2, day=dt.date(2026, 11, day))
    nightly = repo / "reports" / "_build" / "tiny.nightly"
    assert sorted(p.name for p in nightly.iterdir() if p.is_dir()) == ["2026-11-02",
                                                                       "2026-11-03"]
    status = json.loads((nightly / "status.json").read_text(encoding="utf-8"))
    assert status["last_success"]["date"] == "2026-11-03"
    assert (nightly / "2026-11-03" / "report.html").exists()
    # a failing night records the failure and keeps the last success
    monkeypatch.setattr(outputs, "write_facts", lambda *a, **k: (_ for _ in ()).throw(
        DataError(Problem("facts", None, None, None, "broken facts", "fix them"))))
    with pytest.raises(DataError):
        _build(repo, nightly=True, keep=2, day=dt.date(2026, 11, 4))
    status = json.loads((nightly / "status.json").read_text(encoding="utf-8"))
    assert status["last_failure"]["date"] == "2026-11-04"
    assert "broken facts" in status["last_failure"]["message"]
    assert status["last_success"]["date"] == "2026-11-03"


def test_nightly_with_a_false_claim_records_it_and_keeps_the_last_good_report(repo,
                                                                               monkeypatch):
    import datetime as dt

    from lnutils.render import RenderError

    _no_kernels(monkeypatch)
    _build(repo, nightly=True, keep=3, day=dt.date(2026, 11, 1))
    claim = ("reports/x.md, line 3: claim no longer holds: a.n > b.n (a.n = 3, b.n = 5)")

    def false_claim(*args, **kwargs):
        raise RenderError(claim)

    monkeypatch.setattr(outputs, "render_all", false_claim)
    with pytest.raises(BuildError, match="claim no longer holds"):
        _build(repo, nightly=True, keep=3, day=dt.date(2026, 11, 2))
    nightly = repo / "reports" / "_build" / "tiny.nightly"
    status = json.loads((nightly / "status.json").read_text(encoding="utf-8"))
    assert claim in status["last_failure"]["message"]
    assert status["last_run"]["ok"] is False
    assert status["last_success"]["date"] == "2026-11-01"
    assert (nightly / "2026-11-01" / "report.html").exists()
    assert not (nightly / "2026-11-02").exists()


def test_cli_build_and_invalid_inputs(repo, monkeypatch, capsys):
    from lnutils.cli import main

    _no_kernels(monkeypatch)
    monkeypatch.setattr(prepare, "start_validation", lambda *a, **k: prepare.Validation(None))
    pipeline = str(repo / "pipelines" / "tiny.yml")
    assert main(["build", pipeline, "--jobs", "1", "--quiet"]) == 0
    assert "0 chapter(s) executed, 7 from cache" in capsys.readouterr().out

    def invalid(*args, **kwargs):
        raise DataError(Problem("survey.csv", 4, "q7", "9", "code out of range", "use 1-6"))

    monkeypatch.setattr(prepare, "start_validation", invalid)
    assert main(["build", pipeline, "--quiet"]) == 1
    assert "survey.csv, row 4, column 'q7'" in capsys.readouterr().err


def test_dask_executor_runs_changed_chapters(repo):
    distributed = pytest.importorskip("distributed")
    notebook = repo / "notebooks" / "beta.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("Beta", "Beta 2"),
                        encoding="utf-8")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        result = _build(repo, client=client)
    assert result.executed == ["beta"]
    assert result.manifest["options"]["client"] == "Client"


def test_warm_and_fresh_kernels_give_the_same_notebooks(repo):
    warm = repo / "reports" / "_build" / "tiny"
    kept = {p.relative_to(warm): p.read_text(encoding="utf-8") for p in warm.rglob("*.ipynb")}
    shutil.rmtree(repo / "reports" / "_cache")
    result = _build(repo, reuse_kernels=False, render=False)
    assert result.executed == ALL

    def outputs(text):
        nb = json.loads(text)
        return [(c["execution_count"], c.get("outputs", [])) for c in nb["cells"]
                if c["cell_type"] == "code"]

    for rel, text in kept.items():
        assert outputs((result.output / rel).read_text(encoding="utf-8")) == outputs(text), rel


def test_a_new_name_on_the_invitation_list_scans_the_reports_again(repo, renders):
    path = repo / "pipelines" / "tiny.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  notes: notes.txt\n",
                        "  notes: notes.txt\n  invitations: invitations.csv\n")
    text = text.replace("{id: gamma, notebook: notebooks/gamma.ipynb}",
                        "{id: gamma, notebook: notebooks/gamma.ipynb, inputs: [counts]}")
    path.write_text(text, encoding="utf-8")
    invitations = repo / "data" / "tiny" / "invitations.csv"
    invitations.write_text("navn;e-post\nKari Testesen;kari@example.no\n", encoding="utf-8")
    _build(repo)
    renders.clear()
    invitations.write_text("navn;e-post\nKari Testesen;kari@example.no\nOla Prøve;ola@example.no\n",
                           encoding="utf-8")
    result = _build(repo)
    assert result.executed == []  # no chapter reads the list
    assert sorted(renders, key=str) == ["Fosen", None, "Værnes"]
