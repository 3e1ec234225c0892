"""``cleannet-eval quality``: the instrument-quality chapter as JSON, on the demo data and with
an expert review; the numbers are those of the tested functions (tests/test_quality.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from cleannet_eval.analysis import reliability_table, sample_size_krejcie_morgan
from cleannet_eval.cli import main
from cleannet_eval.ingest.pipeline import load_raw
from cleannet_eval.instruments import load_instrument

from conftest import DEMO_RAW

KEYS = {"fiscal_year", "respondents", "suppressed", "ioc", "reliability", "items",
        "kmo_bartlett", "cfa", "sample_adequacy", "notes"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def demo_with_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(DEMO_RAW, raw, dirs_exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["รหัสข้อ", "ผู้เชี่ยวชาญคนที่ 1", "ผู้เชี่ยวชาญคนที่ 2", "ผู้เชี่ยวชาญคนที่ 3"])
    for i, code in enumerate(load_instrument().item_codes):
        ws.append([code, 1, 1 if i % 4 else -1, 0])
    wb.save(raw / "expert_review.xlsx")
    return raw


def test_quality_json_of_the_demo(capsys: pytest.CaptureFixture[str],
                                  demo_with_review: Path) -> None:
    status, out, err = run(capsys, "quality", "--raw", str(demo_with_review),
                           "--fiscal-year", "2551", "--json")
    assert status == 0, err
    quality = json.loads(out)
    assert set(quality) == KEYS
    assert quality["fiscal_year"] == 2551 and not quality["suppressed"]
    # IOC: every 4th item rated (+1, -1, 0) = 0 → dropped; the others (+1, +1, 0) = 0.67
    assert [r["keep"] for r in quality["ioc"]] == [i % 4 != 0 for i in range(23)]
    assert quality["ioc"][1]["ioc"] == pytest.approx(0.6667)
    dataset = load_raw(demo_with_review)
    survey = dataset.survey[dataset.survey["fiscal_year"] == 2551]
    expected = reliability_table(survey, dataset.instrument)
    assert [r["alpha"] for r in quality["reliability"]] == expected["alpha"].round(4).tolist()
    assert [r["omega"] for r in quality["reliability"]] == expected["omega"].round(4).tolist()
    assert {"r_drop", "alpha_if_deleted", "omega_if_deleted", "t", "p"} <= set(
        quality["items"][0])
    assert quality["cfa"]["fit"]["converged"] and quality["cfa"]["fit"]["df"] == 220
    assert [r["index"] for r in quality["cfa"]["reading"]] == ["cfi", "tli", "rmsea", "srmr"]
    assert 0 < quality["kmo_bartlett"]["kmo"] <= 1
    department = [r for r in quality["sample_adequacy"] if r["unit"] is None]
    assert len(department) == 1 and department[0]["responses"] == len(survey)
    assert department[0]["krejcie_morgan_n"] == sample_size_krejcie_morgan(
        department[0]["headcount"])


def test_quality_never_prints_responses_of_a_small_unit(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "quality", "--raw", str(DEMO_RAW), "--json",
                         "--min-group-size", "10")
    assert status == 0
    rows = json.loads(out)["sample_adequacy"]
    units = [r for r in rows if r["unit"] is not None]
    assert any(r["suppressed"] for r in units)
    for row in units:
        if row["suppressed"]:
            assert row["responses"] is None and row["margin_of_error"] is None
            assert row["response_rate"] is None and row["adequate"] is None
        else:
            assert row["responses"] >= 10
    assert json.loads(out)["notes"][0].startswith("no expert review")


def test_quality_unknown_fiscal_year_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "quality", "--raw", str(DEMO_RAW), "--fiscal-year", "2560")
    assert status == 2
    assert err.strip().splitlines() == [
        "error: Fiscal year 2560 has no survey data. Years with data: 2550, 2551"]


def test_quality_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "quality", "--raw", str(DEMO_RAW), "--fiscal-year", "2550")
    assert status == 0
    assert out.splitlines()[0] == "fiscal year: 2550; respondents: 407"
    assert "CFA: chi2" in out and "note: no expert review" in out
