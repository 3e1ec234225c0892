"""Read a spreadsheet file into raw grids of cell values, one per sheet.

Supported: ``.xlsx``, ``.xlsm``, ``.ods`` (through python-calamine, the fastest reader) and
``.csv`` in UTF-8 (with or without BOM) or Windows-874/TIS-620. Anything else, or a file that
cannot be read, becomes one :class:`~cleannet_eval.errors.Problem` that says what to do.
Row numbers are kept as a person sees them in Excel: ``grid[i]`` is spreadsheet row ``i + 1``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from ..errors import InputError, Problem

WORKBOOK_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES: tuple[str, ...] = (".csv",)
SUPPORTED_SUFFIXES: tuple[str, ...] = WORKBOOK_SUFFIXES + CSV_SUFFIXES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Grid:
    """The cells of one sheet as read, before any interpretation.

    Attributes
    ----------
    file
        The file's display name (relative to the raw folder).
    sheet
        The sheet name; ``None`` for a CSV file.
    rows
        Cell values row by row; ``rows[i]`` is spreadsheet row ``i + 1``. Empty cells are ``""``.
    """

    file: str
    sheet: str | None
    rows: list[list[object]]


def supported_message() -> str:
    """``"Supported formats: .csv, .ods, .xlsm, .xlsx"``."""
    return "Supported formats: " + ", ".join(sorted(SUPPORTED_SUFFIXES))


def read_grids(path: str | Path, display: str | None = None) -> list[Grid]:
    """Read every visible sheet of a spreadsheet file.

    Parameters
    ----------
    path
        The file.
    display
        How to name the file in messages (default: the path as given).

    Returns
    -------
    list of Grid
        One per visible sheet (one for a CSV file), in workbook order, empty sheets included.

    Raises
    ------
    InputError
        The file is not a supported spreadsheet, is password-protected, corrupt, or a CSV file
        in an unsupported text encoding.
    """
    path = Path(path)
    name = display or str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _fail(name, "legacy .xls workbooks are not read; open it in Excel or LibreOffice "
                    "and save as .xlsx")
    if suffix not in SUPPORTED_SUFFIXES:
        raise _fail(name, f"unsupported file extension {suffix or '(none)'!r}. "
                    + supported_message())
    try:
        data_head = path.open("rb").read(8)
    except OSError as exc:
        raise _fail(name, f"cannot be opened ({exc.strerror})")
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path, name)]
    return _read_workbook(path, name, suffix, data_head)


def _fail(name: str, message: str) -> InputError:
    return InputError([Problem(file=name, message=message)])


def _describe_bytes(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return "an HTML page"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8"):
        return "an image"
    if not head:
        return "an empty file"
    return "not a spreadsheet"


def _read_workbook(path: Path, name: str, suffix: str, head: bytes) -> list[Grid]:
    kind = "OpenDocument spreadsheet" if suffix == ".ods" else "Excel workbook"
    if head.startswith(_OLE2_MAGIC):
        if suffix == ".ods":
            raise _fail(name, "is not an OpenDocument spreadsheet; save it again as .ods or .xlsx")
        raise _fail(
            name,
            "is password-protected (encrypted) or a legacy .xls file renamed to .xlsx; remove "
            "the password in Excel (File › Info › Protect Workbook) and save as .xlsx",
        )
    if not head.startswith(_ZIP_MAGIC):
        with path.open("rb") as handle:
            what = _describe_bytes(handle.read(512))
        raise _fail(name, f"is {what}, not an {kind}; expected a {suffix} file saved by a "
                    "spreadsheet program")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        grids = []
        for meta in workbook.sheets_metadata:
            if meta.visible != python_calamine.SheetVisibleEnum.Visible:
                continue  # hidden sheets hold drop-down lists, not data
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets hold no cells
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            grids.append(Grid(name, meta.name, rows))
        workbook.close()
    except python_calamine.PasswordError:
        raise _fail(name, "is password-protected; remove the password and save again")
    except (python_calamine.CalamineError, python_calamine.ZipError,
            python_calamine.XmlError, ValueError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else exc.__class__.__name__
        raise _fail(name, f"is a corrupt or unreadable {kind} ({detail}); open it in the "
                    "spreadsheet program, repair it and save again")
    return grids


def decode_text(data: bytes, name: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM or not) or, failing that, Windows-874/TIS-620.

    Raises
    ------
    InputError
        Neither encoding fits (for example a UTF-16 file or binary data).
    """
    if b"\x00" in data[:4096]:
        raise _fail(name, "wrong encoding: the file holds NUL bytes (UTF-16 or binary); save it "
                    "as 'CSV UTF-8 (Comma delimited)'")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp874")
    except UnicodeDecodeError:
        at = utf8_error.start
        raise _fail(name, f"wrong encoding: byte 0x{data[at]:02x} at offset {at} is not UTF-8, "
                    "and the file is not Windows-874 (TIS-620) either; save it as "
                    "'CSV UTF-8 (Comma delimited)'")


def _read_csv(path: Path, name: str) -> Grid:
    text = decode_text(path.read_bytes(), name)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Grid(name, None, rows)
