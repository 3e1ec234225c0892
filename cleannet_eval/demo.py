"""A synthetic demo dataset, written as the office spreadsheets the programme would have kept.

:func:`write_demo` writes, for fiscal years 2550 (1 Oct 2006 – 30 Sep 2007) and 2551
(1 Oct 2007 – 30 Sep 2008) of DOPA's Clean Government Network (เครือข่ายราชการใสสะอาด):

* ``units.xlsx`` — 17 DOPA bureaus/divisions, two of them under a parent in the list,
  with a staff headcount (อัตรากำลัง) for each fiscal year;
* ``network_roster.xlsx`` — about 60 network leaders (แกนนำ, 2–6 per unit) and a few hundred
  members (สมาชิกเครือข่าย) recruited in cascades up to four steps deep, with joins, exits
  (transfers, retirements, resignations), replacements, two units left without a leader at the
  end of FY2551 and re-entries (a second row for the same person with a later joined date);
* ``attendance_2550.xlsx``, ``signin_2551_01.xlsx`` … ``signin_2551_03.xlsx`` and
  ``attendance_2551.csv`` (Windows-874) — several thousand attendance rows for 26 ethics
  activities: leaders, members, plain participants (ผู้เข้าร่วม) and a small citizen-sector share
  (ภาคประชาชน, no unit, no ID);
* ``survey_2550.xlsx`` and ``survey_2551_google_forms.csv`` (UTF-8 with BOM) — about 400
  anonymous answers a year to the 23-item instrument, with a factor structure (a general attitude
  plus one latent per factor), item TMS5 stored as answered (reverse-worded), ~3 % missing answers
  and a few free-text comments.

Everything is invented: names are drawn from lists of common Thai names and the 13-digit national
IDs are random numbers with a valid check digit. The files imitate office habits: title rows
above the header, Buddhist-Era dates written as text in several styles (some with Thai digits),
real Excel dates in one file, IDs sometimes blank, dashed or typed as numbers.

``scale`` multiplies the people (leaders, members, participants, citizens, unit headcounts),
hence the attendance rows, and the survey answers; units and activities stay the same. Output is
deterministic: the same ``seed`` and ``scale`` give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.functions import tostring

from .files import atomic_write
from .instruments import Instrument, load_instrument
from .vocab import ROLES, STAFF_TYPES

__all__ = [
    "DEMO_FILES",
    "FY_END",
    "FY_START",
    "be_abbr",
    "be_full",
    "be_slash",
    "national_id_check_digit",
    "thai_digits",
    "write_demo",
]

#: The files :func:`write_demo` writes, in the order they are described above.
DEMO_FILES: tuple[str, ...] = (
    "units.xlsx",
    "network_roster.xlsx",
    "attendance_2550.xlsx",
    "signin_2551_01.xlsx",
    "signin_2551_02.xlsx",
    "signin_2551_03.xlsx",
    "attendance_2551.csv",
    "survey_2550.xlsx",
    "survey_2551_google_forms.csv",
)

# --------------------------------------------------------------------------------------------
# Fixed facts
# --------------------------------------------------------------------------------------------

#: First and last day of each fiscal year (named by the BE year in which it ends).
FY_START: dict[int, dt.date] = {2550: dt.date(2006, 10, 1), 2551: dt.date(2007, 10, 1)}
FY_END: dict[int, dt.date] = {2550: dt.date(2007, 9, 30), 2551: dt.date(2008, 9, 30)}

#: Timestamp written into every workbook's properties and zip entries.
_FIXED_TIME = dt.datetime(2008, 1, 1, 0, 0, 0)
_ZIP_TIME = (2008, 1, 1, 0, 0, 0)

#: (unit, parent unit or "", FY2550 headcount). Parents come before their children.
_UNITS: tuple[tuple[str, str, int], ...] = (
    ("สำนักงานเลขานุการกรม", "", 420),
    ("ศูนย์ประสานราชการใสสะอาด", "สำนักงานเลขานุการกรม", 52),
    ("สำนักบริหารการทะเบียน", "", 880),
    ("ส่วนการทะเบียนราษฎร", "สำนักบริหารการทะเบียน", 165),
    ("สำนักบริหารการปกครองท้องที่", "", 515),
    ("สำนักการสอบสวนและนิติการ", "", 260),
    ("สำนักกิจการความมั่นคงภายใน", "", 310),
    ("สำนักตรวจราชการและเรื่องราวร้องทุกข์", "", 96),
    ("กองการเจ้าหน้าที่", "", 188),
    ("กองคลัง", "", 162),
    ("กองวิชาการและแผนงาน", "", 118),
    ("กองการสื่อสาร", "", 640),
    ("กองอาสารักษาดินแดน", "", 232),
    ("วิทยาลัยการปกครอง", "", 284),
    ("ศูนย์ปฏิบัติการต่อต้านการทุจริต", "", 55),
    ("กลุ่มงานตรวจสอบภายใน", "", 58),
    ("กลุ่มพัฒนาระบบบริหาร", "", 50),
)

#: (date, activity name, kind). FY2550 first, then FY2551.
_ACTIVITIES: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2006, 11, 21), "ประชุมชี้แจงโครงการร่วมทำ เพื่อสร้างธรรม นำใจใสสะอาด", "briefing"),
    (dt.date(2006, 12, 15), "อบรมแกนนำเครือข่ายราชการใสสะอาด รุ่นที่ 1", "leader_training"),
    (dt.date(2007, 1, 5), "ทำบุญตักบาตรเนื่องในวันขึ้นปีใหม่ 2550", "merit"),
    (dt.date(2007, 2, 14), "อบรมแกนนำเครือข่ายราชการใสสะอาด รุ่นที่ 2", "leader_training"),
    (dt.date(2007, 3, 23), "เสวนา คุณธรรมนำการปฏิบัติราชการ", "seminar"),
    (dt.date(2007, 4, 20), "กิจกรรมจิตอาสาทำความสะอาดวัดและชุมชน", "volunteer"),
    (dt.date(2007, 5, 25), "ปฏิบัติธรรมเสริมสร้างคุณธรรม จริยธรรม รุ่นที่ 1", "retreat"),
    (dt.date(2007, 6, 19), "อบรมหลักสูตรคุณธรรม จริยธรรม สำหรับข้าราชการ", "course"),
    (dt.date(2007, 7, 27), "ทำบุญถวายเทียนพรรษา ประจำปี 2550", "merit"),
    (dt.date(2007, 8, 8), "เสวนา การป้องกันการทุจริตในภาครัฐ", "seminar"),
    (dt.date(2007, 8, 23), "ศึกษาดูงานองค์กรต้นแบบด้านคุณธรรม รุ่นที่ 1", "visit"),
    (dt.date(2007, 9, 14), "สัมมนาสรุปผลการดำเนินงานเครือข่าย ปีงบประมาณ 2550", "summary"),
    (dt.date(2007, 11, 5), "ประชุมแกนนำเครือข่ายราชการใสสะอาด ประจำปีงบประมาณ 2551", "briefing"),
    (dt.date(2007, 12, 7), "กิจกรรมวันต่อต้านคอร์รัปชันสากล", "ceremony"),
    (dt.date(2007, 12, 14), "อบรมแกนนำเครือข่ายราชการใสสะอาด รุ่นที่ 3", "leader_training"),
    (dt.date(2008, 1, 4), "ทำบุญตักบาตรเนื่องในวันขึ้นปีใหม่ 2551", "merit"),
    (dt.date(2008, 2, 20), "เสวนา ประมวลจริยธรรมข้าราชการพลเรือน", "seminar"),
    (dt.date(2008, 3, 21), "กิจกรรมจิตอาสาพัฒนาชุมชน", "volunteer"),
    (dt.date(2008, 4, 24), "ปฏิบัติธรรมเสริมสร้างคุณธรรม จริยธรรม รุ่นที่ 2", "retreat"),
    (
        dt.date(2008, 5, 22),
        "อบรมหลักสูตรคุณธรรม จริยธรรม สำหรับลูกจ้างและพนักงานราชการ",
        "course",
    ),
    (dt.date(2008, 6, 20), "เสวนา ภาคประชาชนร่วมเฝ้าระวังการทุจริต", "citizen_forum"),
    (dt.date(2008, 7, 17), "ทำบุญถวายเทียนพรรษา ประจำปี 2551", "merit"),
    (dt.date(2008, 8, 6), "อบรมแกนนำเครือข่ายราชการใสสะอาด รุ่นที่ 4", "leader_training"),
    (dt.date(2008, 8, 22), "ศึกษาดูงานองค์กรต้นแบบด้านคุณธรรม รุ่นที่ 2", "visit"),
    (dt.date(2008, 9, 12), "สัมมนาสรุปผลการดำเนินงานเครือข่าย ปีงบประมาณ 2551", "summary"),
    (dt.date(2008, 9, 24), "กิจกรรมจิตอาสาปลูกป่าเฉลิมพระเกียรติ", "volunteer"),
)

#: Indices in ``_ACTIVITIES`` of the FY2551 activities kept on paper sign-in sheets.
_SIGNIN_ACTIVITIES: tuple[int, ...] = (14, 16, 17)
_SIGNIN_ROOMS: tuple[str, ...] = (
    "ณ ห้องประชุม ๑ ชั้น ๓ อาคารศาลาว่าการกระทรวงมหาดไทย กรมการปกครอง",
    "ณ ห้องประชุมใหญ่ ชั้น ๕ อาคาร ๑ กรมการปกครอง",
    "ณ ห้องประชุมวิทยาลัยการปกครอง ชั้น ๒ กรมการปกครอง",
)

#: Attendance probabilities by activity kind: leader, member, participant, citizen-pool share.
_KINDS: dict[str, tuple[float, float, float, float]] = {
    "briefing": (0.95, 0.55, 0.10, 0.0),
    "leader_training": (0.90, 0.15, 0.0, 0.0),
    "merit": (0.75, 0.55, 0.40, 0.12),
    "seminar": (0.80, 0.45, 0.22, 0.06),
    "volunteer": (0.65, 0.45, 0.20, 0.22),
    "retreat": (0.55, 0.30, 0.12, 0.04),
    "course": (0.40, 0.55, 0.30, 0.0),
    "visit": (0.60, 0.15, 0.03, 0.0),
    "summary": (0.95, 0.40, 0.10, 0.03),
    "ceremony": (0.85, 0.50, 0.30, 0.12),
    "citizen_forum": (0.75, 0.30, 0.10, 0.40),
}

_MALE_NAMES: tuple[str, ...] = (
    "สมชาย", "สมศักดิ์", "สมพงษ์", "ประเสริฐ", "วิชัย", "สุรชัย", "ชัยวัฒน์", "ธนพล", "อนุชา",
    "กิตติพงษ์", "ณัฐพล", "พงศกร", "วีระพงษ์", "สุทธิพงษ์", "ประยุทธ", "บุญเลิศ", "สมบัติ",
    "อำนาจ", "ไพโรจน์", "ธีรวัฒน์", "เกรียงไกร", "ชาตรี", "ยุทธนา", "สุรศักดิ์", "วรวุฒิ",
    "พิชิต", "ศักดิ์ชัย", "ปรีชา", "มานพ", "สุเทพ", "จักรพันธ์", "ธวัชชัย", "นพดล", "อภิชาติ",
    "วิโรจน์", "ทวีศักดิ์", "เอกชัย", "ศุภชัย",
)
_FEMALE_NAMES: tuple[str, ...] = (
    "สมหญิง", "สุนีย์", "มาลี", "วันเพ็ญ", "กาญจนา", "สุภาพร", "รัตนา", "จันทร์เพ็ญ", "พรทิพย์",
    "นงลักษณ์", "ศิริพร", "อรุณี", "วิไลวรรณ", "ปราณี", "บุษบา", "สุดารัตน์", "จิราพร", "ดวงใจ",
    "ธิดารัตน์", "เพ็ญศรี", "อัญชลี", "ลัดดา", "สุกัญญา", "นภาพร", "กนกวรรณ", "ปิยะนุช",
    "วรรณา", "อรทัย", "ศศิธร", "พัชรี", "ยุพิน", "ชนิดา", "สมจิตร", "อำไพ", "ณัฐธิดา",
    "เบญจวรรณ",
)
_SURNAMES: tuple[str, ...] = (
    "ใจดี", "ศรีสุข", "สุขสวัสดิ์", "แก้วมณี", "ทองดี", "บุญมา", "วงศ์สวัสดิ์", "เจริญสุข",
    "รัตนพันธ์", "พึ่งบุญ", "ศรีวงศ์", "มีสุข", "จันทร์แก้ว", "สายทอง", "ทองคำ", "นาคสวัสดิ์",
    "อินทรประเสริฐ", "บุญประเสริฐ", "ศักดิ์ศรี", "ปัญญาดี", "สมบูรณ์ชัย", "ชัยมงคล", "พรหมมา",
    "แสงทอง", "เพชรรัตน์", "สุวรรณรัตน์", "กิตติวงศ์", "ธนากร", "ยอดเพชร", "คงเจริญ", "มั่นคง",
    "รุ่งเรือง", "ประเสริฐศรี", "วัฒนสุข", "ศรีประเสริฐ", "อุดมศักดิ์", "ทรัพย์สมบูรณ์",
    "เกียรติสกุล", "สิทธิชัย", "บุญยืน", "ชื่นชม", "ขาวสะอาด", "เรืองศรี", "ภักดี", "จิตดี",
    "ดีประเสริฐ", "หอมจันทร์", "พุ่มพวง", "ศรีทอง", "นิลสุวรรณ", "สุขเจริญ", "อ่อนศรี", "ปานทอง",
    "บัวแก้ว", "ทองมา", "กาญจนวงศ์", "วิเศษสุข", "แก้วประเสริฐ", "ไชยวงศ์", "ศรีสมบูรณ์",
    "มณีรัตน์", "สมปอง", "ทองประเสริฐ", "บุญรอด", "เกิดผล", "ปิ่นทอง", "อยู่สุข",
)
#: Parts of compound surnames (prefix + suffix), for more variety at large scales.
_SURNAME_PREFIXES: tuple[str, ...] = (
    "ศรี", "ทอง", "แก้ว", "บุญ", "สุข", "เจริญ", "รัตน", "วงศ์", "ชัย", "มณี", "ศักดิ์", "กิตติ",
    "จันทร์", "นาค", "เพชร", "อินทร์", "สิริ", "พงษ์", "ปัญญา", "วัฒน", "เกียรติ", "อุดม", "ทวี",
    "สวัสดิ์", "ธรรม", "เทพ", "ประทีป", "ศุภ",
)
_SURNAME_SUFFIXES: tuple[str, ...] = (
    "วงศ์", "สุข", "ศรี", "ประเสริฐ", "สกุล", "พันธ์", "ชัย", "รัตน์", "มงคล", "กุล", "เจริญ",
    "วัฒนา", "สมบูรณ์", "ศักดิ์", "พงศ์", "นนท์", "เดช", "ธรรม", "ทอง", "อนันต์",
)

_MONTHS_FULL: tuple[str, ...] = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
    "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.",
    "ธ.ค.",
)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

_COMMENTS: tuple[str, ...] = (
    "ควรให้ภาคประชาชนมีส่วนร่วมในการเฝ้าระวังการทุจริตมากขึ้น",
    "เจ้าหน้าที่ศูนย์ประสานราชการใสสะอาดมีน้อย ไม่เพียงพอต่องาน",
    "การแต่งตั้งโยกย้ายแกนนำทำให้งานเครือข่ายขาดความต่อเนื่อง",
    "ควรจัดกิจกรรมอย่างต่อเนื่องทุกปี",
    "อยากให้ขยายเครือข่ายไปยังส่วนภูมิภาค (จังหวัดและอำเภอ)",
    "ควรเพิ่มงบประมาณสำหรับกิจกรรมของเครือข่าย",
    "เป็นโครงการที่ดีมาก ขอให้ทำต่อไป",
    "ควรแจ้งกำหนดการล่วงหน้าให้นานกว่านี้",
    "ผู้บริหารควรมาร่วมกิจกรรมด้วยตนเองมากขึ้น",
    "กิจกรรมทำบุญและปฏิบัติธรรมดีมาก, อยากให้เชิญครอบครัวมาร่วมด้วย",
    'ชอบกิจกรรม "จิตอาสา" มากที่สุด',
    "ควรประชาสัมพันธ์โครงการให้ทั่วถึงทุกสำนัก/กอง",
    "ขอให้ลูกจ้างและพนักงานราชการได้เข้าร่วมอบรมมากขึ้น",
    "ควรมีการยกย่องชมเชยแกนนำที่ทำงานดี\nและมอบเกียรติบัตร",
    "ไม่มี",
    "-",
)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def thai_digits(text: object) -> str:
    """``text`` with its Arabic digits replaced by Thai digits (๐–๙)."""
    return str(text).translate(_THAI_DIGITS)


def be_slash(day: dt.date, thai: bool = False) -> str:
    """A date as Buddhist-Era ``d/m/yyyy`` text, e.g. ``"5/11/2550"``."""
    text = f"{day.day}/{day.month}/{day.year + 543}"
    return thai_digits(text) if thai else text


def be_abbr(day: dt.date) -> str:
    """A date with the abbreviated Thai month, e.g. ``"5 พ.ย. 2550"``."""
    return f"{day.day} {_MONTHS_ABBR[day.month - 1]} {day.year + 543}"


def be_full(day: dt.date, thai: bool = False) -> str:
    """A date with the full Thai month, e.g. ``"๕ พฤศจิกายน ๒๕๕๐"`` when ``thai``."""
    text = f"{day.day} {_MONTHS_FULL[day.month - 1]} {day.year + 543}"
    return thai_digits(text) if thai else text


def national_id_check_digit(first12: str) -> int:
    """The check digit of a Thai national ID from its first 12 digits."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return (11 - total % 11) % 10


def _random_ids(rng: np.random.Generator, n: int, used: set[str]) -> list[str]:
    """``n`` new, unique 13-digit IDs with a valid check digit (first digit 1–8)."""
    out: list[str] = []
    weights = np.arange(13, 1, -1)
    while len(out) < n:
        need = n - len(out)
        first = rng.choice([1, 3, 5, 8], size=need, p=[0.12, 0.78, 0.05, 0.05])
        rest = rng.integers(0, 10, size=(need, 11))
        digits = np.column_stack([first, rest])
        check = (11 - (digits * weights).sum(axis=1) % 11) % 10
        for row, c in zip(digits, check, strict=True):
            text = "".join(map(str, row)) + str(int(c))
            if text not in used:
                used.add(text)
                out.append(text)
    return out


def _dashed_id(nid: str) -> str:
    """The ``x-xxxx-xxxxx-xx-x`` layout printed on Thai ID cards."""
    return f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"


def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(int(ordinal))


def _rand_date(rng: np.random.Generator, lo: dt.date, hi: dt.date) -> dt.date:
    """A uniform random date in ``lo..hi`` (``lo`` when the range is empty)."""
    if hi <= lo:
        return lo
    return _day(rng.integers(lo.toordinal(), hi.toordinal() + 1))


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


@dataclass
class _Person:
    title: str
    first: str
    last: str
    nid: str
    unit: str
    staff: str  # STAFF_TYPES code
    spaced: bool  # "นาย สมชาย ใจดี" rather than "นายสมชาย ใจดี" in the roster

    def name(self, spaced: bool | None = None) -> str:
        """Full name with title; ``spaced`` puts a space after the title."""
        gap = " " if (self.spaced if spaced is None else spaced) else ""
        return f"{self.title}{gap}{self.first} {self.last}"


@dataclass
class _Spell:
    """One roster row: a person's membership from ``joined`` until ``left``."""

    person: _Person
    role: str  # "leader" or "member"
    joined: dt.date
    left: dt.date | None = None
    reason: str = ""  # LEFT_REASONS code
    recruiter: _Person | None = None
    depth: int = 0
    reentry: bool = False


class _People:
    """Makes synthetic people with names unique among everyone made so far (when possible)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.names: set[tuple[str, str]] = set()
        self.ids: set[str] = set()
        compounds = [
            p + s
            for p in _SURNAME_PREFIXES
            for s in _SURNAME_SUFFIXES
            if not (p.startswith(s) or s.startswith(p))
        ]
        self.compounds = tuple(compounds)
        surnames = len(_SURNAMES) + len(self.compounds) * len(_SURNAME_SUFFIXES)
        #: Beyond half the possible (first name, surname) pairs, stop trying to avoid repeats.
        self.capacity = (len(_MALE_NAMES) + len(_FEMALE_NAMES)) * surnames // 2

    def _surname(self) -> str:
        u = self.rng.random()
        if u < 0.4:
            return _SURNAMES[self.rng.integers(len(_SURNAMES))]
        base = self.compounds[self.rng.integers(len(self.compounds))]
        if u < 0.8:
            return base
        tail = _SURNAME_SUFFIXES[self.rng.integers(len(_SURNAME_SUFFIXES))]
        return base if base.endswith(tail) else base + tail

    def make(
        self,
        n: int,
        units: Sequence[str],
        staff_p: Sequence[float],
        citizen: bool = False,
    ) -> list[_Person]:
        """``n`` people; ``units`` gives each one's unit; ``staff_p`` weighs the staff types."""
        rng = self.rng
        ids = [""] * n if citizen else _random_ids(rng, n, self.ids)
        staff_codes = ("civil_servant", "permanent_employee", "government_employee")
        staff = ["citizen"] * n if citizen else list(rng.choice(staff_codes, size=n, p=staff_p))
        people = []
        for i in range(n):
            male = rng.random() < 0.48
            attempts = 30 if len(self.names) < self.capacity else 1
            for _attempt in range(attempts):
                pool = _MALE_NAMES if male else _FEMALE_NAMES
                first, last = pool[rng.integers(len(pool))], self._surname()
                if (first, last) not in self.names:
                    break
            self.names.add((first, last))
            if male:
                officer = staff[i] == "civil_servant" and rng.random() < 0.06
                title = "ว่าที่ ร.ต." if officer else "นาย"
            else:
                title = "นาง" if rng.random() < 0.55 else "นางสาว"
            people.append(
                _Person(title, first, last, ids[i], units[i], str(staff[i]), rng.random() < 0.25)
            )
        return people


@dataclass
class _World:
    """Everything the files are written from."""

    units: list[tuple[str, str, int, int]]  # name, parent, headcount 2550, headcount 2551
    engagement: dict[str, float]
    spells: list[_Spell]
    participants: list[_Person]
    citizens: list[_Person]
    attendance: list[list[tuple[_Person, str]]]  # per activity: (person, role code)


def _build_units(rng: np.random.Generator, scale: float) -> list[tuple[str, str, int, int]]:
    """Units with FY2550 and FY2551 headcounts (base × scale, a few per cent apart)."""
    units = []
    lo, hi = max(1, round(50 * scale)), max(1, round(900 * scale))
    for name, parent, base in _UNITS:
        h2550 = max(1, round(base * scale))
        h2551 = min(hi, max(lo, round(h2550 * (1 + rng.normal(0.015, 0.04)))))
        units.append((name, parent, h2550, h2551))
    return units


def _leaders_for(headcount: int) -> int:
    for limit, count in ((100, 2), (300, 3), (450, 4), (700, 5)):
        if headcount < limit:
            return count
    return 6


def _build_roster(
    rng: np.random.Generator, people: _People, scale: float, engagement: dict[str, float]
) -> list[_Spell]:
    end = FY_END[2551]
    appointment = dt.date(2006, 11, 15)
    last_join = dt.date(2008, 9, 20)
    leaders: list[_Spell] = []
    # Two small units lose every leader in FY2551 and get no replacement.
    small = [name for name, _parent, base in _UNITS if _leaders_for(base) == 2]
    orphaned = set(rng.choice(small, size=2, replace=False))
    for name, _parent, base in _UNITS:
        n = max(1, round(_leaders_for(base) * scale))
        staff_p = (0.85, 0.05, 0.10)
        for person in people.make(n, [name] * n, staff_p):
            joined = appointment if rng.random() < 0.7 else _rand_date(
                rng, dt.date(2006, 12, 1), dt.date(2007, 3, 31)
            )
            leaders.append(_Spell(person, "leader", joined))

    def leave(spell: _Spell, reason: str, lo: dt.date, hi: dt.date) -> None:
        spell.reason = reason
        if reason == "retirement":  # Thai civil servants retire on 30 September
            options = [d for d in (FY_END[2550], FY_END[2551]) if d > spell.joined]
            spell.left = options[rng.integers(len(options))]
        elif reason == "transfer" and rng.random() < 0.5:  # the annual reshuffle, Oct–Nov
            spell.left = _rand_date(rng, max(lo, dt.date(2007, 10, 1)), dt.date(2007, 11, 30))
        else:
            spell.left = _rand_date(rng, lo, hi)

    replacements: list[_Spell] = []
    for spell in leaders:
        lo = spell.joined + dt.timedelta(days=90)
        if spell.person.unit in orphaned:
            reason = "transfer" if rng.random() < 0.7 else "resignation"
            spell.reason = reason
            spell.left = _rand_date(rng, dt.date(2007, 11, 1), dt.date(2008, 7, 31))
            continue
        u = rng.random()
        if u < 0.14:
            leave(spell, "transfer", lo, dt.date(2008, 8, 31))
        elif u < 0.19:
            leave(spell, "retirement", lo, end)
        elif u < 0.21:
            leave(spell, "resignation", lo, dt.date(2008, 8, 31))
    # One leader (more at larger scales) is transferred out in FY2550 and comes back later.
    reentries: list[_Spell] = []
    stayers = [s for s in leaders if s.left is None]
    for k in rng.choice(len(stayers), size=min(len(stayers), max(1, round(scale))), replace=False):
        spell = stayers[int(k)]
        spell.reason = "transfer"
        spell.left = _rand_date(rng, dt.date(2007, 3, 1), dt.date(2007, 6, 30))
        back = spell.left + dt.timedelta(days=int(rng.integers(150, 320)))
        reentries.append(_Spell(spell.person, "leader", back, reentry=True))
    # Replacements in the same unit, a few weeks after the leader leaves.
    for spell in leaders:
        if spell.left is None or spell.person.unit in orphaned:
            continue
        joined = spell.left + dt.timedelta(days=int(rng.integers(14, 100)))
        if joined > dt.date(2008, 9, 15):
            continue
        unit = spell.person.unit
        (person,) = people.make(1, [unit], (0.85, 0.05, 0.10))
        replacements.append(_Spell(person, "leader", joined))
    leaders += replacements

    # Cascades: leader -> recruit -> recruit's recruit ..., at most four steps deep.
    rates = (2.8, 0.7, 0.4, 0.2)
    members: list[_Spell] = []
    frontier = list(leaders) + reentries
    while frontier:
        nxt: list[_Spell] = []
        for spell in frontier:
            if spell.depth >= len(rates):
                continue
            eng = engagement[spell.person.unit]
            mean = rates[spell.depth] * eng
            # Gamma-Poisson mixture: a few people recruit many, most recruit few.
            shape = 1.5 if spell.depth == 0 else 4.0
            k = rng.poisson(rng.gamma(shape, mean / shape)) if mean > 0 else 0
            until = min(spell.left or last_join, last_join)
            for _ in range(int(k)):
                gap = int(rng.exponential(100)) + 7
                joined = spell.joined + dt.timedelta(days=gap)
                if joined > until:
                    continue
                unit = spell.person.unit
                if rng.random() < 0.08:
                    unit = _UNITS[rng.integers(len(_UNITS))][0]
                (person,) = people.make(1, [unit], (0.62, 0.20, 0.18))
                recruit = _Spell(
                    person, "member", joined, recruiter=spell.person, depth=spell.depth + 1
                )
                members.append(recruit)
                nxt.append(recruit)
        frontier = nxt

    # Members leave now and then, never before the last of their own recruits joined.
    last_recruit: dict[int, dt.date] = {}
    for spell in members:
        if spell.recruiter is not None:
            key = id(spell.recruiter)
            last_recruit[key] = max(last_recruit.get(key, spell.joined), spell.joined)
    for spell in members:
        u = rng.random()
        if u >= 0.09:
            continue
        lo = max(spell.joined, last_recruit.get(id(spell.person), spell.joined))
        lo = lo + dt.timedelta(days=30)
        if lo > dt.date(2008, 8, 31):
            continue
        reason = "transfer" if u < 0.055 else ("retirement" if u < 0.07 else "resignation")
        leave(spell, reason, lo, dt.date(2008, 8, 31))
        if spell.left is not None and spell.left < lo:
            spell.left, spell.reason = None, ""
    # One member (more at larger scales) leaves by transfer and re-enters.
    leaves = [
        s for s in members
        if s.left is None and s.joined < dt.date(2007, 9, 1) and id(s.person) not in last_recruit
    ]
    n_back = min(len(leaves), max(1, round(scale)))
    for k in rng.choice(len(leaves), size=n_back, replace=False):
        spell = leaves[int(k)]
        spell.reason = "transfer"
        spell.left = spell.joined + dt.timedelta(days=int(rng.integers(60, 200)))
        back = spell.left + dt.timedelta(days=int(rng.integers(90, 250)))
        back = max(spell.left + dt.timedelta(days=30), min(back, dt.date(2008, 9, 10)))
        reentries.append(
            _Spell(spell.person, "member", back, recruiter=spell.recruiter, depth=spell.depth,
                   reentry=True)
        )
    spells = leaders + members + reentries
    order = {name: i for i, (name, _p, _b) in enumerate(_UNITS)}
    spells.sort(key=lambda s: (s.joined, order[s.person.unit], s.role != "leader", s.person.nid))
    return spells


def _build_attendance(
    rng: np.random.Generator,
    spells: list[_Spell],
    participants: list[_Person],
    citizens: list[_Person],
    engagement: dict[str, float],
) -> list[list[tuple[_Person, str]]]:
    n_sp = len(spells)
    joined = np.array([s.joined.toordinal() for s in spells])
    left = np.array([(s.left or dt.date(2100, 1, 1)).toordinal() for s in spells])
    is_leader = np.array([s.role == "leader" for s in spells])
    eng_sp = np.array([engagement[s.person.unit] for s in spells])
    prop_sp = np.where(is_leader, rng.beta(8, 2, n_sp), rng.beta(2, 2.5, n_sp))
    eng_pa = np.array([engagement[p.unit] for p in participants])
    prop_pa = rng.beta(1.3, 5.0, len(participants))
    prop_ci = rng.beta(1.5, 3.0, len(citizens))
    out: list[list[tuple[_Person, str]]] = []
    for day, _name, kind in _ACTIVITIES:
        p_lead, p_mem, p_part, p_cit = _KINDS[kind]
        o = day.toordinal()
        active = (joined <= o) & (left > o)
        p = np.where(is_leader, p_lead * prop_sp * eng_sp**0.3, p_mem * prop_sp * eng_sp)
        if kind == "leader_training":  # new leaders above all
            fresh = (o - joined) < 200
            p = np.where(is_leader & fresh, 0.97, p)
        hit = active & (rng.random(n_sp) < np.minimum(p, 0.97))
        rows: list[tuple[_Person, str]] = [(spells[i].person, spells[i].role)
                                           for i in np.flatnonzero(hit)]
        pp = np.minimum(p_part * prop_pa * eng_pa * 2.5, 0.9)
        rows += [(participants[i], "participant")
                 for i in np.flatnonzero(rng.random(len(participants)) < pp)]
        pc = np.minimum(p_cit * prop_ci * 3.0, 0.9)
        rows += [(citizens[i], "participant")
                 for i in np.flatnonzero(rng.random(len(citizens)) < pc)]
        perm = rng.permutation(len(rows))
        out.append([rows[i] for i in perm])
    return out


def _build_world(rng: np.random.Generator, scale: float) -> _World:
    r_units, r_people, r_roster, r_att = rng.spawn(4)
    units = _build_units(r_units, scale)
    eng_draw = np.exp(r_units.normal(0.0, 0.35, len(units)))
    engagement = {u[0]: float(e) for u, e in zip(units, eng_draw, strict=True)}
    people = _People(r_people)
    spells = _build_roster(r_roster, people, scale, engagement)
    # Plain participants: staff of each unit outside the network.
    part_units: list[str] = []
    for name, _parent, h2550, _h2551 in units:
        part_units += [name] * max(1, round(0.16 * h2550))
    participants = people.make(len(part_units), part_units, (0.55, 0.25, 0.20))
    n_cit = max(1, round(90 * scale))
    citizens = people.make(n_cit, [""] * n_cit, (1.0, 0.0, 0.0), citizen=True)
    attendance = _build_attendance(r_att, spells, participants, citizens, engagement)
    return _World(units, engagement, spells, participants, citizens, attendance)


# --------------------------------------------------------------------------------------------
# Survey
# --------------------------------------------------------------------------------------------

#: Mean answer per item code in FY2550 (agreement direction, before reversing TMS5).
_ITEM_MEANS_2550: dict[str, float] = {
    "TMS1": 4.40, "TMS2": 4.05, "TMS3": 4.25, "TMS4": 4.35, "TMS5": 4.10,
    "PM1": 4.10, "PM2": 3.90, "PM3": 3.75, "PM4": 3.80,
    "SP1": 3.80, "SP2": 3.65, "SP3": 3.60, "SP4": 3.75,
    "PS1": 3.85, "PS2": 4.00, "PS3": 4.05, "PS4": 2.95, "PS5": 3.00,
    "CA1": 3.35, "CA2": 3.60, "CA3": 3.40, "CA4": 3.10, "CA5": 3.55,
}
#: Change from FY2550 to FY2551 by factor; Client Acceptance rises most.
_FACTOR_SHIFT_2551: dict[str, float] = {
    "top_management_support": 0.05,
    "project_mission": 0.10,
    "schedule_plan": 0.05,
    "personnel": 0.05,
    "client_acceptance": 0.22,
}
_ROLE_EFFECT = {"leader": 0.25, "member": 0.12, "participant": -0.04}


@dataclass
class _Survey:
    units: list[str]
    staff: list[str]
    roles: list[str]
    dates: list[dt.datetime]
    answers: np.ndarray  # (n, items), float with NaN for missing, as stored (TMS5 reversed)
    comments: list[str]


def _build_survey(
    rng: np.random.Generator,
    instrument: Instrument,
    units: list[tuple[str, str, int, int]],
    year: int,
    n: int,
    first_day: dt.date,
    last_day: dt.date,
) -> _Survey:
    items = instrument.items
    factor_keys = [f.key for f in instrument.factors]
    weights = np.array([u[2] if year == 2550 else u[3] for u in units], dtype=float)
    unit_idx = rng.choice(len(units), size=n, p=weights / weights.sum())
    staff = rng.choice(
        ["civil_servant", "permanent_employee", "government_employee"], size=n, p=[0.6, 0.22, 0.18]
    )
    roles = rng.choice(["leader", "member", "participant"], size=n, p=[0.1, 0.35, 0.55])
    general = rng.normal(0.0, 0.45, n) + np.array([_ROLE_EFFECT[r] for r in roles])
    per_factor = rng.normal(0.0, 0.32, (n, len(factor_keys)))
    mu = np.array([
        _ITEM_MEANS_2550.get(it.code, 3.6)
        + (_FACTOR_SHIFT_2551.get(it.factor, 0.05) if year == 2551 else 0.0)
        for it in items
    ])
    fidx = np.array([factor_keys.index(it.factor) for it in items])
    loading = rng.uniform(0.8, 1.1, len(items))
    latent = general[:, None] + per_factor[:, fidx]
    raw = mu[None, :] + loading[None, :] * latent + rng.normal(0.0, 0.55, (n, len(items)))
    lo, hi = instrument.scale.min, instrument.scale.max
    values = np.clip(np.rint(raw), lo, hi)
    reverse = np.array([it.reverse for it in items])
    values[:, reverse] = lo + hi - values[:, reverse]
    values[rng.random(values.shape) < 0.03] = np.nan
    span = (last_day - first_day).days + 1
    days = np.sort(rng.integers(0, span, n))
    seconds = rng.integers(8 * 3600, 17 * 3600, n)
    dates = [
        dt.datetime.combine(first_day, dt.time()) + dt.timedelta(days=int(d), seconds=int(s))
        for d, s in zip(days, seconds, strict=True)
    ]
    comment_p = 0.12 if year == 2550 else 0.15
    has_comment = rng.random(n) < comment_p
    pick = rng.integers(0, len(_COMMENTS), n)
    comments = [_COMMENTS[k] if c else "" for c, k in zip(has_comment, pick, strict=True)]
    return _Survey(
        [units[i][0] for i in unit_idx],
        [str(s) for s in staff],
        [str(r) for r in roles],
        dates,
        values,
        comments,
    )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)


def _new_sheet(title: str, widths: Sequence[float]) -> tuple[Workbook, WriteOnlyWorksheet]:
    wb = Workbook(write_only=True)
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "cleannet_eval.demo"
    wb.properties.lastModifiedBy = "cleannet_eval.demo"
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return wb, ws


def _styled(ws: WriteOnlyWorksheet, values: Iterable[object], font: Font) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = font
        cells.append(cell)
    return cells


def _workbook_bytes(wb: Workbook) -> bytes:
    """Save ``wb`` and rewrite the zip with fixed timestamps, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = _FIXED_TIME  # openpyxl stamps "now" while saving
    core = tostring(wb.properties.to_tree())
    src = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def _csv_text(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def _staff_label(code: str, rng: np.random.Generator, alias_p: float = 0.0) -> str:
    """Thai label of a staff type, now and then in an office abbreviation."""
    if alias_p and rng.random() < alias_p:
        alias = {"civil_servant": "ขรก.", "permanent_employee": "ลูกจ้างประจำ",
                 "government_employee": "พรก."}.get(code)
        if alias:
            return alias
    return STAFF_TYPES[code]["th"]


def _units_xlsx(world: _World) -> bytes:
    wb, ws = _new_sheet("อัตรากำลัง", (8, 40, 32, 26, 26))
    ws.append(_styled(ws, ["ข้อมูลหน่วยงานและอัตรากำลัง กรมการปกครอง"], _TITLE))
    ws.append([])
    ws.append(_styled(ws, ["ลำดับ", "หน่วยงาน", "สังกัด", "อัตรากำลัง ปีงบประมาณ 2550",
                           "อัตรากำลัง ปีงบประมาณ 2551"], _BOLD))
    for i, (name, parent, h2550, h2551) in enumerate(world.units, start=1):
        ws.append([i, name, parent or None, h2550, h2551])
    return _workbook_bytes(wb)


_REASON_LABELS = {
    "transfer": ("โยกย้าย", "แต่งตั้งโยกย้าย"),
    "retirement": ("เกษียณอายุราชการ",),
    "resignation": ("ลาออก",),
}


def _roster_date(rng: np.random.Generator, day: dt.date) -> str:
    u = rng.random()
    if u < 0.55:
        return be_slash(day)
    if u < 0.75:
        return be_abbr(day)
    if u < 0.87:
        return be_full(day, thai=True)
    if u < 0.95:
        return be_full(day)
    return be_slash(day, thai=True)


def _roster_xlsx(world: _World, rng: np.random.Generator) -> bytes:
    wb, ws = _new_sheet("ทะเบียนเครือข่าย", (7, 18, 30, 36, 16, 16, 20, 30, 20, 20))
    ws.append(_styled(ws, ["ทะเบียนแกนนำและสมาชิกเครือข่ายราชการใสสะอาด"], _TITLE))
    ws.append(_styled(ws, ["ศูนย์ประสานราชการใสสะอาด กรมการปกครอง"], _BOLD))
    ws.append([])
    ws.append(_styled(ws, ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "สำนัก/กอง",
                           "ประเภทบุคลากร", "บทบาท", "วันที่เข้าร่วม", "ผู้ชักชวน",
                           "วันที่พ้นสภาพ", "สาเหตุการพ้นสภาพ"], _BOLD))
    for i, s in enumerate(world.spells, start=1):
        p = s.person
        nid = _dashed_id(p.nid) if rng.random() < 0.05 else p.nid
        recruiter = None
        if s.recruiter is not None:
            # Usually written as on the recruiter's own row; sometimes the other spacing.
            flip = rng.random() < 0.15
            recruiter = s.recruiter.name(not s.recruiter.spaced if flip else None)
        left = _roster_date(rng, s.left) if s.left else None
        reason = None
        if s.reason:
            options = _REASON_LABELS[s.reason]
            reason = options[rng.integers(len(options))]
        ws.append([i, nid, p.name(), p.unit, STAFF_TYPES[p.staff]["th"], ROLES[s.role]["th"],
                   _roster_date(rng, s.joined), recruiter, left, reason])
    return _workbook_bytes(wb)


def _attendance_rows(world: _World, index: int) -> list[tuple[_Person, str, str, dt.date]]:
    day, name, _kind = _ACTIVITIES[index]
    return [(p, role, name, day) for p, role in world.attendance[index]]


def _att_name(p: _Person, rng: np.random.Generator) -> str:
    return p.name(spaced=rng.random() < 0.08)


def _attendance_2550_xlsx(world: _World, rng: np.random.Generator) -> bytes:
    wb, ws = _new_sheet("ผู้เข้าร่วมกิจกรรม", (8, 30, 18, 36, 16, 16, 56, 12))
    ws.append(_styled(ws, ["สรุปรายชื่อผู้เข้าร่วมกิจกรรม โครงการร่วมทำ เพื่อสร้างธรรม "
                           "นำใจใสสะอาด ปีงบประมาณ พ.ศ. 2550"], _TITLE))
    ws.append(_styled(ws, ["ลำดับ", "ชื่อ - นามสกุล", "เลขประจำตัวประชาชน", "หน่วยงาน",
                           "ประเภทบุคลากร", "บทบาท", "กิจกรรม", "วันที่"], _BOLD))
    number = 0
    for index, (day, _name, _kind) in enumerate(_ACTIVITIES):
        if day > FY_END[2550]:
            continue
        for p, role, name, when in _attendance_rows(world, index):
            number += 1
            nid: object = p.nid or None
            if nid is not None:
                u = rng.random()
                if u < 0.08:
                    nid = None
                elif u < 0.18:
                    nid = int(p.nid)  # typed in as a number
                elif u < 0.21:
                    nid = _dashed_id(p.nid)
            date_cell = WriteOnlyCell(ws, value=dt.datetime.combine(when, dt.time()))
            date_cell.number_format = "d/m/yyyy"
            ws.append([number, _att_name(p, rng), nid, p.unit or None,
                       _staff_label(p.staff, rng, 0.03), ROLES[role]["th"], name, date_cell])
    return _workbook_bytes(wb)


def _signin_xlsx(world: _World, rng: np.random.Generator, index: int, sheet_no: int) -> bytes:
    day, name, _kind = _ACTIVITIES[index]
    wb, ws = _new_sheet("ใบลงชื่อ", (7, 30, 36, 16, 16, 20))
    ws.append(_styled(ws, ["ใบลงทะเบียนผู้เข้าร่วมกิจกรรม"], _TITLE))
    ws.append(_styled(ws, [f"กิจกรรม: {name}"], _BOLD))
    ws.append([f"วันที่ {be_full(day, thai=True)}"])
    ws.append([_SIGNIN_ROOMS[(sheet_no - 1) % len(_SIGNIN_ROOMS)]])
    ws.append([])
    ws.append(_styled(ws, ["ที่", "ชื่อ-สกุล", "สังกัด", "ประเภทบุคลากร", "บทบาท", "ลายมือชื่อ"],
                      _BOLD))
    thai_numbers = sheet_no != 1
    for i, (p, role, _n, _d) in enumerate(_attendance_rows(world, index), start=1):
        number: object = thai_digits(i) if thai_numbers else i
        ws.append([number, _att_name(p, rng), p.unit or None, _staff_label(p.staff, rng, 0.03),
                   ROLES[role]["th"], None])
    return _workbook_bytes(wb)


def _attendance_2551_csv(world: _World, rng: np.random.Generator) -> bytes:
    rows: list[Sequence[object]] = [
        ["ลำดับ", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "หน่วยงาน", "ประเภทบุคลากร", "บทบาท",
         "กิจกรรม", "วันที่"]
    ]
    for index, (day, _name, _kind) in enumerate(_ACTIVITIES):
        if day <= FY_END[2550] or index in _SIGNIN_ACTIVITIES:
            continue
        for p, role, name, when in _attendance_rows(world, index):
            nid = p.nid
            if nid and rng.random() < 0.10:
                nid = ""
            rows.append([len(rows), _att_name(p, rng), nid, p.unit,
                         _staff_label(p.staff, rng, 0.03), ROLES[role]["th"], name,
                         be_slash(when)])
    return _csv_text(rows).encode("cp874")


def _survey_2550_xlsx(survey: _Survey, instrument: Instrument) -> bytes:
    codes = instrument.item_codes
    wb, ws = _new_sheet("แบบสอบถาม", (16, 36, 16, 16, 12, *([7] * len(codes)), 50))
    ws.append(_styled(ws, ["ผลการสำรวจความคิดเห็นต่อโครงการร่วมทำ เพื่อสร้างธรรม นำใจใสสะอาด"],
                      _TITLE))
    ws.append(_styled(ws, ["ปีงบประมาณ พ.ศ. 2550"], _BOLD))
    ws.append([])
    ws.append(_styled(ws, ["เลขที่แบบสอบถาม", "หน่วยงาน", "ประเภทบุคลากร", "บทบาท", "วันที่ตอบ",
                           *codes, "ข้อเสนอแนะ"], _BOLD))
    width = max(4, len(str(len(survey.units))))
    for i in range(len(survey.units)):
        answers = [None if np.isnan(v) else int(v) for v in survey.answers[i]]
        ws.append([f"50-{i + 1:0{width}d}", survey.units[i],
                   STAFF_TYPES[survey.staff[i]]["th"], ROLES[survey.roles[i]]["th"],
                   be_slash(survey.dates[i].date()), *answers, survey.comments[i] or None])
    return _workbook_bytes(wb)


def _survey_2551_csv(survey: _Survey, instrument: Instrument) -> bytes:
    labels = instrument.scale.labels_th
    questions = [f"{i}. {it.text_th}" for i, it in enumerate(instrument.items, start=1)]
    roles = {"leader": "แกนนำ", "member": "สมาชิกเครือข่าย", "participant": "ผู้เข้าร่วมกิจกรรม"}
    rows: list[Sequence[object]] = [
        ["ประทับเวลา", "หน่วยงานของท่าน", "ประเภทบุคลากร", "บทบาทในเครือข่าย", *questions,
         "ข้อเสนอแนะเพิ่มเติม"]
    ]
    for i in range(len(survey.units)):
        when = survey.dates[i]
        stamp = (f"{when.day}/{when.month}/{when.year + 543}, "
                 f"{when.hour}:{when.minute:02d}:{when.second:02d}")
        answers = ["" if np.isnan(v) else labels[int(v)] for v in survey.answers[i]]
        rows.append([stamp, survey.units[i], STAFF_TYPES[survey.staff[i]]["th"],
                     roles[survey.roles[i]], *answers, survey.comments[i]])
    return _csv_text(rows).encode("utf-8-sig")


def write_demo(out_dir: str | Path, seed: int = 2551, scale: float = 1.0) -> list[Path]:
    """Write the synthetic demo dataset as office-style spreadsheets.

    Parameters
    ----------
    out_dir
        Folder to write into; created when missing. Existing files of the same names are
        replaced (each file is written to a temporary name first, then moved into place).
    seed
        Seed of ``numpy.random.default_rng``; the same seed and scale give identical bytes.
    scale
        Multiplies the people (hence attendance rows) and the survey answers: about 800 survey
        rows at 1, about 100,000 at 125. Units and activities do not change.

    Returns
    -------
    list of Path
        The written files (see :data:`DEMO_FILES`), sorted.

    Raises
    ------
    ValueError
        ``scale`` is not a positive number.
    """
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    instrument = load_instrument()
    rng = np.random.default_rng(seed)
    r_world, r_survey, r_format = rng.spawn(3)
    world = _build_world(r_world, float(scale))
    n2550 = max(1, round(400 * scale * r_survey.uniform(0.95, 1.02)))
    n2551 = max(1, round(400 * scale * r_survey.uniform(0.97, 1.05)))
    s2550 = _build_survey(r_survey, instrument, world.units, 2550, n2550,
                          dt.date(2007, 8, 1), dt.date(2007, 9, 21))
    s2551 = _build_survey(r_survey, instrument, world.units, 2551, n2551,
                          dt.date(2008, 6, 16), dt.date(2008, 9, 19))
    f_roster, f_att, f_signin, f_csv = r_format.spawn(4)
    contents: dict[str, bytes] = {
        "units.xlsx": _units_xlsx(world),
        "network_roster.xlsx": _roster_xlsx(world, f_roster),
        "attendance_2550.xlsx": _attendance_2550_xlsx(world, f_att),
        "attendance_2551.csv": _attendance_2551_csv(world, f_csv),
        "survey_2550.xlsx": _survey_2550_xlsx(s2550, instrument),
        "survey_2551_google_forms.csv": _survey_2551_csv(s2551, instrument),
    }
    for sheet_no, index in enumerate(_SIGNIN_ACTIVITIES, start=1):
        contents[f"signin_2551_{sheet_no:02d}.xlsx"] = _signin_xlsx(
            world, f_signin, index, sheet_no
        )
    return sorted(atomic_write(out / name, contents[name]) for name in DEMO_FILES)
