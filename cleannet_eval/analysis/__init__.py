"""Analysis: survey scoring, reliability and instrument quality, comparisons, confidentiality,
participation, the network, and the headline summary.

Survey functions take the processed survey table (``Dataset.survey``) and an instrument and
apply the minimum group size to every breakdown by group; participation and network functions
take the attendance and roster tables. None modifies its input.
"""

from __future__ import annotations

from .bands import BAND_SCHEMES, interpret, interpretation_bands, level_of, round_half_up
from .cfa import CFAResult, confirmatory_factor_analysis, fit_reading, instrument_cfa
from .compare import change_between_years, compare_groups
from .confidentiality import (
    suppression_label,
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
from .quality import (
    OmegaResult,
    expert_ratings,
    instrument_reliability,
    ioc,
    item_analysis,
    item_discrimination,
    kmo_bartlett,
    omega_total,
    reliability_table,
)
from .reliability import (
    AlphaResult,
    cronbach_alpha,
    factor_reliability,
    item_reliability,
    item_total,
)
from .sample import (
    margin_of_error,
    sample_adequacy,
    sample_size_krejcie_morgan,
    sample_size_yamane,
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
    "CFAResult",
    "OVERALL",
    "OmegaResult",
    "activities_by_month",
    "cascade_depth",
    "change_between_years",
    "coattendance_centrality",
    "coattendance_graph",
    "compare_groups",
    "confirmatory_factor_analysis",
    "coverage_by_unit",
    "cronbach_alpha",
    "expert_ratings",
    "factor_reliability",
    "factor_table",
    "fit_reading",
    "gini",
    "graph_metrics",
    "headline_summary",
    "instrument_cfa",
    "instrument_reliability",
    "interpret",
    "interpretation_bands",
    "ioc",
    "item_analysis",
    "item_discrimination",
    "item_reliability",
    "item_table",
    "item_total",
    "joins_exits",
    "jsonable",
    "kmo_bartlett",
    "leader_continuity",
    "leader_tenure",
    "level_of",
    "margin_of_error",
    "members_active_share",
    "network_growth",
    "network_summary",
    "omega_total",
    "overall_index",
    "participation_by_person",
    "participation_summary",
    "recruitment_distribution",
    "recruits_per_leader",
    "reliability_table",
    "repeat_participation",
    "retention",
    "round_half_up",
    "sample_adequacy",
    "sample_size_krejcie_morgan",
    "sample_size_yamane",
    "score_respondents",
    "shares_by_group",
    "suppression_label",
    "survey_section",
    "survey_summary",
    "top_recruiters",
    "visible_comments",
]
