"""The shared table engine of the participation and network measures.

Measures work on integer codes of the processed tables' columns (NumPy, SciPy sparse matrices
and bitmaps; no Python loop over rows). The codes of an Arrow-backed column are remembered
while that column lives (Arrow arrays are immutable, so they cannot go stale; see :func:`memo`),
so a report that computes many measures of one table factorises its millions of person keys
once. :class:`AttendanceRows` reads the attendance rows of one fiscal year and unit column by
column; :func:`incidence` is the person × activity matrix; :func:`jsonable` turns summary
values into plain Python.
"""

from __future__ import annotations

import hashlib
import math
import weakref
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = [
    "BITMAP_LIMIT",
    "clear_memo",
    "ATTENDANCE_COLUMNS",
    "DIGITS",
    "jsonable",
    "AttendanceRows",
    "arrow_array",
    "column_codes",
    "date_values",
    "distinct_pairs",
    "distinct_values",
    "incidence",
    "json_dict",
    "memo",
    "month_start",
    "pick_per_group",
    "ratio",
]


#: Columns of the attendance table the measures read.
ATTENDANCE_COLUMNS: tuple[str, ...] = (
    "person_key", "unit", "staff_type", "role", "activity", "date", "fiscal_year",
)
#: Decimal places of the floats in summary dicts.
DIGITS = 4


def jsonable(value: object, digits: int = DIGITS) -> object:
    """``value`` with numpy/pandas scalars turned into Python ones, floats rounded, NaN → None.

    Works through dicts, lists and tuples, so every summary part can pass its result through it.

    Examples
    --------
    >>> jsonable({"a": np.float64(1.234567), "b": np.int64(3), "c": [np.nan, pd.NA, True]})
    {'a': 1.2346, 'b': 3, 'c': [None, None, True]}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, digits) for v in value]
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else round(number, digits)
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (``-1`` for missing) and the distinct values in order of first
    appearance (not sorted: sorting millions of keys costs more than the factorisation).
    Tables break ties by code, i.e. by first appearance in the input, which is deterministic
    (the processed tables are sorted by date and source row)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


def arrow_array(series: pd.Series) -> object | None:
    """The immutable Arrow array behind a column, or ``None`` (NumPy-backed: mutable)."""
    array = series.array
    return array.__arrow_array__() if hasattr(array, "__arrow_array__") else None


#: Results computed from immutable Arrow columns, by ``id`` of those columns (see
#: :func:`memo`); an entry disappears as soon as one of its columns is garbage-collected.
_MEMO: dict[tuple, tuple[list[weakref.ref], object]] = {}


def memo(
    name: str, columns: Sequence[pd.Series], compute: Callable[[], object], salt: tuple = ()
) -> object:
    """``compute()``, remembered while the Arrow arrays behind ``columns`` live.

    Arrow arrays never change: editing a DataFrame gives its column a new array, so a cached
    result can never be stale. NumPy-backed columns (which pandas may edit in place) are never
    cached. This makes the second measure on the same table skip the costly factorisation of
    millions of person keys.
    """
    arrays = [arrow_array(column) for column in columns]
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


def clear_memo() -> None:
    """Forget every result :func:`memo` remembers (a benchmark's cold start, or to free memory)."""
    _MEMO.clear()


def column_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """:func:`_codes` of a whole column, memoised on its Arrow array (kept as ``int32``)."""
    def compute() -> tuple[np.ndarray, pd.Index]:
        codes, uniques = _codes(column)
        if len(uniques) < np.iinfo(np.int32).max:
            codes = codes.astype(np.int32)
        codes.setflags(write=False)
        return codes, uniques

    codes, uniques = memo("codes", [column], compute)  # type: ignore[misc]
    return codes.astype(np.int64), uniques


#: Largest pair space counted with a bitmap (bytes) rather than a sparse matrix.
BITMAP_LIMIT = 1 << 26


def distinct_pairs(
    first: np.ndarray, second: np.ndarray, n_first: int, n_second: int
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``(first, second)`` pairs of non-negative codes, sorted.

    A bitmap when the pair space is small, else a sparse matrix (scipy sorts each row's
    columns): both stream through memory, unlike a hash table, so time stays linear in the
    number of rows even when millions of people no longer fit in the CPU cache.
    """
    n_first, n_second = max(int(n_first), 1), max(int(n_second), 1)
    if n_first * n_second <= BITMAP_LIMIT:
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


def distinct_values(values: np.ndarray) -> np.ndarray:
    """Distinct values, unordered (hash-based: much faster than ``np.unique`` here)."""
    return np.asarray(pd.unique(values))


def date_values(dates: pd.Series) -> np.ndarray:
    """Dates as ``int64`` in one unit, NaT as the smallest integer (order-preserving)."""
    return pd.to_datetime(dates).to_numpy().view(np.int64)


_NAT = np.iinfo(np.int64).min


def pick_per_group(
    groups: np.ndarray, n_groups: int, values: np.ndarray, last: bool = True
) -> np.ndarray:
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


class AttendanceRows:
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
        codes, uniques = column_codes(self._frame[name])
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
        codes, uniques = column_codes(self._frame[name])
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
        codes, uniques = column_codes(self._frame[name])
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


def incidence(rows: AttendanceRows) -> tuple[np.ndarray, np.ndarray, pd.Index, sp.csr_matrix]:
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
    salt = (_digest(date_values(frame["date"])), _digest(frame["fiscal_year"].notna()
                                                         .to_numpy(dtype=bool)))
    return memo("incidence", [frame["person_key"], frame["activity"]], compute,  # type: ignore
                 salt)


def _activity_codes(attendance: pd.DataFrame) -> np.ndarray:
    """Dense codes of ``(activity, date)`` for every row, memoised while the ``activity``
    column's Arrow array lives and the dates are byte-for-byte the same (dates are NumPy-backed
    and could be edited in place, so a digest of them is part of the key)."""
    dates = date_values(attendance["date"])
    digest = _digest(dates)

    def compute() -> np.ndarray:
        names, name_uniques = column_codes(attendance["activity"])
        names = np.where(names >= 0, names, len(name_uniques))
        days, day_uniques = pd.factorize(dates)
        pairs = names * (len(day_uniques) + 1) + days
        n_pairs = (len(name_uniques) + 1) * (len(day_uniques) + 1)
        if not len(pairs):
            codes = pairs.astype(np.int64)
        elif n_pairs <= BITMAP_LIMIT:
            seen = np.zeros(n_pairs, dtype=bool)
            seen[pairs] = True
            codes = (np.cumsum(seen) - 1)[pairs]
        else:
            codes = np.asarray(pd.factorize(pairs)[0], dtype=np.int64)
        codes.setflags(write=False)
        return codes

    return memo("activity", [attendance["activity"]], compute, (digest,))  # type: ignore


def json_dict(values: Mapping[str, object]) -> dict[str, object]:
    """Summary values as Python ``int``/``float``/``None`` (the rule of :func:`jsonable`)."""
    return jsonable(dict(values), DIGITS)


def ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


def month_start(fiscal_year: np.ndarray, month_of_year: np.ndarray) -> pd.Series:
    calendar_month = (month_of_year + 8) % 12 + 1  # fiscal month 1 is October
    ce_year = fiscal_year - 543 - (calendar_month >= 10)
    return pd.to_datetime(
        pd.DataFrame({"year": ce_year, "month": calendar_month, "day": 1})
    ).astype("datetime64[us]")
