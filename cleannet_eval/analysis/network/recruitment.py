"""Recruitment: cascade depth, recruits per leader, the leaders who recruit most, and how
concentrated recruitment is (Gini).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import ConfigError
from ..roster import (
    LEADER,
    MEMBER,
    Roster,
    in_period,
    period_bounds,
    take_strings,
)
from ..selection import (
    check_fiscal_year,
    check_unit,
)
from ..tables import (
    pick_per_group,
)

__all__ = [
    "cascade_depth",
    "gini",
    "recruitment_distribution",
    "recruits_per_leader",
    "top_recruiters",
]


_BIG = np.iinfo(np.int64).max


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
    model = Roster.of(roster)
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
        "role": take_strings(roles, model.is_leader.astype(np.int64)),
        "unit": model.unit_strings(model.latest_unit),
        "recruited_by_key": take_strings(model.names, model.recruiter),
        "status": take_strings(labels, status),
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
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, roster["unit"])
    model = Roster.of(roster)
    start, end = period_bounds(year, model.years())
    weight = model.resolved & in_period(model.first_joined, start, end)
    direct, below = model.subtree_counts(weight)
    chosen = model.active_between(start, end) & model.in_unit(unit)
    if leaders_only:
        chosen = chosen & model.leader
    spells = np.flatnonzero(chosen)
    # Each chosen person's latest chosen spell (its unit is the one shown).
    pick = pick_per_group(
        model.person[spells], model.n, model.row_rank[model.row[spells]], last=True
    )
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
