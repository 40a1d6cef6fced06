"""The one error type of rendering."""

from __future__ import annotations


class RenderError(Exception):
    """Rendering failed: a narrative, a notebook, pandoc/Quarto, or the personal-data scan.

    The message names the file (and line or cell) and what to do about it.
    """
