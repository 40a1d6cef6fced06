"""The build engine: execute chapter notebooks with papermill, cache, publish atomically.

``build(pipeline, BuildOptions(...))`` is the entry point (``lnreport build`` calls it);
see :mod:`lnutils.runner.engine` for the steps.
"""

from lnutils.runner.engine import BuildError, BuildOptions, BuildResult, build

__all__ = ["BuildError", "BuildOptions", "BuildResult", "build"]
