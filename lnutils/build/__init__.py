"""The build engine: execute chapter notebooks with papermill, cache, publish atomically.

``build(pipeline, BuildOptions(...))`` is the entry point (``lnreport build`` calls it);
see :mod:`lnutils.build.engine` for the steps.
"""

from lnutils.build.engine import BuildError, BuildOptions, BuildResult, build

__all__ = ["BuildError", "BuildOptions", "BuildResult", "build"]
