"""Cache keys change exactly when something a chapter depends on changes."""

from pathlib import Path

import pytest

from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError
from lnutils.runner.cache import Cache, digest_path, input_digests, package_digest
from lnutils.runner.chapter_runs import chapter_key
from lnutils.runner.plan import plan_chapters

FIXTURE = Path(__file__).parents[1] / "fixtures" / "build"


def _keys(repo, data_dir=None):
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml", data_dir=data_dir)
    return {t.chapter: chapter_key(pipeline, t, "code") for t in plan_chapters(pipeline)}


def test_digest_of_a_file_and_a_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_bytes(b"abc")
    # sha256("abc"), the standard test vector
    assert digest_path(tmp_path / "a" / "x.txt") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    before = digest_path(tmp_path / "a")
    (tmp_path / "a" / "x.txt").rename(tmp_path / "a" / "y.txt")
    assert digest_path(tmp_path / "a") != before  # a renamed file is a change


def test_package_digest_is_stable_and_hex():
    assert package_digest() == package_digest()
    assert len(package_digest()) == 64


def test_unchanged_pipeline_gives_the_same_keys(repo):
    assert _keys(repo) == _keys(repo)


def test_changed_input_changes_only_the_chapters_reading_it(repo):
    before = _keys(repo)
    (repo / "data" / "tiny" / "notes.txt").write_text("ny tekst\n", encoding="utf-8")
    after = _keys(repo)
    changed = sorted(c for c in before if before[c] != after[c])
    assert changed == ["beta", "gamma"]  # alpha reads only counts


def test_changed_notebook_or_parameter_changes_that_chapter(repo):
    before = _keys(repo)
    nb = repo / "notebooks" / "gamma.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Gamma", "Gamma 2"), encoding="utf-8")
    text = (repo / "pipelines" / "tiny.yml").read_text(encoding="utf-8")
    (repo / "pipelines" / "tiny.yml").write_text(text.replace("factor: 2", "factor: 3"),
                                                 encoding="utf-8")
    after = _keys(repo)
    assert sorted(c for c in before if before[c] != after[c]) == ["alpha", "gamma"]


def test_report_title_does_not_change_chapter_keys_but_privacy_does(repo):
    before = _keys(repo)
    path = repo / "pipelines" / "tiny.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Liten testrapport", "Ny tittel"),
                    encoding="utf-8")
    assert _keys(repo) == before
    path.write_text(path.read_text(encoding="utf-8") + "privacy: {min_group_size: 3}\n",
                    encoding="utf-8")
    after = _keys(repo)
    assert all(before[c] != after[c] for c in before)


def test_lnutils_source_is_part_of_the_key(repo):
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    task = plan_chapters(pipeline)[0]
    assert chapter_key(pipeline, task, "code-a") != chapter_key(pipeline, task, "code-b")


def test_unknown_chapter_input_names_the_input(repo):
    pipeline = load_pipeline(repo / "pipelines" / "tiny.yml")
    with pytest.raises(DataError) as err:
        input_digests(pipeline, ["teams"])
    assert err.value.report.errors[0].value == "teams"


def test_store_round_trip_and_tree(tmp_path):
    store = Cache(tmp_path / "cache")
    assert store.get_bytes("chapters", "ab12", ".ipynb") is None
    store.put_bytes("chapters", "ab12", b"{}", ".ipynb")
    assert store.get_bytes("chapters", "ab12", ".ipynb") == b"{}"
    store.put_json("facts", "cd34", {"a": 1.5})
    assert store.get_json("facts", "cd34") == {"a": 1.5}
    (tmp_path / "report.html").write_text("<p>hei</p>", encoding="utf-8")
    folder = store.put_tree("render", "ef56", {"report.html": tmp_path / "report.html"})
    assert store.get_tree("render", "ef56") == folder
    assert (folder / "report.html").read_text(encoding="utf-8") == "<p>hei</p>"
    assert not list((tmp_path / "cache").rglob(".tmp-*"))  # no temporary files left


def test_prune_deletes_only_entries_unused_for_long(tmp_path):
    import os
    import time

    store = Cache(tmp_path / "cache")
    old = store.put_bytes("chapters", "aa11", b"old", ".ipynb")
    used = store.put_bytes("chapters", "bb22", b"used", ".ipynb")
    folder = store.put_tree("render", "cc33", {})
    month_ago = time.time() - 40 * 86400
    for path in (old, used, folder):
        os.utime(path, (month_ago, month_ago))
    assert store.get_bytes("chapters", "bb22", ".ipynb") == b"used"  # a hit refreshes it
    assert store.prune(30) == 2
    assert not old.exists() and not folder.exists() and used.exists()
