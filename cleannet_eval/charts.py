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

Builders
--------
:func:`likert_bars`, :func:`factor_bars`, :func:`group_bars` (survey);
:func:`monthly_activity`, :func:`coverage_bars`, :func:`coverage_heatmap`,
:func:`staff_type_shares` (participation); :func:`growth_chart`, :func:`recruits_histogram`,
:func:`leader_exits`, :func:`network_picture` (network).
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .analysis.bands import Band, interpretation_bands, round_half_up
from .analysis.confidentiality import SUPPRESSED, suppression_label
from .ingest.thai import thai_month_name
from .instruments import Instrument
from .vocab import LEFT_REASONS, ROLES, STAFF_TYPES, label

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

FONT_FAMILY = "Sarabun, 'Noto Sans Thai', Tahoma, sans-serif"
#: Okabe & Ito (2008): eight colours distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
)
#: ColorBrewer RdBu, 5 classes (colour-blind safe), lowest answer first.
LIKERT_COLOURS: tuple[str, ...] = ("#CA0020", "#F4A582", "#D9D9D9", "#92C5DE", "#0571B0")
#: Background of the interpretation bands, lowest level first (light, so bars stay readable).
BAND_COLOURS: tuple[str, ...] = ("#FBE3D6", "#FDF1E6", "#F2F2F2", "#E3EEF6", "#D3E4F1")
#: Single-hue sequential scale (ColorBrewer Blues): order is readable without colour vision.
HEAT_SCALE: tuple[tuple[float, str], ...] = (
    (0.0, "#F7FBFF"), (0.25, "#C6DBEF"), (0.5, "#6BAED6"), (0.75, "#2171B5"), (1.0, "#08306B"),
)
#: Colour of a highlighted category (Okabe–Ito vermillion) and of the rest (blue).
HIGHLIGHT, REGULAR = CATEGORY_COLOURS[3], CATEGORY_COLOURS[0]
#: Colour per staff type: the citizen sector in vermillion, the problem the seed names.
STAFF_TYPE_COLOURS: dict[str, str] = {
    "civil_servant": CATEGORY_COLOURS[0], "permanent_employee": CATEGORY_COLOURS[5],
    "government_employee": CATEGORY_COLOURS[2], "citizen": CATEGORY_COLOURS[3],
    "unknown": "#999999",
}
#: Colour per reason a leader left: transfers (the seed's continuity problem) in vermillion.
REASON_COLOURS: dict[str, str] = {
    "transfer": CATEGORY_COLOURS[3], "retirement": CATEGORY_COLOURS[0],
    "resignation": CATEGORY_COLOURS[1], "death": CATEGORY_COLOURS[7],
    "other": CATEGORY_COLOURS[4], "unknown": "#999999",
}
ROLE_COLOURS: dict[str, str] = {"leader": CATEGORY_COLOURS[3], "member": CATEGORY_COLOURS[0]}

TEXT: dict[str, dict[str, str]] = {
    "th": {
        "mean": "ค่าเฉลี่ย", "share": "สัดส่วนคำตอบ (%)", "factor": "ปัจจัย", "item": "ข้อคำถาม",
        "month": "เดือน", "unit": "หน่วยงาน", "coverage": "ความครอบคลุม (%)",
        "participant_coverage": "ผู้เข้าร่วมกิจกรรม ÷ อัตรากำลัง",
        "network_coverage": "สมาชิกเครือข่าย ÷ อัตรากำลัง",
        "monthly_coverage": "ผู้เข้าร่วมในเดือน ÷ อัตรากำลัง (%)",
        "leaders": "จำนวนแกนนำ", "recruits": "จำนวนคนที่แกนนำชักชวนเข้าเครือข่าย",
        "activities": "จำนวนกิจกรรม", "attendances": "จำนวนครั้งที่เข้าร่วม",
        "participants": "จำนวนผู้เข้าร่วม (คน)", "people": "จำนวนคน",
        "attendance_share": "สัดส่วนการเข้าร่วม (%)", "group": "กลุ่ม", "n": "n",
        "fiscal_year": "ปีงบประมาณ", "leader": "แกนนำ", "member": "สมาชิก",
        "leaders_active": "แกนนำที่ปฏิบัติหน้าที่", "members_active": "สมาชิกที่ยังอยู่ในเครือข่าย",
        "cumulative_people": "จำนวนคนสะสมที่เคยเข้าร่วมเครือข่าย",
        "joins": "เข้าร่วมใหม่", "exits": "ออกจากเครือข่าย", "reentries": "กลับเข้ามาใหม่",
        "leader_exits": "แกนนำที่พ้นหน้าที่ (คน)", "unknown": "ไม่ระบุ",
        "gini": "สัมประสิทธิ์จีนี {gini} · มัธยฐาน {median} คน",
        "no_data": "ไม่มีข้อมูล", "hidden": "ไม่แสดง ({label})",
        "network_people": "{nodes} คน · {edges} การชักชวน",
        "network_sampled": "แสดง {nodes} จาก {total} คน",
        "size": "ขนาดเครือข่าย (คน)", "movement": "การเข้า–ออก (คน)",
    },
    "en": {
        "mean": "Mean", "share": "Share of answers (%)", "factor": "Factor", "item": "Item",
        "month": "Month", "unit": "Unit", "coverage": "Coverage (%)",
        "participant_coverage": "Participants ÷ headcount",
        "network_coverage": "Network members ÷ headcount",
        "monthly_coverage": "Participants in the month ÷ headcount (%)",
        "leaders": "Leaders", "recruits": "People a leader recruited",
        "activities": "Activities", "attendances": "Attendances",
        "participants": "Participants (people)", "people": "People",
        "attendance_share": "Share of attendances (%)", "group": "Group", "n": "n",
        "fiscal_year": "Fiscal year", "leader": "Leader", "member": "Member",
        "leaders_active": "Active leaders", "members_active": "Active members",
        "cumulative_people": "People who have joined so far",
        "joins": "Joins", "exits": "Exits", "reentries": "Re-entries",
        "leader_exits": "Leaders who left (people)", "unknown": "Not stated",
        "gini": "Gini coefficient {gini} · median {median}",
        "no_data": "No data", "hidden": "hidden ({label})",
        "network_people": "{nodes} people · {edges} recruitments",
        "network_sampled": "showing {nodes} of {total} people",
        "size": "Network size (people)", "movement": "Joins and exits (people)",
    },
}

_EN_MONTHS = ("Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep")
_OVERALL = "overall"


# --------------------------------------------------------------------------- words


def _hidden_marks(frame: pd.DataFrame, hidden: np.ndarray, lang: str,
                  min_group_size: int | None) -> list[str | None]:
    """What each hidden row reads (``n < 5``, or hidden to protect a small group)."""
    from .analysis.scoring import hidden_text

    size = min_group_size or frame.attrs.get("min_group_size")
    return [hidden_text(frame, i, lang, size) if hide else None
            for i, hide in enumerate(hidden)]


def _check_lang(lang: str) -> str:
    if lang not in TEXT:
        raise ValueError(f"Unsupported language {lang!r}. Supported: th, en")
    return lang


def text(key: str, lang: str = "th", **values: object) -> str:
    """A chart word in ``lang`` (``"th"`` or ``"en"``)."""
    return TEXT[_check_lang(lang)][key].format(**values)


def plot_text(value: object) -> str:
    """Text made safe for a plotly label or hover text: ``<``, ``>`` and ``&`` as entities.

    plotly renders a subset of HTML (``<b>``, ``<a href>``, ``<br>`` …) in text; an entity is
    shown as its character, so a unit named ``<b>X</b>`` reads exactly so.

    Examples
    --------
    >>> plot_text("<b>A & B</b>")
    '&lt;b&gt;A &amp; B&lt;/b&gt;'
    """
    return html.escape("" if value is None else str(value), quote=False)


def year_label(fiscal_year: int, lang: str = "th") -> str:
    """A fiscal year as readers write it: ``"ปีงบประมาณ 2551"`` or ``"FY2551 (2007–08)"``.

    Examples
    --------
    >>> year_label(2551), year_label(2551, "en")
    ('ปีงบประมาณ 2551', 'FY2551 (2007–08)')
    """
    fiscal_year = int(fiscal_year)
    if _check_lang(lang) == "th":
        return f"ปีงบประมาณ {fiscal_year}"
    ce_end = fiscal_year - 543
    return f"FY{fiscal_year} ({ce_end - 1}–{str(ce_end)[-2:]})"


def fiscal_month_label(fiscal_year: int, fiscal_month: int, lang: str = "th") -> str:
    """Label of month ``fiscal_month`` (1 = October) of a fiscal year.

    Thai uses the short Thai month and the two-digit BE year of that calendar month; English
    the month and CE year.

    Examples
    --------
    >>> fiscal_month_label(2551, 1), fiscal_month_label(2551, 4, "en")
    ('ต.ค. 50', 'Jan 2008')
    """
    fiscal_month = int(fiscal_month)
    if not 1 <= fiscal_month <= 12:
        raise ValueError(f"fiscal_month must be 1 (October) to 12 (September), got {fiscal_month}")
    calendar_month = (fiscal_month + 8) % 12 + 1
    be_year = int(fiscal_year) - (1 if fiscal_month <= 3 else 0)
    if _check_lang(lang) == "th":
        return f"{thai_month_name(calendar_month, short=True)} {str(be_year)[-2:]}"
    return f"{_EN_MONTHS[fiscal_month - 1]} {be_year - 543}"


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: object, decimals: int = 0) -> str:
    """A number with thousands separators, rounded half-up as a printed table; ``–`` if missing.

    Examples
    --------
    >>> format_number(1234.5), format_number(4.505, 2), format_number(None)
    ('1,235', '4.51', '–')
    """
    if _missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if math.isinf(number):
        return "–"
    return f"{round_half_up(number, decimals):,.{decimals}f}"


def format_percent(share: object, decimals: int = 1) -> str:
    """A share (0–1) as a percentage: ``0.1505`` → ``"15.1%"``; ``–`` if missing."""
    if _missing(share):
        return "–"
    return f"{format_number(float(share) * 100, decimals)}%"  # type: ignore[arg-type]


def group_label(column: str, value: object, lang: str = "th") -> str:
    """Display label of a group value (staff type and role codes get their words)."""
    if _missing(value):
        return text("unknown", lang)
    if column == "staff_type":
        return label(STAFF_TYPES, str(value), lang)
    if column == "role":
        return label(ROLES, str(value), lang)
    if column == "fiscal_year":
        return year_label(int(value), lang)  # type: ignore[arg-type]
    return str(value)


def _reason_label(code: str, lang: str) -> str:
    return text("unknown", lang) if code == "unknown" else label(LEFT_REASONS, code, lang)


# --------------------------------------------------------------------------- theme


def apply_theme(fig: go.Figure, lang: str = "th", height: int | None = None) -> go.Figure:
    """Apply the house style to ``fig`` in place and return it."""
    _check_lang(lang)
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 14, "color": "#1d2630"},
        title_font={"family": FONT_FAMILY, "size": 17},
        colorway=list(CATEGORY_COLOURS),
        margin={"l": 10, "r": 10, "t": 100 if fig.layout.title.text else 50, "b": 10},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        separators=".,",
    )
    if height:
        fig.update_layout(height=height)
    return fig


def _title(title: str | None) -> dict[str, object] | None:
    # At the top of the figure, clear of the legend (which sits just above the plot area).
    return None if title is None else {"text": plot_text(title), "x": 0, "xanchor": "left",
                                       "y": 1, "yref": "container", "yanchor": "top",
                                       "pad": {"t": 14}}


#: Thai words that start a new word wherever they appear in the programme's labels, with the
#: endings of longer words that contain them (โครงการ, ราชการ …), where they must not be cut.
_WORD_STARTS: dict[str, tuple[str, ...]] = {
    "การ": ("โครง", "ราช", "ประ", "กำหนด", "บริ", "ดำเนิน", "ปฏิบัติ"),
    "ความ": (), "และ": (), "ของ": (), "โดย": (), "เพื่อ": (), "อย่าง": (), "ให้": ("เข้า",),
    "ต่อ": ("ติด",), "ใน": ("ภาย",), "ด้วย": (), "กับ": (), "ตลอด": (), "ทุก": (),
    "มี": (), "เป็น": (), "ได้": (),
}


def _columns(text: str) -> int:
    """Characters that take horizontal space (Thai vowel and tone marks above or below a
    consonant do not)."""
    return sum(1 for ch in text if not unicodedata.category(ch).startswith("M"))


@lru_cache(maxsize=4096)
def _break_points(text: str) -> tuple[int, ...]:
    """Where a new line may start: after a space, or before a common Thai word (Thai is
    written without spaces between words), never before a combining mark."""
    def thai_word_starts(i: int) -> bool:
        return "\u0e00" <= text[i] <= "\u0e7f" and any(
            text.startswith(word, i) and not text[:i].endswith(inside or ("\0",))
            for word, inside in _WORD_STARTS.items())

    return tuple(i for i in range(1, len(text))
                 if (text[i - 1] == " " and text[i] != " ") or thai_word_starts(i))


def _wrap(label_text: object, width: int = 38) -> str:
    """Escape a label and break it into lines of about ``width`` characters (plotly does not
    wrap): at spaces, or before a common Thai word; a run with neither is cut once it is a
    quarter longer than ``width``.

    A dictionary segmenter (PyThaiNLP) would find every Thai word boundary, but loading it
    costs about 1.5 s per report; chart labels only need a readable break.
    """
    text = " ".join(str(label_text).split())
    points = _break_points(text)
    lines, start = [], 0
    while _columns(text[start:]) > width:
        fits = [i for i in points if i > start and _columns(text[start:i]) <= width]
        if fits:
            cut = fits[-1]
        else:
            later = [i for i in points if i > start]
            if later and _columns(text[start:later[0]]) <= width * 1.25:
                cut = later[0]
            else:
                cut = start
                while cut < len(text) and _columns(text[start:cut + 1]) <= width:
                    cut += 1
                while cut < len(text) and unicodedata.category(text[cut]).startswith("M"):
                    cut += 1  # keep vowel and tone marks with their consonant
            if cut >= len(text):
                break
        lines.append(text[start:cut].rstrip())
        start = cut
    lines.append(text[start:])
    return "<br>".join(plot_text(line) for line in lines if line)


def _month_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    return [fiscal_month_label(int(y), int(m), lang)
            for y, m in zip(frame["fiscal_year"], frame["fiscal_month"], strict=True)]


def _values(series: pd.Series, scale: float = 1.0) -> list[float | None]:
    """Plain floats for plotly, ``None`` where missing (plotly leaves a gap)."""
    return [None if _missing(v) else float(v) * scale for v in series]


def _empty(fig: go.Figure, lang: str) -> go.Figure:
    fig.add_annotation(text=text("no_data", lang), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


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
    lang = _check_lang(lang)
    scale = instrument.scale
    values = list(range(scale.min, scale.max + 1))
    wording = {i.code: (i.text_th if lang == "th" else i.text_en) for i in instrument.items}
    frame = items.reset_index(drop=True)
    hidden = (frame[SUPPRESSED].fillna(False).to_numpy(dtype=bool) if SUPPRESSED in frame
              else np.zeros(len(frame), dtype=bool))
    marks = _hidden_marks(frame, hidden, lang, min_group_size)
    ylabels = []
    for code, hide, marker in zip(frame["item"], hidden, marks, strict=True):
        name = f"{code} {wording.get(code, '')}".strip()
        if hide:
            name += f" ({marker})"
        ylabels.append(_wrap(name, 44))
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
            y=ylabels, x=_values(part * sign), orientation="h", name=name,
            legendgroup=str(value), legendrank=100 + value,
            showlegend=not (value == middle and sign == 1),
            marker_color=colours[values.index(value)],
            customdata=[[None if _missing(v) else round(float(v), 1)] for v in full],
            hovertemplate="%{y}<br>" + name + ": %{customdata[0]}%<extra></extra>",
        ))
    fig.update_layout(barmode="relative", title=_title(title), xaxis_title=text("share", lang))
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
    lang = _check_lang(lang)
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
    marks = _hidden_marks(frame, hidden, lang, min_group_size)
    names = []
    for name, hide, marker in zip(frame[f"name_{lang}"], hidden, marks, strict=True):
        names.append(_wrap(f"{name} ({marker})" if hide else name, 30))
    is_overall = (frame["factor"] == _OVERALL).to_numpy() if "factor" in frame else \
        np.zeros(len(frame), dtype=bool)
    for part, colour in ((~is_overall, CATEGORY_COLOURS[0]), (is_overall, CATEGORY_COLOURS[1])):
        if not part.any():
            continue
        rows = frame[part]
        mean = rows["mean"].astype("float64").where(~hidden[part])
        low = rows["ci_low"].astype("float64") if "ci_low" in rows else mean
        high = rows["ci_high"].astype("float64") if "ci_high" in rows else mean
        printed = [format_number(m, 2) if not _missing(m) else "" for m in mean]
        levels = rows[f"level_{lang}"].astype("object").where(~hidden[part], None)
        fig.add_trace(go.Bar(
            y=[n for n, p in zip(names, part, strict=True) if p], x=_values(mean),
            orientation="h", marker_color=colour, showlegend=False,
            name=text("mean", lang),
            error_x={"type": "data", "symmetric": False, "color": "#333",
                     "array": _values(high - mean), "arrayminus": _values(mean - low)},
            text=printed, textposition="inside", insidetextanchor="middle",
            customdata=[[p, plot_text(lv) if not _missing(lv) else "", format_number(n)]
                        for p, lv, n in zip(printed, levels, rows["n"], strict=True)],
            hovertemplate="%{y}<br>" + text("mean", lang) + " %{customdata[0]} "
            "(%{customdata[1]})<br>" + text("n", lang) + " %{customdata[2]}<extra></extra>",
        ))
    fig.update_layout(title=_title(title), xaxis_title=text("mean", lang), bargap=0.35)
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
    lang = _check_lang(lang)
    frame = table if overall else table[table["factor"] != _OVERALL]
    frame = frame.reset_index(drop=True)
    frame = frame.assign(_mark=_hidden_marks(
        frame, frame[SUPPRESSED].fillna(True).to_numpy(dtype=bool), lang,
        min_group_size or table.attrs.get("min_group_size")))
    factor_order = list(dict.fromkeys(frame["factor"]))
    names = dict(zip(frame["factor"], frame[f"name_{lang}"], strict=False))
    x = [_wrap(names[f], 16) for f in factor_order]
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
            x=x, y=_values(mean), name=plot_text(name),
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
    fig.update_layout(title=_title(title), barmode="group", yaxis_title=text("mean", lang),
                      uniformtext={"minsize": 9, "mode": "hide"})
    fig.update_yaxes(range=[scale[0], scale[1] + 0.3])
    return apply_theme(fig, lang, height=460)


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
    lang = _check_lang(lang)
    frame = monthly.reset_index(drop=True)
    x = _month_labels(frame, lang)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=_values(frame["attendances"]), name=text("attendances", lang),
                         marker_color=CATEGORY_COLOURS[0]))
    fig.add_trace(go.Bar(x=x, y=_values(frame["unique_participants"]),
                         name=text("participants", lang), marker_color=CATEGORY_COLOURS[5]))
    fig.add_trace(go.Scatter(x=x, y=_values(frame["activities"]), name=text("activities", lang),
                             mode="lines+markers", yaxis="y2",
                             line={"color": CATEGORY_COLOURS[3], "width": 3}))
    top = float(frame["activities"].max()) if len(frame) else 1.0
    fig.update_layout(
        title=_title(title), barmode="group", xaxis={"type": "category"},
        yaxis={"title": text("people", lang), "rangemode": "tozero"},
        yaxis2={"title": text("activities", lang), "overlaying": "y", "side": "right",
                "rangemode": "tozero", "dtick": 1, "range": [0, max(top, 1) * 1.5],
                "showgrid": False},
    )
    if not len(frame):
        _empty(fig, lang)
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
    lang = _check_lang(lang)
    frame = coverage[coverage["coverage"].notna()].sort_values(
        ["coverage", "unit"], ascending=[False, True], kind="stable").reset_index(drop=True)
    labels = [_unit_label(u, highlight) for u in frame["unit"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=_values(frame["coverage"], 100), orientation="h",
        name=text("participant_coverage", lang), marker_color=CATEGORY_COLOURS[0],
        customdata=[[format_number(p), format_number(h)] for p, h in
                    zip(frame["participants"], frame["headcount"], strict=True)],
        hovertemplate="%{y}<br>%{x:.1f}% (%{customdata[0]} / %{customdata[1]})<extra></extra>",
    ))
    if "network_coverage" in frame and frame["network_coverage"].notna().any():
        fig.add_trace(go.Bar(
            y=labels, x=_values(frame["network_coverage"], 100), orientation="h",
            name=text("network_coverage", lang), marker_color=CATEGORY_COLOURS[1],
            hovertemplate="%{y}<br>%{x:.1f}%<extra></extra>",
        ))
    fig.update_layout(title=_title(title), barmode="group", xaxis_title=text("coverage", lang))
    fig.update_yaxes(autorange="reversed", automargin=True)
    if not len(frame):
        _empty(fig, lang)
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
    lang = _check_lang(lang)
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
        if not _missing(row.coverage):
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
    fig.update_layout(title=_title(title), xaxis={"type": "category", "side": "bottom"})
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    if not len(frame):
        _empty(fig, lang)
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
    lang = _check_lang(lang)
    frame = shares.reset_index(drop=True)
    years = sorted(int(y) for y in frame["fiscal_year"].unique())
    x = [year_label(y, lang) for y in years]
    fig = go.Figure()
    for group in dict.fromkeys(frame["group"]):
        rows = frame[frame["group"] == group].set_index("fiscal_year").reindex(years)
        name = group_label("staff_type", group, lang) if group != "unknown" else \
            text("unknown", lang)
        fig.add_trace(go.Bar(
            x=x, y=_values(rows["attendance_share"], 100), name=plot_text(name),
            marker_color=STAFF_TYPE_COLOURS.get(str(group), "#777777"),
            customdata=[[format_number(a)] for a in rows["attendances"]],
            text=[format_percent(s) for s in rows["attendance_share"]],
            textposition="inside",
            hovertemplate=plot_text(name) + "<br>%{x}<br>%{y:.1f}% (%{customdata[0]})"
            "<extra></extra>",
        ))
    fig.update_layout(title=_title(title), barmode="stack",
                      yaxis={"title": text("attendance_share", lang), "range": [0, 100]},
                      xaxis={"type": "category"})
    return apply_theme(fig, lang, height=420)


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

    lang = _check_lang(lang)
    frame = growth.reset_index(drop=True)
    x = _month_labels(frame, lang)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                        vertical_spacing=0.06)
    fig.add_trace(go.Bar(x=x, y=_values(frame["leaders_active"]),
                         name=text("leaders_active", lang), marker_color=ROLE_COLOURS["leader"]),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=_values(frame["members_active"]),
                         name=text("members_active", lang), marker_color=ROLE_COLOURS["member"]),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=_values(frame["cumulative_people"]),
                             name=text("cumulative_people", lang), mode="lines+markers",
                             line={"color": CATEGORY_COLOURS[7], "width": 2, "dash": "dot"}),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=_values(frame["joins"]), name=text("joins", lang),
                         marker_color=CATEGORY_COLOURS[2]), row=2, col=1)
    fig.add_trace(go.Bar(x=x, y=_values(-frame["exits"].astype("float64")),
                         name=text("exits", lang), marker_color=CATEGORY_COLOURS[1],
                         customdata=[[int(v)] for v in frame["exits"]],
                         hovertemplate="%{x}<br>" + text("exits", lang)
                         + " %{customdata[0]}<extra></extra>"), row=2, col=1)
    fig.update_layout(title=_title(title), barmode="relative")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=text("size", lang), row=1, col=1, rangemode="tozero")
    fig.update_yaxes(title_text=text("movement", lang), row=2, col=1)
    if not len(frame):
        _empty(fig, lang)
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
    lang = _check_lang(lang)
    frame = distribution.reset_index(drop=True)
    fig = go.Figure(go.Bar(
        x=[int(r) for r in frame["recruits"]], y=_values(frame["leaders"]),
        marker_color=CATEGORY_COLOURS[0], name=text("leaders", lang),
        text=[format_number(v) for v in frame["leaders"]], textposition="outside",
        customdata=[[format_percent(s)] for s in frame["share"]],
        hovertemplate=text("recruits", lang) + " %{x}<br>" + text("leaders", lang)
        + " %{y} (%{customdata[0]})<extra></extra>",
    ))
    gini, median = distribution.attrs.get("gini"), distribution.attrs.get("median")
    if not _missing(gini) or not _missing(median):
        fig.add_annotation(
            text=text("gini", lang, gini=format_number(gini, 2),
                      median=format_number(median, 1)),
            xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom",
            showarrow=False, font={"size": 13})
    fig.update_layout(title=_title(title), xaxis={"title": text("recruits", lang), "dtick": 1},
                      yaxis={"title": text("leaders", lang), "rangemode": "tozero"},
                      showlegend=False)
    if not len(frame):
        _empty(fig, lang)
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
    lang = _check_lang(lang)
    frame = joins_exits[joins_exits["role"] == "leader"].sort_values("fiscal_year")
    x = [year_label(int(y), lang) for y in frame["fiscal_year"]]
    fig = go.Figure()
    for reason, colour in REASON_COLOURS.items():
        column = f"exits_{reason}"
        if column not in frame or not frame[column].sum():
            continue
        name = plot_text(_reason_label(reason, lang))
        fig.add_trace(go.Bar(x=x, y=_values(frame[column]), name=name, marker_color=colour,
                             hovertemplate=name + "<br>%{x}: %{y}<extra></extra>"))
    fig.update_layout(title=_title(title), barmode="stack", xaxis={"type": "category"},
                      yaxis={"title": text("leader_exits", lang), "rangemode": "tozero",
                             "dtick": 1 if len(frame) and frame["exits"].max() <= 10 else None})
    if not len(fig.data):
        _empty(fig, lang)
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
    lang = _check_lang(lang)
    fig = go.Figure()
    nodes = list(graph.nodes)
    if not nodes:
        _empty(fig, lang)
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
    fig.update_layout(title=_title(title), hovermode="closest")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return apply_theme(fig, lang, height=620)


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
    lang = _check_lang(lang)
    names = factor_names or {}
    fig = go.Figure()
    for index, (factor, rows) in enumerate(loadings.groupby("factor", sort=False)):
        fig.add_trace(go.Bar(
            # 4 decimals: the estimate's last digits are optimiser noise, not information
            y=[plot_text(i) for i in rows["item"]], x=_values(rows["std_loading"].round(4)),
            orientation="h", name=plot_text(names.get(factor, factor)),
            marker_color=CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)],
            text=[format_number(v, 2) for v in rows["std_loading"]], textposition="outside",
            hovertemplate="%{y}: %{x:.3f}<extra>%{fullData.name}</extra>",
        ))
    fig.add_vline(x=cutoff, line_dash="dash", line_color="#555")
    fig.update_layout(title=_title(title), xaxis_title="λ", bargap=0.25)
    low = float(loadings["std_loading"].min()) if len(loadings) else 0.0
    fig.update_xaxes(range=[min(0.0, low - 0.05), 1.05])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array",
                     categoryarray=[plot_text(i) for i in loadings["item"]])
    if not len(loadings):
        _empty(fig, lang)
    return apply_theme(fig, lang, height=max(320, 120 + 24 * len(loadings)))
