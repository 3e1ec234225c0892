"""Controlled vocabularies: the codes stored in processed tables and their Thai/English labels.

Processed tables hold stable English codes (``civil_servant``, ``leader`` ...); reports show the
labels. The labels (``STAFF_TYPES``, ``ROLES``, ``LEFT_REASONS``: code → ``{"th", "en"}``) come
from the catalogue ``data/words/words.yaml`` (:mod:`cleannet_eval.i18n`); its order is the
codes' order. ``*_ALIASES`` map the spellings found in office spreadsheets (after text
normalisation and case folding) to the codes: input recognition, not display, so they stay
here.
"""

from __future__ import annotations

import pandas as pd

from .i18n import entries, text

STAFF_TYPES: dict[str, dict[str, str]] = entries("staff_type")
STAFF_TYPE_ALIASES: dict[str, str] = {
    "ข้าราชการ": "civil_servant",
    "ขรก.": "civil_servant",
    "civil servant": "civil_servant",
    "civil_servant": "civil_servant",
    "ลูกจ้าง": "permanent_employee",
    "ลูกจ้างประจำ": "permanent_employee",
    "permanent employee": "permanent_employee",
    "permanent_employee": "permanent_employee",
    "employee": "permanent_employee",
    "พนักงานราชการ": "government_employee",
    "พรก.": "government_employee",
    "government employee": "government_employee",
    "government_employee": "government_employee",
    "ภาคประชาชน": "citizen",
    "ประชาชน": "citizen",
    "เครือข่ายภาคประชาชน": "citizen",
    "citizen": "citizen",
    "citizen sector": "citizen",
    "public": "citizen",
}

ROLES: dict[str, dict[str, str]] = entries("role")
ROLE_ALIASES: dict[str, str] = {
    "แกนนำ": "leader",
    "แกนนำเครือข่าย": "leader",
    "แกนนำราชการใสสะอาด": "leader",
    "leader": "leader",
    "network leader": "leader",
    "สมาชิก": "member",
    "สมาชิกเครือข่าย": "member",
    "เครือข่าย": "member",
    "member": "member",
    "network member": "member",
    "ผู้เข้าร่วม": "participant",
    "ผู้เข้าร่วมกิจกรรม": "participant",
    "ผู้เข้าร่วมโครงการ": "participant",
    "บุคคลทั่วไป": "participant",
    "ทั่วไป": "participant",
    "participant": "participant",
}

LEFT_REASONS: dict[str, dict[str, str]] = entries("left_reason")
LEFT_REASON_ALIASES: dict[str, str] = {
    "โยกย้าย": "transfer",
    "ย้าย": "transfer",
    "แต่งตั้งโยกย้าย": "transfer",
    "ย้ายหน่วยงาน": "transfer",
    "โอนย้าย": "transfer",
    "transfer": "transfer",
    "transferred": "transfer",
    "เกษียณ": "retirement",
    "เกษียณอายุ": "retirement",
    "เกษียณอายุราชการ": "retirement",
    "retirement": "retirement",
    "retired": "retirement",
    "ลาออก": "resignation",
    "ลาออกจากราชการ": "resignation",
    "resignation": "resignation",
    "resigned": "resignation",
    "ถึงแก่กรรม": "death",
    "เสียชีวิต": "death",
    "death": "death",
    "อื่นๆ": "other",
    "อื่น ๆ": "other",
    "other": "other",
}


def label(vocabulary: dict[str, dict[str, str]], code: str, lang: str = "th") -> str:
    """Display label of ``code`` in ``lang``; unknown codes are returned unchanged."""
    entry = vocabulary.get(code)
    return entry[lang] if entry else code


#: The vocabulary of each grouping column whose values are codes.
GROUP_VOCABULARIES: dict[str, dict[str, dict[str, str]]] = {"staff_type": STAFF_TYPES,
                                                             "role": ROLES}


def group_label(column: str, value: object, lang: str = "th") -> str:
    """Display label of a group value: staff type and role codes get their words, a missing
    value reads ``ไม่ระบุ`` / ``Not stated``, anything else is shown as it is.

    A fiscal year is shown as it is here; :func:`cleannet_eval.charts.theme.group_label`
    writes it out (``ปีงบประมาณ 2551``).

    Examples
    --------
    >>> group_label("staff_type", "citizen", "en"), group_label("role", None, "en")
    ('Citizen sector', 'Not stated')
    """
    try:
        missing = value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        missing = False
    if missing:
        return text("group.not_stated", lang)
    if column in GROUP_VOCABULARIES:
        return label(GROUP_VOCABULARIES[column], str(value), lang)
    return str(value)
