"""The expert review (IOC) spreadsheet: recognised by ingest, checked cell by cell, and turned
into the IOC table (IOC = ΣR / N, kept at >= 0.50: Rovinelli & Hambleton 1977)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cleannet_eval.analysis import expert_ratings, ioc
from cleannet_eval.dataset import read_processed
from cleannet_eval.errors import InputError
from cleannet_eval.ingest.expert_review import parse_rating
from cleannet_eval.ingest.pipeline import ingest, load_raw
from cleannet_eval.instruments import load_instrument

INST = load_instrument("cleannet5")
EXPERTS = ["ผู้เชี่ยวชาญคนที่ 1", "ผู้เชี่ยวชาญคนที่ 2", "ผู้เชี่ยวชาญคนที่ 3"]


def _review(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "IOC"
    ws.append(["แบบประเมินความสอดคล้องของข้อคำถาม (IOC)"])
    ws.append(header or ["ข้อ", "ข้อคำถาม", *EXPERTS])
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _units(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["หน่วยงาน", "ปีงบประมาณ", "อัตรากำลัง"])
    wb.active.append(["กองคลัง", 2551, 120])
    wb.save(path)


def test_expert_review_is_read_by_code_or_question_text(tmp_path: Path) -> None:
    items = INST.items
    _review(tmp_path / "raw" / "ioc.xlsx", [
        [1, items[0].code, 1, "+1", 0],
        [2, f"2. {items[1].text_th}", "๑", "−1", 1],   # numbered Thai text, Thai digit, minus
        [3, items[2].text_en, 1, 1, 1],
        [4, items[3].code, -1, 0, "-1"],
    ])
    dataset = load_raw(tmp_path / "raw")
    review = dataset.expert_review
    assert review["item"].tolist() == [c for c in INST.item_codes[:4] for _ in EXPERTS]
    assert review["expert"].tolist()[:3] == EXPERTS
    assert review["rating"].tolist() == [1, 1, 0, 1, -1, 1, 1, 1, 1, -1, 0, -1]
    assert review["source_row"].tolist()[::3] == [3, 4, 5, 6]
    record = dataset.inputs[0]["sheets"][0]
    assert record["kind"] == "expert_review" and record["header_row"] == 2
    table = ioc(expert_ratings(review, INST))
    assert table["item"].tolist() == INST.item_codes[:4]
    assert table["ioc"].tolist() == pytest.approx([2 / 3, 1 / 3, 1.0, -2 / 3])
    assert table["keep"].tolist() == [True, False, True, False]


def test_bad_expert_review_gives_one_line_per_cell(tmp_path: Path) -> None:
    _review(tmp_path / "raw" / "ioc.xlsx", [
        [1, "TMS1", 1, 2, None],
        [2, "XYZ9", 1, 0, None],
        [3, "TMS2", "ok", None, None],
        [4, "TMS1", 1, 1, None],
    ])
    with pytest.raises(InputError) as caught:
        load_raw(tmp_path / "raw")
    found = sorted((p.row, p.column, p.message.split(";")[0]) for p in caught.value.problems)
    assert found == [
        (2, 4, "expert column 'ผู้เชี่ยวชาญคนที่ 3' is empty"),
        (3, 3, "bad rating"),
        (4, 1, "item not in the instrument 'cleannet5'"),
        (5, 2, "bad rating"),
        (5, 3, "rating is missing"),
        (6, 1, "item TMS1 is listed twice (first on row 3)"),
    ]
    assert all(p.file == "ioc.xlsx" and p.sheet == "IOC" for p in caught.value.problems)


def test_cli_ingest_of_a_bad_review_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    _review(tmp_path / "raw" / "ioc.xlsx", [[1, "TMS1", 1, 5, 1]])
    out = tmp_path / "processed"
    done = subprocess.run(
        [sys.executable, "-m", "cleannet_eval.cli", "ingest", "--raw", str(tmp_path / "raw"),
         "--out", str(out)], capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert lines == ["error: ioc.xlsx sheet 'IOC': row 3, column D (ผู้เชี่ยวชาญคนที่ 2): '5' — "
                     "bad rating; expected +1 (congruent), 0 (unsure) or -1 (not congruent)"]
    assert not out.exists()


def test_expert_review_round_trips_through_processed(tmp_path: Path) -> None:
    _review(tmp_path / "raw" / "ioc.xlsx", [[1, "TMS1", 1, 1, 0], [2, "TMS2", 1, 0, 0]])
    ingest(tmp_path / "raw", tmp_path / "out")
    back = read_processed(tmp_path / "out")
    assert back.expert_review["rating"].tolist() == [1, 1, 0, 1, 0, 0]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["expert_review"] == 6
    # without a review the file is not written, and the table reads back empty
    (tmp_path / "raw" / "ioc.xlsx").unlink()
    _units(tmp_path / "raw" / "units.xlsx")
    ingest(tmp_path / "raw", tmp_path / "out")
    assert not (tmp_path / "out" / "expert_review.parquet").exists()
    assert "expert_review" not in json.loads(
        (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["tables"]
    assert read_processed(tmp_path / "out").expert_review.empty


@pytest.mark.parametrize(("value", "rating"), [
    (1, 1), (0, 0), (-1, -1), (1.0, 1), ("+1", 1), ("−1", -1), ("– 1", -1), ("๐", 0),
    (2, None), ("1.5", None), ("yes", None), (True, None), (None, None), ("", None),
])
def test_parse_rating(value: object, rating: int | None) -> None:
    assert parse_rating(value) == rating


def test_expert_ratings_is_items_by_experts() -> None:
    long = pd.DataFrame({"item": ["PM1", "TMS1", "PM1", "TMS1"], "expert": ["A", "A", "B", "B"],
                         "rating": pd.array([1, 0, 1, -1], dtype="Int64")})
    wide = expert_ratings(long, INST)
    assert wide.index.tolist() == ["TMS1", "PM1"]  # instrument order
    assert wide.columns.tolist() == ["A", "B"]
    assert wide.to_numpy().tolist() == [[0, -1], [1, 1]]


def test_review_forced_by_sources_yml_needs_expert_columns(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _review(raw / "ioc.xlsx", [[1, "TMS1", 1, 1, 1]],
            header=["ลำดับ", "รหัสข้อ", "คะแนน 1", "คะแนน 2", "คะแนน 3"])
    (raw / "sources.yml").write_text('files:\n  "ioc.xlsx":\n    kind: expert_review\n'
                                     '    header_row: 2\n',
                                     encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_raw(raw)
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert problem.row == 2 and problem.message.startswith("no expert column")
