"""The back-tests' copies of the published facts equal the originals in ../shared/reference."""

import pytest

from lnutils import paths

HERE = paths.repo_root() / "tests" / "reference"
ORIGINALS = paths.repo_root().parent / "shared" / "reference"
NAMES = ["trondelag-2021.yml", "gode-pasientforlop-2015.yml"]


@pytest.mark.parametrize("name", NAMES)
def test_copy_exists(name):
    assert (HERE / name).is_file()


@pytest.mark.parametrize("name", NAMES)
def test_copy_matches_the_original(name):
    original = ORIGINALS / name
    if not original.is_file():
        pytest.skip("../shared/reference is not beside this clone; the copy is used as it is")
    assert (HERE / name).read_bytes() == original.read_bytes()
