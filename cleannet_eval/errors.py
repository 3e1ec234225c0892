"""One exception family. Every message says what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


class CleannetError(Exception):
    """Base class of every error cleannet-eval raises for a user's mistake.

    The command line prints ``str(error)`` (one line per problem) and exits with status 2,
    never a traceback.
    """


class ConfigError(CleannetError):
    """A setting, parameter or ``sources.yml`` entry is invalid."""


class InstrumentError(CleannetError):
    """A survey instrument file is invalid."""


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → ``A``, 27 → ``AB``).

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    if index < 0:
        raise ValueError(f"column index must be >= 0, got {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as a person would find it in Excel.

    Parameters
    ----------
    file
        The file's path as the user named it (relative to the raw folder where possible).
    message
        What is wrong and what was expected.
    sheet
        Sheet name, or ``None`` for a CSV file or a whole-file problem.
    row
        1-based spreadsheet row, or ``None``.
    column
        0-based column index, or ``None``; shown as a letter.
    header
        The column's header text as written in the file.
    value
        The offending cell value as written.
    severity
        ``"error"`` stops the ingest; ``"warning"`` is reported in the data-quality table.
    """

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    header: str | None = None
    value: object = None
    severity: str = "error"

    @property
    def location(self) -> str:
        """``file [sheet 'S'] row R, column C (header)``, leaving out what is unknown."""
        head = self.file if self.sheet is None else f"{self.file} sheet '{self.sheet}'"
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            col = f"column {column_letter(self.column)}"
            if self.header:
                col += f" ({self.header})"
            where.append(col)
        elif self.header:
            where.append(f"column '{self.header}'")
        return f"{head}: {', '.join(where)}" if where else head

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.value is not None and self.value != "":
            text += f"{_short(self.value)!r} — "
        text += self.message
        return f"{self.severity}: {text}" if self.severity != "error" else text

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready fields (column given as a letter)."""
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": None if self.column is None else column_letter(self.column),
            "header": self.header,
            "value": None if self.value is None else _short(self.value),
            "message": self.message,
        }


def _short(value: object, limit: int = 60) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _order(problem: Problem) -> tuple:
    # Rows in order; a summary line without a row ("… and 12 more") after them.
    row = problem.row if problem.row is not None else float("inf")
    return (problem.file, problem.sheet or "", row, problem.column or 0)


class InputError(CleannetError):
    """One or more input files are invalid; ``problems`` holds every one found.

    Parameters
    ----------
    problems
        Every error found, in file and row order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))
