"""Confidentiality: hide small groups, and enough of their siblings that they cannot be recovered.

The survey outputs (tables, summary, comparisons, reports) do not use these rules any more:
they all ask the dataset's one disclosure pattern, :mod:`cleannet_eval.disclosure`, which also
decides :func:`visible_comments`. :func:`suppress_small_groups` and :func:`suppression_mask`
remain for a single stand-alone table (they protect that table only, not combinations of
tables), and :func:`blank_rows` blanks what a pattern hides.

Rules (documented in :func:`suppression_mask`):

1. *Primary*: a cell whose count is below ``min_size`` (``config.MIN_GROUP_SIZE``, 5) is hidden.
2. *Secondary*: in every set of sibling cells that add up to a published total, if exactly one
   cell is hidden, the next-smallest sibling is hidden too; and while the hidden siblings
   together still count fewer than ``min_size`` respondents, the next-smallest visible sibling
   is added. So ``total − shown siblings`` only ever gives the combined figure of two or more
   hidden groups, of at least ``min_size`` respondents.

Hidden cells read ``"n < 5"`` (with the actual threshold), never a number — including cells that
were hidden by the secondary rule, so a reader cannot tell which hidden group is the small one.
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


def suppression_mask(
    n: Sequence[float] | np.ndarray,
    equations: Sequence[tuple[int | None, Sequence[int]]],
    *,
    min_size: int | None = None,
) -> np.ndarray:
    """Which cells to hide: primary suppression plus secondary suppression over linked totals.

    Parameters
    ----------
    n
        The count (respondents) of every cell; missing counts as 0.
    equations
        Every published additive relation ``total = sum(children)``, as
        ``(total_index, children_indices)``. ``total_index`` is the position of the total in
        ``n`` when the total is itself a cell that may be hidden, or ``None`` when the total is
        published outside these cells (e.g. the whole-survey figure).
    min_size
        Minimum group size; default ``config.MIN_GROUP_SIZE`` (5).

    Returns
    -------
    numpy.ndarray of bool
        ``True`` for each hidden cell.

    Notes
    -----
    Primary: hide every cell with ``n < min_size``. Secondary: while some equation is
    *exposed*, hide one more cell of it. An equation is exposed when

    * exactly one of its members (total or child) is hidden — it could be recovered by
      subtraction (empty cells, ``n = 0``, are hidden but do not count: they add nothing); or
    * its total is visible and the hidden children together count fewer than ``min_size`` —
      their combined figure (``total − visible children``) would describe a small group.

    The cell hidden is a visible child of the first exposed equation or, for the first case,
    its total if that total is itself a child elsewhere (a margin, never a top-level total).
    Among those, the cell in the most exposed equations is taken (one cell can protect a row
    and a column at once), then the smallest ``n``, then the first position. Hiding only ever
    grows, so this ends; an equation with nothing left to hide is left as it is.

    For one table of sibling groups this is the issue's rule — "if exactly one group in a set
    of siblings is suppressed, also suppress the next-smallest sibling" — made safe for two
    tiny groups hidden together (1 + 2 respondents); it also protects linked tables such as
    unit × fiscal year with their margins.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). Statistical Disclosure Control, ch. 4 (cell suppression).
       Wiley.
    .. [2] Microsoft Viva Glint: minimum group size 5 for scores, 10 for comments, with
       secondary suppression of sibling groups.

    Examples
    --------
    >>> suppression_mask([3, 12, 7, 30], [(None, [0, 1, 2, 3])]).tolist()
    [True, False, True, False]
    """
    size = _min_size(min_size)
    counts = np.nan_to_num(np.asarray(n, dtype="float64"), nan=0.0)
    hidden = counts < size
    eqs = [
        (parent, np.asarray(children, dtype=np.intp))
        for parent, children in equations
        if len(children) > 0
    ]
    is_child = np.zeros(len(counts), dtype=bool)
    for _, children in eqs:
        is_child[children] = True
    member_of: dict[int, list[int]] = {}
    for e, (parent, children) in enumerate(eqs):
        for cell in [*children.tolist(), *([] if parent is None else [parent])]:
            member_of.setdefault(int(cell), []).append(e)

    def exposure(e: int) -> str | None:
        parent, children = eqs[e]
        child_hidden = hidden[children]
        parent_hidden = parent is not None and bool(hidden[parent])
        n_hidden = int((child_hidden & (counts[children] > 0)).sum())
        n_hidden += int(parent_hidden and counts[parent] > 0)
        if n_hidden == 1:
            return "single"
        if not parent_hidden and child_hidden.any() and counts[children][child_hidden].sum() \
                < size:
            return "small"
        return None

    stuck: set[int] = set()
    while True:
        exposed = {e for e in range(len(eqs)) if e not in stuck and exposure(e)}
        if not exposed:
            break
        first = min(exposed)
        parent, children = eqs[first]
        candidates = [int(c) for c in children if not hidden[c]]
        if exposure(first) == "single" and parent is not None and not hidden[parent] \
                and is_child[parent]:
            candidates.append(int(parent))
        if not candidates:
            stuck.add(first)
            continue
        pick = min(
            candidates,
            key=lambda c: (-sum(e in exposed for e in member_of[c]), counts[c], c),
        )
        hidden[pick] = True
    return hidden


def sibling_equations(
    keys: pd.DataFrame, by: Sequence[str], within: Sequence[str] = ()
) -> list[tuple[None, np.ndarray]]:
    """The additive relations of a breakdown table whose totals are published elsewhere.

    For each column ``c`` of ``by``, the rows that share every other ``by`` column and every
    ``within`` column are siblings adding up to one (published) total. With a single ``by``
    column that is one set per ``within`` value; with ``by=[fiscal_year, unit]`` the rows
    form a year × unit table whose every row and column is a set.

    Parameters
    ----------
    keys
        One row per table row, holding at least the ``by`` and ``within`` columns.
    by
        The grouping columns.
    within
        Columns that split the table into independent sub-tables (e.g. ``factor``).

    Returns
    -------
    list of (None, numpy.ndarray)
        Row positions of each sibling set, for :func:`suppression_mask`.
    """
    positions = pd.RangeIndex(len(keys))
    equations: list[tuple[None, np.ndarray]] = []
    frame = keys.reset_index(drop=True)
    for col in by:
        others = [c for c in (*within, *by) if c != col]
        if others:
            grouped = frame.groupby(others, dropna=False, sort=False).indices
            equations.extend((None, np.asarray(idx)) for idx in grouped.values())
        else:
            equations.append((None, positions.to_numpy()))
    return equations


def suppress_small_groups(
    table: pd.DataFrame,
    by: str | Sequence[str],
    *,
    n: str = "n",
    within: str | Sequence[str] | None = None,
    min_size: int | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hide the numbers of small groups in a breakdown table, with secondary suppression.

    Parameters
    ----------
    table
        One row per group (per ``within`` value); not modified.
    by
        The grouping column(s), e.g. ``"unit"`` or ``["fiscal_year", "unit"]``.
    n
        The column holding each row's count (respondents with a value).
    within
        Column(s) splitting the table into independent sub-tables, e.g. ``"factor"`` in a
        long factor table: each factor's groups are siblings of each other only.
    min_size
        Minimum group size; default ``config.MIN_GROUP_SIZE`` (5).
    columns
        Columns to blank in hidden rows; default every column except ``by`` and ``within``.
        ``n`` is always blanked.

    Returns
    -------
    pandas.DataFrame
        A copy, with hidden values set to missing and a boolean ``suppressed`` column.

    Raises
    ------
    CleannetError
        A column named in ``by``, ``within``, ``n`` or ``columns`` is missing.

    Notes
    -----
    Sibling sets come from :func:`sibling_equations`, the cells to hide from
    :func:`suppression_mask`: below ``min_size`` (primary), and, wherever exactly one sibling
    would be hidden or the hidden siblings together count fewer than ``min_size``, the
    next-smallest sibling(s) too (secondary). The totals are assumed to be published (by the
    same function called without ``by``), so no hidden figure can be recovered from the total
    and the shown siblings. Protection covers one table (and, with two ``by`` columns, every
    row and column of the cross-table); combining arbitrary separately-built tables can still
    leak and is the caller's responsibility.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": list("ABCD"), "n": [3, 12, 7, 30], "mean": [4.0, 3.5, 3.9, 4.2]})
    >>> print(suppress_small_groups(t, "unit"))
      unit     n  mean  suppressed
    0    A  <NA>   NaN        True
    1    B    12   3.5       False
    2    C  <NA>   NaN        True
    3    D    30   4.2       False
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    within_cols = [] if within is None else ([within] if isinstance(within, str) else list(within))
    needed = [*by_cols, *within_cols, n, *(columns or [])]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise CleannetError(
            f"Column(s) {', '.join(map(repr, missing))} not in the table. "
            f"Columns: {', '.join(map(str, table.columns))}"
        )
    if columns is None:
        columns = [c for c in table.columns if c not in (*by_cols, *within_cols, SUPPRESSED)]
    elif n not in columns:
        columns = [n, *columns]
    equations = sibling_equations(table[[*by_cols, *within_cols]], by_cols, within_cols)
    hidden = suppression_mask(
        table[n].to_numpy(dtype="float64", na_value=np.nan), equations, min_size=min_size
    )
    out = table.copy()
    if SUPPRESSED in out.columns:
        hidden = hidden | out[SUPPRESSED].to_numpy(dtype=bool)
    blank_rows(out, hidden, columns)
    out[SUPPRESSED] = hidden
    return out


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
