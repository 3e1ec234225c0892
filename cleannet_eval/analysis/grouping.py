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
    long = pd.concat(parts, ignore_index=True).sort_values(["_group", "_pos"], kind="stable")
    n = long["n"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + ci / 2, n - 1) * long["sd"].to_numpy() / np.sqrt(n)
    long["ci_low"] = long["mean"] - half
    long["ci_high"] = long["mean"] + half
    return long.reset_index(drop=True)
