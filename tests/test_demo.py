"""Tests of the synthetic demo dataset (``cleannet_eval.demo``)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cleannet_eval.demo import DEMO_FILES, FY_END, FY_START, national_id_check_digit, write_demo
from cleannet_eval.instruments import load_instrument

FY2550 = (FY_START[2550], FY_END[2550])
FY2551 = (FY_START[2551], FY_END[2551])

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."),
            ("พฤษภาคม", "พ.ค."), ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."),
            ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."), ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
        ],
        start=1,
    )
    for name in names
}
_TITLE = re.compile(r"^(นางสาว|นาง|นาย|ว่าที่ ร\.ต\.)\s*")


def parse_be(text: str) -> dt.date:
    """Parse the BE text dates the demo writes: d/m/yyyy or d <month> yyyy, any digits."""
    text = str(text).strip().translate(_THAI_DIGITS)
    if "/" in text:
        day, month, year = (int(x) for x in text.split("/"))
    else:
        day_s, month_s, year_s = text.split(" ")
        day, month, year = int(day_s), _MONTHS[month_s], int(year_s)
    return dt.date(year - 543, month, day)


def canonical_name(name: str) -> str:
    """A name with no space between the title and the first name."""
    match = _TITLE.match(name.strip())
    assert match, f"no title in {name!r}"
    return match.group(1) + name.strip()[match.end():]


def valid_id(value: object) -> bool:
    digits = re.sub(r"\D", "", str(int(value)) if isinstance(value, (int, float)) else str(value))
    if len(digits) != 13 or digits[0] not in "12345678":
        return False
    return national_id_check_digit(digits[:12]) == int(digits[12])


def in_range(day: dt.date, bounds: tuple[dt.date, dt.date]) -> bool:
    return bounds[0] <= day <= bounds[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "nested" / "raw"  # created by write_demo
    write_demo(out)
    return out


@pytest.fixture(scope="module")
def units(demo_dir: Path) -> pd.DataFrame:
    return pd.read_excel(demo_dir / "units.xlsx", engine="calamine", header=2)


@pytest.fixture(scope="module")
def roster(demo_dir: Path) -> pd.DataFrame:
    return pd.read_excel(
        demo_dir / "network_roster.xlsx", engine="calamine", header=3, dtype=str
    )


@pytest.fixture(scope="module")
def att2550(demo_dir: Path) -> pd.DataFrame:
    return pd.read_excel(demo_dir / "attendance_2550.xlsx", engine="calamine", header=1)


@pytest.fixture(scope="module")
def att2551(demo_dir: Path) -> pd.DataFrame:
    return pd.read_csv(
        demo_dir / "attendance_2551.csv", encoding="cp874", dtype=str, keep_default_na=False
    )


@pytest.fixture(scope="module")
def signins(demo_dir: Path) -> list[tuple[list[object], pd.DataFrame]]:
    out = []
    for i in (1, 2, 3):
        path = demo_dir / f"signin_2551_{i:02d}.xlsx"
        wb = openpyxl.load_workbook(path, read_only=True)
        top = [row[0] if row else None for row in wb.active.iter_rows(max_row=5, values_only=True)]
        wb.close()
        out.append((top, pd.read_excel(path, engine="calamine", header=5)))
    return out


@pytest.fixture(scope="module")
def survey2550(demo_dir: Path) -> pd.DataFrame:
    return pd.read_excel(demo_dir / "survey_2550.xlsx", engine="calamine", header=3)


@pytest.fixture(scope="module")
def survey2551(demo_dir: Path) -> pd.DataFrame:
    return pd.read_csv(
        demo_dir / "survey_2551_google_forms.csv",
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )


# ---------------------------------------------------------------------------------------------
# Files, determinism
# ---------------------------------------------------------------------------------------------


def test_writes_every_file_sorted_and_small(demo_dir: Path) -> None:
    assert sorted(p.name for p in demo_dir.iterdir()) == sorted(DEMO_FILES)
    assert len(DEMO_FILES) == 9
    total = sum((demo_dir / name).stat().st_size for name in DEMO_FILES)
    assert total < 1_000_000


def test_same_seed_same_bytes_other_seed_other_survey(demo_dir: Path, tmp_path: Path) -> None:
    again = write_demo(tmp_path / "again")
    assert [p.name for p in again] == sorted(DEMO_FILES)
    assert [p.parent for p in again] == [tmp_path / "again"] * len(DEMO_FILES)
    for path in again:
        assert sha256(path) == sha256(demo_dir / path.name), path.name
    other = write_demo(tmp_path / "other", seed=7)
    by_name = {p.name: p for p in other}
    assert sha256(by_name["survey_2550.xlsx"]) != sha256(demo_dir / "survey_2550.xlsx")
    assert sha256(by_name["survey_2551_google_forms.csv"]) != sha256(
        demo_dir / "survey_2551_google_forms.csv"
    )


def test_overwrites_in_place_without_leftovers(tmp_path: Path) -> None:
    write_demo(tmp_path, seed=1, scale=0.2)
    write_demo(tmp_path, seed=1, scale=0.2)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DEMO_FILES)


def test_workbook_timestamps_are_fixed(demo_dir: Path) -> None:
    wb = openpyxl.load_workbook(demo_dir / "units.xlsx", read_only=True)
    assert wb.properties.created == wb.properties.modified == dt.datetime(2008, 1, 1)
    wb.close()


def test_scale_changes_sizes_and_rejects_nonpositive(tmp_path: Path) -> None:
    write_demo(tmp_path, scale=0.25)
    survey = pd.read_excel(tmp_path / "survey_2550.xlsx", engine="calamine", header=3)
    assert 80 <= len(survey) <= 120
    with pytest.raises(ValueError, match="scale"):
        write_demo(tmp_path / "bad", scale=0)


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------


def _rows(path: Path, n: int) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(r) for r in wb.active.iter_rows(max_row=n, values_only=True)]
    title = wb.active.title
    wb.close()
    return [(title,), *rows]


def test_header_rows_where_described(demo_dir: Path) -> None:
    codes = load_instrument().item_codes
    expected = {
        "units.xlsx": ("อัตรากำลัง", 3, ["ลำดับ", "หน่วยงาน", "สังกัด",
                                        "อัตรากำลัง ปีงบประมาณ 2550",
                                        "อัตรากำลัง ปีงบประมาณ 2551"]),
        "network_roster.xlsx": ("ทะเบียนเครือข่าย", 4, [
            "ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "สำนัก/กอง", "ประเภทบุคลากร", "บทบาท",
            "วันที่เข้าร่วม", "ผู้ชักชวน", "วันที่พ้นสภาพ", "สาเหตุการพ้นสภาพ"]),
        "attendance_2550.xlsx": ("ผู้เข้าร่วมกิจกรรม", 2, [
            "ลำดับ", "ชื่อ - นามสกุล", "เลขประจำตัวประชาชน", "หน่วยงาน", "ประเภทบุคลากร",
            "บทบาท", "กิจกรรม", "วันที่"]),
        "signin_2551_01.xlsx": ("ใบลงชื่อ", 6, [
            "ที่", "ชื่อ-สกุล", "สังกัด", "ประเภทบุคลากร", "บทบาท", "ลายมือชื่อ"]),
        "survey_2550.xlsx": ("แบบสอบถาม", 4, [
            "เลขที่แบบสอบถาม", "หน่วยงาน", "ประเภทบุคลากร", "บทบาท", "วันที่ตอบ", *codes,
            "ข้อเสนอแนะ"]),
    }
    for name, (sheet, header_row, header) in expected.items():
        rows = _rows(demo_dir / name, header_row)
        assert rows[0] == (sheet,), name
        assert list(rows[header_row]) == header, name
        for row in rows[1:header_row]:  # title rows have text in the first cell only
            assert all(v is None for v in row[1:]), name
    assert _rows(demo_dir / "units.xlsx", 3)[1][0] == "ข้อมูลหน่วยงานและอัตรากำลัง กรมการปกครอง"
    roster_top = [r[0] if r else None for r in _rows(demo_dir / "network_roster.xlsx", 3)[1:]]
    assert roster_top == ["ทะเบียนแกนนำและสมาชิกเครือข่ายราชการใสสะอาด",
                          "ศูนย์ประสานราชการใสสะอาด กรมการปกครอง", None]
    survey_top = [r[0] if r else None for r in _rows(demo_dir / "survey_2550.xlsx", 3)[1:]]
    assert survey_top == ["ผลการสำรวจความคิดเห็นต่อโครงการร่วมทำ เพื่อสร้างธรรม นำใจใสสะอาด",
                          "ปีงบประมาณ พ.ศ. 2550", None]


def test_calamine_reads_with_header_rows(
    units: pd.DataFrame, roster: pd.DataFrame, att2550: pd.DataFrame, survey2550: pd.DataFrame
) -> None:
    assert list(units.columns)[:2] == ["ลำดับ", "หน่วยงาน"]
    assert "ผู้ชักชวน" in roster.columns
    assert pd.api.types.is_datetime64_any_dtype(att2550["วันที่"])
    assert "TMS5" in survey2550.columns


def test_csv_headers(demo_dir: Path, att2551: pd.DataFrame, survey2551: pd.DataFrame) -> None:
    assert list(att2551.columns) == ["ลำดับ", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "หน่วยงาน",
                                     "ประเภทบุคลากร", "บทบาท", "กิจกรรม", "วันที่"]
    questions = [f"{i}. {it.text_th}" for i, it in enumerate(load_instrument().items, start=1)]
    assert list(survey2551.columns) == [
        "ประทับเวลา", "หน่วยงานของท่าน", "ประเภทบุคลากร", "บทบาทในเครือข่าย", *questions,
        "ข้อเสนอแนะเพิ่มเติม",
    ]
    raw = (demo_dir / "survey_2551_google_forms.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len({len(r) for r in rows}) == 1  # quoting keeps every row the same width


def test_cp874_csv_is_not_utf8(demo_dir: Path) -> None:
    raw = (demo_dir / "attendance_2551.csv").read_bytes()
    raw.decode("cp874")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------


def test_units(units: pd.DataFrame) -> None:
    assert 14 <= len(units) <= 20
    assert units["หน่วยงาน"].is_unique
    parents = units["สังกัด"].dropna()
    assert 1 <= len(parents) < len(units) / 2
    assert set(parents) <= set(units["หน่วยงาน"])
    for col in ("อัตรากำลัง ปีงบประมาณ 2550", "อัตรากำลัง ปีงบประมาณ 2551"):
        assert units[col].between(50, 900).all()
    assert (units["อัตรากำลัง ปีงบประมาณ 2550"] != units["อัตรากำลัง ปีงบประมาณ 2551"]).any()


def test_roster_people_cascades_and_exits(roster: pd.DataFrame) -> None:
    ids = roster["เลขประจำตัวประชาชน"].str.replace("-", "")
    leaders = roster[roster["บทบาท"] == "แกนนำ"]
    members = roster[roster["บทบาท"] == "สมาชิกเครือข่าย"]
    assert len(leaders) + len(members) == len(roster)
    assert 50 <= ids[leaders.index].nunique() <= 70
    assert 150 <= ids[members.index].nunique() <= 800
    first_cohort = leaders[leaders["วันที่เข้าร่วม"].map(parse_be) <= dt.date(2007, 3, 31)]
    per_unit = first_cohort.groupby("สำนัก/กอง").size()
    assert per_unit.between(2, 7).all() and per_unit.median() <= 4
    assert leaders["ผู้ชักชวน"].isna().all()
    # recruiters are roster people (the title may or may not be followed by a space)
    names = {canonical_name(n) for n in roster["ชื่อ-สกุล"]}
    recruiters = {canonical_name(n) for n in members["ผู้ชักชวน"]}
    assert recruiters <= names
    assert len({canonical_name(n) for n in roster["ชื่อ-สกุล"]}) == ids.nunique()
    # dates: all in the two fiscal years, leaving after joining
    joined = roster["วันที่เข้าร่วม"].map(parse_be)
    assert joined.map(lambda d: in_range(d, (FY2550[0], FY2551[1]))).all()
    assert joined.map(lambda d: in_range(d, FY2551)).any()
    left_rows = roster[roster["วันที่พ้นสภาพ"].notna()]
    left = left_rows["วันที่พ้นสภาพ"].map(parse_be)
    assert (left > joined[left_rows.index]).all()
    assert left.map(lambda d: d <= FY2551[1]).all()
    assert roster["สาเหตุการพ้นสภาพ"].notna().sum() == len(left_rows)
    reasons = left_rows["สาเหตุการพ้นสภาพ"]
    assert set(reasons) <= {"โยกย้าย", "แต่งตั้งโยกย้าย", "เกษียณอายุราชการ", "ลาออก"}
    leader_reasons = leaders["สาเหตุการพ้นสภาพ"].dropna()
    transfers = leader_reasons.isin(["โยกย้าย", "แต่งตั้งโยกย้าย"]).sum()
    assert 0.08 <= transfers / len(leaders) <= 0.25
    assert {"เกษียณอายุราชการ", "ลาออก"} <= set(reasons)
    # text dates come in several styles, some with Thai digits
    text = roster["วันที่เข้าร่วม"]
    assert text.str.contains("/").any() and text.str.contains(r"\.").any()
    assert text.str.contains("[๐-๙]").any()
    # re-entry: the same person again with a later joined date
    repeated = ids[ids.duplicated(keep=False)]
    assert 1 <= repeated.nunique() <= 4
    for nid in repeated.unique():
        rows = roster[ids == nid]
        first, second = rows.index[0], rows.index[-1]
        assert parse_be(rows.loc[second, "วันที่เข้าร่วม"]) > parse_be(
            rows.loc[first, "วันที่พ้นสภาพ"]
        )
    # cascades deeper than one step: some recruiters are members themselves
    member_names = {canonical_name(n) for n in members["ชื่อ-สกุล"]}
    assert recruiters & member_names
    # a couple of units end FY2551 without an active leader
    active = leaders[leaders["วันที่พ้นสภาพ"].isna()]["สำนัก/กอง"].unique()
    assert 1 <= roster["สำนัก/กอง"].nunique() - len(active) <= 3


def test_national_ids_have_valid_check_digits(
    roster: pd.DataFrame, att2550: pd.DataFrame, att2551: pd.DataFrame
) -> None:
    values = [
        *roster["เลขประจำตัวประชาชน"],
        *att2550["เลขประจำตัวประชาชน"].dropna(),
        *[v for v in att2551["เลขประจำตัวประชาชน"] if v],
    ]
    assert len(values) > 2000
    bad = [v for v in values if not valid_id(v)]
    assert bad == []
    # by hand: 1*13 + 1*12 + 0 + 1*10 + 7*9 + 0 + 0 + 2*6 + 0 + 3*4 + 4*3 + 5*2 = 144;
    # 144 % 11 = 1; (11 - 1) % 10 = 0.
    assert national_id_check_digit("110170020345") == 0
    # 1*13 + 2*12 + 3*11 + 4*10 + 5*9 + 6*8 + 7*7 + 8*6 + 9*5 + 0*4 + 1*3 + 2*2 = 352;
    # 352 % 11 = 0; (11 - 0) % 10 = 1
    assert national_id_check_digit("123456789012") == 1


def test_attendance(
    att2550: pd.DataFrame,
    att2551: pd.DataFrame,
    signins: list[tuple[list[object], pd.DataFrame]],
    roster: pd.DataFrame,
) -> None:
    sign = pd.concat([df for _top, df in signins])
    total = len(att2550) + len(att2551) + len(sign)
    assert total >= 2000
    activities = set(att2550["กิจกรรม"]) | set(att2551["กิจกรรม"])
    signin_names = {str(top[1]).removeprefix("กิจกรรม: ") for top, _df in signins}
    assert not activities & signin_names
    assert 20 <= len(activities | signin_names) <= 30
    # dates: real dates in FY2550, BE text in FY2551
    assert att2550["วันที่"].map(lambda d: in_range(d.date(), FY2550)).all()
    assert att2551["วันที่"].map(lambda d: in_range(parse_be(d), FY2551)).all()
    for top, _df in signins:
        assert top[0] == "ใบลงทะเบียนผู้เข้าร่วมกิจกรรม"
        assert str(top[2]).startswith("วันที่ ") and re.search("[๐-๙]", str(top[2]))
        assert in_range(parse_be(str(top[2]).removeprefix("วันที่ ")), FY2551)
        assert str(top[3]).startswith("ณ ห้องประชุม") and str(top[3]).endswith("กรมการปกครอง")
        assert top[4] is None
    assert any(df["ที่"].astype(str).str.contains("[๐-๙]").any() for _t, df in signins)
    assert all(df["ลายมือชื่อ"].isna().all() for _t, df in signins)
    # roles and citizens
    roles = pd.concat([att2550["บทบาท"], att2551["บทบาท"], sign["บทบาท"]])
    assert set(roles) == {"แกนนำ", "สมาชิกเครือข่าย", "ผู้เข้าร่วม"}
    staff = pd.concat([att2550["ประเภทบุคลากร"], att2551["ประเภทบุคลากร"],
                       sign["ประเภทบุคลากร"]])
    share = (staff == "ภาคประชาชน").mean()
    assert 0.02 <= share <= 0.07
    citizens = att2550[att2550["ประเภทบุคลากร"] == "ภาคประชาชน"]
    assert citizens["หน่วยงาน"].isna().all() and citizens["เลขประจำตัวประชาชน"].isna().all()
    citizens = att2551[att2551["ประเภทบุคลากร"] == "ภาคประชาชน"]
    assert (citizens["หน่วยงาน"] == "").all() and (citizens["เลขประจำตัวประชาชน"] == "").all()
    staff_rows = att2550[att2550["ประเภทบุคลากร"] != "ภาคประชาชน"]
    assert staff_rows["เลขประจำตัวประชาชน"].isna().any()  # some IDs left blank
    assert staff_rows["หน่วยงาน"].notna().all()
    # leaders attend most activities, members some
    leader_ids = set(roster.loc[roster["บทบาท"] == "แกนนำ", "เลขประจำตัวประชาชน"])
    per_leader = att2550[att2550["เลขประจำตัวประชาชน"].isin(leader_ids)].groupby(
        "เลขประจำตัวประชาชน"
    ).size()
    assert per_leader.median() >= 4


def test_every_unit_used_is_listed(
    units: pd.DataFrame,
    roster: pd.DataFrame,
    att2550: pd.DataFrame,
    att2551: pd.DataFrame,
    signins: list[tuple[list[object], pd.DataFrame]],
    survey2550: pd.DataFrame,
    survey2551: pd.DataFrame,
) -> None:
    listed = set(units["หน่วยงาน"])
    used = (
        set(roster["สำนัก/กอง"])
        | set(att2550["หน่วยงาน"].dropna())
        | (set(att2551["หน่วยงาน"]) - {""})
        | {u for _t, df in signins for u in df["สังกัด"].dropna()}
        | set(survey2550["หน่วยงาน"])
        | set(survey2551["หน่วยงานของท่าน"])
    )
    assert used <= listed
    assert len(used) == len(listed)


def test_survey_2550(survey2550: pd.DataFrame) -> None:
    inst = load_instrument()
    codes = inst.item_codes
    assert 350 <= len(survey2550) <= 450
    assert survey2550["เลขที่แบบสอบถาม"].str.fullmatch(r"50-\d{4}").all()
    assert survey2550["เลขที่แบบสอบถาม"].is_unique
    answers = survey2550[codes]
    assert set(np.unique(answers.stack().dropna())) <= {1, 2, 3, 4, 5}
    missing = answers.isna().to_numpy().mean()
    assert 0.01 <= missing <= 0.06
    assert survey2550["วันที่ตอบ"].map(lambda d: in_range(parse_be(d), FY2550)).all()
    assert set(survey2550["ประเภทบุคลากร"]) == {"ข้าราชการ", "ลูกจ้าง", "พนักงานราชการ"}
    comments = survey2550["ข้อเสนอแนะ"]
    assert 0.03 <= comments.notna().mean() <= 0.3
    # factor structure and means; TMS5 is stored as answered (reverse-worded)
    assert answers["TMS5"].mean() < 2.5
    scored = answers.copy()
    scored["TMS5"] = 6 - scored["TMS5"]
    means = {f.key: scored[[i.code for i in f.items]].mean(axis=1).mean() for f in inst.factors}
    assert max(means, key=means.get) == "top_management_support"
    assert min(means, key=means.get) == "client_acceptance"
    assert 4.0 <= means["top_management_support"] <= 4.4
    assert 3.2 <= means["client_acceptance"] <= 3.6
    assert scored[["PS4", "PS5"]].mean().between(2.7, 3.3).all()
    corr = scored.corr()
    assert corr.loc["TMS1", "TMS2"] > 0.2 and corr.loc["TMS1", "TMS5"] > 0.1


def test_survey_2551_google_forms(
    survey2550: pd.DataFrame, survey2551: pd.DataFrame
) -> None:
    inst = load_instrument()
    labels = inst.scale.labels_th
    assert 350 <= len(survey2551) <= 450
    assert 700 <= len(survey2550) + len(survey2551) <= 900
    stamps = survey2551["ประทับเวลา"]
    assert stamps.str.fullmatch(r"\d{1,2}/\d{1,2}/2551, \d{1,2}:\d{2}:\d{2}").all()
    assert stamps.map(lambda s: in_range(parse_be(s.split(",")[0]), FY2551)).all()
    answers = survey2551.iloc[:, 4:-1]
    assert answers.shape[1] == 23
    values = set(np.unique(answers.to_numpy()))
    assert values <= set(labels.values()) | {""}
    assert 0.01 <= (answers == "").to_numpy().mean() <= 0.06
    inverse = {v: k for k, v in labels.items()}
    scores = answers.replace("", np.nan).apply(lambda c: c.map(inverse)).astype(float)
    scores.columns = inst.item_codes
    scores["TMS5"] = 6 - scores["TMS5"]
    ca_2551 = scores[[i.code for i in inst.factor("client_acceptance").items]].mean(axis=1).mean()
    old = survey2550[[i.code for i in inst.factor("client_acceptance").items]]
    assert ca_2551 > old.mean(axis=1).mean()
    assert set(survey2551["บทบาทในเครือข่าย"]) <= {"แกนนำ", "สมาชิกเครือข่าย",
                                                   "ผู้เข้าร่วมกิจกรรม"}
    assert "ภาคประชาชน" not in set(survey2551["ประเภทบุคลากร"])
