"""Checks of the selection every participation and network measure takes.

A fiscal year, a unit, a choice among named options, the columns a table must have, and the
fiscal years a dataset has data for: each is checked here once, with a message that lists the
valid values.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..calendar import BE_THRESHOLD, fiscal_year_bounds, fiscal_years
from ..errors import CleannetError, ConfigError

__all__ = [
    "check_choice",
    "check_fiscal_year",
    "check_selection",
    "check_unit",
    "dataset_tables",
    "dataset_years",
    "fiscal_year_end",
    "fiscal_year_start",
    "require_columns",
]


def require_columns(frame: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` if it is a DataFrame holding ``columns``; a one-line error otherwise."""
    if not isinstance(frame, pd.DataFrame):
        raise CleannetError(
            f"Expected the {name} table as a pandas DataFrame, got {type(frame).__name__}"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CleannetError(
            f"The {name} table lacks column(s) {', '.join(map(repr, missing))}. "
            f"Expected columns: {', '.join(columns)}"
        )
    return frame


def check_choice(name: str, value: object, valid: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in valid:
        raise ConfigError(f"Unknown {name} {value!r}. Valid: {', '.join(valid)}")
    return value


def check_fiscal_year(fiscal_year: object, name: str = "fiscal_year") -> int | None:
    """``None`` or the fiscal year as an ``int``, insisting on a BE year."""
    if fiscal_year is None:
        return None
    if isinstance(fiscal_year, (bool, np.bool_)) or not isinstance(fiscal_year, numbers.Integral):
        raise ConfigError(
            f"{name} must be a Buddhist Era year such as 2551 or None, got {fiscal_year!r}"
        )
    year = int(fiscal_year)
    if year <= BE_THRESHOLD:
        raise ConfigError(
            f"{name} {year} is not a Buddhist Era year; fiscal years are BE (CE + 543), "
            f"e.g. {year + 543}"
        )
    return year


def _listing(values: Iterable[object], limit: int = 20) -> str:
    items = [str(v) for v in values]
    if not items:
        return "none"
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … ({len(items)} in all)"


def _known_units(*columns: pd.Series) -> list[str]:
    units: set[str] = set()
    for column in columns:
        units.update(str(u) for u in pd.unique(column.dropna()))
    return sorted(units)


def check_unit(unit: object, *columns: pd.Series) -> str | None:
    """``None`` or ``unit``, which must appear in one of ``columns``."""
    if unit is None:
        return None
    known = _known_units(*columns)
    if not isinstance(unit, str) or unit not in known:
        raise ConfigError(f"Unknown unit {unit!r}. Units in the data: {_listing(known)}")
    return unit


def fiscal_year_start(fiscal_year: int) -> pd.Timestamp:
    return pd.Timestamp(fiscal_year_bounds(fiscal_year)[0])


def fiscal_year_end(fiscal_year: int) -> pd.Timestamp:
    """Last day (30 September) of a fiscal year."""
    return pd.Timestamp(fiscal_year_bounds(fiscal_year)[1])


def _years(values: pd.Series) -> pd.Series:
    """A fiscal-year column as ``int64`` with missing years dropped."""
    return values.dropna().astype("int64")


def dataset_tables(dataset: object) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    tables = []
    for name in ("units", "roster", "attendance"):
        table = getattr(dataset, name, None)
        if not isinstance(table, pd.DataFrame):
            raise CleannetError(
                f"Expected a Dataset with a {name!r} table, got {type(dataset).__name__}"
            )
        tables.append(table)
    return tables[0], tables[1], tables[2]


def dataset_years(units: pd.DataFrame, roster: pd.DataFrame, attendance: pd.DataFrame) -> list:
    """Fiscal years with attendance, a headcount or a roster join, ascending."""
    years: set[int] = set()
    if "fiscal_year" in attendance:
        years.update(int(y) for y in pd.unique(_years(attendance["fiscal_year"])))
    if "fiscal_year" in units:
        years.update(int(y) for y in pd.unique(_years(units["fiscal_year"])))
    if "joined" in roster and roster["joined"].notna().any():
        joined = pd.to_datetime(roster["joined"])
        years.update(int(y) for y in pd.unique(_years(fiscal_years(joined))))
    return sorted(years)


def check_selection(
    fiscal_year: object, unit: object, years: list[int], *unit_columns: pd.Series
) -> tuple[int | None, str | None]:
    """The summary selection, checked against the years and units the dataset holds."""
    year = check_fiscal_year(fiscal_year)
    if year is not None and year not in years:
        raise ConfigError(
            f"Fiscal year {year} has no attendance, roster or unit data. "
            f"Years with data: {_listing(years)}"
        )
    return year, check_unit(unit, *unit_columns)
