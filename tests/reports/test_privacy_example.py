"""The personal-data scan on the built example: every listed person, no false alarm."""

import time

import pytest
from support.builds import build_example

from lnutils import paths
from lnutils.inputs.invitations import personal_names
from lnutils.privacy import _texts_of as texts_of
from lnutils.privacy import find_in_text, name_index, scan_paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, "trondelag-2021")


def test_no_ordinary_word_or_number_of_the_example_is_flagged(built):
    names = name_index(personal_names(
        paths.repo_root() / "data" / "example" / "trondelag-2021" / "invitations.csv"))
    outputs = sorted(p for p in built.rglob("*") if p.suffix in (".html", ".docx", ".ipynb"))
    assert len(outputs) > 10 and len(names) > 100
    assert scan_paths(outputs, names) == []
    # The scan is not blind: each listed name, written surname first, is found in that text.
    texts = [text for p in outputs for _, text in texts_of(p)]
    started = time.perf_counter()
    for text in texts:
        find_in_text(text, names)
    per_text = (time.perf_counter() - started) / len(texts)
    assert per_text < 0.05, f"{per_text * 1000:.1f} ms per text"
    for name in names.names[:20]:
        first, last = name.rsplit(" ", 1)
        assert find_in_text(f"{texts[0]} {last}, {first}.", names)[-1][0] == "navn"
