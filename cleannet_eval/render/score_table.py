"""The success-factor table as the ``score`` command prints it: aligned text, CSV or JSON.

Text is aligned for a terminal (Thai vowel and tone marks take no column); CSV cells that a
spreadsheet would run as a formula are neutralised; JSON numbers are rounded as in the summary.
Hidden groups show their label (:func:`cleannet_eval.analysis.scoring.hidden_text`), never a
number.
"""

from __future__ import annotations

import io
import json
import unicodedata

import numpy as np
import pandas as pd

from .. import config, vocab
from ..analysis.bands import round_half_up
from ..analysis.confidentiality import SUPPRESSED
from ..analysis.grouping import GROUP_COLUMNS
from ..analysis.scoring import hidden_text
from ..analysis.selection import check_choice
from ..analysis.tables import jsonable
from ..i18n import LANGS, area
from ..safety import neutralise_frame

__all__ = ["FORMATS", "render_factor_table"]

#: Output formats of :func:`render_factor_table`.
FORMATS: tuple[str, ...] = ("table", "csv", "json")
_STAT_COLUMNS = ("n", "mean", "sd", "ci_low", "ci_high", "level_th", "level_en", "rank")


# --------------------------------------------------------------------------- rendering

#: Column headings: the catalogue's ``score_table`` area (data/words/words.yaml).
_HEADERS = {lang: area("score_table", lang) for lang in LANGS}


def _group_label(column: str, value: object, lang: str) -> str:
    if column == "fiscal_year" and not (value is None or pd.isna(value)):
        return str(int(value))
    return vocab.group_label(column, value, lang)


def _width(text: str) -> int:
    """Display width in a terminal: Thai vowel and tone marks take no column."""
    width = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _fmt2(x: object) -> str:
    return f"{round_half_up(float(x)):.2f}"


def render_factor_table(
    table: pd.DataFrame,
    fmt: str = "table",
    *,
    lang: str = "th",
    min_group_size: int | None = None,
) -> str:
    """Render a :func:`factor_table` (or :func:`item_table`) as text, CSV or JSON.

    Parameters
    ----------
    table
        The output of :func:`factor_table` or :func:`item_table` (not modified).
    fmt
        ``"table"``: aligned plain text for a terminal, 2-decimal means as in a printed report;
        ``"csv"``: every column, numbers to 4 decimals, UTF-8 with a header;
        ``"json"``: a list of records, numbers to 4 decimals.
    lang
        ``"th"`` or ``"en"``: names, levels and group labels in the plain-text table.
    min_group_size
        Threshold shown in hidden cells; default ``table.attrs["min_group_size"]`` or
        ``config.MIN_GROUP_SIZE``.

    Returns
    -------
    str

    Notes
    -----
    Hidden (suppressed) cells read ``"n < 5"`` (the actual threshold) in ``table`` and ``csv``
    output — never a number. In ``json`` the numbers of a hidden row are ``null``, with
    ``"suppressed": true`` and ``"note": "n < 5"``, the same convention as the summary.

    Examples
    --------
    >>> t = pd.DataFrame({"factor": ["personnel"], "name_th": ["บุคลากร"], "name_en": ["Personnel"],
    ...                   "n": [12], "mean": [4.505], "sd": [0.5], "ci_low": [4.2],
    ...                   "ci_high": [4.8], "level_th": ["มากที่สุด"], "level_en": ["Very high"],
    ...                   "rank": [1], "suppressed": [False]})
    >>> print(render_factor_table(t, "table", lang="en"))
    Factor     n   Mean  S.D.  95% CI        Level      Rank
    ---------  --  ----  ----  ------------  ---------  ----
    Personnel  12  4.51  0.50  [4.20, 4.80]  Very high  1
    """
    check_choice("format", fmt, FORMATS)
    check_choice("language", lang, ("th", "en"))
    size = min_group_size if min_group_size is not None else table.attrs.get(
        "min_group_size", config.MIN_GROUP_SIZE)
    hidden = (table[SUPPRESSED].to_numpy(dtype=bool) if SUPPRESSED in table.columns
              else np.zeros(len(table), dtype=bool))
    marks = [hidden_text(table, i, lang, size) if hidden[i] else None
             for i in range(len(table))]
    stat_cols = [c for c in table.columns if c in _STAT_COLUMNS or c.startswith("share_")]
    if fmt == "json":
        records = []
        for i, row in enumerate(table.to_dict("records")):
            record = {k: jsonable(v) for k, v in row.items()}
            record[SUPPRESSED] = bool(hidden[i])
            record["note"] = marks[i]
            records.append(record)
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = pd.DataFrame(
            {
                col: pd.Series(
                    [marks[i] if hidden[i] and col in stat_cols else jsonable(v)
                     for i, v in enumerate(table[col])],
                    dtype=object,
                )
                for col in table.columns
            }
        )
        buffer = io.StringIO()
        # Unit names come from spreadsheets: no cell may open as a formula in Excel.
        neutralise_frame(out).to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    return _text_table(table, lang, hidden, marks)


def _text_table(table: pd.DataFrame, lang: str, hidden: np.ndarray,
                marks: list[str | None]) -> str:
    heads = _HEADERS[lang]
    by_cols = [c for c in table.attrs.get("by", []) if c in table.columns]
    if not by_cols:
        by_cols = [c for c in GROUP_COLUMNS if c in table.columns]
    is_item = "item" in table.columns
    header = [heads.get(c, c) for c in by_cols]
    header += [heads["item"], heads["text"]] if is_item else [heads["factor"]]
    header += [heads["n"], heads["mean"], heads["sd"]]
    has_ci = "ci_low" in table.columns
    header += [heads["ci"]] if has_ci else []
    header += [heads["level"], heads["rank"]]
    lines = [header]
    for i, row in enumerate(table.to_dict("records")):
        cells = [_group_label(c, row[c], lang) for c in by_cols]
        if is_item:
            cells.append(str(row["item"]))
            cells.append(str(row.get(f"text_{lang}", "")))
        else:
            cells.append(str(row.get(f"name_{lang}", row["factor"])))
        if hidden[i] and str(marks[i]).startswith("n <"):
            cells += [str(marks[i])] * (3 + int(has_ci)) + [str(marks[i]), ""]
        elif hidden[i]:  # hidden to protect a small group: say so once
            cells += [str(marks[i])] + [""] * (2 + int(has_ci)) + ["", ""]
        else:
            cells.append(str(int(row["n"])))
            cells.append("" if pd.isna(row["mean"]) else _fmt2(row["mean"]))
            cells.append("" if pd.isna(row["sd"]) else _fmt2(row["sd"]))
            if has_ci:
                cells.append("" if pd.isna(row["ci_low"]) else
                             f"[{_fmt2(row['ci_low'])}, {_fmt2(row['ci_high'])}]")
            cells.append(str(row.get(f"level_{lang}") or ""))
            cells.append("" if pd.isna(row["rank"]) else str(int(row["rank"])))
        lines.append(cells)
    widths = [max(_width(line[j]) for line in lines) for j in range(len(header))]
    rule = ["-" * w for w in widths]
    out = []
    for line in [lines[0], rule, *lines[1:]]:
        padded = [cell + " " * (widths[j] - _width(cell)) for j, cell in enumerate(line)]
        out.append("  ".join(padded).rstrip())
    return "\n".join(out)
