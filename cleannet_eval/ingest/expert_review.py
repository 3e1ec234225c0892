"""Expert review (IOC, รายการประเมินความสอดคล้อง): one row per item, one column per expert.

The item column holds an item code of the instrument or its question text (Thai or English,
numbered "1." / "ข้อ 1" or not); each expert column holds +1, 0 or −1. The tidy table is long:
one row per item and expert.
"""

from __future__ import annotations

import re

import pandas as pd

from ..instruments import Instrument
from .extract import SheetTable
from .headers import header_key
from .thai import normalize_text, thai_to_arabic_digits

#: Columns of the processed ``expert_review`` table.
EXPERT_REVIEW_COLUMNS: tuple[str, ...] = (
    "item", "expert", "rating", "source_file", "source_sheet", "source_row",
)

_NUMBER_PREFIX = re.compile(r"^\s*(?:ข้อ(?:ที่)?\s*)?\d{1,3}\s*[.):]?\s+")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "\u2012": "-"})
_EXPECTED = "expected +1 (congruent), 0 (unsure) or -1 (not congruent)"


def _item_lookup(instrument: Instrument) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in instrument.items:
        for text in (item.code, item.text_th, item.text_en):
            if text:
                index[header_key(text)] = item.code
    return index


def item_code_of(value: object, lookup: dict[str, str]) -> str | None:
    """The item code a cell names (code or question text, numbered or not), or ``None``."""
    text = normalize_text(value)
    if text is None:
        return None
    key = header_key(text)
    if key in lookup:
        return lookup[key]
    unnumbered = header_key(_NUMBER_PREFIX.sub("", thai_to_arabic_digits(text)))
    return lookup.get(unnumbered)


def parse_rating(value: object) -> int | None:
    """+1, 0 or −1 from a cell (numbers, "+1", "−1" with any minus sign, Thai digits).

    Returns ``None`` for a value that is none of them (blank included).

    Examples
    --------
    >>> [parse_rating(v) for v in (1, "+1", "−1", "๐", 0.0, "2", "ok", None)]
    [1, 1, -1, 0, 0, None, None, None]
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value in (1, 0, -1) else None
    text = normalize_text(value)
    if text is None:
        return None
    text = thai_to_arabic_digits(text).translate(_MINUS).replace(" ", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number in (1, 0, -1) else None


def normalize_expert_review(table: SheetTable, out, instrument: Instrument) -> pd.DataFrame:
    """Check every cell of an expert review and return it as a long table.

    Errors (one per cell, through ``out``): an item that is not in the instrument, an empty
    item cell beside ratings, an item listed twice, a rating other than +1/0/−1 or left blank,
    and an expert column with no rating at all.
    """
    frame = table.frame
    lookup = _item_lookup(instrument)
    experts = table.header.expert_columns
    if not experts:
        out.add("no expert column; an expert review needs one column per expert, headed "
                "e.g. 'ผู้เชี่ยวชาญคนที่ 1' or 'Expert 1'", table.header.row + 1)
    fields = {name: "expert:" + name for name in experts.values()}
    codes: list[str | None] = []
    seen: dict[str, int] = {}
    for row, value in zip(frame["_row"], frame["item"], strict=True):
        code = item_code_of(value, lookup)
        if code is None:
            if normalize_text(value) is None:
                out.add("item is empty; write an item code or its question text",
                        int(row), "item", value)
            else:
                shown = ", ".join(instrument.item_codes[:4])
                out.add(f"item not in the instrument {instrument.id!r}; expected an item code "
                        f"({shown} …) or its question text", int(row), "item", value)
        elif code in seen:
            out.add(f"item {code} is listed twice (first on row {seen[code]}); keep one row "
                    "per item", int(row), "item", value)
            code = None
        else:
            seen[code] = int(row)
        codes.append(code)
    parts = []
    for name, field in fields.items():
        column = frame[field]
        blank = column.map(lambda v: normalize_text(v) is None).astype(bool)
        if blank.all():
            out.add(f"expert column '{name}' is empty; fill in this expert's ratings "
                    f"({_EXPECTED}) or delete the column", table.header.row + 1, field)
            continue
        ratings = column.map(parse_rating)
        for row, value, rating in zip(frame["_row"], column, ratings, strict=True):
            if pd.isna(rating):
                what = "rating is missing" if normalize_text(value) is None else "bad rating"
                out.add(f"{what}; {_EXPECTED}", int(row), field, value)
        parts.append(pd.DataFrame({
            "item": codes, "expert": name, "rating": ratings.astype("Int64"),
            "_row": frame["_row"].to_numpy(),
        }))
    if not parts:
        return pd.DataFrame(columns=list(EXPERT_REVIEW_COLUMNS))
    long = pd.concat(parts, ignore_index=True)
    long = long[long["item"].notna()]
    return pd.DataFrame({
        "item": long["item"].astype("string").to_numpy(),
        "expert": long["expert"].astype("string").to_numpy(),
        "rating": pd.array(long["rating"].to_numpy(), dtype="Int64"),
        "source_file": pd.Series(table.file, index=range(len(long)), dtype="string"),
        "source_sheet": pd.Series(table.sheet, index=range(len(long)), dtype="string"),
        "source_row": pd.array(long["_row"].to_numpy(), dtype="Int64"),
    })
