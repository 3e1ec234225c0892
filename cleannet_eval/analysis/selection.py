"""Checks of the selection every participation and network measure takes.

A fiscal year, a unit, a choice among named options, the columns a table must have, and the
fiscal years a dataset has data for: each is checked here once, with a message that lists the
valid values.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..calendar import BE_THRESHOLD, fiscal_year_bounds, years_with_data
from ..errors import CleannetError, ConfigError

__all__ = [
    "Selection",
    "check_choice",
    "check_fiscal_year",
    "check_selection",
    "check_unit",
    "dataset_tables",
    "dataset_years",
    "fiscal_year_end",
    "fiscal_year_start",
    "require_columns",
    "rows_of",
    "years_with_data",
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
    """Fiscal years with attendance, a headcount or a roster join, ascending
    (:func:`years_with_data` of those tables: what the participation and network measures
    can be asked for)."""
    return years_with_data(attendance, units, roster=roster)


def rows_of(frame: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None,
            year_column: str | None = "fiscal_year", keep_missing_unit: bool = False
            ) -> pd.DataFrame:
    """The rows of one fiscal year and unit (``None``: every year, the whole department).

    A missing year or unit never matches the one asked for (citizens have no unit), except
    that ``keep_missing_unit`` keeps the rows whose unit compares as missing (``<NA>`` in a
    ``string`` column: a table's department rows).

    Examples
    --------
    >>> t = pd.DataFrame({"fiscal_year": [2550, 2551, 2551],
    ...                   "unit": pd.array(["A", "A", None], dtype="string")})
    >>> rows_of(t, fiscal_year=2551, unit="A").index.tolist()
    [1]
    >>> rows_of(t, unit="A", keep_missing_unit=True).index.tolist()
    [0, 1, 2]
    >>> len(rows_of(t))
    3
    """
    mask = np.ones(len(frame), dtype=bool)
    if fiscal_year is not None and year_column:
        mask &= (frame[year_column] == fiscal_year).fillna(False).to_numpy(dtype=bool)
    if unit is not None:
        mask &= (frame["unit"] == unit).fillna(keep_missing_unit).to_numpy(dtype=bool)
    return frame[mask]


@dataclass(frozen=True, eq=False)
class Selection:
    """A report's frozen selection: fiscal year, unit and the data they are taken from.

    Attributes
    ----------
    fiscal_year
        BE fiscal year, or ``None`` for every year.
    unit
        The unit, or ``None`` for the whole department.
    dataset
        The whole :class:`~cleannet_eval.dataset.Dataset` (every year and unit).
    """

    fiscal_year: int | None
    unit: str | None
    dataset: object

    def rows(self, frame: pd.DataFrame, year_column: str | None = "fiscal_year"
             ) -> pd.DataFrame:
        """``frame``'s rows of the selection's fiscal year (unless ``year_column`` is None)
        and unit."""
        return rows_of(frame, fiscal_year=self.fiscal_year, unit=self.unit,
                       year_column=year_column)

    def unit_rows(self, frame: pd.DataFrame, keep_missing_unit: bool = False) -> pd.DataFrame:
        """``frame``'s rows of the selection's unit, every row for the whole department."""
        return rows_of(frame, unit=self.unit, keep_missing_unit=keep_missing_unit)

    @property
    def fiscal_years(self) -> list[int]:
        """The dataset's fiscal years with data (:func:`years_with_data`)."""
        return self.dataset.fiscal_years  # type: ignore[attr-defined]


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
