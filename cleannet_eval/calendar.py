"""The Thai fiscal calendar and the Buddhist Era: the bottom room every layer may use.

* BE (Buddhist Era) = CE + 543. A year above 2400 is taken to be BE.
* The Thai government fiscal year runs 1 October - 30 September and is named by the BE year in
  which it ends: fiscal year 2551 is 1 Oct 2007 - 30 Sep 2008.

No I/O, no state; it depends on nothing else in the package.
"""

from __future__ import annotations

import datetime

import pandas as pd

__all__ = [
    "BE_OFFSET",
    "BE_THRESHOLD",
    "FIRST_FISCAL_MONTH",
    "be_year",
    "ce_year",
    "fiscal_month",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "fiscal_years",
    "years_with_data",
]


#: Difference between Buddhist Era and Common Era years.
BE_OFFSET: int = 543


#: A year above this is read as a BE year.
BE_THRESHOLD: int = 2400


# --------------------------------------------------------------------------------------------
# Years and months
# --------------------------------------------------------------------------------------------


def be_year(ce_year: int) -> int:
    """BE year of a CE year (``2007`` -> ``2550``).

    Examples
    --------
    >>> be_year(2007)
    2550
    """
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    """CE year of a BE year (``2550`` -> ``2007``).

    Examples
    --------
    >>> ce_year(2550)
    2007
    """
    return be_year - BE_OFFSET


# --------------------------------------------------------------------------------------------
# Fiscal years
# --------------------------------------------------------------------------------------------

#: The fiscal year starts on 1 October.
FIRST_FISCAL_MONTH = 10


def fiscal_year_of(day: datetime.date) -> int:
    """BE fiscal year a (CE) date falls in; the year starts on 1 October.

    Examples
    --------
    >>> fiscal_year_of(datetime.date(2007, 9, 30)), fiscal_year_of(datetime.date(2007, 10, 1))
    (2550, 2551)
    """
    return be_year(day.year) + (1 if day.month >= FIRST_FISCAL_MONTH else 0)


def _as_datetimes(dates: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(dates):
        return dates
    return pd.to_datetime(dates)


def fiscal_years(dates: pd.Series) -> pd.Series:
    """BE fiscal year of each date, ``Int64`` with ``<NA>`` for ``NaT``.

    Parameters
    ----------
    dates
        ``datetime64`` dates as returned by :func:`cleannet_eval.ingest.thai.parse_dates` (other
        Series are passed through :func:`pandas.to_datetime`).

    Returns
    -------
    pd.Series
        Fiscal years on the same index.

    Examples
    --------
    >>> fiscal_years(pd.Series(pd.to_datetime(["2007-09-30", "2007-10-01", None]))).tolist()
    [2550, 2551, <NA>]
    """
    moments = _as_datetimes(dates)
    year = moments.dt.year.astype("Int64")
    starts_next = (moments.dt.month >= FIRST_FISCAL_MONTH).astype("Int64")
    return (year + BE_OFFSET + starts_next).rename(dates.name)


def fiscal_month(dates: pd.Series) -> pd.Series:
    """Month of the fiscal year, 1 (October) to 12 (September), ``Int64`` with ``<NA>``.

    Examples
    --------
    >>> fiscal_month(pd.Series(pd.to_datetime(["2007-10-01", "2008-09-30", None]))).tolist()
    [1, 12, <NA>]
    """
    month = _as_datetimes(dates).dt.month.astype("Int64")
    return ((month - FIRST_FISCAL_MONTH) % 12 + 1).rename(dates.name)


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a BE fiscal year.

    Parameters
    ----------
    fiscal_year
        BE fiscal year, e.g. 2551.

    Returns
    -------
    tuple of datetime.date
        1 October of the year before and 30 September of the year itself, in CE.

    Examples
    --------
    >>> fiscal_year_bounds(2551)
    (datetime.date(2007, 10, 1), datetime.date(2008, 9, 30))
    """
    if fiscal_year <= BE_THRESHOLD:
        raise ValueError(f"fiscal year {fiscal_year} is not a BE year; expected e.g. 2551")
    last_year = ce_year(fiscal_year)
    return datetime.date(last_year - 1, 10, 1), datetime.date(last_year, 9, 30)


def years_with_data(*tables: pd.DataFrame | None, roster: pd.DataFrame | None = None
                    ) -> list[int]:
    """The fiscal years with data: the one definition every check and notebook uses.

    A year has data in a table when one of its rows carries it in ``fiscal_year`` (missing
    years are no year); a roster has data in the fiscal year each person ``joined``.

    Parameters
    ----------
    *tables
        Tables with a ``fiscal_year`` column (attendance, units, survey); ``None`` or a table
        without the column adds nothing.
    roster
        The network roster, counted by the fiscal year of ``joined``.

    Returns
    -------
    list of int
        The BE fiscal years, ascending.

    Examples
    --------
    >>> attendance = pd.DataFrame({"fiscal_year": [2551, 2551, None]})
    >>> roster = pd.DataFrame({"joined": pd.to_datetime(["2006-10-01"])})
    >>> years_with_data(attendance, None, roster=roster)
    [2550, 2551]
    """
    years: set[int] = set()
    for table in tables:
        if table is not None and "fiscal_year" in table and len(table):
            years.update(int(y) for y in pd.unique(table["fiscal_year"].dropna().astype("int64")))
    if roster is not None and "joined" in roster and roster["joined"].notna().any():
        joined = pd.to_datetime(roster["joined"])
        years.update(int(y) for y in pd.unique(fiscal_years(joined).dropna().astype("int64")))
    return sorted(years)
