"""Numbers and dates as readers write them, in Thai or English.

One place for how a report, a chart, a narrative sentence or a dossier prints a count, a
mean, a share, a fiscal year or a month: half-up rounding as in a printed table, thousands
separators, ``–`` for a missing value, Buddhist-Era years and Thai month names in Thai.
"""

from __future__ import annotations

import math

import pandas as pd

from .analysis.bands import round_half_up
from .i18n import text
from .ingest.thai import thai_month_name

__all__ = [
    "LANGS",
    "check_lang",
    "EN_MONTHS",
    "fiscal_month_label",
    "format_number",
    "format_p",
    "format_percent",
    "is_missing",
    "p_clause",
    "year_label",
]


#: The languages every output is written in.
LANGS: tuple[str, ...] = ("th", "en")


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"th"`` or ``"en"``; a clear error otherwise."""
    if lang not in LANGS:
        raise ValueError(f"Unsupported language {lang!r}. Supported: th, en")
    return lang


EN_MONTHS = ("Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep")


def year_label(fiscal_year: int, lang: str = "th") -> str:
    """A fiscal year as readers write it: ``"ปีงบประมาณ 2551"`` or ``"FY2551 (2007–08)"``.

    Examples
    --------
    >>> year_label(2551), year_label(2551, "en")
    ('ปีงบประมาณ 2551', 'FY2551 (2007–08)')
    """
    fiscal_year = int(fiscal_year)
    ce_end = fiscal_year - 543
    return text("period.fiscal_year", check_lang(lang), year=fiscal_year,
                span=f"{ce_end - 1}–{str(ce_end)[-2:]}")


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
    if check_lang(lang) == "th":
        return f"{thai_month_name(calendar_month, short=True)} {str(be_year)[-2:]}"
    return f"{EN_MONTHS[fiscal_month - 1]} {be_year - 543}"


def is_missing(value: object) -> bool:
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
    if is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if math.isinf(number):
        return "–"
    return f"{round_half_up(number, decimals):,.{decimals}f}"


def format_percent(share: object, decimals: int = 1) -> str:
    """A share (0–1) as a percentage: ``0.1505`` → ``"15.1%"``; ``–`` if missing."""
    if is_missing(share):
        return "–"
    return f"{format_number(float(share) * 100, decimals)}%"  # type: ignore[arg-type]


def format_p(value: object) -> str:
    """A p-value as tables print it: ``0.038``, ``< 0.001``; ``–`` when undefined.

    Examples
    --------
    >>> format_p(0.0384), format_p(0.0004), format_p(None)
    ('0.038', '< 0.001', '–')
    """
    if is_missing(value):
        return "–"
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"  # type: ignore[arg-type]


def p_clause(value: object) -> str:
    """A p-value as a sentence writes it after ``p``: ``= 0.038``, ``< 0.001``, ``= –``.

    Examples
    --------
    >>> "p " + p_clause(0.0384), "p " + p_clause(0.0004)
    ('p = 0.038', 'p < 0.001')
    """
    text = format_p(value)
    return text if text.startswith("<") else f"= {text}"
