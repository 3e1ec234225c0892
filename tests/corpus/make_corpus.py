"""Write the bad-input corpus under tests/corpus/ (run from the repository root).

Each case is a folder that ``cleannet-eval ingest --raw`` reads: a small valid units table plus
the file that is wrong in one way. ``tests/test_ingest_errors.py`` lists what each must say.
Run again after changing a case; the output is committed so the tests need no writer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
from msoffcrypto.format.ooxml import OOXMLFile

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2008, 1, 1)

UNITS_CSV = (
    "หน่วยงาน,สังกัด,อัตรากำลัง ปีงบประมาณ 2550,อัตรากำลัง ปีงบประมาณ 2551\n"
    "กองคลัง,,120,125\nสำนักบริหารการทะเบียน,,300,310\n"
)
#: The other items of cleannet5, after PM2: a survey sheet needs 60% of the items.
OTHER_ITEMS = ["TMS4", "TMS5", "PM3", "PM4", "SP1", "SP2", "SP3", "SP4", "PS1", "PS2", "PS3",
               "PS4", "PS5", "CA1", "CA2", "CA3", "CA4", "CA5"]
SURVEY_HEADER = ["เลขที่แบบสอบถาม", "หน่วยงาน", "ประเภทบุคลากร", "บทบาท", "วันที่ตอบ",
                 "TMS1", "TMS2", "TMS3", "PM1", "PM2", *OTHER_ITEMS, "ข้อเสนอแนะ"]


def _save(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps so the bytes are the same at every run."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2008, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2008-01-01T00:00:00Z",
                              data)
            dst.writestr(fixed, data)


def _workbook(rows: list[list[object]], title: str = "Sheet1") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return wb


def _case(name: str) -> Path:
    folder = HERE / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    return folder


def _survey(rows: list[list[object]]) -> openpyxl.Workbook:
    """A survey sheet; each row gives TMS1 … PM2 and a comment, the other items answer 4."""
    full = [[*row[:-1], *[4] * len(OTHER_ITEMS), row[-1]] for row in rows]
    return _workbook([["ผลการสำรวจความคิดเห็น"], ["ปีงบประมาณ พ.ศ. 2551"], [], SURVEY_HEADER,
                      *full], "แบบสอบถาม")


GOOD = ["กองคลัง", "ข้าราชการ", "แกนนำ", "5/11/2550", 5, 4, 4, 3, 4, ""]


def main() -> None:
    for old in HERE.iterdir():
        if old.is_dir() and not old.name.startswith(("_", ".")):
            shutil.rmtree(old)

    folder = _case("missing_column")
    _save(_workbook([["รายชื่อผู้เข้าร่วมกิจกรรม"],
                     ["ลำดับ", "ชื่อ-สกุล", "หน่วยงาน", "ประเภทบุคลากร", "บทบาท", "กิจกรรม"],
                     [1, "นายสมชาย ใจดี", "กองคลัง", "ข้าราชการ", "แกนนำ", "อบรมแกนนำ"]]),
          folder / "attendance.xlsx")

    folder = _case("answer_out_of_scale")
    _save(_survey([["51-001", *GOOD], ["51-002", "กองคลัง", "ข้าราชการ", "แกนนำ", "5/11/2550",
                                        7, 4, "ดีมาก", 3, 0, ""]]), folder / "survey.xlsx")

    folder = _case("bad_date")
    _save(_survey([["51-001", *GOOD],
                   ["51-002", "กองคลัง", "ข้าราชการ", "แกนนำ", "31/2/2551", 5, 4, 4, 3, 4, ""],
                   ["51-003", "กองคลัง", "ข้าราชการ", "แกนนำ", "ไม่ทราบ", 5, 4, 4, 3, 4, ""],
                   ["51-004", "กองคลัง", "ข้าราชการ", "แกนนำ", "5/11/2650", 5, 4, 4, 3, 4, ""]]),
          folder / "survey.xlsx")

    folder = _case("duplicate_respondent")
    _save(_survey([["51-001", *GOOD], ["51-002", *GOOD], ["51-001", *GOOD]]),
          folder / "survey.xlsx")

    folder = _case("unknown_unit")
    _save(_survey([["51-001", *GOOD],
                   ["51-002", "กองที่ไม่มีจริง", "ข้าราชการ", "แกนนำ", "5/11/2550",
                    5, 4, 4, 3, 4, ""]]), folder / "survey.xlsx")

    folder = _case("empty_sheet")
    _save(_workbook([]), folder / "empty.xlsx")
    _save(_workbook([["ชื่อ-สกุล", "หน่วยงาน", "กิจกรรม", "วันที่"]]), folder / "header_only.xlsx")

    folder = _case("not_a_spreadsheet")
    (folder / "attendance.xlsx").write_bytes(b"%PDF-1.4\n% a PDF saved with the wrong name\n")
    (folder / "export.xlsx").write_text("<html><body><table><tr><td>1</td></tr></table>"
                                        "</body></html>", encoding="utf-8")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    folder = _case("locked_workbook")
    plain = folder / "plain.tmp"
    _save(_survey([["51-001", *GOOD]]), plain)
    with plain.open("rb") as source:
        office = OOXMLFile(source)
        with (folder / "survey_locked.xlsx").open("wb") as handle:
            office.encrypt("รหัสผ่าน", handle)
    plain.unlink()

    folder = _case("corrupt_workbook")
    buffer = io.BytesIO()
    _survey([["51-001", *GOOD]]).save(buffer)
    data = buffer.getvalue()
    (folder / "survey.xlsx").write_bytes(data[: len(data) // 2])

    folder = _case("wrong_encoding")
    text = "ชื่อ-สกุล,หน่วยงาน,กิจกรรม,วันที่\nนายสมชาย ใจดี,กองคลัง,อบรม,5/11/2550\n"
    (folder / "attendance_utf16.csv").write_bytes(text.encode("utf-16"))
    (folder / "attendance_bad_bytes.csv").write_bytes(
        "ชื่อ-สกุล,หน่วยงาน,กิจกรรม,วันที่\n".encode() + b"\xff\xfe\xfd\xfc,x,y,z\n"
    )

    folder = _case("bad_values")
    _save(_workbook([
        ["ทะเบียนเครือข่าย"],
        ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "สำนัก/กอง", "ประเภทบุคลากร", "บทบาท",
         "วันที่เข้าร่วม", "ผู้ชักชวน", "วันที่พ้นสภาพ", "สาเหตุการพ้นสภาพ"],
        [1, "1101700203581", "นายสมชาย ใจดี", "กองคลัง", "ข้าราชการ", "แกนนำ", "5/11/2550",
         "", "1/10/2550", "โยกย้าย"],
        [2, "1101700203582", "นางมาลี ดีงาม", "กองคลัง", "พนักงาน", "หัวหน้า", "",
         "นายสมชาย ใจดี", "", "ไปเที่ยว"],
    ], "ทะเบียน"), folder / "roster.xlsx")

    # Good files in every format the reader takes, for tests/test_ingest_formats.py.
    folder = _case("_good_formats")
    (folder / "units.csv").unlink()
    pd.DataFrame({"หน่วยงาน": ["กองคลัง", "สำนักบริหารการทะเบียน"], "ปีงบประมาณ": [2551, 2551],
                  "อัตรากำลัง": [125, 310]}).to_excel(folder / "units.ods", engine="odf",
                                                      index=False)
    (folder / "attendance_cp874.csv").write_bytes(
        ("ลำดับ,ชื่อ-สกุล,หน่วยงาน,ประเภทบุคลากร,บทบาท,กิจกรรม,วันที่\n"
         "1,นายสมชาย ใจดี,กองคลัง,ข้าราชการ,แกนนำ,อบรมแกนนำ,๕ พ.ย. ๒๕๕๐\n"
         "2,นาง มาลี  ดีงาม,สำนักบริหารการทะเบียน,ลูกจ้าง,ผู้เข้าร่วม,อบรมแกนนำ,5/11/2550\n"
         ).encode("cp874"))
    (folder / "attendance_bom.csv").write_bytes(
        ("ชื่อ - นามสกุล;สำนัก/กอง;ประเภท;บทบาท;ชื่อกิจกรรม;วันที่จัดกิจกรรม\n"
         "สมชาย ใจดี;กองคลัง;ข้าราชการ;แกนนำ;เสวนาธรรม;2008-01-15\n").encode("utf-8-sig"))


if __name__ == "__main__":
    main()
