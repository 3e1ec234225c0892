"""Minimum group size with secondary suppression; comments only for groups of 10 or more."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from cleannet_eval.analysis import (
    factor_table,
    score_respondents,
    suppress_small_groups,
    suppression_label,
    suppression_mask,
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


def groups_table(sizes: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"unit": [f"U{i}" for i in range(len(sizes))], "n": sizes,
                         "mean": np.linspace(3, 4, len(sizes))})


# ----------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ([12, 30, 7], []),                         # nothing small
        ([3, 12, 7, 30], ["U0", "U2"]),            # one small: next-smallest sibling too
        ([3, 12, 30, 7], ["U0", "U3"]),            # order does not matter
        ([3, 4, 30, 40], ["U0", "U1"]),            # two small together: 3 + 4 >= 5
        ([1, 2, 30, 40, 50], ["U0", "U1", "U2"]),  # 1 + 2 < 5: a third one
        ([2, 2, 2], ["U0", "U1", "U2"]),           # everything small
        ([4, 20], ["U0", "U1"]),                   # two siblings: both go
        ([4], ["U0"]),                             # single group
        ([3, 9, 9, 30], ["U0", "U1"]),             # ties: the first of the smallest
    ],
)
def test_primary_and_secondary_suppression(sizes: list[int], hidden: list[str]) -> None:
    table = suppress_small_groups(groups_table(sizes), "unit")
    assert table.loc[table["suppressed"], "unit"].tolist() == hidden
    assert table.loc[table["suppressed"], ["n", "mean"]].isna().all().all()
    assert table.loc[~table["suppressed"], "n"].tolist() == [
        n for i, n in enumerate(sizes) if f"U{i}" not in hidden
    ]


def test_minimum_size_is_a_setting() -> None:
    table = suppress_small_groups(groups_table([8, 12, 30]), "unit", min_size=10)
    assert table["suppressed"].tolist() == [True, True, False]
    assert suppression_label(10) == "n < 10"
    assert suppression_label() == "n < 5"


def assert_nothing_recoverable(n: np.ndarray, hidden: np.ndarray, min_size: int) -> None:
    """From the total and the shown siblings only the combined hidden figure follows."""
    if not hidden.any():
        return
    residual = n.sum() - n[~hidden].sum()  # what subtraction gives
    assert hidden.sum() >= 2 or hidden.all()
    if not hidden.all():
        assert residual >= min_size  # the combined hidden groups are not a small group
        assert all(residual != n_i for n_i in n[hidden])  # nor any single hidden group


@pytest.mark.parametrize("seed", range(100))
def test_no_hidden_group_can_be_recovered_random_layouts(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = rng.integers(0, 25, size=rng.integers(2, 9))
    hidden = suppression_mask(n, [(None, range(len(n)))], min_size=5)
    assert (hidden[n < 5]).all()
    assert_nothing_recoverable(n, hidden, 5)


@pytest.mark.parametrize("seed", range(40))
def test_cross_table_rows_and_columns_are_all_protected(seed: int) -> None:
    rng = np.random.default_rng(seed)
    years, units = rng.integers(2, 4), rng.integers(2, 6)
    keys = pd.DataFrame(list(itertools.product(range(years), range(units))),
                        columns=["fiscal_year", "unit"])
    keys["n"] = rng.integers(0, 20, size=len(keys))
    table = suppress_small_groups(keys.assign(value=keys["n"]), ["fiscal_year", "unit"],
                                  columns=["value"])
    hidden = table["suppressed"].to_numpy()
    for col in ("fiscal_year", "unit"):
        for _, line in keys.groupby(col).groups.items():
            idx = np.asarray(list(line))
            assert_nothing_recoverable(keys["n"].to_numpy()[idx], hidden[idx], 5)


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


def test_linked_totals_are_protected_too() -> None:
    # cells 0..2 add up to cell 3 (a margin that may be hidden), which with cell 4 adds up to
    # a total published elsewhere
    n = np.array([3, 10, 12, 25, 30])
    hidden = suppression_mask(n, [(3, [0, 1, 2]), (None, [3, 4])], min_size=5)
    assert hidden.tolist() == [True, True, False, False, False]
    n = np.array([1, 1, 2, 4, 30])  # the margin is small itself: its sibling 4 goes too
    hidden = suppression_mask(n, [(3, [0, 1, 2]), (None, [3, 4])], min_size=5)
    assert hidden.all()


def test_margin_is_hidden_when_it_protects_a_row_and_a_column() -> None:
    # unit x year: a (2551) = 3 is small. Hiding b's all-years figure protects both b's row
    # and the column of unit totals, so b's 2550 figure can stay.
    cells = ["a2551", "b2550", "b2551", "a_all", "b_all", "all2550", "all2551", "all"]
    n = np.array([3, 15, 18, 3, 33, 15, 21, 36])
    i = {c: k for k, c in enumerate(cells)}
    equations = [
        (i["all2550"], [i["b2550"]]),
        (i["all2551"], [i["a2551"], i["b2551"]]),
        (i["a_all"], [i["a2551"]]),
        (i["b_all"], [i["b2550"], i["b2551"]]),
        (i["all"], [i["a_all"], i["b_all"]]),
        (i["all"], [i["all2550"], i["all2551"]]),
    ]
    hidden = suppression_mask(n, equations, min_size=5)
    assert [c for c in cells if hidden[i[c]]] == ["a2551", "b2551", "a_all", "b_all"]


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
    table = groups_table([3, 12, 7, 30])
    before = table.copy(deep=True)
    suppress_small_groups(table, "unit")
    pd.testing.assert_frame_equal(table, before)
    survey = make_survey({"A": 12, "B": 3}, comments=True)
    before = survey.copy(deep=True)
    visible_comments(survey, "unit")
    pd.testing.assert_frame_equal(survey, before)


def test_missing_column_is_named() -> None:
    with pytest.raises(CleannetError, match="Column\\(s\\) 'province' not in the table"):
        suppress_small_groups(groups_table([5, 6]), "province")
    with pytest.raises(CleannetError, match="Column\\(s\\) 'comment' not in the survey table"):
        visible_comments(pd.DataFrame({"unit": ["A"]}), "unit")


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_invalid_minimum_size(size: object) -> None:
    with pytest.raises(ConfigError, match="Minimum group size must be a whole number >= 1"):
        suppress_small_groups(groups_table([5, 6]), "unit", min_size=size)
