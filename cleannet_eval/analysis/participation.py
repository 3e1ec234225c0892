"""Participation in the programme's ethics activities: how many came, how often, from where.

Every function reads the processed ``attendance`` table (one row per person per activity:
``person_key, unit, staff_type, role, activity, date, fiscal_year``), never modifies it and
returns a tidy :class:`pandas.DataFrame` with stable column names. People appear only as counts
or as the pseudonymous ``person_key``; nothing here can show a name.

Conventions
-----------
* An *activity* is one ``(activity, date)`` pair: the same activity held on two days counts
  twice. An *attendance* is one attendance row. A *participant* is a distinct ``person_key``;
  rows without a key count as attendances but not as participants.
* Fiscal years are Buddhist Era (BE) and run 1 October – 30 September; ``fiscal_month`` 1 is
  October and 12 is September. ``fiscal_year=None`` means every fiscal year; ``unit=None``
  means the whole department.
* *Staff* are rows whose ``staff_type`` is not ``citizen`` (a missing staff type counts as
  staff). The citizen sector (ภาคประชาชน) has no unit, so it counts only department-wide.
* Units are taken as written: a sub-unit listed with a ``parent`` in the units table is a unit
  of its own, and its headcount is not part of its parent's.
* Rows without a ``fiscal_year`` are left out of every measure.

Speed: every measure works on integer codes of the columns (NumPy, SciPy sparse matrices and
bitmaps; no Python loop over rows). The codes of an Arrow-backed column are remembered while
that column lives (Arrow arrays are immutable, so they cannot go stale; see ``_memo``), so a
report that computes many measures of one table factorises its millions of person keys once.

Summary keys
------------
:func:`participation_summary` returns ``{"activities", "attendances", "unique_participants",
"coverage", "citizen_share"}`` for the fiscal year and unit asked:

``activities``
    Number of distinct activities (``activity``, ``date``) in the fiscal year(s) with at least
    one attendance row (for a unit: with at least one attendee whose attendance unit is it).
``attendances``
    Number of attendance rows in the fiscal year(s) (for a unit: rows whose ``unit`` is it).
``unique_participants``
    Number of distinct ``person_key`` among those rows (citizens included department-wide).
``coverage``
    Distinct staff (non-citizen) participants whose attendance unit is the unit (department:
    any unit of the units table) in a fiscal year, divided by the unit's (department: all
    units') headcount that year; over all years, the sum of the yearly distinct counts over
    the sum of the yearly headcounts (person-years), using only years with a headcount.
    ``None`` when there is no headcount.
``citizen_share``
    Share of the fiscal year's attendance rows whose ``staff_type`` is ``citizen`` (a share of
    attendances, not of people: citizens are often signed in without an ID). ``None`` for a
    unit (citizen rows carry no unit) or when there are no attendances.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .. import vocab
from ..errors import CleannetError, ConfigError
from ..ingest.thai import BE_THRESHOLD, fiscal_month, fiscal_year_bounds, fiscal_years
from ..shared import memoized

__all__ = [
    "ATTENDANCE_COLUMNS",
    "PARTICIPATION_KEYS",
    "activities_by_month",
    "coverage_by_unit",
    "participation_by_person",
    "participation_summary",
    "repeat_participation",
    "retention",
    "shares_by_group",
]

#: Columns of the attendance table the functions here read.
ATTENDANCE_COLUMNS: tuple[str, ...] = (
    "person_key", "unit", "staff_type", "role", "activity", "date", "fiscal_year",
)
#: Keys of :func:`participation_summary`, in order.
PARTICIPATION_KEYS: tuple[str, ...] = (
    "activities", "attendances", "unique_participants", "coverage", "citizen_share",
)
#: The staff type of the citizen sector (ภาคประชาชน).
CITIZEN = "citizen"
#: Group code used for a missing staff type or role.
UNKNOWN = "unknown"
#: Decimal places of the floats in summary dicts.
DIGITS = 4

_GROUPINGS: dict[str, dict[str, dict[str, str]]] = {
    "staff_type": vocab.STAFF_TYPES,
    "role": vocab.ROLES,
}
_RETENTION_BY: tuple[str, ...] = ("staff_type", "role", "unit")
_UNITS_COLUMNS: tuple[str, ...] = ("unit", "fiscal_year", "headcount")


# --------------------------------------------------------------------------------------------
# Shared helpers (also used by ``network``)
# --------------------------------------------------------------------------------------------


def _require(frame: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
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


def _check_choice(name: str, value: object, valid: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in valid:
        raise ConfigError(f"Unknown {name} {value!r}. Valid: {', '.join(valid)}")
    return value


def _check_fiscal_year(fiscal_year: object, name: str = "fiscal_year") -> int | None:
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


def _check_unit(unit: object, *columns: pd.Series) -> str | None:
    """``None`` or ``unit``, which must appear in one of ``columns``."""
    if unit is None:
        return None
    known = _known_units(*columns)
    if not isinstance(unit, str) or unit not in known:
        raise ConfigError(f"Unknown unit {unit!r}. Units in the data: {_listing(known)}")
    return unit


def _fy_start(fiscal_year: int) -> pd.Timestamp:
    return pd.Timestamp(fiscal_year_bounds(fiscal_year)[0])


def _fy_end(fiscal_year: int) -> pd.Timestamp:
    """Last day (30 September) of a fiscal year."""
    return pd.Timestamp(fiscal_year_bounds(fiscal_year)[1])


def _years(values: pd.Series) -> pd.Series:
    """A fiscal-year column as ``int64`` with missing years dropped."""
    return values.dropna().astype("int64")


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (``-1`` for missing) and the distinct values in order of first
    appearance (not sorted: sorting millions of keys costs more than the factorisation).
    Tables break ties by code, i.e. by first appearance in the input, which is deterministic
    (the processed tables are sorted by date and source row)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


def _arrow(series: pd.Series) -> object | None:
    """The immutable Arrow array behind a column, or ``None`` (NumPy-backed: mutable)."""
    array = series.array
    return array.__arrow_array__() if hasattr(array, "__arrow_array__") else None


#: Results computed from immutable Arrow columns, by ``id`` of those columns (see
#: :func:`_memo`); an entry disappears as soon as one of its columns is garbage-collected.
_MEMO: dict[tuple, tuple[list[weakref.ref], object]] = {}


def _memo(
    name: str, columns: Sequence[pd.Series], compute: Callable[[], object], salt: tuple = ()
) -> object:
    """``compute()``, remembered while the Arrow arrays behind ``columns`` live.

    Arrow arrays never change: editing a DataFrame gives its column a new array, so a cached
    result can never be stale. NumPy-backed columns (which pandas may edit in place) are never
    cached. This makes the second measure on the same table skip the costly factorisation of
    millions of person keys.
    """
    arrays = [_arrow(column) for column in columns]
    if any(a is None for a in arrays):
        return compute()
    key = (name, *map(id, arrays), *salt)
    hit = _MEMO.get(key)
    if hit is not None and all(ref() is a for ref, a in zip(hit[0], arrays, strict=True)):
        return hit[1]
    value = compute()

    def forget(_ref: weakref.ref, key: tuple = key) -> None:
        _MEMO.pop(key, None)

    _MEMO[key] = ([weakref.ref(a, forget) for a in arrays], value)
    return value


def _column_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """:func:`_codes` of a whole column, memoised on its Arrow array (kept as ``int32``)."""
    def compute() -> tuple[np.ndarray, pd.Index]:
        codes, uniques = _codes(column)
        if len(uniques) < np.iinfo(np.int32).max:
            codes = codes.astype(np.int32)
        codes.setflags(write=False)
        return codes, uniques

    codes, uniques = _memo("codes", [column], compute)  # type: ignore[misc]
    return codes.astype(np.int64), uniques


#: Largest pair space counted with a bitmap (bytes) rather than a sparse matrix.
_BITMAP_LIMIT = 1 << 26


def _distinct_pairs(
    first: np.ndarray, second: np.ndarray, n_first: int, n_second: int
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``(first, second)`` pairs of non-negative codes, sorted.

    A bitmap when the pair space is small, else a sparse matrix (scipy sorts each row's
    columns): both stream through memory, unlike a hash table, so time stays linear in the
    number of rows even when millions of people no longer fit in the CPU cache.
    """
    n_first, n_second = max(int(n_first), 1), max(int(n_second), 1)
    if n_first * n_second <= _BITMAP_LIMIT:
        seen = np.zeros(n_first * n_second, dtype=bool)
        seen[first * n_second + second] = True
        flat = np.flatnonzero(seen)
        return flat // n_second, flat % n_second
    matrix = sp.csr_matrix((np.ones(len(first), dtype=np.int8), (first, second)),
                           shape=(n_first, n_second))
    matrix.sum_duplicates()
    return (np.repeat(np.arange(n_first), np.diff(matrix.indptr)),
            matrix.indices.astype(np.int64))


def _dense(codes: np.ndarray) -> np.ndarray:
    """Non-negative codes renumbered ``0 … k−1`` in their order (no hash table)."""
    if not len(codes):
        return codes.astype(np.int64)
    present = np.zeros(int(codes.max()) + 1, dtype=bool)
    present[codes] = True
    return (np.cumsum(present) - 1)[codes]


def _distinct(values: np.ndarray) -> np.ndarray:
    """Distinct values, unordered (hash-based: much faster than ``np.unique`` here)."""
    return np.asarray(pd.unique(values))


def _date_values(dates: pd.Series) -> np.ndarray:
    """Dates as ``int64`` in one unit, NaT as the smallest integer (order-preserving)."""
    return pd.to_datetime(dates).to_numpy().view(np.int64)


_NAT = np.iinfo(np.int64).min


def _pick(groups: np.ndarray, n_groups: int, values: np.ndarray, last: bool = True) -> np.ndarray:
    """Position of the row with the largest (or smallest) value in each group, later rows
    winning ties when ``last`` (earlier when not); ``-1`` for a group without rows.

    Two vectorised passes (``ufunc.at``), no sort. ``groups`` must be ``>= 0``.
    """
    rows = np.arange(len(groups), dtype=np.int64)
    if len(values) < 2 or bool((values[1:] >= values[:-1]).all()):
        # Already in order (the processed attendance is sorted by date): the last (first)
        # row of each group is the one wanted, found in a single pass.
        if last:
            pick = np.full(n_groups, -1, dtype=np.int64)
            np.maximum.at(pick, groups, rows)
            return pick
        pick = np.full(n_groups, len(groups), dtype=np.int64)
        np.minimum.at(pick, groups, rows)
        return np.where(pick == len(groups), -1, pick)
    if last:
        best = np.full(n_groups, _NAT, dtype=np.int64)
        np.maximum.at(best, groups, values)
        hit = values == best[groups]
        pick = np.full(n_groups, -1, dtype=np.int64)
        np.maximum.at(pick, groups[hit], rows[hit])
        return pick
    values = np.where(values == _NAT, np.iinfo(np.int64).max, values)
    best = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, groups, values)
    hit = values == best[groups]
    pick = np.full(n_groups, len(groups), dtype=np.int64)
    np.minimum.at(pick, groups[hit], rows[hit])
    return np.where(pick == len(groups), -1, pick)


class _Rows:
    """The attendance rows of a fiscal year and unit, read column by column.

    Nothing is copied up front: each column is taken (Arrow ``filter``) only when asked for,
    with a fresh 0-based index. Rows without a fiscal year are never selected.
    """

    def __init__(
        self, attendance: pd.DataFrame, fiscal_year: int | None, unit: str | None
    ) -> None:
        years = attendance["fiscal_year"]
        mask = years.notna().to_numpy(dtype=bool)
        if fiscal_year is not None:
            mask = mask & (years == fiscal_year).fillna(False).to_numpy(dtype=bool)
        self._frame = attendance
        if unit is not None:
            mask = mask & self._equals_full("unit", unit)
        self._mask = None if mask.all() else mask
        self.n = int(mask.sum())

    def _equals_full(self, name: str, value: str) -> np.ndarray:
        """``column == value`` over every row of the table, from the column's codes."""
        codes, uniques = _column_codes(self._frame[name])
        where = uniques.get_indexer([value])[0] if len(uniques) else -1
        return codes == where if where >= 0 else np.zeros(len(codes), dtype=bool)

    def __len__(self) -> int:
        return self.n

    @property
    def selected(self) -> bool:
        """Whether some rows are left out (a fiscal year, a unit or missing years)."""
        return self._mask is not None

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def equals(self, name: str, values: str | set[str]) -> np.ndarray:
        """Selected rows whose ``name`` is ``values`` (or one of them), from cached codes
        (comparing millions of Arrow strings is slow)."""
        codes, uniques = _column_codes(self._frame[name])
        wanted = {values} if isinstance(values, str) else set(values)
        hit = np.array([str(u) in wanted for u in uniques] + [False], dtype=bool)
        mask = hit[np.where(codes >= 0, codes, len(uniques))]
        return mask if self._mask is None else mask[self._mask]

    def take(self, name: str, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """Values of ``name`` at selected-row positions ``rows`` (a small take from the whole
        column rather than filtering it first), as a ``string`` array."""
        positions = rows if self._mask is None else np.flatnonzero(self._mask)[rows]
        return self._frame[name].astype("string").array.take(positions)

    def column(self, name: str) -> pd.Series:
        values = self._frame[name]
        if self._mask is not None:
            values = values[self._mask]
        return values.reset_index(drop=True)

    def fiscal_year(self) -> np.ndarray:
        return self.column("fiscal_year").to_numpy(dtype=np.int64)

    def codes(self, name: str) -> tuple[np.ndarray, pd.Index]:
        """Codes of a column for the selected rows (``-1``: missing) and the values present,
        in order of first appearance in the whole column."""
        codes, uniques = _column_codes(self._frame[name])
        if self._mask is None:
            return codes, uniques
        codes = codes[self._mask]
        present = np.zeros(len(uniques), dtype=bool)
        present[codes[codes >= 0]] = True
        if present.all():
            return codes, uniques
        renumber = np.cumsum(present) - 1
        return np.where(codes >= 0, renumber[np.maximum(codes, 0)], -1), uniques[present]

    def activity(self) -> np.ndarray:
        """One code per ``(activity, date)`` (dense, from 0); a missing name or date is a
        value of its own."""
        codes = _activity_codes(self._frame)
        if self._mask is None:
            return codes
        return _dense(codes[self._mask])


def _digest(values: np.ndarray) -> str:
    """A 128-bit BLAKE2 digest of an array's bytes (for NumPy-backed, editable columns)."""
    return hashlib.blake2b(np.ascontiguousarray(values).view(np.uint8),
                           digest_size=16).hexdigest()


def _incidence(rows: _Rows) -> tuple[np.ndarray, np.ndarray, pd.Index, sp.csr_matrix]:
    """The person × activity 0/1 matrix of the selected rows that have a person key.

    Returns the positions of those rows, their person codes, the keys and the matrix
    (duplicate rows counted once). For the whole table it is memoised like the codes, so
    the graph measures and per-person counts of one report build it once.
    """
    def compute() -> tuple[np.ndarray, np.ndarray, pd.Index, sp.csr_matrix]:
        person, keys = rows.codes("person_key")
        where = np.flatnonzero(person >= 0)
        person = person[where]
        activity = _dense(rows.activity()[where])
        shape = (len(keys), int(activity.max()) + 1 if len(activity) else 0)
        matrix = sp.csr_matrix(
            (np.ones(len(person), dtype=np.float64), (person, activity)), shape=shape
        )
        matrix.sum_duplicates()
        matrix.data[:] = 1.0
        for array in (where, person, matrix.data, matrix.indices, matrix.indptr):
            array.setflags(write=False)
        return where, person, keys, matrix

    if rows.selected:
        return compute()
    frame = rows.frame
    salt = (_digest(_date_values(frame["date"])), _digest(frame["fiscal_year"].notna()
                                                         .to_numpy(dtype=bool)))
    return _memo("incidence", [frame["person_key"], frame["activity"]], compute,  # type: ignore
                 salt)


def _activity_codes(attendance: pd.DataFrame) -> np.ndarray:
    """Dense codes of ``(activity, date)`` for every row, memoised while the ``activity``
    column's Arrow array lives and the dates are byte-for-byte the same (dates are NumPy-backed
    and could be edited in place, so a digest of them is part of the key)."""
    dates = _date_values(attendance["date"])
    digest = _digest(dates)

    def compute() -> np.ndarray:
        names, name_uniques = _column_codes(attendance["activity"])
        names = np.where(names >= 0, names, len(name_uniques))
        days, day_uniques = pd.factorize(dates)
        pairs = names * (len(day_uniques) + 1) + days
        n_pairs = (len(name_uniques) + 1) * (len(day_uniques) + 1)
        if not len(pairs):
            codes = pairs.astype(np.int64)
        elif n_pairs <= _BITMAP_LIMIT:
            seen = np.zeros(n_pairs, dtype=bool)
            seen[pairs] = True
            codes = (np.cumsum(seen) - 1)[pairs]
        else:
            codes = np.asarray(pd.factorize(pairs)[0], dtype=np.int64)
        codes.setflags(write=False)
        return codes

    return _memo("activity", [attendance["activity"]], compute, (digest,))  # type: ignore


def _json_dict(values: Mapping[str, object]) -> dict[str, object]:
    """Summary values as Python ``int``/``float``/``None`` (one rule: ``summary.jsonable``)."""
    from .summary import jsonable

    return jsonable(dict(values), DIGITS)


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


def _dataset_tables(dataset: object) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    tables = []
    for name in ("units", "roster", "attendance"):
        table = getattr(dataset, name, None)
        if not isinstance(table, pd.DataFrame):
            raise CleannetError(
                f"Expected a Dataset with a {name!r} table, got {type(dataset).__name__}"
            )
        tables.append(table)
    return tables[0], tables[1], tables[2]


def _dataset_years(units: pd.DataFrame, roster: pd.DataFrame, attendance: pd.DataFrame) -> list:
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


def _check_selection(
    fiscal_year: object, unit: object, years: list[int], *unit_columns: pd.Series
) -> tuple[int | None, str | None]:
    """The summary selection, checked against the years and units the dataset holds."""
    year = _check_fiscal_year(fiscal_year)
    if year is not None and year not in years:
        raise ConfigError(
            f"Fiscal year {year} has no attendance, roster or unit data. "
            f"Years with data: {_listing(years)}"
        )
    return year, _check_unit(unit, *unit_columns)


# --------------------------------------------------------------------------------------------
# Activities and attendances per month
# --------------------------------------------------------------------------------------------

_MONTH_COLUMNS = (
    "fiscal_year", "fiscal_month", "month", "activities", "attendances", "unique_participants",
    "participations_per_person",
)


def _month_start(fiscal_year: np.ndarray, month_of_year: np.ndarray) -> pd.Series:
    calendar_month = (month_of_year + 8) % 12 + 1  # fiscal month 1 is October
    ce_year = fiscal_year - 543 - (calendar_month >= 10)
    return pd.to_datetime(
        pd.DataFrame({"year": ce_year, "month": calendar_month, "day": 1})
    ).astype("datetime64[us]")


def activities_by_month(
    attendance: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Activities, attendances and participants in each month of the fiscal year.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year
        A BE fiscal year such as 2551, or ``None`` for every year in the data.
    unit
        Only attendances whose ``unit`` is this (``None``: the whole department, citizens
        included).

    Returns
    -------
    pandas.DataFrame
        One row per fiscal year and fiscal month (all twelve months of every year present, with
        zeros where nothing happened): ``fiscal_year``, ``fiscal_month`` (1 = October …
        12 = September), ``month`` (its first day, CE), ``activities`` (distinct
        ``(activity, date)``), ``attendances`` (rows), ``unique_participants`` (distinct
        ``person_key``) and ``participations_per_person`` (``attendances /
        unique_participants``, NaN when nobody came).

    Notes
    -----
    Rows without a date are left out (no month); rows without a fiscal year are left out.

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PA"], "unit": ["U1", "U1", "U1"],
    ...     "staff_type": "civil_servant", "role": "member",
    ...     "activity": ["Talk", "Talk", "Walk"],
    ...     "date": pd.to_datetime(["2007-10-05", "2007-10-05", "2007-11-02"]),
    ...     "fiscal_year": pd.array([2551, 2551, 2551], dtype="Int64")})
    >>> activities_by_month(att).loc[:1, ["fiscal_month", "activities", "attendances"]]
       fiscal_month  activities  attendances
    0             1           1            2
    1             2           1            1
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, attendance["unit"])
    rows = _Rows(attendance, year, unit)
    fy = rows.fiscal_year()
    year_list = sorted(_distinct(fy).tolist()) if year is None else [year]
    months = fiscal_month(pd.to_datetime(rows.column("date")))
    dated = months.notna().to_numpy(dtype=bool)
    month = months.to_numpy(dtype="float64", na_value=0).astype(np.int64)
    cell = (np.searchsorted(year_list, fy) * 12 + month - 1)[dated]
    n_cells = len(year_list) * 12
    activity = rows.activity()[dated]
    person = rows.codes("person_key")[0][dated]
    width = int(activity.max()) + 1 if len(activity) else 1
    activities = np.bincount(_distinct_pairs(cell, activity, n_cells, width)[0],
                             minlength=n_cells)
    known = person >= 0
    span = int(person.max()) + 1 if len(person) else 1
    people = np.bincount(_distinct_pairs(cell[known], person[known], n_cells, span)[0],
                         minlength=n_cells)
    attendances = np.bincount(cell, minlength=n_cells)
    fiscal = np.repeat(np.asarray(year_list, dtype=np.int64), 12)
    month_of_year = np.tile(np.arange(1, 13, dtype=np.int64), len(year_list))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_person = np.where(people > 0, attendances / np.maximum(people, 1), np.nan)
    out = pd.DataFrame({
        "fiscal_year": fiscal,
        "fiscal_month": month_of_year,
        "month": _month_start(fiscal, month_of_year),
        "activities": activities.astype(np.int64),
        "attendances": attendances.astype(np.int64),
        "unique_participants": people.astype(np.int64),
        "participations_per_person": per_person,
    })
    return out[list(_MONTH_COLUMNS)]


# --------------------------------------------------------------------------------------------
# Per person, repeat participation and retention
# --------------------------------------------------------------------------------------------

_PERSON_COLUMNS = (
    "person_key", "staff_type", "unit", "role", "participations", "attendances",
    "fiscal_years", "first_date", "last_date",
)


def participation_by_person(
    attendance: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """How often each (pseudonymous) person took part.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year
        A BE fiscal year, or ``None`` for every year.
    unit
        Only attendances whose ``unit`` is this (``None``: every attendance).

    Returns
    -------
    pandas.DataFrame
        One row per ``person_key`` (rows without a key are left out): ``person_key``,
        ``staff_type``, ``unit`` and ``role`` (as on the person's latest attendance row),
        ``participations`` (distinct activities attended), ``attendances`` (rows),
        ``fiscal_years`` (distinct fiscal years with an attendance), ``first_date`` and
        ``last_date``. Sorted by ``participations`` (descending), then order of first appearance.

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PA"], "unit": "U1", "staff_type": "civil_servant",
    ...     "role": "member", "activity": ["Talk", "Talk", "Walk"],
    ...     "date": pd.to_datetime(["2007-10-05", "2007-10-05", "2007-11-02"]),
    ...     "fiscal_year": pd.array([2551, 2551, 2551], dtype="Int64")})
    >>> participation_by_person(att)[["person_key", "participations"]]
      person_key  participations
    0         PA               2
    1         PB               1
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, attendance["unit"])
    rows = _Rows(attendance, year, unit)
    where, person, keys, matrix = _incidence(rows)
    n = len(keys)
    fy = rows.fiscal_year()[where]
    dates = _date_values(rows.column("date"))[where]
    participations = np.diff(matrix.indptr)
    low = int(fy.min()) if len(fy) else 0
    span = int(fy.max()) - low + 1 if len(fy) else 1
    years = np.bincount(_distinct_pairs(person, fy - low, n, span)[0], minlength=n)
    last = _pick(person, n, dates, last=True)
    first = _pick(person, n, dates, last=False)
    latest = where[last]
    date_column = pd.to_datetime(rows.column("date"))
    out = pd.DataFrame({
        "person_key": keys.array,
        "staff_type": rows.take("staff_type", latest),
        "unit": rows.take("unit", latest),
        "role": rows.take("role", latest),
        "participations": participations.astype(np.int64),
        "attendances": np.bincount(person, minlength=n).astype(np.int64),
        "fiscal_years": years.astype(np.int64),
        "first_date": date_column.take(where[first]).to_numpy(),
        "last_date": date_column.take(where[last]).to_numpy(),
    })
    order = np.lexsort((np.arange(len(keys)), -participations))  # ties: first appearance
    return out.take(order).reset_index(drop=True)[list(_PERSON_COLUMNS)]


_REPEAT_COLUMNS = ("fiscal_year", "participations", "persons", "share", "share_at_least")


def repeat_participation(
    attendance: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Distribution of the number of activities a participant attended in a fiscal year.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year
        A BE fiscal year, or ``None`` for one block per fiscal year in the data.
    unit
        Only attendances whose ``unit`` is this.

    Returns
    -------
    pandas.DataFrame
        ``fiscal_year``, ``participations`` (1, 2, … up to the year's maximum, every value
        listed), ``persons`` (participants who attended exactly that many distinct activities in
        the year), ``share`` (of the year's participants) and ``share_at_least`` (share who
        attended at least that many; at ``participations == 2`` it is the repeat-participation
        rate).

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PA"], "unit": "U1", "staff_type": "civil_servant",
    ...     "role": "member", "activity": ["Talk", "Talk", "Walk"],
    ...     "date": pd.to_datetime(["2007-10-05", "2007-10-05", "2007-11-02"]),
    ...     "fiscal_year": pd.array([2551, 2551, 2551], dtype="Int64")})
    >>> repeat_participation(att)[["participations", "persons", "share_at_least"]]
       participations  persons  share_at_least
    0               1        1             1.0
    1               2        1             0.5
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, attendance["unit"])
    rows = _Rows(attendance, year, unit)
    person, keys = rows.codes("person_key")
    known = person >= 0
    person = person[known]
    activity = rows.activity()[known]
    fy = rows.fiscal_year()[known]
    year_list = sorted(_distinct(fy).tolist())
    n = max(len(keys), 1)
    width = int(activity.max()) + 1 if len(activity) else 1
    slot = np.searchsorted(year_list, fy) * n + person
    pairs = _distinct_pairs(slot, activity, len(year_list) * n, width)[0]
    per_person = np.bincount(pairs, minlength=len(year_list) * n)
    blocks = []
    for i, fy_value in enumerate(year_list):
        counts = per_person[i * n:(i + 1) * n]
        counts = counts[counts > 0]
        tally = np.bincount(counts)[1:]
        total = len(counts)
        at_least = tally[::-1].cumsum()[::-1]
        blocks.append(pd.DataFrame({
            "fiscal_year": np.full(len(tally), int(fy_value), dtype=np.int64),
            "participations": np.arange(1, len(tally) + 1, dtype=np.int64),
            "persons": tally.astype(np.int64),
            "share": tally / total,
            "share_at_least": at_least / total,
        }))
    if not blocks:
        return pd.DataFrame({
            "fiscal_year": pd.Series(dtype="int64"), "participations": pd.Series(dtype="int64"),
            "persons": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64"),
            "share_at_least": pd.Series(dtype="float64"),
        })
    return pd.concat(blocks, ignore_index=True)[list(_REPEAT_COLUMNS)]


_RETENTION_COLUMNS = (
    "from_year", "to_year", "by", "group", "participants", "retained", "retention",
)


def retention(
    attendance: pd.DataFrame,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
    unit: str | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """Share of one fiscal year's participants who took part again in a later year.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    from_year
        The cohort's fiscal year (BE), e.g. 2550. ``None``: every year in the data that has a
        following year in the data.
    to_year
        The year they should come back in; defaults to ``from_year + 1``.
    unit
        Only the cohort whose attendance unit in ``from_year`` is this. Coming back under
        another unit (a transfer) still counts as retained.
    by
        ``None`` for one row per pair of years, or ``"staff_type"``, ``"role"`` or ``"unit"``
        for one row per group; a person's group is taken from their first attendance row in
        ``from_year``.

    Returns
    -------
    pandas.DataFrame
        ``from_year``, ``to_year``, ``by`` (``"all"`` when ``by`` is None), ``group``
        (``"all"``, or the code; ``"unknown"`` for a missing one), ``participants`` (distinct
        ``person_key`` in ``from_year``), ``retained`` (of those, how many have an attendance in
        ``to_year``) and ``retention`` (``retained / participants``).

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PA"], "unit": "U1", "staff_type": "civil_servant",
    ...     "role": "member", "activity": ["Talk", "Talk", "Walk"],
    ...     "date": pd.to_datetime(["2007-01-05", "2007-01-05", "2008-01-02"]),
    ...     "fiscal_year": pd.array([2550, 2550, 2551], dtype="Int64")})
    >>> retention(att)[["from_year", "to_year", "participants", "retained", "retention"]]
       from_year  to_year  participants  retained  retention
    0       2550     2551             2         1        0.5
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    start = _check_fiscal_year(from_year, "from_year")
    end = _check_fiscal_year(to_year, "to_year")
    if by is not None:
        _check_choice("by", by, _RETENTION_BY)
    unit = _check_unit(unit, attendance["unit"])
    rows = _Rows(attendance, None, None)
    person, keys = rows.codes("person_key")
    fy = rows.fiscal_year()
    years = set(_distinct(fy[person >= 0]).tolist())
    if start is None:
        if end is not None:
            raise ConfigError("to_year needs from_year; give both, e.g. from_year=2550, "
                              "to_year=2551")
        pairs = [(y, y + 1) for y in sorted(years) if y + 1 in years]
    else:
        end = start + 1 if end is None else end
        if end <= start:
            raise ConfigError(f"to_year {end} must come after from_year {start}")
        pairs = [(start, end)]
    dates = _date_values(rows.column("date"))
    in_unit = (np.ones(len(rows), dtype=bool) if unit is None
               else rows.equals("unit", unit))
    if by is not None:
        group_codes, group_names = rows.codes(by)
        names = np.array([*map(str, group_names), UNKNOWN], dtype=object)
        group_codes = np.where(group_codes >= 0, group_codes, len(group_names))
    n = len(keys)
    out_rows = []
    for y0, y1 in pairs:
        cohort = np.flatnonzero((fy == y0) & in_unit & (person >= 0))
        later = np.zeros(n, dtype=bool)
        later[person[(fy == y1) & (person >= 0)]] = True
        first = _pick(person[cohort], n, dates[cohort], last=False)
        members = np.flatnonzero(first >= 0)
        back = later[members]
        if by is None:
            labels = np.zeros(len(members), dtype=np.int64)
            label_names = np.array(["all"], dtype=object)
        else:
            labels = group_codes[cohort[first[members]]]
            label_names = names
        size = np.bincount(labels, minlength=len(label_names))
        kept = np.bincount(labels, weights=back, minlength=len(label_names))
        present = [i for i in np.argsort(label_names.astype(str)) if size[i] > 0 or by is None]
        for i in present:
            out_rows.append({
                "from_year": y0, "to_year": y1, "by": by or "all", "group": str(label_names[i]),
                "participants": int(size[i]), "retained": int(kept[i]),
                "retention": _ratio(kept[i], size[i]),
            })
    out = pd.DataFrame(out_rows, columns=list(_RETENTION_COLUMNS))
    return out.astype({"from_year": "int64", "to_year": "int64", "participants": "int64",
                       "retained": "int64", "retention": "float64"})


# --------------------------------------------------------------------------------------------
# Shares by staff type and role
# --------------------------------------------------------------------------------------------

_SHARE_COLUMNS = (
    "fiscal_year", "by", "group", "label_th", "label_en", "attendances", "attendance_share",
    "participants", "participant_share",
)


def shares_by_group(
    attendance: pd.DataFrame,
    *,
    by: str = "staff_type",
    fiscal_year: int | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """Shares of attendances and of participants by staff type or role, per fiscal year.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    by
        ``"staff_type"`` (civil servants, permanent employees, government employees and the
        citizen sector ภาคประชาชน) or ``"role"`` (leader, member, participant).
    fiscal_year
        A BE fiscal year, or ``None`` for one block per fiscal year.
    unit
        Only attendances whose ``unit`` is this (the citizen sector then has no rows).

    Returns
    -------
    pandas.DataFrame
        One row per fiscal year and group — every code of the vocabulary, in its order, plus
        ``"unknown"`` when some rows lack the value: ``fiscal_year``, ``by``, ``group``,
        ``label_th``, ``label_en``, ``attendances``, ``attendance_share`` (of the year's
        attendance rows), ``participants`` and ``participant_share`` (of the year's distinct
        participants).

    Notes
    -----
    Each participant is counted in one group only, the one on their latest attendance row of
    the year, so participant shares add up to 1 (a member who became a leader counts as a
    leader). Attendance shares count every row in its own group.

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PC"], "unit": ["U1", "U1", None],
    ...     "staff_type": ["civil_servant", "civil_servant", "citizen"],
    ...     "role": ["member", "participant", "participant"], "activity": "Talk",
    ...     "date": pd.to_datetime(["2007-10-05"] * 3),
    ...     "fiscal_year": pd.array([2551] * 3, dtype="Int64")})
    >>> shares_by_group(att)[["group", "attendances", "attendance_share"]]
                     group  attendances  attendance_share
    0        civil_servant            2          0.666667
    1   permanent_employee            0          0.000000
    2  government_employee            0          0.000000
    3              citizen            1          0.333333
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    _check_choice("by", by, tuple(_GROUPINGS))
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, attendance["unit"])
    rows = _Rows(attendance, year, unit)
    labels = _GROUPINGS[by]
    group, group_names = rows.codes(by)
    names = [*map(str, group_names), UNKNOWN]
    group = np.where(group >= 0, group, len(group_names))
    n_groups = len(names)
    fy = rows.fiscal_year()
    year_list = sorted(_distinct(fy).tolist()) if year is None else [year]
    slot = np.searchsorted(year_list, fy)
    per_rows = np.bincount(slot * n_groups + group, minlength=len(year_list) * n_groups)
    person, keys = rows.codes("person_key")
    known = np.flatnonzero(person >= 0)
    n = max(len(keys), 1)
    latest = known[_pick(slot[known] * n + person[known], len(year_list) * n,
                         _date_values(rows.column("date"))[known], last=True)
                   .clip(min=0)]
    has = np.zeros(len(year_list) * n, dtype=bool)
    has[slot[known] * n + person[known]] = True
    latest = latest[has]
    per_people = np.bincount(slot[latest] * n_groups + group[latest],
                             minlength=len(year_list) * n_groups)
    blocks = []
    for i, y in enumerate(year_list):
        counts = per_rows[i * n_groups:(i + 1) * n_groups]
        people = per_people[i * n_groups:(i + 1) * n_groups]
        present = {names[g] for g in np.flatnonzero(counts)}
        codes = list(labels) + sorted(present - set(labels) - {UNKNOWN})
        if UNKNOWN in present:
            codes.append(UNKNOWN)
        position = {name: g for g, name in enumerate(names)}
        attendances = np.array([counts[position[c]] if c in position else 0 for c in codes],
                               dtype=np.int64)
        participants = np.array([people[position[c]] if c in position else 0 for c in codes],
                                dtype=np.int64)
        blocks.append(pd.DataFrame({
            "fiscal_year": np.full(len(codes), y, dtype=np.int64),
            "by": by,
            "group": codes,
            "label_th": [vocab.label(labels, c, "th") for c in codes],
            "label_en": [vocab.label(labels, c, "en") for c in codes],
            "attendances": attendances,
            "attendance_share": attendances / attendances.sum() if attendances.sum()
            else np.full(len(codes), np.nan),
            "participants": participants,
            "participant_share": participants / participants.sum() if participants.sum()
            else np.full(len(codes), np.nan),
        }))
    if not blocks:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _SHARE_COLUMNS})
    return pd.concat(blocks, ignore_index=True)[list(_SHARE_COLUMNS)]


# --------------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------------

_COVERAGE_COLUMNS = (
    "unit", "parent", "fiscal_year", "headcount", "participants", "coverage",
    "network_members", "network_coverage",
)


def _headcounts(units: pd.DataFrame) -> pd.DataFrame:
    """``unit, parent, fiscal_year, headcount`` with one row per unit and year."""
    frame = units[units["unit"].notna() & units["fiscal_year"].notna()]
    parent = frame["parent"] if "parent" in frame else pd.Series(pd.NA, index=frame.index)
    out = pd.DataFrame({
        "unit": frame["unit"].astype("string").to_numpy(),
        "parent": parent.astype("string").to_numpy(),
        "fiscal_year": frame["fiscal_year"].astype("int64").to_numpy(),
        "headcount": pd.to_numeric(frame["headcount"]).astype("Float64").to_numpy(),
    })
    return out.drop_duplicates(["unit", "fiscal_year"], keep="first")


def _staff_participants(rows: _Rows) -> pd.DataFrame:
    """Distinct staff (non-citizen) participants per attendance unit and fiscal year."""
    unit, unit_names = rows.codes("unit")
    person, keys = rows.codes("person_key")
    fy = rows.fiscal_year()
    keep = ~rows.equals("staff_type", CITIZEN) & (unit >= 0) & (person >= 0)
    year_list = np.asarray(sorted(_distinct(fy[keep]).tolist()), dtype=np.int64)
    n = max(len(keys), 1)
    cell = unit[keep] * len(year_list) + np.searchsorted(year_list, fy[keep])
    cells = _distinct_pairs(cell, person[keep], len(unit_names) * len(year_list), n)[0]
    counts = np.bincount(cells, minlength=len(unit_names) * len(year_list))
    hit = np.flatnonzero(counts)
    return pd.DataFrame({
        "unit": pd.array(np.asarray(unit_names.array)[hit // max(len(year_list), 1)],
                         dtype="string"),
        "fiscal_year": year_list[hit % max(len(year_list), 1)] if len(year_list)
        else np.zeros(0, dtype=np.int64),
        "participants": counts[hit].astype(np.int64),
    })


def _staff_per_year(rows: _Rows, units: set[str]) -> pd.Series:
    """Distinct staff participants per fiscal year whose attendance unit is in ``units``."""
    person, keys = rows.codes("person_key")
    fy = rows.fiscal_year()
    keep = ~rows.equals("staff_type", CITIZEN) & (person >= 0) & rows.equals("unit", units)
    n = max(len(keys), 1)
    low = int(fy.min()) if len(fy) else 0
    span = int(fy.max()) - low + 1 if len(fy) else 1
    slots = _distinct_pairs(fy[keep] - low, person[keep], span, n)[0]
    counts = np.bincount(slots)
    hit = np.flatnonzero(counts)
    return pd.Series(counts[hit], index=hit + low)


def _network_members_by_unit(roster: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Distinct roster people of each unit with a spell active during each fiscal year."""
    from .network import _Roster  # network imports this module

    model = _Roster.of(roster)
    n = max(model.n, 1)
    parts = []
    for y in years:
        active = model.active_between(_fy_start(y), _fy_end(y)) & (model.unit >= 0)
        pairs = _distinct_pairs(model.unit[active], model.person[active],
                                len(model.unit_names), n)[0]
        counts = np.bincount(pairs, minlength=len(model.unit_names))
        hit = np.flatnonzero(counts)
        parts.append(pd.DataFrame({"unit": model.unit_strings(hit),
                                   "fiscal_year": np.full(len(hit), y, dtype=np.int64),
                                   "network_members": counts[hit].astype(np.int64)}))
    if not parts:
        return pd.DataFrame({"unit": pd.Series(dtype="string"),
                             "fiscal_year": pd.Series(dtype="int64"),
                             "network_members": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True)


@memoized
def coverage_by_unit(
    attendance: pd.DataFrame,
    units: pd.DataFrame,
    roster: pd.DataFrame | None = None,
    *,
    fiscal_year: int | None = None,
) -> pd.DataFrame:
    """Reach of the programme in each unit: participants and network members over headcount.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    units
        The processed units table (``unit, parent, fiscal_year, headcount``). Not modified.
    roster
        The processed roster table, for ``network_members``; ``None`` leaves those columns
        missing.
    fiscal_year
        A BE fiscal year, or ``None`` for every year.

    Returns
    -------
    pandas.DataFrame
        One row per unit and fiscal year found in the units table or among staff attendances:
        ``unit``, ``parent``, ``fiscal_year``, ``headcount`` (missing when the units table has
        none), ``participants`` (distinct staff — non-citizen — ``person_key`` whose
        attendance unit is the unit that year), ``coverage`` (``participants / headcount``),
        ``network_members`` (distinct roster people of the unit with a spell active at some
        time in the fiscal year) and ``network_coverage`` (``network_members / headcount``).
        Sorted by fiscal year and unit.

    Notes
    -----
    Coverage is not capped at 1: a value above 1 means the headcount is out of date or
    people signed in under a unit they do not belong to.

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PA"], "unit": "U1", "staff_type": "civil_servant",
    ...     "role": "member", "activity": ["Talk", "Talk", "Walk"],
    ...     "date": pd.to_datetime(["2007-10-05", "2007-10-05", "2007-11-02"]),
    ...     "fiscal_year": pd.array([2551, 2551, 2551], dtype="Int64")})
    >>> units = pd.DataFrame({"unit": ["U1"], "parent": [None],
    ...                       "fiscal_year": pd.array([2551], dtype="Int64"), "headcount": [8]})
    >>> coverage_by_unit(att, units)[["unit", "headcount", "participants", "coverage"]]
      unit  headcount  participants  coverage
    0   U1        8.0             2      0.25
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    _require(units, "units", _UNITS_COLUMNS)
    year = _check_fiscal_year(fiscal_year)
    rows = _Rows(attendance, year, None)
    participants = _staff_participants(rows)
    heads = _headcounts(units)
    if year is not None:
        heads = heads[heads["fiscal_year"] == year]
    out = heads.merge(participants, on=["unit", "fiscal_year"], how="outer")
    out["participants"] = out["participants"].fillna(0).astype("int64")
    head = out["headcount"].astype("float64")
    out["coverage"] = (out["participants"] / head.where(head > 0)).astype("float64")
    if roster is not None:
        years = sorted(set(out["fiscal_year"].astype("int64").tolist()))
        members = _network_members_by_unit(roster, years)
        out = out.merge(members, on=["unit", "fiscal_year"], how="left")
        out["network_members"] = out["network_members"].fillna(0).astype("int64")
        out["network_coverage"] = (out["network_members"] / head.where(head > 0).to_numpy()
                                   ).astype("float64")
    else:
        out["network_members"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["network_coverage"] = np.nan
    out["fiscal_year"] = out["fiscal_year"].astype("int64")
    out["unit"] = out["unit"].astype("string")
    out["parent"] = out["parent"].astype("string")
    out = out.sort_values(["fiscal_year", "unit"], kind="stable").reset_index(drop=True)
    return out[list(_COVERAGE_COLUMNS)]


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


@memoized
def participation_summary(
    dataset: object, fiscal_year: int | None = None, unit: str | None = None
) -> dict[str, object]:
    """The participation part of the headline summary, as a JSON-ready dict.

    Parameters
    ----------
    dataset
        A :class:`~cleannet_eval.dataset.Dataset` (its ``units``, ``roster`` and
        ``attendance`` tables are read, not modified).
    fiscal_year
        A BE fiscal year with data, or ``None`` for all years.
    unit
        A unit of the dataset, or ``None`` for the whole department.

    Returns
    -------
    dict
        ``activities``, ``attendances``, ``unique_participants`` (``int``), ``coverage`` and
        ``citizen_share`` (``float`` rounded to 4 decimals, or ``None`` where undefined); see
        the module docstring for the exact definitions.

    Raises
    ------
    ConfigError
        ``fiscal_year`` has no data or ``unit`` is not in the dataset; the message lists the
        valid values.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PC"], "unit": ["U1", "U1", None],
    ...     "staff_type": ["civil_servant", "civil_servant", "citizen"],
    ...     "role": "participant", "activity": "Talk",
    ...     "date": pd.to_datetime(["2007-10-05"] * 3),
    ...     "fiscal_year": pd.array([2551] * 3, dtype="Int64")})
    >>> units = pd.DataFrame({"unit": ["U1"], "parent": [None],
    ...                       "fiscal_year": pd.array([2551], dtype="Int64"), "headcount": [8]})
    >>> roster = pd.DataFrame(columns=["person_key", "unit", "staff_type", "role", "joined",
    ...                                "recruited_by_key", "left", "left_reason"])
    >>> participation_summary(SimpleNamespace(units=units, roster=roster, attendance=att))
    {'activities': 1, 'attendances': 3, 'unique_participants': 3, 'coverage': 0.25, \
'citizen_share': 0.3333}
    """
    units, roster, attendance = _dataset_tables(dataset)
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    _require(units, "units", _UNITS_COLUMNS)
    years = _dataset_years(units, roster, attendance)
    unit_columns = [units["unit"], attendance["unit"]]
    if "unit" in roster:
        unit_columns.append(roster["unit"])
    year, unit = _check_selection(fiscal_year, unit, years, *unit_columns)
    rows = _Rows(attendance, year, unit)
    person, keys = rows.codes("person_key")
    activities = int(rows.activity().max()) + 1 if len(rows) else 0

    heads = _headcounts(units)
    if year is not None:
        heads = heads[heads["fiscal_year"] == year]
    if unit is not None:
        heads = heads[heads["unit"] == unit]
    heads = heads[heads["headcount"].notna()]
    head_per_year = heads.groupby("fiscal_year")["headcount"].sum().astype("float64")
    head_per_year = head_per_year[head_per_year > 0]
    coverage = math.nan
    if len(head_per_year):
        per_year = _staff_per_year(rows, set(heads["unit"].tolist()))
        numerator = per_year.reindex(head_per_year.index, fill_value=0).sum()
        coverage = _ratio(numerator, head_per_year.sum())

    citizen_share = math.nan
    if unit is None and len(rows):
        citizen_share = float(rows.equals("staff_type", CITIZEN).sum()) / len(rows)
    return _json_dict({
        "activities": activities,
        "attendances": len(rows),
        "unique_participants": len(keys),
        "coverage": coverage,
        "citizen_share": citizen_share,
    })


