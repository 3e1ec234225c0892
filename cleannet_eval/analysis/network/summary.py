"""The network part of the headline summary.
"""

from __future__ import annotations

import math

import numpy as np

from ...shared import memoized
from ..roster import (
    Roster,
    in_period,
    period_bounds,
)
from ..selection import (
    check_selection,
    dataset_tables,
    dataset_years,
    require_columns,
)
from ..tables import (
    ATTENDANCE_COLUMNS,
    distinct_values,
    json_dict,
    ratio,
)
from .activity import (
    attended_by_year,
)

__all__ = [
    "NETWORK_KEYS",
    "network_summary",
]


#: Keys of :func:`network_summary`, in order.
NETWORK_KEYS: tuple[str, ...] = (
    "leaders", "members", "recruits_per_leader_median", "max_cascade_depth",
    "leader_retention", "members_active_share",
)


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
    units, roster, attendance = dataset_tables(dataset)
    model = Roster.of(roster)
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    years = dataset_years(units, roster, attendance)
    unit_columns = [roster["unit"], attendance["unit"]]
    if "unit" in units:
        unit_columns.append(units["unit"])
    year, unit = check_selection(fiscal_year, unit, years, *unit_columns)
    start, end = period_bounds(year, years)
    active = model.active_between(start, end) & model.in_unit(unit)
    leaders, members = model.leaders_members(active)

    weight = model.resolved & in_period(model.first_joined, start, end)
    direct, _ = model.subtree_counts(weight)
    median = float(np.median(direct[leaders])) if len(leaders) else math.nan
    depths = model.depth[np.concatenate([leaders, members])]
    depths = depths[depths >= 0]
    max_depth = int(depths.max()) if len(depths) else None

    still = distinct_values(model.person[active & model.leader & model.active_on(end)])
    retention = ratio(len(still), len(leaders))

    person, att_year = attended_by_year(model, attendance)
    chosen = np.isin(att_year, [year] if year is not None else years)
    attended = np.zeros(model.n, dtype=bool)
    attended[person[chosen & (person >= 0)]] = True
    return json_dict({
        "leaders": len(leaders),
        "members": len(members),
        "recruits_per_leader_median": median,
        "max_cascade_depth": max_depth,
        "leader_retention": retention,
        "members_active_share": ratio(int(attended[members].sum()), len(members)),
    })
