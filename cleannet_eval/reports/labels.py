"""The words the report chrome and the index use, in Thai and English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "th": {
        "department": "ทั้งกรม",
        "fiscal_year": "ปีงบประมาณ",
        "all_years": "ทุกปีงบประมาณ",
        "contents": "สารบัญ",
        "parameters": "พารามิเตอร์",
        "provenance": "ที่มาของรายงาน",
        "inputs": "ไฟล์ข้อมูลนำเข้า",
        "version": "รุ่นโปรแกรม",
        "generated": "สร้างเมื่อ",
        "notebook": "สมุดบันทึก",
        "file": "ไฟล์",
        "index_title": "รายงานการประเมินเครือข่ายราชการใสสะอาด",
        "report": "รายงาน",
        "unit": "หน่วยงาน",
        "status": "สถานะ",
        "error": "ข้อผิดพลาด",
        "failed_notebook": "สมุดบันทึกที่ล้มเหลว",
        "duration": "เวลาที่ใช้",
        "ok": "สำเร็จ",
        "failed": "ล้มเหลว",
        "skipped": "เป็นปัจจุบันแล้ว",
        "reports_count": "รายงาน",
        "seconds": "วินาที",
        "cell": "เซลล์",
    },
    "en": {
        "department": "Whole department",
        "fiscal_year": "Fiscal year",
        "all_years": "All fiscal years",
        "contents": "Contents",
        "parameters": "Parameters",
        "provenance": "Provenance",
        "inputs": "Input files",
        "version": "Package version",
        "generated": "Generated",
        "notebook": "Notebook",
        "file": "File",
        "index_title": "Clean Government Network evaluation reports",
        "report": "Report",
        "unit": "Unit",
        "status": "Status",
        "error": "Error",
        "failed_notebook": "Failed notebook",
        "duration": "Duration",
        "ok": "done",
        "failed": "failed",
        "skipped": "up to date",
        "reports_count": "reports",
        "seconds": "s",
        "cell": "cell",
    },
}


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
