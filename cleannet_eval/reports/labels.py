"""The words the report chrome and the index use, in Thai and English.

The words are the ``report`` area of the catalogue (``data/words/words.yaml``).
"""

from __future__ import annotations

from ..i18n import LANGS, area

#: ``{lang: {name: words}}`` of the catalogue's ``report`` area (:mod:`cleannet_eval.i18n`).
LABELS: dict[str, dict[str, str]] = {lang: area("report", lang) for lang in LANGS}


def labels(lang: str) -> dict[str, str]:
    """The labels of ``lang`` (English for an unknown language)."""
    return LABELS.get(lang, LABELS["en"])


def period_label(fiscal_year: int | None, lang: str) -> str:
    """``ปีงบประมาณ 2551`` / ``Fiscal year 2551``, or the all-years label."""
    words = labels(lang)
    if fiscal_year is None:
        return words["all_years"]
    return f"{words['fiscal_year']} {fiscal_year}"


def scope_label(unit: str, lang: str) -> str:
    """The unit's name, or the whole-department label for ``""``."""
    return unit or labels(lang)["department"]
