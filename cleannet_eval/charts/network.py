"""Network charts: growth, recruits per leader, leaders' exits, the recruitment picture.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from ..formatting import (
    check_lang,
    format_number,
    format_percent,
    is_missing,
    year_label,
)
from .theme import (
    CATEGORY_COLOURS,
    REASON_COLOURS,
    ROLE_COLOURS,
    apply_theme,
    empty_figure,
    month_labels,
    plot_text,
    reason_label,
    text,
    title_of,
    values_of,
)

__all__ = [
    "growth_chart",
    "leader_exits",
    "network_picture",
    "recruits_histogram",
]


# --------------------------------------------------------------------------- network


def growth_chart(growth: pd.DataFrame, lang: str = "th", title: str | None = None
                 ) -> go.Figure:
    """The network month by month: its size (top) and joins and exits (bottom).

    Parameters
    ----------
    growth
        :func:`cleannet_eval.analysis.network.network_growth`: ``fiscal_year``,
        ``fiscal_month``, ``joins``, ``exits``, ``leaders_active``, ``members_active``,
        ``cumulative_people``.
    lang, title
        Language and title.

    Returns
    -------
    plotly.graph_objects.Figure
        Top: active members and leaders stacked (bars) and the cumulative number of people
        who joined (line). Bottom (``y2``): joins above zero, exits below zero.
    """
    from plotly.subplots import make_subplots

    lang = check_lang(lang)
    frame = growth.reset_index(drop=True)
    x = month_labels(frame, lang)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                        vertical_spacing=0.06)
    fig.add_trace(go.Bar(x=x, y=values_of(frame["leaders_active"]),
                         name=text("leaders_active", lang), marker_color=ROLE_COLOURS["leader"]),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=values_of(frame["members_active"]),
                         name=text("members_active", lang), marker_color=ROLE_COLOURS["member"]),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=values_of(frame["cumulative_people"]),
                             name=text("cumulative_people", lang), mode="lines+markers",
                             line={"color": CATEGORY_COLOURS[7], "width": 2, "dash": "dot"}),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=values_of(frame["joins"]), name=text("joins", lang),
                         marker_color=CATEGORY_COLOURS[2]), row=2, col=1)
    fig.add_trace(go.Bar(x=x, y=values_of(-frame["exits"].astype("float64")),
                         name=text("exits", lang), marker_color=CATEGORY_COLOURS[1],
                         customdata=[[int(v)] for v in frame["exits"]],
                         hovertemplate="%{x}<br>" + text("exits", lang)
                         + " %{customdata[0]}<extra></extra>"), row=2, col=1)
    fig.update_layout(title=title_of(title), barmode="relative")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=text("size", lang), row=1, col=1, rangemode="tozero")
    fig.update_yaxes(title_text=text("movement", lang), row=2, col=1)
    if not len(frame):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=560)


def recruits_histogram(distribution: pd.DataFrame, lang: str = "th", title: str | None = None
                       ) -> go.Figure:
    """How many leaders recruited 0, 1, 2 … people, with the Gini coefficient.

    Parameters
    ----------
    distribution
        :func:`cleannet_eval.analysis.network.recruitment_distribution`: ``recruits``,
        ``leaders``, ``share``; ``attrs`` ``gini`` and ``median``.
    lang, title
        Language and title.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace: x = number of recruits, y = leaders; an annotation gives the Gini
        coefficient and the median.
    """
    lang = check_lang(lang)
    frame = distribution.reset_index(drop=True)
    fig = go.Figure(go.Bar(
        x=[int(r) for r in frame["recruits"]], y=values_of(frame["leaders"]),
        marker_color=CATEGORY_COLOURS[0], name=text("leaders", lang),
        text=[format_number(v) for v in frame["leaders"]], textposition="outside",
        customdata=[[format_percent(s)] for s in frame["share"]],
        hovertemplate=text("recruits", lang) + " %{x}<br>" + text("leaders", lang)
        + " %{y} (%{customdata[0]})<extra></extra>",
    ))
    gini, median = distribution.attrs.get("gini"), distribution.attrs.get("median")
    if not is_missing(gini) or not is_missing(median):
        fig.add_annotation(
            text=text("gini", lang, gini=format_number(gini, 2),
                      median=format_number(median, 1)),
            xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom",
            showarrow=False, font={"size": 13})
    fig.update_layout(title=title_of(title), xaxis={"title": text("recruits", lang), "dtick": 1},
                      yaxis={"title": text("leaders", lang), "rangemode": "tozero"},
                      showlegend=False)
    if not len(frame):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=380)


def leader_exits(joins_exits: pd.DataFrame, lang: str = "th", title: str | None = None
                 ) -> go.Figure:
    """Leaders who left, by reason, in each fiscal year (transfers in vermillion).

    Parameters
    ----------
    joins_exits
        :func:`cleannet_eval.analysis.network.joins_exits`: rows with ``role == "leader"``
        are drawn, from their ``exits_<reason>`` columns.
    lang, title
        Language and title.

    Returns
    -------
    plotly.graph_objects.Figure
        One stacked bar trace per reason with at least one exit, x = fiscal years.
    """
    lang = check_lang(lang)
    frame = joins_exits[joins_exits["role"] == "leader"].sort_values("fiscal_year")
    x = [year_label(int(y), lang) for y in frame["fiscal_year"]]
    fig = go.Figure()
    for reason, colour in REASON_COLOURS.items():
        column = f"exits_{reason}"
        if column not in frame or not frame[column].sum():
            continue
        name = plot_text(reason_label(reason, lang))
        fig.add_trace(go.Bar(x=x, y=values_of(frame[column]), name=name, marker_color=colour,
                             hovertemplate=name + "<br>%{x}: %{y}<extra></extra>"))
    fig.update_layout(title=title_of(title), barmode="stack", xaxis={"type": "category"},
                      yaxis={"title": text("leader_exits", lang), "rangemode": "tozero",
                             "dtick": 1 if len(frame) and frame["exits"].max() <= 10 else None})
    if not len(fig.data):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=380)


def network_picture(
    graph: nx.Graph,
    lang: str = "th",
    title: str | None = None,
    seed: int = 7,
) -> go.Figure:
    """A picture of the recruitment network: people as dots, a line from recruiter to recruit.

    Parameters
    ----------
    graph
        A small graph (a few hundred nodes), e.g.
        :func:`cleannet_eval.narrative.recruitment_graph`. Nodes are pseudonymous keys with a
        ``role`` attribute (``"leader"``/``"member"``); ``graph.graph`` may hold
        ``nodes_total`` (people before any cut).
    lang, title
        Language and title.
    seed
        Seed of :func:`networkx.spring_layout`, so the picture is the same on every run.

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace of the edges, then one marker trace per role (leaders larger, in
        vermillion). The hover text of a node holds only its pseudonymous key and its role.
    """
    lang = check_lang(lang)
    fig = go.Figure()
    nodes = list(graph.nodes)
    if not nodes:
        empty_figure(fig, lang)
        return apply_theme(fig, lang, height=420)
    position = nx.spring_layout(graph, seed=seed, k=1.2 / math.sqrt(len(nodes)),
                                iterations=60)
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in graph.edges:
        xs += [float(position[a][0]), float(position[b][0]), None]
        ys += [float(position[a][1]), float(position[b][1]), None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                             line={"color": "#9aa5b1", "width": 1}, name="edges"))
    for role, size in (("member", 7), ("leader", 13)):
        chosen = [n for n in nodes if graph.nodes[n].get("role", "member") == role]
        if not chosen:
            continue
        word = text(role, lang)
        fig.add_trace(go.Scatter(
            x=[float(position[n][0]) for n in chosen], y=[float(position[n][1]) for n in chosen],
            mode="markers", name=word,
            marker={"size": size, "color": ROLE_COLOURS[role],
                    "line": {"color": "#ffffff", "width": 1}},
            text=[f"{plot_text(n)} · {word}" for n in chosen],
            hovertemplate="%{text}<extra></extra>",
        ))
    caption = text("network_people", lang, nodes=format_number(len(nodes)),
                   edges=format_number(graph.number_of_edges()))
    total = graph.graph.get("nodes_total")
    if total and total > len(nodes):
        caption += " · " + text("network_sampled", lang, nodes=format_number(len(nodes)),
                                total=format_number(total))
    fig.add_annotation(text=caption, xref="paper", yref="paper", x=1, y=1.02, xanchor="right",
                       yanchor="bottom", showarrow=False, font={"size": 12, "color": "#5f6b76"})
    fig.update_layout(title=title_of(title), hovermode="closest")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return apply_theme(fig, lang, height=620)
