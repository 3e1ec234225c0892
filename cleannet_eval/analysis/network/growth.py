"""Growth and turnover of the network: size over time, joins and exits, leaders' continuity
and tenure.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import vocab
from ...calendar import fiscal_month, fiscal_years
from ...errors import ConfigError
from ..roster import (
    LEADER,
    MEMBER,
    Roster,
    as_day,
    in_period,
)
from ..selection import (
    check_fiscal_year,
    check_unit,
    fiscal_year_end,
    fiscal_year_start,
    require_columns,
)
from ..tables import (
    distinct_values,
    month_start,
    ratio,
)

__all__ = [
    "joins_exits",
    "leader_continuity",
    "leader_tenure",
    "network_growth",
]


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
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, roster["unit"])
    model = Roster.of(roster)
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
        "month": month_start(fy, fm),
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


_REASONS: tuple[str, ...] = (*vocab.LEFT_REASONS, "unknown")


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
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, roster["unit"])
    model = Roster.of(roster)
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
        start, end = fiscal_year_start(y), fiscal_year_end(y)
        joined_in = in_period(model.joined, start, end)
        left_in = in_period(model.left, start, end)
        at_start = model.active_on(start)
        at_end = model.active_on(end)
        for role, mask in ((LEADER, mine & model.leader), (MEMBER, mine & ~model.leader),
                           ("all", mine)):
            row = {
                "fiscal_year": y, "role": role,
                "active_at_start": len(distinct_values(model.person[mask & at_start])),
                "joins": int((mask & joined_in & first).sum()),
                "reentries": int((mask & joined_in & ~first).sum()),
                "exits": int((mask & left_in).sum()),
                "active_at_end": len(distinct_values(model.person[mask & at_end])),
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
    year = check_fiscal_year(fiscal_year)
    model = Roster.of(roster)
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
        require_columns(units, "units", ("unit", "fiscal_year"))
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
        start, end = fiscal_year_start(y), fiscal_year_end(y)
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
        left_in = exits[in_period(exits["left"].to_numpy(), start, end)]
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
                "retention": ratio(retained_n.get(u, 0), n_served),
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
    unit = check_unit(unit, roster["unit"])
    model = Roster.of(roster)
    years = model.years()
    if as_of is None:
        cut = fiscal_year_end(years[-1]) if years else pd.Timestamp("2200-12-31")
    else:
        try:
            cut = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            raise ConfigError(f"as_of must be a date such as 2008-09-30, got {as_of!r}")
        if pd.isna(cut):
            raise ConfigError(f"as_of must be a date such as 2008-09-30, got {as_of!r}")
    spells = np.flatnonzero(model.leader & model.in_unit(unit) & (model.joined <= as_day(cut)))
    joined = model.joined[spells]
    left = model.left[spells]
    open_at_cut = np.isnat(left) | (left > as_day(cut))
    stop = np.where(open_at_cut, as_day(cut + pd.Timedelta(days=1)), left)
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
