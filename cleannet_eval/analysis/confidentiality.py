"""Confidentiality helpers: the hidden-number marker, blanking hidden rows, shown comments.

Which survey cell is hidden is decided in one place only, the dataset's disclosure pattern
(:mod:`cleannet_eval.disclosure`): every table, summary, comparison, chart and report asks it.
This module holds what the outputs share around it: the :data:`SUPPRESSED` column,
:func:`suppression_label` (``"n < 5"``), :func:`blank_rows` (blanks what a pattern hides) and
:func:`visible_comments` (the comments of the groups the pattern publishes at the comments'
minimum group size).

Hidden cells read ``"n < 5"`` (with the actual threshold), never a number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config
from ..errors import CleannetError, ConfigError

#: Column added to every suppressed table: ``True`` where a row's numbers are hidden.
SUPPRESSED = "suppressed"


def suppression_label(min_size: int | None = None) -> str:
    """The text shown in place of a hidden number: ``"n < 5"`` for the default threshold.

    Examples
    --------
    >>> suppression_label(), suppression_label(10)
    ('n < 5', 'n < 10')
    """
    return f"n < {_min_size(min_size)}"


def blank_rows(frame: pd.DataFrame, rows: np.ndarray, columns: Sequence[str]) -> None:
    """Set ``columns`` to missing where ``rows`` is true, in place (call it on your own copy).

    Float columns get ``NaN``; integer and boolean columns become nullable (``Int64``,
    ``boolean``) with ``<NA>``; any other column becomes ``object`` with ``None``.
    """
    rows = np.asarray(rows, dtype=bool)
    if not rows.any():
        return
    for col in columns:
        series = frame[col]
        dtype = series.dtype
        if isinstance(dtype, (pd.Int64Dtype, pd.Float64Dtype, pd.BooleanDtype)):
            series = series.copy()
            series[rows] = pd.NA
        elif pd.api.types.is_float_dtype(dtype):
            series = series.copy()
            series[rows] = np.nan
        elif pd.api.types.is_bool_dtype(dtype):
            series = series.astype("boolean")
            series[rows] = pd.NA
        elif pd.api.types.is_integer_dtype(dtype):
            series = series.astype("Int64")
            series[rows] = pd.NA
        else:
            series = series.astype(object)
            series[rows] = None
        frame[col] = series


def visible_comments(
    survey: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    min_size: int | None = None,
    comment: str = "comment",
) -> pd.DataFrame:
    """The free-text comments that may be shown: only from groups of at least ``min_size``.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    by
        Grouping column(s) the comments are shown by, or ``None`` for the whole table.
    min_size
        Minimum number of respondents in a group; default ``config.MIN_COMMENT_GROUP_SIZE`` (10).
    comment
        The comment column.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns and ``comment`` of every non-empty comment of a shown group, in
        group order then survey order.

    Notes
    -----
    Group size is the number of respondents (rows) in the group, not the number of comments.
    Which groups are shown is the survey's disclosure pattern at ``min_size``
    (:mod:`cleannet_eval.disclosure`), secondary suppression included: otherwise the comments
    of a hidden group would be "all comments minus the shown groups' comments".

    Examples
    --------
    >>> s = pd.DataFrame({"unit": ["A"] * 10 + ["B"] * 3, "comment": ["ok"] + [None] * 12})
    >>> visible_comments(s, "unit").to_dict("records")
    []
    >>> visible_comments(s, "unit", min_size=3).to_dict("records")
    [{'unit': 'A', 'comment': 'ok'}]
    """
    size = _min_size(min_size, config.MIN_COMMENT_GROUP_SIZE)
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    missing = [c for c in (*by_cols, comment) if c not in survey.columns]
    if missing:
        raise CleannetError(
            f"Column(s) {', '.join(map(repr, missing))} not in the survey table. "
            f"Columns: {', '.join(map(str, survey.columns))}"
        )
    text = survey[comment].astype("string").str.strip()
    has_text = text.notna() & (text != "")
    if not by_cols:
        if len(survey) < size:
            return pd.DataFrame({comment: pd.Series([], dtype=object)})
        return pd.DataFrame({comment: text[has_text].to_numpy(dtype=object)})
    from ..disclosure import PUBLISHED, disclosure

    pattern = disclosure(survey, size)
    groups = survey.groupby(by_cols, dropna=False, sort=True)
    status, _ = pattern.group_statuses(survey, by_cols)
    sizes = groups.size().rename("n").reset_index()
    hidden = np.asarray(status != PUBLISHED, dtype=bool)
    shown = sizes.loc[~hidden, by_cols].assign(_order=np.arange(int((~hidden).sum())))
    keys = survey.loc[has_text, by_cols].reset_index(drop=True).reset_index(names="_row")
    rows = keys.merge(shown, how="inner", on=by_cols).sort_values(
        ["_order", "_row"], kind="stable"
    )
    result = rows[by_cols].reset_index(drop=True)
    result[comment] = text[has_text].to_numpy(dtype=object)[rows["_row"].to_numpy()]
    return result


def _min_size(min_size: int | None, default: int | None = None) -> int:
    if min_size is None:
        value = default if default is not None else config.MIN_GROUP_SIZE
    else:
        value = min_size
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"Minimum group size must be a whole number >= 1, got {value!r}")
    return int(value)
