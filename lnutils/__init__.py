"""lnutils: the evaluation-report pipeline for learning networks.

Ingest and validate survey exports through a codebook, compute summaries and facts,
draw figures, execute chapter notebooks and render the report.
"""

__version__ = "0.1.0"
