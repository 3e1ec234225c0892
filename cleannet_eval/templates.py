"""Blank, fillable Excel templates: one workbook per kind of table that ingest reads.

:func:`write_templates` writes

* ``template_attendance.xlsx`` — one row per person per activity (activity and date columns);
* ``template_signin_sheet.xlsx`` — a paper-style sign-in sheet for one activity, whose name and
  date go in the title rows "กิจกรรม" and "วันที่" above the header;
* ``template_network_roster.xlsx`` — network leaders and members, who recruited them, when they
  joined and left;
* ``template_survey.xlsx`` — one row per questionnaire, one column per item code of the
  instrument, with a sheet "คำถาม" listing each code's question;
* ``template_units.xlsx`` — one row per unit and fiscal year with its headcount;
* ``template_expert_review.xlsx`` — the experts' item–objective congruence ratings (IOC): one
  row per item (its code), one column per expert, +1 / 0 / −1.

Headers are the first spelling :data:`~cleannet_eval.ingest.headers.FIELD_ALIASES` lists for
each field (so ingest recognises them by construction). Staff type, role, reason for leaving
and the survey answers have drop-down lists; every column shows a short hint when a cell is
selected; date, ID and questionnaire-number columns are formatted as text so that Excel keeps
"5/11/2550", leading zeros and all 13 digits as typed.

Ingest reads every *visible* sheet and stops at a visible sheet that holds no table, so the
instructions sheet "คำอธิบาย" and the survey's "คำถาม" sheet are saved hidden; the title row of
each data sheet says where they are. Output is deterministic: equal input gives equal bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from .ingest.headers import FIELD_ALIASES
from .instruments import Instrument, load_instrument
from .safety import neutralise_cell
from .vocab import LEFT_REASONS, ROLES, STAFF_TYPES

__all__ = ["TEMPLATE_FILES", "write_templates"]

#: The files :func:`write_templates` writes, sorted.
TEMPLATE_FILES: tuple[str, ...] = (
    "template_attendance.xlsx",
    "template_expert_review.xlsx",
    "template_network_roster.xlsx",
    "template_signin_sheet.xlsx",
    "template_survey.xlsx",
    "template_units.xlsx",
)

#: Timestamp written into every workbook's properties and zip entries.
_FIXED_TIME = dt.datetime(2008, 1, 1, 0, 0, 0)
_ZIP_TIME = (2008, 1, 1, 0, 0, 0)
#: How many rows below the header carry drop-down lists, hints and text formatting.
_FILL_ROWS = 2000

_INSTRUCTIONS_SHEET = "คำอธิบาย"
_QUESTIONS_SHEET = "คำถาม"

_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_NOTE_FONT = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_UNDERLINE = Border(bottom=Side(style="thin"))

_HIDDEN_NOTE = (
    "คำอธิบายอยู่ในชีต 'คำอธิบาย' ที่ซ่อนไว้ (คลิกขวาที่แถบชีต › ยกเลิกการซ่อน) · "
    "Instructions: hidden sheet 'คำอธิบาย' (right-click a sheet tab › Unhide)"
)

_REQUIRED = ("จำเป็น", "required")
_ONE_OF = ("ต้องมีอย่างน้อยหนึ่งคอลัมน์ในกลุ่มนี้", "at least one of this group")
_OPTIONAL = ("ไม่บังคับ", "optional")


def _header(field: str) -> str:
    """The header a template uses for ``field``: the first spelling ingest recognises."""
    return FIELD_ALIASES[field][0]


@dataclass(frozen=True)
class _Column:
    """One column of a template.

    Attributes
    ----------
    field
        Canonical field (a key of ``FIELD_ALIASES``) or ``item:CODE``.
    header
        The header text written in the template.
    width
        Column width in Excel's character units.
    need
        Thai and English: required, one of a group, or optional.
    hint_th, hint_en
        What to write in the column.
    choices
        Values of a drop-down list, or ``None``.
    whole
        ``(low, high)`` bounds of a whole-number rule (``high`` may be ``None``), or ``None``.
    text
        Format the column as text (dates, IDs, questionnaire numbers).
    strict
        Refuse values outside the list or bounds (otherwise Excel only warns).
    """

    field: str
    header: str
    width: float
    need: tuple[str, str]
    hint_th: str
    hint_en: str
    choices: tuple[str, ...] | None = None
    whole: tuple[int, int | None] | None = None
    text: bool = False
    strict: bool = False


@dataclass(frozen=True)
class _Template:
    """One template workbook: its data sheet, title rows and columns."""

    file: str
    sheet: str
    title: str
    one_row_th: str
    one_row_en: str
    columns: tuple[_Column, ...]
    #: ``(label, hint_th, hint_en)`` of each fill-in title row above the header.
    title_fields: tuple[tuple[str, str, str], ...] = ()


def _labels(
    vocabulary: dict[str, dict[str, str]], codes: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Thai labels of ``codes`` (default: every code) in vocabulary order."""
    return tuple(vocabulary[c]["th"] for c in (codes or tuple(vocabulary)))


_STAFF = _labels(STAFF_TYPES)
_ROLES_ALL = _labels(ROLES)
_ROLES_NETWORK = _labels(ROLES, ("leader", "member"))
_REASONS = _labels(LEFT_REASONS)

_DATE_TH = "วัน/เดือน/ปี พ.ศ. เช่น 5/11/2550 หรือ 5 พ.ย. 2550 (วันขึ้นก่อนเดือน)"
_DATE_EN = "day/month/year, BE or CE, e.g. 5/11/2550 or 5 พ.ย. 2550 (day first)"


def _seq() -> _Column:
    return _Column("seq", _header("seq"), 7, _OPTIONAL, "ลำดับที่ (ไม่ถูกนำไปใช้)",
                   "row number (not read)")


def _name(need: tuple[str, str] = _ONE_OF) -> _Column:
    return _Column("name", _header("name"), 30, need,
                   "ชื่อและนามสกุล จะมีคำนำหน้าหรือยศหรือไม่ก็ได้",
                   "full name; a title or rank may be included")


def _national_id(need: tuple[str, str] = _ONE_OF) -> _Column:
    return _Column("national_id", _header("national_id"), 20, need,
                   "เลข 13 หลัก มีขีดหรือเว้นวรรคได้ เว้นว่างได้ถ้ามีชื่อ",
                   "13 digits, dashes or spaces allowed; may be blank when a name is given",
                   text=True)


def _unit(need: tuple[str, str], hint_th: str, hint_en: str) -> _Column:
    return _Column("unit", _header("unit"), 36, need, hint_th, hint_en)


def _staff_type() -> _Column:
    return _Column("staff_type", _header("staff_type"), 18, _OPTIONAL,
                   "เลือก: " + ", ".join(_STAFF), "choose: " + ", ".join(_STAFF), _STAFF)


def _role(choices: tuple[str, ...], need: tuple[str, str] = _OPTIONAL) -> _Column:
    return _Column("role", _header("role"), 18, need, "เลือก: " + ", ".join(choices),
                   "choose: " + ", ".join(choices), choices)


def _date(field: str, width: float, need: tuple[str, str], what_th: str, what_en: str) -> _Column:
    return _Column(field, _header(field), width, need, f"{what_th}: {_DATE_TH}",
                   f"{what_en}: {_DATE_EN}", text=True)


def _fiscal_year(need: tuple[str, str], hint_th: str, hint_en: str) -> _Column:
    return _Column("fiscal_year", _header("fiscal_year"), 13, need, hint_th, hint_en,
                   whole=(2533, 2643))


#: Expert columns of the expert-review template (a panel of 3; add columns for 5 or 9).
_EXPERTS = ("ผู้เชี่ยวชาญคนที่ 1", "ผู้เชี่ยวชาญคนที่ 2", "ผู้เชี่ยวชาญคนที่ 3")


def _expert_review(instrument: Instrument) -> _Template:
    codes = tuple(instrument.item_codes)
    listed = codes if len('"' + ",".join(codes) + '"') <= 255 else None
    experts = tuple(
        _Column(f"expert:{name}", name, 20, _REQUIRED,
                "คะแนนของผู้เชี่ยวชาญท่านนี้: +1 สอดคล้อง, 0 ไม่แน่ใจ, -1 ไม่สอดคล้อง "
                "(เพิ่มคอลัมน์ 'ผู้เชี่ยวชาญคนที่ 4' … ได้)",
                "this expert's rating: +1 congruent, 0 unsure, -1 not congruent (add "
                "columns for more experts)", ("1", "0", "-1"), strict=True)
        for name in _EXPERTS
    )
    return _Template(
        "template_expert_review.xlsx", "ความสอดคล้อง IOC",
        "แบบประเมินความสอดคล้องของข้อคำถามกับวัตถุประสงค์ (IOC) · Expert review (IOC)",
        "หนึ่งแถวคือข้อคำถามหนึ่งข้อ หนึ่งคอลัมน์คือผู้เชี่ยวชาญหนึ่งท่าน",
        "one row is one item, one column one expert",
        (
            _seq(),
            _Column("item", _header("item"), 14, _REQUIRED,
                    "รหัสข้อคำถามของแบบสอบถาม (เช่น " + ", ".join(codes[:3]) + ") "
                    "หรือข้อความคำถาม", "the item code (e.g. " + ", ".join(codes[:3]) + ") "
                    "or the question text", listed),
            *experts,
        ),
    )


def _templates(instrument: Instrument) -> tuple[_Template, ...]:
    scale = instrument.scale
    answers = tuple(str(v) for v in range(scale.min, scale.max + 1))
    scale_th = " … ".join(
        f"{v} = {scale.labels_th[v]}" for v in (scale.min, scale.max) if v in scale.labels_th
    )
    items = tuple(
        _Column(f"item:{item.code}", item.code, 8, _OPTIONAL,
                f"{item.code}: {item.text_th} — ตอบ {scale.min}–{scale.max} ({scale_th})",
                f"{item.code}: {item.text_en} — answer {scale.min}–{scale.max}",
                answers, strict=True)
        for item in instrument.items
    )
    return (
        _Template(
            "template_attendance.xlsx", "ผู้เข้าร่วมกิจกรรม",
            "แบบบันทึกผู้เข้าร่วมกิจกรรม · Attendance",
            "หนึ่งแถวคือคนหนึ่งคนที่เข้าร่วมกิจกรรมหนึ่งครั้ง",
            "one row is one person attending one activity",
            (
                _seq(), _name(), _national_id(),
                _unit(_OPTIONAL, "หน่วยงานของผู้เข้าร่วม ตามชื่อในตารางหน่วยงาน "
                      "(ภาคประชาชนเว้นว่างได้)",
                      "the person's unit as named in the units table (blank for citizens)"),
                _staff_type(), _role(_ROLES_ALL),
                _Column("activity", _header("activity"), 44, _REQUIRED,
                        "ชื่อกิจกรรม เขียนให้เหมือนกันทุกแถวของกิจกรรมเดียวกัน",
                        "activity name, written the same way on every row of one activity"),
                _date("date", 16, _REQUIRED, "วันที่จัดกิจกรรม", "date of the activity"),
            ),
        ),
        _Template(
            "template_signin_sheet.xlsx", "ใบลงชื่อ",
            "ใบลงทะเบียนผู้เข้าร่วมกิจกรรม · Sign-in sheet",
            "หนึ่งแผ่นคือกิจกรรมหนึ่งครั้ง หนึ่งแถวคือผู้เข้าร่วมหนึ่งคน "
            "ใส่ชื่อกิจกรรมและวันที่ในช่องข้าง 'กิจกรรม' และ 'วันที่' ด้านบน",
            "one sheet is one activity, one row one attendee; write the activity name and "
            "date in the cells beside 'กิจกรรม' and 'วันที่' at the top",
            (
                _seq(), _name(_REQUIRED),
                _unit(_OPTIONAL, "หน่วยงานของผู้เข้าร่วม ตามชื่อในตารางหน่วยงาน "
                      "(ภาคประชาชนเว้นว่างได้)",
                      "the person's unit as named in the units table (blank for citizens)"),
                _staff_type(), _role(_ROLES_ALL),
                _Column("ignore", "ลายมือชื่อ", 22, _OPTIONAL,
                        "ลายมือชื่อบนกระดาษ (ไม่ถูกนำไปใช้)", "signature on paper (not read)"),
            ),
            title_fields=(
                (_header("activity"), "ชื่อกิจกรรม (จำเป็น)", "activity name (required)"),
                (_header("date"), f"วันที่จัดกิจกรรม (จำเป็น): {_DATE_TH}",
                 f"date of the activity (required): {_DATE_EN}"),
            ),
        ),
        _Template(
            "template_network_roster.xlsx", "ทะเบียนเครือข่าย",
            "ทะเบียนแกนนำและสมาชิกเครือข่ายราชการใสสะอาด · Network roster",
            "หนึ่งแถวคือการเป็นแกนนำหรือสมาชิกของคนหนึ่งคนหนึ่งช่วง (ออกแล้วกลับมาใหม่ใช้แถวใหม่)",
            "one row is one spell of one person as leader or member (a re-entry is a new row)",
            (
                _seq(), _national_id(), _name(),
                _unit(_REQUIRED, "หน่วยงานที่สังกัด ตามชื่อในตารางหน่วยงาน",
                      "the unit, as named in the units table"),
                _staff_type(), _role(_ROLES_NETWORK, _REQUIRED),
                _date("joined", 22, _REQUIRED, "วันที่เข้าร่วมเครือข่าย", "date joined"),
                _Column("recruited_by", _header("recruited_by"), 30, _OPTIONAL,
                        "ชื่อ-สกุลของผู้ชักชวน เขียนให้ตรงกับแถวของผู้ชักชวนเอง",
                        "the recruiter's name, as on the recruiter's own row"),
                _Column("recruited_by_id", _header("recruited_by_id"), 26, _OPTIONAL,
                        "เลขประจำตัวประชาชน 13 หลักของผู้ชักชวน (ถ้ามี)",
                        "the recruiter's 13-digit national ID (if known)", text=True),
                _date("left", 16, _OPTIONAL, "วันที่พ้นสภาพ (เว้นว่างถ้ายังอยู่)",
                      "date left (blank while still in)"),
                _Column("left_reason", _header("left_reason"), 20, _OPTIONAL,
                        "เลือก: " + ", ".join(_REASONS), "choose: " + ", ".join(_REASONS),
                        _REASONS),
            ),
        ),
        _Template(
            "template_survey.xlsx", "แบบสอบถาม",
            "ผลการตอบแบบสอบถาม · Survey answers",
            "หนึ่งแถวคือแบบสอบถามหนึ่งชุด คำถามของแต่ละรหัสอยู่ในชีต 'คำถาม' ที่ซ่อนไว้",
            "one row is one questionnaire; each code's question is in the hidden sheet 'คำถาม'",
            (
                _Column("respondent", _header("respondent"), 18, _OPTIONAL,
                        "เลขที่แบบสอบถาม ไม่ซ้ำกันภายในปีงบประมาณ (ทุกไฟล์รวมกัน)",
                        "questionnaire number, unique within a fiscal year across all files",
                        text=True),
                _unit(_REQUIRED, "หน่วยงานของผู้ตอบ ตามชื่อในตารางหน่วยงาน",
                      "the respondent's unit, as named in the units table"),
                _staff_type(), _role(_ROLES_ALL),
                _date("survey_date", 14, _ONE_OF, "วันที่ตอบ", "date answered"),
                _fiscal_year(_ONE_OF, "ปีงบประมาณ พ.ศ. เช่น 2551 (ถ้าไม่มีวันที่ตอบ)",
                             "BE fiscal year, e.g. 2551 (when there is no answer date)"),
                *items,
                _Column("comment", _header("comment"), 50, _OPTIONAL,
                        "ข้อเสนอแนะ (ข้อความอิสระ)", "free-text comment"),
            ),
        ),
        _Template(
            "template_units.xlsx", "หน่วยงาน",
            "หน่วยงานและอัตรากำลัง · Units and headcounts",
            "หนึ่งแถวคือหน่วยงานหนึ่งหน่วยในปีงบประมาณหนึ่งปี",
            "one row is one unit in one fiscal year",
            (
                _seq(),
                _unit(_REQUIRED, "ชื่อหน่วยงาน (สำนัก/กอง/กลุ่ม) เขียนแบบเดียวกันทุกไฟล์",
                      "unit name, written the same way in every file"),
                _Column("parent", _header("parent"), 36, _OPTIONAL,
                        "หน่วยงานที่หน่วยนี้สังกัด (ต้องมีแถวของตัวเองในตารางนี้ด้วย)",
                        "the unit this one belongs to (should have its own row here)"),
                _fiscal_year(_REQUIRED, "ปีงบประมาณ พ.ศ. เช่น 2551",
                             "BE fiscal year, e.g. 2551"),
                _Column("headcount", _header("headcount"), 14, _REQUIRED,
                        "จำนวนบุคลากรทั้งหมดของหน่วยงาน (จำนวนเต็ม)",
                        "number of staff in the unit (whole number)", whole=(0, None),
                        strict=True),
            ),
        ),
        _expert_review(instrument),
    )


def _clip(text: str, limit: int) -> str:
    """Excel rejects a validation whose prompt or message is longer than its limit."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validation(column: _Column, cells: str) -> DataValidation:
    """Drop-down list, whole-number rule or a plain hint for one column's fill-in cells."""
    kwargs: dict[str, object] = {}
    expected = ""
    if column.choices:
        kwargs = {"type": "list", "formula1": '"' + ",".join(column.choices) + '"'}
        expected = "เลือกจากรายการ · choose from the list"
    elif column.whole:
        low, high = column.whole
        if high is None:
            kwargs = {"type": "whole", "operator": "greaterThanOrEqual", "formula1": str(low)}
            expected = f"จำนวนเต็ม {low} ขึ้นไป · a whole number {low} or more"
        else:
            kwargs = {"type": "whole", "operator": "between", "formula1": str(low),
                      "formula2": str(high)}
            expected = f"จำนวนเต็ม {low}–{high} · a whole number {low}–{high}"
    dv = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=_clip(column.header, 32),
        prompt=_clip(f"{column.hint_th} · {column.hint_en}", 255),
        **kwargs,
    )
    if kwargs:
        dv.showErrorMessage = True
        dv.errorStyle = "stop" if column.strict else "warning"
        dv.errorTitle = _clip(column.header, 32)
        dv.error = _clip(expected, 225)
    dv.add(cells)
    return dv


def _data_sheet(ws: Worksheet, template: _Template) -> None:
    ws.title = template.sheet
    ws.append([template.title])
    ws.cell(1, 1).font = _TITLE_FONT
    ws.append([_HIDDEN_NOTE])
    ws.cell(2, 1).font = _NOTE_FONT
    for label, hint_th, hint_en in template.title_fields:
        # Label and value in two cells: ingest joins them into "กิจกรรม อบรมแกนนำ".
        ws.append([label, None])
        row = ws.max_row
        ws.cell(row, 1).font = _BOLD
        value = ws.cell(row, 2)
        value.border = _UNDERLINE
        value.number_format = "@"
        dv = DataValidation(allow_blank=True, showInputMessage=True,
                            promptTitle=_clip(label, 32),
                            prompt=_clip(f"{hint_th} · {hint_en}", 255))
        dv.add(value.coordinate)
        ws.add_data_validation(dv)
    if template.title_fields:
        ws.append([])
    ws.append([neutralise_cell(c.header) for c in template.columns])
    header_row = ws.max_row
    for index, column in enumerate(template.columns, start=1):
        cell = ws.cell(header_row, index)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        letter = get_column_letter(index)
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        if column.text:
            dimension.number_format = "@"
        cells = f"{letter}{header_row + 1}:{letter}{header_row + _FILL_ROWS}"
        ws.add_data_validation(_validation(column, cells))
    if template.title_fields:
        # The fill-in cells beside the labels need room for a long activity name.
        ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 44)
    ws.freeze_panes = f"A{header_row + 1}"


def _instructions_sheet(ws: Worksheet, template: _Template) -> None:
    ws.title = _INSTRUCTIONS_SHEET
    ws.sheet_state = "hidden"
    for letter, width in zip("ABCD", (30, 22, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width
    language_row = ("", "", "ภาษาไทย", "English")
    column_row = ("คอลัมน์ · Column", "จำเป็นหรือไม่ · Required", "ความหมาย", "Meaning")
    rows: list[tuple[object, ...]] = [
        (f"คำอธิบาย · Instructions — {template.title}",),
        (),
        language_row,
        ("ไฟล์นี้ · This file", "", template.one_row_th, template.one_row_en),
        ("วิธีกรอก · How to fill in", "",
         f"กรอกข้อมูลในชีต '{template.sheet}' ใต้แถวหัวตาราง ห้ามแก้ชื่อหัวคอลัมน์ "
         "เพิ่มคอลัมน์อื่นได้ (จะได้รับคำเตือนว่าไม่ถูกนำไปใช้)",
         f"Fill in sheet '{template.sheet}' below the header row. Do not rename the "
         "headers. Extra columns are allowed; ingest warns that it does not read them."),
        ("วันที่ · Dates", "",
         "เขียนวันขึ้นก่อนเดือน ปี พ.ศ. หรือ ค.ศ. ก็ได้ ตัวเลขไทยได้ เช่น 5/11/2550, "
         "5 พ.ย. 2550, ๕ พฤศจิกายน ๒๕๕๐ ปีต้องมี 4 หลัก ปีงบประมาณเริ่ม 1 ต.ค. สิ้นสุด 30 ก.ย.",
         "Day before month; BE or CE years; Thai digits are fine: 5/11/2550, 5 พ.ย. 2550, "
         "2007-11-05. Years need four digits. The fiscal year runs 1 Oct – 30 Sep and is "
         "named by the BE year it ends in."),
        ("ข้อมูลส่วนบุคคล · Personal data", "",
         "ชื่อและเลขประจำตัวประชาชนใช้สร้างรหัสแทนตัวบุคคลเท่านั้น ไม่ถูกบันทึกในผลลัพธ์ "
         "เก็บไฟล์นี้ในที่ปลอดภัย",
         "Names and national IDs are only used to make pseudonymous keys and are not "
         "written to the processed data. Keep this file somewhere safe."),
        ("บันทึกไฟล์ · Saving", "",
         "บันทึกเป็น .xlsx (หรือ CSV UTF-8) แล้ววางไว้ในโฟลเดอร์ data/raw "
         "ก่อนบันทึกให้ซ่อนชีตนี้ไว้ตามเดิมหรือลบทิ้ง เพราะชีตที่มองเห็นแต่ไม่มีตารางข้อมูล "
         "จะทำให้การนำเข้าหยุด",
         "Save as .xlsx (or CSV UTF-8) into data/raw. Hide this sheet again (right-click "
         "its tab › Hide) or delete it first: a visible sheet without a table stops ingest."),
        (),
        column_row,
    ]
    for label, hint_th, hint_en in template.title_fields:
        rows.append((f"{label} (แถวหัวเรื่อง · title row)", " · ".join(_REQUIRED),
                     hint_th, hint_en))
    for column in template.columns:
        rows.append((column.header, " · ".join(column.need), column.hint_th, column.hint_en))
    for row in rows:
        ws.append(list(row))
    ws.cell(1, 1).font = _TITLE_FONT
    for index, row in enumerate(rows, start=1):
        if row in (language_row, column_row):
            for col in range(1, 5):
                ws.cell(index, col).font = _BOLD
                ws.cell(index, col).fill = _HEADER_FILL
        elif len(row) > 1:
            ws.cell(index, 1).font = _BOLD
            for col in range(1, 5):
                ws.cell(index, col).alignment = _WRAP


def _questions_sheet(ws: Worksheet, instrument: Instrument) -> None:
    ws.title = _QUESTIONS_SHEET
    ws.sheet_state = "hidden"
    for letter, width in zip("ABCDE", (10, 70, 60, 36, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([neutralise_cell(f"{instrument.title_th} · {instrument.title_en}")])
    ws.cell(1, 1).font = _TITLE_FONT
    scale = instrument.scale
    ws.append([neutralise_cell(" · ".join(
        f"{v} = {scale.labels_th.get(v, '')} / {scale.labels_en.get(v, '')}"
        for v in range(scale.max, scale.min - 1, -1)
    ))])
    ws.append([])
    ws.append(["รหัส · Code", "ข้อคำถาม", "Question", "ปัจจัย · Factor",
               "กลับคะแนน · Reversed"])
    for col in range(1, 6):
        ws.cell(4, col).font = _BOLD
        ws.cell(4, col).fill = _HEADER_FILL
    for factor in instrument.factors:
        for item in factor.items:
            ws.append([neutralise_cell(v) for v in (
                item.code, item.text_th, item.text_en, factor.name_th,
                "ใช่ · yes" if item.reverse else "")])
            for col in range(1, 6):
                ws.cell(ws.max_row, col).alignment = _WRAP


def _workbook(template: _Template, instrument: Instrument) -> Workbook:
    wb = Workbook()
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "cleannet_eval.templates"
    wb.properties.lastModifiedBy = "cleannet_eval.templates"
    wb.properties.title = template.title
    _data_sheet(wb.active, template)
    if template.file == "template_survey.xlsx":
        _questions_sheet(wb.create_sheet(), instrument)
    _instructions_sheet(wb.create_sheet(), template)
    wb.active = 0
    return wb


def _workbook_bytes(wb: Workbook) -> bytes:
    """Save ``wb`` and rewrite the zip with fixed timestamps, so equal input gives equal bytes.

    openpyxl stamps the current time into ``docProps/core.xml`` while saving, so that part is
    written again from the properties with the fixed time.
    """
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = _FIXED_TIME
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def _write_atomic(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_templates(
    out_dir: str | Path, instrument: str | Path | Instrument | None = None
) -> list[Path]:
    """Write the blank spreadsheet templates, one per kind of table.

    Parameters
    ----------
    out_dir
        Folder to write into; created when missing. Existing files of the same names are
        replaced (each is written to a temporary name first, then moved into place).
    instrument
        The survey instrument whose item codes become the survey template's columns: a shipped
        name, a YAML path or an :class:`~cleannet_eval.instruments.Instrument`; default
        ``cleannet5``.

    Returns
    -------
    list of Path
        The written files (see :data:`TEMPLATE_FILES`), sorted.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_templates(folder)][:2]
    ['template_attendance.xlsx', 'template_expert_review.xlsx']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    written = [
        _write_atomic(out / template.file, _workbook_bytes(_workbook(template, instrument)))
        for template in _templates(instrument)
    ]
    return sorted(written)
