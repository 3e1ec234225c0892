"""From a raw grid to a table of one kind: header found, columns named, title rows read.

The values are still as written in the file; :mod:`.normalize` converts and validates them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import config
from ..errors import Problem, column_letter
from ..instruments import Instrument
from .headers import (
    HeaderMatch,
    describe_kind,
    find_header,
    read_title_rows,
    recognise_kind,
)
from .questions import (
    QuestionMatch,
    apply_to_header,
    describe_columns,
    mapped_message,
    unmatched_message,
)
from .readers import Grid
from .signin import TitleInfo, complete_title


@dataclass
class SheetTable:
    """One sheet recognised as a table of one kind.

    Attributes
    ----------
    kind
        ``units``, ``roster``, ``attendance`` or ``survey``.
    file, sheet
        Where it came from (``sheet`` is ``None`` for CSV).
    frame
        One column per recognised field (values as written, ``object`` dtype), item columns
        named by item code, ``headcount:FY`` columns for per-year headcounts, and ``_row`` —
        the 1-based spreadsheet row of each record. Blank rows are dropped.
    header
        The header match (column letters and header text for messages).
    title
        What the title rows said.
    """

    kind: str
    file: str
    sheet: str | None
    frame: pd.DataFrame
    header: HeaderMatch
    title: TitleInfo
    notes: list[Problem] = field(default_factory=list)
    columns: list[dict[str, object]] = field(default_factory=list)
    scales: dict[str, str] = field(default_factory=dict)

    def recognised(self) -> dict[str, object]:
        """What was recognised or assumed, for ``manifest.json``: how each column was read
        (with the answer scale of item columns) and where the activity and date came from."""
        columns = []
        for record in self.columns:
            name = str(record.get("field") or "")
            if name.startswith("item:") and name[5:] in self.scales:
                record = {**record, "scale": self.scales[name[5:]]}
            columns.append(record)
        found: dict[str, object] = {"columns": columns}
        if self.header.group_row is not None:
            found["group_heading_row"] = self.header.group_row + 1
        if self.kind == "attendance":
            title = self.title
            date = title.date_text if title.date_text is not None else (
                title.date_value.isoformat() if title.date_value is not None else None)
            found["title"] = {
                "activity": title.activity if title.activity_how else None,
                "activity_row": title.activity_row, "activity_from": title.activity_how,
                "date": date, "date_row": title.date_row, "date_from": title.date_how,
            }
        return found

    def problem(
        self, message: str, row: int | None = None, column: str | None = None,
        value: object = None, severity: str = "error",
    ) -> Problem:
        """A problem located in this sheet; ``column`` is a field name or item code."""
        col_index = None
        header = None
        if column is not None:
            for index, name in self.header.fields.items():
                if name in (column, "item:" + column):
                    col_index, header = index, self.header.headers.get(index)
                    break
        return Problem(
            file=self.file, sheet=self.sheet, row=row, column=col_index, header=header,
            value=value, message=message, severity=severity,
        )


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value
    )


_BLANK = np.frompyfunc(_is_blank, 1, 1)


def _body_frame(body: list[list[object]], used: dict[int, str], first_row: int) -> pd.DataFrame:
    """The used columns of the rows below the header, blank rows dropped, ``_row`` added.

    Rows are transposed in one pass (``zip``), and blank rows found per distinct value, so a
    100,000-row sheet costs a few hundred milliseconds, not seconds.
    """
    width = max([len(r) for r in body] + [max(used) + 1])
    if any(len(r) != width for r in body):  # ragged CSV rows, short rows: pad once
        body = [list(r) + [""] * (width - len(r)) for r in body]
    cols = sorted(used)
    names = [used[c][5:] if used[c].startswith("item:") else used[c] for c in cols]
    # One C-level copy of the rows into a 2-D object array (rows are all `width` long, so
    # numpy cannot mistake a string for a sequence).
    grid = np.array(body, dtype=object) if body else np.empty((0, width), dtype=object)
    grid = grid.reshape(len(body), width)[:, cols]
    # A row is blank when every used cell is; look further right only for rows still blank.
    undecided = np.arange(len(body))
    for j in range(len(cols)):
        if not undecided.size:
            break
        undecided = undecided[_BLANK(grid[undecided, j]).astype(bool)]
    blank = np.zeros(len(body), dtype=bool)
    blank[undecided] = True
    keep = np.flatnonzero(~blank)
    frame = pd.DataFrame(grid[keep] if undecided.size else grid, columns=names, dtype="object")
    frame["_row"] = keep + first_row
    return frame


def extract_table(
    grid: Grid,
    instrument: Instrument,
    kind: str | None = None,
    header_row: int | None = None,
    column_map: dict[str, str] | None = None,
    search_rows: int = 30,
) -> SheetTable | list[Problem] | None:
    """Recognise one sheet.

    Returns
    -------
    SheetTable
        When the sheet is a table.
    list of Problem
        When it cannot be read as one (no header, unknown kind, no data rows).
    None
        When the sheet is completely empty (the caller decides whether that is an error).
    """
    rows = grid.rows
    if not any(not _is_blank(cell) for row in rows for cell in row):
        return None
    where = {"file": grid.file, "sheet": grid.sheet}
    match = find_header(rows, instrument, search_rows, header_row, column_map)
    if match is None:
        return [Problem(
            **where,
            message="no header row found in the first "
            f"{search_rows} rows; expected column names such as ชื่อ-สกุล, หน่วยงาน, วันที่, "
            "กิจกรรม or the survey's item codes — rename the headers or describe the sheet "
            "in data/raw/sources.yml",
        )]
    similar: list[QuestionMatch] = []
    if kind in (None, "survey"):
        similar = apply_to_header(match, instrument)
    found_kind = kind or recognise_kind(match)
    if found_kind is None and len(similar) >= 3:  # question columns, none of them read
        found_kind = "survey"
    if found_kind is None:
        known = ", ".join(h for c, h in sorted(match.headers.items()) if match.fields.get(c))
        return [Problem(
            **where, row=match.row + 1,
            message=f"cannot tell what kind of table this is from its header ({known}); "
            "a name or ID column makes attendance or a roster, item columns a survey, a "
            "headcount column the units table — or set 'kind' in data/raw/sources.yml",
        )]
    if found_kind == "roster" and not match.has("joined") and match.has("date"):
        for col in match.columns_of("date"):
            match.fields[col] = "joined"
    if found_kind == "survey" and not match.has("survey_date") and match.has("date"):
        for col in match.columns_of("date"):
            match.fields[col] = "survey_date"

    if found_kind == "survey":
        too_few = _too_few_items(match, instrument, similar, grid)
        if too_few is not None:
            return [too_few]
    title = read_title_rows(rows, match.first_row)
    if found_kind == "attendance":
        complete_title(title, grid.file, match.has("activity"), match.has("date"))
    used = {
        col: name for col, name in match.fields.items()
        if name and name not in ("ignore", "seq") and not name.startswith("duplicate:")
    }
    by_column = {m.column: m for m in similar}
    notes = [
        Problem(
            **where, row=match.row + 1, column=col, header=match.headers.get(col),
            message=(unmatched_message(by_column[col], grid.file) if col in by_column else
                     "column not recognised and not read; if it matters, map it in "
                     "data/raw/sources.yml"),
            severity="warning",
        )
        for col, name in sorted(match.fields.items())
        if name is None and match.headers.get(col)
    ]
    notes += [
        Problem(**where, row=match.row + 1, column=m.column, header=m.header,
                message=mapped_message(m, instrument), severity="warning")
        for m in similar if m.code is not None
    ]
    notes += [
        Problem(
            **where, row=match.row + 1, column=col, header=match.headers.get(col),
            message=f"a second '{name[10:]}' column; only the first one is read",
            severity="warning",
        )
        for col, name in sorted(match.fields.items())
        if name and name.startswith("duplicate:")
    ]
    frame = _body_frame(rows[match.row + 1:], used, first_row=match.row + 2)
    table = SheetTable(found_kind, grid.file, grid.sheet, frame, match, title, notes,
                       describe_columns(match, instrument, column_map, similar))
    if frame.empty:
        return [table.problem(
            f"the sheet has the header of {describe_kind(found_kind)} on row {match.row + 1} "
            "but no data rows "
            "below it; fill it in or remove the file", row=match.row + 1,
        )]
    return table


def _too_few_items(
    match: HeaderMatch, instrument: Instrument, similar: list[QuestionMatch], grid: Grid,
) -> Problem | None:
    """An error when a survey sheet has fewer than ``config.MIN_ITEMS_RECOGNISED`` of the items."""
    total = len(instrument.item_codes)
    found = len(set(match.item_columns.values()))
    needed = math.ceil(config.MIN_ITEMS_RECOGNISED * total)
    if found >= needed:
        return None
    unread = [column_letter(m.column) for m in similar if m.code is None]
    shown = ", ".join(unread[:8]) + (" …" if len(unread) > 8 else "")
    columns = f" (question columns not matched: {shown})" if unread else ""
    return Problem(
        file=grid.file, sheet=grid.sheet, row=match.row + 1,
        message=f"only {found} of the {total} items of instrument {instrument.id!r} were "
        f"recognised{columns}; at least {needed} ({config.MIN_ITEMS_RECOGNISED:.0%}) are "
        "needed — map the question columns to item codes in data/raw/sources.yml, or draft an "
        f"instrument from this survey with 'cleannet-eval instrument draft \"{grid.file}\" "
        "--out my_survey.yaml' and ingest with --instrument my_survey.yaml",
    )
