"""Survey analysis: factor scores, interpretation, reliability, comparisons, confidentiality.

Every function takes the processed survey table (``Dataset.survey``) and an instrument, never
modifies the table, and applies the minimum group size to every breakdown by group.
"""

from __future__ import annotations

from .bands import BAND_SCHEMES, interpret, interpretation_bands, level_of, round_half_up
from .compare import change_between_years, compare_groups
from .confidentiality import (
    suppress_small_groups,
    suppression_label,
    suppression_mask,
    visible_comments,
)
from .reliability import (
    AlphaResult,
    cronbach_alpha,
    factor_reliability,
    item_reliability,
    item_total,
)
from .scoring import (
    OVERALL,
    factor_table,
    item_table,
    overall_index,
    render_factor_table,
    score_respondents,
)
from .summary import jsonable, survey_section, survey_summary

__all__ = [
    "BAND_SCHEMES",
    "OVERALL",
    "AlphaResult",
    "change_between_years",
    "compare_groups",
    "cronbach_alpha",
    "factor_reliability",
    "factor_table",
    "interpret",
    "interpretation_bands",
    "item_reliability",
    "item_table",
    "item_total",
    "jsonable",
    "level_of",
    "overall_index",
    "render_factor_table",
    "round_half_up",
    "score_respondents",
    "suppress_small_groups",
    "suppression_label",
    "suppression_mask",
    "survey_section",
    "survey_summary",
    "visible_comments",
]
