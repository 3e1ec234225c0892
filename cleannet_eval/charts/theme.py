"""The house theme of every chart: fonts, colours, words, label wrapping and safe text.

See :mod:`cleannet_eval.charts` for what the theme promises (Sarabun, colour-blind-safe
colours, Thai or English, :func:`plot_text` on every text from a spreadsheet).
"""

from __future__ import annotations

import html
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.scoring import hidden_text
from ..formatting import (
    check_lang,
    fiscal_month_label,
    is_missing,
    year_label,
)
from ..i18n import LANGS, area
from ..i18n import text as words
from ..vocab import LEFT_REASONS, label
from ..vocab import group_label as vocab_group_label

__all__ = [
    "BAND_COLOURS",
    "CATEGORY_COLOURS",
    "FONT_FAMILY",
    "HEAT_SCALE",
    "LIKERT_COLOURS",
    "OVERALL",
    "REASON_COLOURS",
    "ROLE_COLOURS",
    "STAFF_TYPE_COLOURS",
    "TEXT",
    "apply_theme",
    "empty_figure",
    "group_label",
    "hidden_marks",
    "month_labels",
    "plot_text",
    "reason_label",
    "text",
    "title_of",
    "values_of",
    "wrap_label",
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


#: ``{lang: {name: words}}``: the catalogue's ``chart`` area (data/words/words.yaml), with
#: ``unknown`` for a missing group value. Read by :func:`text`.
TEXT: dict[str, dict[str, str]] = {
    lang: {**area("chart", lang), "unknown": words("group.not_stated", lang)} for lang in LANGS
}


OVERALL = "overall"


# --------------------------------------------------------------------------- words


def hidden_marks(frame: pd.DataFrame, hidden: np.ndarray, lang: str,
                  min_group_size: int | None) -> list[str | None]:
    """What each hidden row reads (``n < 5``, or hidden to protect a small group)."""
    size = min_group_size or frame.attrs.get("min_group_size")
    return [hidden_text(frame, i, lang, size) if hide else None
            for i, hide in enumerate(hidden)]




def text(key: str, lang: str = "th", **values: object) -> str:
    """A chart word in ``lang`` (``"th"`` or ``"en"``): ``chart.KEY`` of the catalogue."""
    return words("group.not_stated" if key == "unknown" else f"chart.{key}", lang, **values)


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


def group_label(column: str, value: object, lang: str = "th") -> str:
    """Display label of a group value (:func:`cleannet_eval.vocab.group_label`; a fiscal year
    reads ``ปีงบประมาณ 2551``)."""
    if column == "fiscal_year" and not is_missing(value):
        return year_label(int(value), lang)  # type: ignore[arg-type]
    return vocab_group_label(column, value, lang)


def reason_label(code: str, lang: str) -> str:
    return text("unknown", lang) if code == "unknown" else label(LEFT_REASONS, code, lang)


# --------------------------------------------------------------------------- theme


@lru_cache(maxsize=1)
def _template_json() -> str:
    """``plotly_white`` exactly as ``update_layout(template="plotly_white")`` stores it."""
    import json

    return json.dumps(go.Figure().update_layout(template="plotly_white")
                      .layout.template.to_plotly_json())


def _set_template(fig: go.Figure) -> None:
    """``fig.update_layout(template="plotly_white")`` without validating the template again.

    plotly deep-copies and validates a named template each time it is set (about 20–40 ms a
    figure, most of a chart's cost); the template is the same every time, so a fresh copy of
    the one validated once is stored as it is. The figure's JSON is the same.
    """
    import json

    layout = fig.layout
    layout._validate = False
    try:
        layout["template"] = json.loads(_template_json())
    finally:
        layout._validate = True


def apply_theme(fig: go.Figure, lang: str = "th", height: int | None = None) -> go.Figure:
    """Apply the house style to ``fig`` in place and return it."""
    check_lang(lang)
    _set_template(fig)
    fig.update_layout(
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


def title_of(title: str | None) -> dict[str, object] | None:
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


def wrap_label(label_text: object, width: int = 38) -> str:
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


def month_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    return [fiscal_month_label(int(y), int(m), lang)
            for y, m in zip(frame["fiscal_year"], frame["fiscal_month"], strict=True)]


def values_of(series: pd.Series, scale: float = 1.0) -> list[float | None]:
    """Plain floats for plotly, ``None`` where missing (plotly leaves a gap)."""
    return [None if is_missing(v) else float(v) * scale for v in series]


def empty_figure(fig: go.Figure, lang: str) -> go.Figure:
    fig.add_annotation(text=text("no_data", lang), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
