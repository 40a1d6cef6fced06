"""Reading and checking every raw input of a pipeline.

Readers of files (:mod:`readers`), the survey export through its codebook
(:mod:`codebook`, :mod:`survey`, :mod:`export_reader`), the invitation list with
pseudonyms (:mod:`invitations`), the activity log, teams, self-evaluations, quotes, a
programme's networks and the measurement toolkit, the loaders' registry
(:mod:`dataset`) and the validation of a whole data folder (:mod:`validation`).
Nothing here imports analysis, facts, figures, chapters, rendering or the runner.
"""
