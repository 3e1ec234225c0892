"""Write the office-style corpus under tests/corpus/_office/ (run from the repository root).

Files as evaluators' offices really make them (issue #12): surveys whose questions the office
typed itself (ท่าน/คุณ for ข้าพเจ้า, words added or dropped, "17." / "ข้อ 17", "(R)", "*"), on the
level, agreement and satisfaction scales; sign-in sheets whose title rows name the activity
without a label, dates in title lines or in the file name, a two-row header. ``good/`` ingests
as one folder; each folder under ``errors/`` fails in one way.

``expected.json`` holds what the files say, computed here from the values written (plain
arithmetic, not the package): the item each question column means, every activity and date,
and each item's mean per survey file. ``tests/test_ingest_office.py`` asserts them. Run again
after changing a case; the output is committed so the tests need no writer.
"""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
from pathlib import Path

import yaml
from make_corpus import _save, _workbook

HERE = Path(__file__).resolve().parent / "_office"
INSTRUMENT = Path(__file__).resolve().parents[2] / "cleannet_eval" / "data" / "instruments" / \
    "cleannet5.yaml"
CODES = [it["code"] for f in yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))["factors"]
         for it in f["items"]]
TEXTS = {it["code"]: it["text_th"] for f in
         yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))["factors"] for it in f["items"]}
UNITS = ["กองคลัง", "สำนักบริหารการทะเบียน", "สำนักงานเลขานุการกรม"]

LEVEL = {5: "มากที่สุด", 4: "มาก", 3: "ปานกลาง", 2: "น้อย", 1: "น้อยที่สุด"}
AGREE = {5: "เห็นด้วยอย่างยิ่ง", 4: "เห็นด้วย", 3: "ไม่แน่ใจ", 2: "ไม่เห็นด้วย",
         1: "ไม่เห็นด้วยอย่างยิ่ง"}
SATISFIED = {5: "พึงพอใจมากที่สุด", 4: "พึงพอใจมาก", 3: "พึงพอใจปานกลาง", 2: "พึงพอใจน้อย",
             1: "พึงพอใจน้อยที่สุด"}

# Google Forms: 6 questions exactly as the instrument, 17 reworded (the first case).
FORMS = {
    "TMS1": f"1. {TEXTS['TMS1']}",
    "TMS2": "2. โครงการได้รับงบประมาณเพียงพอสำหรับการดำเนินกิจกรรมตลอดทั้งปี",
    "TMS3": f"3. {TEXTS['TMS3']}",
    "TMS4": "4. ผู้บังคับบัญชาเปิดโอกาสให้ท่านเข้าร่วมกิจกรรมในเวลาราชการ",
    "TMS5": "5. ผู้บริหารไม่ค่อยได้ติดตามผลการดำเนินงานของเครือข่าย (R)",
    "PM1": "6. ท่านเข้าใจจุดมุ่งหมายและวัตถุประสงค์ของโครงการ *",
    "PM2": "7. แนวทางการดำเนินงานของโครงการนี้มีความชัดเจน",
    "PM3": f"8. {TEXTS['PM3']}",
    "PM4": "9. หน่วยงานที่เกี่ยวข้องเข้าใจบทบาทหน้าที่ของตนในโครงการ",
    "SP1": f"10. {TEXTS['SP1']}",
    "SP2": "11. กำหนดการกิจกรรมมีการแจ้งให้ทราบล่วงหน้าอย่างเพียงพอ",
    "SP3": f"12. {TEXTS['SP3']}",
    "SP4": "13. กิจกรรมดำเนินไปตามกำหนดเวลาที่วางแผนไว้",
    "PS1": "14. ผู้รับผิดชอบโครงการมีความรู้และความเข้าใจในการสร้างทีมงาน",
    "PS2": "15. แกนนำเครือข่ายมีความมุ่งมั่น เอาใจใส่ต่องานที่ได้รับมอบหมาย",
    "PS3": f"16. {TEXTS['PS3']}",
    "PS4": "ข้อ 17 เจ้าหน้าที่ศูนย์ประสานราชการใสสะอาดมีจำนวนเพียงพอกับภารกิจ",
    "PS5": "18. การแต่งตั้งโยกย้ายไม่กระทบต่อความต่อเนื่องของงานเครือข่าย",
    "CA1": "19. โครงการนี้เป็นประโยชน์ต่อตัวท่าน",
    "CA2": "20. โครงการนี้เป็นประโยชน์ต่อทางราชการและประเทศชาติ",
    "CA3": "21. ท่านยินดีเข้าร่วมกิจกรรมของโครงการอีกในอนาคต",
    "CA4": "22. ท่านจะชักชวนเพื่อนร่วมงานเข้าร่วมเครือข่าย",
    "CA5": "23. ภาคประชาชนควรมีส่วนร่วมเฝ้าระวังการทุจริตร่วมกับเครือข่าย *",
}

# A satisfaction questionnaire: "ข้อ N" numbering, a required-answer "*" on every question.
SATISFACTION = {
    "TMS1": "ข้อ 1 ผู้บริหารระดับสูงให้ความสำคัญในการส่งเสริมคุณธรรมจริยธรรมอย่างจริงจัง *",
    "TMS2": "ข้อ 2 โครงการได้รับงบประมาณอย่างเพียงพอต่อการดำเนินกิจกรรมตลอดปี *",
    "TMS3": "ข้อ 3 ผู้บริหารเข้าร่วมกิจกรรมของโครงการด้วยตัวเองอย่างสม่ำเสมอ *",
    "TMS4": "ข้อ 4 ผู้บังคับบัญชาของท่านเปิดโอกาสให้เข้าร่วมกิจกรรมในเวลาราชการ *",
    "TMS5": "ข้อ 5 ผู้บริหารไม่ค่อยติดตามผลการดำเนินงานของเครือข่าย (R) *",
    "PM1": "ข้อ 6 ท่านเข้าใจจุดมุ่งหมายและวัตถุประสงค์ของโครงการนี้ *",
    "PM2": "ข้อ 7 แนวทางในการดำเนินงานของโครงการมีความชัดเจน *",
    "PM3": "ข้อ 8 มีการประชุมและปรึกษาหารือเพื่อกำหนดแนวทางการดำเนินงานเป็นประจำ *",
    "PM4": "ข้อ 9 หน่วยงานที่เกี่ยวข้องเข้าใจบทบาทของตนเองในโครงการ *",
    "SP1": "ข้อ 10 กิจกรรมของโครงการมีการจัดลำดับก่อนหลังอย่างเหมาะสม *",
    "SP2": "ข้อ 11 มีการแจ้งกำหนดการของกิจกรรมให้ทราบล่วงหน้าอย่างเพียงพอ *",
    "SP3": "ข้อ 12 กำลังคน เครื่องมือ และทรัพยากรที่จำเป็นมีการจัดเตรียมไว้พร้อม *",
    "SP4": "ข้อ 13 กิจกรรมต่าง ๆ ดำเนินไปตามกำหนดเวลาที่วางไว้ *",
    "PS1": "ข้อ 14 ผู้รับผิดชอบโครงการมีความรู้ความเข้าใจเรื่องการสร้างทีมงาน *",
    "PS2": "ข้อ 15 แกนนำเครือข่ายมีความมุ่งมั่นและเอาใจใส่ต่องานที่ได้รับ *",
    "PS3": "ข้อ 16 แกนนำเครือข่ายเป็นแบบอย่างที่ดีด้านคุณธรรมและจริยธรรม *",
    "PS4": "ข้อ 17 เจ้าหน้าที่ของศูนย์ประสานราชการใสสะอาดมีจำนวนเพียงพอต่อภารกิจ *",
    "PS5": "ข้อ 18 การแต่งตั้งโยกย้ายบุคลากรไม่กระทบความต่อเนื่องของงานเครือข่าย *",
    "CA1": "ข้อ 19 โครงการนี้เป็นประโยชน์ต่อตัวท่านเอง *",
    "CA2": "ข้อ 20 โครงการนี้เป็นประโยชน์ต่อทางราชการและต่อประเทศชาติ *",
    "CA3": "ข้อ 21 ท่านยินดีที่จะเข้าร่วมกิจกรรมของโครงการอีกในอนาคต *",
    "CA4": "ข้อ 22 ท่านจะชักชวนเพื่อนร่วมงานให้มาเข้าร่วมเครือข่าย *",
    "CA5": "ข้อ 23 ภาคประชาชนควรมีส่วนร่วมในการเฝ้าระวังการทุจริตร่วมกับเครือข่ายด้วย *",
}

# An agreement questionnaire: "คุณ", no numbering; CA1 and CA2 replaced by one vague question
# (similar to both: never guessed) and a question that is not in the instrument at all.
AGREEMENT = {
    "TMS1": "ผู้บริหารระดับสูงให้ความสำคัญกับการส่งเสริมคุณธรรม จริยธรรม อย่างจริงจังมาก",
    "TMS2": "โครงการได้รับงบประมาณที่เพียงพอต่อการดำเนินกิจกรรมตลอดปี",
    "TMS3": "ผู้บริหารมาร่วมกิจกรรมของโครงการด้วยตนเองอย่างสม่ำเสมอ",
    "TMS4": "ผู้บังคับบัญชาเปิดโอกาสให้คุณเข้าร่วมกิจกรรมในเวลาราชการ",
    "TMS5": "ผู้บริหารไม่ค่อยติดตามผลงานของเครือข่าย (R)",
    "PM1": "คุณเข้าใจจุดมุ่งหมายและวัตถุประสงค์ของโครงการนี้",
    "PM2": "แนวทางการดำเนินงานโครงการมีความชัดเจน",
    "PM3": "มีการประชุม ปรึกษาหารือ เพื่อกำหนดแนวทางการดำเนินงานอย่างสม่ำเสมอ",
    "PM4": "หน่วยงานที่เกี่ยวข้องทุกแห่งเข้าใจบทบาทของตนในโครงการ",
    "SP1": "กิจกรรมของโครงการมีการกำหนดลำดับก่อน-หลังอย่างเหมาะสม",
    "SP2": "กำหนดการของกิจกรรมแจ้งให้ทราบล่วงหน้าเพียงพอ",
    "SP3": "กำลังคน เครื่องมือ ทรัพยากรที่จำเป็นได้รับการจัดเตรียมไว้พร้อม",
    "SP4": "กิจกรรมดำเนินไปตามกำหนดเวลาที่วางไว้ทุกครั้ง",
    "PS1": "ผู้รับผิดชอบโครงการมีความรู้ ความเข้าใจ ในการสร้างทีมงาน",
    "PS2": "แกนนำเครือข่ายมีความมุ่งมั่นและเอาใจใส่ต่องานที่ได้รับมอบหมายเป็นอย่างดี",
    "PS3": "แกนนำเครือข่ายเป็นแบบอย่างที่ดีในด้านคุณธรรม จริยธรรม",
    "PS4": "เจ้าหน้าที่ศูนย์ประสานราชการใสสะอาดมีจำนวนเพียงพอต่อภารกิจที่ได้รับ",
    "PS5": "การแต่งตั้งโยกย้ายไม่กระทบความต่อเนื่องในการทำงานของเครือข่าย",
    "CA3": "คุณยินดีเข้าร่วมกิจกรรมของโครงการอีกในอนาคต",
    "CA4": "คุณจะชักชวนเพื่อนร่วมงานให้เข้าร่วมเครือข่าย",
    "CA5": "ภาคประชาชนควรมีส่วนร่วมในการเฝ้าระวังการทุจริต ร่วมกับเครือข่าย",
}
VAGUE = "โครงการนี้เป็นประโยชน์"
NOT_AN_ITEM = "คุณทราบข่าวสารของโครงการจากช่องทางใดบ้าง"

PEOPLE = ["นายสมชาย ใจดี", "นางสาวมาลี ดีงาม", "นายประเสริฐ ศรีสุข", "นางวิไล แสงทอง",
          "ว่าที่ร้อยตรีสุรชัย มั่นคง", "นางสาวอรุณี ทองดี"]


def _same_text(header: str, code: str) -> bool:
    """Whether a header is the item's text once numbering, spaces and punctuation are ignored
    (the documented exact match); otherwise it can only be matched by similarity."""
    def bare(text: str) -> str:
        text = re.sub(r"^\s*(?:ข้อ\s*)?\d+\s*[.)]?\s*", "", text)
        return re.sub(r"[\s\-–—_.:/()*]+", "", text)

    return bare(header) == bare(TEXTS[code])


def _answers(rng: random.Random, codes: list[str], n: int) -> list[dict[str, int | None]]:
    """``n`` respondents' answers 1–5, about one in twenty left blank."""
    return [{c: (None if rng.random() < 0.05 else rng.choice([2, 3, 4, 4, 5, 5])) for c in codes}
            for _ in range(n)]


def _means(rows: list[dict[str, int | None]]) -> dict[str, float]:
    out = {}
    for code in rows[0]:
        values = [r[code] for r in rows if r[code] is not None]
        out[code] = round(sum(values) / len(values), 9)
    return out


def _units(folder: Path) -> None:
    _save(_workbook([["หน่วยงาน", "อัตรากำลัง ปีงบประมาณ 2551"],
                     *[[u, 100 + 10 * i] for i, u in enumerate(UNITS)]], "หน่วยงาน"),
          folder / "units.xlsx")


def _signin_rows(rng: random.Random, n: int) -> list[list[object]]:
    return [[i + 1, PEOPLE[i], UNITS[i % 3], rng.choice(["ข้าราชการ", "ลูกจ้าง"]), ""]
            for i in range(n)]


def main() -> None:
    if HERE.exists():
        shutil.rmtree(HERE)
    good = HERE / "good"
    good.mkdir(parents=True)
    rng = random.Random(12)
    expected: dict[str, object] = {"surveys": {}, "attendance": {}}
    _units(good)

    # 1. Google Forms export, level labels, 6 exact + 17 reworded questions.
    name = "แบบประเมินโครงการ (การตอบกลับ).csv"
    rows = _answers(rng, CODES, 12)
    with (good / name).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ประทับเวลา", "หน่วยงานของท่าน", "ประเภทบุคลากร",
                         *[FORMS[c] for c in CODES], "ข้อเสนอแนะเพิ่มเติม"])
        for i, row in enumerate(rows):
            writer.writerow([f"{10 + i}/7/2551, 10:{10 + i}:00", UNITS[i % 3], "ข้าราชการ",
                             *[LEVEL[row[c]] if row[c] else "" for c in CODES], ""])
    expected["surveys"][name] = {
        "respondents": len(rows), "scales": ["level"], "means": _means(rows),
        "similar": sorted(c for c in CODES if not _same_text(FORMS[c], c)),
        "columns": {chr(ord("D") + i): c for i, c in enumerate(CODES)},
    }

    # 2. Satisfaction questionnaire (xlsx) with title rows and a fiscal-year line.
    name = "แบบสอบถามความพึงพอใจ ปีงบ 2551.xlsx"
    rows = _answers(rng, CODES, 10)
    body = [[f"51-{i + 1:03d}", UNITS[i % 3], "ลูกจ้าง",
             *[SATISFIED[r[c]] if r[c] else None for c in CODES]] for i, r in enumerate(rows)]
    _save(_workbook([["แบบสอบถามความพึงพอใจต่อโครงการร่วมทำ เพื่อสร้างธรรม นำใจใสสะอาด"],
                     ["ปีงบประมาณ พ.ศ. ๒๕๕๑"], [],
                     ["เลขที่แบบสอบถาม", "หน่วยงาน", "ประเภทบุคลากร",
                      *[SATISFACTION[c] for c in CODES]], *body], "แบบสอบถาม"), good / name)
    expected["surveys"][name] = {
        "respondents": len(rows), "scales": ["satisfaction"], "means": _means(rows),
        "similar": sorted(c for c in CODES if not _same_text(SATISFACTION[c], c))}

    # 3. Agreement questionnaire: a vague question and a non-item question stay unread.
    name = "แบบสอบถามความคิดเห็น.xlsx"
    codes = list(AGREEMENT)
    rows = _answers(rng, codes, 11)
    header = ["ประทับเวลา", "สังกัด", "บทบาทในเครือข่าย", *[AGREEMENT[c] for c in codes[:18]],
              VAGUE, *[AGREEMENT[c] for c in codes[18:]], NOT_AN_ITEM]
    body = []
    for i, r in enumerate(rows):
        labels = [AGREE[r[c]] if r[c] else None for c in codes]
        body.append([f"{1 + i}/8/2551 9:00:00", UNITS[i % 3], "สมาชิกเครือข่าย", *labels[:18],
                     AGREE[rng.choice([3, 4, 5])], *labels[18:], rng.choice(["หนังสือเวียน",
                                                                              "เว็บไซต์กรม"])])
    _save(_workbook([header, *body], "Form Responses 1"), good / name)
    expected["surveys"][name] = {
        "respondents": len(rows), "scales": ["agreement"], "means": _means(rows),
        "similar": sorted(c for c in codes if not _same_text(AGREEMENT[c], c)),
        "unread": {"V": VAGUE, "Z": NOT_AN_ITEM},
        "vague_candidates": ["CA1", "CA2"],
    }

    # 4. Item codes and numbers, "5 มากที่สุด" written beside the number on some answers.
    name = "สรุปผลแบบประเมิน กองคลัง.xlsx"
    rows = _answers(rng, CODES, 8)
    body = [[UNITS[0], "14/8/2551", *[(f"{r[c]} {LEVEL[r[c]]}" if k % 4 == 0 else r[c])
                                      if r[c] else None for k, c in enumerate(CODES)]]
            for r in rows]
    _save(_workbook([["สรุปผลแบบประเมิน"], ["หน่วยงาน", "วันที่ตอบ", *CODES], *body]),
          good / name)
    # Every fourth column writes "5 มากที่สุด" (the level family), the others bare numbers.
    expected["surveys"][name] = {"respondents": len(rows), "scales": ["level", "numbers"],
                                 "means": _means(rows), "similar": []}

    # 5. The sign-in sheet: form heading, unlabelled activity, Thai date, venue.
    name = "ใบลงทะเบียน.xlsx"
    activity = "กิจกรรมอบรมหลักสูตรการเสริมสร้างคุณธรรม จริยธรรม สำหรับแกนนำเครือข่าย"
    _save(_workbook([["แบบลงทะเบียนผู้เข้าร่วมกิจกรรม"], [activity], ["วันที่ ๒๐ ธันวาคม ๒๕๕๐"],
                     ["ณ ห้องประชุมกรมการปกครอง ชั้น ๓"], [],
                     ["ที่", "ชื่อ-สกุล", "หน่วยงาน", "ประเภทบุคลากร", "ลายมือชื่อ"],
                     *_signin_rows(rng, 4)], "ลงทะเบียน"), good / name)
    expected["attendance"][name] = {"activity": activity, "date": "2007-12-20", "people": 4,
                                    "activity_from": "title line", "date_from": "title line"}

    # 6. Activity and date only in the file name (two-digit BE year).
    name = "ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50.xlsx"
    _save(_workbook([["ใบลงชื่อผู้เข้าร่วมกิจกรรม"], [],
                     ["ลำดับ", "ชื่อ - นามสกุล", "สังกัด", "ประเภทบุคลากร", "ลงชื่อ"],
                     *_signin_rows(rng, 3)]), good / name)
    expected["attendance"][name] = {"activity": "อบรมแกนนำ", "date": "2007-12-20", "people": 3,
                                    "activity_from": "file name", "date_from": "file name"}

    # 7. Two-row header under a project line, an activity line, a date with a time, a venue.
    name = "เสวนาธรรม ก.พ. 51.xlsx"
    people = _signin_rows(rng, 5)
    _save(_workbook([
        ["ใบลงชื่อผู้เข้าร่วมกิจกรรม"], ["โครงการร่วมทำ เพื่อสร้างธรรม นำใจใสสะอาด"],
        ["กิจกรรมเสวนาธรรม เรื่อง ประมวลจริยธรรมข้าราชการพลเรือน"],
        ["วันที่ 5 ก.พ. 2551 เวลา 09.00 - 12.00 น."], ["ณ ห้องประชุม 1 ศาลาว่าการกระทรวงมหาดไทย"],
        ["ที่", "ผู้เข้าร่วมกิจกรรม", "", "", "การลงเวลา"],
        ["", "ชื่อ-สกุล", "หน่วยงาน", "ประเภทบุคลากร", "ลายมือชื่อ"],
        *people]), good / name)
    expected["attendance"][name] = {
        "activity": "กิจกรรมเสวนาธรรม เรื่อง ประมวลจริยธรรมข้าราชการพลเรือน", "date": "2008-02-05",
        "people": 5, "activity_from": "title line", "date_from": "title line",
        "group_heading_row": 6}

    # 8. A weekday in the date line, BE era marker, a time line.
    name = "ทำบุญตักบาตร.xlsx"
    _save(_workbook([["ใบลงชื่อ"], ["ทำบุญตักบาตรเนื่องในวันมาฆบูชา"],
                     ["วันพฤหัสบดีที่ ๒๑ กุมภาพันธ์ พ.ศ. ๒๕๕๑"], ["เวลา ๐๖.๓๐ น."],
                     ["ที่", "ชื่อ-สกุล", "หน่วยงาน", "ประเภทบุคลากร", "ลายมือชื่อ"],
                     *_signin_rows(rng, 3)]), good / name)
    expected["attendance"][name] = {"activity": "ทำบุญตักบาตรเนื่องในวันมาฆบูชา",
                                    "date": "2008-02-21", "people": 3,
                                    "activity_from": "title line", "date_from": "title line"}

    # 9. A CSV sign-in sheet: title lines in the first column, an English month and CE year.
    name = "sign-in volunteers.csv"
    with (good / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["แบบลงชื่อเข้าร่วมกิจกรรม", "", "", "", ""])
        writer.writerow(["กิจกรรมจิตอาสาพัฒนาชุมชน", "", "", "", ""])
        writer.writerow(["วันที่ 21 March 2008", "", "", "", ""])
        writer.writerow(["สถานที่ วัดบวรนิเวศวิหาร", "", "", "", ""])
        writer.writerow(["ที่", "ชื่อ-สกุล", "หน่วยงาน", "ประเภทบุคลากร", "ลายมือชื่อ"])
        writer.writerows(_signin_rows(rng, 4))
    expected["attendance"][name] = {"activity": "กิจกรรมจิตอาสาพัฒนาชุมชน", "date": "2008-03-21",
                                    "people": 4, "activity_from": "title line",
                                    "date_from": "title line"}

    # 10. An abbreviated month and two-digit BE year in Thai digits in the title line.
    name = "ลงทะเบียนประชุม.xlsx"
    _save(_workbook([["ใบลงทะเบียนผู้เข้าร่วมประชุม"], ["ประชุมชี้แจงแนวทางการดำเนินงานเครือข่าย"],
                     ["วันที่ ๒ เม.ย. ๕๑"], ["ณ ห้องประชุมกองคลัง"],
                     ["ที่", "ชื่อ-สกุล", "หน่วยงาน", "ประเภทบุคลากร", "ลายมือชื่อ"],
                     *_signin_rows(rng, 2)]), good / name)
    expected["attendance"][name] = {"activity": "ประชุมชี้แจงแนวทางการดำเนินงานเครือข่าย",
                                    "date": "2008-04-02", "people": 2,
                                    "activity_from": "title line", "date_from": "title line"}

    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")

    # Errors: each folder fails in one way.
    errors = HERE / "errors"
    folder = errors / "too_few_items"
    folder.mkdir(parents=True)
    _units(folder)
    own = ["ท่านได้รับข่าวสารของโครงการอย่างทั่วถึง", "การประชาสัมพันธ์โครงการมีความเหมาะสม",
           "ระยะเวลาการจัดกิจกรรมมีความเหมาะสม", "สถานที่จัดกิจกรรมมีความสะดวก",
           "วิทยากรมีความรู้ในเรื่องที่บรรยาย", "เอกสารประกอบการอบรมมีประโยชน์",
           "ท่านสามารถนำความรู้ไปใช้ในการปฏิบัติงานได้", "อาหารและเครื่องดื่มมีความเหมาะสม"]
    with (folder / "แบบประเมินกิจกรรม.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ประทับเวลา", "หน่วยงาน", *[f"{i + 1}. {TEXTS[c]}" for i, c in
                                                       enumerate(CODES[:6])], *own])
        writer.writerow(["5/8/2551 9:00:00", UNITS[0], *[4] * 6, *["มาก"] * len(own)])

    folder = errors / "mixed_scale"
    folder.mkdir(parents=True)
    _units(folder)
    mixed = [[UNITS[0], "5/8/2551", *[AGREE[4]] * len(CODES)] for _ in range(3)]
    mixed[2][2 + CODES.index("PM2")] = SATISFIED[4]
    _save(_workbook([["หน่วยงาน", "วันที่ตอบ", *CODES], *mixed], "ตอบ"), folder / "survey.xlsx")

    folder = errors / "no_activity_or_date"
    folder.mkdir(parents=True)
    _units(folder)
    _save(_workbook([["ใบลงชื่อ"], ["ณ ห้องประชุม"],
                     ["ที่", "ชื่อ-สกุล", "หน่วยงาน", "ลายมือชื่อ"],
                     [1, PEOPLE[0], UNITS[0], ""]]), folder / "signin.xlsx")


if __name__ == "__main__":
    main()
