"""Participation charts: activities by month, coverage by unit (bars and heatmap), staff types.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..formatting import (
    check_lang,
    fiscal_month_label,
    format_number,
    format_percent,
    is_missing,
    year_label,
)
from .theme import (
    CATEGORY_COLOURS,
    HEAT_SCALE,
    STAFF_TYPE_COLOURS,
    apply_theme,
    empty_figure,
    group_label,
    month_labels,
    plot_text,
    text,
    title_of,
    values_of,
)

__all__ = [
    "coverage_bars",
    "coverage_heatmap",
    "monthly_activity",
    "staff_type_shares",
]


# --------------------------------------------------------------------------- participation


def monthly_activity(monthly: pd.DataFrame, lang: str = "th", title: str | None = None
                     ) -> go.Figure:
    """Attendances (bars) and activities (line, right axis) in each month of the fiscal year.

    Parameters
    ----------
    monthly
        :func:`cleannet_eval.analysis.participation.activities_by_month`: ``fiscal_year``,
        ``fiscal_month``, ``activities``, ``attendances``, ``unique_participants``.
    lang, title
        Language and title.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: attendances (bar), unique participants (bar), activities (line on ``y2``);
        the x axis reads Thai months with BE years (``ต.ค. 50``) in Thai.
    """
    lang = check_lang(lang)
    frame = monthly.reset_index(drop=True)
    x = month_labels(frame, lang)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=values_of(frame["attendances"]), name=text("attendances", lang),
                         marker_color=CATEGORY_COLOURS[0]))
    fig.add_trace(go.Bar(x=x, y=values_of(frame["unique_participants"]),
                         name=text("participants", lang), marker_color=CATEGORY_COLOURS[5]))
    fig.add_trace(go.Scatter(x=x, y=values_of(frame["activities"]), name=text("activities", lang),
                             mode="lines+markers", yaxis="y2",
                             line={"color": CATEGORY_COLOURS[3], "width": 3}))
    top = float(frame["activities"].max()) if len(frame) else 1.0
    fig.update_layout(
        title=title_of(title), barmode="group", xaxis={"type": "category"},
        yaxis={"title": text("people", lang), "rangemode": "tozero"},
        yaxis2={"title": text("activities", lang), "overlaying": "y", "side": "right",
                "rangemode": "tozero", "dtick": 1, "range": [0, max(top, 1) * 1.5],
                "showgrid": False},
    )
    if not len(frame):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=420)


def coverage_bars(
    coverage: pd.DataFrame,
    lang: str = "th",
    title: str | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """Coverage of each unit: participants and network members as a share of its headcount.

    Parameters
    ----------
    coverage
        :func:`cleannet_eval.analysis.participation.coverage_by_unit` for one fiscal year:
        ``unit``, ``coverage``, ``network_coverage``, ``participants``, ``headcount``.
    lang, title
        Language and title.
    highlight
        A unit whose label is drawn in bold with a marker (the unit of a unit report).

    Returns
    -------
    plotly.graph_objects.Figure
        Two horizontal bar traces (participant coverage, network coverage) in percent, units
        sorted by participant coverage, highest first. Units without a headcount are left out.
    """
    lang = check_lang(lang)
    frame = coverage[coverage["coverage"].notna()].sort_values(
        ["coverage", "unit"], ascending=[False, True], kind="stable").reset_index(drop=True)
    labels = [_unit_label(u, highlight) for u in frame["unit"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=values_of(frame["coverage"], 100), orientation="h",
        name=text("participant_coverage", lang), marker_color=CATEGORY_COLOURS[0],
        customdata=[[format_number(p), format_number(h)] for p, h in
                    zip(frame["participants"], frame["headcount"], strict=True)],
        hovertemplate="%{y}<br>%{x:.1f}% (%{customdata[0]} / %{customdata[1]})<extra></extra>",
    ))
    if "network_coverage" in frame and frame["network_coverage"].notna().any():
        fig.add_trace(go.Bar(
            y=labels, x=values_of(frame["network_coverage"], 100), orientation="h",
            name=text("network_coverage", lang), marker_color=CATEGORY_COLOURS[1],
            hovertemplate="%{y}<br>%{x:.1f}%<extra></extra>",
        ))
    fig.update_layout(title=title_of(title), barmode="group", xaxis_title=text("coverage", lang))
    fig.update_yaxes(autorange="reversed", automargin=True)
    if not len(frame):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=max(320, 120 + 44 * len(frame)))


def _unit_label(unit: object, highlight: str | None) -> str:
    name = plot_text(unit)
    return f"<b>▶ {name}</b>" if highlight is not None and unit == highlight else name


def coverage_heatmap(
    table: pd.DataFrame,
    lang: str = "th",
    title: str | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """A unit × month heatmap of the participants of each month as a share of the headcount.

    Parameters
    ----------
    table
        :func:`cleannet_eval.narrative.unit_month_coverage`: ``unit``, ``fiscal_year``,
        ``fiscal_month``, ``participants``, ``headcount``, ``coverage`` (0–1).
    lang, title
        Language and title.
    highlight
        A unit whose label is drawn in bold with a marker.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` trace: ``z`` in percent (units in rows, in the table's order; months
        in columns), ``customdata`` the participants; missing cells (no headcount) are gaps.
    """
    lang = check_lang(lang)
    frame = table.reset_index(drop=True)
    units = list(dict.fromkeys(frame["unit"]))
    months = frame[["fiscal_year", "fiscal_month"]].drop_duplicates().sort_values(
        ["fiscal_year", "fiscal_month"])
    columns = list(zip(months["fiscal_year"], months["fiscal_month"], strict=True))
    z = np.full((len(units), len(columns)), np.nan)
    people = np.full((len(units), len(columns)), np.nan)
    row_of = {u: i for i, u in enumerate(units)}
    col_of = {c: j for j, c in enumerate(columns)}
    for row in frame.itertuples(index=False):
        i, j = row_of[row.unit], col_of[(row.fiscal_year, row.fiscal_month)]
        if not is_missing(row.coverage):
            z[i, j] = float(row.coverage) * 100
        people[i, j] = float(row.participants)
    x = [fiscal_month_label(int(y), int(m), lang) for y, m in columns]
    y = [_unit_label(u, highlight) for u in units]
    fig = go.Figure(go.Heatmap(
        z=[[None if math.isnan(v) else round(v, 2) for v in r] for r in z], x=x, y=y,
        customdata=[[None if math.isnan(v) else int(v) for v in r] for r in people],
        colorscale=[list(s) for s in HEAT_SCALE], zmin=0, xgap=1, ygap=1,
        colorbar={"title": {"text": "%"}, "thickness": 14},
        hovertemplate="%{y}<br>%{x}<br>%{z:.1f}% (%{customdata} " + text("people", lang)
        + ")<extra></extra>",
    ))
    fig.update_layout(title=title_of(title), xaxis={"type": "category", "side": "bottom"})
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    if not len(frame):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=max(320, 140 + 30 * len(units)))


def staff_type_shares(shares: pd.DataFrame, lang: str = "th", title: str | None = None
                      ) -> go.Figure:
    """Share of attendances by staff type in each fiscal year (stacked to 100%).

    Parameters
    ----------
    shares
        :func:`cleannet_eval.analysis.participation.shares_by_group` with
        ``by="staff_type"``: ``fiscal_year``, ``group``, ``attendances``,
        ``attendance_share``.
    lang, title
        Language and title.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per staff type (the citizen sector in vermillion), x = the fiscal years
        (``ปีงบประมาณ 2551``), y = percent of the year's attendances.
    """
    lang = check_lang(lang)
    frame = shares.reset_index(drop=True)
    years = sorted(int(y) for y in frame["fiscal_year"].unique())
    x = [year_label(y, lang) for y in years]
    fig = go.Figure()
    for group in dict.fromkeys(frame["group"]):
        rows = frame[frame["group"] == group].set_index("fiscal_year").reindex(years)
        name = group_label("staff_type", group, lang) if group != "unknown" else \
            text("unknown", lang)
        fig.add_trace(go.Bar(
            x=x, y=values_of(rows["attendance_share"], 100), name=plot_text(name),
            marker_color=STAFF_TYPE_COLOURS.get(str(group), "#777777"),
            customdata=[[format_number(a)] for a in rows["attendances"]],
            text=[format_percent(s) for s in rows["attendance_share"]],
            textposition="inside",
            hovertemplate=plot_text(name) + "<br>%{x}<br>%{y:.1f}% (%{customdata[0]})"
            "<extra></extra>",
        ))
    fig.update_layout(title=title_of(title), barmode="stack",
                      yaxis={"title": text("attendance_share", lang), "range": [0, 100]},
                      xaxis={"type": "category"})
    return apply_theme(fig, lang, height=420)
