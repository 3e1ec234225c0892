"""Tests of cleannet_eval.ingest.thai: Thai text, names, dates and fiscal years."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from cleannet_eval.calendar import (
    be_year,
    ce_year,
    fiscal_month,
    fiscal_year_bounds,
    fiscal_year_of,
    fiscal_years,
)
from cleannet_eval.ingest import thai
from cleannet_eval.ingest.thai import (
    THAI_DIGITS,
    date_error,
    format_thai_date,
    normalize_name,
    normalize_text,
    parse_date,
    parse_dates,
    parse_fiscal_year,
    strip_name_title,
    thai_month_name,
    thai_to_arabic_digits,
)

NOV_5_2007 = datetime.date(2007, 11, 5)
EXPECTED = "expected a date such as 5/11/2550, 5 พ.ย. 2550 or 2007-11-05"

# --------------------------------------------------------------------------------------------
# Digits and text
# --------------------------------------------------------------------------------------------


def test_thai_digits_constant() -> None:
    assert THAI_DIGITS == "๐๑๒๓๔๕๖๗๘๙"
    assert [ord(c) for c in THAI_DIGITS] == list(range(0x0E50, 0x0E5A))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),
        ("๕ พ.ย. ๒๕๕๐", "5 พ.ย. 2550"),
        ("ปี 2551", "ปี 2551"),
        ("", ""),
    ],
)
def test_thai_to_arabic_digits(text: str, expected: str) -> None:
    assert thai_to_arabic_digits(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (np.nan, None),
        (pd.NA, None),
        (pd.NaT, None),
        ("", None),
        ("   \t\n ", None),
        ("\u200b\ufeff", None),
        ("\u00a0", None),
        ("  กรม  บัญชีกลาง  ", "กรม บัญชีกลาง"),
        ("กรม\u00a0บัญชีกลาง", "กรม บัญชีกลาง"),
        ("กรม\u2007บัญชี\u202fกลาง", "กรม บัญชี กลาง"),
        ("กรม\tบัญชี\r\nกลาง", "กรม บัญชี กลาง"),
        ("บัญ\u200bชี\u200cกลาง\u200d\u2060\ufeff", "บัญชีกลาง"),
        ("\ufeffสำนักงาน", "สำนักงาน"),
        ("ทํางาน", "ทำงาน"),  # NIKHAHIT + SARA AA typed for SARA AM
        ("นํ้า", "น้ำ"),  # with a tone mark typed in between
        ("ทำงาน", "ทำงาน"),
        ("๒๕๕๑", "๒๕๕๑"),  # Thai digits are kept
        ("e\u0301", "\u00e9"),  # NFC
        (2551, "2551"),
        (2551.5, "2551.5"),
    ],
)
def test_normalize_text(value: object, expected: str | None) -> None:
    assert normalize_text(value) == expected


def test_normalize_text_sara_am_fix_is_visible_to_comparison() -> None:
    assert normalize_text("ผู้อํานวยการ") == normalize_text("ผู้อำนวยการ")


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("นายสมชาย ใจดี", "สมชาย ใจดี"),
        ("นาย สมชาย ใจดี", "สมชาย ใจดี"),
        ("นางสาวมาลี ดีงาม", "มาลี ดีงาม"),
        ("นางสาว มาลี ดีงาม", "มาลี ดีงาม"),
        ("นางมาลี ดีงาม", "มาลี ดีงาม"),
        ("น.ส.มาลี ดีงาม", "มาลี ดีงาม"),
        ("น.ส. มาลี ดีงาม", "มาลี ดีงาม"),
        ("ด.ช.ก้อง ใจดี", "ก้อง ใจดี"),
        ("ด.ญ. แก้ว ใจดี", "แก้ว ใจดี"),
        ("เด็กชายก้อง ใจดี", "ก้อง ใจดี"),
        ("เด็กหญิง แก้ว ใจดี", "แก้ว ใจดี"),
        ("ว่าที่ ร.ต. สมศักดิ์ รักชาติ", "สมศักดิ์ รักชาติ"),
        ("ว่าที่ร.ต.สมศักดิ์ รักชาติ", "สมศักดิ์ รักชาติ"),
        ("ว่าที่ร้อยตรีสมศักดิ์ รักชาติ", "สมศักดิ์ รักชาติ"),
        ("ว่าที่ ร้อยตรี สมศักดิ์ รักชาติ", "สมศักดิ์ รักชาติ"),
        ("ว่าที่ ร.ต.หญิง มาลี ดีงาม", "มาลี ดีงาม"),
        ("ร.ต.อ.สมศักดิ์ รักชาติ", "สมศักดิ์ รักชาติ"),
        ("พ.ต.ท. สมศักดิ์ รักชาติ", "สมศักดิ์ รักชาติ"),
        ("พ.ต.อ.หญิงสมศรี รักชาติ", "สมศรี รักชาติ"),
        ("ร.ต.ทองดี มีสุข", "ทองดี มีสุข"),  # "ร.ต." + a name starting with ท, not "ร.ต.ท."
        ("จ.ส.ต. สมหมาย ดี", "สมหมาย ดี"),
        ("ส.ต.อ.สมหมาย ดี", "สมหมาย ดี"),
        ("พ.อ. สมหมาย ดี", "สมหมาย ดี"),
        ("ดร.สมชาย ใจดี", "สมชาย ใจดี"),
        ("ผศ.ดร. สมชาย ใจดี", "สมชาย ใจดี"),
        ("รศ. ดร.สมชาย ใจดี", "สมชาย ใจดี"),
        ("ศ.สมชาย ใจดี", "สมชาย ใจดี"),
        ("นาย ดร.สมชาย ใจดี", "สมชาย ใจดี"),
        ("Mr. John Smith", "John Smith"),
        ("mr John Smith", "John Smith"),
        ("MRS. Jane Smith", "Jane Smith"),
        ("Ms.Jane Smith", "Jane Smith"),
        ("Miss Jane Smith", "Jane Smith"),
        ("Dr. Jane Smith", "Jane Smith"),
        ("Dr. Mr. John Smith", "John Smith"),
        # Kept: real names that merely start like a title.
        ("นาวิน ทองดี", "นาวิน ทองดี"),
        ("นายิกา ทองดี", "นายิกา ทองดี"),  # a vowel sign follows "นาย"
        ("นายก ทองดี", "นายก ทองดี"),  # a one-letter word would remain
        ("นางสาวิตรี ทองดี", "สาวิตรี ทองดี"),  # "นาง" + "สาวิตรี", not "นางสาว" + "ิตรี"
        ("Missy Smith", "Missy Smith"),
        ("Drew Barry", "Drew Barry"),
        ("Mrsa", "Mrsa"),
        ("สมชาย ใจดี", "สมชาย ใจดี"),
        ("ว่าที่", "ว่าที่"),  # "ว่าที่" without a rank is not a title
        # Only titles.
        ("นาย", ""),
        ("ดร.", ""),
    ],
)
def test_strip_name_title(name: str, expected: str) -> None:
    assert strip_name_title(name) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  นาย สมชาย  ใจดี ", "สมชาย ใจดี"),
        ("สมชาย ใจดี", "สมชาย ใจดี"),
        ("นาย\u00a0สมชาย\u200b ใจดี", "สมชาย ใจดี"),
        ("Mr.  John   SMITH", "john smith"),
        ("ว่าที่ ร.ต. สมศักดิ์\tรักชาติ", "สมศักดิ์ รักชาติ"),
        ("นาย", None),
        ("   ", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_normalize_name(value: object, expected: str | None) -> None:
    assert normalize_name(value) == expected


def test_normalize_name_makes_spellings_equal() -> None:
    variants = ["  นาย สมชาย  ใจดี ", "สมชาย ใจดี", "นายสมชาย ใจดี", "นาย\u00a0สมชาย ใจดี\u200b"]
    assert len({normalize_name(v) for v in variants}) == 1


# --------------------------------------------------------------------------------------------
# parse_date
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # numeric, day-first, BE
        "5/11/2550",
        "05/11/2550",
        "05-11-2550",
        "5.11.2550",
        "5 / 11 / 2550",
        # numeric, day-first, CE
        "5/11/2007",
        # year-first
        "2550-11-05",
        "2007-11-05",
        "2007/11/05",
        # Thai month names
        "5 พ.ย. 2550",
        "05 พ.ย. 2550",
        "5 พ.ย.2550",
        "5พ.ย.2550",
        "5 พ.ย 2550",
        "5 พย 2550",
        "5 พย. 2550",
        "5 พฤศจิกายน 2550",
        "5 พฤศจิกา 2550",
        "5 พฤศจิกายน พ.ศ. 2550",
        "5 พฤศจิกายน 2007",
        "5 พ.ย. 2007",
        # Thai digits
        "๕ พฤศจิกายน ๒๕๕๐",
        "๕ พ.ย. ๒๕๕๐",
        "๕/๑๑/๒๕๕๐",
        # leading words
        "วันที่ 5 พ.ย. 2550",
        "วันที่5 พ.ย. 2550",
        "วันที่ ๕ พฤศจิกายน ๒๕๕๐",
        "วันจันทร์ที่ 5 พฤศจิกายน 2550",
        # English
        "5 November 2007",
        "5 Nov 2007",
        "5-Nov-2007",
        "Nov 5, 2007",
        "November 5, 2007",
        "Monday, November 5, 2007",
        # trailing times
        "5/11/2550, 10:23:45",
        "5/11/2550 10:23:45",
        "5/11/2550 10:23:45 น.",
        "5/11/2550 10.23 น.",
        "5/11/2550 เวลา 10:23 น.",
        "2007-11-05 10:23:45",
        "2007-11-05 00:00:00",
        "2007-11-05T10:23:45",
        "2007-11-05T10:23:45.123+07:00",
        "5/11/2007 10:23:45 AM",
        "5 พ.ย. 2550 10:23",
        # Excel serial as text
        "39391",
        "39391.0",
        "๓๙๓๙๑",
        # untidy text
        "  5/11/2550\u00a0",
        "\u200b5 พ.ย. 2550",
    ],
)
def test_parse_date_text_formats(text: str) -> None:
    assert parse_date(text) == NOV_5_2007
    assert date_error(text) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2/2551", datetime.date(2008, 2, 1)),  # day-first
        ("12/1/2551", datetime.date(2008, 1, 12)),  # day-first even when both could be months
        ("11/5/2007 10:23:45 AM", datetime.date(2007, 5, 11)),  # ambiguous: day-first
        ("11/25/2007", datetime.date(2007, 11, 25)),  # second > 12: month-first
        ("2/29/2008", datetime.date(2008, 2, 29)),
        ("11/25/2550, 10:23:45", datetime.date(2007, 11, 25)),
        ("25/11/2007", datetime.date(2007, 11, 25)),
        ("29/2/2551", datetime.date(2008, 2, 29)),  # BE 2551 = 2008, a leap year
        ("29 ก.พ. 2551", datetime.date(2008, 2, 29)),
        ("31 ธ.ค. 2550", datetime.date(2007, 12, 31)),
        ("1 ม.ค. 2401", datetime.date(1858, 1, 1)),  # just above 2400: BE
        ("1/1/2400", datetime.date(2400, 1, 1)),  # 2400 itself: CE
        ("30 Sept 2008", datetime.date(2008, 9, 30)),
    ],
)
def test_parse_date_day_month_order_and_years(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("short", [False, True])
@pytest.mark.parametrize(("year", "ce"), [(2551, 2008), (2008, 2008)])
def test_parse_date_every_thai_month(month: int, short: bool, year: int, ce: int) -> None:
    text = f"3 {thai_month_name(month, short=short)} {year}"
    assert parse_date(text) == datetime.date(ce, month, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2007, 11, 5), NOV_5_2007),
        (datetime.datetime(2007, 11, 5, 10, 23, 45), NOV_5_2007),
        (datetime.date(2550, 11, 5), NOV_5_2007),  # BE year typed into a date cell
        (datetime.datetime(2550, 11, 5, 10, 23), NOV_5_2007),
        (pd.Timestamp("2007-11-05 10:23:45"), NOV_5_2007),
        (pd.Timestamp("2007-11-05", tz="Asia/Bangkok"), NOV_5_2007),
        (np.datetime64("2007-11-05"), NOV_5_2007),
        (datetime.date(2400, 1, 1), datetime.date(2400, 1, 1)),
        (datetime.date(2401, 1, 1), datetime.date(1858, 1, 1)),
    ],
)
def test_parse_date_date_objects(value: object, expected: datetime.date) -> None:
    result = parse_date(value)
    assert result == expected
    assert type(result) is datetime.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (39391, NOV_5_2007),
        (39391.0, NOV_5_2007),
        (39391.999, NOV_5_2007),  # time of day dropped
        (np.int64(39391), NOV_5_2007),
        (np.float64(39391.25), NOV_5_2007),
        (61, datetime.date(1900, 3, 1)),
        (1, datetime.date(1899, 12, 31)),
        # 9999-12-31, above 2400 and so read as a BE year: 543 years are subtracted.
        (2958465, datetime.date(9456, 12, 31)),
        ("39391", NOV_5_2007),
    ],
)
def test_parse_date_excel_serials(value: object, expected: datetime.date) -> None:
    assert parse_date(value) == expected


def test_parse_date_excel_serial_of_be_typed_date() -> None:
    # A cell holding 5 Nov 2550 (a BE year typed into a date cell) exported as a serial number.
    serial = (datetime.date(2550, 11, 5) - datetime.date(1899, 12, 30)).days
    assert parse_date(serial) == NOV_5_2007
    assert parse_date(float(serial)) == NOV_5_2007


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/2/2551", "no such day: 31/2/2551"),
        ("29/2/2550", "no such day: 29/2/2550"),  # BE 2550 = 2007, not a leap year
        ("31 ก.พ. 2551", "no such day: 31 ก.พ. 2551"),
        ("2008-02-30", "no such day: 2008-02-30"),
        ("0/5/2550", "no such day: 0/5/2550"),
        ("32 ม.ค. 2551", "no such day: 32 ม.ค. 2551"),
        ("13/13/2550", "no such month: 13/13/2550"),
        ("5/0/2550", "no such month: 5/0/2550"),
        ("2550-13-01", "no such month: 2550-13-01"),
        ("abc", f"not a date; {EXPECTED}"),
        ("2550", f"not a date; {EXPECTED}"),
        ("5/11", f"not a date; {EXPECTED}"),
        ("5/11/25500", f"not a date; {EXPECTED}"),
        ("5/11-2550", f"not a date; {EXPECTED}"),
        ("1234567", f"not a date; {EXPECTED}"),
        ("5/11/50", "two-digit year in '5/11/50'; write the year in full, e.g. 2550"),
        ("5 พ.ย. 50", "two-digit year in '5 พ.ย. 50'; write the year in full, e.g. 2550"),
        ("5-Nov-07", "two-digit year in '5-Nov-07'; write the year in full, e.g. 2550"),
        ("5 พฤศ 2550", f"unknown month 'พฤศ'; {EXPECTED}"),
        ("", f"empty; {EXPECTED}"),
        ("   ", f"empty; {EXPECTED}"),
        (None, f"empty; {EXPECTED}"),
        (float("nan"), f"empty; {EXPECTED}"),
        (pd.NaT, f"empty; {EXPECTED}"),
        (True, f"not a date; {EXPECTED}"),
        (0, f"number 0 is out of range for an Excel date (1 to 2958465); {EXPECTED}"),
        (-5.5, f"number -5.5 is out of range for an Excel date (1 to 2958465); {EXPECTED}"),
        (2958466, f"number 2958466 is out of range for an Excel date (1 to 2958465); {EXPECTED}"),
        (float("inf"), f"not a date; {EXPECTED}"),
        (datetime.date(2552, 2, 29), "no such day: 29/2/2552 (BE year 2552 = CE 2009)"),
        ([2550], f"not a date; {EXPECTED}"),
    ],
)
def test_parse_date_errors(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == message
    assert date_error(value) == message


def test_date_error_empty_for_good_value() -> None:
    assert date_error("5 พ.ย. 2550") == ""
    assert date_error(datetime.date(2550, 11, 5)) == ""


# --------------------------------------------------------------------------------------------
# parse_dates
# --------------------------------------------------------------------------------------------


def test_parse_dates_alignment_missing_and_bad() -> None:
    values = pd.Series(
        [
            "5/11/2550",
            None,
            "abc",
            39391,
            float("nan"),
            "  ",
            datetime.datetime(2550, 11, 5),
            "31/2/2551",
            "2008-09-30",
            pd.NaT,
            "",
            "5/11/2550",
        ],
        index=[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120],
        name="visit_date",
    )
    before = values.copy()
    dates, bad = parse_dates(values)

    assert values.equals(before)  # input not mutated
    assert list(dates.index) == list(values.index)
    assert list(bad.index) == list(values.index)
    assert pd.api.types.is_datetime64_dtype(dates)
    assert bad.dtype == bool
    expected = pd.to_datetime(
        [
            "2007-11-05", None, None, "2007-11-05", None, None,
            "2007-11-05", None, "2008-09-30", None, None, "2007-11-05",
        ]
    )  # fmt: skip
    assert dates.tolist() == list(expected)
    assert bad.tolist() == [
        False, False, True, False, False, False, False, True, False, False, False, False,
    ]  # fmt: skip
    assert dates.name == "visit_date"


def test_parse_dates_agrees_with_parse_date_and_date_error() -> None:
    values = pd.Series(["5 พ.ย. 2550", "๕/๑๑/๒๕๕๐", "13/13/2550", "11/25/2007", None])
    dates, bad = parse_dates(values)
    for value, parsed, failed in zip(values, dates, bad, strict=True):
        if pd.isna(value):
            assert pd.isna(parsed) and not failed
        elif date_error(value):
            assert pd.isna(parsed) and failed
        else:
            assert parsed.date() == parse_date(value) and not failed


def test_parse_dates_accepts_datetime_series_and_list() -> None:
    series = pd.Series(pd.to_datetime(["2007-11-05 10:00", None]))
    dates, bad = parse_dates(series)
    assert dates.tolist()[0] == pd.Timestamp("2007-11-05")
    assert pd.isna(dates.iloc[1])
    assert not bad.any()
    dates, bad = parse_dates(["5/11/2550", "x"])  # type: ignore[arg-type]
    assert dates.iloc[0] == pd.Timestamp("2007-11-05")
    assert bad.tolist() == [False, True]


def test_parse_dates_empty() -> None:
    dates, bad = parse_dates(pd.Series([], dtype=object))
    assert len(dates) == 0 and len(bad) == 0


def test_parse_dates_parses_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Speed comes from parsing distinct values only (timing lives in bench/, not in tests).
    calls: list[object] = []
    real_parse_date = thai.parse_date

    def counting_parse_date(value: object) -> datetime.date:
        calls.append(value)
        return real_parse_date(value)

    monkeypatch.setattr(thai, "parse_date", counting_parse_date)
    rng = np.random.default_rng(0)
    start = datetime.date(2007, 10, 1)
    distinct: list[object] = []
    for offset in range(500):
        day = start + datetime.timedelta(days=offset)
        be = day.year + 543
        distinct.append(
            [
                f"{day.day}/{day.month}/{be}",
                format_thai_date(day),
                day.isoformat(),
                (day - datetime.date(1899, 12, 30)).days,
                f"{day.day}/{day.month}/{be} 10:23:45 น.",
            ][offset % 5]
        )
    values = pd.Series(np.array(distinct, dtype=object)[rng.integers(0, 500, 100_000)])
    dates, bad = parse_dates(values)
    assert not bad.any()
    assert dates.notna().all()
    assert len(calls) == values.nunique() <= 500


# --------------------------------------------------------------------------------------------
# Years and fiscal years
# --------------------------------------------------------------------------------------------


def test_be_ce_years() -> None:
    assert be_year(2007) == 2550
    assert ce_year(2550) == 2007
    assert ce_year(be_year(2024)) == 2024


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2007, 9, 30), 2550),
        (datetime.date(2007, 10, 1), 2551),
        (datetime.date(2008, 9, 30), 2551),
        (datetime.date(2008, 10, 1), 2552),
        (datetime.date(2008, 1, 1), 2551),
        (datetime.date(2007, 12, 31), 2551),
        (datetime.datetime(2007, 10, 1, 23, 59), 2551),
    ],
)
def test_fiscal_year_of(day: datetime.date, expected: int) -> None:
    assert fiscal_year_of(day) == expected


@pytest.mark.parametrize("fiscal_year", [2540, 2551, 2567])
def test_fiscal_year_bounds_round_trip(fiscal_year: int) -> None:
    first, last = fiscal_year_bounds(fiscal_year)
    assert fiscal_year_of(first) == fiscal_year
    assert fiscal_year_of(last) == fiscal_year
    assert fiscal_year_of(first - datetime.timedelta(days=1)) == fiscal_year - 1
    assert fiscal_year_of(last + datetime.timedelta(days=1)) == fiscal_year + 1


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2551) == (datetime.date(2007, 10, 1), datetime.date(2008, 9, 30))
    with pytest.raises(ValueError, match="not a BE year"):
        fiscal_year_bounds(2008)


def test_fiscal_years_and_months_vectorised() -> None:
    dates = pd.Series(
        pd.to_datetime(["2007-09-30", "2007-10-01", None, "2008-09-30", "2008-01-15"]),
        index=list("abcde"),
    )
    years = fiscal_years(dates)
    assert str(years.dtype) == "Int64"
    assert list(years.index) == list("abcde")
    assert years.tolist() == [2550, 2551, pd.NA, 2551, 2551]
    months = fiscal_month(dates)
    assert str(months.dtype) == "Int64"
    assert months.tolist() == [12, 1, pd.NA, 12, 4]


def test_fiscal_years_of_parse_dates_output() -> None:
    dates, _ = parse_dates(pd.Series(["30/9/2550", "1/10/2550", "abc"]))
    assert fiscal_years(dates).tolist() == [2550, 2551, pd.NA]
    assert fiscal_month(dates).tolist() == [12, 1, pd.NA]


def test_fiscal_month_covers_every_month() -> None:
    dates = pd.Series(pd.date_range("2007-10-01", periods=12, freq="MS"))
    assert fiscal_month(dates).tolist() == list(range(1, 13))
    assert fiscal_years(dates).tolist() == [2551] * 12


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2551", 2551),
        (2551, 2551),
        (2551.0, 2551),
        (np.int64(2551), 2551),
        ("2551.0", 2551),
        (" 2551 ", 2551),
        ("๒๕๕๑", 2551),
        ("ปีงบประมาณ 2551", 2551),
        ("ปีงบประมาณ2551", 2551),
        ("ปีงบประมาณ พ.ศ. 2551", 2551),
        ("ปีงบประมาณ พ.ศ.๒๕๕๑", 2551),
        ("ปีงบ 2551", 2551),
        ("FY2551", 2551),
        ("fy 2551", 2551),
        ("2008", 2551),
        (2008, 2551),
        ("FY2008", 2551),
        (1990, 2533),
        (2100, 2643),
        (2533, 2533),
        (2643, 2643),
    ],
)
def test_parse_fiscal_year(value: object, expected: int) -> None:
    assert parse_fiscal_year(value) == expected


FY_EXPECTED = "expected a fiscal year such as 2551, ปีงบประมาณ 2551 or FY2551"
FY_RANGE = "expected a BE year 2533-2643 such as 2551 (or CE 1990-2100)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("51", "two-digit year in '51'; write the fiscal year in full, e.g. 2551"),
        ("งบ 51", "two-digit year in 'งบ 51'; write the fiscal year in full, e.g. 2551"),
        ("FY51", "two-digit year in 'FY51'; write the fiscal year in full, e.g. 2551"),
        ("abc", f"not a fiscal year; {FY_EXPECTED}"),
        ("2550-2551", f"not a fiscal year; {FY_EXPECTED}"),
        ("25510", f"not a fiscal year; {FY_EXPECTED}"),
        ("", f"empty; {FY_EXPECTED}"),
        (None, f"empty; {FY_EXPECTED}"),
        (float("nan"), f"empty; {FY_EXPECTED}"),
        (True, f"not a fiscal year; {FY_EXPECTED}"),
        (2551.5, f"not a whole year: 2551.5; {FY_EXPECTED}"),
        (1800, f"fiscal year 1800 is out of range; {FY_RANGE}"),
        ("2450", f"fiscal year 2450 is out of range; {FY_RANGE}"),
        (2700, f"fiscal year 2700 is out of range; {FY_RANGE}"),
    ],
)
def test_parse_fiscal_year_errors(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_fiscal_year(value)
    assert str(caught.value) == message


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "long_name", "short_name"),
    [
        (1, "มกราคม", "ม.ค."),
        (2, "กุมภาพันธ์", "ก.พ."),
        (10, "ตุลาคม", "ต.ค."),
        (11, "พฤศจิกายน", "พ.ย."),
        (12, "ธันวาคม", "ธ.ค."),
    ],
)
def test_thai_month_name(month: int, long_name: str, short_name: str) -> None:
    assert thai_month_name(month) == long_name
    assert thai_month_name(month, short=True) == short_name


@pytest.mark.parametrize("month", [0, 13, -1])
def test_thai_month_name_rejects_bad_month(month: int) -> None:
    with pytest.raises(ValueError, match="no such month"):
        thai_month_name(month)


@pytest.mark.parametrize(
    ("day", "style", "digits", "expected"),
    [
        (NOV_5_2007, "short", "arabic", "5 พ.ย. 2550"),
        (NOV_5_2007, "long", "arabic", "5 พฤศจิกายน 2550"),
        (NOV_5_2007, "short", "thai", "๕ พ.ย. ๒๕๕๐"),
        (NOV_5_2007, "long", "thai", "๕ พฤศจิกายน ๒๕๕๐"),
        (datetime.datetime(2008, 9, 30, 10, 0), "short", "arabic", "30 ก.ย. 2551"),
        (pd.Timestamp("2024-01-15"), "short", "arabic", "15 ม.ค. 2567"),
    ],
)
def test_format_thai_date(day: datetime.date, style: str, digits: str, expected: str) -> None:
    assert format_thai_date(day, style=style, digits=digits) == expected
    assert parse_date(expected) == datetime.date(day.year, day.month, day.day)


def test_format_thai_date_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match="unknown style"):
        format_thai_date(NOV_5_2007, style="medium")
    with pytest.raises(ValueError, match="unknown digits"):
        format_thai_date(NOV_5_2007, digits="roman")


@pytest.mark.parametrize("text", ["2008/06/16 10:23:45 AM GMT+7", "2008-06-16 10:23:45 UTC",
                                  "16/6/2551, 10:23:45 GMT+07:00"])
def test_google_forms_timestamps_with_zone(text: str) -> None:
    assert parse_date(text) == datetime.date(2008, 6, 16)
