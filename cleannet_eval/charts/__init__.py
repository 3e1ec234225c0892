"""Figure builders: a tidy DataFrame in, a plotly figure out, in the report's language.

Charts never compute a statistic: they reshape and draw what ``cleannet_eval.analysis`` (or
:mod:`cleannet_eval.narrative`) returned. One theme for all (:func:`apply_theme`): the Sarabun
font (embedded in the HTML reports), colours that colour-blind readers can tell apart
(Okabe–Ito for categories, ColorBrewer RdBu for the diverging Likert scale, a single-hue blue
ramp for heatmaps), labels in Thai or English, Buddhist-Era years and Thai month names when Thai
is chosen.

Every text that may come from a spreadsheet (unit, activity, item wording, person key) is
passed through :func:`plot_text` before plotly sees it: plotly draws a subset of HTML tags in
labels and hover text, so ``<``, ``>`` and ``&`` are turned into entities (which plotly shows
as the characters themselves).

Rooms: :mod:`.theme` (fonts, colours, words, wrapping), :mod:`.survey`, :mod:`.participation`
and :mod:`.network` (the builders); numbers and dates are formatted by
:mod:`cleannet_eval.formatting`.

Builders
--------
:func:`likert_bars`, :func:`factor_bars`, :func:`group_bars` (survey);
:func:`monthly_activity`, :func:`coverage_bars`, :func:`coverage_heatmap`,
:func:`staff_type_shares` (participation); :func:`growth_chart`, :func:`recruits_histogram`,
:func:`leader_exits`, :func:`network_picture` (network).
"""

from __future__ import annotations

from ..formatting import (
    fiscal_month_label,
    format_number,
    format_percent,
    year_label,
)
from .network import (
    growth_chart,
    leader_exits,
    network_picture,
    recruits_histogram,
)
from .participation import (
    coverage_bars,
    coverage_heatmap,
    monthly_activity,
    staff_type_shares,
)
from .survey import (
    factor_bars,
    group_bars,
    likert_bars,
    loading_bars,
)
from .theme import (
    BAND_COLOURS,
    CATEGORY_COLOURS,
    FONT_FAMILY,
    HEAT_SCALE,
    LIKERT_COLOURS,
    REASON_COLOURS,
    ROLE_COLOURS,
    STAFF_TYPE_COLOURS,
    apply_theme,
    group_label,
    plot_text,
    text,
)

__all__ = [
    "BAND_COLOURS",
    "CATEGORY_COLOURS",
    "FONT_FAMILY",
    "HEAT_SCALE",
    "LIKERT_COLOURS",
    "REASON_COLOURS",
    "ROLE_COLOURS",
    "STAFF_TYPE_COLOURS",
    "apply_theme",
    "coverage_bars",
    "coverage_heatmap",
    "factor_bars",
    "fiscal_month_label",
    "format_number",
    "format_percent",
    "group_bars",
    "group_label",
    "growth_chart",
    "leader_exits",
    "likert_bars",
    "loading_bars",
    "monthly_activity",
    "network_picture",
    "plot_text",
    "recruits_histogram",
    "staff_type_shares",
    "text",
    "year_label",
]
