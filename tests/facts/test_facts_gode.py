"""Back-test: `lnreport facts` on the Gode pasientforløp pipeline against the reference file.

Every numeric fact is compared: counts exactly, decimals to the published number of
decimals, keys ending in ``_about`` within 10 %. Lists are compared element by element
(``gathering_hours.1.2``). Strings (venues, months, names, mismatch notes) must be equal.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from lnutils.cli import main
from lnutils.facts import compute_facts, flatten
from lnutils.inputs.dataset import load_dataset
from lnutils.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "pipelines" / "gode-pasientforlop-2015.yml"
REFERENCE = ROOT / "tests" / "reference" / "gode-pasientforlop-2015.yml"


def _by_index(flat: dict) -> dict:
    """Expand list values into one key per element, as the reference lists them."""
    out = {}
    for key, value in flat.items():
        if isinstance(value, list):
            out.update(_by_index({f"{key}.{i}": v for i, v in enumerate(value)}))
        else:
            out[key] = value
    return out


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


@pytest.fixture(scope="module")
def computed() -> dict:
    return _by_index(flatten(compute_facts(load_dataset(load_pipeline(PIPELINE)))))


@pytest.fixture(scope="module")
def reference() -> dict:
    if not REFERENCE.exists():
        pytest.skip("reference facts not available")
    return _by_index(flatten(yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))))


def test_every_reference_fact_is_computed(computed, reference):
    missing = sorted(set(reference) - set(computed))
    assert not missing


def mismatches(computed: dict, reference: dict) -> list[tuple]:
    """(key, expected, got) for every reference fact the computed facts do not reproduce."""
    wrong = []
    for key, expected in reference.items():
        got = computed.get(key)
        if isinstance(expected, bool) or isinstance(expected, (str, dt.date)):
            ok = got == expected
        elif key.endswith("_about"):
            ok = got is not None and abs(got - expected) <= 0.10 * abs(expected)
        elif isinstance(expected, int):  # counts and whole percentages: exactly
            ok = isinstance(got, (int, float)) and not isinstance(got, bool) and got == expected
        elif isinstance(expected, float):
            ok = got is not None and round(got, _decimals(expected)) == expected
        else:
            ok = got == expected
        if not ok:
            wrong.append((key, expected, got))
    return wrong


def test_facts_match_the_reference(computed, reference):
    assert not mismatches(computed, reference)


def test_the_back_test_catches_changed_data(tmp_path, reference):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data/example/gode-pasientforlop-2015", data)
    hours = data / "gathering_hours.csv"
    hours.write_text(hours.read_text(encoding="utf-8").replace("1,eksterne,3.75",
                                                               "1,eksterne,3.5"))
    changed = _by_index(flatten(compute_facts(load_dataset(load_pipeline(PIPELINE, data)))))
    assert [k for k, *_ in mismatches(changed, reference)] == [
        "gathering_hours.1.1", "gathering_hours.total_hours"]


def test_cli_prints_the_facts_as_flat_json(capsys):
    assert main(["facts", str(PIPELINE)]) == 0
    flat = json.loads(capsys.readouterr().out)
    assert flat["gathering_hours.total_hours"] == pytest.approx(
        sum(sum(flat[f"gathering_hours.{g}"]) for g in (1, 2, 3, 4)))
    assert flat["networks.count"] == len(
        [k for k in flat if k.startswith("networks.stated_municipalities.")])


def test_validate_reports_count_mismatches_as_warnings(capsys):
    assert main(["validate", str(PIPELINE)]) == 0
    out = capsys.readouterr().out
    assert "WARNING" in out and "network 1: 13 stated, 12 names listed" in out
    assert "network 3: 16 stated, 15 names listed" in out
    assert "0 error(s)" in out
