"""Which narratives a sub-report shows (``subreports:``), resolved with the region's facts."""

import pytest
from fixtures.render.make_fixtures import build_project, pipeline_dict

from lnutils.pipeline import load_pipeline
from lnutils.render import RenderError
from lnutils.render.lint import check_pipeline_texts
from lnutils.render.structure import report_items

REGION_TEXT = """
    # Regionen

    {{< claim survey.respondents < all.survey.respondents >}}Her svarte
    {{< fact survey.respondents >}} av {{< fact all.survey.respondents >}} i hele nettverket.
    """


def _pipeline(tmp_path, monkeypatch, **region_narrative):
    spec = pipeline_dict()
    spec["narratives"].append({"id": "regionen", "file": "trondelag/regionen.md",
                               "position": "after", "anchor": "sporreundersokelse",
                               **region_narrative})
    from fixtures.render.make_fixtures import NARRATIVES

    pipe, stage = build_project(tmp_path, pipeline=spec,
                                narratives={**NARRATIVES, "trondelag/regionen.md": REGION_TEXT})
    monkeypatch.setenv("LNREPORT_ROOT", str(tmp_path))
    return load_pipeline(pipe), stage


@pytest.mark.parametrize(("mode", "main", "sub"), [
    (False, ["sammendrag", "del1", "del2", "anbefalinger", "regionen"], []),
    (True, ["sammendrag", "del1", "del2", "anbefalinger", "regionen"], ["regionen"]),
    ("only", ["sammendrag", "del1", "del2", "anbefalinger"], ["regionen"]),
])
def test_network_narratives_stay_out_of_subreports_unless_marked(tmp_path, monkeypatch, mode,
                                                                  main, sub):
    pipeline, stage = _pipeline(tmp_path, monkeypatch, subreports=mode)
    narratives = [i.id for i in report_items(pipeline, stage) if i.kind == "narrative"]
    assert narratives == main
    in_region = [i.id for i in report_items(pipeline, stage, region="Fosen")
                 if i.kind == "narrative"]
    assert in_region == sub


def test_a_subreport_narrative_is_checked_against_the_regions_facts(tmp_path, monkeypatch):
    pipeline, _ = _pipeline(tmp_path, monkeypatch, subreports="only")
    region = {"survey.respondents": 5, "all.survey.respondents": 35}
    assert check_pipeline_texts(pipeline, region, region=True) == []
    whole = {"survey.respondents": 35, "all.survey.respondents": 35}
    problems = "\n".join(check_pipeline_texts(pipeline, whole, region=True))
    assert "regionen.md, line 3: claim no longer holds" in problems
    assert "survey.respondents = 35, all.survey.respondents = 35" in problems


def test_a_subreport_narrative_anchored_to_a_main_only_chapter_is_refused(tmp_path,
                                                                          monkeypatch):
    spec_anchor = {"subreports": True, "anchor": "egenvurderinger"}
    pipeline, stage = _pipeline(tmp_path, monkeypatch, **spec_anchor)
    with pytest.raises(RenderError, match="which the sub-reports do not have"):
        report_items(pipeline, stage, region="Fosen")
