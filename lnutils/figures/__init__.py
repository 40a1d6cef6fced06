"""Figures for the evaluation report, one module per family of figures.

Every figure function takes a tidy summary (from :mod:`lnutils.analysis.summaries` or another
summaries module) and returns a :class:`matplotlib.figure.Figure`; none shows, saves or
sets a global theme. :mod:`lnutils.figures.style` holds the colours and
``report_style()``; :mod:`lnutils.figures.alt` writes a caption and an alt text from
the same summary.

Import the module you need (``from lnutils.figures import choice``); this package
imports nothing eagerly so that one family's dependencies never load another's.
"""
