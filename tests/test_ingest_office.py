"""Office files as they really come (issue #12): reworded questions matched by similarity,
too few items, agreement/satisfaction scales, sign-in sheets with unlabelled title rows, dates
in title lines or file names, two-row headers, and ``instrument draft``.

The corpus is tests/corpus/_office/ (written by tests/corpus/make_office_corpus.py); its
expected.json holds what the generator wrote: the item of every question column, every
activity and date, and each item's mean computed from the answers by plain arithmetic.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cleannet_eval.cli import main
from cleannet_eval.dataset import read_processed
from cleannet_eval.errors import InputError, InstrumentError
from cleannet_eval.ingest.draft import draft_instrument
from cleannet_eval.ingest.pipeline import load_raw
from cleannet_eval.ingest.questions import match_questions, question_text, tokenize
from cleannet_eval.ingest.recognised import recognition_table
from cleannet_eval.ingest.signin import file_name_activity, file_name_date, find_date
from cleannet_eval.instruments import load_instrument

from conftest import CORPUS, tree_digest

OFFICE = CORPUS / "_office"
GOOD = OFFICE / "good"
EXPECTED = json.loads((OFFICE / "expected.json").read_text(encoding="utf-8"))
AGREEMENT_FILE = "แบบสอบถามความคิดเห็น.xlsx"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory):
    """The good folder ingested once, and read back from the processed folder."""
    out = tmp_path_factory.mktemp("office") / "processed"
    assert main(["-q", "ingest", "--raw", str(GOOD), "--out", str(out)]) == 0
    return read_processed(out)


def _sheet(dataset, file: str) -> dict:
    (sheet,) = [r for r in dataset.recognised if r["file"] == file]
    return sheet


# ------------------------------------------------------------------ questions by similarity


@pytest.mark.parametrize("file", sorted(EXPECTED["surveys"]))
def test_every_survey_reads_its_items_and_means(office, file: str) -> None:
    expected = EXPECTED["surveys"][file]
    survey = office.survey[office.survey["source_file"] == file]
    assert len(survey) == expected["respondents"]
    for code, mean in expected["means"].items():
        assert survey[code].mean() == pytest.approx(mean, abs=1e-8), code
    columns = _sheet(office, file)["columns"]
    by_similarity = sorted(c["field"][5:] for c in columns if c["how"] == "similarity")
    assert by_similarity == expected["similar"]


def test_google_forms_columns_map_to_the_items_meant(office) -> None:
    file = "แบบประเมินโครงการ (การตอบกลับ).csv"
    columns = {c["column"]: c for c in _sheet(office, file)["columns"]}
    for letter, code in EXPECTED["surveys"][file]["columns"].items():
        assert columns[letter]["field"] == f"item:{code}", letter
    assert columns["E"]["how"] == "similarity" and 60 <= columns["E"]["similarity"] < 100
    assert columns["D"]["how"] == "question text"  # "1. <the instrument's text>"


def test_a_mapping_is_one_warning_naming_column_item_and_similarity(office) -> None:
    mapped = [w for w in office.warnings if w["message"].startswith("question matched")]
    assert len(mapped) == sum(len(s["similar"]) for s in EXPECTED["surveys"].values())
    (tms2,) = [w for w in mapped if w["file"].endswith("(การตอบกลับ).csv") and w["column"] == "E"]
    assert tms2["header"].startswith("2. โครงการได้รับงบประมาณ")
    assert re.search(r"to item TMS2 \('.+'\), similarity \d+%", tms2["message"])


def test_vague_and_foreign_questions_are_never_guessed(office) -> None:
    expected = EXPECTED["surveys"][AGREEMENT_FILE]
    unread = {w["column"]: w["message"] for w in office.warnings if w["file"] == AGREEMENT_FILE
              and w["message"].startswith("column not recognised")}
    assert set(unread) == set(expected["unread"])
    vague = unread["V"]
    assert "similar to more than one item, so not guessed" in vague
    assert re.search(r"closest: CA1 \d+%, CA2 \d+%", vague)
    assert ('add to data/raw/sources.yml: files: {"แบบสอบถามความคิดเห็น.xlsx": {columns: '
            '{"โครงการนี้เป็นประโยชน์": CA1}}}') in vague
    assert "not similar enough to any item" in unread["Z"]
    survey = office.survey[office.survey["source_file"] == AGREEMENT_FILE]
    assert survey["CA1"].isna().all() and survey["CA2"].isna().all()


def test_the_suggested_sources_line_maps_the_column(office, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(GOOD, raw)
    (vague,) = [w["message"] for w in office.warnings
                if w["file"] == AGREEMENT_FILE and w["column"] == "V"]
    line = vague.split("add to data/raw/sources.yml: ", 1)[1]
    (raw / "sources.yml").write_text(line + "\n", encoding="utf-8")
    survey = load_raw(raw).survey
    mine = survey[survey["source_file"] == AGREEMENT_FILE]
    assert mine["CA1"].notna().all() and len(mine) == EXPECTED["surveys"][AGREEMENT_FILE][
        "respondents"]


def test_two_columns_never_take_the_same_item() -> None:
    text = "ผู้บังคับบัญชาเปิดโอกาสให้ท่านเข้าร่วมกิจกรรมในเวลาราชการ"
    found = match_questions({3: text, 7: text + "เสมอ"}, load_instrument())
    assert [m.code for m in found] == [None, None]
    assert {m.reason for m in found} == {"ambiguous"}
    assert all(m.candidates[0][0] == "TMS4" for m in found)
    # With the item already read from another column, the look-alike is not read twice.
    (taken,) = match_questions({3: text}, load_instrument(), taken={"TMS4"})
    assert taken.code is None and taken.reason == "taken"


@pytest.mark.parametrize(("header", "text"), [
    ("17. ข้าพเจ้าเข้าใจ", "ข้าพเจ้าเข้าใจ"),
    ("ข้อ ๑๗ ท่านเข้าใจ\u200bวัตถุประสงค์ (R)", "ท่านเข้าใจวัตถุประสงค์"),
    ("ข้อที่ 3) คุณยินดีเข้าร่วม *", "คุณยินดีเข้าร่วม"),
    ("ส่วนที่ 2 [ท่านคิดว่าโครงการนี้เป็นประโยชน์มากน้อยเพียงใด]", "โครงการนี้เป็นประโยชน์"),
])
def test_question_text_normalisation(header: str, text: str) -> None:
    assert question_text(header) == text


def test_pronouns_are_one_token_and_the_cut_dictionary_tokenises_like_the_full_one() -> None:
    from pythainlp.tokenize import word_tokenize

    texts = ["ข้าพเจ้ายินดีเข้าร่วมกิจกรรมของโครงการอีกในอนาคต",
             "กำลังคน เครื่องมือ และทรัพยากรที่จำเป็นได้รับการจัดเตรียมไว้พร้อม"]
    full = [[w for w in word_tokenize(t, engine="newmm", keep_whitespace=False) if w.strip()]
            for t in texts]
    assert tokenize(texts)[1] == full[1]
    assert tokenize(texts)[0][1:] == full[0][1:]
    assert tokenize(["ท่านยินดี"])[0][0] == tokenize(["คุณยินดี"])[0][0] == tokenize(
        ["ข้าพเจ้ายินดี"])[0][0]


# ------------------------------------------------------------------------- answer scales


def test_each_column_s_scale_is_recognised_and_recorded(office) -> None:
    for file, expected in EXPECTED["surveys"].items():
        scales = {c["scale"] for c in _sheet(office, file)["columns"] if c.get("scale")}
        assert scales == set(expected["scales"]), file
    table = recognition_table(office)
    scales = table[table["what"] == "answer scale"].set_index("file")
    assert scales.loc[AGREEMENT_FILE, "text"] == "agreement"
    assert scales.loc[AGREEMENT_FILE, "columns"] == "D–U, W–Y"  # V and Z were not read
    similar = table[table["how"] == "similarity"]
    assert len(similar) == sum(len(s["similar"]) for s in EXPECTED["surveys"].values())


# ------------------------------------------------------------------------- sign-in sheets


@pytest.mark.parametrize("file", sorted(EXPECTED["attendance"]))
def test_sign_in_sheet_activity_and_date(office, file: str) -> None:
    expected = EXPECTED["attendance"][file]
    rows = office.attendance[office.attendance["source_file"] == file]
    assert len(rows) == expected["people"]
    assert set(rows["activity"]) == {expected["activity"]}
    assert set(rows["date"].dt.date) == {dt.date.fromisoformat(expected["date"])}
    sheet = _sheet(office, file)
    assert sheet["title"]["activity_from"] == expected["activity_from"]
    assert sheet["title"]["date_from"] == expected["date_from"]
    assert sheet.get("group_heading_row") == expected.get("group_heading_row")


def test_two_row_header_reads_the_real_headers(office) -> None:
    sheet = _sheet(office, "เสวนาธรรม ก.พ. 51.xlsx")
    fields = {c["column"]: c["field"] for c in sheet["columns"]}
    assert fields == {"A": "seq", "B": "name", "C": "unit", "D": "staff_type", "E": "ignore"}
    (record,) = [r for r in office.inputs if r["file"] == "เสวนาธรรม ก.พ. 51.xlsx"]
    assert record["sheets"][0]["header_row"] == 7


@pytest.mark.parametrize(("text", "day"), [
    ("วันที่ ๒๐ ธันวาคม ๒๕๕๐", dt.date(2007, 12, 20)),
    ("วันที่ 5 ก.พ. 2551 เวลา 09.00 - 12.00 น.", dt.date(2008, 2, 5)),
    ("วันที่ ๒ เม.ย. ๕๑", dt.date(2008, 4, 2)),
    ("วันพฤหัสบดีที่ ๒๑ กุมภาพันธ์ พ.ศ. ๒๕๕๑", dt.date(2008, 2, 21)),
    ("วันที่ 21 March 2008", dt.date(2008, 3, 21)),
    ("วันที่ 14/12/50", dt.date(2007, 12, 14)),
    ("ณ ห้องประชุม", None),
])
def test_dates_in_title_lines(text: str, day: dt.date | None) -> None:
    assert find_date(text) == day


@pytest.mark.parametrize(("name", "activity", "day"), [
    ("ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50.xlsx", "อบรมแกนนำ", dt.date(2007, 12, 20)),
    ("แบบลงทะเบียน_เสวนาธรรม_5-2-2551.xlsx", "เสวนาธรรม", dt.date(2008, 2, 5)),
    ("signin_2551_01.xlsx", None, None),
])
def test_activity_and_date_in_file_names(name: str, activity: str | None,
                                         day: dt.date | None) -> None:
    assert file_name_activity(name) == activity
    assert file_name_date(name) == day


# ----------------------------------------------------------------- errors: exit 2, one line

ERRORS = {
    "too_few_items": [
        "แบบประเมินกิจกรรม.csv: row 1: only 6 of the 23 items of instrument 'cleannet5' were "
        "recognised (question columns not matched: I, J, K, L, M, N, O, P); at least 14 (60%) "
        "are needed — map the question columns to item codes in data/raw/sources.yml, or draft "
        "an instrument from this survey with 'cleannet-eval instrument draft",
    ],
    "mixed_scale": [
        "survey.xlsx sheet 'ตอบ': row 4, column I (PM2): 'พึงพอใจมาก' — answer on another scale "
        "than the rest of the column, which uses agreement (เห็นด้วยอย่างยิ่ง … ไม่เห็นด้วยอย่างยิ่ง)",
    ],
    "no_activity_or_date": [
        "signin.xlsx sheet 'Sheet1': row 3: missing required column for an attendance sheet: "
        "กิจกรรม or a title row 'กิจกรรม: …' (header is on row 3); looked for a กิจกรรม column in "
        "row 3, in the title rows 1–2",
        "missing required column for an attendance sheet: วันที่ or a title row 'วันที่ …' "
        "(header is on row 3); looked for a วันที่ column in row 3, in the title rows 1–2 for a "
        "line starting with วันที่, and in the file name 'signin.xlsx'",
    ],
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_office_error_cases(case: str, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    raw = OFFICE / "errors" / case
    before = tree_digest(raw)
    out = tmp_path / "processed"
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for expected in ERRORS[case]:
        assert expected in err, f"missing: {expected}\n--- got:\n{err}"
    assert len([ln for ln in err.splitlines() if ln.startswith("error: ")]) == len(ERRORS[case])
    assert "Traceback" not in err and not out.exists() and tree_digest(raw) == before


def test_unknown_label_is_named_with_every_scale_it_could_have_been(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(OFFICE / "errors" / "mixed_scale", raw)
    import openpyxl

    book = openpyxl.load_workbook(raw / "survey.xlsx")
    book.active["F3"] = "ดีมาก"
    book.save(raw / "survey.xlsx")
    with pytest.raises(InputError) as info:
        load_raw(raw)
    assert ("row 3, column F (TMS4): 'ดีมาก' — answer out of scale; expected a whole number "
            "1–5 or a label มากที่สุด … น้อยที่สุด, เห็นด้วยอย่างยิ่ง … ไม่เห็นด้วยอย่างยิ่ง, "
            "พึงพอใจมากที่สุด … พึงพอใจน้อยที่สุด") in str(info.value)


# ---------------------------------------------------------------------- instrument draft


def test_draft_then_decide_then_ingest_and_score(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine.yaml"
    assert main(["instrument", "draft", str(GOOD / AGREEMENT_FILE), "--out", str(out)]) == 0
    assert "1 without a factor" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["scale"]["labels_th"][5] == "เห็นด้วยอย่างยิ่ง"
    assert data["scale"]["labels_th"][1] == "ไม่เห็นด้วยอย่างยิ่ง"
    items = {it["text_th"]: it for it in data["items"]}
    assert len(items) == 23  # 21 questions of the instrument, the vague one, the foreign one
    assert items["โครงการนี้เป็นประโยชน์"]["factor"] == "client_acceptance"  # CA1 or CA2
    assert items["ผู้บริหารไม่ค่อยติดตามผลงานของเครือข่าย (R)"]["reverse"] is True
    foreign = items[EXPECTED["surveys"][AGREEMENT_FILE]["unread"]["Z"]]
    assert foreign["factor"] is None
    assert re.search(rf"code: {foreign['code']}\n.*\n    factor: null  # decide: \w+ \(", text)

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD / "units.xlsx", raw)
    shutil.copy(GOOD / AGREEMENT_FILE, raw)
    status = main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "p"),
                   "--instrument", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and f"1 item(s) have no factor (factor: null): {foreign['code']}" in err
    with pytest.raises(InstrumentError, match=foreign["code"]):
        load_instrument(out)

    # The evaluator deletes the foreign question: the survey now reads and scores.
    block = re.search(rf"  - code: {foreign['code']}\n(?:    .*\n)+", text).group(0)
    decided = tmp_path / "decided.yaml"
    decided.write_text(text.replace(block, ""), encoding="utf-8")
    assert main(["-q", "ingest", "--raw", str(raw), "--out", str(tmp_path / "p"),
                 "--instrument", str(decided)]) == 0
    survey = read_processed(tmp_path / "p").survey
    means = EXPECTED["surveys"][AGREEMENT_FILE]["means"]
    for code in ("TMS1", "PM3", "CA5"):
        assert survey[code].mean() == pytest.approx(means[code], abs=1e-8)
    assert main(["score", str(raw / AGREEMENT_FILE), "--instrument", str(decided),
                 "--format", "csv", "--lang", "en", "--min-group-size", "1"]) == 0
    assert "Client Acceptance" in capsys.readouterr().out


def test_draft_never_writes_over_a_file_or_into_raw(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("# my decisions\n", encoding="utf-8")
    assert main(["instrument", "draft", str(GOOD / AGREEMENT_FILE), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# my decisions\n"


def test_draft_of_numbers_detects_the_scale() -> None:
    text = draft_instrument(GOOD / "สรุปผลแบบประเมิน กองคลัง.xlsx", today=dt.date(2008, 1, 1))
    data = yaml.safe_load(text)
    assert (data["scale"]["min"], data["scale"]["max"]) == (1, 5)
    assert [it["code"] for it in data["items"]] == load_instrument().item_codes
    assert all(it["factor"] for it in data["items"])
    assert "on 2008-01-01" in text


def test_recognition_table_lists_title_assumptions(office) -> None:
    table = recognition_table(office)
    rows = table[(table["file"] == "ใบลงชื่อ อบรมแกนนำ 20 ธ.ค. 50.xlsx")]
    assert rows.set_index("what")["how"].to_dict() == {"activity": "file name",
                                                       "date": "file name"}
    assert list(table.columns) == ["file", "sheet", "what", "columns", "text", "how", "detail"]
    assert isinstance(table, pd.DataFrame)
