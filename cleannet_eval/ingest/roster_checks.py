"""Checks of the network roster that ingest reports: spells, recruiters and cycles, located
by spreadsheet row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..analysis.roster import (
    Roster,
)

__all__ = [
    "check_roster",
]


#: How many people and rows a cycle message lists before "…".
_SHOWN = 12


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
    model = Roster.of(roster)
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
