"""Coverage: how much of each unit's staff the activities reached, against its headcount.

See :mod:`cleannet_eval.analysis.participation` for the conventions (fiscal years, staff and
citizens, units as written) and the definition of ``coverage``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..shared import memoized
from .roster import Roster
from .selection import (
    check_fiscal_year,
    fiscal_year_end,
    fiscal_year_start,
    require_columns,
)
from .tables import (
    ATTENDANCE_COLUMNS,
    AttendanceRows,
    distinct_pairs,
    distinct_values,
)

__all__ = ["CITIZEN", "UNITS_COLUMNS", "coverage_by_unit", "headcounts", "staff_per_year"]

#: The staff type of the citizen sector (ภาคประชาชน).
CITIZEN = "citizen"
#: Columns of the units table the measures read.
UNITS_COLUMNS: tuple[str, ...] = ("unit", "fiscal_year", "headcount")


_COVERAGE_COLUMNS = (
    "unit", "parent", "fiscal_year", "headcount", "participants", "coverage",
    "network_members", "network_coverage",
)


def headcounts(units: pd.DataFrame) -> pd.DataFrame:
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


def _staff_participants(rows: AttendanceRows) -> pd.DataFrame:
    """Distinct staff (non-citizen) participants per attendance unit and fiscal year."""
    unit, unit_names = rows.codes("unit")
    person, keys = rows.codes("person_key")
    fy = rows.fiscal_year()
    keep = ~rows.equals("staff_type", CITIZEN) & (unit >= 0) & (person >= 0)
    year_list = np.asarray(sorted(distinct_values(fy[keep]).tolist()), dtype=np.int64)
    n = max(len(keys), 1)
    cell = unit[keep] * len(year_list) + np.searchsorted(year_list, fy[keep])
    cells = distinct_pairs(cell, person[keep], len(unit_names) * len(year_list), n)[0]
    counts = np.bincount(cells, minlength=len(unit_names) * len(year_list))
    hit = np.flatnonzero(counts)
    return pd.DataFrame({
        "unit": pd.array(np.asarray(unit_names.array)[hit // max(len(year_list), 1)],
                         dtype="string"),
        "fiscal_year": year_list[hit % max(len(year_list), 1)] if len(year_list)
        else np.zeros(0, dtype=np.int64),
        "participants": counts[hit].astype(np.int64),
    })


def staff_per_year(rows: AttendanceRows, units: set[str]) -> pd.Series:
    """Distinct staff participants per fiscal year whose attendance unit is in ``units``."""
    person, keys = rows.codes("person_key")
    fy = rows.fiscal_year()
    keep = ~rows.equals("staff_type", CITIZEN) & (person >= 0) & rows.equals("unit", units)
    n = max(len(keys), 1)
    low = int(fy.min()) if len(fy) else 0
    span = int(fy.max()) - low + 1 if len(fy) else 1
    slots = distinct_pairs(fy[keep] - low, person[keep], span, n)[0]
    counts = np.bincount(slots)
    hit = np.flatnonzero(counts)
    return pd.Series(counts[hit], index=hit + low)


def _network_members_by_unit(roster: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Distinct roster people of each unit with a spell active during each fiscal year."""
    model = Roster.of(roster)
    n = max(model.n, 1)
    parts = []
    for y in years:
        active = model.active_between(fiscal_year_start(y), fiscal_year_end(y)) & (model.unit >= 0)
        pairs = distinct_pairs(model.unit[active], model.person[active],
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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    require_columns(units, "units", UNITS_COLUMNS)
    year = check_fiscal_year(fiscal_year)
    rows = AttendanceRows(attendance, year, None)
    participants = _staff_participants(rows)
    heads = headcounts(units)
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
