"""Small-group protection in every output of the built example (issue 13, item 3).

One build of the Trøndelag example; every output of the main report and of each
sub-report is scanned: facts.json, the executed notebooks' figure texts (alt text and
caption in the output metadata), report.html and report.docx. No group shown with fewer
respondents than the pipeline's threshold unless a recorded exception names it, no
hidden group recoverable as the total minus the shown ones, and a region under the
threshold shows no distribution or mean.
"""

import json
import re

import pytest
from support.builds import build_example

from lnutils import paths
from lnutils.analysis.suppression import group_key
from lnutils.pipeline import load_pipeline
from lnutils.privacy import _texts_of as texts_of

pytestmark = pytest.mark.slow

PIPELINE = paths.repo_root() / "pipelines" / "trondelag-2021.yml"
# "Kommune 4,50 (n = 22, 95 % KI …)" in the alt text of a breakdown figure
GROUP_MEAN = re.compile(r"(?:: |, | og )([^,:]+?) \d+,\d+ \(n\s=\s(\d+)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, "trondelag-2021")


@pytest.fixture(scope="module")
def privacy():
    return load_pipeline(PIPELINE).spec.privacy


def _excepted(privacy) -> set[str]:
    return {group_key(g) for e in privacy.exceptions for g in e.groups}


def _limit_of(label: str, privacy) -> int:
    """The threshold of a shown cell: lower only for a group an exception names."""
    parts = {group_key(p) for p in label.split(" – ")}
    return min([e.min_group_size for e in privacy.exceptions
                if parts & {group_key(g) for g in e.groups}] + [privacy.min_group_size])


def _folders(built):
    return [built, *sorted(p for p in (built / "regions").iterdir() if p.is_dir())]


def _group_base(facts, prefix):
    return sum(facts.get(prefix + k) or 0 for k in (
        "answered", "nonanswer.vet_ikke", "nonanswer.ikke_deltatt", "nonanswer.other"))


def test_facts_show_no_small_or_recoverable_group(built, privacy):
    limit = privacy.min_group_size
    checked = 0
    for folder in _folders(built):
        facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        if facts.get("survey.withheld"):
            assert facts["survey.respondents"] < limit
            leaked = [k for k in facts if k.startswith(("q.", "response."))
                      and not k.endswith((".text", ".type"))]
            assert not leaked, f"{folder.name}: {leaked[:5]}"
            continue
        breakdowns = {m.group(1) for k in facts
                      if (m := re.match(r"(q\.[^.]+\.by\.[^.]+)\.hidden_count$", k))}
        for line in breakdowns:
            question = line.split(".by.")[0] + "."
            groups = {m.group(1) for k in facts
                      if (m := re.match(re.escape(line) + r"\.(\d+)\.label$", k))}
            shown = 0
            for code in groups:
                base = _group_base(facts, f"{line}.{code}.")
                label = facts[f"{line}.{code}.label"]
                assert base == 0 or base >= _limit_of(label, privacy), (folder.name, line, label)
                shown += base
                checked += 1
            residual = _group_base(facts, question) - shown
            if facts[f"{line}.hidden_count"]:
                assert residual == 0 or residual >= limit, (folder.name, line, residual)
        for field in {k.split(".")[2] for k in facts if k.startswith("response.by.")}:
            line = f"response.by.{field}."
            shown = []
            for key, n in facts.items():
                if key.startswith(line) and key.endswith(".answered"):
                    group = key[len(line):-len(".answered")]
                    assert n == 0 or n >= _limit_of(group, privacy), (folder.name, key)
                    shown.append(n)
            residual = facts["response.answered"] - sum(shown)
            if facts.get(line + "hidden_count"):
                assert residual == 0 or residual >= limit, (folder.name, field, residual)
    assert checked > 20  # the scan saw groups


def test_figure_texts_show_no_small_or_recoverable_group(built, privacy):
    limit = privacy.min_group_size
    figures = 0
    for notebook in sorted(built.rglob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for output in (o for c in cells for o in c.get("outputs", [])):
            metadata = output.get("metadata", {})
            meta = metadata.get("image/svg+xml") or metadata.get("image/png") or {}
            alt = " ".join(meta.get("alt", "").split())
            if "Snitt per gruppe" not in alt and "Punktdiagram med intervaller" not in alt:
                continue
            figures += 1
            cells_n = [(g.strip(), int(n)) for g, n in GROUP_MEAN.findall(alt)]
            total = [n for g, n in cells_n if g == "Alle"]
            shown = [(g, n) for g, n in cells_n if g != "Alle"]
            for group, n in shown:
                assert n >= _limit_of(group, privacy), (notebook, group, n)
            if total:
                assert total[0] >= limit, (notebook, total)
                residual = total[0] - sum(n for _, n in shown)
                assert residual == 0 or residual >= limit or "Ikke vist" not in meta.get(
                    "caption", ""), (notebook, alt, residual)
    assert figures >= 4


def test_small_regions_show_no_survey_results(built, privacy):
    limit = privacy.min_group_size
    withheld = 0
    for folder in _folders(built)[1:]:
        facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        if facts["survey.respondents"] >= limit:
            continue
        withheld += 1
        assert facts["survey.withheld"] is True
        for path in [folder / "report.html", folder / "report.docx",
                     *sorted((folder / "notebooks").glob("*.ipynb"))]:
            text = " ".join(t for _, t in texts_of(path))
            text = " ".join(text.split())
            for word in ("Snitt per gruppe", "Gjennomsnitt", "Delte stolper", "(n = ",
                         "95 % KI"):
                assert word not in text, (path, word)
            if path.suffix != ".ipynb" or path.stem in ("organisering", "effekt"):
                assert f"Færre enn {limit} personer i regionen svarte" in text, path
    assert withheld >= 1  # the example has regions under the threshold


def test_method_appendix_states_the_rule_with_the_exceptions(built, privacy):
    text = " ".join(" ".join(t for _, t in texts_of(built / "report.html")).split())
    assert f"færre enn {privacy.min_group_size} svar" in text
    assert "Sekundær prikking" in text
    for exc in privacy.exceptions:
        assert " ".join(exc.reason.split()) in text
