"""Bad input: every case of the corpus in tests/corpus/ gives one clear line per problem
naming file, sheet, row, column letter and header, exit status 2, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleannet_eval.cli import main

from conftest import CORPUS, tree_digest

CASES = {
    "missing_column": [
        "attendance.xlsx sheet 'Sheet1': row 2: missing required column for an attendance "
        "sheet: วันที่ or a title row 'วันที่ …'",
    ],
    "answer_out_of_scale": [
        "survey.xlsx sheet 'แบบสอบถาม': row 6, column F (TMS1): '7' — answer out of scale; "
        "expected a whole number 1–5 or a label มากที่สุด … น้อยที่สุด",
        "row 6, column H (TMS3): 'ดีมาก' — answer out of scale",
        "row 6, column J (PM2): '0' — answer out of scale",
    ],
    "bad_date": [
        "survey.xlsx sheet 'แบบสอบถาม': row 6, column E (วันที่ตอบ): '31/2/2551' — no such day",
        "row 7, column E (วันที่ตอบ): 'ไม่ทราบ' — not a date; expected a date such as 5/11/2550",
        "row 8, column E (วันที่ตอบ): '5/11/2650' — date out of range",
    ],
    "duplicate_respondent": [
        "survey.xlsx sheet 'แบบสอบถาม': row 7, column A (เลขที่แบบสอบถาม): '51-001' — duplicate "
        "respondent: the same questionnaire number already appears in survey.xlsx row 5",
    ],
    "unknown_unit": [
        "survey.xlsx sheet 'แบบสอบถาม': row 6, column B (หน่วยงาน): 'กองที่ไม่มีจริง' — unknown "
        "unit; not in the units table (valid: กองคลัง, สำนักบริหารการทะเบียน)",
    ],
    "empty_sheet": [
        "empty.xlsx sheet 'Sheet1': the sheet is empty",
        "header_only.xlsx sheet 'Sheet1': row 1: the sheet has the header of an attendance sheet "
        "on row 1 but no data rows",
    ],
    "not_a_spreadsheet": [
        "attendance.xlsx: is a PDF document, not an Excel workbook",
        "export.xlsx: is an HTML page, not an Excel workbook",
        "old.xls: legacy .xls workbooks are not read; open it in Excel or LibreOffice and save "
        "as .xlsx",
    ],
    "locked_workbook": ["survey_locked.xlsx: is password-protected"],
    "corrupt_workbook": ["survey.xlsx: is a corrupt or unreadable Excel workbook"],
    "wrong_encoding": [
        "attendance_bad_bytes.csv: wrong encoding: byte 0x",
        "attendance_utf16.csv: wrong encoding: the file holds NUL bytes",
    ],
    "bad_values": [
        "roster.xlsx sheet 'ทะเบียน': row 3, column I (วันที่พ้นสภาพ): '1/10/2550' — left date is "
        "before the joined date of the same row",
        "row 4, column B (เลขประจำตัวประชาชน): not a valid national "
        "ID; expected 13 digits with a correct check digit",
        "row 4, column E (ประเภทบุคลากร): 'พนักงาน' — unknown staff type; expected one of: "
        "ข้าราชการ, ลูกจ้าง, พนักงานราชการ, ภาคประชาชน",
        "row 4, column F (บทบาท): 'หัวหน้า' — unknown role",
        "row 4, column G (วันที่เข้าร่วม): joined date is empty",
        "row 4, column J (สาเหตุการพ้นสภาพ): 'ไปเที่ยว' — unknown reason for leaving",
    ],
}


def test_every_corpus_case_is_listed() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_nothing_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = CORPUS / case
    before = tree_digest(raw)
    out = tmp_path / "processed"
    out.mkdir()
    (out / "keep.txt").write_text("earlier results")

    status = main(["ingest", "--raw", str(raw), "--out", str(out)])

    err = capsys.readouterr().err
    assert status == 2
    for expected in CASES[case]:
        assert expected in err, f"missing: {expected}\n--- got:\n{err}"
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == len(CASES[case])  # one line per problem, nothing extra
    assert "Traceback" not in err
    assert "nothing was written" in err
    # The earlier output is left exactly as it was, and the raw folder is untouched.
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert tree_digest(raw) == before
    assert not list(tmp_path.glob(".processed.*"))  # no staging folder left behind


def test_problem_lines_never_show_a_national_id(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    main(["ingest", "--raw", str(CORPUS / "bad_values"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert "1101700203582" not in err
    assert "value hidden: personal data" in err
