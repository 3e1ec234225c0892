"""The network roster as integer arrays: people, their spells and the recruitment forest.

See :mod:`cleannet_eval.analysis.network` for the conventions (spells, re-entries, recruitment
depth) every network measure follows.
"""

from __future__ import annotations

import hashlib
import math
import weakref
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..calendar import fiscal_years
from .selection import (
    fiscal_year_end,
    fiscal_year_start,
    require_columns,
)
from .tables import (
    arrow_array,
    column_codes,
    distinct_values,
    memo,
    pick_per_group,
)

__all__ = [
    "LEADER",
    "MEMBER",
    "ROSTER_COLUMNS",
    "Roster",
    "as_datetime64",
    "as_day",
    "in_period",
    "period_bounds",
    "take_strings",
]


#: Columns of the roster table the functions here read.
ROSTER_COLUMNS: tuple[str, ...] = (
    "person_key", "unit", "role", "joined", "recruited_by_key", "left", "left_reason",
)
#: The role of an appointed network leader (แกนนำ) and of a recruited member.
LEADER = "leader"
MEMBER = "member"


# --------------------------------------------------------------------------------------------
# The roster as integer arrays
# --------------------------------------------------------------------------------------------

_I8_MAX = np.iinfo(np.int64).max


def as_datetime64(values: pd.Series) -> np.ndarray:
    """Dates as a NumPy ``datetime64`` array (NaT for missing)."""
    return pd.to_datetime(values).to_numpy()


def as_day(value: pd.Timestamp) -> np.datetime64:
    """One day as ``numpy.datetime64``, comparable with :func:`as_datetime64` arrays."""
    return np.datetime64(value)


class Roster:
    """The roster as integer arrays: people, their spells and the recruitment forest.

    Built once per public call with one ``factorize`` of the person and recruiter keys; every
    measure then works on integer codes (string comparisons and ``isin`` on Arrow strings are
    slow). People are numbered ``0 … n−1`` in the order of :attr:`keys`.

    Row arrays (``row_*``) cover every roster row; spell arrays (``person``, ``unit``,
    ``leader``, ``joined``, ``left``, ``reason``, ``row``, ``seq``) cover the valid rows (a
    key, a joined date, ``left`` not before ``joined``) sorted by person, joined date and row.
    """

    def __init__(self, roster: pd.DataFrame) -> None:
        require_columns(roster, "roster", ROSTER_COLUMNS)
        self.frame = roster
        self._matches: dict[int, tuple[weakref.ref, np.ndarray]] = {}
        n_rows = len(roster)
        row_person, self.keys = column_codes(roster["person_key"])
        self.n = n = len(self.keys)
        recruiter_code, self.names = column_codes(roster["recruited_by_key"])
        # Which recruiters are people of the roster: one factorisation of the distinct keys.
        both = pd.concat([pd.Series(self.keys.array, dtype="string"),
                          pd.Series(self.names.array, dtype="string")], ignore_index=True)
        joint = np.asarray(pd.factorize(both)[0], dtype=np.int64)[n:]
        as_person = np.where(joint < n, joint, -1)  # keys come first, in order
        named = recruiter_code >= 0
        row_parent = np.where(named, as_person[np.maximum(recruiter_code, 0)]
                              if len(as_person) else -1, -1)
        known = row_parent >= 0
        self.row_person = np.asarray(row_person, dtype=np.int64)
        self.row_named = named
        self.row_recruiter = np.asarray(recruiter_code, dtype=np.int64)
        self.row_unknown = named & ~known

        joined = as_datetime64(roster["joined"])
        left = as_datetime64(roster["left"])
        self.row_joined, self.row_left = joined, left
        unit, self.unit_names = column_codes(roster["unit"])
        reason, self.reason_names = column_codes(roster["left_reason"])
        leader = (roster["role"] == LEADER).fillna(False).to_numpy(dtype=bool)

        # Every keyed row ranked by joined date (missing last), then by position.
        j8 = joined.view(np.int64).copy()
        j8[np.isnat(joined)] = _I8_MAX
        keyed = np.flatnonzero(row_person >= 0)
        order = keyed[np.lexsort((keyed, j8[keyed]))]
        rank = np.full(n_rows, -1, dtype=np.int64)
        rank[order] = np.arange(len(order))
        self.row_rank = rank
        first = keyed[pick_per_group(row_person[keyed], n, rank[keyed], last=False)] if n else keyed
        latest = keyed[pick_per_group(row_person[keyed], n, rank[keyed], last=True)] if n else keyed
        self.first_row = first
        self.first_joined = joined[first]
        self.latest_unit = unit[latest]
        self.is_leader = np.zeros(n, dtype=bool)
        self.is_leader[row_person[keyed[leader[keyed]]]] = True
        # A person's recruiter: on their earliest row that names one.
        with_recruiter = keyed[named[keyed]]
        chosen = pick_per_group(row_person[with_recruiter], n, rank[with_recruiter], last=False)
        chosen_row = np.full(n, -1, dtype=np.int64)
        chosen_row[chosen >= 0] = with_recruiter[chosen[chosen >= 0]]
        has = chosen_row >= 0
        self.chosen_row = chosen_row
        self.recruiter = np.where(has, recruiter_code[np.maximum(chosen_row, 0)], -1)
        self.parent = np.where(has, row_parent[np.maximum(chosen_row, 0)], -1)
        self.unknown = has & self.row_unknown[np.maximum(chosen_row, 0)]
        self._resolve()

        # Spells.
        valid = (row_person >= 0) & ~np.isnat(joined) & (np.isnat(left) | (left >= joined))
        index = np.flatnonzero(valid)
        spell = index[np.lexsort((index, j8[index], row_person[index]))]
        self.row = spell
        self.person = row_person[spell]
        self.unit = unit[spell]
        self.leader = leader[spell]
        self.joined = joined[spell]
        self.left = left[spell]
        self.reason = reason[spell]
        starts = np.r_[True, self.person[1:] != self.person[:-1]] if len(spell) else \
            np.zeros(0, dtype=bool)
        positions = np.arange(len(spell))
        self.seq = positions - np.maximum.accumulate(np.where(starts, positions, 0))

    @classmethod
    def of(cls, roster: pd.DataFrame) -> Roster:
        """The model of ``roster``, memoised while its columns are unchanged."""
        require_columns(roster, "roster", ROSTER_COLUMNS)
        dates = [pd.to_datetime(roster[c]).to_numpy() for c in ("joined", "left")]
        salt = tuple(hashlib.blake2b(np.ascontiguousarray(d).view(np.uint8), digest_size=16)
                     .hexdigest() for d in dates)
        columns = [roster[c] for c in ("person_key", "recruited_by_key", "unit", "role",
                                       "left_reason")]
        return memo("roster", columns, lambda: cls(roster).frozen(), salt)  # type: ignore

    def frozen(self) -> Roster:
        """Make every array read-only (a memoised model is shared between calls)."""
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        self.frame = None  # type: ignore[assignment]  # do not keep the caller's table alive
        return self

    def _resolve(self) -> None:
        """Depth and root of everyone by pointer jumping; what never settles is in or below a
        cycle. After pass t every pointer has moved 2**t steps up, so ceil(log2 n) + 1 passes
        settle every chain: the loop is bounded whatever the data."""
        n = self.n
        parent = self.parent
        anc = parent.copy()
        dist = (parent >= 0).astype(np.int64)
        top = np.where(parent >= 0, parent, np.arange(n))
        for _ in range(int(math.ceil(math.log2(max(n, 2)))) + 2):
            moving = np.flatnonzero(anc >= 0)
            if not len(moving):
                break
            up = anc[moving]
            dist[moving] = dist[moving] + dist[up]
            top[moving] = top[up]
            anc[moving] = anc[up]
        self.resolved = anc < 0
        self.on_cycle = np.zeros(n, dtype=bool)
        self.on_cycle[anc[~self.resolved]] = True
        self.depth = np.where(self.resolved, dist, -1)
        self.root = top

    # -- selections ---------------------------------------------------------------------------

    def unit_code(self, unit: str | None) -> int | None:
        if unit is None:
            return None
        found = self.unit_names.get_indexer([unit])[0] if len(self.unit_names) else -1
        return int(found)

    def in_unit(self, unit: str | None) -> np.ndarray:
        code = self.unit_code(unit)
        if code is None:
            return np.ones(len(self.row), dtype=bool)
        return self.unit == code

    def active_between(self, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        """Spells active on at least one day of ``[start, end]``."""
        return (self.joined <= as_day(end)) & (np.isnat(self.left) | (self.left > as_day(start)))

    def active_on(self, day: pd.Timestamp) -> np.ndarray:
        return self.active_between(day, day)

    def years(self) -> list[int]:
        """Every fiscal year from the first join to the last join or exit."""
        if not len(self.row):
            return []
        dates = np.concatenate([self.joined, self.left[~np.isnat(self.left)]])
        bounds = fiscal_years(pd.Series([dates.min(), dates.max()]))
        return list(range(int(bounds.iloc[0]), int(bounds.iloc[1]) + 1))

    def leaders_members(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct leader codes and member codes (leaders take precedence) among spells."""
        leaders = distinct_values(self.person[mask & self.leader])
        everyone = distinct_values(self.person[mask])
        is_leader = np.zeros(self.n, dtype=bool)
        is_leader[leaders] = True
        return leaders.astype(np.int64), everyone[~is_leader[everyone]].astype(np.int64)

    def match(self, values: pd.Series) -> np.ndarray:
        """Person code of each key in ``values`` (``-1``: not in the roster or missing).

        ``values`` is a whole column; the result is remembered on the (memoised) model while
        the column's immutable Arrow array lives, as ``int32``.
        """
        arrow = arrow_array(values)
        cached = self._matches.get(id(arrow)) if arrow is not None else None
        if cached is not None and cached[0]() is arrow:
            return cached[1].astype(np.int64)
        codes, uniques = column_codes(values)
        both = pd.concat([pd.Series(self.keys.array, dtype="string"),
                          pd.Series(uniques.array, dtype="string")], ignore_index=True)
        joint = np.asarray(pd.factorize(both)[0][self.n:], dtype=np.int64)
        position = np.where(joint < self.n, joint, -1)  # keys come first, in order
        if len(position):
            matched = np.where(codes >= 0, position[np.maximum(codes, 0)], -1)
        else:
            matched = np.full(len(codes), -1, dtype=np.int64)
        if arrow is not None:
            stored = matched.astype(np.int32)
            stored.setflags(write=False)
            key, matches = id(arrow), self._matches

            def forget(_ref: weakref.ref) -> None:
                matches.pop(key, None)

            matches[key] = (weakref.ref(arrow, forget), stored)
        return matched

    def key_strings(self, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """Person keys of codes (``-1``: missing) as a ``string`` array."""
        return take_strings(self.keys, codes)

    def unit_strings(self, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
        return take_strings(self.unit_names, codes)

    # -- cascades -----------------------------------------------------------------------------

    def subtree_counts(self, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weighted direct recruits and weighted descendants of every person.

        Levels are processed from the deepest up, one vectorised step per level.
        """
        parent, depth = self.parent, self.depth
        weight = weight.astype(np.float64)
        child = np.flatnonzero(depth >= 1)
        direct = np.zeros(self.n)
        np.add.at(direct, parent[child], weight[child])
        total = weight.copy()
        order = child[np.argsort(-depth[child], kind="stable")]
        cuts = np.flatnonzero(np.diff(depth[order])) + 1
        for block in np.split(order, cuts):
            np.add.at(total, parent[block], total[block])
        return direct, total - weight


def take_strings(values: pd.Index, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a ``string`` array, ``<NA>`` where a code is ``-1``."""
    strings = pd.array(values.array, dtype="string") if len(values) else \
        pd.array([], dtype="string")
    codes = np.asarray(codes, dtype=np.int64)
    if not len(strings):
        return pd.array([pd.NA] * len(codes), dtype="string")
    return strings.take(codes, allow_fill=True)


def period_bounds(
    fiscal_year: int | None, years: Sequence[int]
) -> tuple[pd.Timestamp, pd.Timestamp]:
    if fiscal_year is not None:
        return fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    if not years:
        return pd.Timestamp("1900-01-01"), pd.Timestamp("2200-12-31")
    return fiscal_year_start(min(years)), fiscal_year_end(max(years))


def in_period(dates: np.ndarray, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    return (dates >= as_day(start)) & (dates <= as_day(end))
