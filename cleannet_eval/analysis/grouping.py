"""Groups of respondents: which columns a table may be broken down by, and each group's
n, mean, S.D. and confidence interval (the long table factor, item and comparison tables start
from)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import CleannetError

__all__ = ["GROUP_COLUMNS", "check_by", "describe_groups"]

#: Columns of the survey table a result may be broken down by.
GROUP_COLUMNS: tuple[str, ...] = ("unit", "staff_type", "role", "fiscal_year")


def check_by(survey: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    cols = [by] if isinstance(by, str) else list(by)
    if not cols:
        return []
    valid = [c for c in GROUP_COLUMNS if c in survey.columns]
    for col in cols:
        if col not in valid:
            raise CleannetError(f"Cannot break down by {col!r}. Valid: {', '.join(valid)}")
    if len(set(cols)) != len(cols):
        raise CleannetError(f"Grouping columns repeat: {', '.join(cols)}")
    return cols


# --------------------------------------------------------------------------- tables


def describe_groups(
    scores: pd.DataFrame, columns: list[str], by: list[str], ci: float
) -> pd.DataFrame:
    """Long table: by columns, ``factor``, n, mean, sd, ci_low, ci_high (no levels yet)."""
    if by:
        grouped = scores.groupby(by, dropna=False, sort=True, observed=True)[columns]
        count, mean, sd = grouped.count(), grouped.mean(), grouped.std(ddof=1)
        keys = count.index.to_frame(index=False)
    else:
        data = scores[columns]
        count = data.count().to_frame().T
        mean = data.mean().to_frame().T
        sd = data.std(ddof=1).to_frame().T
        keys = pd.DataFrame(index=range(1))
    groups, width = len(keys), len(columns)
    if not groups or not width:
        return _finish_long(_long_by_column(keys, columns, count, mean, sd), ci)
    # One row per (group, column), groups in order and columns in order within a group.
    long = keys.take(np.repeat(np.arange(groups), width)).reset_index(drop=True)
    long["factor"] = pd.Series(np.tile(np.array(columns, dtype=object), groups),
                               dtype=_label_dtype(columns))
    long["n"] = _stacked(count, columns, "int64")
    long["mean"] = _stacked(mean, columns, "float64")
    long["sd"] = _stacked(sd, columns, "float64")
    long["_group"] = np.repeat(np.arange(groups), width)
    long["_pos"] = np.tile(np.arange(width, dtype="int64"), groups)
    return _finish_long(long, ci)


def _long_by_column(keys: pd.DataFrame, columns: list[str], count: pd.DataFrame,
                    mean: pd.DataFrame, sd: pd.DataFrame) -> pd.DataFrame:
    """The long table built one column at a time (no groups or no columns: empty frames keep
    the dtypes pandas' concatenation gives them)."""
    parts = []
    for pos, col in enumerate(columns):
        part = keys.copy()
        part["factor"] = col
        part["n"] = count[col].to_numpy(dtype="int64")
        part["mean"] = mean[col].to_numpy(dtype="float64")
        part["sd"] = sd[col].to_numpy(dtype="float64")
        part["_group"] = np.arange(len(keys))
        part["_pos"] = pos
        parts.append(part)
    return pd.concat(parts, ignore_index=True).sort_values(["_group", "_pos"], kind="stable")


def _finish_long(long: pd.DataFrame, ci: float) -> pd.DataFrame:
    n = long["n"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + ci / 2, n - 1) * long["sd"].to_numpy() / np.sqrt(n)
    long["ci_low"] = long["mean"] - half
    long["ci_high"] = long["mean"] + half
    return long.reset_index(drop=True)


def _stacked(frame: pd.DataFrame, columns: list[str], dtype: str) -> np.ndarray:
    """``frame``'s columns side by side, read row by row (each column converted alone)."""
    if not len(frame) or not columns:
        return np.empty(0, dtype=dtype)
    return np.column_stack([frame[col].to_numpy(dtype=dtype) for col in columns]).reshape(-1)


def _label_dtype(columns: list[str]) -> object:
    """The dtype pandas gives a column assigned the scalar ``columns[0]``."""
    probe = pd.DataFrame(index=range(1))
    probe["x"] = columns[0] if columns else ""
    return probe["x"].dtype
