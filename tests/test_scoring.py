"""Respondent scores, factor and item tables, overall index, rendering."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cleannet_eval.analysis import (
    factor_table,
    item_table,
    overall_index,
    score_respondents,
)
from cleannet_eval.errors import CleannetError, ConfigError
from cleannet_eval.instruments import load_instrument
from cleannet_eval.render.score_table import render_factor_table

INST = load_instrument("cleannet5")
CODES = INST.item_codes
FACTORS = [f.key for f in INST.factors]


def make_survey(rows: list[dict], instrument=INST) -> pd.DataFrame:
    """A processed survey table with the real schema; unspecified items are unanswered."""
    records = []
    for i, row in enumerate(rows):
        record = {
            "respondent": f"R{i:03d}", "unit": "กองกลาง", "staff_type": "civil_servant",
            "role": "member", "date": pd.Timestamp("2008-03-01"), "fiscal_year": 2551,
            "comment": pd.NA,
        }
        record.update({c: pd.NA for c in instrument.item_codes})
        record.update(row)
        record.update(source_file="survey.xlsx", source_sheet="Sheet1", source_row=i + 2)
        records.append(record)
    frame = pd.DataFrame(records)
    return frame.astype({c: "Int64" for c in [*instrument.item_codes, "fiscal_year"]})


def all_items(value: int) -> dict:
    return {c: value for c in CODES}


def random_survey(n: int = 80, seed: int = 0, missing: float = 0.05) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = rng.choice(["A", "B", "C", "D"], size=n, p=[0.04, 0.26, 0.3, 0.4])
    rows = []
    for i in range(n):
        row = {c: int(rng.integers(1, 6)) for c in CODES if rng.random() > missing}
        row.update(unit=str(units[i]), fiscal_year=int(rng.choice([2550, 2551])),
                   role=str(rng.choice(["leader", "member", "participant"])))
        rows.append(row)
    return make_survey(rows)


# ----------------------------------------------------------------- respondent scores


def test_reverse_scored_item_is_turned_round() -> None:
    survey = make_survey([all_items(5) | {"TMS5": 1}, all_items(5) | {"TMS5": 5}])
    scores = score_respondents(survey, INST)
    # TMS5 is reverse-scored: 1 -> 5, 5 -> 1
    assert scores["top_management_support"].tolist() == [5.0, (4 * 5 + 1) / 5]


def test_factor_score_is_mean_of_answered_items() -> None:
    row = all_items(4) | {"PS1": 1, "PS2": pd.NA}
    scores = score_respondents(make_survey([row]), INST)
    assert scores.loc[0, "personnel"] == pytest.approx((1 + 4 + 4 + 4) / 4)


@pytest.mark.parametrize(
    ("answered", "min_answered", "scored"),
    [
        (3, None, True),   # 3/5 = 60% >= default 0.6
        (2, None, False),  # 2/5 = 40%
        (2, 0.4, True),
        (5, 1.0, True),
        (4, 1.0, False),
    ],
)
def test_minimum_share_of_answered_items(answered: int, min_answered, scored: bool) -> None:
    items = [i.code for i in INST.factor("personnel").items]
    row = {code: 3 for code in items[:answered]}
    scores = score_respondents(make_survey([row]), INST, min_answered=min_answered)
    assert (not np.isnan(scores.loc[0, "personnel"])) is scored


def test_four_item_factor_needs_three_answers_at_sixty_percent() -> None:
    # ceil(0.6 * 4) = 3
    two = score_respondents(make_survey([{"PM1": 4, "PM2": 4}]), INST)
    three = score_respondents(make_survey([{"PM1": 4, "PM2": 4, "PM3": 1}]), INST)
    assert np.isnan(two.loc[0, "project_mission"])
    assert three.loc[0, "project_mission"] == pytest.approx(3.0)


def test_nan_policy_propagate_needs_every_item() -> None:
    survey = make_survey([all_items(4) | {"CA5": pd.NA}])
    scores = score_respondents(survey, INST, nan_policy="propagate")
    assert np.isnan(scores.loc[0, "client_acceptance"])
    assert scores.loc[0, "personnel"] == 4.0
    assert np.isnan(scores.loc[0, "overall"])


def test_nan_policy_raise_names_the_respondent_and_item() -> None:
    survey = make_survey([all_items(4), all_items(4) | {"CA5": pd.NA}])
    with pytest.raises(CleannetError, match=r"Item CA5 is unanswered \(respondent R001, "
                                            r"survey.xlsx row 3\)"):
        score_respondents(survey, INST, nan_policy="raise")


def test_overall_is_mean_of_the_factor_scores() -> None:
    row = all_items(3) | {c.code: 5 for c in INST.factor("personnel").items}
    row |= {"TMS5": 3}
    scores = score_respondents(make_survey([row]), INST)
    assert scores.loc[0, "overall"] == pytest.approx((3 + 3 + 3 + 5 + 3) / 5)


def test_overall_needs_sixty_percent_of_factors() -> None:
    only_two = {c.code: 4 for f in INST.factors[:2] for c in f.items}
    three = {c.code: 4 for f in INST.factors[:3] for c in f.items}
    scores = score_respondents(make_survey([only_two, three]), INST)
    assert np.isnan(scores.loc[0, "overall"])
    # 3 of 5 factors scored; TMS5 is reversed (4 -> 2), so TMS = (4 * 4 + 2) / 5 = 3.6
    assert scores.loc[1, "overall"] == pytest.approx((3.6 + 4 + 4) / 3)


def test_scores_keep_the_id_columns_and_index() -> None:
    survey = make_survey([all_items(3)] * 3)
    survey.index = [10, 20, 30]
    scores = score_respondents(survey, INST)
    assert list(scores.index) == [10, 20, 30]
    assert list(scores.columns) == ["respondent", "unit", "staff_type", "role", "fiscal_year",
                                    *FACTORS, "overall"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"nan_policy": "drop"}, ConfigError,
         "Unknown nan_policy 'drop'. Valid: omit, propagate, raise"),
        ({"min_answered": 0}, ConfigError, "min_answered must be a share of items in \\(0, 1\\]"),
        ({"min_answered": 60}, ConfigError, "got 60"),
    ],
)
def test_invalid_settings(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        score_respondents(make_survey([all_items(3)]), INST, **kwargs)


def test_answer_off_the_scale_is_an_error() -> None:
    survey = make_survey([all_items(3), all_items(3) | {"SP2": 6}])
    with pytest.raises(CleannetError, match=r"Item SP2: answer 6 \(respondent R001, survey.xlsx "
                                            r"row 3\) is outside the scale. Valid answers: "
                                            r"whole numbers 1–5 or empty"):
        score_respondents(survey, INST)


def test_text_answer_is_an_error() -> None:
    survey = make_survey([all_items(3)]).astype({"PS1": object})
    survey.loc[0, "PS1"] = "มาก"
    with pytest.raises(CleannetError, match="Item PS1: answer 'มาก' is not a number"):
        score_respondents(survey, INST)


def test_missing_item_column_names_the_items() -> None:
    survey = make_survey([all_items(3)]).drop(columns=["CA4", "CA5"])
    with pytest.raises(CleannetError, match="no column for item\\(s\\) CA4, CA5 of instrument "
                                            "'cleannet5'"):
        score_respondents(survey, INST)


def test_seven_point_instrument() -> None:
    inst = load_instrument("pinto_slevin10")
    survey = make_survey([{c: 7 for c in inst.item_codes}] * 5, instrument=inst)
    table = factor_table(survey, inst)
    assert table.attrs["bands"] == "equal"  # 'half' needs a 5-point scale
    assert table["mean"].tolist() == [7.0] * 11
    assert set(table["level_th"]) == {"มากที่สุด"}


# ----------------------------------------------------------------- caller's frame untouched


@pytest.mark.parametrize(
    "call",
    [
        lambda s: score_respondents(s, INST),
        lambda s: factor_table(s, INST, by="unit"),
        lambda s: factor_table(s, INST, by=["fiscal_year", "unit"]),
        lambda s: item_table(s, INST, by="role"),
        lambda s: overall_index(s, INST),
        lambda s: render_factor_table(factor_table(s, INST, by="unit"), "csv"),
    ],
)
def test_caller_frame_is_not_modified(call) -> None:
    survey = random_survey()
    before = survey.copy(deep=True)
    call(survey)
    pd.testing.assert_frame_equal(survey, before)


# ----------------------------------------------------------------- factor table


def test_factor_table_numbers_match_a_hand_computation() -> None:
    survey = random_survey(n=60, seed=3)
    table = factor_table(survey, INST)
    scores = score_respondents(survey, INST)
    assert list(table["factor"]) == [*FACTORS, "overall"]
    for row in table.to_dict("records"):
        values = scores[row["factor"]].dropna().to_numpy()
        low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(),
                                     scale=stats.sem(values))
        assert row["n"] == len(values)
        assert row["mean"] == pytest.approx(values.mean())
        assert row["sd"] == pytest.approx(values.std(ddof=1))
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    assert table.columns.tolist() == ["factor", "name_th", "name_en", "n", "mean", "sd",
                                      "ci_low", "ci_high", "level_th", "level_en", "rank",
                                      "suppressed"]


def test_factor_table_levels_and_ranks() -> None:
    # factor means 5, 4.5, 4.5, 3, 1 (reverse item makes TMS 5.0 with TMS5 = 1)
    rows = []
    for _ in range(6):
        row = {c.code: 5 for c in INST.factor("top_management_support").items} | {"TMS5": 1}
        row |= {c.code: 4 for c in INST.factor("project_mission").items} | {"PM1": 5, "PM2": 5}
        row |= {c.code: 4 for c in INST.factor("schedule_plan").items} | {"SP1": 5, "SP2": 5}
        row |= {c.code: 3 for c in INST.factor("personnel").items}
        row |= {c.code: 1 for c in INST.factor("client_acceptance").items}
        rows.append(row)
    table = factor_table(make_survey(rows), INST).set_index("factor")
    assert table["mean"].round(2).to_dict() == {
        "top_management_support": 5.0, "project_mission": 4.5, "schedule_plan": 4.5,
        "personnel": 3.0, "client_acceptance": 1.0, "overall": 3.6,
    }
    assert table["level_th"].tolist() == ["มากที่สุด", "มาก", "มาก", "ปานกลาง", "น้อยที่สุด", "มาก"]
    assert table["rank"].tolist()[:5] == [1, 2, 2, 4, 5]  # ties share the smaller rank
    assert pd.isna(table.loc["overall", "rank"])


def test_equal_bands_setting() -> None:
    rows = [all_items(4) | {"TMS5": 2, "PS1": 5}] * 5  # personnel mean 4.2
    table = factor_table(make_survey(rows), INST, bands="equal").set_index("factor")
    assert table.loc["personnel", "mean"] == pytest.approx(4.2)
    assert table.loc["personnel", "level_en"] == "High"  # 3.41–4.20
    assert table.attrs["bands"] == "equal"


def test_factor_table_by_unit_hides_small_groups() -> None:
    rows = ([all_items(4) | {"unit": "A"}] * 3 + [all_items(3) | {"unit": "B"}] * 6
            + [all_items(5) | {"unit": "C"}] * 9)
    table = factor_table(make_survey(rows), INST, by="unit")
    hidden = table.groupby("unit")["suppressed"].all().to_dict()
    # A is below 5; B (next smallest) is hidden too so A cannot be recovered from the total
    assert hidden == {"A": True, "B": True, "C": False}
    assert table.loc[table["suppressed"], ["n", "mean", "sd", "level_th"]].isna().all().all()


def test_factor_table_unknown_by_lists_valid_columns() -> None:
    with pytest.raises(CleannetError, match="Cannot break down by 'province'. Valid: unit, "
                                            "staff_type, role, fiscal_year"):
        factor_table(make_survey([all_items(3)]), INST, by="province")


def test_whole_table_below_minimum_is_hidden() -> None:
    table = factor_table(make_survey([all_items(3)] * 4), INST)
    assert table["suppressed"].all()
    assert table["mean"].isna().all()


def test_missing_group_value_is_its_own_group() -> None:
    rows = [all_items(3) | {"unit": "A"}] * 6 + [all_items(3) | {"unit": None}] * 6
    table = factor_table(make_survey(rows), INST, by="unit")
    assert table["unit"].isna().sum() == len(FACTORS) + 1
    assert not table["suppressed"].any()


# ----------------------------------------------------------------- item table and index


def test_item_table_shares_and_reverse_scoring() -> None:
    rows = [all_items(4) | {"TMS5": 1}] * 3 + [all_items(4) | {"TMS5": 2}] * 2
    rows += [all_items(4) | {"TMS5": pd.NA}]
    table = item_table(make_survey(rows), INST).set_index("item")
    tms5 = table.loc["TMS5"]
    assert tms5["n"] == 5
    assert tms5["mean"] == pytest.approx((3 * 5 + 2 * 4) / 5)  # scored (reversed) answers
    assert (tms5["share_1"], tms5["share_2"], tms5["share_5"]) == pytest.approx((0.6, 0.4, 0.0))
    assert bool(tms5["reverse"])
    share_cols = [f"share_{v}" for v in range(1, 6)]
    assert np.allclose(table[share_cols].sum(axis=1), 1.0)
    assert table.loc["TMS1", "level_en"] == "High"


def test_item_table_rank_is_within_factor() -> None:
    rows = [all_items(3) | {"PS2": 5, "PS4": 4, "CA1": 1}] * 5
    table = item_table(make_survey(rows), INST).set_index("item")
    assert table.loc[["PS1", "PS2", "PS3", "PS4", "PS5"], "rank"].tolist() == [3, 1, 3, 2, 3]
    assert table.loc["CA1", "rank"] == 5


def test_overall_index_is_mean_of_respondents_factor_means() -> None:
    # respondent 2 has no personnel score (1 of 5 items): their index is over 4 factors
    r1 = all_items(5) | {"TMS5": 1}
    r2 = all_items(3) | {c.code: pd.NA for c in INST.factor("personnel").items} | {"PS1": 1}
    result = overall_index(make_survey([r1, r2]), INST)
    assert result["n"] == 2
    assert result["mean"] == pytest.approx((5.0 + 3.0) / 2)
    assert result["level_th"] == "มาก"
    assert isinstance(result["mean"], float)


# ----------------------------------------------------------------- rendering


def test_render_table_shows_n_below_minimum_in_hidden_cells() -> None:
    rows = [all_items(4) | {"unit": "A"}] * 3 + [all_items(3) | {"unit": "B"}] * 6
    rows += [all_items(5) | {"unit": "C"}] * 9
    table = factor_table(make_survey(rows), INST, by="unit")
    text = render_factor_table(table, "table", lang="en")
    lines = text.splitlines()
    assert lines[0].split() == ["Unit", "Factor", "n", "Mean", "S.D.", "95%", "CI", "Level",
                                "Rank"]
    hidden = [line for line in lines if line.startswith(("A ", "B "))]
    assert len(hidden) == 12
    # A (3 respondents) is small: "n < 5". B (6) is hidden only so that A cannot be worked
    # out from the total (issue #10: a distinct label, never its n).
    for line in hidden:
        marker = "n < 5" if line.startswith("A ") else "hidden to protect a small group"
        assert marker in line
        assert not any(ch.isdigit() for ch in line.replace("n < 5", ""))
    assert any(line.startswith("C ") and "5.00" in line for line in lines)


def test_render_csv_and_json() -> None:
    rows = [all_items(4) | {"unit": "A"}] * 3 + [all_items(3) | {"unit": "B"}] * 6
    rows += [all_items(5) | {"unit": "C"}] * 9
    table = factor_table(make_survey(rows), INST, by="unit", min_group_size=4)
    csv = render_factor_table(table, "csv", min_group_size=4)
    frame = pd.read_csv(pd.io.common.StringIO(csv))
    hidden = frame[frame["suppressed"]]
    stats = ["n", "mean", "sd", "level_th", "rank"]
    assert (hidden.loc[hidden["unit"] == "A", stats] == "n < 4").all().all()
    # B is hidden to protect A (issue #10: its own label, never its n)
    assert (hidden.loc[hidden["unit"] == "B", stats] == "ซ่อนเพื่อคุ้มครองกลุ่มเล็ก").all().all()
    records = json.loads(render_factor_table(table, "json"))
    assert len(records) == len(table)
    shown = [r for r in records if not r["suppressed"]]
    assert {r["note"] for r in records if r["suppressed"]} <= {"n < 4",
                                                              "ซ่อนเพื่อคุ้มครองกลุ่มเล็ก"}
    assert all(isinstance(r["mean"], float) for r in shown)


def test_render_thai_table_and_marker_threshold() -> None:
    table = factor_table(make_survey([all_items(4)] * 6), INST, min_group_size=10)
    text = render_factor_table(table, "table")
    assert text.splitlines()[0].split()[:2] == ["ปัจจัย", "n"]
    assert "n < 10" in text
    assert "บุคลากร" in text


def test_render_unknown_format_lists_valid_ones() -> None:
    table = factor_table(make_survey([all_items(4)] * 6), INST)
    with pytest.raises(ConfigError, match="Unknown format 'xlsx'. Valid: table, csv, json"):
        render_factor_table(table, "xlsx")


def test_render_does_not_modify_the_table() -> None:
    table = factor_table(random_survey(), INST, by="unit")
    before = table.copy(deep=True)
    for fmt in ("table", "csv", "json"):
        render_factor_table(table, fmt)
    pd.testing.assert_frame_equal(table, before)


def test_item_table_with_a_hidden_item_row() -> None:
    # Regression: five respondents, one of whom skipped TMS1, leaves TMS1 with n = 4 < 5;
    # item_table used to fail with KeyError 'ci_low' when blanking the hidden row.
    codes = load_instrument().item_codes
    frame = pd.DataFrame({"respondent": [f"r{i}" for i in range(5)], "unit": "กองคลัง",
                          "fiscal_year": 2551})
    for code in codes:
        frame[code] = pd.array([4, 5, 3, 4, 5], dtype="Int64")
    frame.loc[0, "TMS1"] = pd.NA
    table = item_table(frame)
    row = table[table["item"] == "TMS1"].iloc[0]
    assert bool(row["suppressed"]) and pd.isna(row["mean"]) and pd.isna(row["n"])
    assert not table[table["item"] == "TMS2"]["suppressed"].iloc[0]
