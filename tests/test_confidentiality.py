"""Minimum group size with secondary suppression; comments only for groups of 10 or more.

The rules for one table of sibling groups moved to ``tests/test_disclosure.py`` with the
retired ``suppress_small_groups``: the disclosure pattern decides every suppression.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cleannet_eval.analysis import (
    factor_table,
    score_respondents,
    suppression_label,
    visible_comments,
)
from cleannet_eval.errors import CleannetError, ConfigError
from cleannet_eval.instruments import load_instrument
from cleannet_eval.render.score_table import render_factor_table

INST = load_instrument("cleannet5")
CODES = INST.item_codes


def make_survey(sizes: dict[str, int], seed: int = 0, year: int = 2551,
                comments: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for unit, n in sizes.items():
        values = rng.integers(1, 6, size=(n, len(CODES))).astype(float)
        values[rng.random(values.shape) < 0.05] = np.nan
        frame = pd.DataFrame(values, columns=CODES).astype("Int64")
        frame.insert(0, "respondent", [f"{unit}{i}" for i in range(n)])
        frame.insert(1, "unit", unit)
        frame.insert(2, "staff_type", "civil_servant")
        frame.insert(3, "role", "member")
        frame.insert(4, "date", pd.NaT)
        frame.insert(5, "fiscal_year", pd.array([year] * n, dtype="Int64"))
        frame.insert(6, "comment", [f"ความเห็น {unit}{i}" if comments else pd.NA
                                    for i in range(n)])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# ----------------------------------------------------------------- the rule


def test_suppression_label_names_the_minimum() -> None:
    assert suppression_label(10) == "n < 10"
    assert suppression_label() == "n < 5"


def test_factor_table_no_suppressed_n_or_mean_from_total_and_siblings() -> None:
    sizes = {"กองกลาง": 3, "กองการเจ้าหน้าที่": 11, "สำนักบริหารการทะเบียน": 8,
             "สำนักการสอบสวนและนิติการ": 25, "กองวิชาการและแผนงาน": 40}
    survey = make_survey(sizes, seed=4)
    total = factor_table(survey, INST).set_index("factor")
    by_unit = factor_table(survey, INST, by="unit")
    scores = score_respondents(survey, INST)
    assert not total["suppressed"].any()
    for factor, rows in by_unit.groupby("factor"):
        shown, hidden = rows[~rows["suppressed"]], rows[rows["suppressed"]]
        assert len(hidden) >= 2  # the small unit plus at least one sibling
        # subtraction gives only the combined figure of the hidden units
        residual_n = total.loc[factor, "n"] - shown["n"].sum()
        residual_sum = (total.loc[factor, "n"] * total.loc[factor, "mean"]
                        - (shown["n"] * shown["mean"]).sum())
        true = scores.groupby("unit")[factor].agg(["count", "mean"]).loc[hidden["unit"]]
        assert residual_n == true["count"].sum()
        assert residual_n >= 5
        for unit, row in true.iterrows():
            assert residual_n != row["count"], unit
            assert residual_sum / residual_n != pytest.approx(row["mean"]), unit
    # the rendered table shows the marker, never a number, in hidden rows: "n < 5" for the
    # small unit, and (issue #10) its own label for the unit hidden to protect it
    text = render_factor_table(by_unit, "table", lang="en")
    for line in text.splitlines():
        if line.startswith(("กองกลาง", "สำนักบริหารการทะเบียน")):
            marker = "n < 5" if line.startswith("กองกลาง") else "hidden to protect a small group"
            assert marker in line
            assert not any(ch.isdigit() for ch in line.replace("n < 5", ""))


# ----------------------------------------------------------------- comments


def test_comments_only_for_groups_of_ten() -> None:
    survey = make_survey({"A": 12, "B": 10, "C": 9, "D": 30}, comments=True)
    shown = visible_comments(survey, "unit")
    # C (9) is below 10; B (10, the next smallest) is hidden too
    assert set(shown["unit"]) == {"A", "D"}
    assert len(shown) == 42
    assert shown["comment"].iloc[0] == "ความเห็น A0"


def test_comments_whole_table_needs_ten() -> None:
    assert visible_comments(make_survey({"A": 9}, comments=True)).empty
    assert len(visible_comments(make_survey({"A": 10}, comments=True))) == 10


def test_empty_comments_are_dropped() -> None:
    survey = make_survey({"A": 12}, comments=True)
    survey.loc[[0, 1], "comment"] = ["", "   "]
    survey.loc[2, "comment"] = pd.NA
    assert len(visible_comments(survey, "unit")) == 9


def test_comment_threshold_is_a_setting() -> None:
    survey = make_survey({"A": 6, "B": 7}, comments=True)
    assert len(visible_comments(survey, "unit", min_size=5)) == 13


# ----------------------------------------------------------------- hygiene


def test_inputs_are_not_modified() -> None:
    survey = make_survey({"A": 12, "B": 3}, comments=True)
    before = survey.copy(deep=True)
    visible_comments(survey, "unit")
    pd.testing.assert_frame_equal(survey, before)


def test_missing_column_is_named() -> None:
    with pytest.raises(CleannetError, match="Column\\(s\\) 'comment' not in the survey table"):
        visible_comments(pd.DataFrame({"unit": ["A"]}), "unit")


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_invalid_minimum_size(size: object) -> None:
    with pytest.raises(ConfigError, match="Minimum group size must be a whole number >= 1"):
        visible_comments(make_survey({"A": 12}, comments=True), "unit", min_size=size)
    with pytest.raises(ConfigError, match="Minimum group size must be a whole number >= 1"):
        suppression_label(size)
