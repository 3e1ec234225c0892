"""Participation measures (``cleannet_eval.analysis.participation``) on hand-checkable data.

The small fixture below has four activities in two fiscal years and five people; every expected
number in these tests is counted by hand from it (see the comments).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from cleannet_eval.analysis.participation import (
    PARTICIPATION_KEYS,
    activities_by_month,
    coverage_by_unit,
    participation_by_person,
    participation_summary,
    repeat_participation,
    retention,
    shares_by_group,
)
from cleannet_eval.errors import CleannetError, ConfigError

REPO = Path(__file__).resolve().parents[1]
SECRET = b"test-secret-not-for-real-data"

# Activities: A1 Talk 21 Nov 2006 (FY2550, fiscal month 2), A2 Walk 10 Aug 2007 (FY2550, month
# 11), A3 Talk 5 Oct 2007 (FY2551, month 1: same name, another day, another activity),
# A4 Merit 10 Jan 2008 (FY2551, month 4).
# People: PA civil servant U1 leader; PB permanent employee U1 member; PC government employee U2
# participant; PD citizen (no unit); PE civil servant U2 participant.
ACTIVITIES = {
    ("Talk", "2006-11-21", 2550): ["PA", "PB", "PC", "PD"],
    ("Walk", "2007-08-10", 2550): ["PA", "PC"],
    ("Talk", "2007-10-05", 2551): ["PA", "PB", "PD", "PE"],
    ("Merit", "2008-01-10", 2551): ["PA", "PE"],
}
PEOPLE = {
    "PA": ("U1", "civil_servant", "leader"),
    "PB": ("U1", "permanent_employee", "member"),
    "PC": ("U2", "government_employee", "participant"),
    "PD": (None, "citizen", "participant"),
    "PE": ("U2", "civil_servant", "participant"),
}


def make_attendance(activities: dict = ACTIVITIES, people: dict = PEOPLE) -> pd.DataFrame:
    """An attendance table with the processed dtypes."""
    rows = []
    for (name, day, year), keys in activities.items():
        for key in keys:
            unit, staff_type, role = people[key]
            rows.append((key, unit, staff_type, role, name, day, year))
    frame = pd.DataFrame(rows, columns=["person_key", "unit", "staff_type", "role", "activity",
                                        "date", "fiscal_year"])
    for column in ("person_key", "unit", "staff_type", "role", "activity"):
        frame[column] = frame[column].astype("string")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame["fiscal_year"] = frame["fiscal_year"].astype("Int64")
    frame["source_file"] = pd.array(["attendance.xlsx"] * len(frame), dtype="string")
    frame["source_sheet"] = pd.array([None] * len(frame), dtype="string")
    frame["source_row"] = pd.array(range(2, len(frame) + 2), dtype="Int64")
    return frame


def make_units() -> pd.DataFrame:
    return pd.DataFrame({
        "unit": pd.array(["U1", "U2", "U1", "U2"], dtype="string"),
        "parent": pd.array([None] * 4, dtype="string"),
        "fiscal_year": pd.array([2550, 2550, 2551, 2551], dtype="Int64"),
        "headcount": pd.array([10, 20, 8, 20], dtype="Int64"),
    })


def make_roster() -> pd.DataFrame:
    """PA leader of U1; PB recruited by PA, transferred out on 1 Dec 2007; PE recruited by PA."""
    return pd.DataFrame({
        "person_key": pd.array(["PA", "PB", "PE"], dtype="string"),
        "unit": pd.array(["U1", "U1", "U2"], dtype="string"),
        "staff_type": pd.array(["civil_servant", "permanent_employee", "civil_servant"],
                               dtype="string"),
        "role": pd.array(["leader", "member", "member"], dtype="string"),
        "joined": pd.to_datetime(["2006-11-15", "2007-01-10", "2008-02-01"])
        .astype("datetime64[us]"),
        "recruited_by_key": pd.array([None, "PA", "PA"], dtype="string"),
        "left": pd.to_datetime([None, "2007-12-01", None]).astype("datetime64[us]"),
        "left_reason": pd.array([None, "transfer", None], dtype="string"),
        "source_file": pd.array(["roster.xlsx"] * 3, dtype="string"),
        "source_sheet": pd.array(["S"] * 3, dtype="string"),
        "source_row": pd.array([2, 3, 4], dtype="Int64"),
    })


@pytest.fixture()
def attendance() -> pd.DataFrame:
    return make_attendance()


@pytest.fixture()
def dataset() -> SimpleNamespace:
    return SimpleNamespace(units=make_units(), roster=make_roster(),
                           attendance=make_attendance())


# --------------------------------------------------------------------------------------------
# Per month
# --------------------------------------------------------------------------------------------


def test_activities_by_month_counts(attendance: pd.DataFrame) -> None:
    table = activities_by_month(attendance)
    assert list(table.columns) == [
        "fiscal_year", "fiscal_month", "month", "activities", "attendances",
        "unique_participants", "participations_per_person",
    ]
    assert len(table) == 24  # two fiscal years, every month listed
    busy = table[table["attendances"] > 0]
    assert busy[["fiscal_year", "fiscal_month", "activities", "attendances",
                 "unique_participants"]].values.tolist() == [
        [2550, 2, 1, 4, 4], [2550, 11, 1, 2, 2], [2551, 1, 1, 4, 4], [2551, 4, 1, 2, 2],
    ]
    assert table["attendances"].sum() == len(attendance)
    first = table.iloc[0]
    assert first["month"] == pd.Timestamp("2006-10-01")  # fiscal month 1 is October
    assert table.iloc[-1]["month"] == pd.Timestamp("2008-09-01")
    assert np.isnan(first["participations_per_person"])
    assert busy["participations_per_person"].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_same_activity_name_on_two_days_is_two_activities(attendance: pd.DataFrame) -> None:
    twice = make_attendance({("Talk", "2007-11-01", 2551): ["PA", "PB"],
                             ("Talk", "2007-11-02", 2551): ["PA"]})
    table = activities_by_month(twice, fiscal_year=2551)
    assert table.loc[table["fiscal_month"] == 2, ["activities", "attendances",
                                                   "unique_participants"]].values.tolist() == [
        [2, 3, 2]]
    assert table.loc[table["fiscal_month"] == 2, "participations_per_person"].item() == 1.5


def test_activities_by_month_unit_and_year(attendance: pd.DataFrame) -> None:
    table = activities_by_month(attendance, fiscal_year=2551, unit="U2")
    assert len(table) == 12 and set(table["fiscal_year"]) == {2551}
    busy = table[table["attendances"] > 0]
    # U2 in FY2551: PE at A3 and A4.
    assert busy[["fiscal_month", "attendances"]].values.tolist() == [[1, 1], [4, 1]]


# --------------------------------------------------------------------------------------------
# Per person, repeat participation, retention
# --------------------------------------------------------------------------------------------


def test_participation_by_person(attendance: pd.DataFrame) -> None:
    table = participation_by_person(attendance)
    assert table["person_key"].tolist() == ["PA", "PB", "PC", "PD", "PE"]
    assert table["participations"].tolist() == [4, 2, 2, 2, 2]
    assert table["fiscal_years"].tolist() == [2, 2, 1, 2, 1]
    pa = table.iloc[0]
    assert (pa["first_date"], pa["last_date"]) == (pd.Timestamp("2006-11-21"),
                                                    pd.Timestamp("2008-01-10"))
    assert pa["staff_type"] == "civil_servant" and pa["unit"] == "U1"
    assert pd.isna(table.set_index("person_key").loc["PD", "unit"])


def test_person_attributes_come_from_the_latest_row() -> None:
    people = dict(PEOPLE)
    frame = make_attendance({("Talk", "2006-11-21", 2550): ["PB"]}, people)
    people["PB"] = ("U2", "permanent_employee", "leader")  # moved and promoted later
    later = make_attendance({("Walk", "2007-08-10", 2550): ["PB"]}, people)
    both = pd.concat([later, frame], ignore_index=True)  # latest row first on purpose
    row = participation_by_person(both).iloc[0]
    assert (row["unit"], row["role"], row["participations"]) == ("U2", "leader", 2)


def test_duplicate_rows_count_once_per_person_but_as_attendances(
    attendance: pd.DataFrame,
) -> None:
    doubled = pd.concat([attendance, attendance.iloc[[0]]], ignore_index=True)
    row = participation_by_person(doubled).set_index("person_key").loc["PA"]
    assert row["participations"] == 4 and row["attendances"] == 5


def test_repeat_participation(attendance: pd.DataFrame) -> None:
    table = repeat_participation(attendance)
    # FY2550: PA 2, PB 1, PC 2, PD 1; FY2551: PA 2, PB 1, PD 1, PE 2.
    assert table.values.tolist() == [
        [2550, 1, 2, 0.5, 1.0], [2550, 2, 2, 0.5, 0.5],
        [2551, 1, 2, 0.5, 1.0], [2551, 2, 2, 0.5, 0.5],
    ]
    assert list(table.columns) == ["fiscal_year", "participations", "persons", "share",
                                   "share_at_least"]
    assert repeat_participation(attendance, fiscal_year=2551, unit="U2").values.tolist() == [
        [2551, 1, 0, 0.0, 1.0], [2551, 2, 1, 1.0, 1.0]]


def test_retention_fy2550_into_fy2551(attendance: pd.DataFrame) -> None:
    table = retention(attendance)
    # FY2550 participants PA, PB, PC, PD; PC does not come back.
    assert table[["from_year", "to_year", "by", "group", "participants", "retained",
                  "retention"]].values.tolist() == [[2550, 2551, "all", "all", 4, 3, 0.75]]
    by_type = retention(attendance, from_year=2550, by="staff_type").set_index("group")
    assert by_type["retention"].to_dict() == {
        "citizen": 1.0, "civil_servant": 1.0, "government_employee": 0.0,
        "permanent_employee": 1.0,
    }
    in_u1 = retention(attendance, unit="U1")
    assert in_u1[["participants", "retained"]].values.tolist() == [[2, 2]]


def test_retention_needs_a_later_year(attendance: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="to_year 2550 must come after from_year 2551"):
        retention(attendance, from_year=2551, to_year=2550)
    with pytest.raises(ConfigError, match="Unknown by 'sex'. Valid: staff_type, role, unit"):
        retention(attendance, by="sex")


# --------------------------------------------------------------------------------------------
# Shares and coverage
# --------------------------------------------------------------------------------------------


def test_shares_by_staff_type_include_the_citizen_sector(attendance: pd.DataFrame) -> None:
    table = shares_by_group(attendance, fiscal_year=2550)
    assert table["group"].tolist() == ["civil_servant", "permanent_employee",
                                       "government_employee", "citizen"]
    assert table["label_th"].tolist()[-1] == "ภาคประชาชน"
    # FY2550 rows: PA 2, PB 1, PC 2, PD 1.
    assert table["attendances"].tolist() == [2, 1, 2, 1]
    assert table["attendance_share"].tolist() == pytest.approx([2 / 6, 1 / 6, 2 / 6, 1 / 6])
    assert table["participant_share"].tolist() == [0.25, 0.25, 0.25, 0.25]


def test_shares_by_role_count_each_person_once(attendance: pd.DataFrame) -> None:
    people = dict(PEOPLE)
    people["PB"] = ("U1", "permanent_employee", "leader")  # PB's later row says leader
    later = make_attendance({("Walk", "2007-09-10", 2550): ["PB"]}, people)
    both = pd.concat([attendance, later], ignore_index=True)
    table = shares_by_group(both, by="role", fiscal_year=2550).set_index("group")
    assert table["attendances"].to_dict() == {"leader": 3, "member": 1, "participant": 3}
    assert table["participants"].to_dict() == {"leader": 2, "member": 0, "participant": 2}
    assert table["participant_share"].sum() == pytest.approx(1.0)


def test_shares_list_unknown_codes() -> None:
    frame = make_attendance({("Talk", "2006-11-21", 2550): ["PA", "PB"]})
    frame.loc[1, "staff_type"] = pd.NA
    table = shares_by_group(frame)
    assert table["group"].tolist()[-1] == "unknown"
    assert table.set_index("group").loc["unknown", "attendances"] == 1


def test_coverage_by_unit(attendance: pd.DataFrame) -> None:
    table = coverage_by_unit(attendance, make_units(), make_roster())
    assert list(table.columns) == ["unit", "parent", "fiscal_year", "headcount", "participants",
                                   "coverage", "network_members", "network_coverage"]
    # Staff participants: FY2550 U1 PA, PB; U2 PC. FY2551 U1 PA, PB; U2 PE. Citizens excluded.
    assert table[["unit", "fiscal_year", "participants", "coverage"]].values.tolist() == [
        ["U1", 2550, 2, 0.2], ["U2", 2550, 1, 0.05], ["U1", 2551, 2, 0.25],
        ["U2", 2551, 1, 0.05],
    ]
    # Roster: FY2550 U1 PA, PB; FY2551 U1 PA, PB (until 1 Dec) and U2 PE.
    assert table["network_members"].tolist() == [2, 0, 2, 1]
    assert table["network_coverage"].tolist() == [0.2, 0.0, 0.25, 0.05]
    without_roster = coverage_by_unit(attendance, make_units(), fiscal_year=2551)
    assert without_roster["network_members"].isna().all()
    assert without_roster["fiscal_year"].tolist() == [2551, 2551]


def test_coverage_keeps_units_without_headcount(attendance: pd.DataFrame) -> None:
    units = make_units().iloc[[0, 2]]  # U2 has no headcount
    table = coverage_by_unit(attendance, units).set_index(["unit", "fiscal_year"])
    assert table.loc[("U2", 2550), "participants"] == 1
    assert np.isnan(table.loc[("U2", 2550), "coverage"])


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def test_summary_all_years(dataset: SimpleNamespace) -> None:
    summary = participation_summary(dataset)
    assert tuple(summary) == PARTICIPATION_KEYS
    # Coverage: distinct staff per year (FY2550 PA PB PC, FY2551 PA PB PE) over 30 + 28 staff.
    assert summary == {"activities": 4, "attendances": 12, "unique_participants": 5,
                       "coverage": round(6 / 58, 4), "citizen_share": round(2 / 12, 4)}
    json.dumps(summary)
    assert all(type(v) in (int, float) for v in summary.values())


def test_summary_one_year_and_one_unit(dataset: SimpleNamespace) -> None:
    assert participation_summary(dataset, fiscal_year=2551) == {
        "activities": 2, "attendances": 6, "unique_participants": 4,
        "coverage": round(3 / 28, 4), "citizen_share": round(1 / 6, 4)}
    # U1 in FY2551: PA and PB at A3, PA at A4; citizens have no unit, so no citizen share.
    assert participation_summary(dataset, fiscal_year=2551, unit="U1") == {
        "activities": 2, "attendances": 3, "unique_participants": 2, "coverage": 0.25,
        "citizen_share": None}


def test_summary_without_headcounts_or_attendance(dataset: SimpleNamespace) -> None:
    bare = SimpleNamespace(units=make_units().iloc[0:0], roster=dataset.roster,
                           attendance=dataset.attendance.iloc[0:0])
    assert participation_summary(bare) == {"activities": 0, "attendances": 0,
                                           "unique_participants": 0, "coverage": None,
                                           "citizen_share": None}


def test_rows_without_a_key_count_as_attendances_only(dataset: SimpleNamespace) -> None:
    attendance = dataset.attendance.copy()
    attendance.loc[0, "person_key"] = pd.NA  # PA at A1
    summary = participation_summary(SimpleNamespace(units=dataset.units, roster=dataset.roster,
                                                    attendance=attendance))
    assert summary["attendances"] == 12 and summary["unique_participants"] == 5
    assert "PA" in participation_by_person(attendance)["person_key"].tolist()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fiscal_year": 2008}, ConfigError,
         r"fiscal_year 2008 is not a Buddhist Era year; .* e\.g\. 2551"),
        ({"fiscal_year": 2560}, ConfigError,
         r"Fiscal year 2560 has no attendance, roster or unit data\. Years with data: 2550, "
         r"2551"),
        ({"unit": "U9"}, ConfigError, r"Unknown unit 'U9'\. Units in the data: U1, U2"),
        ({"fiscal_year": "2551"}, ConfigError, r"fiscal_year must be a Buddhist Era year"),
    ],
)
def test_summary_rejects_a_bad_selection(
    dataset: SimpleNamespace, kwargs: dict, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        participation_summary(dataset, **kwargs)


def test_bad_tables_and_arguments(attendance: pd.DataFrame) -> None:
    with pytest.raises(CleannetError, match=r"The attendance table lacks column\(s\) 'date'\. "
                                            r"Expected columns: person_key, unit"):
        activities_by_month(attendance.drop(columns="date"))
    with pytest.raises(CleannetError, match="Expected the attendance table as a pandas "
                                            "DataFrame, got list"):
        repeat_participation([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="Unknown by 'unit'. Valid: staff_type, role"):
        shares_by_group(attendance, by="unit")
    with pytest.raises(ConfigError, match="Unknown unit 'U9'"):
        participation_by_person(attendance, unit="U9")


def test_an_edited_table_is_never_answered_from_memory(attendance: pd.DataFrame) -> None:
    assert "PZ" not in participation_by_person(attendance)["person_key"].tolist()
    attendance.loc[0, "person_key"] = "PZ"  # a new Arrow array: remembered codes do not apply
    assert "PZ" in participation_by_person(attendance)["person_key"].tolist()
    attendance.loc[0, "date"] = pd.Timestamp("2007-09-01")  # NumPy-backed: never remembered
    months = activities_by_month(attendance, fiscal_year=2550)
    assert months.loc[months["fiscal_month"] == 12, "attendances"].item() == 1


def test_sparse_and_bitmap_pair_counting_agree(
    attendance: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleannet_eval.analysis import tables

    expected = [activities_by_month(attendance), participation_by_person(attendance),
                repeat_participation(attendance), coverage_by_unit(attendance, make_units())]
    monkeypatch.setattr(tables, "BITMAP_LIMIT", 0)  # force the sparse-matrix path
    got = [activities_by_month(attendance), participation_by_person(attendance),
           repeat_participation(attendance), coverage_by_unit(attendance, make_units())]
    for a, b in zip(expected, got, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_nothing_is_modified(dataset: SimpleNamespace) -> None:
    before = copy.deepcopy(dataset)
    activities_by_month(dataset.attendance)
    participation_by_person(dataset.attendance, fiscal_year=2550)
    repeat_participation(dataset.attendance)
    retention(dataset.attendance, by="unit")
    shares_by_group(dataset.attendance, by="role")
    coverage_by_unit(dataset.attendance, dataset.units, dataset.roster)
    participation_summary(dataset, fiscal_year=2551, unit="U1")
    for name in ("units", "roster", "attendance"):
        pd.testing.assert_frame_equal(getattr(dataset, name), getattr(before, name))


# --------------------------------------------------------------------------------------------
# Demo data: smoke and sanity
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    from cleannet_eval.demo import DEMO_FILES, write_demo
    from cleannet_eval.ingest.pipeline import load_raw

    raw = REPO / "data" / "raw"
    if not all((raw / name).is_file() for name in DEMO_FILES):
        raw = tmp_path_factory.mktemp("raw")
        write_demo(raw)
    return load_raw(raw, secret=SECRET)


def test_demo_participation(demo) -> None:
    att = demo.attendance
    summary = participation_summary(demo)
    assert tuple(summary) == PARTICIPATION_KEYS
    json.dumps(summary)
    assert summary["attendances"] == len(att)
    assert summary["activities"] == att.groupby(["activity", "date"]).ngroups
    assert summary["unique_participants"] == att["person_key"].nunique()
    assert 0 < summary["coverage"] < 1 and 0 < summary["citizen_share"] < 0.2
    months = activities_by_month(att)
    assert months["attendances"].sum() == len(att)
    assert months["activities"].sum() == summary["activities"]
    for year in demo.fiscal_years:
        one = participation_summary(demo, fiscal_year=year)
        assert one["attendances"] == int((att["fiscal_year"] == year).sum())
        shares = shares_by_group(att, fiscal_year=year)
        assert shares["attendance_share"].sum() == pytest.approx(1.0)
        assert shares.set_index("group").loc["citizen", "attendances"] > 0
    kept = retention(att)
    assert 0 < kept["retention"].item() < 1
    people = participation_by_person(att)
    assert people["participations"].sum() == len(att.drop_duplicates(
        ["person_key", "activity", "date"]))
    assert people["person_key"].map(lambda k: bool(re.fullmatch(r"P[0-9A-F]{12}", k))).all()
    coverage = coverage_by_unit(att, demo.units, demo.roster)
    assert (coverage["headcount"] > 0).all() and coverage["coverage"].between(0, 1).all()
