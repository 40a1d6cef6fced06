"""The gallery draws every figure from the example pipeline, each with caption and alt text."""

import importlib.util
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # draws every figure of the gallery

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "pipelines" / "trondelag-2021.yml"


def _gallery():
    spec = importlib.util.spec_from_file_location("gallery", ROOT / "tools" / "gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not PIPELINE.is_file(), reason="example pipeline not available")
def test_gallery_draws_every_figure(tmp_path):
    assert _gallery().main([str(PIPELINE), "--out", str(tmp_path)]) == 0
    pngs = sorted(p.stem for p in tmp_path.glob("*.png"))
    published = {f"fig{n:02d}" for n in range(6, 21)}
    assert published <= {name[:5] for name in pngs}
    assert {"tabell1_arenaer", "aktiviteter_tidslinje", "svarprosent_organisasjon"} <= set(pngs)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img src="[^"]+" alt="([^"]*)"', index)
    assert len(alts) == len(pngs) and all(len(a) > 30 for a in alts)
    table = (tmp_path / "tabell1.html").read_text(encoding="utf-8")
    assert "<td>Sum</td>" in table and "<td>72</td>" in table


def test_gallery_reports_bad_pipeline(tmp_path, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\n", encoding="utf-8")
    assert _gallery().main([str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "report" in capsys.readouterr().err
