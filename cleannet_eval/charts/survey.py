"""Survey charts: answers per item (Likert), factor means against the bands, group means,
factor loadings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.bands import Band, interpretation_bands
from ..analysis.confidentiality import SUPPRESSED, suppression_label
from ..formatting import (
    check_lang,
    format_number,
    is_missing,
)
from ..instruments import Instrument
from .theme import (
    BAND_COLOURS,
    CATEGORY_COLOURS,
    LIKERT_COLOURS,
    OVERALL,
    apply_theme,
    empty_figure,
    group_label,
    hidden_marks,
    plot_text,
    text,
    title_of,
    values_of,
    wrap_label,
)

__all__ = [
    "factor_bars",
    "group_bars",
    "likert_bars",
    "loading_bars",
]


# --------------------------------------------------------------------------- survey


def likert_bars(
    items: pd.DataFrame,
    instrument: Instrument,
    lang: str = "th",
    title: str | None = None,
    min_group_size: int | None = None,
) -> go.Figure:
    """Diverging stacked bars of the answer shares of each item, split around the neutral point.

    Parameters
    ----------
    items
        One row per item with ``item`` (code), ``share_<value>`` columns (fractions 0–1) and
        optionally ``suppressed``, as :func:`cleannet_eval.analysis.item_table` returns.
    instrument
        Gives the item wording and the scale labels.
    lang
        ``"th"`` or ``"en"``.
    title
        Chart title (escaped here).
    min_group_size
        Threshold shown for a hidden item (``"n < 5"``); default the table's
        ``attrs["min_group_size"]``.

    Returns
    -------
    plotly.graph_objects.Figure
        One horizontal bar trace per answer side: the lower answers extend left of zero, the
        higher ones right, in percent of the item's answers. ``customdata`` holds each bar's
        full percentage. A hidden (suppressed) item keeps its row, labelled ``n < 5``, without
        a bar.

    Notes
    -----
    The middle answer of an odd scale is split half on each side (two traces, one legend
    entry), so the bars are centred on neutral. The legend lists the answers lowest first.
    """
    lang = check_lang(lang)
    scale = instrument.scale
    values = list(range(scale.min, scale.max + 1))
    wording = {i.code: (i.text_th if lang == "th" else i.text_en) for i in instrument.items}
    frame = items.reset_index(drop=True)
    hidden = (frame[SUPPRESSED].fillna(False).to_numpy(dtype=bool) if SUPPRESSED in frame
              else np.zeros(len(frame), dtype=bool))
    marks = hidden_marks(frame, hidden, lang, min_group_size)
    ylabels = []
    for code, hide, marker in zip(frame["item"], hidden, marks, strict=True):
        name = f"{code} {wording.get(code, '')}".strip()
        if hide:
            name += f" ({marker})"
        ylabels.append(wrap_label(name, 44))
    middle = (scale.min + scale.max) / 2
    colours = _likert_palette(len(values))
    labels = scale.labels_th if lang == "th" else scale.labels_en
    fig = go.Figure()
    # Left side from the centre outwards (neutral half, then milder, then strongest), then right.
    order = [(v, -1) for v in values if v <= middle][::-1] + [(v, 1) for v in values
                                                               if v >= middle]
    for value, sign in order:
        column = f"share_{value}"
        full = frame[column].astype("float64") * 100 if column in frame else \
            pd.Series(np.nan, index=frame.index)
        full = full.where(~hidden)
        part = full / 2 if value == middle else full
        name = plot_text(labels.get(value, str(value)))
        fig.add_trace(go.Bar(
            y=ylabels, x=values_of(part * sign), orientation="h", name=name,
            legendgroup=str(value), legendrank=100 + value,
            showlegend=not (value == middle and sign == 1),
            marker_color=colours[values.index(value)],
            customdata=[[None if is_missing(v) else round(float(v), 1)] for v in full],
            hovertemplate="%{y}<br>" + name + ": %{customdata[0]}%<extra></extra>",
        ))
    fig.update_layout(barmode="relative", title=title_of(title), xaxis_title=text("share", lang))
    fig.update_xaxes(tickvals=[-100, -50, 0, 50, 100], ticktext=["100", "50", "0", "50", "100"],
                     range=[-100, 100], zeroline=True, zerolinecolor="#555")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return apply_theme(fig, lang, height=max(320, 120 + 48 * len(frame)))


def _likert_palette(points: int) -> list[str]:
    if points == len(LIKERT_COLOURS):
        return list(LIKERT_COLOURS)
    # Interpolate ColorBrewer RdBu for other scale lengths (the 7-point PIP).
    import plotly.colors as pc

    return pc.sample_colorscale("RdBu", [i / (points - 1) for i in range(points)])


def _as_bands(
    bands: str | Sequence[Band | tuple[float, float, str]], scale: tuple[int, int], lang: str
) -> list[tuple[float, float, str]]:
    if isinstance(bands, str):
        bands = interpretation_bands(bands, scale[0], scale[1])
    out = []
    for band in bands:
        if isinstance(band, Band):
            out.append((band.lower, band.upper, band.label(lang)))
        else:
            low, high, name = band
            out.append((float(low), float(high), str(name)))
    return sorted(out)


def factor_bars(
    factors: pd.DataFrame,
    bands: str | Sequence[Band | tuple[float, float, str]] | None = None,
    lang: str = "th",
    title: str | None = None,
    scale: tuple[int, int] | None = None,
    min_group_size: int | None = None,
) -> go.Figure:
    """The factors' means with 95% CIs, drawn over the interpretation bands.

    Parameters
    ----------
    factors
        A :func:`cleannet_eval.analysis.factor_table` without ``by``: one row per factor (and
        the ``overall`` row), with ``name_th``/``name_en``, ``mean``, ``ci_low``, ``ci_high``,
        ``level_th``/``level_en``, ``n`` and ``suppressed``.
    bands
        ``"half"``/``"equal"``, or the bands themselves (:class:`~.analysis.bands.Band` or
        ``(low, high, label)``); default the table's ``attrs["bands"]``.
    lang
        ``"th"`` or ``"en"``.
    title
        Chart title (escaped here).
    scale
        ``(min, max)`` of the answer scale; default ``attrs["scale"]`` or ``(1, 5)``.
    min_group_size
        Threshold shown for hidden rows; default ``attrs["min_group_size"]``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace of the factors (blue) and one of the overall index (orange), a shaded
        rectangle and label per band. Means are printed as in the tables (two decimals,
        rounded half-up). A hidden factor keeps its row, labelled ``n < 5``, with no bar.
    """
    lang = check_lang(lang)
    frame = factors.reset_index(drop=True)
    scale = tuple(scale or frame.attrs.get("scale") or (1, 5))  # type: ignore[assignment]
    band_list = _as_bands(bands or frame.attrs.get("bands") or "half", scale, lang)
    fig = go.Figure()
    for index, (low, high, name) in enumerate(band_list):
        fig.add_vrect(x0=low if index == 0 else band_list[index - 1][1], x1=high,
                      fillcolor=BAND_COLOURS[index % len(BAND_COLOURS)], line_width=0,
                      layer="below", annotation_text=plot_text(name),
                      annotation_position="outside top", annotation_font_size=12)
    hidden = (frame[SUPPRESSED].fillna(False).to_numpy(dtype=bool) if SUPPRESSED in frame
              else frame["mean"].isna().to_numpy())
    marks = hidden_marks(frame, hidden, lang, min_group_size)
    names = []
    for name, hide, marker in zip(frame[f"name_{lang}"], hidden, marks, strict=True):
        names.append(wrap_label(f"{name} ({marker})" if hide else name, 30))
    is_overall = (frame["factor"] == OVERALL).to_numpy() if "factor" in frame else \
        np.zeros(len(frame), dtype=bool)
    for part, colour in ((~is_overall, CATEGORY_COLOURS[0]), (is_overall, CATEGORY_COLOURS[1])):
        if not part.any():
            continue
        rows = frame[part]
        mean = rows["mean"].astype("float64").where(~hidden[part])
        low = rows["ci_low"].astype("float64") if "ci_low" in rows else mean
        high = rows["ci_high"].astype("float64") if "ci_high" in rows else mean
        printed = [format_number(m, 2) if not is_missing(m) else "" for m in mean]
        levels = rows[f"level_{lang}"].astype("object").where(~hidden[part], None)
        fig.add_trace(go.Bar(
            y=[n for n, p in zip(names, part, strict=True) if p], x=values_of(mean),
            orientation="h", marker_color=colour, showlegend=False,
            name=text("mean", lang),
            error_x={"type": "data", "symmetric": False, "color": "#333",
                     "array": values_of(high - mean), "arrayminus": values_of(mean - low)},
            text=printed, textposition="inside", insidetextanchor="middle",
            customdata=[[p, plot_text(lv) if not is_missing(lv) else "", format_number(n)]
                        for p, lv, n in zip(printed, levels, rows["n"], strict=True)],
            hovertemplate="%{y}<br>" + text("mean", lang) + " %{customdata[0]} "
            "(%{customdata[1]})<br>" + text("n", lang) + " %{customdata[2]}<extra></extra>",
        ))
    fig.update_layout(title=title_of(title), xaxis_title=text("mean", lang), bargap=0.35)
    fig.update_xaxes(range=[scale[0], scale[1]], dtick=0.5 if scale[1] - scale[0] <= 4 else 1)
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array",
                     categoryarray=names)
    return apply_theme(fig, lang, height=max(320, 130 + 56 * len(frame)))


def group_bars(
    table: pd.DataFrame,
    by: str,
    lang: str = "th",
    title: str | None = None,
    min_group_size: int | None = None,
    overall: bool = True,
) -> go.Figure:
    """Factor means side by side for the groups of one column (unit, staff type, role, year).

    Parameters
    ----------
    table
        A :func:`cleannet_eval.analysis.factor_table` with ``by=by``: one row per group and
        factor, with ``suppressed``.
    by
        The grouping column.
    lang
        ``"th"`` or ``"en"``.
    title
        Chart title (escaped here).
    min_group_size
        Threshold shown for hidden groups; default ``attrs["min_group_size"]``.
    overall
        Include the overall index as the last category.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per group (named by its label, escaped), the factors on the x axis.
        A hidden cell has no bar (``None``); a group hidden on every factor is named
        ``"… (n < 5)"`` and draws nothing.
    """
    lang = check_lang(lang)
    frame = table if overall else table[table["factor"] != OVERALL]
    frame = frame.reset_index(drop=True)
    frame = frame.assign(_mark=hidden_marks(
        frame, frame[SUPPRESSED].fillna(True).to_numpy(dtype=bool), lang,
        min_group_size or table.attrs.get("min_group_size")))
    factor_order = list(dict.fromkeys(frame["factor"]))
    names = dict(zip(frame["factor"], frame[f"name_{lang}"], strict=False))
    x = [wrap_label(names[f], 16) for f in factor_order]
    fig = go.Figure()
    keys = frame[by].astype("object").where(frame[by].notna(), None)
    for position, value in enumerate(dict.fromkeys(keys)):
        rows = frame[(keys == value).to_numpy()].set_index("factor").reindex(factor_order)
        hidden = rows[SUPPRESSED].fillna(True).to_numpy(dtype=bool)
        mean = rows["mean"].astype("float64").where(~hidden)
        fallback = suppression_label(min_group_size or table.attrs.get("min_group_size"))
        marks = [str(m) if isinstance(m, str) else fallback for m in rows["_mark"]]
        name = group_label(by, value, lang)
        if hidden.all():
            name = f"{name} ({marks[0]})"
        fig.add_trace(go.Bar(
            x=x, y=values_of(mean), name=plot_text(name),
            marker_color=CATEGORY_COLOURS[position % len(CATEGORY_COLOURS)],
            text=[mk if h else format_number(m, 2) for h, m, mk in zip(hidden, mean, marks,
                                                                        strict=True)],
            textposition="outside",
            customdata=[[mk if h else format_number(n)] for h, n, mk in zip(
                hidden, rows["n"], marks, strict=True)],
            hovertemplate=plot_text(name) + "<br>%{x}<br>" + text("mean", lang)
            + " %{text}<br>" + text("n", lang) + " %{customdata[0]}<extra></extra>",
        ))
    scale = tuple(table.attrs.get("scale") or (1, 5))
    fig.update_layout(title=title_of(title), barmode="group", yaxis_title=text("mean", lang),
                      uniformtext={"minsize": 9, "mode": "hide"})
    fig.update_yaxes(range=[scale[0], scale[1] + 0.3])
    return apply_theme(fig, lang, height=460)


def loading_bars(
    loadings: pd.DataFrame,
    factor_names: dict[str, str] | None = None,
    lang: str = "th",
    title: str | None = None,
    cutoff: float = 0.5,
) -> go.Figure:
    """Standardized CFA loadings of every item, one colour per factor, with a cut-off line.

    Parameters
    ----------
    loadings
        :attr:`cleannet_eval.analysis.CFAResult.loadings`: ``factor``, ``item``,
        ``std_loading``.
    factor_names
        Factor key → name for the legend (default the keys).
    lang, title
        Language and title.
    cutoff
        Where the dashed line is drawn (0.50, a common minimum for a standardized loading).

    Returns
    -------
    plotly.graph_objects.Figure
        One horizontal bar trace per factor, items in questionnaire order; loadings rounded to
        4 decimals, so that equal data give an equal chart.
    """
    lang = check_lang(lang)
    names = factor_names or {}
    fig = go.Figure()
    for index, (factor, rows) in enumerate(loadings.groupby("factor", sort=False)):
        fig.add_trace(go.Bar(
            # 4 decimals: the estimate's last digits are optimiser noise, not information
            y=[plot_text(i) for i in rows["item"]], x=values_of(rows["std_loading"].round(4)),
            orientation="h", name=plot_text(names.get(factor, factor)),
            marker_color=CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)],
            text=[format_number(v, 2) for v in rows["std_loading"]], textposition="outside",
            hovertemplate="%{y}: %{x:.3f}<extra>%{fullData.name}</extra>",
        ))
    fig.add_vline(x=cutoff, line_dash="dash", line_color="#555")
    fig.update_layout(title=title_of(title), xaxis_title="λ", bargap=0.25)
    low = float(loadings["std_loading"].min()) if len(loadings) else 0.0
    fig.update_xaxes(range=[min(0.0, low - 0.05), 1.05])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array",
                     categoryarray=[plot_text(i) for i in loadings["item"]])
    if not len(loadings):
        empty_figure(fig, lang)
    return apply_theme(fig, lang, height=max(320, 120 + 24 * len(loadings)))
