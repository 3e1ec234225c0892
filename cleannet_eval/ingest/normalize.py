"""Convert and validate the columns of one recognised sheet into a tidy table of its kind.

Every conversion works on the distinct values of a column (a survey of 100,000 rows has a few
dozen distinct answers), so cost grows with the number of rows only through pandas' mapping.
Each bad value becomes one :class:`~cleannet_eval.errors.Problem`; at most
:data:`MAX_PROBLEMS_PER_COLUMN` are listed per column, then a count of the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .. import config
from ..calendar import fiscal_years
from ..errors import Problem
from ..instruments import Instrument
from ..vocab import (
    LEFT_REASON_ALIASES,
    LEFT_REASONS,
    ROLE_ALIASES,
    ROLES,
    STAFF_TYPE_ALIASES,
    STAFF_TYPES,
)
from .extract import SheetTable
from .headers import describe_kind
from .privacy import clean_national_id, national_id_check_digit
from .scales import NUMBERS, describe, expected_labels, label_index, label_key
from .signin import find_date, looked_for
from .thai import (
    date_error,
    normalize_name,
    normalize_text,
    parse_dates,
    parse_fiscal_year,
    thai_to_arabic_digits,
)

MAX_PROBLEMS_PER_COLUMN = 20

#: The required fields of each kind, as alternatives: every tuple needs one of its fields.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "units": (("unit",), ("headcount", "headcount:*")),
    "roster": (("name", "national_id", "first_name"), ("unit",), ("role",), ("joined",)),
    "attendance": (("name", "national_id", "first_name"), ("activity", "title:activity"),
                   ("date", "title:date")),
    "survey": (("unit",), ("survey_date", "fiscal_year", "title:fiscal_year")),
    "expert_review": (("item",),),
}

_FIELD_HINT = {
    "name": "ชื่อ-สกุล",
    "national_id": "เลขประจำตัวประชาชน",
    "first_name": "ชื่อ + นามสกุล",
    "unit": "หน่วยงาน or สำนัก/กอง",
    "role": "บทบาท",
    "joined": "วันที่เข้าร่วม",
    "activity": "กิจกรรม",
    "title:activity": "a title row 'กิจกรรม: …'",
    "date": "วันที่",
    "title:date": "a title row 'วันที่ …'",
    "headcount": "อัตรากำลัง",
    "headcount:*": "อัตรากำลัง ปีงบประมาณ 2551",
    "survey_date": "วันที่ตอบ or ประทับเวลา",
    "fiscal_year": "ปีงบประมาณ",
    "title:fiscal_year": "a title row 'ปีงบประมาณ 2551'",
}


class Collector:
    """Gathers problems for one sheet, at most ``limit`` per column."""

    def __init__(self, table: SheetTable, limit: int = MAX_PROBLEMS_PER_COLUMN) -> None:
        self.table = table
        self.limit = limit
        self.problems: list[Problem] = []

    def add_many(
        self, column: str, rows: pd.Series, values: pd.Series, message: Callable[[object], str],
        severity: str = "error",
    ) -> None:
        """One problem per bad cell (``rows`` and ``values`` aligned), capped per column."""
        count = len(rows)
        for row, value in list(zip(rows, values, strict=True))[: self.limit]:
            self.problems.append(
                self.table.problem(message(value), int(row), column, value, severity)
            )
        if count > self.limit:
            self.problems.append(self.table.problem(
                f"… and {count - self.limit} more cells like these in this column", None,
                column, severity=severity,
            ))

    def add(self, message: str, row: int | None = None, column: str | None = None,
            value: object = None, severity: str = "error") -> None:
        """One problem."""
        self.problems.append(self.table.problem(message, row, column, value, severity))


def _is_blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return value != value
    return isinstance(value, str) and not value.strip()


def _missing(series: pd.Series) -> pd.Series:
    """True where a cell is empty (None, NaN or blank text)."""
    return map_distinct(series, _is_blank).astype(bool)


def map_distinct(series: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` to each distinct value once (missing cells get ``func(None)``).

    The column is factorised and the results taken by code: one hash pass, no Python call
    per cell. ``func`` should return ``None`` for blank input and ``NaN`` for a bad value.
    """
    values = series.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(u) for u in uniques]
    results[-1] = func(None)
    return pd.Series(results[codes], index=series.index, dtype=object)


def text_column(series: pd.Series) -> pd.Series:
    """Normalised text (NFC, no stray spaces) as a ``string`` column; blank → ``<NA>``."""
    return map_distinct(series, normalize_text).astype("string")


def _vocab_column(
    series: pd.Series, aliases: dict[str, str], vocabulary: dict[str, dict[str, str]],
    column: str, out: Collector, what: str,
) -> pd.Series:
    def lookup(value: object) -> object:
        text = normalize_text(value)
        if text is None:
            return None
        key = text.casefold()
        return aliases.get(key, aliases.get(key.replace(" ", ""), np.nan))

    codes = map_distinct(series, lookup)
    blank = _missing(series)
    bad = codes.isna() & ~blank
    if bad.any():
        valid = ", ".join(v["th"] for v in vocabulary.values())
        out.add_many(column, out.table.frame.loc[bad, "_row"], series[bad],
                     lambda _v: f"unknown {what}; expected one of: {valid}")
    return codes.where(~bad & ~blank).astype("string")


def date_column(series: pd.Series, column: str, out: Collector, today: dt.date) -> pd.Series:
    """Dates (``datetime64``) from Excel dates or Thai/BE/CE text; bad and out-of-range reported."""
    dates, bad = parse_dates(series)
    if bad.any():
        out.add_many(column, out.table.frame.loc[bad, "_row"], series[bad], date_error)
    earliest = pd.Timestamp(config.EARLIEST_DATE)
    latest = pd.Timestamp(today)
    out_of_range = dates.notna() & ((dates < earliest) | (dates > latest))
    if out_of_range.any():
        lo = earliest.strftime("%d/%m/") + str(earliest.year + 543)
        hi = latest.strftime("%d/%m/") + str(latest.year + 543)
        out.add_many(
            column, out.table.frame.loc[out_of_range, "_row"], series[out_of_range],
            lambda v: f"date out of range; expected a date between {lo} and {hi} "
            "(Buddhist Era) — check the year",
        )
        dates = dates.where(~out_of_range)
    return dates


def national_id_column(series: pd.Series, column: str, out: Collector) -> pd.Series:
    """Cleaned 13-digit IDs; an ID with a wrong length or check digit is an error."""
    def check(value: object) -> object:
        digits = clean_national_id(value)
        if digits is None or not digits.strip():
            return None
        if len(digits) == 13 and digits.isdigit() and (
            national_id_check_digit(digits[:12]) == int(digits[12])
        ):
            return digits
        return np.nan

    ids = map_distinct(series, check)
    blank = _missing(series)
    bad = ids.isna() & ~blank
    if bad.any():
        out.add_many(column, out.table.frame.loc[bad, "_row"], series[bad].map(lambda _v: None),
                     lambda _v: "not a valid national ID; expected 13 digits with a correct "
                     "check digit (value hidden: personal data)")
    return ids.where(~bad & ~blank).astype("string")


def name_column(frame: pd.DataFrame) -> pd.Series:
    """Normalised full names (titles removed) from one name column or first + last name."""
    if "name" in frame:
        return map_distinct(frame["name"], normalize_name).astype("string")
    if "first_name" in frame:
        last = frame["last_name"] if "last_name" in frame else pd.Series("", index=frame.index)
        joined = [
            f"{normalize_text(a) or ''} {normalize_text(b) or ''}".strip()
            for a, b in zip(frame["first_name"], last, strict=True)
        ]
        return pd.Series(joined, index=frame.index, dtype="object").map(
            lambda v: normalize_name(v) if v else None
        ).astype("string")
    return pd.Series(pd.NA, index=frame.index, dtype="string")


_NUMBER = re.compile(r"^\s*(\d+(?:\.0+)?)\s*$")
_LABEL_NUMBER = re.compile(r"(?:^|[\s(\[])(\d)(?:$|[\s)\].])")


def answer_reader(instrument: Instrument) -> Callable[[object], object]:
    """A function turning one answer cell into an int on the scale, ``None`` when blank,
    or ``NaN`` when it is not an answer (a number off the scale or an unknown label)."""
    read = _answer_and_scale_reader(instrument)
    return lambda value: read(value)[0]


def _answer_and_scale_reader(
    instrument: Instrument,
) -> Callable[[object], tuple[object, str | None]]:
    """Like :func:`answer_reader`, with the scale family the cell was written in: a label
    family of :mod:`.scales`, ``"numbers"``, or ``None`` (blank or not an answer)."""
    scale = instrument.scale
    labels = label_index(instrument)

    def read(value: object) -> tuple[object, str | None]:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None, None
        if isinstance(value, bool):
            return np.nan, None
        family: str | None = NUMBERS
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = normalize_text(value)
            if text is None:
                return None, None
            text = thai_to_arabic_digits(text)
            if label_key(text) in labels:
                return labels[label_key(text)]
            match = _NUMBER.match(text)
            if match:
                number = float(match.group(1))
            else:
                # "5 มากที่สุด", "มากที่สุด (5)": a number that agrees with the label.
                found = _LABEL_NUMBER.search(text)
                rest = label_key(re.sub(r"[\d()\[\].]", " ", text))
                known = labels.get(rest)
                if found and (not rest or (known and known[0] == int(found.group(1)))):
                    number = float(found.group(1))
                    family = known[1] if known else NUMBERS
                else:
                    return np.nan, None
        if number.is_integer() and scale.min <= number <= scale.max:
            return int(number), family
        return np.nan, None

    return read


def item_columns(
    frame: pd.DataFrame, instrument: Instrument, out: Collector,
) -> dict[str, pd.Series]:
    """Survey answers as ``Int64`` columns, one per item code; bad answers reported.

    Each column must keep to one label family (numbers may appear beside it); the family
    used is recorded in ``out.table.scales`` (item code → ``agreement``, ``level + numbers``…).
    """
    read = _answer_and_scale_reader(instrument)
    scale = instrument.scale
    labels = expected_labels(instrument)
    expected = f"expected a whole number {scale.min}–{scale.max}" + (
        f" or a label {labels}" if labels else ""
    )
    present = [code for code in instrument.item_codes if code in frame]
    if not present:
        return {}
    # One factorisation for the whole block of answers: a survey has a handful of distinct
    # answers however many respondents it has.
    # Row-major order follows how the reader allocated the cells: far fewer cache misses.
    block = np.ascontiguousarray(frame[present].to_numpy(dtype=object)).ravel()
    codes, uniques = pd.factorize(block, use_na_sentinel=True)
    read_all = [read(u) for u in uniques] + [(None, None)]
    answers = [a for a, _ in read_all]
    names = sorted({f for _, f in read_all if f is not None})
    family_code = np.array([0 if f is None else names.index(f) + 1 for _, f in read_all],
                           dtype=np.int64)
    number = np.array([a if isinstance(a, int) else 0 for a in answers], dtype=np.int64)
    missing = np.array([not isinstance(a, int) for a in answers], dtype=bool)
    bad = np.array([a is not None and not isinstance(a, int) for a in answers], dtype=bool)
    n = len(frame)
    numbers = number[codes].reshape(n, len(present)).T
    masks = missing[codes].reshape(n, len(present)).T
    bads = bad[codes].reshape(n, len(present)).T
    # Which scale each column used: with one family in the whole block (the usual case) a
    # column uses it if it has any answer; only a block of several families is counted per
    # column.
    families = family_code[codes].reshape(n, len(present)).T if len(names) > 1 else None
    columns = {}
    for j, code in enumerate(present):
        if bads[j].any():
            where = bads[j]
            out.add_many(code, frame["_row"][where], frame[code][where],
                         lambda _v: f"answer out of scale; {expected}")
        if families is None:
            if names and not masks[j].all():
                out.table.scales[code] = names[0]
            columns[code] = pd.arrays.IntegerArray(
                np.ascontiguousarray(numbers[j]), np.ascontiguousarray(masks[j])
            )
            continue
        used = np.bincount(families[j], minlength=len(names) + 1)
        label_families = [(int(used[k + 1]), name) for k, name in enumerate(names)
                          if used[k + 1] and name != NUMBERS]
        if len(label_families) > 1:
            main = max(label_families)[1]
            others = {names.index(name) + 1 for _, name in label_families if name != main}
            where = np.isin(families[j], list(others))
            out.add_many(code, frame["_row"][where], frame[code][where],
                         lambda v, main=main: f"answer on another scale than the rest of the "
                         f"column, which uses {describe(main, scale)}; use one scale per "
                         "question")
        shown = [name for _, name in sorted(label_families, reverse=True)]
        if NUMBERS in names and used[names.index(NUMBERS) + 1]:
            shown.append(NUMBERS)
        if shown:
            out.table.scales[code] = " + ".join(shown)
        columns[code] = pd.arrays.IntegerArray(
            np.ascontiguousarray(numbers[j]), np.ascontiguousarray(masks[j])
        )
    return columns


def check_required(table: SheetTable) -> list[Problem]:
    """A problem for each required field (alternatives) the sheet lacks."""
    present = set(table.frame.columns)
    if table.header.headcount_columns:
        present.add("headcount:*")
    for name in ("activity", "date", "fiscal_year"):
        if getattr(table.title, f"{name}_text" if name != "activity" else name, None):
            present.add(f"title:{name}")
    if table.title.date_value is not None:
        present.add("title:date")
    problems = []
    for alternatives in REQUIRED[table.kind]:
        if not present.intersection(alternatives):
            wanted = " or ".join(_FIELD_HINT.get(a, a) for a in alternatives)
            where = next((looked_for(a, table.file, table.header.row + 1,
                                     table.header.first_row + 1)
                          for a in alternatives if a in ("activity", "date")
                          and table.kind == "attendance"), None)
            problems.append(table.problem(
                f"missing required column for {describe_kind(table.kind)}: "
                f"{wanted} (header is on row "
                f"{table.header.row + 1})" + (f"; {where}" if where else ""),
                row=table.header.row + 1,
            ))
    return problems


def _title_value(table: SheetTable, name: str) -> tuple[object, int | None]:
    if name == "activity":
        return table.title.activity, table.title.activity_row
    if name == "date":
        return table.title.date_text, table.title.date_row
    return table.title.fiscal_year_text, table.title.fiscal_year_row


def _source_columns(table: SheetTable) -> dict[str, object]:
    frame = table.frame
    return {
        "source_file": pd.Series(table.file, index=frame.index, dtype="string"),
        "source_sheet": pd.Series(table.sheet, index=frame.index, dtype="string"),
        "source_row": pd.array(frame["_row"], dtype="Int64"),
    }


def _optional(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype="object")


def _fiscal_year_column(table: SheetTable, out: Collector, dates: pd.Series) -> pd.Series:
    """Fiscal year from a column, else from the dates, else from a title row."""
    frame = table.frame
    from_dates = fiscal_years(dates)
    if "fiscal_year" in frame:
        def read(value: object) -> object:
            if normalize_text(value) is None:
                return None
            try:
                return parse_fiscal_year(value)
            except ValueError:
                return np.nan
        years = map_distinct(frame["fiscal_year"], read)
        bad = years.isna() & ~_missing(frame["fiscal_year"])
        if bad.any():
            out.add_many("fiscal_year", frame.loc[bad, "_row"], frame.loc[bad, "fiscal_year"],
                         lambda _v: "not a fiscal year; expected a Buddhist-Era year such as "
                         "2551")
        years = pd.array(years.where(~bad), dtype="Int64")
        return pd.Series(years, index=frame.index).fillna(from_dates)
    text, row = _title_value(table, "fiscal_year")
    if text is not None and from_dates.isna().any():
        try:
            year = parse_fiscal_year(text)
        except ValueError as exc:
            out.add(str(exc), row=row, value=text)
            return from_dates
        return from_dates.fillna(year)
    return from_dates


def people_columns(table: SheetTable, out: Collector) -> dict[str, pd.Series]:
    """Normalised names and cleaned IDs (``_name``, ``_national_id``) for pseudonymisation."""
    frame = table.frame
    names = name_column(frame)
    ids = (
        national_id_column(frame["national_id"], "national_id", out)
        if "national_id" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    nobody = names.isna() & ids.isna() & ~_missing(_optional(frame, "national_id"))
    nobody |= names.isna() & _missing(_optional(frame, "national_id"))
    if nobody.any():
        out.add_many("name" if "name" in frame else "national_id", frame.loc[nobody, "_row"],
                     pd.Series([None] * int(nobody.sum())),
                     lambda _v: "no name or valid national ID for this person")
    return {"_name": names, "_national_id": ids}


def normalize_units(table: SheetTable, out: Collector) -> pd.DataFrame:
    """Units table: one row per unit and fiscal year (wide per-year headcounts melted)."""
    frame = table.frame
    units = text_column(frame["unit"])
    blank = units.isna()
    if blank.any():
        out.add_many("unit", frame.loc[blank, "_row"], frame.loc[blank, "unit"],
                     lambda _v: "unit name is empty")
    parent = text_column(_optional(frame, "parent"))
    per_year = {f"headcount:{fy}": fy for fy in table.header.headcount_columns.values()}
    if "headcount" in frame:
        years = _fiscal_year_column(table, out, pd.Series(pd.NaT, index=frame.index))
        if years.isna().all():
            out.add("a single headcount column needs a ปีงบประมาณ column or a title row "
                    "'ปีงบประมาณ 2551'", row=table.header.row + 1, column="headcount")
        per_year_frames = [("headcount", years)]
    else:
        per_year_frames = [
            (col, pd.Series(fy, index=frame.index, dtype="Int64")) for col, fy in per_year.items()
        ]
    parts = []
    for column, years in per_year_frames:
        raw = frame[column]

        def read(value: object) -> object:
            text = normalize_text(value)
            if text is None:
                return None
            text = thai_to_arabic_digits(text).replace(",", "")
            try:
                number = float(text)
            except ValueError:
                return np.nan
            return int(number) if number.is_integer() and number >= 0 else np.nan

        counts = map_distinct(raw, read)
        bad = counts.isna() & ~_missing(raw)
        if bad.any():
            out.add_many(column, frame.loc[bad, "_row"], raw[bad],
                         lambda _v: "headcount must be a whole number of people (0 or more)")
        parts.append(pd.DataFrame({
            "unit": units, "parent": parent, "fiscal_year": pd.array(years, dtype="Int64"),
            "headcount": pd.array(counts.where(~bad), dtype="Int64"), "_row": frame["_row"],
        }))
    result = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    result = result[result["unit"].notna()]
    duplicated = result.duplicated(["unit", "fiscal_year"], keep="first")
    for _, row in result[duplicated].iterrows():
        out.add(f"unit listed twice for fiscal year {row['fiscal_year']}", row=int(row["_row"]),
                column="unit", value=row["unit"])
    result = result[~duplicated].rename(columns={"_row": "source_row"})
    result["source_file"] = table.file
    return result.reset_index(drop=True)


def normalize_attendance(table: SheetTable, out: Collector, today: dt.date) -> pd.DataFrame:
    """Attendance: one row per person per activity, with fiscal year."""
    frame = table.frame
    result = people_columns(table, out)
    if "activity" in frame:
        activity = text_column(frame["activity"])
        if table.title.activity:
            activity = activity.fillna(table.title.activity)
    else:
        activity = pd.Series(table.title.activity, index=frame.index, dtype="string")
    missing_activity = activity.isna()
    if missing_activity.any():
        out.add_many("activity", frame.loc[missing_activity, "_row"],
                     pd.Series([None] * int(missing_activity.sum())),
                     lambda _v: "no activity name in this row or in a title row 'กิจกรรม: …'")
    if "date" in frame:
        dates = date_column(frame["date"], "date", out, today)
        no_date = _missing(frame["date"])
    else:
        dates = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        no_date = pd.Series(True, index=frame.index)
    text, row = _title_value(table, "date")
    if table.title.date_value is not None and text is None:
        text = table.title.date_value
    if text is not None and no_date.any():
        # A date inside a longer line ("วันที่ 20 ธ.ค. 50 เวลา 09.00 น."), two-digit BE years.
        found = find_date(text)
        in_range = found is not None and (
            pd.Timestamp(config.EARLIEST_DATE) <= pd.Timestamp(found) <= pd.Timestamp(today))
        if not in_range:
            out.add(date_error(text) or "date out of range; expected a date between "
                    f"{config.EARLIEST_DATE} and {today.isoformat()} — check the year",
                    row=row, value=text if table.title.date_value is None else table.file)
        else:
            dates = dates.where(~no_date, pd.Timestamp(found))
            no_date = pd.Series(False, index=frame.index)
    if no_date.any():
        out.add_many("date", frame.loc[no_date, "_row"], pd.Series([None] * int(no_date.sum())),
                     lambda _v: "no activity date in this row or in a title row 'วันที่ …'")
    result.update({
        "unit": text_column(_optional(frame, "unit")),
        "staff_type": _vocab_column(_optional(frame, "staff_type"), STAFF_TYPE_ALIASES,
                                    STAFF_TYPES, "staff_type", out, "staff type"),
        "role": _vocab_column(_optional(frame, "role"), ROLE_ALIASES, ROLES, "role", out, "role"),
        "activity": activity,
        "date": dates,
        "fiscal_year": fiscal_years(dates),
        **_source_columns(table),
    })
    return pd.DataFrame(result)


def normalize_roster(table: SheetTable, out: Collector, today: dt.date) -> pd.DataFrame:
    """Network roster: leaders and members, who recruited them, when they joined and left."""
    frame = table.frame
    result = people_columns(table, out)
    joined = date_column(frame["joined"], "joined", out, today)
    no_join = _missing(frame["joined"])
    if no_join.any():
        out.add_many("joined", frame.loc[no_join, "_row"], pd.Series([None] * int(no_join.sum())),
                     lambda _v: "joined date is empty; expected a date such as 5/11/2550")
    left = (date_column(frame["left"], "left", out, today) if "left" in frame
            else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]"))
    before = joined.notna() & left.notna() & (left < joined)
    if before.any():
        out.add_many("left", frame.loc[before, "_row"], frame.loc[before, "left"],
                     lambda _v: "left date is before the joined date of the same row; check "
                     "both dates (a person who came back needs a second row)")
    roles = _vocab_column(frame["role"], ROLE_ALIASES, ROLES, "role", out, "role")
    no_role = _missing(frame["role"])
    if no_role.any():
        out.add_many("role", frame.loc[no_role, "_row"], pd.Series([None] * int(no_role.sum())),
                     lambda _v: "role is empty; expected แกนนำ or สมาชิกเครือข่าย")
    units = text_column(frame["unit"])
    if units.isna().any():
        blank = units.isna()
        out.add_many("unit", frame.loc[blank, "_row"], pd.Series([None] * int(blank.sum())),
                     lambda _v: "unit is empty; every leader and member belongs to a unit")
    recruiter_names = (
        map_distinct(frame["recruited_by"], normalize_name).astype("string")
        if "recruited_by" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    recruiter_ids = (
        national_id_column(frame["recruited_by_id"], "recruited_by_id", out)
        if "recruited_by_id" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    result.update({
        "unit": units,
        "staff_type": _vocab_column(_optional(frame, "staff_type"), STAFF_TYPE_ALIASES,
                                    STAFF_TYPES, "staff_type", out, "staff type"),
        "role": roles,
        "joined": joined,
        "_recruiter_name": recruiter_names,
        "_recruiter_id": recruiter_ids,
        "left": left,
        "left_reason": _vocab_column(_optional(frame, "left_reason"), LEFT_REASON_ALIASES,
                                     LEFT_REASONS, "left_reason", out, "reason for leaving"),
        **_source_columns(table),
    })
    return pd.DataFrame(result)


def _row_ids(table: SheetTable) -> pd.Series:
    """``file#sheet:row`` for respondents without a questionnaire number."""
    prefix = table.file + (f"#{table.sheet}" if table.sheet else "")
    return pd.Series([f"{prefix}:{r}" for r in table.frame["_row"]], index=table.frame.index,
                     dtype="string")


def normalize_survey(
    table: SheetTable, out: Collector, instrument: Instrument, today: dt.date,
) -> pd.DataFrame:
    """Survey: one row per respondent, one ``Int64`` column per item code."""
    frame = table.frame
    dates = (date_column(frame["survey_date"], "survey_date", out, today)
             if "survey_date" in frame
             else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]"))
    years = _fiscal_year_column(table, out, dates)
    no_year = years.isna() & (
        _missing(frame["survey_date"]) if "survey_date" in frame
        else pd.Series(True, index=frame.index)
    )
    if no_year.any():
        out.add_many("survey_date" if "survey_date" in frame else "fiscal_year",
                     frame.loc[no_year, "_row"], pd.Series([None] * int(no_year.sum())),
                     lambda _v: "no answer date or fiscal year for this respondent")
    if "respondent" in frame:
        respondent = text_column(frame["respondent"]).map(
            lambda v: thai_to_arabic_digits(v) if isinstance(v, str) else v
        ).astype("string")
        blank = respondent.isna()
        respondent = respondent.where(~blank, _row_ids(table))
    else:
        respondent = _row_ids(table)
    units = text_column(frame["unit"])
    if units.isna().any():
        blank = units.isna()
        out.add_many("unit", frame.loc[blank, "_row"], pd.Series([None] * int(blank.sum())),
                     lambda _v: "unit is empty; expected the respondent's unit")
    items = item_columns(frame, instrument, out)
    if not items:
        out.add("no item columns of the instrument found; expected item codes such as "
                f"{', '.join(instrument.item_codes[:3])} or the question text",
                row=table.header.row + 1)
    result = {
        "respondent": respondent,
        "unit": units,
        "staff_type": _vocab_column(_optional(frame, "staff_type"), STAFF_TYPE_ALIASES,
                                    STAFF_TYPES, "staff_type", out, "staff type"),
        "role": _vocab_column(_optional(frame, "role"), ROLE_ALIASES, ROLES, "role", out, "role"),
        "date": dates,
        "fiscal_year": pd.array(years, dtype="Int64"),
        "comment": text_column(_optional(frame, "comment")),
    }
    for code in instrument.item_codes:
        if code in items:
            result[code] = items[code]
        else:  # an item the questionnaire did not ask: all missing
            result[code] = pd.arrays.IntegerArray(
                np.zeros(len(frame), dtype=np.int64), np.ones(len(frame), dtype=bool)
            )
    result.update(_source_columns(table))
    return pd.DataFrame(result, index=frame.index)


def normalize_table(
    table: SheetTable, instrument: Instrument, today: dt.date | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Convert and validate one sheet; returns the tidy frame (or ``None``) and its problems."""
    today = today or dt.date.today()
    missing = check_required(table)
    if missing:
        return None, table.notes + missing
    out = Collector(table)
    if table.kind == "units":
        frame = normalize_units(table, out)
    elif table.kind == "attendance":
        frame = normalize_attendance(table, out, today)
    elif table.kind == "roster":
        frame = normalize_roster(table, out, today)
    elif table.kind == "expert_review":
        from .expert_review import normalize_expert_review

        frame = normalize_expert_review(table, out, instrument)
    else:
        frame = normalize_survey(table, out, instrument, today)
    return frame, table.notes + out.problems
