"""The network: leaders, recruitment cascades, joins and exits, continuity, co-attendance.

The programme follows Heclo's *issue networks*: leaders (แกนนำ) recruit like-minded colleagues,
who recruit others in turn, and people move in and out. Every function reads the processed
``roster`` table (``person_key, unit, staff_type, role, joined, recruited_by_key, left,
left_reason`` plus ``source_*``) and/or the ``attendance`` table, never modifies them, and
returns a tidy :class:`pandas.DataFrame` (or a :class:`networkx.Graph`). People appear only as
counts or pseudonymous ``person_key`` values, never by name.

Conventions
-----------
* A roster row is a *spell*: a person is **active on day d** when ``joined <= d`` and ``left``
  is missing or ``left > d`` (the ``left`` day itself is the first day away; a retirement on
  30 September means not active at the end of that fiscal year). A spell is **active during**
  a period when it is active on at least one of its days. Rows without a ``person_key`` or a
  ``joined`` date, or with ``left`` before ``joined``, are left out of every measure
  (:func:`check_roster` reports them).
* A person with a second row is a **re-entry** (the later row); their first row is their
  **join**. A person counts as a leader in a period if any of their leader spells is active
  during it, otherwise as a member.
* **Recruitment** is a person-level tree: a person's recruiter is the ``recruited_by_key`` of
  their earliest row that names one. **Depth** is 0 for a person without a recruiter (the
  appointed leaders), 1 for a direct recruit, 2 for a recruit's recruit, and so on. A recruiter
  who is not in the roster is unknown: the recruit starts a cascade of their own (depth 0).
  People in a recruitment cycle, and everyone recruited below one, get no depth and are left
  out of cascade measures; nothing loops (depths come from pointer jumping, at most
  ``log2(n) + 2`` vectorised passes).
* A recruit is counted in the period in which they first joined.
* ``fiscal_year=None`` means the whole span of the data: from the first day of the first
  fiscal year to the last day (30 September) of the last one.

Summary keys
------------
:func:`network_summary` returns ``{"leaders", "members", "recruits_per_leader_median",
"max_cascade_depth", "leader_retention", "members_active_share"}`` for the fiscal year (or the
whole span) and unit (roster ``unit``; ``None`` = whole department) asked:

``leaders``
    Distinct people with a leader spell in the unit active at some time during the period.
``members``
    Distinct people with a member spell in the unit active during the period who are not
    counted as leaders.
``recruits_per_leader_median``
    Median, over those leaders, of the number of distinct people whose recruiter is the leader
    and who first joined during the period (leaders without recruits count as 0); ``None``
    without leaders.
``max_cascade_depth``
    Largest recruitment depth (leader 0, direct recruit 1, recruit's recruit 2, …) among those
    leaders and members; ``None`` when there are none.
``leader_retention``
    Share of those leaders who still hold an active leader spell in the unit on the period's
    last day (30 September); ``None`` without leaders.
``members_active_share``
    Share of those members (leaders excluded) with at least one attendance row (matched by
    ``person_key``, under any unit) in the period's fiscal year(s); ``None`` without members.
"""

from __future__ import annotations

import hashlib
import math
import weakref
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, eigsh

from .. import vocab
from ..errors import ConfigError
from ..ingest.thai import fiscal_month, fiscal_years
from ..shared import memoized
from .participation import (
    ATTENDANCE_COLUMNS,
    _arrow,
    _check_fiscal_year,
    _check_selection,
    _check_unit,
    _column_codes,
    _dataset_tables,
    _dataset_years,
    _date_values,
    _distinct,
    _fy_end,
    _fy_start,
    _incidence,
    _json_dict,
    _memo,
    _month_start,
    _pick,
    _ratio,
    _require,
    _Rows,
)

__all__ = [
    "NETWORK_KEYS",
    "ROSTER_COLUMNS",
    "cascade_depth",
    "check_roster",
    "coattendance_centrality",
    "coattendance_graph",
    "gini",
    "graph_metrics",
    "joins_exits",
    "leader_continuity",
    "leader_tenure",
    "members_active_share",
    "network_growth",
    "network_summary",
    "recruitment_distribution",
    "recruits_per_leader",
    "top_recruiters",
]

#: Columns of the roster table the functions here read.
ROSTER_COLUMNS: tuple[str, ...] = (
    "person_key", "unit", "role", "joined", "recruited_by_key", "left", "left_reason",
)
#: Keys of :func:`network_summary`, in order.
NETWORK_KEYS: tuple[str, ...] = (
    "leaders", "members", "recruits_per_leader_median", "max_cascade_depth",
    "leader_retention", "members_active_share",
)
LEADER = "leader"
MEMBER = "member"
#: Default limit on co-attending pairs (Σ over activities of n(n−1)/2) for exact projections.
MAX_PAIRS = 5_000_000
#: Default number of random pairs used to estimate density when the projection is too big.
SAMPLE_PAIRS = 200_000

_REASONS: tuple[str, ...] = (*vocab.LEFT_REASONS, "unknown")
_BIG = np.iinfo(np.int64).max
#: How many people and rows a cycle message lists before "…".
_SHOWN = 12


# --------------------------------------------------------------------------------------------
# The roster as integer arrays
# --------------------------------------------------------------------------------------------

_I8_MAX = np.iinfo(np.int64).max


def _as_datetime64(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy()


def _day(value: pd.Timestamp) -> np.datetime64:
    return np.datetime64(value)


class _Roster:
    """The roster as integer arrays: people, their spells and the recruitment forest.

    Built once per public call with one ``factorize`` of the person and recruiter keys; every
    measure then works on integer codes (string comparisons and ``isin`` on Arrow strings are
    slow). People are numbered ``0 … n−1`` in the order of :attr:`keys`.

    Row arrays (``row_*``) cover every roster row; spell arrays (``person``, ``unit``,
    ``leader``, ``joined``, ``left``, ``reason``, ``row``, ``seq``) cover the valid rows (a
    key, a joined date, ``left`` not before ``joined``) sorted by person, joined date and row.
    """

    def __init__(self, roster: pd.DataFrame) -> None:
        _require(roster, "roster", ROSTER_COLUMNS)
        self.frame = roster
        self._matches: dict[int, tuple[weakref.ref, np.ndarray]] = {}
        n_rows = len(roster)
        row_person, self.keys = _column_codes(roster["person_key"])
        self.n = n = len(self.keys)
        recruiter_code, self.names = _column_codes(roster["recruited_by_key"])
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

        joined = _as_datetime64(roster["joined"])
        left = _as_datetime64(roster["left"])
        self.row_joined, self.row_left = joined, left
        unit, self.unit_names = _column_codes(roster["unit"])
        reason, self.reason_names = _column_codes(roster["left_reason"])
        leader = (roster["role"] == LEADER).fillna(False).to_numpy(dtype=bool)

        # Every keyed row ranked by joined date (missing last), then by position.
        j8 = joined.view(np.int64).copy()
        j8[np.isnat(joined)] = _I8_MAX
        keyed = np.flatnonzero(row_person >= 0)
        order = keyed[np.lexsort((keyed, j8[keyed]))]
        rank = np.full(n_rows, -1, dtype=np.int64)
        rank[order] = np.arange(len(order))
        self.row_rank = rank
        first = keyed[_pick(row_person[keyed], n, rank[keyed], last=False)] if n else keyed
        latest = keyed[_pick(row_person[keyed], n, rank[keyed], last=True)] if n else keyed
        self.first_row = first
        self.first_joined = joined[first]
        self.latest_unit = unit[latest]
        self.is_leader = np.zeros(n, dtype=bool)
        self.is_leader[row_person[keyed[leader[keyed]]]] = True
        # A person's recruiter: on their earliest row that names one.
        with_recruiter = keyed[named[keyed]]
        chosen = _pick(row_person[with_recruiter], n, rank[with_recruiter], last=False)
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
    def of(cls, roster: pd.DataFrame) -> _Roster:
        """The model of ``roster``, memoised while its columns are unchanged."""
        _require(roster, "roster", ROSTER_COLUMNS)
        dates = [pd.to_datetime(roster[c]).to_numpy() for c in ("joined", "left")]
        salt = tuple(hashlib.blake2b(np.ascontiguousarray(d).view(np.uint8), digest_size=16)
                     .hexdigest() for d in dates)
        columns = [roster[c] for c in ("person_key", "recruited_by_key", "unit", "role",
                                       "left_reason")]
        return _memo("roster", columns, lambda: cls(roster).frozen(), salt)  # type: ignore

    def frozen(self) -> _Roster:
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
        return (self.joined <= _day(end)) & (np.isnat(self.left) | (self.left > _day(start)))

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
        leaders = _distinct(self.person[mask & self.leader])
        everyone = _distinct(self.person[mask])
        is_leader = np.zeros(self.n, dtype=bool)
        is_leader[leaders] = True
        return leaders.astype(np.int64), everyone[~is_leader[everyone]].astype(np.int64)

    def match(self, values: pd.Series) -> np.ndarray:
        """Person code of each key in ``values`` (``-1``: not in the roster or missing).

        ``values`` is a whole column; the result is remembered on the (memoised) model while
        the column's immutable Arrow array lives, as ``int32``.
        """
        arrow = _arrow(values)
        cached = self._matches.get(id(arrow)) if arrow is not None else None
        if cached is not None and cached[0]() is arrow:
            return cached[1].astype(np.int64)
        codes, uniques = _column_codes(values)
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
        return _take_strings(self.keys, codes)

    def unit_strings(self, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
        return _take_strings(self.unit_names, codes)

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


def _take_strings(values: pd.Index, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a ``string`` array, ``<NA>`` where a code is ``-1``."""
    strings = pd.array(values.array, dtype="string") if len(values) else \
        pd.array([], dtype="string")
    codes = np.asarray(codes, dtype=np.int64)
    if not len(strings):
        return pd.array([pd.NA] * len(codes), dtype="string")
    return strings.take(codes, allow_fill=True)


def _period(fiscal_year: int | None, years: Sequence[int]) -> tuple[pd.Timestamp, pd.Timestamp]:
    if fiscal_year is not None:
        return _fy_start(fiscal_year), _fy_end(fiscal_year)
    if not years:
        return pd.Timestamp("1900-01-01"), pd.Timestamp("2200-12-31")
    return _fy_start(min(years)), _fy_end(max(years))


def _in_period(dates: np.ndarray, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    return (dates >= _day(start)) & (dates <= _day(end))


_CASCADE_COLUMNS = (
    "person_key", "role", "unit", "recruited_by_key", "status", "root_key", "depth",
    "recruits", "cascade_size",
)


def cascade_depth(roster: pd.DataFrame) -> pd.DataFrame:
    """Each person's place in the recruitment cascade (leader → recruit → recruit's recruit).

    Parameters
    ----------
    roster
        The processed roster table. Not modified.

    Returns
    -------
    pandas.DataFrame
        One row per ``person_key``: ``role`` (``"leader"`` if any of their rows is a leader
        row, else ``"member"``), ``unit`` (of their latest row), ``recruited_by_key`` (the
        recruiter used), ``status`` (``"root"``: no recruiter; ``"unknown_recruiter"``: the
        recruiter is not in the roster, so the cascade starts here; ``"recruited"``;
        ``"cycle"``: in a recruitment cycle; ``"below_cycle"``: recruited under a cycle),
        ``root_key`` (the person at the top of their cascade), ``depth`` (``Int64``; 0 at the
        top, missing for ``cycle``/``below_cycle``), ``recruits`` (direct recruits) and
        ``cascade_size`` (everyone below them, at any depth). Sorted by depth, then roster order.

    Notes
    -----
    Depth is found by pointer jumping (each pass doubles how far every pointer reaches), so
    the work is :math:`O(n \\log n)` with at most :math:`\\lceil\\log_2 n\\rceil + 2`
    vectorised passes, and a cycle cannot make it loop. Cascade sizes are summed level by
    level from the deepest recruits up.

    Examples
    --------
    >>> roster = pd.DataFrame({
    ...     "person_key": ["L", "A", "B"], "unit": "U1", "role": ["leader", "member", "member"],
    ...     "joined": pd.to_datetime(["2006-11-15", "2007-01-01", "2007-02-01"]),
    ...     "recruited_by_key": [None, "L", "A"], "left": pd.NaT, "left_reason": None})
    >>> cascade_depth(roster)[["person_key", "depth", "recruits", "cascade_size"]]
      person_key  depth  recruits  cascade_size
    0          L      0         1             2
    1          A      1         1             1
    2          B      2         0             0
    """
    model = _Roster.of(roster)
    n = model.n
    resolved = model.resolved
    direct, below = model.subtree_counts(resolved.astype(np.float64))
    status = np.where(model.parent >= 0, 1, 0)
    status[model.unknown] = 2
    status[~resolved] = 3
    status[model.on_cycle] = 4
    labels = pd.Index(pd.array(["root", "recruited", "unknown_recruiter", "below_cycle",
                                "cycle"], dtype="string"))
    root_key = model.key_strings(np.where(resolved, model.root, -1))
    depth = pd.array(model.depth, dtype="Int64")
    depth[~resolved] = pd.NA
    recruits = pd.array(direct.astype(np.int64), dtype="Int64")
    cascade = pd.array(below.astype(np.int64), dtype="Int64")
    recruits[~resolved] = pd.NA
    cascade[~resolved] = pd.NA
    roles = pd.Index(pd.array([MEMBER, LEADER], dtype="string"))
    out = pd.DataFrame({
        "person_key": model.key_strings(np.arange(n)),
        "role": _take_strings(roles, model.is_leader.astype(np.int64)),
        "unit": model.unit_strings(model.latest_unit),
        "recruited_by_key": _take_strings(model.names, model.recruiter),
        "status": _take_strings(labels, status),
        "root_key": root_key,
        "depth": depth,
        "recruits": recruits,
        "cascade_size": cascade,
    })
    # Ties in order of first appearance in the roster (see _codes).
    order = np.lexsort((np.arange(n), np.where(resolved, model.depth, _BIG)))
    return out.take(order).reset_index(drop=True)[list(_CASCADE_COLUMNS)]


# --------------------------------------------------------------------------------------------
# Recruits per leader, concentration, hubs
# --------------------------------------------------------------------------------------------


def gini(values: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Gini coefficient of non-negative values (0 = all equal, → 1 = one holds everything).

    Parameters
    ----------
    values
        Counts such as recruits per leader; missing values are dropped.

    Returns
    -------
    float
        The coefficient, or NaN when there are no values or they are all 0.

    Raises
    ------
    ConfigError
        A value is negative.

    Notes
    -----
    The population (uncorrected) coefficient, the mean absolute difference over twice the
    mean:

    .. math:: G = \\frac{\\sum_i \\sum_j |x_i - x_j|}{2 n^2 \\bar x}
              = \\frac{2 \\sum_{i=1}^n i\\, x_{(i)}}{n \\sum_i x_i} - \\frac{n + 1}{n}

    with :math:`x_{(i)}` sorted ascending; computed with the second form in
    :math:`O(n \\log n)`. Its maximum for ``n`` values is :math:`(n - 1)/n`.

    References
    ----------
    .. [1] Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo Cuppini.
    .. [2] Damgaard, C. & Weiner, J. (2000). Describing inequality in plant size or fecundity.
       Ecology, 81(4), 1139–1142.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    array = pd.Series(values, dtype="float64").dropna().to_numpy()
    if (array < 0).any():
        raise ConfigError(
            f"gini needs non-negative values; got {array[array < 0][0]!r}. "
            "Use counts such as recruits per leader"
        )
    n = len(array)
    total = array.sum()
    if n == 0 or total == 0:
        return math.nan
    ranks = np.arange(1, n + 1)
    return float(2 * np.sum(ranks * np.sort(array)) / (n * total) - (n + 1) / n)


def _recruit_table(
    roster: pd.DataFrame, fiscal_year: int | None, unit: str | None, leaders_only: bool
) -> pd.DataFrame:
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, roster["unit"])
    model = _Roster.of(roster)
    start, end = _period(year, model.years())
    weight = model.resolved & _in_period(model.first_joined, start, end)
    direct, below = model.subtree_counts(weight)
    chosen = model.active_between(start, end) & model.in_unit(unit)
    if leaders_only:
        chosen = chosen & model.leader
    spells = np.flatnonzero(chosen)
    # Each chosen person's latest chosen spell (its unit is the one shown).
    pick = _pick(model.person[spells], model.n, model.row_rank[model.row[spells]], last=True)
    keep = np.flatnonzero(pick >= 0)
    latest = spells[pick[keep]]
    out = pd.DataFrame({
        "person_key": model.key_strings(keep),
        "role": pd.array(np.where(model.is_leader[keep], LEADER, MEMBER), dtype="string"),
        "unit": model.unit_strings(model.unit[latest]),
        "recruits": direct[keep].astype(np.int64),
        "cascade_size": below[keep].astype(np.int64),
    })
    order = np.lexsort((keep, -out["cascade_size"].to_numpy(),
                        -out["recruits"].to_numpy()))
    return out.take(order).reset_index(drop=True)


def recruits_per_leader(
    roster: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """How many people each leader brought into the network.

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    fiscal_year
        A BE fiscal year: leaders serving during it, recruits who first joined during it.
        ``None``: the whole span of the roster.
    unit
        Only leaders whose leader spell is in this unit (their recruits may be anywhere).

    Returns
    -------
    pandas.DataFrame
        One row per leader (pseudonymous key only): ``person_key``, ``role`` (always
        ``"leader"``), ``unit``, ``recruits`` (distinct direct recruits) and ``cascade_size``
        (recruits at any depth below the leader), both counting people who first joined in
        the period. Leaders without recruits have 0. Sorted with the most active hubs first
        (recruits, then cascade size, then roster order).

    Examples
    --------
    >>> roster = pd.DataFrame({
    ...     "person_key": ["L", "A", "B", "M"], "unit": "U1",
    ...     "role": ["leader", "member", "member", "leader"],
    ...     "joined": pd.to_datetime(["2006-11-15", "2007-01-01", "2007-02-01", "2006-11-15"]),
    ...     "recruited_by_key": [None, "L", "A", None], "left": pd.NaT, "left_reason": None})
    >>> recruits_per_leader(roster)[["person_key", "recruits", "cascade_size"]]
      person_key  recruits  cascade_size
    0          L         1             2
    1          M         0             0
    """
    return _recruit_table(roster, fiscal_year, unit, leaders_only=True)


def top_recruiters(
    roster: pd.DataFrame,
    *,
    n: int = 10,
    fiscal_year: int | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """The most active hubs of the network — anyone, leader or member — by direct recruits.

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    n
        How many to return.
    fiscal_year, unit
        As in :func:`recruits_per_leader` (people on the roster during the period, in the unit).

    Returns
    -------
    pandas.DataFrame
        At most ``n`` rows of people with at least one recruit: ``person_key`` (pseudonymous),
        ``role``, ``unit``, ``recruits``, ``cascade_size``; most recruits first, ties broken by
        cascade size, then roster order.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ConfigError(f"n must be a whole number >= 0, got {n!r}")
    table = _recruit_table(roster, fiscal_year, unit, leaders_only=False)
    return table[table["recruits"] > 0].head(n).reset_index(drop=True)


def recruitment_distribution(
    roster: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Distribution of recruits per leader, with its Gini coefficient.

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    fiscal_year, unit
        As in :func:`recruits_per_leader`.

    Returns
    -------
    pandas.DataFrame
        One row per number of recruits from 0 to the maximum: ``recruits``, ``leaders`` (how
        many leaders recruited exactly that many), ``share`` (of leaders) and
        ``share_of_recruits`` (of all their recruits). ``attrs["gini"]``, ``attrs["median"]``
        and ``attrs["mean"]`` hold the concentration and centre of the distribution.
    """
    per_leader = recruits_per_leader(roster, fiscal_year=fiscal_year, unit=unit)["recruits"]
    values = per_leader.to_numpy(dtype=np.int64)
    tally = np.bincount(values) if len(values) else np.zeros(0, dtype=np.int64)
    counts = np.arange(len(tally))
    recruited = (counts * tally).sum()
    out = pd.DataFrame({
        "recruits": counts.astype(np.int64),
        "leaders": tally.astype(np.int64),
        "share": tally / len(values) if len(values) else np.zeros(0),
        "share_of_recruits": counts * tally / recruited if recruited else
        np.full(len(tally), np.nan),
    })
    out.attrs.update(
        gini=gini(values),
        median=float(np.median(values)) if len(values) else math.nan,
        mean=float(values.mean()) if len(values) else math.nan,
    )
    return out


# --------------------------------------------------------------------------------------------
# Growth, joins, exits, re-entries
# --------------------------------------------------------------------------------------------

_GROWTH_COLUMNS = (
    "fiscal_year", "fiscal_month", "month", "joins", "reentries", "exits", "active",
    "leaders_active", "members_active", "cumulative_people",
)


def network_growth(
    roster: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """The network month by month: joins, re-entries, exits and its size at each month end.

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    fiscal_year
        Only the months of this fiscal year (cumulative counts still start with the first
        join); ``None``: every month from the first join to the last join or exit.
    unit
        Only spells in this unit.

    Returns
    -------
    pandas.DataFrame
        One row per fiscal month: ``fiscal_year``, ``fiscal_month`` (1 = October),
        ``month`` (first day), ``joins`` (first spells starting that month), ``reentries``
        (later spells of someone seen before), ``exits`` (spells whose ``left`` date falls in
        the month), ``active`` (spells active on the month's last day; equal to people unless a
        person's spells overlap), ``leaders_active``, ``members_active`` and
        ``cumulative_people`` (distinct people who had joined by the month's end).

    Examples
    --------
    >>> roster = pd.DataFrame({
    ...     "person_key": ["L", "A"], "unit": "U1", "role": ["leader", "member"],
    ...     "joined": pd.to_datetime(["2006-10-15", "2006-11-02"]),
    ...     "recruited_by_key": [None, "L"],
    ...     "left": pd.to_datetime([None, "2006-12-01"]), "left_reason": [None, "transfer"]})
    >>> network_growth(roster).loc[:2, ["fiscal_month", "joins", "exits", "active"]]
       fiscal_month  joins  exits  active
    0             1      1      0       1
    1             2      1      0       2
    2             3      0      1       1
    """
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, roster["unit"])
    model = _Roster.of(roster)
    years = model.years()
    if year is not None:
        years = sorted({*years, year})
    if not years:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in _GROWTH_COLUMNS})
    first_year = years[0]
    span = years[-1] - first_year + 1
    n_months = span * 12
    mine = model.in_unit(unit)

    def month_index(dates: np.ndarray) -> np.ndarray:
        series = pd.Series(dates)
        fy = fiscal_years(series).to_numpy(dtype="float64", na_value=np.nan)
        fm = fiscal_month(series).to_numpy(dtype="float64", na_value=np.nan)
        return np.clip((fy - first_year) * 12 + fm - 1, 0, n_months - 1)

    joined_month = month_index(model.joined)
    left_month = month_index(model.left)
    has_left = ~np.isnat(model.left)

    def tally(mask: np.ndarray, months: np.ndarray) -> np.ndarray:
        return np.bincount(months[mask].astype(np.int64), minlength=n_months)

    first = model.seq == 0
    joins = tally(mine & first, joined_month)

    def active(mask: np.ndarray) -> np.ndarray:
        return (np.cumsum(tally(mask, joined_month))
                - np.cumsum(tally(mask & has_left, left_month)))

    fy = np.repeat(np.arange(first_year, years[-1] + 1), 12)
    fm = np.tile(np.arange(1, 13), span)
    out = pd.DataFrame({
        "fiscal_year": fy.astype(np.int64),
        "fiscal_month": fm.astype(np.int64),
        "month": _month_start(fy, fm),
        "joins": joins,
        "reentries": tally(mine & ~first, joined_month),
        "exits": tally(mine & has_left, left_month),
        "active": active(mine),
        "leaders_active": active(mine & model.leader),
        "members_active": active(mine & ~model.leader),
        "cumulative_people": np.cumsum(joins),
    })
    if year is not None:
        out = out[out["fiscal_year"] == year].reset_index(drop=True)
    return out[list(_GROWTH_COLUMNS)]


_JOINS_COLUMNS = (
    "fiscal_year", "role", "active_at_start", "joins", "reentries", "exits", "active_at_end",
    *(f"exits_{reason}" for reason in _REASONS),
)


def joins_exits(
    roster: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Movement in and out of the network per fiscal year (Heclo: people move in and out).

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    fiscal_year
        A BE fiscal year, or ``None`` for every year from the first join to the last exit.
    unit
        Only spells in this unit.

    Returns
    -------
    pandas.DataFrame
        Rows for roles ``"leader"``, ``"member"`` and ``"all"`` per fiscal year:
        ``active_at_start`` and ``active_at_end`` (distinct people active on 1 October and on
        30 September), ``joins`` (first spells starting in the year), ``reentries`` (later
        spells starting in the year — a member promoted to leader on a new row is a leader
        re-entry), ``exits`` (spells whose ``left`` falls in the year) and
        ``exits_transfer``, ``exits_retirement``, ``exits_resignation``, ``exits_death``,
        ``exits_other``, ``exits_unknown`` by ``left_reason`` (a missing reason counts as
        unknown, a reason outside the vocabulary as other, so they add up to ``exits``).
    """
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, roster["unit"])
    model = _Roster.of(roster)
    years = [year] if year is not None else model.years()
    mine = model.in_unit(unit)
    first = model.seq == 0
    # Reason of each spell as an index into _REASONS: missing → unknown, unlisted → other.
    listed = {code: i for i, code in enumerate(_REASONS)}
    per_name = np.array([listed.get(str(r), listed["other"]) for r in model.reason_names]
                        + [listed["unknown"]], dtype=np.int64)
    reason = per_name[np.where(model.reason >= 0, model.reason, len(model.reason_names))]
    rows = []
    for y in years:
        start, end = _fy_start(y), _fy_end(y)
        joined_in = _in_period(model.joined, start, end)
        left_in = _in_period(model.left, start, end)
        at_start = model.active_on(start)
        at_end = model.active_on(end)
        for role, mask in ((LEADER, mine & model.leader), (MEMBER, mine & ~model.leader),
                           ("all", mine)):
            row = {
                "fiscal_year": y, "role": role,
                "active_at_start": len(_distinct(model.person[mask & at_start])),
                "joins": int((mask & joined_in & first).sum()),
                "reentries": int((mask & joined_in & ~first).sum()),
                "exits": int((mask & left_in).sum()),
                "active_at_end": len(_distinct(model.person[mask & at_end])),
            }
            counts = np.bincount(reason[mask & left_in], minlength=len(_REASONS))
            for i, code in enumerate(_REASONS):
                row[f"exits_{code}"] = int(counts[i])
            rows.append(row)
    out = pd.DataFrame(rows, columns=list(_JOINS_COLUMNS))
    out = out.astype({c: "int64" for c in _JOINS_COLUMNS if c != "role"})
    return out.astype({"role": "string"})


# --------------------------------------------------------------------------------------------
# Leader continuity and tenure
# --------------------------------------------------------------------------------------------

_CONTINUITY_COLUMNS = (
    "unit", "fiscal_year", "leaders_at_start", "leaders_served", "leaders_at_end", "retained",
    "retention", "exits", "transfers", "last_exit_reason", "without_leader_at_end",
    "orphaned_by_transfer", "days_without_leader",
)


def _covered_days(leaders: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Days of ``[start, end]`` on which each unit had at least one active leader."""
    if leaders.empty:
        return pd.Series(dtype="int64")
    frame = pd.DataFrame({
        "unit": leaders["unit"].to_numpy(),
        "a": leaders["joined"].to_numpy(),
        "b": np.where(leaders["left"].isna().to_numpy(), np.datetime64("9999-12-31"),
                      leaders["left"].to_numpy()).astype(leaders["joined"].to_numpy().dtype),
    }).sort_values(["unit", "a"], kind="stable")
    # Merge overlapping spells: a block starts where a spell begins after all earlier ends.
    reach = frame.groupby("unit", sort=False)["b"].cummax()
    before = reach.groupby(frame["unit"], sort=False).shift()
    block = (before.isna() | (frame["a"] > before)).cumsum()
    merged = frame.assign(block=block.to_numpy(), b=reach.to_numpy()).groupby(
        ["unit", "block"], sort=False).agg(a=("a", "min"), b=("b", "max"))
    lo = merged["a"].clip(lower=start)
    hi = merged["b"].clip(upper=end + pd.Timedelta(days=1))
    days = ((hi - lo).dt.days).clip(lower=0)
    return days.groupby(level="unit").sum()


def leader_continuity(
    roster: pd.DataFrame,
    units: pd.DataFrame | None = None,
    *,
    fiscal_year: int | None = None,
) -> pd.DataFrame:
    """Whether each unit kept its leaders through the year, and how long it went without one.

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    units
        The processed units table: its units are listed even when they never had a leader.
        ``None``: only units with a leader spell.
    fiscal_year
        A BE fiscal year, or ``None`` for every year of the roster (and units table).

    Returns
    -------
    pandas.DataFrame
        One row per unit and fiscal year: ``leaders_at_start`` (distinct leaders active on
        1 October), ``leaders_served`` (with a leader spell active at some time in the year),
        ``leaders_at_end`` (active on 30 September), ``retained`` (of those who served, still
        active at the end), ``retention`` (``retained / leaders_served``), ``exits`` (leader
        spells ending in the year), ``transfers`` (of which by transfer), ``last_exit_reason``
        (reason of the unit's latest leader exit up to the year's end), ``without_leader_at_end``
        (no active leader on 30 September), ``orphaned_by_transfer`` (a unit that had a leader
        during the year, has none at its end, and whose latest leader exit was a transfer —
        the continuity problem the programme reported) and ``days_without_leader`` (days of the
        year, counted from the unit's first leader appointment, with no active leader; missing
        before the first appointment).
    """
    year = _check_fiscal_year(fiscal_year)
    model = _Roster.of(roster)
    spells = np.flatnonzero(model.leader)
    leaders = pd.DataFrame({
        "unit": model.unit_strings(model.unit[spells]),
        "code": model.unit[spells] * max(model.n, 1) + model.person[spells],
        "person": model.person[spells],
        "joined": model.joined[spells],
        "left": model.left[spells],
        "left_reason": pd.array(
            np.asarray(model.reason_names.array, dtype=object)[
                np.maximum(model.reason[spells], 0)] if len(model.reason_names)
            else np.full(len(spells), None), dtype="string"),
        "row": model.row[spells],
    })
    leaders.loc[model.reason[spells] < 0, "left_reason"] = pd.NA
    leaders = leaders[leaders["unit"].notna()]
    years = model.years()
    listed = pd.DataFrame({"unit": pd.Series(dtype="string"),
                           "fiscal_year": pd.Series(dtype="int64")})
    if units is not None:
        _require(units, "units", ("unit", "fiscal_year"))
        listed = pd.DataFrame({
            "unit": units["unit"].astype("string").to_numpy(),
            "fiscal_year": units["fiscal_year"].astype("Int64").to_numpy(),
        }).dropna()
        listed["fiscal_year"] = listed["fiscal_year"].astype("int64")
        years = sorted({*years, *listed["fiscal_year"].tolist()})
    if year is not None:
        years = [year]
    leader_units = sorted(leaders["unit"].unique().tolist())
    first_appointment = leaders.groupby("unit")["joined"].min()
    exits = leaders[leaders["left"].notna()].sort_values(["unit", "left", "row"],
                                                         kind="stable")

    def active(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        left = frame["left"]
        return frame[((frame["joined"] <= end) & (left.isna() | (left > start))).to_numpy()]

    rows = []
    for y in years:
        start, end = _fy_start(y), _fy_end(y)
        unit_list = sorted(set(listed.loc[listed["fiscal_year"] == y, "unit"].tolist())
                           | set(leader_units))
        served = active(leaders, start, end)
        at_start = active(leaders, start, start)
        at_end = active(leaders, end, end)
        served_n = served.groupby("unit")["person"].nunique()
        start_n = at_start.groupby("unit")["person"].nunique()
        end_n = at_end.groupby("unit")["person"].nunique()
        kept = served[np.isin(served["code"].to_numpy(), at_end["code"].to_numpy())]
        retained_n = kept.groupby("unit")["person"].nunique()
        left_in = exits[_in_period(exits["left"].to_numpy(), start, end)]
        exit_n = left_in.groupby("unit").size()
        transfer_n = left_in[(left_in["left_reason"] == "transfer").fillna(False)] \
            .groupby("unit").size()
        last_reason = (exits[exits["left"] <= end].drop_duplicates("unit", keep="last")
                       .set_index("unit")["left_reason"])
        covered = _covered_days(leaders, start, end)
        for u in unit_list:
            n_served = int(served_n.get(u, 0))
            n_end = int(end_n.get(u, 0))
            reason = last_reason.get(u, pd.NA)
            reason = None if pd.isna(reason) else str(reason)
            first = first_appointment.get(u, pd.NaT)
            if pd.isna(first) or first > end:
                without_days: float = math.nan
            else:
                span = (end - max(start, first)).days + 1
                without_days = float(span - covered.get(u, 0))
            rows.append({
                "unit": u, "fiscal_year": y,
                "leaders_at_start": int(start_n.get(u, 0)),
                "leaders_served": n_served,
                "leaders_at_end": n_end,
                "retained": int(retained_n.get(u, 0)),
                "retention": _ratio(retained_n.get(u, 0), n_served),
                "exits": int(exit_n.get(u, 0)),
                "transfers": int(transfer_n.get(u, 0)),
                "last_exit_reason": reason,
                "without_leader_at_end": n_end == 0,
                "orphaned_by_transfer": n_end == 0 and n_served > 0 and reason == "transfer",
                "days_without_leader": without_days,
            })
    out = pd.DataFrame(rows, columns=list(_CONTINUITY_COLUMNS))
    out = out.astype({
        "unit": "string", "fiscal_year": "int64", "leaders_at_start": "int64",
        "leaders_served": "int64", "leaders_at_end": "int64", "retained": "int64",
        "retention": "float64", "exits": "int64", "transfers": "int64",
        "last_exit_reason": "string", "without_leader_at_end": "bool",
        "orphaned_by_transfer": "bool", "days_without_leader": "Int64",
    })
    return out.sort_values(["fiscal_year", "unit"], kind="stable").reset_index(drop=True)


_TENURE_COLUMNS = (
    "person_key", "unit", "joined", "left", "left_reason", "days", "censored", "reentry",
)


def leader_tenure(
    roster: pd.DataFrame, *, unit: str | None = None, as_of: object = None
) -> pd.DataFrame:
    """How long leaders stayed: one row per leader spell.

    Parameters
    ----------
    roster
        The processed roster table. Not modified.
    unit
        Only leader spells in this unit.
    as_of
        The day the data end (a date or anything :func:`pandas.Timestamp` reads); spells still
        open then are cut there and marked ``censored``. Default: the last day of the last
        fiscal year of the roster.

    Returns
    -------
    pandas.DataFrame
        ``person_key`` (pseudonymous), ``unit``, ``joined``, ``left``, ``left_reason``,
        ``days`` (``left − joined``, or ``as_of + 1 day − joined`` for an open spell),
        ``censored`` (still a leader at ``as_of``: the stay is at least ``days``) and
        ``reentry`` (the person had an earlier spell). Sorted by ``joined``.

    Notes
    -----
    With censored spells the plain mean or median of ``days`` understates how long leaders
    stay; report the median among completed spells next to the share censored, or use a
    Kaplan–Meier estimate.
    """
    unit = _check_unit(unit, roster["unit"])
    model = _Roster.of(roster)
    years = model.years()
    if as_of is None:
        cut = _fy_end(years[-1]) if years else pd.Timestamp("2200-12-31")
    else:
        try:
            cut = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            raise ConfigError(f"as_of must be a date such as 2008-09-30, got {as_of!r}")
        if pd.isna(cut):
            raise ConfigError(f"as_of must be a date such as 2008-09-30, got {as_of!r}")
    spells = np.flatnonzero(model.leader & model.in_unit(unit) & (model.joined <= _day(cut)))
    joined = model.joined[spells]
    left = model.left[spells]
    open_at_cut = np.isnat(left) | (left > _day(cut))
    stop = np.where(open_at_cut, _day(cut + pd.Timedelta(days=1)), left)
    reason_names = np.asarray(model.reason_names.array, dtype=object)
    reason = model.reason[spells]
    reasons = np.where((reason >= 0) & ~open_at_cut,
                       reason_names[np.maximum(reason, 0)] if len(reason_names) else None, None)
    out = pd.DataFrame({
        "person_key": model.key_strings(model.person[spells]),
        "unit": model.unit_strings(model.unit[spells]),
        "joined": joined,
        "left": np.where(open_at_cut, np.datetime64("NaT"), left).astype(joined.dtype),
        "left_reason": pd.array(reasons, dtype="string"),
        "days": ((stop - joined) // np.timedelta64(1, "D")).astype(np.int64),
        "censored": open_at_cut,
        "reentry": model.seq[spells] > 0,
    })
    out = out.sort_values(["joined", "person_key"], kind="stable").reset_index(drop=True)
    return out[list(_TENURE_COLUMNS)]


# --------------------------------------------------------------------------------------------
# From network to action
# --------------------------------------------------------------------------------------------

_ACTIVE_COLUMNS = ("fiscal_year", "role", "network", "attended", "share")


def _attended_by_year(
    model: _Roster, attendance: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Person code (``-1``: not on the roster) and fiscal year of every attendance row."""
    rows = _Rows(attendance, None, None)
    return model.match(rows.column("person_key")), rows.fiscal_year()


def _share_attended(
    model: _Roster, mask: np.ndarray, attended: np.ndarray
) -> dict[str, tuple[int, int]]:
    leaders, members = model.leaders_members(mask)
    result = {}
    for role, people in ((LEADER, leaders), (MEMBER, members),
                         ("all", np.concatenate([leaders, members]))):
        result[role] = (len(people), int(attended[people].sum()))
    return result


def members_active_share(
    roster: pd.DataFrame,
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """From network to action: the share of network people who attended an activity.

    Parameters
    ----------
    roster, attendance
        The processed roster and attendance tables. Not modified.
    fiscal_year
        A BE fiscal year, or ``None`` for one row block per fiscal year of either table.
    unit
        Only people whose roster spell is in this unit (their attendance may be under any unit).

    Returns
    -------
    pandas.DataFrame
        Rows for roles ``"leader"``, ``"member"`` (leaders excluded) and ``"all"`` per fiscal
        year: ``network`` (distinct people with a spell active during the year),
        ``attended`` (of them, with at least one attendance row in that fiscal year, matched by
        ``person_key``) and ``share`` (``attended / network``).
    """
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, roster["unit"])
    model = _Roster.of(roster)
    person, att_year = _attended_by_year(model, attendance)
    years = ([year] if year is not None
             else sorted({*model.years(), *_distinct(att_year).tolist()}))
    mine = model.in_unit(unit)
    rows = []
    for y in years:
        attended = np.zeros(model.n, dtype=bool)
        attended[person[(att_year == y) & (person >= 0)]] = True
        active = mine & model.active_between(_fy_start(y), _fy_end(y))
        for role, (network, came) in _share_attended(model, active, attended).items():
            rows.append({"fiscal_year": y, "role": role, "network": network,
                         "attended": came, "share": _ratio(came, network)})
    out = pd.DataFrame(rows, columns=list(_ACTIVE_COLUMNS))
    return out.astype({"fiscal_year": "int64", "role": "string", "network": "int64",
                       "attended": "int64", "share": "float64"})


# --------------------------------------------------------------------------------------------
# Co-attendance graph
# --------------------------------------------------------------------------------------------


def _bipartite(
    attendance: pd.DataFrame, fiscal_year: object, unit: object
) -> tuple[_Rows, np.ndarray, np.ndarray, pd.Index, sp.csr_matrix]:
    """Selected rows, positions of the rows with a key, their person codes, the keys and the
    person × activity 0/1 matrix."""
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = _check_fiscal_year(fiscal_year)
    unit = _check_unit(unit, attendance["unit"])
    rows = _Rows(attendance, year, unit)
    where, person, keys, matrix = _incidence(rows)
    return rows, where, person, keys, matrix





def _latest_attributes(
    rows: _Rows, where: np.ndarray, person: np.ndarray, n: int
) -> dict[str, pd.arrays.StringArray]:
    """``staff_type`` and ``unit`` of every person's latest attendance row."""
    latest = where[_pick(person, n, _date_values(rows.column("date"))[where], last=True)]
    return {column: rows.take(column, latest) for column in ("staff_type", "unit")}


def _check_count(name: str, value: object, minimum: int, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        extra = " or None" if allow_none else ""
        raise ConfigError(f"{name} must be a whole number >= {minimum}{extra}, got {value!r}")


def _pair_incidences(matrix: sp.csr_matrix) -> tuple[np.ndarray, float]:
    sizes = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    return sizes, float((sizes * (sizes - 1) / 2).sum())


def coattendance_graph(
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    min_shared: int = 1,
    max_nodes: int | None = 2000,
    max_pairs: int = MAX_PAIRS,
    seed: int = 0,
) -> nx.Graph:
    """The co-attendance graph: people linked when they attended the same activity.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year, unit
        Which attendances (``None``: all years / the whole department, citizens included).
    min_shared
        Keep an edge only when the two people shared at least this many activities.
    max_nodes
        Upper limit on the people in the graph. With more participants than this, a uniform
        random sample of ``max_nodes`` people (seeded by ``seed``) is taken and the graph is the
        one *induced* on them: their edges are exact, but whole-graph measures of a sample are
        only estimates. ``None``: no limit.
    max_pairs
        Refuse to build a graph whose activities would give more co-attending pairs than this
        (:math:`\\sum_a n_a(n_a-1)/2` over the kept people), which would not fit in memory as a
        networkx graph; lower ``max_nodes`` then.
    seed
        Seed of the sample.

    Returns
    -------
    networkx.Graph
        Nodes are pseudonymous ``person_key`` with attributes ``staff_type``, ``unit`` (from
        the person's latest attendance row) and ``activities`` (distinct activities attended);
        edges carry ``weight`` = number of activities attended together. ``graph.graph`` holds
        ``fiscal_year``, ``unit``, ``nodes_total`` (participants before sampling),
        ``sampled``, ``seed`` and ``min_shared``.

    Notes
    -----
    Built as the one-mode projection :math:`A = B B^\\top` of the sparse person × activity
    incidence matrix :math:`B` (scipy.sparse), keeping the upper triangle, so edges are never
    enumerated activity by activity in Python. Whole-graph measures that do not need the graph
    itself are in :func:`graph_metrics` and :func:`coattendance_centrality`, which scale to
    millions of rows.

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PC", "PA", "PC"], "unit": "U1",
    ...     "staff_type": "civil_servant", "role": "member",
    ...     "activity": ["Talk", "Talk", "Talk", "Walk", "Walk"],
    ...     "date": pd.to_datetime(["2007-10-05"] * 3 + ["2007-11-02"] * 2),
    ...     "fiscal_year": pd.array([2551] * 5, dtype="Int64")})
    >>> g = coattendance_graph(att)
    >>> sorted(g.edges(data="weight"))
    [('PA', 'PB', 1), ('PA', 'PC', 2), ('PB', 'PC', 1)]
    """
    _check_count("min_shared", min_shared, 1)
    _check_count("max_nodes", max_nodes, 1, allow_none=True)
    _check_count("max_pairs", max_pairs, 0)
    rows, where, person, keys, matrix = _bipartite(attendance, fiscal_year, unit)
    n = len(keys)
    chosen = np.arange(n)
    sampled = max_nodes is not None and n > max_nodes
    if sampled:
        chosen = np.sort(np.random.default_rng(seed).choice(n, size=max_nodes, replace=False))
    sub = matrix[chosen]
    _, pairs = _pair_incidences(sub)
    if pairs > max_pairs:
        raise ConfigError(
            f"The co-attendance graph would have up to {int(pairs):,} edges, above "
            f"max_pairs={max_pairs:,}; pass a smaller max_nodes (now {max_nodes}) or use "
            "graph_metrics / coattendance_centrality, which need no graph"
        )
    product = sp.triu(sub @ sub.T, k=1).tocoo()
    keep = product.data >= min_shared
    attributes = {column: [None if pd.isna(v) else str(v) for v in values.take(chosen)]
                  for column, values in _latest_attributes(rows, where, person, n).items()}
    activities = np.diff(matrix.indptr)[chosen]
    graph = nx.Graph(
        fiscal_year=None if fiscal_year is None else int(fiscal_year), unit=unit,
        nodes_total=n, sampled=bool(sampled), seed=seed, min_shared=min_shared,
    )
    names = [str(k) for k in keys.take(chosen)]
    graph.add_nodes_from(
        (names[i], {"staff_type": attributes["staff_type"][i], "unit": attributes["unit"][i],
                    "activities": int(activities[i])})
        for i in range(len(chosen))
    )
    labels = np.asarray(names, dtype=object)
    graph.add_weighted_edges_from(zip(
        labels[product.row[keep]].tolist(), labels[product.col[keep]].tolist(),
        product.data[keep].astype(np.int64).tolist(), strict=True,
    ))
    return graph


def _wilson(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    if trials == 0:
        return math.nan, math.nan
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _projection(
    matrix: sp.csr_matrix, pairs: float, max_pairs: int
) -> sp.csr_matrix | None:
    """The exact projection :math:`B B^T` when it is small enough, else ``None``."""
    if pairs > max_pairs:
        return None
    return (matrix @ matrix.T).tocsr()


def _eigenvector(matrix: sp.csr_matrix, pairs: float) -> np.ndarray:
    """Leading eigenvector of the weighted projection without building it (unit norm, ≥ 0)."""
    n = matrix.shape[0]
    if n < 2 or pairs == 0:
        return np.full(n, np.nan)
    own = np.diff(matrix.indptr).astype(np.float64)  # the diagonal of B B^T
    if n <= 300:
        dense = (matrix @ matrix.T).toarray()
        np.fill_diagonal(dense, 0.0)
        vector = np.linalg.eigh(dense)[1][:, -1]
    else:
        transposed = matrix.T  # a CSC view: B^T x scatters into the few activities
        operator = LinearOperator(
            (n, n), dtype=np.float64,
            matvec=lambda x: matrix @ (transposed @ np.ravel(x)) - own * np.ravel(x),
        )
        start = own / np.linalg.norm(own)
        vector = eigsh(operator, k=1, which="LA", v0=start, tol=1e-10, ncv=10)[1][:, 0]
    vector = vector * (1.0 if vector.sum() >= 0 else -1.0)
    return vector / np.linalg.norm(vector)


def _components(matrix: sp.csr_matrix) -> np.ndarray:
    """Connected component of every person, numbered by size in people (0 = largest).

    Two activities are joined when one person attended both; chaining each person's
    activities (first–second, second–third, …) is enough for connectivity, so the graph
    handed to ``scipy.sparse.csgraph`` has only the activities as nodes.
    """
    n, m = matrix.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    indptr, columns = matrix.indptr, matrix.indices
    first = columns[indptr[:-1]]  # every person attended at least one activity
    later = np.ones(len(columns), dtype=bool)
    later[indptr[:-1]] = False
    links = sp.csr_matrix(
        (np.ones(int(later.sum()), dtype=np.int8),
         (columns[np.flatnonzero(later) - 1], columns[later])), shape=(m, m))
    labels = connected_components(links, directed=False)[1][first]
    counts = np.bincount(labels)
    rank = np.empty(len(counts), dtype=np.int64)
    rank[np.lexsort((np.arange(len(counts)), -counts))] = np.arange(len(counts))
    return rank[labels]


_METRIC_COLUMNS = ("metric", "value", "method", "ci_low", "ci_high")


def graph_metrics(
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    max_pairs: int = MAX_PAIRS,
    sample_pairs: int = SAMPLE_PAIRS,
    seed: int = 0,
) -> pd.DataFrame:
    """Whole-graph measures of the co-attendance graph, exact where the data allow.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year, unit
        Which attendances.
    max_pairs
        Build the exact projection only when the activities give at most this many
        co-attending pairs :math:`\\sum_a n_a(n_a - 1)/2`; above it, the distinct-edge
        measures are estimated from ``sample_pairs`` random pairs of people.
    sample_pairs
        Random pairs drawn (seeded by ``seed``) for the estimate.
    seed
        Seed of the pair sample.

    Returns
    -------
    pandas.DataFrame
        One row per measure — ``metric``, ``value``, ``method`` (``"exact"`` or
        ``"sampled"``), ``ci_low``, ``ci_high`` (95 % Wilson interval for a sampled density,
        scaled for ``edges`` and ``mean_degree``; NaN otherwise):

        ``nodes`` (participants with a key), ``activities``, ``pair_incidences``
        (:math:`\\sum_a n_a(n_a-1)/2`, the total edge weight), ``edges`` (distinct linked
        pairs), ``density`` (``edges`` over :math:`n(n-1)/2`), ``weighted_density`` (mean
        number of shared activities per pair of people), ``mean_degree``, ``mean_strength``
        (mean weighted degree), ``components`` (connected components; a person who attended
        only activities on their own is a component), ``largest_component_share`` and
        ``isolates`` (people linked to nobody).

    Notes
    -----
    Everything but the distinct-edge count follows from the person × activity incidence matrix
    :math:`B` in :math:`O(\\text{rows})`: the weighted degree (strength) of person :math:`v`
    is :math:`\\sum_{a \\ni v} (n_a - 1)`, the total weight is :math:`\\sum_a \\binom{n_a}{2}`,
    and components are those of the bipartite graph (scipy.sparse.csgraph). The distinct-edge
    count needs :math:`B B^\\top`, whose size grows with the square of the attendance per
    activity; above ``max_pairs`` the density is the share of ``sample_pairs`` uniformly drawn
    pairs of distinct people who share an activity.
    """
    _check_count("max_pairs", max_pairs, 0)
    _check_count("sample_pairs", sample_pairs, 1)
    _, _, _, keys, matrix = _bipartite(attendance, fiscal_year, unit)
    n, m = matrix.shape
    sizes, pairs = _pair_incidences(matrix)
    all_pairs = n * (n - 1) / 2
    strength = matrix @ (sizes - 1) if m else np.zeros(n)
    component = _components(matrix)
    counts = np.bincount(component) if n else np.zeros(0, dtype=np.int64)
    rows: list[dict[str, object]] = []

    def add(metric: str, value: float, method: str = "exact",
            low: float = math.nan, high: float = math.nan) -> None:
        rows.append({"metric": metric, "value": float(value), "method": method,
                     "ci_low": low, "ci_high": high})

    add("nodes", n)
    add("activities", m)
    add("pair_incidences", pairs)
    projection = _projection(matrix, pairs, max_pairs)
    if projection is not None or n < 2:
        edges = (projection.nnz - n) / 2 if projection is not None else 0.0
        density = edges / all_pairs if all_pairs else math.nan
        add("edges", edges)
        add("density", density)
        add("weighted_density", pairs / all_pairs if all_pairs else math.nan)
        add("mean_degree", 2 * edges / n if n else math.nan)
    else:
        rng = np.random.default_rng(seed)
        first = rng.integers(0, n, size=sample_pairs)
        second = rng.integers(0, n - 1, size=sample_pairs)
        second = second + (second >= first)
        shared = np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel() > 0
        hits = int(shared.sum())
        density = hits / sample_pairs
        low, high = _wilson(hits, sample_pairs)
        add("edges", density * all_pairs, "sampled", low * all_pairs, high * all_pairs)
        add("density", density, "sampled", low, high)
        add("weighted_density", pairs / all_pairs)
        add("mean_degree", density * (n - 1), "sampled", low * (n - 1), high * (n - 1))
    add("mean_strength", strength.mean() if n else math.nan)
    add("components", len(counts))
    add("largest_component_share", counts.max() / n if n else math.nan)
    add("isolates", int((strength == 0).sum()))
    return pd.DataFrame(rows, columns=list(_METRIC_COLUMNS))


_CENTRALITY_COLUMNS = (
    "person_key", "staff_type", "unit", "activities", "strength", "degree",
    "degree_centrality", "eigenvector", "betweenness", "component",
)


def coattendance_centrality(
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    top: int | None = None,
    max_pairs: int = MAX_PAIRS,
    betweenness: bool = False,
    betweenness_k: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Centrality of every participant in the co-attendance graph (pseudonymous keys only).

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year, unit
        Which attendances.
    top
        Return only the ``top`` most central people (by eigenvector centrality); ``None``:
        everyone.
    max_pairs
        Compute exact degrees only when the activities give at most this many co-attending
        pairs (see :func:`graph_metrics`); otherwise ``degree`` and ``degree_centrality`` are
        missing. Strength and eigenvector centrality are always exact.
    betweenness
        Also compute betweenness centrality with networkx (unweighted shortest paths). This
        builds the whole graph and is slow — :math:`O(nm)` — so it is off by default and
        refused above ``max_pairs``.
    betweenness_k
        Estimate betweenness from this many sampled source nodes (networkx's ``k``; seeded by
        ``seed``); ``None``: exact.
    seed
        Seed of the betweenness sample.

    Returns
    -------
    pandas.DataFrame
        One row per participant: ``person_key``, ``staff_type`` and ``unit`` (latest
        attendance row), ``activities`` (distinct activities), ``strength`` (weighted degree:
        co-attendances, :math:`\\sum_{a \\ni v}(n_a - 1)`), ``degree`` (distinct co-attendees,
        ``Int64``), ``degree_centrality`` (``degree / (n − 1)``, as networkx), ``eigenvector``
        (eigenvector centrality of the weighted graph, unit Euclidean norm, as networkx's
        ``eigenvector_centrality_numpy(weight="weight")``), ``betweenness`` (normalised, as
        networkx; NaN unless asked) and ``component`` (0 = the largest connected component).
        Sorted by eigenvector centrality, then strength, descending.

    Notes
    -----
    The eigenvector is found by Lanczos iteration (``scipy.sparse.linalg.eigsh``) on the
    operator :math:`x \\mapsto B(B^\\top x) - \\operatorname{diag}(BB^\\top)\\,x`, so the
    projection is never built. In a disconnected graph it concentrates on the component with
    the largest leading eigenvalue (others get ≈ 0), as in networkx.
    """
    _check_count("top", top, 0, allow_none=True)
    _check_count("max_pairs", max_pairs, 0)
    _check_count("betweenness_k", betweenness_k, 1, allow_none=True)
    rows, where, person, keys, matrix = _bipartite(attendance, fiscal_year, unit)
    n, m = matrix.shape
    sizes, pairs = _pair_incidences(matrix)
    strength = matrix @ (sizes - 1) if m else np.zeros(n)
    projection = _projection(matrix, pairs, max_pairs)
    degree = pd.array([pd.NA] * n, dtype="Int64")
    degree_centrality = np.full(n, np.nan)
    if projection is not None:
        counted = np.diff(projection.indptr) - 1
        degree = pd.array(counted, dtype="Int64")
        degree_centrality = counted / (n - 1) if n > 1 else np.zeros(n)
    between = np.full(n, np.nan)
    if betweenness:
        if projection is None:
            raise ConfigError(
                f"betweenness needs the whole graph, but its activities give {int(pairs):,} "
                f"co-attending pairs, above max_pairs={max_pairs:,}; select a fiscal year or "
                "unit, raise max_pairs, or leave betweenness off"
            )
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        upper = sp.triu(projection, k=1).tocoo()
        graph.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
        values = nx.betweenness_centrality(graph, k=betweenness_k, seed=seed)
        between = np.array([values[i] for i in range(n)])
    attributes = _latest_attributes(rows, where, person, n)
    out = pd.DataFrame({
        "person_key": pd.array(keys.array, dtype="string"),
        "staff_type": attributes["staff_type"],
        "unit": attributes["unit"],
        "activities": np.diff(matrix.indptr).astype(np.int64),
        "strength": np.asarray(strength, dtype=np.float64).round().astype(np.int64),
        "degree": degree,
        "degree_centrality": degree_centrality,
        "eigenvector": _eigenvector(matrix, pairs),
        "betweenness": between,
        "component": _components(matrix),
    })
    order = np.lexsort((np.arange(n), -out["strength"].to_numpy(),
                        -out["eigenvector"].to_numpy()))
    if top is not None:
        order = order[:top]
    return out.take(order).reset_index(drop=True)[list(_CENTRALITY_COLUMNS)]


# --------------------------------------------------------------------------------------------
# Roster checks
# --------------------------------------------------------------------------------------------


def _source(roster: pd.DataFrame, column: str, position: int) -> object:
    if column not in roster.columns:
        return None
    value = roster[column].iloc[position]
    if pd.isna(value):
        return None
    return int(value) if column == "source_row" else str(value)


def _row_names(roster: pd.DataFrame, positions: Sequence[int]) -> str:
    """``row 5`` / ``rows 5, 9, 12`` (with file names when the rows are in several files)."""
    files = {_source(roster, "source_file", p) for p in positions}
    rows = [_source(roster, "source_row", p) for p in positions]
    if len(files) <= 1 and all(r is not None for r in rows):
        return ("row " if len(rows) == 1 else "rows ") + ", ".join(map(str, rows))
    parts = []
    for p, row in zip(positions, rows, strict=True):
        text = f"row {row}" if row is not None else f"record {p + 1}"
        if len(files) > 1:
            text = f"{_source(roster, 'source_file', p)} {text}"
        parts.append(text)
    return ", ".join(parts)


def check_roster(roster: pd.DataFrame) -> list[dict[str, object]]:
    """Problems in the roster that would distort the network measures.

    Parameters
    ----------
    roster
        The processed roster table (with ``source_file``, ``source_sheet``, ``source_row``
        when available). Not modified.

    Returns
    -------
    list of dict
        One dict per problem row: ``severity`` (``"error"`` or ``"warning"``),
        ``source_file``, ``source_sheet``, ``source_row`` (``None`` when unknown), ``column``
        (``"recruited_by"``, ``"left"`` or ``"joined"``) and a one-line ``message``. Sorted by
        file, sheet and row. Found:

        * error, ``joined``: the joined date is missing;
        * error, ``left``: the left date is before the joined date;
        * error, ``recruited_by``: the row is part of a recruitment cycle (someone recruited,
          directly or through others, by their own recruit, or by themselves); every row of
          the cycle is named, each in its own problem;
        * warning, ``recruited_by``: the recruiter is not in the roster (the recruit then
          counts as having an unknown recruiter and starts a cascade of their own);
        * warning, ``recruited_by``: a person's rows name different recruiters (the earliest
          is used);
        * warning, ``joined``: a person's spells overlap (a later row starts before the earlier
          one has left);
        * warning, ``joined``: someone joined before their recruiter first joined.

    Examples
    --------
    >>> roster = pd.DataFrame({
    ...     "person_key": ["A", "B"], "unit": "U1", "role": "member",
    ...     "joined": pd.to_datetime(["2007-01-01", "2007-02-01"]),
    ...     "recruited_by_key": ["B", "A"], "left": pd.NaT, "left_reason": None,
    ...     "source_file": "roster.xlsx", "source_sheet": "S", "source_row": [2, 3]})
    >>> [(p["severity"], p["source_row"], p["column"]) for p in check_roster(roster)]
    [('error', 2, 'recruited_by'), ('error', 3, 'recruited_by')]
    """
    model = _Roster.of(roster)
    problems: list[dict[str, object]] = []

    def add(position: int, severity: str, column: str, message: str) -> None:
        problems.append({
            "severity": severity,
            "source_file": _source(roster, "source_file", position),
            "source_sheet": _source(roster, "source_sheet", position),
            "source_row": _source(roster, "source_row", position),
            "column": column,
            "message": message,
        })

    def day(value: np.datetime64) -> str:
        return f"{pd.Timestamp(value):%Y-%m-%d}"

    joined, left = model.row_joined, model.row_left
    for p in np.flatnonzero(np.isnat(joined)):
        add(int(p), "error", "joined",
            "joined date is empty; expected the date the person joined the network")
    for p in np.flatnonzero(~np.isnat(joined) & ~np.isnat(left) & (left < joined)):
        add(int(p), "error", "left",
            f"left date {day(left[p])} is before the joined date {day(joined[p])}; check both "
            "dates (a person who came back needs a second row)")

    names = np.asarray(model.names.array, dtype=object)
    keyed = model.row_person >= 0
    for p in np.flatnonzero(keyed & model.row_unknown):
        add(int(p), "warning", "recruited_by",
            f"recruiter {names[model.row_recruiter[p]]} is not in the roster; this person is "
            "counted as having an unknown recruiter and their cascade starts with them")

    # Different recruiters on one person's rows: the earliest is used.
    used = np.where(keyed, model.recruiter[np.maximum(model.row_person, 0)], -1)
    for p in np.flatnonzero(keyed & model.row_named & (model.row_recruiter != used)):
        q = model.row_person[p]
        add(int(p), "warning", "recruited_by",
            f"names recruiter {names[model.row_recruiter[p]]}, but this person's earlier "
            f"{_row_names(roster, [int(model.chosen_row[q])])} names {names[used[p]]}; the "
            "earlier one is used")

    # Overlapping spells of one person.
    later = np.flatnonzero(model.seq > 0)
    previous_left = model.left[later - 1]
    overlap = later[np.isnat(previous_left) | (model.joined[later] < previous_left)]
    for i in overlap:
        add(int(model.row[i]), "warning", "joined",
            f"this person ({model.keys[model.person[i]]}) is still active on their earlier "
            f"{_row_names(roster, [int(model.row[i - 1])])} when this row starts; give that "
            "row a left date or remove the duplicate")

    # Joined before the recruiter did.
    child = np.flatnonzero((model.parent >= 0) & model.resolved)  # cycles are errors anyway
    early = child[model.first_joined[child] < model.first_joined[model.parent[child]]]
    for q in early:
        add(int(model.chosen_row[q]), "warning", "joined",
            f"joined {day(model.first_joined[q])}, before their recruiter "
            f"{model.keys[model.parent[q]]} joined the network "
            f"({day(model.first_joined[model.parent[q]])}); check the dates or the recruiter")

    # Recruitment cycles: walk each once, over the finite set of people on cycles.
    on_cycle = np.flatnonzero(model.on_cycle)
    seen: set[int] = set()
    carries = keyed & model.row_named & (model.row_recruiter == used)
    for start in on_cycle:
        if int(start) in seen:
            continue
        cycle = [int(start)]
        seen.add(int(start))
        step = int(model.parent[start])
        while step != start and step not in seen and len(cycle) <= len(on_cycle):
            cycle.append(step)
            seen.add(step)
            step = int(model.parent[step])
        # ``cycle`` runs recruit → recruiter; show recruiter → recruit, starting at ``start``.
        chain = [str(model.keys[i]) for i in [cycle[0], *reversed(cycle[1:])]]
        positions = sorted(int(p) for p in np.flatnonzero(
            carries & np.isin(model.row_person, cycle)))
        if len(cycle) == 1:
            text = f"{chain[0]} is recorded as recruited by themselves"
        else:
            shown = chain if len(chain) <= _SHOWN else chain[:_SHOWN]
            tail = [chain[0]] if len(chain) <= _SHOWN else [f"… ({len(chain)} people)"]
            text = "recruitment cycle " + " → ".join([*shown, *tail]) + " (recruiter → recruit)"
        where = _row_names(roster, positions[:_SHOWN])
        if len(positions) > _SHOWN:
            where += f", … ({len(positions)} rows in all)"
        message = (f"{text} in {where}; a person cannot be recruited by one of their own "
                   "recruits — correct the recruiter")
        for p in positions:
            add(p, "error", "recruited_by", message)

    def order(problem: dict[str, object]) -> tuple:
        row = problem["source_row"]
        return (str(problem["source_file"] or ""), str(problem["source_sheet"] or ""),
                row if row is not None else math.inf)

    return sorted(problems, key=order)


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


@memoized
def network_summary(
    dataset: object, fiscal_year: int | None = None, unit: str | None = None
) -> dict[str, object]:
    """The network part of the headline summary, as a JSON-ready dict.

    Parameters
    ----------
    dataset
        A :class:`~cleannet_eval.dataset.Dataset` (its ``units``, ``roster`` and
        ``attendance`` tables are read, not modified).
    fiscal_year
        A BE fiscal year with data, or ``None`` for the whole span of the data.
    unit
        A unit of the dataset (matched against roster units), or ``None`` for the whole
        department.

    Returns
    -------
    dict
        ``leaders``, ``members`` (``int``), ``recruits_per_leader_median`` (``float``),
        ``max_cascade_depth`` (``int``), ``leader_retention`` and ``members_active_share``
        (``float`` rounded to 4 decimals); ``None`` where undefined. See the module docstring
        for the exact definitions.

    Raises
    ------
    ConfigError
        ``fiscal_year`` has no data or ``unit`` is not in the dataset; the message lists the
        valid values.
    """
    units, roster, attendance = _dataset_tables(dataset)
    model = _Roster.of(roster)
    _require(attendance, "attendance", ATTENDANCE_COLUMNS)
    years = _dataset_years(units, roster, attendance)
    unit_columns = [roster["unit"], attendance["unit"]]
    if "unit" in units:
        unit_columns.append(units["unit"])
    year, unit = _check_selection(fiscal_year, unit, years, *unit_columns)
    start, end = _period(year, years)
    active = model.active_between(start, end) & model.in_unit(unit)
    leaders, members = model.leaders_members(active)

    weight = model.resolved & _in_period(model.first_joined, start, end)
    direct, _ = model.subtree_counts(weight)
    median = float(np.median(direct[leaders])) if len(leaders) else math.nan
    depths = model.depth[np.concatenate([leaders, members])]
    depths = depths[depths >= 0]
    max_depth = int(depths.max()) if len(depths) else None

    still = _distinct(model.person[active & model.leader & model.active_on(end)])
    retention = _ratio(len(still), len(leaders))

    person, att_year = _attended_by_year(model, attendance)
    chosen = np.isin(att_year, [year] if year is not None else years)
    attended = np.zeros(model.n, dtype=bool)
    attended[person[chosen & (person >= 0)]] = True
    return _json_dict({
        "leaders": len(leaders),
        "members": len(members),
        "recruits_per_leader_median": median,
        "max_cascade_depth": max_depth,
        "leader_retention": retention,
        "members_active_share": _ratio(int(attended[members].sum()), len(members)),
    })


