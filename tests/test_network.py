"""Network measures (``cleannet_eval.analysis.network``) on hand-checkable rosters.

The roster below is small enough to count by hand (FY2550 = 1 Oct 2006 – 30 Sep 2007, FY2551 =
1 Oct 2007 – 30 Sep 2008, a leap year of 366 days):

* U1: leaders L1 (stays) and L2 (transferred 10 Nov 2007); a three-level cascade
  L1 → M1 → M2 → M3 and a cross-unit recruit L1 → M5 (in U3).
* U2: leader L3, transferred 1 Mar 2008 and never replaced (the unit is left without a leader);
  M4 recruited by L3, transferred 1 Jun 2007 and back on 1 Nov 2007 (a re-entry row).
* U3: leader L4 retires on 30 Sep 2007; L5 replaces them on 20 Oct 2007.
* U4: in the units table, never had a leader.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from cleannet_eval.analysis.network import (
    NETWORK_KEYS,
    cascade_depth,
    coattendance_centrality,
    coattendance_graph,
    gini,
    graph_metrics,
    joins_exits,
    leader_continuity,
    leader_tenure,
    members_active_share,
    network_growth,
    network_summary,
    recruitment_distribution,
    recruits_per_leader,
    top_recruiters,
)
from cleannet_eval.errors import CleannetError, ConfigError
from cleannet_eval.ingest.roster_checks import check_roster

REPO = Path(__file__).resolve().parents[1]
SECRET = b"test-secret-not-for-real-data"
PROBLEM_KEYS = {"severity", "source_file", "source_sheet", "source_row", "column", "message"}

#: key, unit, role, joined, recruited_by, left, left_reason (source row = position + 2)
ROSTER = [
    ("L1", "U1", "leader", "2006-11-15", None, None, None),
    ("L2", "U1", "leader", "2006-11-15", None, "2007-11-10", "transfer"),
    ("L3", "U2", "leader", "2006-12-01", None, "2008-03-01", "transfer"),
    ("L4", "U3", "leader", "2006-11-15", None, "2007-09-30", "retirement"),
    ("L5", "U3", "leader", "2007-10-20", None, None, None),
    ("M1", "U1", "member", "2007-01-10", "L1", None, None),
    ("M2", "U1", "member", "2007-03-01", "M1", None, None),
    ("M3", "U1", "member", "2007-12-01", "M2", None, None),
    ("M4", "U2", "member", "2007-02-01", "L3", "2007-06-01", "transfer"),
    ("M4", "U2", "member", "2007-11-01", "L3", None, None),
    ("M5", "U3", "member", "2008-01-15", "L1", None, None),
]


def make_roster(rows: list[tuple] = ROSTER) -> pd.DataFrame:
    """A roster table with the processed dtypes."""
    frame = pd.DataFrame(rows, columns=["person_key", "unit", "role", "joined",
                                        "recruited_by_key", "left", "left_reason"])
    out = pd.DataFrame({
        "person_key": frame["person_key"].astype("string"),
        "unit": frame["unit"].astype("string"),
        "staff_type": pd.array(["civil_servant"] * len(frame), dtype="string"),
        "role": frame["role"].astype("string"),
        "joined": pd.to_datetime(frame["joined"]).astype("datetime64[us]"),
        "recruited_by_key": frame["recruited_by_key"].astype("string"),
        "left": pd.to_datetime(frame["left"]).astype("datetime64[us]"),
        "left_reason": frame["left_reason"].astype("string"),
        "source_file": pd.array(["network_roster.xlsx"] * len(frame), dtype="string"),
        "source_sheet": pd.array(["ทะเบียน"] * len(frame), dtype="string"),
        "source_row": pd.array(range(2, len(frame) + 2), dtype="Int64"),
    })
    return out


def make_attendance(activities: dict[tuple[str, str, int], list[str]]) -> pd.DataFrame:
    rows = [(key, "U1", "civil_servant", "member", name, day, year)
            for (name, day, year), keys in activities.items() for key in keys]
    frame = pd.DataFrame(rows, columns=["person_key", "unit", "staff_type", "role", "activity",
                                        "date", "fiscal_year"])
    for column in ("person_key", "unit", "staff_type", "role", "activity"):
        frame[column] = frame[column].astype("string")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame["fiscal_year"] = frame["fiscal_year"].astype("Int64")
    return frame


#: FY2550: L1 and M1 attend; FY2551: M3 and M4 attend.
ATTENDANCE = {("Talk", "2007-02-10", 2550): ["L1", "M1"],
              ("Walk", "2008-02-10", 2551): ["M3", "M4"]}


def make_units() -> pd.DataFrame:
    units = ["U1", "U2", "U3", "U4"]
    return pd.DataFrame({
        "unit": pd.array(units * 2, dtype="string"),
        "parent": pd.array([None] * 8, dtype="string"),
        "fiscal_year": pd.array([2550] * 4 + [2551] * 4, dtype="Int64"),
        "headcount": pd.array([50, 40, 30, 20] * 2, dtype="Int64"),
    })


@pytest.fixture()
def roster() -> pd.DataFrame:
    return make_roster()


@pytest.fixture()
def dataset() -> SimpleNamespace:
    return SimpleNamespace(units=make_units(), roster=make_roster(),
                           attendance=make_attendance(ATTENDANCE))


# --------------------------------------------------------------------------------------------
# Cascades
# --------------------------------------------------------------------------------------------


def test_cascade_depth_three_levels(roster: pd.DataFrame) -> None:
    table = cascade_depth(roster).set_index("person_key")
    assert list(cascade_depth(roster).columns) == [
        "person_key", "role", "unit", "recruited_by_key", "status", "root_key", "depth",
        "recruits", "cascade_size"]
    assert table["depth"].to_dict() == {"L1": 0, "L2": 0, "L3": 0, "L4": 0, "L5": 0,
                                        "M1": 1, "M4": 1, "M5": 1, "M2": 2, "M3": 3}
    assert table.loc["M3", "root_key"] == "L1" and table.loc["M4", "root_key"] == "L3"
    assert table.loc["L1", "recruits"] == 2 and table.loc["L1", "cascade_size"] == 4
    assert table.loc["M1", "cascade_size"] == 2 and table.loc["M3", "cascade_size"] == 0
    assert table.loc["M4", "unit"] == "U2" and table.loc["M2", "recruited_by_key"] == "M1"
    assert set(table["status"]) == {"root", "recruited"}


def test_unknown_recruiter_starts_a_cascade(roster: pd.DataFrame) -> None:
    rows = [*ROSTER, ("X1", "U1", "member", "2007-05-01", "PZZZ", None, None),
            ("X2", "U1", "member", "2007-06-01", "X1", None, None)]
    table = cascade_depth(make_roster(rows)).set_index("person_key")
    assert table.loc["X1", "status"] == "unknown_recruiter"
    assert table.loc["X1", "depth"] == 0 and table.loc["X1", "root_key"] == "X1"
    assert table.loc["X1", "recruited_by_key"] == "PZZZ"
    assert table.loc["X2", "depth"] == 1


CYCLE = [
    ("E", "U1", "leader", "2006-11-15", None, None, None),
    ("A", "U1", "member", "2007-01-01", "C", None, None),
    ("B", "U1", "member", "2007-02-01", "A", None, None),
    ("C", "U1", "member", "2007-03-01", "B", None, None),
    ("D", "U1", "member", "2007-04-01", "A", None, None),
]


def test_cycle_gets_no_depth_and_never_loops() -> None:
    table = cascade_depth(make_roster(CYCLE)).set_index("person_key")
    assert table["status"].to_dict() == {"E": "root", "A": "cycle", "B": "cycle",
                                         "C": "cycle", "D": "below_cycle"}
    assert table["depth"].isna().tolist() == [False, True, True, True, True]
    summary = network_summary(SimpleNamespace(units=make_units(), roster=make_roster(CYCLE),
                                              attendance=make_attendance(ATTENDANCE)))
    assert summary["max_cascade_depth"] == 0 and summary["leaders"] == 1


def test_long_chain_and_long_cycle_are_fast() -> None:
    n = 20_000
    keys = [f"P{i:05d}" for i in range(n)]
    chain = [(keys[0], "U1", "leader", "2006-11-15", None, None, None)] + [
        (keys[i], "U1", "member", "2007-01-01", keys[i - 1], None, None) for i in range(1, n)]
    began = time.perf_counter()
    table = cascade_depth(make_roster(chain))
    assert table["depth"].max() == n - 1
    loop = [(keys[i], "U1", "member", "2007-01-01", keys[i - 1], None, None) for i in range(n)]
    problems = check_roster(make_roster(loop))
    assert time.perf_counter() - began < 20
    assert len(problems) == n and {p["column"] for p in problems} == {"recruited_by"}
    assert cascade_depth(make_roster(loop))["status"].eq("cycle").all()


def test_recruits_per_leader_in_a_fiscal_year(roster: pd.DataFrame) -> None:
    table = recruits_per_leader(roster, fiscal_year=2550)
    assert list(table.columns) == ["person_key", "role", "unit", "recruits", "cascade_size"]
    # FY2550: L1 recruits M1 (M1 then M2); L3 recruits M4; M5 and M3 join in FY2551.
    assert table[["person_key", "recruits", "cascade_size"]].values.tolist() == [
        ["L1", 1, 2], ["L3", 1, 1], ["L2", 0, 0], ["L4", 0, 0]]
    # FY2551: M4's return is a re-entry, not a new recruit of L3.
    fy2551 = recruits_per_leader(roster, fiscal_year=2551).set_index("person_key")
    assert fy2551["recruits"].to_dict() == {"L1": 1, "L2": 0, "L3": 0, "L5": 0}
    assert fy2551.loc["L1", "cascade_size"] == 2  # M5 directly, M3 under M2
    assert recruits_per_leader(roster, unit="U3")["person_key"].tolist() == ["L4", "L5"]


def test_top_recruiters_and_distribution(roster: pd.DataFrame) -> None:
    hubs = top_recruiters(roster, n=3)
    assert hubs[["person_key", "role", "recruits", "cascade_size"]].values.tolist() == [
        ["L1", "leader", 2, 4], ["M1", "member", 1, 2], ["L3", "leader", 1, 1]]
    table = recruitment_distribution(roster)
    # Recruits of L1..L5 over the whole span: 2, 0, 1, 0, 0.
    assert table[["recruits", "leaders"]].values.tolist() == [[0, 3], [1, 1], [2, 1]]
    assert table["share"].tolist() == [0.6, 0.2, 0.2]
    assert table["share_of_recruits"].tolist() == pytest.approx([0, 1 / 3, 2 / 3])
    assert table.attrs["median"] == 0.0 and table.attrs["gini"] == pytest.approx(2 / 3)


def brute_gini(values: list[float]) -> float:
    """Mean absolute difference over twice the mean (Gini 1912), by the double sum."""
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a, b in itertools.product(values, values)) / (2 * n * n * mean)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 1, 1, 1], 0.0), ([0, 0, 0, 4], 0.75), ([0, 0, 0, 1, 2], 2 / 3), ([5], 0.0),
     ([1, 2, 3, 4, 5], 4 / 15)],
)
def test_gini_known_values(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)
    assert gini(values) == pytest.approx(brute_gini(values))


def test_gini_matches_the_double_sum_and_its_bounds() -> None:
    rng = np.random.default_rng(1)
    for size in (2, 7, 50):
        values = rng.poisson(2.0, size).tolist()
        if sum(values):
            assert gini(values) == pytest.approx(brute_gini(values))
    assert gini([0] * 9 + [10]) == pytest.approx(9 / 10)  # the maximum (n − 1)/n
    assert np.isnan(gini([])) and np.isnan(gini([0, 0])) and gini([1, np.nan, 1]) == 0.0
    with pytest.raises(ConfigError, match="non-negative"):
        gini([1, -2])


# --------------------------------------------------------------------------------------------
# Growth, joins, exits, continuity
# --------------------------------------------------------------------------------------------


def test_network_growth_month_by_month(roster: pd.DataFrame) -> None:
    table = network_growth(roster)
    assert len(table) == 24 and table["month"].iloc[0] == pd.Timestamp("2006-10-01")
    assert table["active"].tolist() == [0, 3, 4, 5, 6, 7, 7, 7, 6, 6, 6, 5,
                                        6, 6, 7, 8, 8, 7, 7, 7, 7, 7, 7, 7]
    assert table["joins"].sum() == 10 and table["reentries"].sum() == 1
    assert table["exits"].sum() == 4 and table["cumulative_people"].iloc[-1] == 10
    nov_2007 = table[(table["fiscal_year"] == 2551) & (table["fiscal_month"] == 2)].iloc[0]
    assert (nov_2007["reentries"], nov_2007["exits"]) == (1, 1)  # M4 back, L2 out
    assert table["leaders_active"].iloc[-1] == 2 and table["members_active"].iloc[-1] == 5
    assert len(network_growth(roster, fiscal_year=2551, unit="U2")) == 12


def test_joins_exits(roster: pd.DataFrame) -> None:
    table = joins_exits(roster).set_index(["fiscal_year", "role"])
    assert table.loc[(2550, "all"), ["active_at_start", "joins", "reentries", "exits",
                                     "active_at_end", "exits_transfer",
                                     "exits_retirement"]].tolist() == [0, 7, 0, 2, 5, 1, 1]
    assert table.loc[(2551, "all"), ["active_at_start", "joins", "reentries", "exits",
                                     "active_at_end", "exits_transfer"]].tolist() == [
        5, 3, 1, 2, 7, 2]
    assert table.loc[(2551, "leader"), ["active_at_start", "joins", "exits",
                                        "active_at_end"]].tolist() == [3, 1, 2, 2]
    assert list(table.columns)[-6:] == ["exits_transfer", "exits_retirement",
                                        "exits_resignation", "exits_death", "exits_other",
                                        "exits_unknown"]


def test_leader_continuity(roster: pd.DataFrame) -> None:
    table = leader_continuity(roster, make_units()).set_index(["unit", "fiscal_year"])
    columns = ["leaders_at_start", "leaders_served", "leaders_at_end", "retained", "exits",
               "transfers", "last_exit_reason", "without_leader_at_end",
               "orphaned_by_transfer", "days_without_leader"]
    rows = {key: [None if pd.isna(v) else v for v in table.loc[key, columns]]
            for key in table.index}
    assert rows[("U1", 2550)] == [0, 2, 2, 2, 0, 0, None, False, False, 0]
    # L4 retires on 30 Sep 2007: not active on the year's last day, which is one day without.
    assert rows[("U3", 2550)] == [0, 1, 0, 0, 1, 0, "retirement", True, False, 1]
    assert rows[("U1", 2551)] == [2, 2, 1, 1, 1, 1, "transfer", False, False, 0]
    # L3 leaves on 1 Mar 2008: covered 1 Oct – 29 Feb (152 days) of 366.
    assert rows[("U2", 2551)] == [1, 1, 0, 0, 1, 1, "transfer", True, True, 214]
    assert rows[("U3", 2551)] == [0, 1, 1, 1, 0, 0, "retirement", False, False, 19]
    u4 = table.loc[("U4", 2551)]
    assert u4["without_leader_at_end"] and not u4["orphaned_by_transfer"]
    assert pd.isna(u4["days_without_leader"]) and np.isnan(u4["retention"])
    assert table.loc[("U1", 2551), "retention"] == 0.5
    only = leader_continuity(roster, fiscal_year=2551)
    assert set(only["unit"]) == {"U1", "U2", "U3"} and set(only["fiscal_year"]) == {2551}


def test_leader_tenure(roster: pd.DataFrame) -> None:
    table = leader_tenure(roster).set_index("person_key")
    assert table.loc["L2", "days"] == (pd.Timestamp("2007-11-10") - pd.Timestamp("2006-11-15")
                                       ).days
    assert not table.loc["L2", "censored"] and table.loc["L2", "left_reason"] == "transfer"
    # Still a leader at the end of FY2551: cut there (the whole last day counted).
    assert table.loc["L1", "censored"] and pd.isna(table.loc["L1", "left"])
    assert table.loc["L1", "days"] == (pd.Timestamp("2008-10-01") - pd.Timestamp("2006-11-15")
                                       ).days
    early = leader_tenure(roster, as_of="2007-12-31").set_index("person_key")
    assert early.loc["L3", "censored"] and "L5" in early.index
    assert leader_tenure(roster, unit="U3")["person_key"].tolist() == ["L4", "L5"]
    with pytest.raises(ConfigError, match="as_of must be a date"):
        leader_tenure(roster, as_of="soon")


def test_members_active_share(roster: pd.DataFrame) -> None:
    table = members_active_share(roster, make_attendance(ATTENDANCE))
    got = {(r.fiscal_year, r.role): (r.network, r.attended) for r in table.itertuples()}
    # FY2550: leaders L1-L4 (L1 attended), members M1, M2, M4 (M1 attended).
    assert got[(2550, "leader")] == (4, 1) and got[(2550, "member")] == (3, 1)
    assert got[(2550, "all")] == (7, 2)
    # FY2551: members M1-M5, of whom M3 and M4 attended.
    assert got[(2551, "member")] == (5, 2)


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def test_summary_by_year_unit_and_span(dataset: SimpleNamespace) -> None:
    fy2550 = network_summary(dataset, fiscal_year=2550)
    assert tuple(fy2550) == NETWORK_KEYS
    assert fy2550 == {"leaders": 4, "members": 3, "recruits_per_leader_median": 0.5,
                      "max_cascade_depth": 2, "leader_retention": 0.75,
                      "members_active_share": 0.3333}
    assert network_summary(dataset, fiscal_year=2551) == {
        "leaders": 4, "members": 5, "recruits_per_leader_median": 0.0,
        "max_cascade_depth": 3, "leader_retention": 0.5, "members_active_share": 0.4}
    assert network_summary(dataset) == {
        "leaders": 5, "members": 5, "recruits_per_leader_median": 0.0,
        "max_cascade_depth": 3, "leader_retention": 0.4, "members_active_share": 0.6}
    u1 = network_summary(dataset, fiscal_year=2551, unit="U1")
    assert u1 == {"leaders": 2, "members": 3, "recruits_per_leader_median": 0.5,
                  "max_cascade_depth": 3, "leader_retention": 0.5,
                  "members_active_share": 0.3333}
    json.dumps(u1)


def test_summary_undefined_values_are_none(dataset: SimpleNamespace) -> None:
    summary = network_summary(dataset, fiscal_year=2551, unit="U4")
    assert summary == {"leaders": 0, "members": 0, "recruits_per_leader_median": None,
                       "max_cascade_depth": None, "leader_retention": None,
                       "members_active_share": None}


def test_summary_rejects_a_bad_selection(dataset: SimpleNamespace) -> None:
    with pytest.raises(ConfigError, match=r"Fiscal year 2552 has no .* Years with data: "
                                          r"2550, 2551"):
        network_summary(dataset, fiscal_year=2552)
    with pytest.raises(ConfigError, match=r"Unknown unit 'U9'\. Units in the data: U1, U2, U3, "
                                          r"U4"):
        network_summary(dataset, unit="U9")
    with pytest.raises(ConfigError, match="not a Buddhist Era year"):
        network_summary(dataset, fiscal_year=2007)
    with pytest.raises(CleannetError, match=r"The roster table lacks column\(s\) 'left'"):
        cascade_depth(make_roster().drop(columns="left"))


# --------------------------------------------------------------------------------------------
# Roster checks
# --------------------------------------------------------------------------------------------


def test_check_roster_clean(roster: pd.DataFrame) -> None:
    assert check_roster(roster) == []


def test_check_roster_cycle_names_every_row() -> None:
    problems = check_roster(make_roster(CYCLE))
    assert [(p["severity"], p["source_row"], p["column"]) for p in problems] == [
        ("error", 3, "recruited_by"), ("error", 4, "recruited_by"),
        ("error", 5, "recruited_by")]
    for problem in problems:
        assert set(problem) == PROBLEM_KEYS
        assert problem["source_file"] == "network_roster.xlsx"
        assert problem["source_sheet"] == "ทะเบียน"
        assert "recruitment cycle" in problem["message"]
        assert "rows 3, 4, 5" in problem["message"]
        assert "\n" not in problem["message"]
    assert "A → B → C → A" in problems[0]["message"]


def test_check_roster_self_recruitment() -> None:
    problems = check_roster(make_roster([("S", "U1", "member", "2007-01-01", "S", None, None)]))
    assert len(problems) == 1 and problems[0]["severity"] == "error"
    assert "S is recorded as recruited by themselves" in problems[0]["message"]


def test_check_roster_every_kind_of_problem() -> None:
    rows = [
        *ROSTER,
        # row 13: left before joined
        ("B1", "U1", "member", "2007-05-01", "L1", "2007-04-01", "transfer"),
        # row 14: recruiter not in the roster
        ("B2", "U1", "member", "2007-05-01", "NOBODY", None, None),
        # row 15: joined before the recruiter (L5 joined 20 Oct 2007)
        ("B3", "U3", "member", "2007-06-01", "L5", None, None),
        # rows 16-17: a second row names another recruiter and overlaps the first spell
        ("B4", "U1", "member", "2007-05-01", "L1", None, None),
        ("B4", "U1", "member", "2007-08-01", "L2", None, None),
        # row 18: no joined date
        ("B5", "U1", "member", None, "L1", None, None),
    ]
    found = {(p["source_row"], p["severity"], p["column"]): p["message"]
             for p in check_roster(make_roster(rows))}
    assert set(found) == {
        (13, "error", "left"), (14, "warning", "recruited_by"), (15, "warning", "joined"),
        (17, "warning", "recruited_by"), (17, "warning", "joined"), (18, "error", "joined"),
    }
    assert found[(13, "error", "left")].startswith(
        "left date 2007-04-01 is before the joined date 2007-05-01")
    assert "recruiter NOBODY is not in the roster" in found[(14, "warning", "recruited_by")]
    assert "before their recruiter L5 joined" in found[(15, "warning", "joined")]
    assert "earlier row 16 names L1" in found[(17, "warning", "recruited_by")]
    assert "joined date is empty" in found[(18, "error", "joined")]
    problems = check_roster(make_roster(rows))
    assert [p["source_row"] for p in problems] == sorted(p["source_row"] for p in problems)
    # The bad rows are left out of the measures instead of breaking them.
    table = cascade_depth(make_roster(rows)).set_index("person_key")
    assert table.loc["B2", "status"] == "unknown_recruiter"
    assert joins_exits(make_roster(rows), fiscal_year=2550).shape[0] == 3


# --------------------------------------------------------------------------------------------
# Co-attendance graph
# --------------------------------------------------------------------------------------------

#: T1: PA PB PC; T2: PA PC; T3: PD alone.
SMALL = {("T1", "2007-01-05", 2550): ["PA", "PB", "PC"],
         ("T2", "2007-02-05", 2550): ["PA", "PC"],
         ("T3", "2007-03-05", 2550): ["PD"]}


def random_attendance(people: int, activities: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    layout = {}
    for a in range(activities):
        size = int(rng.integers(2, 25))
        keys = rng.choice(people, size=size, replace=False)
        layout[(f"A{a}", "2007-03-01", 2550)] = [f"P{k:04d}" for k in keys]
    return make_attendance(layout)


def brute_edges(attendance: pd.DataFrame) -> dict[tuple[str, str], int]:
    shared: dict[tuple[str, str], int] = {}
    for _, group in attendance.groupby(["activity", "date"]):
        for a, b in itertools.combinations(sorted(set(group["person_key"])), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    return shared


def test_coattendance_graph_small() -> None:
    graph = coattendance_graph(make_attendance(SMALL))
    assert sorted(graph.edges(data="weight")) == [("PA", "PB", 1), ("PA", "PC", 2),
                                                  ("PB", "PC", 1)]
    assert set(graph.nodes) == {"PA", "PB", "PC", "PD"}
    assert graph.nodes["PA"] == {"staff_type": "civil_servant", "unit": "U1", "activities": 2}
    assert graph.graph["nodes_total"] == 4 and not graph.graph["sampled"]
    strong = coattendance_graph(make_attendance(SMALL), min_shared=2)
    assert list(strong.edges) == [("PA", "PC")]


def test_graph_metrics_small_exact() -> None:
    table = graph_metrics(make_attendance(SMALL)).set_index("metric")
    assert list(graph_metrics(make_attendance(SMALL)).columns) == [
        "metric", "value", "method", "ci_low", "ci_high"]
    assert set(table["method"]) == {"exact"}
    values = table["value"].to_dict()
    assert values == pytest.approx({
        "nodes": 4, "activities": 3, "pair_incidences": 4, "edges": 3, "density": 0.5,
        "weighted_density": 4 / 6, "mean_degree": 1.5, "mean_strength": 2.0, "components": 2,
        "largest_component_share": 0.75, "isolates": 1})
    graph = coattendance_graph(make_attendance(SMALL))
    assert values["density"] == pytest.approx(nx.density(graph))
    assert values["components"] == nx.number_connected_components(graph)


def test_centrality_matches_networkx_small_and_large() -> None:
    for attendance in (make_attendance(SMALL), random_attendance(400, 60)):
        graph = coattendance_graph(attendance, max_nodes=None)
        table = coattendance_centrality(attendance, betweenness=True).set_index("person_key")
        degree = dict(graph.degree)
        assert table["degree"].to_dict() == degree
        assert table["degree_centrality"].to_dict() == pytest.approx(
            nx.degree_centrality(graph))
        assert table["strength"].to_dict() == dict(graph.degree(weight="weight"))
        if nx.is_connected(graph):
            expected = nx.eigenvector_centrality_numpy(graph, weight="weight")
            assert table["eigenvector"].to_dict() == pytest.approx(expected, abs=1e-8)
        assert table["betweenness"].to_dict() == pytest.approx(
            nx.betweenness_centrality(graph), abs=1e-12)
    small = coattendance_centrality(make_attendance(SMALL)).set_index("person_key")
    assert small.loc["PD", "component"] == 1 and small.loc["PA", "component"] == 0
    assert small["eigenvector"].idxmax() in {"PA", "PC"}
    assert np.isnan(small["betweenness"]).all()


def test_graph_metrics_sampled_density_is_close() -> None:
    attendance = random_attendance(400, 60)
    exact = graph_metrics(attendance).set_index("metric")
    sampled = graph_metrics(attendance, max_pairs=0, sample_pairs=50_000, seed=1) \
        .set_index("metric")
    assert sampled.loc["density", "method"] == "sampled"
    low, high = sampled.loc["density", ["ci_low", "ci_high"]]
    assert low <= exact.loc["density", "value"] <= high
    for metric in ("pair_incidences", "weighted_density", "components", "mean_strength"):
        assert sampled.loc[metric, "value"] == exact.loc[metric, "value"]
        assert sampled.loc[metric, "method"] == "exact"
    assert coattendance_centrality(attendance, max_pairs=0)["degree"].isna().all()
    with pytest.raises(ConfigError, match="betweenness needs the whole graph"):
        coattendance_centrality(attendance, max_pairs=0, betweenness=True)


def test_sampled_graph_is_the_induced_subgraph() -> None:
    attendance = random_attendance(400, 60)
    graph = coattendance_graph(attendance, max_nodes=50, seed=7)
    assert graph.number_of_nodes() == 50
    assert graph.graph["sampled"] and graph.graph["nodes_total"] == attendance[
        "person_key"].nunique()
    shared = brute_edges(attendance)
    nodes = sorted(graph.nodes)
    expected = {(a, b): w for (a, b), w in shared.items() if a in graph and b in graph}
    got = {tuple(sorted((a, b))): w for a, b, w in graph.edges(data="weight")}
    assert got == expected and len(nodes) == 50
    with pytest.raises(ConfigError, match="above max_pairs=10; pass a smaller max_nodes"):
        coattendance_graph(attendance, max_pairs=10)


# --------------------------------------------------------------------------------------------
# Never modify the input
# --------------------------------------------------------------------------------------------


def test_an_edited_roster_is_never_answered_from_memory(roster: pd.DataFrame) -> None:
    assert cascade_depth(roster).set_index("person_key").loc["M3", "depth"] == 3
    roster.loc[7, "recruited_by_key"] = "L2"  # M3 now recruited directly by a leader
    assert cascade_depth(roster).set_index("person_key").loc["M3", "depth"] == 1
    roster.loc[0, "left"] = pd.Timestamp("2008-01-01")  # NumPy-backed dates: checked each call
    assert network_summary(SimpleNamespace(units=make_units(), roster=roster,
                                           attendance=make_attendance(ATTENDANCE)),
                           fiscal_year=2551)["leader_retention"] == 0.25


def test_nothing_is_modified(dataset: SimpleNamespace) -> None:
    before = copy.deepcopy(dataset)
    roster, attendance, units = dataset.roster, dataset.attendance, dataset.units
    check_roster(roster)
    cascade_depth(roster)
    recruits_per_leader(roster, fiscal_year=2551, unit="U1")
    top_recruiters(roster)
    recruitment_distribution(roster)
    network_growth(roster)
    joins_exits(roster)
    leader_continuity(roster, units)
    leader_tenure(roster)
    members_active_share(roster, attendance)
    graph_metrics(attendance)
    coattendance_centrality(attendance, betweenness=True)
    coattendance_graph(attendance)
    network_summary(dataset, fiscal_year=2551, unit="U1")
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


def is_key(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"P[0-9A-F]{12}", value) is not None


def test_demo_network(demo) -> None:
    roster, attendance = demo.roster, demo.attendance
    assert [p for p in check_roster(roster) if p["severity"] == "error"] == []
    for year in (None, *demo.fiscal_years):
        summary = network_summary(demo, fiscal_year=year)
        assert tuple(summary) == NETWORK_KEYS
        json.dumps(summary)
        assert summary["leaders"] > 0 and summary["members"] > summary["leaders"]
        assert 1 <= summary["max_cascade_depth"] <= 4  # the demo's cascades: ≤ 4 steps
        assert 0 < summary["leader_retention"] <= 1
        assert 0 < summary["members_active_share"] <= 1
    depth = cascade_depth(roster)
    assert depth["person_key"].map(is_key).all()
    assert depth["status"].isin(["root", "recruited"]).all()
    assert depth["recruits"].sum() == (depth["depth"] > 0).sum()
    # The demo leaves two units without any leader at the end of FY2551.
    continuity = leader_continuity(roster, demo.units, fiscal_year=2551)
    assert continuity["without_leader_at_end"].sum() == 2
    assert continuity["orphaned_by_transfer"].sum() <= 2
    moves = joins_exits(roster)
    assert moves.loc[moves["role"] == "all", "reentries"].sum() >= 2
    growth = network_growth(roster)
    assert growth["cumulative_people"].iloc[-1] == roster["person_key"].nunique()
    hubs = top_recruiters(roster, n=5)
    assert hubs["person_key"].map(is_key).all() and hubs["recruits"].is_monotonic_decreasing
    metrics = graph_metrics(attendance).set_index("metric")
    assert (metrics["method"] == "exact").all()
    assert 0 < metrics.loc["density", "value"] < 1
    central = coattendance_centrality(attendance, top=10)
    assert len(central) == 10 and central["person_key"].map(is_key).all()
    active = members_active_share(roster, attendance)
    assert active["share"].between(0, 1).all()
