"""The example report's narrative chapters (reports/trondelag-2021/*.md).

Every placeholder must name a fact the report has: the pipeline's computed facts
when the example pipeline and its facts module are in place, else the keys of the
published reference file. The text must hold no personal data.
"""

import re
from pathlib import Path

from lnutils import paths
from lnutils.privacy import scan_paths
from lnutils.render.claims import DIRECTIVE_RE
from lnutils.render.placeholders import PLACEHOLDER_RE, resolve_text

NARRATIVE_DIR = paths.repo_root() / "reports" / "trondelag-2021"
NARRATIVES = sorted(NARRATIVE_DIR.glob("*.md"))
def test_the_narratives_exist():
    assert [p.name for p in NARRATIVES] == ["anbefalinger.md", "del1.md", "del2.md",
                                            "deltakelse.md", "effekt.md", "organisering.md",
                                            "sammendrag.md", "workshop.md"]


def test_every_placeholder_names_a_known_fact():
    """In the branch of every conditional the data choose, each placeholder has a value."""
    from lnutils.inputs.dataset import Dataset
    from lnutils.pipeline import load_pipeline
    from lnutils.runner.pipeline_checks import data_problems

    pipeline = load_pipeline(paths.pipelines_dir() / "trondelag-2021.yml")
    assert [p.format() for p in data_problems(pipeline, Dataset(pipeline))] == []


def test_placeholders_are_well_formed():
    # claims and conditionals need the real facts (tests/reports/test_claims_perturbed.py);
    # here only the placeholders' form is checked
    for path in NARRATIVES:
        text = DIRECTIVE_RE.sub("", path.read_text(encoding="utf-8"))
        samples = {"date": "2021-06-25", "list": ["a", "b"]}
        keys = {m.group("key"): samples.get((m.group("fmt") or "").split(":")[0], 1)
                for m in PLACEHOLDER_RE.finditer(text)}
        resolved = resolve_text(text, keys, path)  # raises on malformed placeholders
        assert "{{<" not in resolved


def test_numbers_in_text_come_from_placeholders():
    # Survey counts typed into the text would not follow the data.
    for path in NARRATIVES:
        text = PLACEHOLDER_RE.sub("", path.read_text(encoding="utf-8"))
        assert not re.search(r"\b(35|110|31,8)\b", text), path.name


def test_no_personal_data_in_narratives():
    invitations = paths.data_dir() / "example" / "trondelag-2021" / "invitations.csv"
    names = []
    if invitations.is_file():
        from lnutils.inputs.invitations import personal_names

        names = personal_names(invitations)
        assert names, "the example invitation list should name people"
    assert scan_paths(NARRATIVES, names) == []


def test_narratives_start_with_a_heading():
    # del2.md is the introduction placed right under the part heading "Del 2"; the text
    # about each survey chapter continues that chapter (placed after it, no heading).
    continuing = {"del2.md", "deltakelse.md", "organisering.md", "effekt.md"}
    for path in NARRATIVES:
        if path.name not in continuing:
            assert Path(path).read_text(encoding="utf-8").startswith("# "), path.name
