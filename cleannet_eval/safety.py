"""Cells that a spreadsheet program cannot run: CSV/formula injection, neutralised.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before reading a formula) is taken as a formula by Excel, LibreOffice and
Google Sheets when a user opens a CSV file, and openpyxl writes a string that starts with ``=``
as a formula. Unit names, activity names and comments come from office spreadsheets, so every
CSV or Excel file written *for users* passes its cells through :func:`neutralise_cell` (or a
whole table through :func:`neutralise_frame`): such text gets a leading apostrophe, as OWASP
recommends, and is then shown as text. Numbers — negative ones included — are left alone.

References
----------
.. [1] OWASP, "CSV Injection". https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["FORMULA_TRIGGERS", "is_formula_like", "neutralise_cell", "neutralise_frame"]

#: First characters that make a spreadsheet program read a cell as a formula (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: What is put in front of a formula-like text.
PREFIX = "'"

# A plain decimal number written as text ("-12", "+3.5", "-1e-3"): a program reads it as a
# number, never as a formula, so it is left as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Leading blanks that a program may skip before it looks for a formula.
_LEADING_BLANKS = " \n\u00a0\u3000"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula.

    True when ``text`` starts — after any spaces, newlines or no-break spaces — with one of
    :data:`FORMULA_TRIGGERS`, unless the whole text is a plain decimal number.

    Examples
    --------
    >>> is_formula_like("=HYPERLINK(\\"http://x\\")"), is_formula_like("-12.5")
    (True, False)
    >>> is_formula_like(" @SUM(A1)"), is_formula_like("กองคลัง")
    (True, False)
    """
    if _NUMBER.fullmatch(text.strip()):
        return False
    head = text.lstrip(_LEADING_BLANKS)
    return text[:1] in FORMULA_TRIGGERS or head[:1] in FORMULA_TRIGGERS


def neutralise_cell(value: object) -> object:
    """A cell value that no spreadsheet program will run as a formula.

    Parameters
    ----------
    value
        Any cell value.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is text that :func:`is_formula_like`; every other value
        (numbers of any sign, dates, booleans, missing values, ordinary text) unchanged.

    Notes
    -----
    The apostrophe shows in the cell (a CSV file cannot hide it), which is what keeps the text
    inert; a reader sees ``'=1+1`` instead of ``2``. Write the CSV with normal quoting
    (``csv.QUOTE_MINIMAL`` or pandas' default) so that commas and quotes stay in the cell.

    Examples
    --------
    >>> neutralise_cell("=1+1"), neutralise_cell("@SUM(A1)"), neutralise_cell("\\t=1")
    ("'=1+1", "'@SUM(A1)", "'\\t=1")
    >>> neutralise_cell(-3.5), neutralise_cell("-3.5"), neutralise_cell("- ข้อเสนอ")
    (-3.5, '-3.5', "'- ข้อเสนอ")
    >>> neutralise_cell(None), neutralise_cell("n < 5")
    (None, 'n < 5')
    """
    if isinstance(value, str) and value and is_formula_like(value):
        return PREFIX + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column label passed through
    :func:`neutralise_cell`; ``frame`` itself is not modified.

    Numeric, date and boolean columns are returned as they are; only columns that can hold
    text (``object``, ``string`` and ``category``) are changed.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["=cmd|' /C calc'!A0", "กองคลัง"], "change": [-0.25, 0.5]})
    >>> neutralise_frame(t).to_dict("list")
    {'unit': ["'=cmd|' /C calc'!A0", 'กองคลัง'], 'change': [-0.25, 0.5]}
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[col] = series.astype(object).map(neutralise_cell)
        elif pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(
            series.dtype
        ):
            out[col] = series.map(neutralise_cell).astype(series.dtype)
    out.columns = [neutralise_cell(c) for c in out.columns]
    if isinstance(out.index, pd.Index) and not isinstance(out.index, pd.MultiIndex) and (
        pd.api.types.is_object_dtype(out.index.dtype)
        or pd.api.types.is_string_dtype(out.index.dtype)
    ):
        out.index = out.index.map(neutralise_cell)
    return out
