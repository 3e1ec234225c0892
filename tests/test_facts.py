"""Section facts and the thin Report front (issue #11): what the notebooks ask the package.

Every function a notebook cell calls for its figures is checked here against the analysis
it summarises, on the demo data.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pandas as pd
import pytest

from cleannet_eval import facts, narrative
from cleannet_eval.analysis import change_between_years
from cleannet_eval.analysis.cfa import CFANote, confirmatory_factor_analysis
from cleannet_eval.analysis.network import joins_exits, leader_continuity
from cleannet_eval.analysis.participation import coverage_by_unit, participation_summary
from cleannet_eval.analysis.selection import Selection, dataset_years, rows_of
from cleannet_eval.calendar import years_with_data
from cleannet_eval.errors import ConfigError

from conftest import DEMO_RAW

FY = 2551
SMALL_UNIT = "กลุ่มพัฒนาระบบบริหาร"  # its survey results are hidden (n < 5)
BIG_UNIT = "กองคลัง"


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    from cleannet_eval.ingest.pipeline import ingest

    folder = tmp_path_factory.mktemp("facts") / "processed"
    ingest(DEMO_RAW, folder)
    return folder


def _open(processed: Path, fiscal_year: int | None = FY, unit: str = "", lang: str = "en"):
    from cleannet_eval.notebook import open_report

    return open_report(fiscal_year, unit, lang, processed_dir=str(processed))


@pytest.fixture(scope="module")
def department(processed):
    return _open(processed)


# ----------------------------------------------------------------- the fiscal years with data


def test_one_definition_of_the_years_with_data(department) -> None:
    data = department.dataset
    assert data.fiscal_years == [2550, 2551]
    assert data.fiscal_years == years_with_data(data.attendance, data.units, data.survey,
                                                roster=data.roster)
    # a year with a headcount only counts for the dataset and for participation alike
    units = pd.concat([data.units, data.units.head(1).assign(fiscal_year=2549)],
                      ignore_index=True)
    more = dataclasses.replace(data, units=units)
    assert more.fiscal_years == [2549, 2550, 2551]
    assert dataset_years(more.units, more.roster, more.attendance) == [2549, 2550, 2551]
    assert participation_summary(more, 2549, None)["activities"] == 0


def test_years_with_data_ignores_missing_years_and_absent_tables() -> None:
    table = pd.DataFrame({"fiscal_year": pd.array([2551, None], dtype="Int64")})
    assert years_with_data(table, None, pd.DataFrame({"x": [1]})) == [2551]
    assert years_with_data() == []


def test_a_fiscal_year_without_data_names_the_years_with_data(processed) -> None:
    with pytest.raises(ConfigError, match="no data for fiscal year 2552.*2550, 2551"):
        _open(processed, 2552)


# ----------------------------------------------------------------- the frozen selection


def test_report_is_a_front_over_a_frozen_selection(department, processed) -> None:
    selection = department.selection
    assert isinstance(selection, Selection)
    assert (selection.fiscal_year, selection.unit) == (FY, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        selection.unit = BIG_UNIT  # type: ignore[misc]
    unit = _open(processed, unit=BIG_UNIT)
    survey = unit.dataset.survey
    expected = survey[(survey["fiscal_year"] == FY) & (survey["unit"] == BIG_UNIT)]
    assert unit.survey.index.equals(expected.index)
    assert unit.selection.rows(survey).index.equals(expected.index)
    everyone = unit.dataset.attendance
    assert len(unit.unit_rows(everyone)) == int((everyone["unit"] == BIG_UNIT).sum())
    assert len(department.unit_rows(everyone)) == len(everyone)  # citizens included


def test_rows_of_never_matches_a_missing_unit() -> None:
    table = pd.DataFrame({"fiscal_year": [2551, 2551],
                          "unit": pd.array([None, "A"], dtype="string")})
    assert rows_of(table, unit="A").index.tolist() == [1]
    assert rows_of(table, unit="A", keep_missing_unit=True).index.tolist() == [0, 1]
    assert rows_of(table, fiscal_year=2550).empty


# ----------------------------------------------------------------- the Report's words helpers


def test_p_clause_and_words_chosen_by_the_scope(department, processed) -> None:
    assert department.p_is(0.0004) == "< 0.001" and department.p_is(0.0381) == "= 0.038"
    assert f"p {department.p_is(None)}" == "p = –"
    unit = _open(processed, unit=BIG_UNIT)
    assert department.by_scope("all", "one") == "all" and unit.by_scope("all", "one") == "one"
    assert department.plain_where == "the whole department" and unit.plain_where == BIG_UNIT
    assert department.listing(["A1", "B2"], "none") == "A1, B2"
    assert department.listing([], "none") == "none"
    assert department.count_or_hidden(12, False) == "12"
    assert department.count_or_hidden(12, True) == "n < 5"
    roles = department.labels("role", ["all", "leader"], total=("รวม", "All"))
    assert roles == ["All", department.label("role", "leader")]


def test_respondents_read_as_a_number_hidden_or_none(department, processed) -> None:
    assert department.respondents_or("none") == department.num(len(department.survey))
    small = _open(processed, unit=SMALL_UNIT)
    assert small.survey_hidden and small.respondents_or("none") == small.hidden_note
    assert small.respondents is None
    nobody = dataclasses.replace(department, unit="no such unit")
    assert not nobody.has_survey and nobody.respondents_or("none") == "none"


def test_overall_index_is_mean_and_level_or_hidden(department, processed) -> None:
    survey = department.summary["survey"]
    assert facts.overall_index(department) == (
        f"{department.num(survey['overall_mean'], 2)} ({survey['overall_level_en']})")
    small = _open(processed, unit=SMALL_UNIT)
    assert facts.overall_index(small) == small.hidden_note


# ----------------------------------------------------------------- section facts


def test_year_change_is_the_scopes_rows_of_change_between_years(department, processed) -> None:
    change = department.year_change()
    expected = change_between_years(department.dataset.survey, department.instrument,
                                    from_year=2550, to_year=FY,
                                    min_group_size=department.min_group_size,
                                    disclosure=department.disclosure)
    pd.testing.assert_frame_equal(change, expected)
    unit = _open(processed, unit=BIG_UNIT)
    overall = unit.year_change(factors=["overall"], shown_only=True)
    assert set(overall["unit"]) == {BIG_UNIT} and not overall["suppressed"].any()
    assert _open(processed, 2550).year_change() is None  # no year before 2550
    small = _open(processed, unit=SMALL_UNIT)
    assert not small.compares_years and small.year_change() is None


def test_leader_facts_follow_the_network_tables(department, processed) -> None:
    data = department.dataset
    leaders = facts.leader_facts(department)
    moves = joins_exits(data.roster, fiscal_year=FY)
    row = moves[moves["role"] == "leader"].iloc[0]
    assert (leaders.exits, leaders.exits_transfer) == (row["exits"], row["exits_transfer"])
    assert leaders.active_at_end == moves[moves["role"] == "all"].iloc[0]["active_at_end"]
    continuity = leader_continuity(data.roster, data.units, fiscal_year=FY)
    without = continuity[continuity["without_leader_at_end"]
                         & (continuity["leaders_served"] > 0)]
    assert leaders.units_without_leader == list(without["unit"])
    centre = continuity[continuity["unit"] == narrative.COORDINATION_CENTRE].iloc[0]
    pd.testing.assert_series_equal(leaders.centre, centre)
    staff = coverage_by_unit(data.attendance, data.units, fiscal_year=FY)
    assert leaders.centre_headcount == (
        staff.loc[staff["unit"] == narrative.COORDINATION_CENTRE, "headcount"].iloc[0])
    pd.testing.assert_frame_equal(leaders.history, joins_exits(data.roster))
    nobody = facts.leader_facts(dataclasses.replace(department, unit="no such unit"))
    assert nobody.moves is None and nobody.exits is None and nobody.active_at_end == 0


def test_coverage_and_retention_facts(department, processed) -> None:
    data = department.dataset
    coverage = coverage_by_unit(data.attendance, data.units, data.roster, fiscal_year=FY)
    assert facts.coverage_facts(department, coverage) is None
    unit = _open(processed, unit=BIG_UNIT)
    mine = facts.coverage_facts(unit, coverage)
    assert mine.row["unit"] == BIG_UNIT
    assert mine.rank == 1 + int((coverage["coverage"] > mine.row["coverage"]).sum())
    assert 1 <= mine.rank <= mine.ranked == int(coverage["coverage"].notna().sum())
    kept, by_type = facts.retention_facts(department)
    assert kept["participants"].sum() > 0 and set(by_type["by"]) == {"staff_type"}
    assert facts.retention_facts(_open(processed, 2550)) is None


def test_missing_value_tables_leave_out_a_hidden_survey(department, processed) -> None:
    assert set(facts.missing_value_tables(department)) == {"attendance", "survey", "roster",
                                                           "units"}
    small = _open(processed, unit=SMALL_UNIT)
    assert "survey" not in facts.missing_value_tables(small)


def test_cfa_fit_table_gives_rmsea_its_interval(department) -> None:
    from cleannet_eval.analysis.instrument_quality import instrument_quality

    quality = instrument_quality(department.dataset, fiscal_year=FY, strict=False)
    table = facts.cfa_fit_table(department, quality)
    fit = quality.cfa.fit.iloc[0]
    assert table["index"].tolist() == ["CFI", "TLI", "RMSEA", "SRMR"]
    assert table["interval"].tolist() == [
        "", "", f"[{department.num(fit['rmsea_low'], 3)}, {department.num(fit['rmsea_high'], 3)}]",
        ""]


def test_first_value_and_row_defaults() -> None:
    assert facts.first_value(pd.Series([], dtype=float), 0.0) == 0.0
    assert facts.first_row(pd.DataFrame({"a": []})) is None
    rows = pd.DataFrame({"text_th": ["ก", "ข"], "reverse": [True, False]})
    assert facts.item_statements(rows, "th") == ["ก (R)", "ข"]


# ----------------------------------------------------------------- CFA notes in two languages


def test_cfa_notes_carry_their_code_and_figures() -> None:
    from semopy.examples import holzinger39

    hs = holzinger39.get_data()
    result = confirmatory_factor_analysis(hs.head(6), {"visual": ["x1", "x2", "x3"],
                                                       "textual": ["x4", "x5"]})
    codes = [note.code for note in result.notes]
    assert codes == ["two_items", "few_respondents"]
    few = result.notes[1]
    assert few.values == {"n": 6, "needed": 10}
    assert few == "only 6 respondents answered every item (at least 10 needed): the model " \
                  "was not fitted"
    back = pickle.loads(pickle.dumps(few))
    assert isinstance(back, CFANote) and back == few and back.code == "few_respondents"
    assert json.loads(json.dumps(result.notes)) == [str(n) for n in result.notes]
