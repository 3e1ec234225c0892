"""The command line: score and summary on the demo data, and one-line errors."""

from __future__ import annotations

import json

import pytest

from cleannet_eval.cli import main
from cleannet_eval.instruments import load_instrument

from conftest import DEMO_RAW

SURVEY_KEYS = {"respondents", "overall_mean", "factors"}
FACTOR_KEYS = {"n", "mean", "sd", "level_th", "level_en", "alpha", "suppressed"}
PARTICIPATION_KEYS = {"activities", "attendances", "unique_participants", "coverage",
                      "citizen_share"}
NETWORK_KEYS = {"leaders", "members", "recruits_per_leader_median", "max_cascade_depth",
                "leader_retention", "members_active_share"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_summary_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "summary", "--raw", str(DEMO_RAW), "--fiscal-year", "2551",
                         "--json")
    assert status == 0
    summary = json.loads(out)
    assert summary["fiscal_year"] == 2551 and summary["unit"] is None
    assert set(summary["survey"]) >= SURVEY_KEYS
    keys = [f.key for f in load_instrument().factors]
    assert list(summary["survey"]["factors"]) == keys
    for factor in summary["survey"]["factors"].values():
        assert set(factor) >= FACTOR_KEYS
        assert factor["suppressed"] is False and 1 <= factor["mean"] <= 5
    assert set(summary["participation"]) >= PARTICIPATION_KEYS
    assert set(summary["network"]) >= NETWORK_KEYS
    assert summary["survey"]["respondents"] == 407


def test_summary_of_a_small_group_is_suppressed(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "summary", "--raw", str(DEMO_RAW), "--fiscal-year", "2550",
                         "--unit", "ศูนย์ปฏิบัติการต่อต้านการทุจริต", "--min-group-size", "10",
                         "--json")
    assert status == 0
    survey = json.loads(out)["survey"]
    assert survey["suppressed"] is True
    for factor in survey["factors"].values():
        assert factor["suppressed"] is True and factor["mean"] is None and factor["n"] is None


def test_summary_unknown_unit_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "summary", "--raw", str(DEMO_RAW), "--unit", "กองสมมุติ")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "กองสมมุติ" in err and "กองคลัง" in err  # the valid units are listed


def test_score_a_survey_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "score", str(DEMO_RAW / "survey_2550.xlsx"), "--format", "csv",
                         "--lang", "en")
    assert status == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1 + 5 + 1  # header, five factors, overall
    assert "Top Management Support" in out


def test_score_unknown_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "score", str(DEMO_RAW / "survey_2550.xlsx"), "--instrument",
                         "nosuch")
    assert status == 2
    assert "Unknown instrument 'nosuch'" in err and "cleannet5" in err
