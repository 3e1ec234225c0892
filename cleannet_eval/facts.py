"""Section facts: the figures a notebook section's narrative, table and chart need.

A notebook cell reads *facts → narrative → table → chart*: a function here takes the report
(:class:`~cleannet_eval.notebook.Report`, its frozen selection of fiscal year, unit and data)
and returns the section's figures, already scoped and with every "is there anything to show"
decided, so the notebook keeps only its words (``report.say(th=..., en=...)``, which
evaluators edit) and the table and chart calls. Nothing here writes a word of narrative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .analysis.selection import rows_of

if TYPE_CHECKING:  # pragma: no cover - only for the annotations
    from .analysis.instrument_quality import InstrumentQuality
    from .notebook import Report

__all__ = [
    "CoverageFacts",
    "LeaderFacts",
    "cfa_fit_table",
    "coverage_facts",
    "first_row",
    "first_value",
    "item_statements",
    "leader_facts",
    "missing_value_tables",
    "overall_index",
    "retention_facts",
]


def first_value(values: pd.Series, default: object = 0) -> object:
    """The first of ``values``, or ``default`` when there is none.

    Examples
    --------
    >>> float(first_value(pd.Series([0.25, 0.5]))), first_value(pd.Series([], dtype=float), 0.0)
    (0.25, 0.0)
    """
    return values.iloc[0] if len(values) else default


def first_row(frame: pd.DataFrame | None) -> pd.Series | None:
    """The first row of ``frame``, or ``None`` when there is no frame or it is empty.

    Examples
    --------
    >>> int(first_row(pd.DataFrame({"a": [1, 2]}))["a"]), first_row(None)
    (1, None)
    >>> first_row(pd.DataFrame()) is None
    True
    """
    return None if frame is None or not len(frame) else frame.iloc[0]


def item_statements(rows: pd.DataFrame, lang: str) -> list[str]:
    """Each item's statement in ``lang``, with ``(R)`` after a reverse-scored one.

    Examples
    --------
    >>> rows = pd.DataFrame({"text_en": ["Clear aims", "Too little time"],
    ...                      "reverse": [False, True]})
    >>> item_statements(rows, "en")
    ['Clear aims', 'Too little time (R)']
    """
    return [f"{text} (R)" if reverse else text
            for text, reverse in zip(rows[f"text_{lang}"], rows["reverse"], strict=True)]


def missing_value_tables(report: Report) -> dict[str, pd.DataFrame]:
    """The report's tables whose empty cells may be counted: the survey only when its
    results are shown (a hidden group's answers give no number at all)."""
    tables = {"attendance": report.attendance, "survey": report.survey,
              "roster": report.roster, "units": report.units}
    if not report.survey_shown:
        tables.pop("survey")
    return tables


@dataclass(frozen=True)
class CoverageFacts:
    """The report's unit in the coverage table.

    Attributes
    ----------
    row
        The unit's row of the coverage table.
    rank
        Its rank by coverage (1 = highest; ties share the better rank).
    ranked
        How many units have a coverage.
    """

    row: pd.Series
    rank: int
    ranked: int


def coverage_facts(report: Report, coverage: pd.DataFrame) -> CoverageFacts | None:
    """Where the report's unit stands in ``coverage`` (:func:`coverage_by_unit`), or ``None``
    for the whole department or a unit without a row."""
    if report.unit is None:
        return None
    row = first_row(report.unit_rows(coverage))
    if row is None:
        return None
    return CoverageFacts(row=row, rank=int((coverage["coverage"] > row["coverage"]).sum()) + 1,
                         ranked=int(coverage["coverage"].notna().sum()))


def retention_facts(report: Report) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The scope's retention from the previous fiscal year (one row) and by staff type, or
    ``None`` when there is no previous year, the scope never attended, or nobody took part
    the year before."""
    if report.previous_year is None or not report.in_attendance:
        return None
    from .analysis.participation import retention

    attendance = report.dataset.attendance
    kept = retention(attendance, from_year=report.previous_year, to_year=report.fiscal_year,
                     unit=report.unit)
    by_type = retention(attendance, from_year=report.previous_year,
                        to_year=report.fiscal_year, unit=report.unit, by="staff_type")
    if int(kept["participants"].sum()) <= 0:
        return None
    return kept, by_type


@dataclass(frozen=True)
class LeaderFacts:
    """Leader turnover of the report's scope in its fiscal year (the dossier's problem 5.2).

    Attributes
    ----------
    moves
        :func:`~cleannet_eval.analysis.network.joins_exits` of the scope and year, or ``None``
        when the scope is not in the roster.
    history
        The same for every fiscal year (for the chart), or ``None``.
    exits, exits_transfer
        Leaders who left in the year, and of them by transfer (``None`` without a roster).
    active_at_end
        Leaders and members at the year's end (0 without a roster).
    units_without_leader
        Units of the scope that had leaders in the year and none at its end.
    centre
        The coordination centre's row of
        :func:`~cleannet_eval.analysis.network.leader_continuity`, or ``None``.
    centre_headcount
        Its headcount in the year, or ``None``.
    """

    moves: pd.DataFrame | None
    history: pd.DataFrame | None
    exits: int | None
    exits_transfer: int | None
    active_at_end: int
    units_without_leader: list[str]
    centre: pd.Series | None
    centre_headcount: object


def leader_facts(report: Report, centre: str | None = None) -> LeaderFacts:
    """Leader turnover and the coordination centre's staffing for the report's scope.

    Parameters
    ----------
    report
        The report (fiscal year and unit).
    centre
        The coordination centre's unit name (default
        :data:`cleannet_eval.narrative.COORDINATION_CENTRE`).
    """
    from .analysis.network import joins_exits, leader_continuity
    from .analysis.participation import coverage_by_unit
    from .narrative import COORDINATION_CENTRE

    centre = COORDINATION_CENTRE if centre is None else centre
    data = report.dataset
    moves = history = leaders = None
    if report.in_roster:
        moves = joins_exits(data.roster, fiscal_year=report.fiscal_year, unit=report.unit)
        history = joins_exits(data.roster, unit=report.unit)
        leaders = moves[moves["role"] == "leader"].iloc[0]
    continuity = leader_continuity(data.roster, data.units, fiscal_year=report.fiscal_year)
    scope = report.unit_rows(continuity)
    without = scope[scope["without_leader_at_end"] & (scope["leaders_served"] > 0)]
    staff = coverage_by_unit(data.attendance, data.units, fiscal_year=report.fiscal_year)
    everyone = None if moves is None else moves[moves["role"] == "all"].iloc[0]
    return LeaderFacts(
        moves=moves, history=history,
        exits=None if leaders is None else int(leaders["exits"]),
        exits_transfer=None if leaders is None else int(leaders["exits_transfer"]),
        active_at_end=0 if everyone is None else int(everyone["active_at_end"]),
        units_without_leader=list(without["unit"]),
        centre=first_row(rows_of(continuity, unit=centre)),
        centre_headcount=first_value(rows_of(staff, unit=centre)["headcount"], None),
    )


def cfa_fit_table(report: Report, quality: InstrumentQuality,
                  indices: Sequence[str] = ("rmsea",)) -> pd.DataFrame:
    """The CFA fit reading for the report's table: index names in capitals, and the 90% CI
    of RMSEA (``[low, high]``) in an ``interval`` column (empty for the other indices)."""
    fit = quality.cfa.fit.iloc[0]  # type: ignore[union-attr]
    reading = quality.cfa_reading
    interval = f"[{report.num(fit['rmsea_low'], 3)}, {report.num(fit['rmsea_high'], 3)}]"
    return reading.assign(index=reading["index"].str.upper(),  # type: ignore[union-attr]
                          interval=[interval if i in indices else ""
                                    for i in reading["index"]])  # type: ignore[index]


def overall_index(report: Report) -> str:
    """The scope's overall success-factor index for the narrative: ``3.85 (มาก)`` (mean and
    level in the report's language), or :attr:`~cleannet_eval.notebook.Report.hidden_note`
    when the survey results are hidden or there are none."""
    survey = report.summary["survey"]
    if not report.survey_shown or survey.get("overall_mean") is None:
        return report.hidden_note
    return f"{report.num(survey['overall_mean'], 2)} ({survey['overall_level_' + report.lang]})"
