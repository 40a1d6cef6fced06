"""The "Data og metode" chapter's functions, on small hand-built pipelines.

A survey of four respondents and two networks of a handful of municipalities, written
to a temporary folder and opened the way a chapter notebook opens them; every expected
number is worked out by hand in the comments.
"""

import textwrap

import pandas as pd
import pytest

from lnutils.analysis.suppression import GroupSummary, Protection
from lnutils.chapters import method
from lnutils.chapters.context import open_chapter

PCT = "\u00a0%"  # lnutils.fmt puts a no-break space before the per cent sign

CODEBOOK = """
survey: liten
title: Liten undersøkelse
respondent_id: respondent
scales:
  skala6:
    kind: rating
    codes: {1: "1 I liten grad", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6 I stor grad"}
    nonanswers: {7: "Vet ikke"}
questions:
  - id: arena
    number: 1
    text: "Hvor deltok du?"
    type: single
    options: {1: Team, 2: Gruppe}
  - id: region
    number: 2
    text: "Hvilken region?"
    type: single
    options: {1: Nord, 2: Sør}
    routing: {question: arena, in: [1]}
  - {id: aktiviteter, number: 3, text: Aktiviteter, type: multi,
     options: {1: Samlinger, 2: Webinarer}}
  - {id: nytte, number: 4, text: Nytte, type: rating, scale: skala6}
  - {id: q19, number: 5, text: Resultater, type: battery, scale: skala6,
     items: {x: Relasjoner, y: Kunnskap}}
  - {id: kommentar, number: 6, text: Kommentar, type: text}
"""

# r1 answers everything. r2: region left blank (asked), no activity ticked, "Vet ikke"
# on nytte and on both battery items. r3: not asked region (arena 2), nytte and battery
# blank. r4: one battery item blank, the other answered.
SURVEY = """\
respondent;arena;region;aktiviteter.1;aktiviteter.2;nytte;q19.x;q19.y;kommentar
r1;1;1;1;0;5;4;7;Bra
r2;1;;0;0;7;7;7;
r3;2;;0;1;;;;
r4;1;2;1;1;3;;2;
"""

NETWORKS = """
total_municipalities_stated: 5
networks:
  - number: 1
    venue: Bergen
    stated_municipalities: 3
    municipalities: [Askøy, {name: Voss, groups: 2}]
  - number: 2
    venue: Bodø
    stated_municipalities: 2
    municipalities: [Bø, Vik]
"""


def _write_pipeline(tmp_path, inputs: dict[str, tuple[str, str]], privacy: str = "") -> str:
    data = tmp_path / "data"
    data.mkdir()
    for name, text in inputs.values():
        (data / name).write_text(textwrap.dedent(text), encoding="utf-8")
    lines = [f"  {key}: {name}" for key, (name, _) in inputs.items()]
    pipeline = tmp_path / "liten.yml"
    pipeline.write_text("name: liten\nreport: {title: Liten}\ndata_dir: data\ninputs:\n"
                        + "\n".join(lines) + "\n" + privacy, encoding="utf-8")
    return str(pipeline)


EXCEPTION = """privacy:
  min_group_size: 5
  exceptions:
    - {question: arena, groups: [Gruppe], min_group_size: 3,
       reason: De tre i gruppen har samtykket til å vises for seg.}
"""


@pytest.fixture
def survey_ctx(tmp_path):
    path = _write_pipeline(tmp_path, {"codebook": ("codebook.yml", CODEBOOK),
                                      "survey": ("survey.csv", SURVEY)}, EXCEPTION)
    return open_chapter(path)


@pytest.fixture
def networks_ctx(tmp_path):
    return open_chapter(_write_pipeline(tmp_path, {"networks": ("networks.yml", NETWORKS)}))


def test_item_nonresponse_counts_each_asked_respondent_once(survey_ctx):
    frame = method.item_nonresponse(survey_ctx.survey).set_index("question")
    counts = frame[["asked", "answered", "nonanswer", "missing"]].to_dict("index")
    assert counts == {
        "arena": {"asked": 4, "answered": 4, "nonanswer": 0, "missing": 0},
        # r3 was not asked (arena 2); r2 was asked and left it blank
        "region": {"asked": 3, "answered": 2, "nonanswer": 0, "missing": 1},
        # r2 ticked nothing: no answer
        "aktiviteter": {"asked": 4, "answered": 3, "nonanswer": 0, "missing": 1},
        "nytte": {"asked": 4, "answered": 2, "nonanswer": 1, "missing": 1},
        # r1 and r4 answered at least one item; r2 only "Vet ikke"; r3 nothing
        "q19": {"asked": 4, "answered": 2, "nonanswer": 1, "missing": 1},
        "kommentar": {"asked": 4, "answered": 1, "nonanswer": 0, "missing": 3},
    }
    assert frame.loc["region", "missing_share"] == pytest.approx(1 / 3)
    assert frame.loc["kommentar", "missing_share"] == pytest.approx(0.75)


def test_nonresponse_table_and_text_in_norwegian(survey_ctx):
    table = method.nonresponse_table(survey_ctx)
    assert list(table["Nr."]) == ["1", "2", "3", "4", "5", "6"]
    assert list(table["Andel ubesvart"]) == [f"{v}{PCT}" for v in
                                             ("0,0", "33,3", "25,0", "25,0", "25,0", "75,0")]
    text = method.nonresponse_text(survey_ctx)
    # the text question (75 %) is left out of "most often skipped"; region is next
    assert f"spørsmål 2 oftest tomt: 1 av 3 (33,3{PCT})" in text


def test_survey_parts_are_absent_without_a_survey(networks_ctx):
    assert method.nonresponse_table(networks_ctx).empty
    assert method.nonresponse_text(networks_ctx) is None
    assert method.table_or_nothing(method.nonresponse_table(networks_ctx)) is None
    assert method.as_markdown(method.nonresponse_text(networks_ctx)) is None


def test_inputs_table_describes_the_data_in_words(survey_ctx):
    table = method.inputs_table(survey_ctx)
    assert list(table.columns) == ["Data", "Omfang"]  # no file names or input ids
    assert list(table["Data"]) == ["Kodebok for spørreundersøkelsen",
                                   "Svarene på spørreundersøkelsen"]
    assert list(table["Omfang"]) == ["6 spørsmål", "4 respondenter"]


def test_an_input_without_a_loader_yet_is_named_not_fatal(tmp_path, monkeypatch):
    from lnutils.inputs import dataset

    monkeypatch.setitem(dataset.LOADERS, "quotes", "lnutils.not_written_yet:load_quotes")
    path = _write_pipeline(tmp_path, {"networks": ("networks.yml", NETWORKS),
                                      "quotes": ("quotes.yml", "[]")})
    ctx = open_chapter(path)
    table = method.inputs_table(ctx)
    assert list(table["Omfang"]) == ["2 nettverk, 4 kommunenavn",
                                     "ikke lest (ingen innlesing ennå)"]
    assert len(method.validation_warnings(ctx)) == 2  # the networks' warnings still show


def test_input_size_in_norwegian():
    from types import SimpleNamespace

    assert method.input_size(pd.DataFrame({"a": [1, 2, 3]})) == "3 rader"
    assert method.input_size(SimpleNamespace(teams=["Fosen", "Værnes"])) == "2 forbedringsteam"
    assert method.input_size([1, 2]) == "2 oppføringer"
    assert method.input_size(object()) == ""


def test_privacy_rules_list_the_rule_and_each_exception_with_its_reason(survey_ctx):
    rules = method.privacy_rules(survey_ctx)
    assert list(rules["Minste antall"]) == [5, 3]
    assert rules.loc[1, "Gjelder"] == "Unntak: «Hvor deltok du?» (spørsmål 1)"
    assert rules.loc[1, "Grupper"] == "Gruppe"
    assert "samtykket" in rules.loc[1, "Begrunnelse"]
    assert "Hovedregelen" in rules.loc[0, "Begrunnelse"]


def test_privacy_rules_say_when_the_run_uses_another_threshold(tmp_path):
    path = _write_pipeline(tmp_path, {"networks": ("networks.yml", NETWORKS)})
    ctx = open_chapter(path, min_group_size=10)
    rules = method.privacy_rules(ctx)
    assert list(rules["Minste antall"]) == [10]
    assert "hovedregelen for rapporten er 5" in rules.loc[0, "Begrunnelse"]
    assert "pipeline" not in rules.loc[0, "Begrunnelse"]


def test_validation_warnings_and_mismatch_text(networks_ctx):
    warnings = method.validation_warnings(networks_ctx)
    # network 1: 3 stated, 2 names; in total 5 stated, 4 distinct names
    assert len(warnings) == 2
    assert set(warnings["Fil"]) == {"networks.yml"}
    assert "3 stated, 2 names listed" in warnings.loc[0, "Melding"]
    text = method.municipality_mismatch_text(networks_ctx)
    assert "nettverk 1 oppgir 3 kommuner, men listen har 2 navn (Voss deltok med 2 grupper)" \
        in text
    assert "Til sammen oppgis 5 kommuner, mens listene har 4 ulike kommunenavn" in text
    assert "nettverk 2" not in text


def test_warnings_are_counted_in_norwegian_not_quoted(networks_ctx):
    text = method.warnings_text(networks_ctx)
    assert "Den ga 2 advarsler" in text and "stated" not in text


def test_no_warnings_are_said_in_words(survey_ctx):
    assert method.warnings_text(survey_ctx).endswith("Den ga heller ikke advarsler.")


def test_no_warnings_and_no_mismatch_give_nothing_to_show(survey_ctx):
    assert method.validation_warnings(survey_ctx).empty
    assert method.table_or_nothing(method.validation_warnings(survey_ctx)) is None
    assert method.municipality_mismatch_text(survey_ctx) is None


def test_present_absent_lists_roles_by_row():
    wide = pd.DataFrame({"Leder": ["ja", "nei"], "NAV": ["2", ""], "Lege": ["", "ja"]},
                        index=pd.MultiIndex.from_tuples([(1, "Askøy"), (2, "Bø")],
                                                        names=["Nettverk", "Kommune"]))
    out = method.present_absent(wide)
    assert out.to_dict("records") == [
        {"Nettverk": 1, "Kommune": "Askøy", "Med": "Leder, NAV (2)", "Manglet": ""},
        {"Nettverk": 2, "Kommune": "Bø", "Med": "Lege", "Manglet": "Leder"},
    ]


def test_labelled_renames_and_writes_shares_as_percent():
    frame = pd.DataFrame({"group": ["A", "Alle"], "n": [4, 9], "share": [0.875, float("nan")]})
    out = method.labelled(frame, {"group": "Kommune", "share": "Andel"}, shares=("share",))
    assert list(out.columns) == ["Kommune", "Andel"]
    assert list(out["Andel"]) == [f"87,5{PCT}", ""]
    assert list(frame["share"].isna()) == [False, True]  # input unchanged


def test_suppressed_text_names_the_groups_left_out():
    frame = pd.DataFrame({"group": ["Alle"]})
    assert method.suppressed_text(GroupSummary(frame, Protection(5)), 5) is None
    summary = GroupSummary(frame, Protection(5, suppressed=("Bø", "Vik")))
    assert method.suppressed_text(summary, 5, "skjemaer") == (
        "Grupper med færre enn 5 skjemaer vises ikke hver for seg: Bø og Vik. "
        "De er med i tallene for hele nettverket.")


INVITATIONS = """\
Navn;Rolle;Organisasjonstype
Ane Berg;Fagperson;Kommune
Per Dal;Leder;Kommune
Siv Eng;Fagperson;Helseforetak
Ola Fjell;Leder;Helseforetak
Kari Haug;Fagperson;Kommune
"""


def test_response_text_counts_invited_and_answered(tmp_path, monkeypatch):
    monkeypatch.setenv("LNREPORT_PSEUDONYM_KEY", "test")
    path = _write_pipeline(tmp_path, {"codebook": ("codebook.yml", CODEBOOK),
                                      "survey": ("survey.csv", SURVEY),
                                      "invitations": ("invitations.csv", INVITATIONS)})
    text = method.response_text(open_chapter(path))
    # 4 respondents of 5 invited: 80,0 %
    assert text.startswith(f"Spørreundersøkelsen gikk til de 5 personene på "
                           f"invitasjonslisten, og 4 svarte (80,0{PCT}).")
    table = method.inputs_table(open_chapter(path))
    assert list(table["Omfang"]) == ["6 spørsmål", "4 respondenter", "5 inviterte"]


def test_no_invitation_list_no_response_text(survey_ctx):
    assert method.response_text(survey_ctx) is None
