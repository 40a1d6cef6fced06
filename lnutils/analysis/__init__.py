"""Statistics and summaries computed from validated tables.

Intervals and means (:mod:`stats`), small-group protection (:mod:`suppression`), tidy
summaries of survey questions (:mod:`summaries`), of a programme's networks
(:mod:`network_summaries`) and of the measurement toolkit (:mod:`toolkit_summaries`).
Everything returns tidy DataFrames; nothing here draws or writes files.
"""
