"""Find the header row below any title rows, map header names to canonical fields, and tell
which kind of table a sheet is.

Header text is compared after :func:`header_key`: Thai digits to Arabic, NFC, case folding, and
every space and punctuation mark removed, so "ชื่อ - นามสกุล", "ชื่อ-นามสกุล" and "ชื่อนามสกุล"
are one spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..instruments import Instrument
from .signin import TitleInfo, activity_line, group_heading_fill
from .thai import normalize_text, thai_to_arabic_digits

#: Canonical field → the header spellings that mean it (any case, spaces and punctuation ignored).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("ลำดับ", "ลำดับที่", "ที่", "no", "no.", "#", "seq"),
    "name": (
        "ชื่อ-สกุล", "ชื่อ - นามสกุล", "ชื่อ-นามสกุล", "ชื่อ นามสกุล", "ชื่อและนามสกุล",
        "ชื่อ-สกุล ผู้เข้าร่วม", "ยศ ชื่อ สกุล", "ยศ-ชื่อ-สกุล", "คำนำหน้า ชื่อ สกุล",
        "ชื่อผู้เข้าร่วม", "ชื่อผู้เข้าร่วมกิจกรรม", "name", "full name", "fullname",
        "name-surname",
    ),
    "first_name": ("ชื่อ", "ชื่อจริง", "first name", "firstname", "given name"),
    "last_name": ("นามสกุล", "สกุล", "surname", "last name", "lastname", "family name"),
    "national_id": (
        "เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน 13 หลัก",
        "เลขบัตรประจำตัวประชาชน", "เลขที่บัตรประชาชน", "national id", "citizen id",
        "id card", "id card no", "national id no", "pid",
    ),
    "unit": (
        "หน่วยงาน", "สำนัก/กอง", "สำนัก กอง", "สังกัด", "หน่วยงานของท่าน", "หน่วยงานที่สังกัด",
        "สังกัดหน่วยงาน", "สำนัก/กอง/กลุ่ม", "ส่วนราชการ", "unit", "bureau/division",
        "division", "bureau", "department unit",
    ),
    "parent": ("หน่วยงานแม่", "หน่วยงานต้นสังกัด", "ภายใต้", "parent", "parent unit"),
    "staff_type": (
        "ประเภทบุคลากร", "ประเภท", "ประเภทเจ้าหน้าที่", "ประเภทผู้เข้าร่วม", "สถานภาพ",
        "staff type", "staff category", "employment type", "type",
    ),
    "role": (
        "บทบาท", "บทบาทในเครือข่าย", "สถานะในเครือข่าย", "สถานะ", "role", "network role",
    ),
    "activity": ("กิจกรรม", "ชื่อกิจกรรม", "โครงการ/กิจกรรม", "activity", "activity name"),
    "date": (
        "วันที่", "วันที่จัดกิจกรรม", "วันที่เข้าร่วม", "วันที่เข้าร่วมกิจกรรม", "วัน เดือน ปี",
        "วันเดือนปี", "date", "activity date",
    ),
    "survey_date": (
        "วันที่ตอบ", "วันที่ตอบแบบสอบถาม", "ประทับเวลา", "timestamp", "response date",
    ),
    "joined": (
        "วันที่เข้าร่วมเครือข่าย", "วันที่เป็นสมาชิก", "วันที่แต่งตั้ง", "วันที่สมัคร",
        "joined", "join date", "joined date", "date joined",
    ),
    "recruited_by": (
        "ผู้ชักชวน", "ผู้แนะนำ", "ชักชวนโดย", "แกนนำผู้ชักชวน", "ชื่อผู้ชักชวน", "recruited by",
        "recruiter",
    ),
    "recruited_by_id": (
        "เลขประจำตัวประชาชนผู้ชักชวน", "เลขบัตรประชาชนผู้ชักชวน", "recruiter id",
        "recruiter national id",
    ),
    "left": (
        "วันที่พ้นสภาพ", "วันที่ออก", "วันที่ย้าย", "วันที่ออกจากเครือข่าย", "left", "left date",
        "exit date", "date left",
    ),
    "left_reason": (
        "สาเหตุการพ้นสภาพ", "เหตุที่พ้นสภาพ", "สาเหตุ", "เหตุผลที่ออก", "สาเหตุที่ออก",
        "left reason", "reason", "exit reason",
    ),
    "headcount": (
        "อัตรากำลัง", "จำนวนบุคลากร", "จำนวนเจ้าหน้าที่", "จำนวนคน", "headcount",
        "staff count",
    ),
    "fiscal_year": ("ปีงบประมาณ", "ปีงบ", "ปีงบประมาณ พ.ศ.", "fiscal year", "fy"),
    "respondent": (
        "เลขที่แบบสอบถาม", "เลขที่", "รหัสผู้ตอบ", "รหัสแบบสอบถาม", "respondent",
        "respondent id", "response id",
    ),
    "comment": (
        "ข้อเสนอแนะ", "ข้อเสนอแนะเพิ่มเติม", "ความคิดเห็นเพิ่มเติม", "ความคิดเห็น",
        "ข้อเสนอแนะอื่นๆ", "ข้อคิดเห็น", "comment", "comments", "suggestion", "suggestions",
    ),
    # The item column of an expert review (IOC): an item code or the question text.
    "item": (
        "รหัสข้อ", "รหัสข้อคำถาม", "ข้อคำถาม", "รายการประเมิน", "ข้อความ", "คำถาม", "item",
        "item code", "question", "statement",
    ),
    # Columns that are recognised only to be dropped: personal data or layout.
    "ignore": (
        "คำนำหน้า", "คำนำหน้าชื่อ", "title", "prefix", "ลายมือชื่อ", "ลงชื่อ", "signature",
        "ตำแหน่ง", "position", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "phone", "อีเมล",
        "email", "e-mail", "ที่อยู่อีเมล", "email address", "หมายเหตุ", "note", "remark",
        "remarks",
    ),
}

#: Fields that carry personal data: read for pseudonymisation, never written out.
PERSONAL_FIELDS: frozenset[str] = frozenset(
    {"name", "first_name", "last_name", "national_id", "recruited_by", "recruited_by_id"}
)

#: Table kinds, in the order they are written.
KINDS: tuple[str, ...] = ("units", "roster", "attendance", "survey", "expert_review")
_KIND_NOUNS = {"units": "a units table", "roster": "a network roster",
               "attendance": "an attendance sheet", "survey": "a survey",
               "expert_review": "an expert review (IOC)"}


def describe_kind(kind: str) -> str:
    """``"an attendance sheet"``, ``"a units table"`` …: the kind for a message."""
    return _KIND_NOUNS.get(kind, kind)

_PUNCT = re.compile(r"[\s\-–—_.:：/\\()\[\]{}'\"`*,;|+]+")
_HEADCOUNT_YEAR = re.compile(r"(?:อัตรากำลัง|จำนวนบุคลากร|headcount|staff count)\D*(\d{4})")
#: An expert's column of an expert review: "ผู้เชี่ยวชาญคนที่ 1", "ผู้ทรงคุณวุฒิ 2", "Expert 3".
_EXPERT = re.compile(
    r"^(?:ผู้เชี่ยวชาญ|ผู้ทรงคุณวุฒิ|expert|judge|rater)\s*(?:คนที่|ท่านที่|no\.?|#)?\s*"
    r"(?:\d{1,3}|[a-z])?$"
)
_NUMBERED = re.compile(r"^\s*(?:ข้อ(?:ที่)?\s*\d{1,3}\s*[.):]?|\d{1,3}\s*[.)])\s*")


def header_key(text: object) -> str:
    """Comparable form of a header: digits Arabic, folded case, no spaces or punctuation.

    Examples
    --------
    >>> header_key(" ชื่อ - นามสกุล ") == header_key("ชื่อ-นามสกุล")
    True
    """
    normal = normalize_text(text)
    if normal is None:
        return ""
    return _PUNCT.sub("", thai_to_arabic_digits(normal).casefold())


_ALIAS_INDEX: dict[str, str] = {
    header_key(alias): canonical
    for canonical, aliases in FIELD_ALIASES.items()
    for alias in aliases
}


def _item_index(instrument: Instrument) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in instrument.items:
        index[header_key(item.code)] = item.code
        for text in (item.text_th, item.text_en):
            index[header_key(text)] = item.code
    return index


@dataclass
class HeaderMatch:
    """Where the header is and what each column means.

    Attributes
    ----------
    row
        0-based index of the header row in the grid (spreadsheet row ``row + 1``).
    fields
        Column index → canonical field, item code (prefixed ``item:``), ``headcount:FY`` for a
        headcount column of one fiscal year, or ``None`` for an unrecognised column.
    headers
        Column index → the header text as written.
    """

    row: int
    fields: dict[int, str | None] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    group_row: int | None = None

    @property
    def first_row(self) -> int:
        """0-based first row of the header: the merged group heading above it, if any."""
        return self.row if self.group_row is None else self.group_row

    def columns_of(self, name: str) -> list[int]:
        """Column indexes mapped to field ``name``."""
        return [col for col, f in self.fields.items() if f == name]

    def has(self, name: str) -> bool:
        """Whether a column maps to ``name``."""
        return name in self.fields.values()

    @property
    def item_columns(self) -> dict[int, str]:
        """Column index → item code."""
        return {c: f[5:] for c, f in self.fields.items() if f and f.startswith("item:")}

    @property
    def expert_columns(self) -> dict[int, str]:
        """Column index → expert (the header as written), for an expert review."""
        return {c: f[7:] for c, f in self.fields.items() if f and f.startswith("expert:")}

    @property
    def headcount_columns(self) -> dict[int, int]:
        """Column index → fiscal year, for per-year headcount columns."""
        return {c: int(f[10:]) for c, f in self.fields.items() if f and f.startswith("headcount:")}


def classify_header(text: object, items: dict[str, str]) -> str | None:
    """Canonical field of one header cell, or ``None`` when it is not recognised."""
    key = header_key(text)
    if not key:
        return None
    if key in _ALIAS_INDEX:
        return _ALIAS_INDEX[key]
    if key in items:
        return "item:" + items[key]
    normal = normalize_text(text) or ""
    # Question text numbered "1. ..." or "ข้อ 1 ...", or Google Forms' "Section [question]".
    unnumbered = header_key(_NUMBERED.sub("", normal))
    if unnumbered in items:
        return "item:" + items[unnumbered]
    bracket = re.search(r"\[(.+)\]\s*$", normal)
    if bracket and header_key(bracket.group(1)) in items:
        return "item:" + items[header_key(bracket.group(1))]
    year = _HEADCOUNT_YEAR.search(thai_to_arabic_digits(normal).casefold())
    if year:
        fy = int(year.group(1))
        return f"headcount:{fy + 543 if fy < 2400 else fy}"
    if _EXPERT.match(thai_to_arabic_digits(normal).casefold().strip()):
        return "expert:" + normal
    return None


def find_header(
    rows: list[list[object]],
    instrument: Instrument,
    search_rows: int = 30,
    header_row: int | None = None,
    column_map: dict[str, str] | None = None,
) -> HeaderMatch | None:
    """Find the header row: the row among the first ``search_rows`` that names most fields.

    Parameters
    ----------
    rows
        The sheet's grid.
    instrument
        Item codes and question texts count as recognised headers.
    search_rows
        How many rows from the top to search.
    header_row
        1-based header row given by ``sources.yml``; skips the search.
    column_map
        Header text → canonical field from ``sources.yml``, applied before the aliases.

    Returns
    -------
    HeaderMatch or None
        ``None`` when no row names at least two known fields.
    """
    items = _item_index(instrument)
    overrides = {header_key(k): v for k, v in (column_map or {}).items()}

    def classify(cell: object) -> str | None:
        key = header_key(cell)
        if key in overrides:
            value = overrides[key]
            return value if value in FIELD_ALIASES or value.startswith("item:") else (
                "item:" + items[header_key(value)] if header_key(value) in items else value
            )
        return classify_header(cell, items)

    candidates = (
        [header_row - 1] if header_row else range(min(search_rows, len(rows)))
    )
    best: HeaderMatch | None = None
    best_score = 1
    for index in candidates:
        if index < 0 or index >= len(rows):
            continue
        fields = {c: classify(cell) for c, cell in enumerate(rows[index])}
        score = len({f for f in fields.values() if f and f != "seq"})
        if score > best_score or (header_row and best is None):
            best_score = score
            best = HeaderMatch(
                row=index,
                fields=fields,
                headers={c: (normalize_text(cell) or "") for c, cell in enumerate(rows[index])},
            )
    if best is not None and best.row > 0:
        fills = group_heading_fill(rows[best.row - 1], rows[best.row], _TITLE_LABEL)
        if fills is not None:  # a merged group heading above the real headers
            best.group_row = best.row - 1
            for col, text in fills.items():
                best.headers[col] = text
                best.fields[col] = classify(text)
    if best is not None:
        _resolve_ambiguities(best)
    return best


def _resolve_ambiguities(match: HeaderMatch) -> None:
    """Context rules: "สังกัด" beside "หน่วยงาน" is the parent unit; split first/last names."""
    units = match.columns_of("unit")
    if len(units) > 1:
        for col in units[1:]:
            if header_key(match.headers[col]) == header_key("สังกัด"):
                match.fields[col] = "parent"
        units = match.columns_of("unit")
        if len(units) > 1 and header_key(match.headers[units[0]]) == header_key("สังกัด"):
            match.fields[units[0]] = "parent"
    # Only the first column of each field is used; later duplicates are reported as ignored.
    seen: set[str] = set()
    for col in sorted(match.fields):
        name = match.fields[col]
        if name is None or name in ("ignore", "seq"):
            continue
        if name in seen:
            match.fields[col] = "duplicate:" + name
        seen.add(name)


def recognise_kind(match: HeaderMatch) -> str | None:
    """Which kind of table a header describes: units, roster, attendance, survey or expert review.

    Rules, first match wins: an item column beside expert columns → expert review; three or
    more item columns → survey; a headcount column → units;
    a person with a joined, recruiter or left column → roster; a person column → attendance.
    """
    person = match.has("name") or match.has("national_id") or match.has("first_name")
    if match.has("item") and match.expert_columns:
        return "expert_review"
    if len(match.item_columns) >= 3:
        return "survey"
    if match.has("headcount") or match.headcount_columns:
        return "units"
    if person and any(match.has(f) for f in ("joined", "recruited_by", "left", "left_reason")):
        return "roster"
    if person:
        return "attendance"
    return None


_TITLE_ACTIVITY = re.compile(r"^(?:ชื่อ)?(กิจกรรม|โครงการ|activity)(?:\s*[:：]|\s)\s*(.*)$", re.I)
_TITLE_DATE = re.compile(r"^(?:date|วันที่)\s*[:：]\s*(.*)$|^(วัน.*)$", re.I)
_TITLE_LABEL = re.compile(
    r"^(?:ชื่อ)?(?:กิจกรรม|โครงการ|activity|date|วันที่|ปีงบประมาณ|fiscal\s*year)\s*[:：]?\s", re.I
)
_TITLE_FY = re.compile(
    r"(?:ปีงบประมาณ|fiscal\s*year|fy)\s*(?:พ\.?\s*ศ\.?)?\s*[:：]?\s*(\d{4})", re.I
)


def read_title_rows(rows: list[list[object]], header_row: int) -> TitleInfo:
    """Read the activity, date and fiscal year from the title rows above ``header_row``.

    A sign-in sheet often says "กิจกรรม: อบรมแกนนำ" and "วันที่ ๕ พฤศจิกายน ๒๕๕๐" in its title
    rows instead of in columns. Rows are 0-based; the returned rows are 1-based.
    """
    info = TitleInfo()
    from_project = False  # a "โครงการ …" row names the activity only if no "กิจกรรม …" row does
    lines: list[tuple[int, str]] = []
    for index in range(header_row):
        texts = [normalize_text(c) for c in rows[index]]
        text = " ".join(t for t in texts if t)
        if not text:
            continue
        lines.append((index + 1, text))
        arabic = thai_to_arabic_digits(text)
        if (m := _TITLE_ACTIVITY.match(text)) and (info.activity is None or from_project):
            value = m.group(2).strip(" :：-")
            is_project = m.group(1) == "โครงการ"
            if value and not (is_project and info.activity is not None):
                info.activity, info.activity_row = value, index + 1
                from_project = is_project
            continue
        if info.date_text is None and (m := _TITLE_DATE.match(text)):
            value = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
            if value:
                info.date_text, info.date_row = value, index + 1
            continue
        if info.fiscal_year_text is None and (m := _TITLE_FY.search(arabic)):
            info.fiscal_year_text, info.fiscal_year_row = m.group(1), index + 1
    info.activity_is_project = from_project
    found = activity_line(lines)
    if found is not None:
        info.activity_line, info.activity_line_row = found
    return info
