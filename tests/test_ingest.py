"""Ingest of good input: formats, header and kind recognition, Thai normalisation,
pseudonymisation, sources.yml and the atomic write."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cleannet_eval import config
from cleannet_eval.cli import main
from cleannet_eval.errors import ConfigError, InputError
from cleannet_eval.ingest.headers import classify_header, header_key
from cleannet_eval.ingest.pipeline import ingest, load_file, load_raw
from cleannet_eval.ingest.privacy import (
    is_valid_national_id,
    load_key,
    national_id_check_digit,
    person_key,
)
from cleannet_eval.instruments import load_instrument

from conftest import CORPUS, tree_digest

#: Items a small test survey adds so that it has the 60% of items a survey sheet needs.
OTHER_ITEMS = [code for code in load_instrument().item_codes
               if code not in ("TMS1", "TMS2", "TMS3", "PM1")]

UNITS = [["หน่วยงาน", "อัตรากำลัง ปีงบประมาณ 2550", "อัตรากำลัง ปีงบประมาณ 2551"],
         ["กองคลัง", 120, 125], ["สำนักบริหารการทะเบียน", 300, 310]]


def valid_id(first12: str) -> str:
    return first12 + str(national_id_check_digit(first12))


def xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    xlsx(folder / "units.xlsx", [["ข้อมูลหน่วยงาน"], [], *UNITS])
    return folder


def test_every_format_and_encoding_reads(tmp_path: Path) -> None:
    dataset = load_raw(CORPUS / "_good_formats")
    att = dataset.attendance
    assert len(att) == 3
    assert set(dataset.units["unit"]) == {"กองคลัง", "สำนักบริหารการทะเบียน"}  # from .ods
    # "นายสมชาย ใจดี" (cp874 CSV) and "สมชาย ใจดี" (UTF-8 BOM, ';'-separated) are one person.
    assert att["person_key"].nunique() == 2
    # "๕ พ.ย. ๒๕๕๐" with Thai digits and "5/11/2550" are the same day, in FY2551.
    first = att[att["source_file"] == "attendance_cp874.csv"]
    assert first["date"].dt.date.tolist() == [dt.date(2007, 11, 5)] * 2
    assert first["fiscal_year"].tolist() == [2551, 2551]
    assert set(att["staff_type"]) == {"civil_servant", "permanent_employee"}


def test_sign_in_sheet_takes_activity_and_date_from_title_rows(raw: Path) -> None:
    xlsx(raw / "signin.xlsx", [
        ["ใบลงทะเบียนผู้เข้าร่วมกิจกรรม"], ["กิจกรรม: อบรมแกนนำ รุ่นที่ ๑"],
        ["วันที่ ๑๔ ธันวาคม ๒๕๕๐"], ["ณ ห้องประชุม"], [],
        ["ที่", "ชื่อ-สกุล", "สังกัด", "ประเภทบุคลากร", "บทบาท", "ลายมือชื่อ"],
        ["๑", "นายสมชาย ใจดี", "กองคลัง", "ข้าราชการ", "แกนนำ", ""],
        ["๒", "นางสาวมาลี ดีงาม", "กองคลัง", "ลูกจ้าง", "ผู้เข้าร่วม", ""],
        ["๓", "", "", "", "", ""],  # a pre-numbered blank line is not a person
    ], "ใบลงชื่อ")
    att = load_raw(raw).attendance
    assert att["activity"].tolist() == ["อบรมแกนนำ รุ่นที่ ๑"] * 2
    assert att["date"].dt.date.tolist() == [dt.date(2007, 12, 14)] * 2
    assert att["source_row"].tolist() == [7, 8]
    assert att["role"].tolist() == ["leader", "participant"]


def test_units_wide_headcounts_and_parent(raw: Path) -> None:
    xlsx(raw / "units.xlsx", [
        ["ลำดับ", "หน่วยงาน", "สังกัด", "อัตรากำลัง ปีงบประมาณ ๒๕๕๐", "อัตรากำลัง 2008"],
        [1, "สำนักบริหารการทะเบียน", "", 300, "310"],
        [2, "กลุ่มงานทะเบียน", "สำนักบริหารการทะเบียน", 40, 41],
    ])
    units = load_raw(raw).units
    assert units.columns.tolist() == ["unit", "parent", "fiscal_year", "headcount"]
    row = units[(units["unit"] == "กลุ่มงานทะเบียน") & (units["fiscal_year"] == 2551)]
    assert row["parent"].item() == "สำนักบริหารการทะเบียน"  # "สังกัด" beside "หน่วยงาน"
    assert row["headcount"].item() == 41  # the CE header "2008" is FY2551
    assert sorted(units["fiscal_year"].unique()) == [2550, 2551]


def test_google_forms_export_loads_as_it_is(raw: Path) -> None:
    instrument = load_instrument()
    questions = [f"{i}. {item.text_th}" for i, item in enumerate(instrument.items, 1)]
    header = ["ประทับเวลา", "หน่วยงานของท่าน", "ประเภทบุคลากร", "บทบาทในเครือข่าย", *questions,
              "ข้อเสนอแนะเพิ่มเติม"]
    labels = ["มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"]
    answers = [labels[i % 5] for i in range(len(questions))]
    answers[3] = ""  # a missing answer
    with (raw / "form.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["14/7/2551, 10:23:45", "กองคลัง", "ข้าราชการ", "สมาชิกเครือข่าย",
                         *answers, "ควรจัดกิจกรรมต่อเนื่อง"])
    survey = load_raw(raw).survey
    assert len(survey) == 1
    row = survey.iloc[0]
    assert row["fiscal_year"] == 2551 and row["date"].date() == dt.date(2008, 7, 14)
    assert row["TMS1"] == 5 and row["TMS2"] == 4 and row["TMS3"] == 3 and row["TMS5"] == 1
    assert pd.isna(row["TMS4"])
    assert row["comment"] == "ควรจัดกิจกรรมต่อเนื่อง"
    assert row["role"] == "member"


def test_survey_fiscal_year_from_title_row_when_no_date(raw: Path) -> None:
    xlsx(raw / "survey.xlsx", [["ปีงบประมาณ พ.ศ. ๒๕๕๐"], [],
                               ["หน่วยงาน", "TMS1", "TMS2", "TMS3", "PM1", *OTHER_ITEMS],
                               ["กองคลัง", 5, "4", "๓", "มาก", *[3] * len(OTHER_ITEMS)]])
    survey = load_raw(raw).survey
    assert survey["fiscal_year"].tolist() == [2550]
    assert survey.loc[0, ["TMS1", "TMS2", "TMS3", "PM1"]].tolist() == [5, 4, 3, 4]


def test_people_are_pseudonymised_and_linked_across_files(raw: Path, pseudonym_key) -> None:
    leader_id = valid_id("310170020358")
    xlsx(raw / "roster.xlsx", [
        ["เลขประจำตัวประชาชน", "ชื่อ-สกุล", "สำนัก/กอง", "บทบาท", "วันที่เข้าร่วม", "ผู้ชักชวน"],
        [leader_id, "นายสมชาย ใจดี", "กองคลัง", "แกนนำ", "5/11/2550", ""],
        ["", "นางมาลี ดีงาม", "กองคลัง", "สมาชิกเครือข่าย", "1 ธ.ค. 2550", "สมชาย  ใจดี"],
    ])
    # Attendance gives the leader by name only, with another title spelling.
    xlsx(raw / "attendance.xlsx", [
        ["ชื่อ - นามสกุล", "หน่วยงาน", "กิจกรรม", "วันที่"],
        ["นาย สมชาย ใจดี", "กองคลัง", "เสวนาธรรม", "10/12/2550"],
    ])
    dataset = load_raw(raw)
    roster, att = dataset.roster, dataset.attendance
    leader_key = person_key(pseudonym_key, national_id=leader_id)
    assert roster["person_key"].iloc[0] == leader_key
    assert att["person_key"].iloc[0] == leader_key  # linked to the ID through the name
    assert roster["recruited_by_key"].iloc[1] == leader_key
    assert pd.isna(roster["recruited_by_key"].iloc[0])
    for frame in (roster, att):
        text = frame.to_csv()
        assert "สมชาย" not in text and "มาลี" not in text and leader_id not in text


def test_processed_files_hold_no_names_or_ids(raw: Path, tmp_path: Path) -> None:
    person_id = valid_id("110170020358")
    xlsx(raw / "attendance.xlsx", [
        ["เลขประจำตัวประชาชน", "ชื่อ-สกุล", "หน่วยงาน", "กิจกรรม", "วันที่"],
        [person_id, "นางสาวอรุณี แสงทอง", "กองคลัง", "เสวนาธรรม", "10/12/2550"],
    ])
    out = tmp_path / "processed"
    ingest(raw, out)
    for path in out.iterdir():
        data = path.read_bytes()
        for secret in ("อรุณี", "แสงทอง", person_id):
            assert secret.encode("utf-8") not in data, (path.name, secret)
    assert "test-secret" not in (out / "manifest.json").read_text(encoding="utf-8")


def test_key_depends_on_the_secret_and_is_stable() -> None:
    a = person_key(b"one", national_id="1101700203581")
    assert a == person_key(b"one", national_id="1101700203581")
    assert a != person_key(b"two", national_id="1101700203581")
    assert a.startswith("P") and len(a) == 13


@pytest.mark.parametrize(("value", "valid"), [
    ("1101700203581", True), ("1-1017-00203-58-1", True), ("๑๑๐๑๗๐๐๒๐๓๕๘๑", True),
    (1101700203581.0, True), ("1101700203582", False), ("110170020358", False), ("", False),
])
def test_national_id_check_digit(value: object, valid: bool) -> None:
    assert is_valid_national_id(value) is valid


def test_key_file_is_created_outside_the_repo_with_private_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CLEANNET_EVAL_KEY")
    monkeypatch.setenv("CLEANNET_EVAL_KEY_FILE", str(tmp_path / "k" / "pseudonym.key"))
    secret = load_key()
    path = tmp_path / "k" / "pseudonym.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key() == secret and len(secret) == 64
    monkeypatch.setenv("CLEANNET_EVAL_KEY_FILE", str(config.PROJ_ROOT / "data" / "my.key"))
    with pytest.raises(ConfigError, match="must live outside the project folder"):
        load_key()


def test_sources_yml_overrides_detection(raw: Path) -> None:
    xlsx(raw / "odd.xlsx", [
        ["some banner"], ["another banner"],
        ["ผู้มา", "ส่วนงาน", "เรื่อง", "เมื่อ"],
        ["นายสมชาย ใจดี", "กองคลัง", "อบรม", "5/11/2550"],
    ], "data")
    xlsx(raw / "scratch.xlsx", [["anything"]])
    (raw / "sources.yml").write_text(
        "files:\n"
        "  odd.xlsx:\n    kind: attendance\n    sheet: data\n    header_row: 3\n"
        "    columns: {ผู้มา: name, ส่วนงาน: unit, เรื่อง: activity, เมื่อ: date}\n"
        "  scratch.xlsx:\n    kind: ignore\n",
        encoding="utf-8",
    )
    att = load_raw(raw).attendance
    assert att["activity"].tolist() == ["อบรม"] and att["unit"].tolist() == ["กองคลัง"]


def test_invalid_sources_yml_is_a_clear_error(raw: Path) -> None:
    (raw / "sources.yml").write_text("files:\n  a.xlsx:\n    kind: budget\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"files\.a\.xlsx\.kind 'budget' is not one of"):
        load_raw(raw)


def test_unrecognised_columns_and_other_files_are_warnings(raw: Path) -> None:
    xlsx(raw / "attendance.xlsx", [["ชื่อ-สกุล", "หน่วยงาน", "กิจกรรม", "วันที่", "สีเสื้อ"],
                                   ["นายสมชาย ใจดี", "กองคลัง", "อบรม", "5/11/2550", "ขาว"]])
    (raw / "memo.pdf").write_bytes(b"%PDF-1.4")
    (raw / "~$attendance.xlsx").write_bytes(b"lock")  # Excel's lock file is skipped silently
    warnings = load_raw(raw).warnings
    messages = {(w["file"], w["column"], w["message"].split(";")[0]) for w in warnings}
    assert ("attendance.xlsx", "E", "column not recognised and not read") in messages
    assert any(w["file"] == "memo.pdf" and "ignored" in w["message"] for w in warnings)
    assert not any("~$" in w["file"] for w in warnings)


def test_ingest_replaces_the_output_whole_and_keeps_raw_untouched(raw: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "processed"
    out.mkdir()
    (out / ".gitkeep").touch()
    (out / "stale.parquet").write_bytes(b"old")
    before = tree_digest(raw)
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [".gitkeep", "attendance.parquet", "manifest.json", "roster.parquet",
                     "survey.parquet", "units.parquet"]
    assert tree_digest(raw) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_inside_raw_is_refused(raw: Path) -> None:
    with pytest.raises(ConfigError, match="must be outside the raw data folder"):
        ingest(raw, raw / "processed")


def test_many_errors_in_one_column_are_capped(raw: Path) -> None:
    rows = [["หน่วยงาน", "วันที่ตอบ", "TMS1", "TMS2", "TMS3", *OTHER_ITEMS]]
    rows += [["กองคลัง", "5/11/2550", 9, 1, 1, *[1] * len(OTHER_ITEMS)] for _ in range(30)]
    xlsx(raw / "survey.xlsx", rows)
    with pytest.raises(InputError) as info:
        load_raw(raw)
    lines = str(info.value).splitlines()
    assert len(lines) == 21
    assert "… and 10 more cells like these in this column" in lines[-1]


def test_load_file_reads_one_survey_without_units(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", [["หน่วยงาน", "วันที่ตอบ", "TMS1", "TMS2", "TMS3",
                                       *OTHER_ITEMS],
                                      ["ไม่อยู่ในทะเบียน", "5/11/2550", 5, 4, 3,
                                       *[3] * len(OTHER_ITEMS)]])
    survey = load_file(path).survey
    assert survey[["TMS1", "TMS2", "TMS3"]].iloc[0].tolist() == [5, 4, 3]


@pytest.mark.parametrize(("header", "field"), [
    ("ชื่อ - นามสกุล", "name"), ("ชื่อ-สกุล", "name"), ("ชื่อ  นามสกุล", "name"),
    ("เลขประจำตัวประชาชน 13 หลัก", "national_id"), ("สำนัก/กอง", "unit"), ("Timestamp", "survey_date"),
    ("ประทับเวลา", "survey_date"), ("TMS1", "item:TMS1"), ("tms1", "item:TMS1"),
    ("แบบประเมิน [โครงการนี้เป็นประโยชน์ต่อตัวข้าพเจ้า]", "item:CA1"),
    ("ข้อ 1 โครงการนี้เป็นประโยชน์ต่อตัวข้าพเจ้า", "item:CA1"), ("สีเสื้อ", None),
])
def test_header_spellings(header: str, field: str | None) -> None:
    items = {header_key(i.code): i.code for i in load_instrument().items}
    items |= {header_key(i.text_th): i.code for i in load_instrument().items}
    assert classify_header(header, items) == field


def test_csv_written_by_excel_in_windows_874_with_semicolons(raw: Path) -> None:
    (raw / "att.csv").write_bytes(
        "ชื่อ-สกุล;หน่วยงาน;กิจกรรม;วันที่\nนายสมชาย ใจดี;กองคลัง;ทำบุญ;1/10/2550\n"
        .encode("cp874")
    )
    att = load_raw(raw).attendance
    assert att["fiscal_year"].tolist() == [2551] and att["activity"].tolist() == ["ทำบุญ"]


def test_ingest_does_not_mutate_or_chmod_raw(raw: Path) -> None:
    mode = os.stat(raw / "units.xlsx").st_mode
    load_raw(raw)
    assert os.stat(raw / "units.xlsx").st_mode == mode


def test_sources_yml_column_target_must_exist(raw: Path) -> None:
    (raw / "sources.yml").write_text("files:\n  a.xlsx:\n    columns: {ข้อ4: nmae}\n",
                                     encoding="utf-8")
    with pytest.raises(ConfigError, match=r"columns\['ข้อ4'\] = 'nmae' is neither a field"):
        load_raw(raw)


@pytest.mark.parametrize(("titles", "activity", "day"), [
    ([["วันจันทร์ที่ 5 พฤศจิกายน 2550"], ["กิจกรรม: อบรม"]], "อบรม", dt.date(2007, 11, 5)),
    ([["โครงการร่วมทำ เพื่อสร้างธรรม"], ["กิจกรรม", "เสวนาธรรม"], ["วันที่", "๕ พ.ย. ๒๕๕๐"]],
     "เสวนาธรรม", dt.date(2007, 11, 5)),
    ([["กิจกรรม:"], ["โครงการ: ทำบุญตักบาตร"], ["วันที่ 5/11/2550"]], "ทำบุญตักบาตร",
     dt.date(2007, 11, 5)),
])
def test_title_row_variants(raw: Path, titles: list, activity: str, day: dt.date) -> None:
    xlsx(raw / "signin.xlsx", [*titles, [], ["ที่", "ชื่อ-สกุล", "สังกัด"],
                               [1, "นายสมชาย ใจดี", "กองคลัง"]])
    att = load_raw(raw).attendance
    assert att["activity"].tolist() == [activity]
    assert att["date"].dt.date.tolist() == [day]


def test_same_unit_and_year_in_two_files_is_an_error(raw: Path) -> None:
    xlsx(raw / "units_extra.xlsx", [["หน่วยงาน", "อัตรากำลัง ปีงบประมาณ 2551"], ["กองคลัง", 999]])
    with pytest.raises(InputError, match="unit listed more than once for fiscal year 2551"):
        load_raw(raw)


def test_a_notes_sheet_beside_the_data_is_a_warning(raw: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "ข้อมูล"
    for row in [["ชื่อ-สกุล", "หน่วยงาน", "กิจกรรม", "วันที่"],
                ["นายสมชาย ใจดี", "กองคลัง", "อบรม", "5/11/2550"]]:
        wb.active.append(row)
    wb.create_sheet("หมายเหตุ").append(["ข้อมูลนี้รวบรวมโดยศูนย์ประสานฯ"])
    wb.save(raw / "attendance.xlsx")
    dataset = load_raw(raw)
    assert len(dataset.attendance) == 1
    assert any(w["sheet"] == "หมายเหตุ" and "sheet skipped" in w["message"]
               for w in dataset.warnings)


def test_csv_problem_location_reads_like_a_sheet_location(raw: Path) -> None:
    (raw / "att.csv").write_text("ชื่อ-สกุล,หน่วยงาน,กิจกรรม,วันที่\nนายสมชาย ใจดี,กองคลัง,อบรม,"
                                 "31/2/2551\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_raw(raw)
    assert str(info.value).startswith("att.csv: row 2, column D (วันที่): '31/2/2551'")


ROSTER_HEADER = ["ชื่อ-สกุล", "สำนัก/กอง", "บทบาท", "วันที่เข้าร่วม", "ผู้ชักชวน"]


def test_recruitment_cycle_is_an_error_naming_every_row(raw: Path) -> None:
    xlsx(raw / "roster.xlsx", [ROSTER_HEADER,
                               ["นายเอก หนึ่ง", "กองคลัง", "สมาชิกเครือข่าย", "5/11/2550",
                                "นายโท สอง"],
                               ["นายโท สอง", "กองคลัง", "สมาชิกเครือข่าย", "6/11/2550",
                                "นายเอก หนึ่ง"]], "ทะเบียน")
    with pytest.raises(InputError) as info:
        load_raw(raw)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    for row, line in zip((2, 3), lines, strict=True):
        assert line.startswith(f"roster.xlsx sheet 'ทะเบียน': row {row}, column E (ผู้ชักชวน)")
        assert "cycle" in line


def test_recruiter_missing_from_roster_is_a_warning(raw: Path) -> None:
    xlsx(raw / "roster.xlsx", [ROSTER_HEADER,
                               ["นายเอก หนึ่ง", "กองคลัง", "แกนนำ", "5/11/2550", ""],
                               ["นายโท สอง", "กองคลัง", "สมาชิกเครือข่าย", "6/11/2550",
                                "นางสาวไม่มี ในทะเบียน"]])
    dataset = load_raw(raw)
    (warning,) = [w for w in dataset.warnings if w["column"] == "E"]
    assert warning["row"] == 3 and warning["severity"] == "warning"
    assert "not in the roster" in warning["message"]
    assert "ไม่มี" not in str(dataset.warnings)  # the missing recruiter's name is not echoed
