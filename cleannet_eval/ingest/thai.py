"""Normalise Thai office-spreadsheet text, names, dates and fiscal years.

Everything here is pure: no I/O, no logging, no global state beyond constant tables that are
derived from PyThaiNLP when the module is imported.

Conventions
-----------
* BE (Buddhist Era) = CE + 543 (:mod:`cleannet_eval.calendar`). A year above 2400 is taken to
  be BE, wherever it comes from:
  typed text, a ``datetime``/``pd.Timestamp`` whose cell had a BE year typed into it, or an
  Excel serial day number that encodes such a date.
* The Thai government fiscal year runs 1 October - 30 September and is named by the BE year in
  which it ends: fiscal year 2551 is 1 Oct 2007 - 30 Sep 2008.
* Parsed dates are plain :class:`datetime.date` objects (CE, no time zone); vectorised results
  are ``datetime64[us]`` Series, the unit pandas 3 uses by default.
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
import unicodedata

import numpy as np
import pandas as pd
import pythainlp.util.date as _pythainlp_date
from pythainlp.util import thai_digit_to_arabic_digit, thai_strftime, thai_strptime

from ..calendar import (
    BE_OFFSET,
    BE_THRESHOLD,
    be_year,
    ce_year,
)

__all__ = [
    "THAI_DIGITS",
    "date_error",
    "format_thai_date",
    "normalize_name",
    "normalize_text",
    "parse_date",
    "parse_dates",
    "parse_fiscal_year",
    "strip_name_title",
    "thai_month_name",
    "thai_to_arabic_digits",
]

#: The ten Thai digits, U+0E50 (๐) to U+0E59 (๙).
THAI_DIGITS: str = "".join(chr(code) for code in range(0x0E50, 0x0E5A))


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Python's \s covers tab, newline, NBSP (U+00A0), U+2007, U+202F and the other Unicode spaces.
_SPACES = re.compile(r"\s+")
# NIKHAHIT + SARA AA typed instead of SARA AM, optionally with a tone mark typed in between
# ("นํ้า" for "น้ำ"); the tone mark belongs before SARA AM.
_SARA_AM_TYPO = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def _is_missing(value: object) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and ``pd.NaT`` (never for containers)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def thai_to_arabic_digits(text: str) -> str:
    """Replace Thai digits (๐-๙) with Arabic digits (0-9); other characters are kept.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        ``text`` with every Thai digit replaced.

    Examples
    --------
    >>> thai_to_arabic_digits("๕ พ.ย. ๒๕๕๐")
    '5 พ.ย. 2550'
    """
    if text.isascii():
        return text
    return thai_digit_to_arabic_digit(text)


def normalize_text(value: object) -> str | None:
    """Clean one spreadsheet cell into comparable text.

    Steps: missing values (``None``, NaN, ``pd.NA``, ``pd.NaT``) give ``None``; anything else
    becomes ``str(value)``; zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) are
    removed; the typing error NIKHAHIT + SARA AA (``"ํา"``) becomes SARA AM (``"ำ"``), also
    when a tone mark was typed between them; the text is put in Unicode NFC; every run of
    whitespace (tabs, newlines, NBSP, U+2007, U+202F ...) becomes one plain space; the result
    is stripped. Empty results give ``None``. Thai digits are *not* converted.

    Parameters
    ----------
    value
        A cell value of any type.

    Returns
    -------
    str or None
        The cleaned text, or ``None`` when nothing is left.

    Examples
    --------
    >>> normalize_text("  กรม\\u00a0บัญชีกลาง\\u200b\\n")
    'กรม บัญชีกลาง'
    >>> normalize_text("ทํางาน")
    'ทำงาน'
    >>> normalize_text("   ") is None
    True
    """
    if _is_missing(value):
        return None
    text = str(value)
    if text.isascii():  # fast path: nothing to fix but white space
        return " ".join(text.split()) or None
    text = _ZERO_WIDTH.sub("", text)
    text = _SARA_AM_TYPO.sub("\\1\u0e33", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text).strip()
    return text or None


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

# Titles written with dots are unambiguous: stripped wherever they start the name.
_DOTTED_TITLES: tuple[str, ...] = (
    "น.ส.", "ด.ช.", "ด.ญ.",
    "ร.ต.", "ร.ท.", "ร.อ.", "พ.ต.", "พ.ท.", "พ.อ.",
    "ร.ต.ต.", "ร.ต.ท.", "ร.ต.อ.", "พ.ต.ต.", "พ.ต.ท.", "พ.ต.อ.",
    "พล.ต.", "พล.ท.", "พล.อ.", "พล.ต.ต.", "พล.ต.ท.", "พล.ต.อ.",
    "จ.ส.ต.", "จ.ส.อ.", "ส.ต.", "ส.ท.", "ส.อ.", "ส.ต.ต.", "ส.ต.ท.", "ส.ต.อ.",
    "ดร.", "ผศ.", "รศ.", "ศ.", "นพ.", "พญ.",
)  # fmt: skip
# Titles that are ordinary words: stripped only under the rule in ``strip_name_title``.
_WORD_TITLES: tuple[str, ...] = ("นาย", "นาง", "นางสาว", "เด็กชาย", "เด็กหญิง")
_WORD_RANKS: tuple[str, ...] = (
    "ร้อยตรี", "ร้อยโท", "ร้อยเอก", "พันตรี", "พันโท", "พันเอก",
    "ร้อยตำรวจตรี", "ร้อยตำรวจโท", "ร้อยตำรวจเอก",
    "พันตำรวจตรี", "พันตำรวจโท", "พันตำรวจเอก",
)  # fmt: skip
# "ว่าที่" (acting/prospective) only ever precedes a rank: stripped when a title follows it.
_ACTING = "ว่าที่"
_FEMALE_SUFFIX = "หญิง"  # "ร.ต.หญิง", "ร้อยตรีหญิง"


def _longest_first(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


_DOTTED_RE = re.compile(
    "(?:"
    + "|".join(re.escape(t) for t in _longest_first(_DOTTED_TITLES))
    + f")(?:{_FEMALE_SUFFIX})?\\s*"
)
# Every word title, longest first; ranks also with the female suffix.
_WORD_CANDIDATES: tuple[str, ...] = _longest_first(
    [*_WORD_TITLES, *_WORD_RANKS, *(rank + _FEMALE_SUFFIX for rank in _WORD_RANKS)]
)
_LATIN_RE = re.compile(r"(?:(?:mrs|mr|ms|dr)(?:\.\s*|\s+)|miss\s+)", re.IGNORECASE)
_ACTING_RE = re.compile(rf"{_ACTING}\s*")
# A name starts with a Thai consonant, a Thai leading vowel (เ แ โ ใ ไ) or a Latin letter.
_NAME_START = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44A-Za-z]")


def _title_length(text: str) -> int:
    """Length of the title (and the spaces after it) that starts ``text``; 0 if none."""
    for pattern in (_DOTTED_RE, _LATIN_RE):
        match = pattern.match(text)
        if match:
            return match.end()
    match = _ACTING_RE.match(text)
    if match and _title_length(text[match.end() :]):
        return match.end()
    # Try every word title, not only the longest: "นางสาวิตรี" is "นาง" + "สาวิตรี".
    for title in _WORD_CANDIDATES:
        if text.startswith(title) and _word_title_ends(text[len(title) :]):
            return len(title)
    return 0


def _word_title_ends(rest: str) -> bool:
    """Whether a word title such as "นาย" really ends where ``rest`` begins."""
    if not rest or rest[0].isspace():
        return True
    if _title_length(rest):
        return True
    first_word = rest.split(" ", 1)[0]
    return bool(_NAME_START.match(rest)) and len(first_word) >= 2


def strip_name_title(name: str) -> str:
    """Remove the titles, ranks and academic prefixes that start a person's name.

    Several titles in a row are removed ("ว่าที่ ร.ต. ดร. ...", "ผศ.ดร. ..."), with or without
    spaces after them. The rule that keeps real names intact:

    * titles written with dots (``น.ส.``, ``ร.ต.อ.``, ``ดร.``, ``Mr.`` ...) are always removed;
    * word titles (``นาย``, ``นาง``, ``นางสาว``, ``เด็กชาย``, ``ร้อยตรี`` ...) are removed only
      when what follows is a space, the end of the text, another title, or a plausible name:
      text starting with a Thai consonant, a Thai leading vowel or a Latin letter whose first
      word is at least two characters long. So "นายสมชาย" loses "นาย" but "นายิกา" (a vowel
      follows) and "นายก" (a one-letter word would remain) are kept; "นาวิน" never matches;
    * ``ว่าที่`` is removed only when a title follows it;
    * Latin ``Miss`` and dot-less ``Mr``/``Mrs``/``Ms``/``Dr`` need a space after them; Latin
      titles match case-insensitively. A rank may carry the suffix ``หญิง`` ("ร.ต.หญิง").

    Parameters
    ----------
    name
        A name, ideally already passed through :func:`normalize_text`.

    Returns
    -------
    str
        The name without its leading titles, stripped; ``""`` if it was only titles.

    Examples
    --------
    >>> strip_name_title("นางสาวมาลี ดีงาม")
    'มาลี ดีงาม'
    >>> strip_name_title("ว่าที่ ร.ต. สมศักดิ์ รักชาติ")
    'สมศักดิ์ รักชาติ'
    >>> strip_name_title("นาวิน ทองดี")
    'นาวิน ทองดี'
    """
    text = name.strip()
    while True:
        length = _title_length(text)
        if not length:
            return text
        text = text[length:].lstrip()


def normalize_name(value: object) -> str | None:
    """Make a person's name comparable: clean text, drop titles, collapse spaces, casefold.

    Parameters
    ----------
    value
        A cell value holding a name.

    Returns
    -------
    str or None
        The normalised name, or ``None`` if the cell is empty or holds only titles.

    Examples
    --------
    >>> normalize_name("  นาย สมชาย  ใจดี ") == normalize_name("สมชาย ใจดี")
    True
    >>> normalize_name("Mr. John  SMITH")
    'john smith'
    """
    text = normalize_text(value)
    if text is None:
        return None
    text = _SPACES.sub(" ", strip_name_title(text)).strip().casefold()
    return text or None






def _check_month(month: int) -> None:
    if isinstance(month, bool) or not isinstance(month, numbers.Integral) or not 1 <= month <= 12:
        raise ValueError(f"no such month: {month!r}; expected 1 to 12")


def thai_month_name(month: int, short: bool = False) -> str:
    """Thai name of a month, as PyThaiNLP spells it.

    Parameters
    ----------
    month
        1 (January) to 12 (December).
    short
        Give the abbreviation (``"พ.ย."``) rather than the full name (``"พฤศจิกายน"``).

    Returns
    -------
    str
        The month's name.

    Examples
    --------
    >>> thai_month_name(11), thai_month_name(11, short=True)
    ('พฤศจิกายน', 'พ.ย.')
    """
    _check_month(month)
    return thai_strftime(datetime.datetime(2000, int(month), 1), "%b" if short else "%B")


def format_thai_date(day: datetime.date, style: str = "short", digits: str = "arabic") -> str:
    """Write a date the Thai way, with a BE year.

    Parameters
    ----------
    day
        The date (CE), a ``datetime.date``, ``datetime.datetime`` or ``pd.Timestamp``.
    style
        ``"short"`` for ``5 พ.ย. 2550`` or ``"long"`` for ``5 พฤศจิกายน 2550``.
    digits
        ``"arabic"`` (``5``) or ``"thai"`` (``๕``).

    Returns
    -------
    str
        The formatted date.

    Examples
    --------
    >>> format_thai_date(datetime.date(2007, 11, 5))
    '5 พ.ย. 2550'
    >>> format_thai_date(datetime.date(2007, 11, 5), style="long", digits="thai")
    '๕ พฤศจิกายน ๒๕๕๐'
    """
    formats = {"short": "%-d %b %Y", "long": "%-d %B %Y"}
    if style not in formats:
        raise ValueError(f"unknown style {style!r}; expected 'short' or 'long'")
    if digits not in ("arabic", "thai"):
        raise ValueError(f"unknown digits {digits!r}; expected 'arabic' or 'thai'")
    moment = datetime.datetime(day.year, day.month, day.day)
    return thai_strftime(moment, formats[style], thaidigit=digits == "thai")


def _squash(token: str) -> str:
    """Month token without dots and spaces, casefolded: "พ.ย." and "พย" both give "พย"."""
    return re.sub(r"[.\s]", "", token).casefold()


def _thai_month_tokens() -> dict[str, int]:
    """Every spelling of a Thai month PyThaiNLP knows, squashed, mapped to its number."""
    tokens: dict[str, int] = {}
    for month in range(1, 13):
        for short in (False, True):
            tokens[_squash(thai_month_name(month, short))] = month
    # PyThaiNLP's parser also knows colloquial short forms ("พฤศจิกา"); use them if present.
    for month, spellings in enumerate(getattr(_pythainlp_date, "thai_full_month_lists", []), 1):
        for spelling in spellings:
            if not spelling.isdigit():
                tokens.setdefault(_squash(spelling), month)
    return tokens


_THAI_MONTHS: dict[str, int] = _thai_month_tokens()
_THAI_FULL_MONTHS: dict[int, str] = {m: thai_month_name(m) for m in range(1, 13)}
_ENGLISH_MONTHS: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def _english_month(token: str) -> int | None:
    """Month number of an English name or abbreviation of three or more letters."""
    word = _squash(token)
    if len(word) < 3:
        return None
    for number, name in enumerate(_ENGLISH_MONTHS, 1):
        if name.startswith(word):
            return number
    return None


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_EXPECTED = "expected a date such as 5/11/2550, 5 พ.ย. 2550 or 2007-11-05"
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_WEEKDAYS_TH = "|".join(
    re.escape(thai_strftime(datetime.datetime(2007, 11, 5 + i), "%A").removeprefix("วัน"))
    for i in range(7)
)
_LEAD_RE = re.compile(
    rf"^(?:วัน(?:{_WEEKDAYS_TH})?\s*(?:ที่)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day,?)\s*",
    re.IGNORECASE,
)
_TIME_TAIL_RE = re.compile(
    r"(?:\s*,\s*|\s+|T)(?:เวลา\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"\s*(?:น\.?|นาฬิกา|[ap]\.?m\.?)?\s*(?:Z|(?:GMT|UTC)?\s*[+-]\d{1,2}(?::?\d{2})?|GMT|UTC)?$",
    re.IGNORECASE,
)
_SERIAL_RE = re.compile(r"\d{5}(?:\.\d+)?")
_DMY_RE = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)")
_YMD_RE = re.compile(r"(\d{4})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_ERA = r"(?:(?:พ|ค)\.\s?ศ\.|b\.?e\.|a\.?d\.)"
_D_MONTH_Y_RE = re.compile(
    rf"(\d{{1,2}})[\s/-]*([^\d\s/-][^\d]*?)[\s,/-]*(?:{_ERA}\s*)?(\d+)", re.IGNORECASE
)
_MONTH_D_Y_RE = re.compile(r"([a-z]+\.?)\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d+)", re.IGNORECASE)


def _full_year(year_text: str, date_text: str) -> int:
    """The year as written, insisting on four digits (BE or CE)."""
    if len(year_text) == 2:
        raise ValueError(f"two-digit year in {date_text!r}; write the year in full, e.g. 2550")
    if len(year_text) != 4:
        raise ValueError(f"not a date; {_EXPECTED}")
    return int(year_text)


def _make_date(year: int, month: int, day: int, date_text: str) -> datetime.date:
    """Build a date, turning a BE year into CE; ``date_text`` is quoted in errors."""
    if not 1 <= month <= 12:
        raise ValueError(f"no such month: {date_text}")
    if year > BE_THRESHOLD:
        year -= BE_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"no such day: {date_text}") from None


def _from_datetime(value: datetime.date) -> datetime.date:
    """A date or datetime cell; a year above 2400 was a BE year typed into a date cell."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day.year <= BE_THRESHOLD:
        return day
    text = f"{day.day}/{day.month}/{day.year} (BE year {day.year} = CE {ce_year(day.year)})"
    return _make_date(day.year, day.month, day.day, text)


def _from_serial(number: float) -> datetime.date:
    """An Excel serial day number (epoch 1899-12-30); a fraction (time of day) is dropped."""
    if not math.isfinite(number):
        raise ValueError(f"not a date; {_EXPECTED}")
    if not 1 <= number < _EXCEL_MAX_SERIAL + 1:
        raise ValueError(
            f"number {number:.10g} is out of range for an Excel date (1 to {_EXCEL_MAX_SERIAL}); "
            f"{_EXPECTED}"
        )
    return _from_datetime(_EXCEL_EPOCH + datetime.timedelta(days=math.floor(number)))


def _from_numbers(first: str, second: str, year_text: str, text: str) -> datetime.date:
    """Day-first numeric date, month-first when only that reading gives a month."""
    year = _full_year(year_text, text)
    a, b = int(first), int(second)
    day, month = (b, a) if b > 12 and a <= 12 else (a, b)
    return _make_date(year, month, day, text)


def _from_month_name(day_text: str, token: str, year_text: str, text: str) -> datetime.date:
    """A date written with a Thai or English month name."""
    squashed = _squash(token)
    month = _THAI_MONTHS.get(squashed)
    english = _english_month(token) if month is None else None
    if month is None and english is None:
        raise ValueError(f"unknown month {token!r}; {_EXPECTED}")
    year = _full_year(year_text, text)
    day = int(day_text)
    if not 1 <= day <= 31:
        raise ValueError(f"no such day: {text}")
    if english is not None:
        return _make_date(year, english, day, text)
    # PyThaiNLP turns the Thai month name, and a BE year, into a CE datetime.
    era = "be" if year > BE_THRESHOLD else "ad"
    try:
        moment = thai_strptime(f"{day} {_THAI_FULL_MONTHS[month]} {year}", "%d %B %Y", year=era)
    except ValueError:
        raise ValueError(f"no such day: {text}") from None
    return moment.replace(tzinfo=None).date()


def _clean_date_text(value: object) -> str:
    """Text of a date cell with Thai digits, a leading "วันที่" and a trailing time removed."""
    text = normalize_text(value)
    if text is None:
        raise ValueError(f"empty; {_EXPECTED}")
    text = _LEAD_RE.sub("", thai_to_arabic_digits(text), count=1)
    return _TIME_TAIL_RE.sub("", text, count=1).strip()


def _from_text(value: object) -> datetime.date:
    text = _clean_date_text(value)
    if _SERIAL_RE.fullmatch(text):
        return _from_serial(float(text))
    match = _DMY_RE.fullmatch(text)
    if match:
        return _from_numbers(match[1], match[3], match[4], text)
    match = _YMD_RE.fullmatch(text)
    if match:
        year = _full_year(match[1], text)
        return _make_date(year, int(match[3]), int(match[4]), text)
    match = _D_MONTH_Y_RE.fullmatch(text)
    if match:
        return _from_month_name(match[1], match[2], match[3], text)
    match = _MONTH_D_Y_RE.fullmatch(text)
    if match and _english_month(match[1]) is not None:
        return _from_month_name(match[2], match[1], match[3], text)
    raise ValueError(f"not a date; {_EXPECTED}")


def parse_date(value: object) -> datetime.date:
    """Read one date cell from an office spreadsheet.

    Accepted values:

    * ``datetime.date``, ``datetime.datetime``, ``pd.Timestamp``, ``np.datetime64`` (time of day
      dropped); a year above 2400 is a BE year typed into a date cell and loses 543;
    * Excel serial day numbers (epoch 1899-12-30) as int or float from 1 to 2958465, or as a
      five-digit numeric string such as ``"39391"``; a fraction (time of day) is dropped;
    * text, with Thai or Arabic digits: ``5/11/2550``, ``05-11-2550``, ``5.11.2550``,
      ``2550-11-05``, ``2007-11-05``, ``5 พ.ย. 2550``, ``5 พ.ย.2550``, ``5 พย 2550``,
      ``5 พฤศจิกายน 2550``, ``5 พฤศจิกายน พ.ศ. 2550``, ``5 November 2007``, ``5-Nov-2007``,
      ``Nov 5, 2007``. A leading ``วันที่`` or weekday (``วันจันทร์ที่``, ``Monday,``) and a
      trailing time (``10:23``, ``, 10:23:45``, ``10.23 น.``, ``T10:23:45Z``) are ignored.

    Numeric day/month/year text is day-first (the Thai convention) unless the second number is
    above 12 and the first is not, which only a month-first (US-locale) export can produce.
    Years must have four digits; a year above 2400 is BE, otherwise CE. An era marker
    (``พ.ศ.``/``ค.ศ.``) is skipped and the 2400 rule still decides.

    Parameters
    ----------
    value
        The cell value.

    Returns
    -------
    datetime.date
        The date, in CE.

    Raises
    ------
    ValueError
        With a short message saying what is wrong and what was expected, e.g.
        ``"no such day: 31/2/2551"``.

    Examples
    --------
    >>> parse_date("๕ พฤศจิกายน ๒๕๕๐")
    datetime.date(2007, 11, 5)
    >>> parse_date("5/11/2550 10:23:45 น.")
    datetime.date(2007, 11, 5)
    >>> parse_date(39391)
    datetime.date(2007, 11, 5)
    """
    if _is_missing(value):
        raise ValueError(f"empty; {_EXPECTED}")
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"not a date; {_EXPECTED}")
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime.date):
        return _from_datetime(value)
    if isinstance(value, numbers.Real):
        return _from_serial(float(value))
    return _from_text(value)


def date_error(value: object) -> str:
    """The message :func:`parse_date` raises for ``value``, or ``""`` if it parses.

    Examples
    --------
    >>> date_error("31/2/2551")
    'no such day: 31/2/2551'
    >>> date_error("5/11/2550")
    ''
    """
    try:
        parse_date(value)
    except ValueError as error:
        return str(error)
    return ""


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of date cells, each distinct value once.

    Parameters
    ----------
    values
        The cells, of any mix of types :func:`parse_date` accepts. Not modified.

    Returns
    -------
    dates : pd.Series
        ``datetime64[us]`` dates on ``values``' index, ``NaT`` where the cell is missing or
        could not be read.
    bad : pd.Series
        Boolean, ``True`` where a non-missing cell could not be read (see :func:`date_error`
        for why). Missing means ``None``, NaN, ``pd.NA``, ``NaT``, or text that is empty after
        :func:`normalize_text`.

    Notes
    -----
    Distinct values are found with :func:`pandas.factorize`, which treats values that compare
    equal as one (``1``, ``1.0`` and ``True``): such a mix is read as whichever comes first.

    Examples
    --------
    >>> dates, bad = parse_dates(pd.Series(["5/11/2550", None, "abc"]))
    >>> dates.dt.strftime("%Y-%m-%d").tolist(), bad.tolist()
    (['2007-11-05', nan, nan], [False, False, True])
    """
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # One extra slot at the end holds the result for missing cells (code -1).
    parsed = np.full(len(uniques) + 1, np.datetime64("NaT"), dtype="datetime64[us]")
    failed = np.zeros(len(uniques) + 1, dtype=bool)
    for position, value in enumerate(uniques):
        if isinstance(value, str) and normalize_text(value) is None:
            continue
        try:
            parsed[position] = np.datetime64(parse_date(value), "us")
        except ValueError:
            failed[position] = True
    dates = pd.Series(parsed[codes], index=values.index, name=values.name)
    bad = pd.Series(failed[codes], index=values.index, name=values.name)
    return dates, bad


#: Fiscal years accepted by :func:`parse_fiscal_year`, CE (BE is 543 more).
_CE_RANGE = (1990, 2100)
_FY_EXPECTED = "expected a fiscal year such as 2551, ปีงบประมาณ 2551 or FY2551"
_FY_RE = re.compile(
    r"(?:ปีงบประมาณ|ปีงบ|งบประมาณ|งบ|ปี|fiscal\s*year|fy)?\s*[:.]?\s*"
    r"(?:(?:พ|ค)\.\s?ศ\.)?\s*(\d+)(?:\.0+)?",
    re.IGNORECASE,
)












def _fiscal_year_number(number: int) -> int:
    """A four-digit year as a BE fiscal year; CE years within range gain 543."""
    low, high = _CE_RANGE
    if low <= number <= high:
        return be_year(number)
    if be_year(low) <= number <= be_year(high):
        return number
    raise ValueError(
        f"fiscal year {number} is out of range; expected a BE year {be_year(low)}-"
        f"{be_year(high)} such as 2551 (or CE {low}-{high})"
    )


def parse_fiscal_year(value: object) -> int:
    """Read a fiscal year cell as a BE fiscal year.

    Accepts ``2551``, ``2551.0``, ``"2551"``, ``"๒๕๕๑"``, ``"ปีงบประมาณ 2551"``,
    ``"ปีงบประมาณ พ.ศ. 2551"``, ``"ปีงบ 2551"``, ``"FY2551"``, ``"FY 2551"``. CE years 1990-2100
    are converted (``2008`` -> ``2551``); BE years must lie in 2533-2643. Two-digit years
    (``"งบ 51"``) are rejected.

    Parameters
    ----------
    value
        The cell value.

    Returns
    -------
    int
        The BE fiscal year.

    Raises
    ------
    ValueError
        Saying what was expected.

    Examples
    --------
    >>> parse_fiscal_year("ปีงบประมาณ พ.ศ. ๒๕๕๑"), parse_fiscal_year(2008)
    (2551, 2551)
    """
    if _is_missing(value):
        raise ValueError(f"empty; {_FY_EXPECTED}")
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"not a fiscal year; {_FY_EXPECTED}")
    if isinstance(value, numbers.Real):
        if not float(value).is_integer():
            raise ValueError(f"not a whole year: {value}; {_FY_EXPECTED}")
        return _fiscal_year_number(int(value))
    text = normalize_text(value)
    if text is None:
        raise ValueError(f"empty; {_FY_EXPECTED}")
    text = thai_to_arabic_digits(text)
    match = _FY_RE.fullmatch(text)
    if not match:
        raise ValueError(f"not a fiscal year; {_FY_EXPECTED}")
    digits = match[1]
    if len(digits) == 2:
        raise ValueError(f"two-digit year in {text!r}; write the fiscal year in full, e.g. 2551")
    if len(digits) != 4:
        raise ValueError(f"not a fiscal year; {_FY_EXPECTED}")
    return _fiscal_year_number(int(digits))
