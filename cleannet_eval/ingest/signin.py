"""Sign-in sheets as offices make them: the activity and date from unlabelled title lines or
from the file name, and a merged group heading above the real header row.

A typical sheet starts::

    แบบลงทะเบียนผู้เข้าร่วมกิจกรรม            ← a form heading: skipped
    กิจกรรมอบรมหลักสูตรการเสริมสร้างคุณธรรม   ← the activity (first line that is not a heading)
    วันที่ ๒๐ ธันวาคม ๒๕๕๐ เวลา ๐๙.๐๐ น.      ← the date
    ณ ห้องประชุมกรมการปกครอง                ← a venue line: skipped

and a file may be called ``ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50.xlsx``. Dates in title lines and file
names may use Thai or Arabic digits, a full or abbreviated month, a BE or CE year, or a
two-digit BE year (``50`` = 2550).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .thai import normalize_text, parse_date, thai_to_arabic_digits

#: A form heading: the name of the form, not of the activity.
FORM_HEADING = re.compile(
    r"^(?:(?:แบบ|ใบ)\s*(?:ลงทะเบียน|ลงชื่อ|ลงนาม|ลงเวลา|รายชื่อ|บันทึกการเข้าร่วม)"
    r"|(?:บัญชี|สรุป)?\s*รายชื่อผู้|ทะเบียนผู้เข้าร่วม"
    r"|sign[\s-]?in\b|registration\b|attendance\s+(?:sheet|list)\b)",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"^(?:วัน(?:ที่|จันทร์|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์|อาทิตย์)|date\b)", re.I)
_SKIPPED_LINE = re.compile(
    r"^(?:ณ\s|ณ(?:ห้อง|อาคาร|โรงแรม|ศาลา|สำนัก)|สถานที่|ห้องประชุม|เวลา|\d{1,2}\s*[.:]\s*\d{2}"
    r"|จัดโดย|ผู้จัด|หน่วยงานผู้จัด|ปีงบประมาณ|venue\b|place\b|time\b|at\s)",
    re.IGNORECASE,
)
_ACTIVITY_LINE = re.compile(r"^(?:ชื่อ)?กิจกรรม")
_PROJECT_LINE = re.compile(r"^(?:ชื่อ)?โครงการ")
_NOTE_LINE = re.compile(r"^(?:คำอธิบาย|คำชี้แจง|หมายเหตุ|instructions?\b|note\b)", re.IGNORECASE)
_BARE_LABEL = re.compile(r"(?:ชื่อ)?(?:กิจกรรม|โครงการ|activity)\s*[:：]?\s*", re.IGNORECASE)
_MONTH_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:[-–]\s*\d{1,2}\s*)?"
    r"([\u0e01-\u0e2e\u0e40-\u0e44][\u0e01-\u0e4e.]*|[A-Za-z]{3,}\.?)\s*"
    r"(?:(?:พ|ค)\.?\s*ศ\.?\s*)?(\d{4}|\d{2})(?!\d)"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")


@dataclass
class TitleInfo:
    """What the rows above the header say: an activity name, a date, a fiscal year."""

    activity: str | None = None
    activity_row: int | None = None
    date_text: str | None = None
    date_row: int | None = None
    fiscal_year_text: str | None = None
    fiscal_year_row: int | None = None
    activity_is_project: bool = False
    activity_line: str | None = None
    activity_line_row: int | None = None
    activity_how: str | None = None
    date_value: dt.date | None = None
    date_how: str | None = None



def is_form_heading(line: str) -> bool:
    """``แบบลงทะเบียน…``, ``ใบลงชื่อ…``, ``ใบลงทะเบียน…``, ``รายชื่อผู้เข้าร่วม…``."""
    return bool(FORM_HEADING.match(line.strip()))


def is_skipped_line(line: str) -> bool:
    """A line that names neither the activity nor its date: venue, time, organiser, FY."""
    return bool(_SKIPPED_LINE.match(line.strip()))


def is_date_line(line: str) -> bool:
    """A line starting with วันที่ (or a weekday, or ``Date``)."""
    return bool(_DATE_LINE.match(line.strip()))


def activity_line(lines: list[tuple[int, str]]) -> tuple[str, int] | None:
    """The activity named by unlabelled title lines, with its 1-based row.

    The first line starting with กิจกรรม; else the first line that is not a form heading, a
    date, venue, time, fiscal-year or instructions line (a project line โครงการ… only when
    nothing else is left). A sheet with a blank ``กิจกรรม`` label row names no activity: the
    form has a place for it, left empty.
    """
    if any(_BARE_LABEL.fullmatch(text) and not _PROJECT_LINE.match(text) for _, text in lines):
        return None  # the sheet has a กิจกรรม row left blank: never guess another line
    candidates = [(row, text) for row, text in lines
                  if not (is_form_heading(text) or is_date_line(text) or is_skipped_line(text)
                          or _BARE_LABEL.fullmatch(text) or _NOTE_LINE.match(text))]
    for wanted in (_ACTIVITY_LINE, None, _PROJECT_LINE):
        for row, text in candidates:
            if wanted is _ACTIVITY_LINE and wanted.match(text):
                return text, row
            if wanted is None and not _PROJECT_LINE.match(text):
                return text, row
            if wanted is _PROJECT_LINE and wanted.match(text):
                return text, row
    return None


def _year4(text: str) -> str:
    return str(2500 + int(text)) if len(text) == 2 else text


def find_date(text: object) -> dt.date | None:
    """The first date written inside a line or file name, or ``None``.

    Examples
    --------
    >>> find_date("วันที่ ๒๐ ธันวาคม ๒๕๕๐ เวลา ๐๙.๐๐ น.")
    datetime.date(2007, 12, 20)
    >>> find_date("ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50")
    datetime.date(2007, 12, 20)
    """
    if isinstance(text, dt.date):
        return text.date() if isinstance(text, dt.datetime) else text
    line = normalize_text(text)
    if line is None:
        return None
    line = thai_to_arabic_digits(line)
    try:
        return parse_date(line)
    except ValueError:
        pass
    for pattern in (_MONTH_DATE, _NUMERIC_DATE):
        for m in pattern.finditer(line):
            if pattern is _MONTH_DATE:
                candidate = f"{m[1]} {m[2]} {_year4(m[3])}"
            else:
                candidate = f"{m[1]}/{m[3]}/{_year4(m[4])}"
            try:
                return parse_date(candidate)
            except ValueError:
                continue
    return None


def file_name_date(file: str) -> dt.date | None:
    """A date in the file's name (``ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50.xlsx`` → 20 Dec 2007)."""
    return find_date(Path(file).stem.replace("_", " "))


def file_name_activity(file: str) -> str | None:
    """The activity in a file name that starts with a form heading, date removed.

    ``ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50.xlsx`` → ``อบรมแกนนำ``; a name without a form heading word
    (``signin_2551_01.xlsx``) names no activity.
    """
    stem = normalize_text(Path(file).stem.replace("_", " ")) or ""
    heading = FORM_HEADING.match(stem)
    if heading is None:
        return None
    rest = thai_to_arabic_digits(stem[heading.end():])
    rest = re.sub(r"^\s*(?:ผู้เข้าร่วม(?:กิจกรรม|โครงการ)?)\s*", "", rest)
    for pattern in (_MONTH_DATE, _NUMERIC_DATE):
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" -–_.,()")
    return rest if re.search(r"[\u0e01-\u0e2e]", rest) else None


def group_heading_fill(
    above: list[object], header: list[object], labels: re.Pattern[str],
) -> dict[int, str] | None:
    """Header cells to fill from a merged group heading row just above the header row.

    ``above`` is a group heading when it has two or more cells, is not a title line with a
    label (``labels``), and fills a blank header cell or spans blank cells over real headers.
    Returns column → text for the header cells that are blank (a cell merged down over both
    rows), or ``None`` when ``above`` is not a group heading.
    """
    texts = [normalize_text(c) for c in above]
    filled = [i for i, t in enumerate(texts) if t]
    if len(filled) < 2 or labels.match(" ".join(t for t in texts if t)):
        return None
    head = [normalize_text(c) for c in header] + [None] * max(0, len(texts) - len(header))
    fills = {i: texts[i] for i in filled if not head[i]}
    spans = any(texts[i] and i + 1 < len(texts) and not texts[i + 1] and head[i + 1]
                for i in range(len(texts)))
    if not fills and not spans:
        return None
    return fills


def complete_title(title: TitleInfo, file: str, has_activity: bool, has_date: bool) -> None:
    """Fill the activity and date a sheet's columns and labelled title rows do not give.

    The activity comes from an unlabelled title line, else from the file name; the date from
    the file name. Each fills only when the sheet has no such column, and ``how`` records where
    it came from (``title label``, ``title line``, ``file name``).
    """
    if title.activity is not None:
        title.activity_how = "title label"
        line = title.activity_line
        if title.activity_is_project and line and _ACTIVITY_LINE.match(line):
            title.activity, title.activity_row = line, title.activity_line_row
            title.activity_how = "title line"
    elif not has_activity:
        if title.activity_line is not None:
            title.activity, title.activity_row = title.activity_line, title.activity_line_row
            title.activity_how = "title line"
        elif (named := file_name_activity(file)) is not None:
            title.activity, title.activity_how = named, "file name"
    if title.date_text is not None:
        title.date_how = "title line"
    elif not has_date and (day := file_name_date(file)) is not None:
        title.date_value, title.date_how = day, "file name"


def looked_for(what: str, file: str, header_row: int, first_header_row: int) -> str:
    """Where an attendance sheet's activity or date was looked for, for the error message."""
    rows = (f"the title rows 1–{first_header_row - 1}" if first_header_row > 1
            else "the title rows (there are none above the header)")
    name = Path(file).name
    if what == "activity":
        return (f"looked for a กิจกรรม column in row {header_row}, in {rows} for 'กิจกรรม: …' "
                "or a line that is not a form heading, date, venue or time, and in the file "
                f"name {name!r} after a form heading such as ใบลงชื่อ")
    return (f"looked for a วันที่ column in row {header_row}, in {rows} for a line starting "
            f"with วันที่, and in the file name {name!r} for a date such as 20 ธ.ค. 50")
