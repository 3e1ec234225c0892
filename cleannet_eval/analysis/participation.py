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
that column lives (Arrow arrays are immutable, so they cannot go stale; see
:func:`.tables.memo`), so a report that computes many measures of one table factorises its
millions of person keys once.

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

import math

import numpy as np
import pandas as pd

from .. import vocab
from ..calendar import fiscal_month
from ..errors import ConfigError
from ..shared import memoized
from .coverage import CITIZEN, UNITS_COLUMNS, coverage_by_unit, headcounts, staff_per_year
from .selection import (
    check_choice,
    check_fiscal_year,
    check_selection,
    check_unit,
    dataset_tables,
    dataset_years,
    require_columns,
)
from .tables import (
    ATTENDANCE_COLUMNS,
    DIGITS,
    AttendanceRows,
    date_values,
    distinct_pairs,
    distinct_values,
    incidence,
    json_dict,
    month_start,
    pick_per_group,
    ratio,
)

__all__ = [
    "ATTENDANCE_COLUMNS",
    "CITIZEN",
    "DIGITS",
    "PARTICIPATION_KEYS",
    "UNKNOWN",
    "activities_by_month",
    "coverage_by_unit",
    "participation_by_person",
    "participation_summary",
    "repeat_participation",
    "retention",
    "shares_by_group",
]


#: Keys of :func:`participation_summary`, in order.
PARTICIPATION_KEYS: tuple[str, ...] = (
    "activities", "attendances", "unique_participants", "coverage", "citizen_share",
)




#: Group code used for a missing staff type or role.
UNKNOWN = "unknown"




_GROUPINGS: dict[str, dict[str, dict[str, str]]] = vocab.GROUP_VOCABULARIES


_RETENTION_BY: tuple[str, ...] = ("staff_type", "role", "unit")




# --------------------------------------------------------------------------------------------
# Activities and attendances per month
# --------------------------------------------------------------------------------------------

_MONTH_COLUMNS = (
    "fiscal_year", "fiscal_month", "month", "activities", "attendances", "unique_participants",
    "participations_per_person",
)


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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, attendance["unit"])
    rows = AttendanceRows(attendance, year, unit)
    fy = rows.fiscal_year()
    year_list = sorted(distinct_values(fy).tolist()) if year is None else [year]
    months = fiscal_month(pd.to_datetime(rows.column("date")))
    dated = months.notna().to_numpy(dtype=bool)
    month = months.to_numpy(dtype="float64", na_value=0).astype(np.int64)
    cell = (np.searchsorted(year_list, fy) * 12 + month - 1)[dated]
    n_cells = len(year_list) * 12
    activity = rows.activity()[dated]
    person = rows.codes("person_key")[0][dated]
    width = int(activity.max()) + 1 if len(activity) else 1
    activities = np.bincount(distinct_pairs(cell, activity, n_cells, width)[0],
                             minlength=n_cells)
    known = person >= 0
    span = int(person.max()) + 1 if len(person) else 1
    people = np.bincount(distinct_pairs(cell[known], person[known], n_cells, span)[0],
                         minlength=n_cells)
    attendances = np.bincount(cell, minlength=n_cells)
    fiscal = np.repeat(np.asarray(year_list, dtype=np.int64), 12)
    month_of_year = np.tile(np.arange(1, 13, dtype=np.int64), len(year_list))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_person = np.where(people > 0, attendances / np.maximum(people, 1), np.nan)
    out = pd.DataFrame({
        "fiscal_year": fiscal,
        "fiscal_month": month_of_year,
        "month": month_start(fiscal, month_of_year),
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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, attendance["unit"])
    rows = AttendanceRows(attendance, year, unit)
    where, person, keys, matrix = incidence(rows)
    n = len(keys)
    fy = rows.fiscal_year()[where]
    dates = date_values(rows.column("date"))[where]
    participations = np.diff(matrix.indptr)
    low = int(fy.min()) if len(fy) else 0
    span = int(fy.max()) - low + 1 if len(fy) else 1
    years = np.bincount(distinct_pairs(person, fy - low, n, span)[0], minlength=n)
    last = pick_per_group(person, n, dates, last=True)
    first = pick_per_group(person, n, dates, last=False)
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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, attendance["unit"])
    rows = AttendanceRows(attendance, year, unit)
    person, keys = rows.codes("person_key")
    known = person >= 0
    person = person[known]
    activity = rows.activity()[known]
    fy = rows.fiscal_year()[known]
    year_list = sorted(distinct_values(fy).tolist())
    n = max(len(keys), 1)
    width = int(activity.max()) + 1 if len(activity) else 1
    slot = np.searchsorted(year_list, fy) * n + person
    pairs = distinct_pairs(slot, activity, len(year_list) * n, width)[0]
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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    start = check_fiscal_year(from_year, "from_year")
    end = check_fiscal_year(to_year, "to_year")
    if by is not None:
        check_choice("by", by, _RETENTION_BY)
    unit = check_unit(unit, attendance["unit"])
    rows = AttendanceRows(attendance, None, None)
    person, keys = rows.codes("person_key")
    fy = rows.fiscal_year()
    years = set(distinct_values(fy[person >= 0]).tolist())
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
    dates = date_values(rows.column("date"))
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
        first = pick_per_group(person[cohort], n, dates[cohort], last=False)
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
                "retention": ratio(kept[i], size[i]),
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
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    check_choice("by", by, tuple(_GROUPINGS))
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, attendance["unit"])
    rows = AttendanceRows(attendance, year, unit)
    labels = _GROUPINGS[by]
    group, group_names = rows.codes(by)
    names = [*map(str, group_names), UNKNOWN]
    group = np.where(group >= 0, group, len(group_names))
    n_groups = len(names)
    fy = rows.fiscal_year()
    year_list = sorted(distinct_values(fy).tolist()) if year is None else [year]
    slot = np.searchsorted(year_list, fy)
    per_rows = np.bincount(slot * n_groups + group, minlength=len(year_list) * n_groups)
    person, keys = rows.codes("person_key")
    known = np.flatnonzero(person >= 0)
    n = max(len(keys), 1)
    latest = known[pick_per_group(slot[known] * n + person[known], len(year_list) * n,
                         date_values(rows.column("date"))[known], last=True)
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
    units, roster, attendance = dataset_tables(dataset)
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    require_columns(units, "units", UNITS_COLUMNS)
    years = dataset_years(units, roster, attendance)
    unit_columns = [units["unit"], attendance["unit"]]
    if "unit" in roster:
        unit_columns.append(roster["unit"])
    year, unit = check_selection(fiscal_year, unit, years, *unit_columns)
    rows = AttendanceRows(attendance, year, unit)
    person, keys = rows.codes("person_key")
    activities = int(rows.activity().max()) + 1 if len(rows) else 0

    heads = headcounts(units)
    if year is not None:
        heads = heads[heads["fiscal_year"] == year]
    if unit is not None:
        heads = heads[heads["unit"] == unit]
    heads = heads[heads["headcount"].notna()]
    head_per_year = heads.groupby("fiscal_year")["headcount"].sum().astype("float64")
    head_per_year = head_per_year[head_per_year > 0]
    coverage = math.nan
    if len(head_per_year):
        per_year = staff_per_year(rows, set(heads["unit"].tolist()))
        numerator = per_year.reindex(head_per_year.index, fill_value=0).sum()
        coverage = ratio(numerator, head_per_year.sum())

    citizen_share = math.nan
    if unit is None and len(rows):
        citizen_share = float(rows.equals("staff_type", CITIZEN).sum()) / len(rows)
    return json_dict({
        "activities": activities,
        "attendances": len(rows),
        "unique_participants": len(keys),
        "coverage": coverage,
        "citizen_share": citizen_share,
    })
