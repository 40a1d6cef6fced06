"""Tidy summaries of survey questions: counts, shares, distributions and means.

Every function takes the long ``answers`` table of :class:`lnutils.inputs.survey.Survey`
(columns respondent, question, item, code, label, nonanswer, text) and returns a tidy
DataFrame with the base and interval bounds, ready for :mod:`lnutils.figures`.

Conventions
-----------
- The *base* of a question is the respondents who gave any answer to it, "Vet ikke" and
  "Ikke deltatt" included; those not asked (routing) or who skipped it are outside it and
  counted in the summary's own ``missing`` / ``not_asked`` columns.
- Means use opinion codes only ("Vet ikke"/"Ikke deltatt" left out); their ``n`` is the
  number of opinions, stated next to every mean.
- Shares are 0..1 with Wilson 95 % bounds ``low``/``high``; means carry SD and a t
  interval (:mod:`lnutils.analysis.stats`).
- Breakdowns by group go through :mod:`lnutils.analysis.suppression` and return a
  :class:`~lnutils.analysis.suppression.GroupSummary`: the ``table`` with the
  ``protection``, the grouping questions ``by`` and the legend ``order``. No detail
  travels in a frame's hidden ``attrs``.
- Scales come from the codebook (its codes, zero counts included); nothing assumes 1-6.
- A ``codebook`` gives option order, zero counts and item wordings. It is required
  wherever the scale matters (distributions of ratings and batteries): a scale read
  off the answers would miss steps nobody chose and split the scale in the wrong place.
  Tests may pass a stand-in with ``question(qid)`` giving ``codes()``, ``nonanswers()``,
  ``nonanswer_kind()``, ``options``, ``items`` and ``text``.
"""

from lnutils.analysis.summaries.answers import ALL, OPINION, SHOWN_NONANSWERS
from lnutils.analysis.summaries.batteries import (
    battery_distribution,
    battery_means,
    best_and_worst,
    count_stats,
    distribution_stats,
    ends,
    half_shares,
    mean_order,
    paired_ratings,
    rank_by_mean,
    scale_halves,
)
from lnutils.analysis.summaries.groups import group_labels, mean_by_group, rating_by_group
from lnutils.analysis.summaries.nonresponse import item_nonresponse, question_states
from lnutils.analysis.summaries.participation import (
    MODES,
    events_by_arena,
    events_per_month,
    protect_response_rates,
    respondent_groups,
    response_rate_by_group,
)
from lnutils.analysis.summaries.questions import (
    count_choice,
    options_per_person,
    share_multi,
    summarise_rating,
)
from lnutils.analysis.suppression import GroupSummary

__all__ = [
    "ALL", "MODES", "OPINION", "SHOWN_NONANSWERS", "GroupSummary",
    "battery_distribution", "battery_means", "best_and_worst", "count_choice",
    "count_stats", "distribution_stats", "ends", "mean_order",
    "events_by_arena", "events_per_month", "group_labels", "half_shares",
    "item_nonresponse", "mean_by_group", "options_per_person", "paired_ratings",
    "protect_response_rates", "question_states", "rank_by_mean", "rating_by_group",
    "respondent_groups",
    "response_rate_by_group", "scale_halves", "share_multi", "summarise_rating",
]
