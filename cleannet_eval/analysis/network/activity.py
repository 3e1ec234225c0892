"""Links between the roster and attendance: which members take part in activities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..roster import (
    LEADER,
    MEMBER,
    Roster,
)
from ..selection import (
    check_fiscal_year,
    check_unit,
    fiscal_year_end,
    fiscal_year_start,
    require_columns,
)
from ..tables import (
    ATTENDANCE_COLUMNS,
    AttendanceRows,
    distinct_values,
    ratio,
)

__all__ = [
    "attended_by_year",
    "members_active_share",
]


# --------------------------------------------------------------------------------------------
# From network to action
# --------------------------------------------------------------------------------------------

_ACTIVE_COLUMNS = ("fiscal_year", "role", "network", "attended", "share")


def attended_by_year(
    model: Roster, attendance: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Person code (``-1``: not on the roster) and fiscal year of every attendance row."""
    rows = AttendanceRows(attendance, None, None)
    return model.match(rows.column("person_key")), rows.fiscal_year()


def _share_attended(
    model: Roster, mask: np.ndarray, attended: np.ndarray
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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, roster["unit"])
    model = Roster.of(roster)
    person, att_year = attended_by_year(model, attendance)
    years = ([year] if year is not None
             else sorted({*model.years(), *distinct_values(att_year).tolist()}))
    mine = model.in_unit(unit)
    rows = []
    for y in years:
        attended = np.zeros(model.n, dtype=bool)
        attended[person[(att_year == y) & (person >= 0)]] = True
        active = mine & model.active_between(fiscal_year_start(y), fiscal_year_end(y))
        for role, (network, came) in _share_attended(model, active, attended).items():
            rows.append({"fiscal_year": y, "role": role, "network": network,
                         "attended": came, "share": ratio(came, network)})
    out = pd.DataFrame(rows, columns=list(_ACTIVE_COLUMNS))
    return out.astype({"fiscal_year": "int64", "role": "string", "network": "int64",
                       "attended": "int64", "share": "float64"})
