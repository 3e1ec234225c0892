"""Analysis: survey scoring and reliability, comparisons, confidentiality, participation,
the network, and the headline summary.

Survey functions take the processed survey table (``Dataset.survey``) and an instrument and
apply the minimum group size to every breakdown by group; participation and network functions
take the attendance and roster tables. None modifies its input.
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
from .network import (
    cascade_depth,
    coattendance_centrality,
    coattendance_graph,
    gini,
    graph_metrics,
    joins_exits,
    leader_continuity,
    leader_tenure,
    members_active_share,
    network_growth,
    network_summary,
    recruitment_distribution,
    recruits_per_leader,
    top_recruiters,
)
from .participation import (
    activities_by_month,
    coverage_by_unit,
    participation_by_person,
    participation_summary,
    repeat_participation,
    retention,
    shares_by_group,
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
    score_respondents,
)
from .summary import headline_summary, jsonable, survey_section, survey_summary

__all__ = [
    "AlphaResult",
    "BAND_SCHEMES",
    "OVERALL",
    "activities_by_month",
    "cascade_depth",
    "change_between_years",
    "coattendance_centrality",
    "coattendance_graph",
    "compare_groups",
    "coverage_by_unit",
    "cronbach_alpha",
    "factor_reliability",
    "factor_table",
    "gini",
    "graph_metrics",
    "headline_summary",
    "interpret",
    "interpretation_bands",
    "item_reliability",
    "item_table",
    "item_total",
    "joins_exits",
    "jsonable",
    "leader_continuity",
    "leader_tenure",
    "level_of",
    "members_active_share",
    "network_growth",
    "network_summary",
    "overall_index",
    "participation_by_person",
    "participation_summary",
    "recruitment_distribution",
    "recruits_per_leader",
    "repeat_participation",
    "retention",
    "round_half_up",
    "score_respondents",
    "shares_by_group",
    "suppress_small_groups",
    "suppression_label",
    "suppression_mask",
    "survey_section",
    "survey_summary",
    "top_recruiters",
    "visible_comments",
]
