"""The Trøndelag report built whole: its texts true on the data, sub-reports about their region.

Two builds in copies of the repository (``LNREPORT_ROOT``): the example data, and a copy
of it where «Hele 24 av 35 ...» no longer holds, which must fail naming the claim and
leave nothing published.
"""

import html as htmllib
import json
import re
import shutil

import pandas as pd
import pytest
from support.builds import build_example

from lnutils import paths
from lnutils.cli import main
from lnutils.pipeline import load_pipeline
from lnutils.render.lint import check_pipeline_texts

NAME = "trondelag-2021"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, NAME)


def _text(path):
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<style.*?</style>|<img[^>]*>", "", page, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.slow
def test_every_text_holds_on_the_facts_of_its_report(built):
    pipeline = load_pipeline(paths.repo_root() / "pipelines" / f"{NAME}.yml")
    facts = json.loads((built / "facts.json").read_text(encoding="utf-8"))
    assert check_pipeline_texts(pipeline, facts) == []
    text = _text(built / "report.html")
    assert "{{<" not in text
    assert (f"{facts['network.kommuneregioner_participating']} kommuneregioner deltok, med "
            f"{facts['network.improvement_teams']} forbedringsteam") in text
    regions = sorted((built / "regions").iterdir())
    assert len(regions) == 6
    for folder in regions:  # every sub-report against its own region's facts
        region_facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        assert check_pipeline_texts(pipeline, region_facts, region=True) == [], folder.name


@pytest.mark.slow
def test_each_subreport_speaks_of_its_own_team_and_carries_no_network_narrative(built):
    pipeline = load_pipeline(paths.repo_root() / "pipelines" / f"{NAME}.yml")
    assert all(not n.subreports for n in pipeline.spec.narratives)
    main_text = _text(built / "report.html")
    assert "Forbedringsteamet i regionen" not in main_text
    fanout = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["fanout"]
    values = fanout["values"]
    for value in values:
        text = _text(built / fanout["folders"][value] / "report.html")
        assert f"Forbedringsteamet {value} hadde med" in text, value
        for other in set(values) - {value}:
            assert f"Forbedringsteamet {other} " not in text
        for narrative_words in ["Sammendrag", "Kjernen i nettverket", "Workshop"]:
            assert narrative_words not in text


@pytest.mark.slow
def test_a_claim_the_data_no_longer_support_fails_the_build(tmp_path, capsys):
    root = paths.repo_root()
    repo = tmp_path / "repo"
    for folder in ["notebooks", "pipelines", "data"]:
        shutil.copytree(root / folder, repo / folder)
    shutil.copytree(root / "reports", repo / "reports", ignore=shutil.ignore_patterns("_*"))
    shutil.copy(root / "pyproject.toml", repo / "pyproject.toml")
    data = repo / "data" / "example" / NAME
    survey = pd.read_csv(data / "survey.csv", sep=";", dtype=str, encoding="utf-8-sig",
                         keep_default_na=False)
    survey["digitalt"] = "Nei"  # «Hele 24 av 35 mener ...» no longer holds
    survey.to_csv(data / "survey.csv", sep=";", index=False, encoding="utf-8-sig")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LNREPORT_ROOT", str(repo))
        status = main(["build", str(repo / "pipelines" / f"{NAME}.yml"), "--quiet",
                       "--engine", "pandoc", "--nightly"])
    assert status == 1
    out = capsys.readouterr()
    message = out.out + out.err
    assert "anbefalinger.md, line" in message and "claim no longer holds" in message
    assert "organisation.digital_tools_make_collaboration_easier.yes = 0" in message
    nightly = repo / "reports" / "_build" / f"{NAME}.nightly"
    status_file = json.loads((nightly / "status.json").read_text(encoding="utf-8"))
    assert "claim no longer holds" in status_file["last_failure"]["message"]
    assert not [p for p in nightly.iterdir() if p.is_dir() and p.name[0].isdigit()]
