"""The blank templates in docs/templates/: filled in, each ingests as its kind; blank, each is
reported as having no data rows; they are deterministic and never stale; and every header
spelling that docs/data-format.md lists is one that ingest recognises."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cleannet_eval.errors import InputError
from cleannet_eval.ingest.headers import (
    FIELD_ALIASES,
    classify_header,
    describe_kind,
    header_key,
)
from cleannet_eval.ingest.pipeline import load_raw
from cleannet_eval.ingest.privacy import national_id_check_digit
from cleannet_eval.instruments import load_instrument
from cleannet_eval.templates import TEMPLATE_FILES, _templates, write_templates

from conftest import REPO

DOCS = REPO / "docs"
COMMITTED = DOCS / "templates"
DATA_FORMAT = DOCS / "data-format.md"

#: Template → (kind it must be read as, its data sheet).
KINDS = {
    "template_attendance.xlsx": ("attendance", "ผู้เข้าร่วมกิจกรรม"),
    "template_signin_sheet.xlsx": ("attendance", "ใบลงชื่อ"),
    "template_network_roster.xlsx": ("roster", "ทะเบียนเครือข่าย"),
    "template_survey.xlsx": ("survey", "แบบสอบถาม"),
    "template_units.xlsx": ("units", "หน่วยงาน"),
    "template_expert_review.xlsx": ("expert_review", "ความสอดคล้อง IOC"),
}


def _items() -> dict[str, str]:
    """Header key → item code, for every item code and question text of the instrument."""
    index = {}
    for item in load_instrument().items:
        for text in (item.code, item.text_th, item.text_en):
            index[header_key(text)] = item.code
    return index


def _national_id(first12: str) -> str:
    return first12 + str(national_id_check_digit(first12))


ID_1, ID_2 = _national_id("390000000001"), _national_id("390000000002")
UNITS = ("กองคลัง", "สำนักบริหารการทะเบียน")

#: Two rows of synthetic values for every field a template uses (invented people only).
VALUES: dict[str, tuple[object, object]] = {
    "seq": (1, 2),
    "name": ("นายสมมติ ทดสอบ", "นางสาวตัวอย่าง ข้อมูลสมมุติ"),
    "national_id": (ID_1, ID_2),
    "unit": UNITS,
    "parent": (None, None),
    "staff_type": ("ข้าราชการ", "ลูกจ้าง"),
    "role": ("แกนนำ", "สมาชิกเครือข่าย"),
    "activity": ("อบรมแกนนำ รุ่นทดสอบ", "อบรมแกนนำ รุ่นทดสอบ"),
    "date": ("5/11/2550", "๕ พ.ย. ๒๕๕๐"),
    "survey_date": ("16/6/2551", "17 มิถุนายน 2551"),
    "joined": ("5/11/2550", "12/11/2550"),
    "recruited_by": (None, "นายสมมติ ทดสอบ"),
    "recruited_by_id": (None, ID_1),
    "left": (None, "1/10/2551"),
    "left_reason": (None, "แต่งตั้งโยกย้าย"),
    "headcount": (120, 310),
    "fiscal_year": (2551, 2551),
    "respondent": ("51-001", "51-002"),
    "comment": ("ควรจัดกิจกรรมบ่อยขึ้น", None),
    "ignore": (None, None),
    "item": ("TMS1", "TMS2"),
}


def _header_row(ws) -> int:
    """1-based row of the header: the first row with three or more filled cells."""
    for row in ws.iter_rows(min_row=1, max_row=30):
        if sum(cell.value not in (None, "") for cell in row) >= 3:
            return row[0].row
    raise AssertionError(f"no header row in sheet {ws.title!r}")


def _fill(template: Path, target: Path, title_values: bool = True) -> None:
    """Copy ``template`` to ``target`` with two rows of synthetic data below its header."""
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    header = _header_row(ws)
    items = _items()
    for col in range(1, ws.max_column + 1):
        field = classify_header(ws.cell(header, col).value, items)
        assert field is not None, f"{template.name}: header {ws.cell(header, col).value!r}"
        if field.startswith("item:"):
            values: tuple[object, object] = (5, 4)
        elif field.startswith("expert:"):
            values = (1, 0)
        else:
            values = VALUES[field]
        for offset, value in enumerate(values, start=1):
            ws.cell(header + offset, col).value = value
    if title_values:
        for row in range(1, header):
            label = ws.cell(row, 1).value
            if label == FIELD_ALIASES["activity"][0]:
                ws.cell(row, 2).value = "อบรมแกนนำ รุ่นทดสอบ"
            elif label == FIELD_ALIASES["date"][0]:
                ws.cell(row, 2).value = "5 พฤศจิกายน 2550"
    wb.save(target)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    write_templates(folder)
    return folder


def test_write_templates_writes_every_template(tmp_path: Path) -> None:
    written = write_templates(tmp_path / "new")
    assert [p.name for p in written] == sorted(TEMPLATE_FILES) == sorted(KINDS)
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(TEMPLATE_FILES)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_filled_template_is_ingested_as_its_kind(name: str, fresh: Path, tmp_path: Path) -> None:
    kind, sheet = KINDS[name]
    raw = tmp_path / "raw"
    raw.mkdir()
    _fill(fresh / name, raw / name)
    if kind != "units":
        _fill(fresh / "template_units.xlsx", raw / "template_units.xlsx")

    dataset = load_raw(raw, today=dt.date(2026, 1, 1))

    # two filled rows; the expert review's tidy table has one row per item and expert (3)
    rows = 2 * (3 if kind == "expert_review" else 1)
    assert len(dataset.table(kind)) == rows
    record = next(r for r in dataset.inputs if r["file"] == name)
    assert record["sheets"] == [
        {"sheet": sheet, "kind": kind, "header_row": _header_row(
            openpyxl.load_workbook(fresh / name).worksheets[0]), "rows": rows}
    ]
    # Every header is recognised: no "column not recognised" or duplicate-column warning.
    assert [w for w in dataset.warnings if w["file"] == name] == []


def test_filled_templates_carry_their_values(fresh: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in KINDS:
        _fill(fresh / name, raw / name)

    dataset = load_raw(raw, today=dt.date(2026, 1, 1))

    assert dataset.warnings == []
    signin = dataset.attendance[dataset.attendance["source_file"] == "template_signin_sheet.xlsx"]
    assert set(signin["activity"]) == {"อบรมแกนนำ รุ่นทดสอบ"}
    assert set(signin["date"]) == {dt.datetime(2007, 11, 5)}
    assert set(signin["fiscal_year"]) == {2551}
    roster = dataset.roster
    assert roster["role"].tolist() == ["leader", "member"]
    assert roster["recruited_by_key"].iloc[1] == roster["person_key"].iloc[0]
    assert roster["left_reason"].iloc[1] == "transfer"
    survey = dataset.survey
    assert survey["respondent"].tolist() == ["51-001", "51-002"]
    assert survey["TMS1"].tolist() == [5, 4] and survey["CA5"].tolist() == [5, 4]
    review = dataset.expert_review
    assert review["item"].tolist() == ["TMS1"] * 3 + ["TMS2"] * 3
    assert review["rating"].tolist() == [1, 1, 1, 0, 0, 0]
    units = dataset.units
    assert sorted(units["unit"]) == sorted(UNITS)
    assert set(units["fiscal_year"]) == {2551}


def test_signin_sheet_without_activity_or_date_is_an_error(fresh: Path, tmp_path: Path) -> None:
    # The title labels carry no colon, so an unfilled title row is missing, not ":".
    raw = tmp_path / "raw"
    raw.mkdir()
    _fill(fresh / "template_signin_sheet.xlsx", raw / "signin.xlsx", title_values=False)
    _fill(fresh / "template_units.xlsx", raw / "units.xlsx")

    with pytest.raises(InputError) as caught:
        load_raw(raw)

    messages = [p.message for p in caught.value.problems]
    assert any("missing required column" in m and "กิจกรรม" in m for m in messages), messages


@pytest.mark.parametrize("name", sorted(KINDS))
def test_blank_template_has_no_data_rows(name: str, fresh: Path, tmp_path: Path) -> None:
    kind, sheet = KINDS[name]
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(fresh / name, raw / name)

    with pytest.raises(InputError) as caught:
        load_raw(raw)

    (problem,) = caught.value.problems
    header = _header_row(openpyxl.load_workbook(fresh / name).worksheets[0])
    assert problem.file == name and problem.sheet == sheet and problem.row == header
    assert f"{describe_kind(kind)} on row {header} but no data rows below it" in problem.message


def test_templates_are_deterministic(tmp_path: Path) -> None:
    first = write_templates(tmp_path / "a")
    second = write_templates(tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
        with zipfile.ZipFile(one) as archive:
            assert {i.date_time for i in archive.infolist()} == {(2008, 1, 1, 0, 0, 0)}
            core = archive.read("docProps/core.xml").decode("utf-8")
        # openpyxl stamps "now" while saving; the template must carry the fixed time instead.
        assert core.count("2008-01-01T00:00:00Z") == 2, core


def _contents(path: Path) -> list[tuple[str, tuple[int, ...], bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, i.date_time, archive.read(i)) for i in archive.infolist()]


def test_committed_templates_are_up_to_date(fresh: Path) -> None:
    committed = sorted(p.name for p in COMMITTED.glob("*.xlsx"))
    assert committed == sorted(TEMPLATE_FILES), (
        "regenerate with: python -c \"from cleannet_eval.templates import write_templates; "
        "write_templates('docs/templates')\""
    )
    for name in TEMPLATE_FILES:
        # Zip members compared uncompressed: another zlib may deflate the same data differently.
        assert _contents(COMMITTED / name) == _contents(fresh / name), (
            f"docs/templates/{name} is stale; regenerate with write_templates('docs/templates')"
        )


def test_templates_have_dropdowns_and_hidden_help_sheets(fresh: Path) -> None:
    lists: dict[str, set[str]] = {}
    for name in TEMPLATE_FILES:
        wb = openpyxl.load_workbook(fresh / name)
        data, *others = wb.worksheets
        assert data.sheet_state == "visible" and wb.active.title == data.title
        assert [ws.title for ws in others] == (
            ["คำถาม", "คำอธิบาย"] if name == "template_survey.xlsx" else ["คำอธิบาย"]
        )
        # Ingest reads every visible sheet and stops at one without a table.
        assert all(ws.sheet_state == "hidden" for ws in others)
        header = _header_row(data)
        assert all(data.cell(header, c).font.b for c in range(1, data.max_column + 1))
        for dv in data.data_validations.dataValidation:
            # Excel refuses a workbook whose validation texts exceed these lengths.
            assert len(dv.prompt or "") <= 255 and len(dv.promptTitle or "") <= 32
            assert len(dv.error or "") <= 225 and len(dv.errorTitle or "") <= 32
            if dv.type == "list":
                assert len(dv.formula1) <= 255
                column = next(iter(dv.sqref.ranges)).min_col
                lists.setdefault(data.cell(header, column).value, set()).add(dv.formula1)
    assert lists["ประเภทบุคลากร"] == {'"ข้าราชการ,ลูกจ้าง,พนักงานราชการ,ภาคประชาชน"'}
    assert '"แกนนำ,สมาชิกเครือข่าย"' in lists["บทบาท"]
    assert lists["สาเหตุการพ้นสภาพ"] == {
        '"แต่งตั้งโยกย้าย,เกษียณอายุราชการ,ลาออก,ถึงแก่กรรม,อื่น ๆ"'
    }
    assert lists["TMS1"] == lists["CA5"] == {'"1,2,3,4,5"'}


def test_template_headers_mean_the_intended_fields() -> None:
    items = _items()
    for template in _templates(load_instrument()):
        for column in template.columns:
            assert classify_header(column.header, items) == column.field, column.header


def test_survey_template_lists_every_question(fresh: Path) -> None:
    wb = openpyxl.load_workbook(fresh / "template_survey.xlsx")
    instrument = load_instrument()
    header = _header_row(wb.worksheets[0])
    codes = [c.value for c in wb.worksheets[0][header]][6:-1]
    assert codes == instrument.item_codes
    rows = {r[0]: r[1] for r in wb["คำถาม"].iter_rows(values_only=True) if r and r[0]}
    assert all(rows[item.code] == item.text_th for item in instrument.items)


# --- docs/data-format.md --------------------------------------------------------------------

_BACKTICKED = re.compile(r"`([^`]+)`")


def _doc_header_spellings() -> list[tuple[str, str]]:
    """``(field, spelling)`` for every backticked spelling in a header column of a table.

    A table counts when one of its column titles contains "header"; the field is the
    backticked name in its "Field" column.
    """
    found: list[tuple[str, str]] = []
    lines = DATA_FORMAT.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].lstrip().startswith("|"):
            index += 1
            continue
        block = []
        while index < len(lines) and lines[index].lstrip().startswith("|"):
            block.append([c.strip() for c in lines[index].strip().strip("|").split("|")])
            index += 1
        titles = [t.lower() for t in block[0]]
        header_cols = [i for i, t in enumerate(titles) if "header" in t]
        if not header_cols or "field" not in titles:
            continue
        field_col = titles.index("field")
        for row in block[2:]:
            (field,) = _BACKTICKED.findall(row[field_col])
            for col in header_cols:
                found += [(field, s) for s in _BACKTICKED.findall(row[col])]
    return found


def test_every_documented_header_spelling_is_recognised() -> None:
    spellings = _doc_header_spellings()
    assert len(spellings) > 150  # the tables were found and parsed
    items = _items()
    wrong = []
    for field, spelling in spellings:
        got = classify_header(spelling, items)
        if got != field and not (got or "").startswith(field + ":"):
            wrong.append(f"`{spelling}` is documented as {field} but read as {got}")
    assert not wrong, "\n".join(wrong)


def test_every_recognised_header_spelling_is_documented() -> None:
    documented = set(_doc_header_spellings())
    missing = [
        f"{field}: `{alias}`"
        for field, aliases in FIELD_ALIASES.items()
        for alias in aliases
        if (field, alias) not in documented
    ]
    assert not missing, "add to the header spellings table of docs/data-format.md:\n" + (
        "\n".join(missing)
    )


def test_docs_link_every_template() -> None:
    text = DATA_FORMAT.read_text(encoding="utf-8")
    for name in TEMPLATE_FILES:
        assert f"](templates/{name})" in text, name
