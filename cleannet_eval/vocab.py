"""Controlled vocabularies: the codes stored in processed tables and their Thai/English labels.

Processed tables hold stable English codes (``civil_servant``, ``leader`` ...); reports show the
labels. ``*_ALIASES`` map the spellings found in office spreadsheets (after text normalisation and
case folding) to the codes.
"""

from __future__ import annotations

STAFF_TYPES: dict[str, dict[str, str]] = {
    "civil_servant": {"th": "ข้าราชการ", "en": "Civil servant"},
    "permanent_employee": {"th": "ลูกจ้าง", "en": "Permanent employee"},
    "government_employee": {"th": "พนักงานราชการ", "en": "Government employee"},
    "citizen": {"th": "ภาคประชาชน", "en": "Citizen sector"},
}
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

ROLES: dict[str, dict[str, str]] = {
    "leader": {"th": "แกนนำ", "en": "Network leader"},
    "member": {"th": "สมาชิกเครือข่าย", "en": "Network member"},
    "participant": {"th": "ผู้เข้าร่วม", "en": "Participant"},
}
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

LEFT_REASONS: dict[str, dict[str, str]] = {
    "transfer": {"th": "แต่งตั้งโยกย้าย", "en": "Transfer"},
    "retirement": {"th": "เกษียณอายุราชการ", "en": "Retirement"},
    "resignation": {"th": "ลาออก", "en": "Resignation"},
    "death": {"th": "ถึงแก่กรรม", "en": "Death"},
    "other": {"th": "อื่น ๆ", "en": "Other"},
}
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
