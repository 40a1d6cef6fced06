"""Benchmark only (``run.py --with-datacache``): load inputs through the disk cache.

Puts :func:`lnutils.build.datacache.load_cached` between ``lnutils.dataset.Dataset`` and
its loaders in every Python process of a benchmark build (the build, its workers and
their kernels find this file first on ``PYTHONPATH``). This measures the proposed
three-line change to ``Dataset._load`` before it is made; the project itself never
loads this file.
"""

import lnutils.dataset as _dataset
from lnutils.build.datacache import load_cached as _load_cached

_original_load = _dataset.Dataset._load


def _cached_load(self, name):
    path = self.pipeline.input(name)
    if path is None or not path.exists():
        return _original_load(self, name)  # let the original report the problem
    return _load_cached(name, path, self.pipeline.inputs, lambda: _original_load(self, name))


_dataset.Dataset._load = _cached_load
