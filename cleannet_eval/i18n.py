"""The words cleannet-eval shows, in Thai and English, from one catalogue.

Every displayed label, heading, vocabulary word and advice sentence lives in the package's
``data/words/words.yaml`` (its header says what is there, what is not, and how to change a
word). This module reads it once and hands out the words; it imports nothing from the rest of
the package, so any module may use it.

A key is ``AREA.NAME`` (``"chart.mean"``, ``"staff_type.citizen"``); :func:`text` gives its
words in a language with the placeholders filled in. The modules that had their own word
tables keep them as views built from here (``charts.theme.TEXT``, ``analysis.bands.LEVEL_LABELS``
...), so callers are unchanged.

Examples
--------
>>> text("staff_type.citizen", "th"), text("staff_type.citizen", "en")
('ภาคประชาชน', 'Citizen sector')
>>> text("chart.network_sampled", "en", nodes=300, total=1200)
'showing 300 of 1200 people'
>>> text("chart.no_such_word", "en")
Traceback (most recent call last):
...
cleannet_eval.i18n.WordError: unknown word 'chart.no_such_word' (not in data/words/words.yaml)
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = [
    "CATALOGUE",
    "LANGS",
    "WordError",
    "area",
    "entries",
    "entry",
    "extra_placeholders",
    "keys",
    "placeholders",
    "text",
]

#: The catalogue file (package data).
CATALOGUE: Path = Path(__file__).resolve().parent / "data" / "words" / "words.yaml"
#: The languages every word is written in.
LANGS: tuple[str, ...] = ("th", "en")
_FIELDS = ("th", "en", "extra")


class WordError(KeyError, ValueError):
    """An unknown key, area or language, a missing placeholder, or a malformed catalogue.

    A :class:`KeyError` (an unknown word is a missing key) and a :class:`ValueError` (an
    unsupported language was one before the catalogue existed).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _fields(words: str, where: str) -> frozenset[str]:
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(words)
                         if name is not None)
    except ValueError as error:
        raise WordError(f"{CATALOGUE.name}: {where}: {error} (write a literal brace as "
                        "{{ or }})") from None


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, object]]:
    """``{"area.name": {"th": ..., "en": ..., "extra": {lang: [...]}}}``, checked, read once."""
    with CATALOGUE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise WordError(f"{CATALOGUE.name}: expected areas of words at the top level")
    words: dict[str, dict[str, object]] = {}
    for area_name, area_words in raw.items():
        if not isinstance(area_words, dict):
            raise WordError(f"{CATALOGUE.name}: area {area_name!r} is not a mapping of words")
        for name, item in area_words.items():
            key = f"{area_name}.{name}"
            if not isinstance(item, dict) or set(item) - set(_FIELDS):
                raise WordError(f"{CATALOGUE.name}: {key}: expected th, en (and optionally "
                                f"extra), got {item!r}")
            for lang in LANGS:
                value = item.get(lang)
                if not isinstance(value, str) or not value.strip():
                    raise WordError(f"{CATALOGUE.name}: {key}: no {lang} text")
                _fields(value, f"{key} ({lang})")
            extra = item.get("extra") or {}
            if not isinstance(extra, dict) or set(extra) - set(LANGS):
                raise WordError(f"{CATALOGUE.name}: {key}: extra must map th/en to placeholders")
            words[key] = {"th": item["th"], "en": item["en"],
                          "extra": {lang: tuple(map(str, extra.get(lang) or ())) for lang in LANGS}}
    return words


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise WordError(f"Unsupported language {lang!r}. Supported: th, en")
    return lang


def _item(key: str) -> dict[str, object]:
    try:
        return _catalogue()[key]
    except KeyError:
        raise WordError(f"unknown word {key!r} (not in data/words/{CATALOGUE.name})") from None


def keys() -> tuple[str, ...]:
    """Every key of the catalogue, in its order."""
    return tuple(_catalogue())


def entry(key: str) -> dict[str, str]:
    """``{"th": ..., "en": ...}`` of ``key``, placeholders unfilled (a new dict)."""
    item = _item(key)
    return {lang: str(item[lang]) for lang in LANGS}


def placeholders(key: str, lang: str) -> frozenset[str]:
    """The placeholders ``key`` takes in ``lang``."""
    return _fields(str(_item(key)[_check_lang(lang)]), key)


def extra_placeholders(key: str, lang: str) -> tuple[str, ...]:
    """The placeholders only ``lang`` writes for ``key``, on purpose (the entry's ``extra``)."""
    return _item(key)["extra"][_check_lang(lang)]  # type: ignore[index]


def text(key: str, lang: str = "th", /, **values: object) -> str:
    """The words of ``key`` in ``lang``, placeholders filled with ``values``.

    Parameters
    ----------
    key
        ``AREA.NAME`` as in the catalogue.
    lang
        ``"th"`` or ``"en"``.
    **values
        One value per placeholder; values the text does not use are ignored (the other
        language may use them).

    Raises
    ------
    WordError
        For an unknown key or language, or a placeholder without a value.
    """
    words = str(_item(key)[_check_lang(lang)])
    try:
        return words.format(**values)
    except KeyError as error:
        given = ", ".join(sorted(values)) or "none"
        raise WordError(f"word {key!r} ({lang}) needs a value for {{{error.args[0]}}}; "
                        f"given: {given}") from None


def area(name: str, lang: str) -> dict[str, str]:
    """``{NAME: words}`` of every key of area ``name`` in ``lang`` (a new dict, unfilled)."""
    lang = _check_lang(lang)
    return {key: str(item[lang]) for key, item in _area(name).items()}


def entries(name: str) -> dict[str, dict[str, str]]:
    """``{NAME: {"th": ..., "en": ...}}`` of every key of area ``name`` (new dicts)."""
    return {key: {lang: str(item[lang]) for lang in LANGS} for key, item in _area(name).items()}


def _area(name: str) -> dict[str, dict[str, object]]:
    prefix = f"{name}."
    found = {key[len(prefix):]: item for key, item in _catalogue().items()
             if key.startswith(prefix)}
    if not found:
        raise WordError(f"unknown area of words {name!r} (not in data/words/{CATALOGUE.name})")
    return found
