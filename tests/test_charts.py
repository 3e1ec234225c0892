"""The figure builders: their data, colours, labels in Thai and English, and escaping.

Each builder is fed the table its analysis function returns (built here from small inline
data or by the analysis function itself) and the figure's traces are checked value by value.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from cleannet_eval import charts
from cleannet_eval.analysis import factor_table, item_table
from cleannet_eval.analysis.network import joins_exits, network_growth, recruitment_distribution
from cleannet_eval.analysis.participation import activities_by_month, shares_by_group
from cleannet_eval.instruments import instrument_from_dict, load_instrument

INST = load_instrument("cleannet5")
CODES = INST.item_codes
EVIL = "<b>กอง</b> & <img src=x onerror=alert(1)>"
ESCAPED = "&lt;b&gt;กอง&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"


def survey(groups: dict[str, int], seed: int = 0, by: str = "unit") -> pd.DataFrame:
    """Random answers: ``groups`` maps a group value to its number of respondents."""
    rng = np.random.default_rng(seed)
    frames = []
    for value, n in groups.items():
        answers = np.clip(np.round(rng.normal(3.8, 0.8, size=(n, len(CODES)))), 1, 5)
        frame = pd.DataFrame(answers.astype(int), columns=CODES).astype("Int64")
        frame[by] = value
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def raw_strings(fig: go.Figure) -> str:
    """Every string plotly would render, as JSON (escaped by plotly only for JSON)."""
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False, default=str)


# --------------------------------------------------------------------------- words


def test_year_and_month_labels_are_buddhist_era_in_thai():
    assert charts.year_label(2551) == "ปีงบประมาณ 2551"
    assert charts.year_label(2551, "en") == "FY2551 (2007–08)"
    thai = [charts.fiscal_month_label(2551, m) for m in range(1, 13)]
    assert thai[0] == "ต.ค. 50" and thai[2] == "ธ.ค. 50" and thai[3] == "ม.ค. 51"
    assert thai[11] == "ก.ย. 51"
    english = [charts.fiscal_month_label(2551, m, "en") for m in (1, 3, 4, 12)]
    assert english == ["Oct 2007", "Dec 2007", "Jan 2008", "Sep 2008"]
    with pytest.raises(ValueError, match="fiscal_month"):
        charts.fiscal_month_label(2551, 13)
    with pytest.raises(ValueError, match="th, en"):
        charts.year_label(2551, "fr")


def test_numbers_round_half_up_and_missing_is_a_dash():
    assert charts.format_number(4.505, 2) == "4.51"  # as the printed factor table
    assert charts.format_number(1234567) == "1,234,567"
    assert charts.format_number(pd.NA) == charts.format_number(float("nan")) == "–"
    assert charts.format_percent(0.1505) == "15.1%"
    assert charts.format_percent(None) == "–"


def test_plot_text_escapes_markup_and_wrap_keeps_it_escaped():
    assert charts.plot_text(EVIL) == ESCAPED
    wrapped = charts.theme.wrap_label(EVIL, 12)
    assert "<b>" not in wrapped and "<img" not in wrapped and "<br>" in wrapped
    # nothing lost: the breaks only replace spaces or cut a long run
    assert wrapped.replace("<br>", "").replace(" ", "") == ESCAPED.replace(" ", "")


def test_wrap_breaks_thai_between_words_not_inside_them():
    text = "การจัดทำกำหนดการและแผนงานของโครงการ"
    assert charts.theme.wrap_label(text, 30) == "การจัดทำกำหนดการและแผนงาน<br>ของโครงการ"
    lines = charts.theme.wrap_label("PS4 เจ้าหน้าที่ศูนย์ประสานราชการใสสะอาดมีจำนวนเพียงพอต่อภารกิจ", 44)
    assert lines.split("<br>") == ["PS4 เจ้าหน้าที่ศูนย์ประสานราชการใสสะอาด",
                                   "มีจำนวนเพียงพอต่อภารกิจ"]
    # "การ" inside โครงการ / ราชการ is not a word start
    assert "โครง<br>" not in charts.theme.wrap_label("โครงการ" * 8, 10)


def test_theme_font_colours_and_separators():
    fig = charts.apply_theme(go.Figure(), "th")
    assert "Sarabun" in fig.layout.font.family
    assert list(fig.layout.colorway) == list(charts.CATEGORY_COLOURS)
    assert fig.layout.separators == ".,"


# --------------------------------------------------------------------------- survey


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    rows = [{c: 5 for c in CODES}, {c: 4 for c in CODES}, {c: 3 for c in CODES},
            {c: 2 for c in CODES}, {c: 4 for c in CODES}]
    frame = pd.DataFrame(rows).astype("Int64")
    frame.loc[0, "TMS1"] = pd.NA
    return item_table(frame, INST, min_group_size=1)


def test_likert_bars_diverge_around_neutral(items):
    fig = charts.likert_bars(items, INST, "th")
    assert len(fig.data) == 6  # neutral split in two halves, then 2 answers each side
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(trace)
    assert set(by_name) == {"น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"}
    row = list(items["item"]).index("PM1")  # answers 5, 4, 3, 2, 4: 20/40/20/20 %
    assert by_name["มากที่สุด"][0].x[row] == pytest.approx(20.0)
    assert by_name["มาก"][0].x[row] == pytest.approx(40.0)
    assert by_name["น้อย"][0].x[row] == pytest.approx(-20.0)
    assert by_name["น้อยที่สุด"][0].x[row] == pytest.approx(0.0)
    halves = sorted(t.x[row] for t in by_name["ปานกลาง"])
    assert halves == pytest.approx([-10.0, 10.0])
    assert [t.customdata[row][0] for t in by_name["ปานกลาง"]] == [20.0, 20.0]
    assert sum(t.showlegend is not False for t in fig.data) == 5
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours["น้อยที่สุด"] == charts.LIKERT_COLOURS[0]
    assert colours["มากที่สุด"] == charts.LIKERT_COLOURS[4]
    # the reverse item TMS5: shares as ticked on the form (all "5" from row 0 …)
    assert fig.data[0].y[0].startswith("TMS1 ")
    assert fig.layout.xaxis.range == (-100, 100)


def test_likert_bars_english_and_hidden_items(items):
    hidden = items.copy()
    hidden.loc[hidden["item"] == "PM2", "suppressed"] = True
    fig = charts.likert_bars(hidden, INST, "en", title=EVIL, min_group_size=5)
    names = {t.name for t in fig.data}
    assert names == {"Very low", "Low", "Moderate", "High", "Very high"}
    row = list(hidden["item"]).index("PM2")
    assert "(n &lt; 5)" in fig.data[0].y[row]
    assert all(t.x[row] is None for t in fig.data)  # no bar, never a number
    assert fig.layout.title.text == ESCAPED
    assert fig.layout.xaxis.title.text == "Share of answers (%)"


def test_likert_bars_seven_point_palette_and_escaped_wording():
    inst = instrument_from_dict({
        "id": "x", "scale": {"min": 1, "max": 7},
        "factors": [{"key": "personnel", "items": [
            {"code": "P1", "text_en": "<script>x</script>", "text_th": "ก"},
            {"code": "P2"}]}],
    })
    answers = pd.DataFrame({"P1": [1, 4, 7, 7, 2], "P2": [3, 4, 5, 6, 7]}).astype("Int64")
    fig = charts.likert_bars(item_table(answers, inst), inst, "en")
    assert len(fig.data) == 8  # 1 2 3 4½ | 4½ 5 6 7
    assert len({t.marker.color for t in fig.data}) == 7
    assert "<script>" not in raw_strings(fig)
    assert fig.data[0].y[0] == "P1 &lt;script&gt;x&lt;/script&gt;"


@pytest.fixture(scope="module")
def factors() -> pd.DataFrame:
    return factor_table(survey({"A": 30}, seed=1), INST)


def test_factor_bars_draw_means_over_the_bands(factors):
    fig = charts.factor_bars(factors, "half", "th")
    main, overall = fig.data
    assert list(main.x) == pytest.approx(factors["mean"].iloc[:5].tolist())
    assert list(overall.x) == pytest.approx([factors["mean"].iloc[5]])
    assert main.marker.color == charts.CATEGORY_COLOURS[0]
    assert overall.marker.color == charts.CATEGORY_COLOURS[1]
    assert main.y[0] == "การสนับสนุนของผู้บริหารระดับสูง"
    assert list(main.text) == [charts.format_number(m, 2) for m in factors["mean"].iloc[:5]]
    lows = factors["mean"].iloc[:5] - factors["ci_low"].iloc[:5]
    assert list(main.error_x.arrayminus) == pytest.approx(lows.tolist())
    assert len(fig.layout.shapes) == 5
    # contiguous bands from 1 to 5, labelled in Thai, lowest first
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [
        (1.0, 1.5), (1.5, 2.5), (2.5, 3.5), (3.5, 4.5), (4.5, 5.0)]
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]
    assert fig.layout.xaxis.range == (1, 5)


def test_factor_bars_english_equal_bands_and_hidden_rows(factors):
    hidden = factors.copy()
    hidden.loc[hidden["factor"] == "personnel", ["mean", "suppressed"]] = [np.nan, True]
    fig = charts.factor_bars(hidden, "equal", "en", min_group_size=5)
    assert [a.text for a in fig.layout.annotations][-1] == "Very high"
    assert fig.layout.shapes[-1].x0 == pytest.approx(4.2)
    main = fig.data[0]
    row = list(hidden["factor"]).index("personnel")
    assert main.x[row] is None and main.text[row] == ""
    assert main.y[row] == "Personnel (n &lt; 5)"
    assert main.customdata[row][1] == ""  # no level for a hidden row


def test_factor_bars_print_half_up_means():
    table = pd.DataFrame({
        "factor": ["personnel"], "name_th": ["บุคลากร"], "name_en": ["Personnel"], "n": [9],
        "mean": [4.505], "ci_low": [4.2], "ci_high": [4.8], "level_th": ["มากที่สุด"],
        "level_en": ["Very high"], "suppressed": [False]})
    fig = charts.factor_bars(table, "half", "th")
    assert fig.data[0].text == ("4.51",)


def test_group_bars_one_trace_per_group_with_hidden_groups():
    # "เล็ก" is below 5; "กลาง", the next smallest, is hidden with it (secondary suppression)
    table = factor_table(survey({"กองคลัง": 12, EVIL: 15, "กลาง": 11, "เล็ก": 3}, seed=2), INST,
                         by="unit")
    fig = charts.group_bars(table, "unit", "th", title=EVIL)
    names = [t.name for t in fig.data]
    assert "กองคลัง" in names and ESCAPED in names
    # issue #10: the small group reads "n < 5", the one hidden to protect it its own label
    secondary = "ซ่อนเพื่อคุ้มครองกลุ่มเล็ก"
    hidden = [t for t in fig.data if t.name.endswith(("(n &lt; 5)", f"({secondary})"))]
    assert [t.name for t in hidden] == [f"กลาง ({secondary})", "เล็ก (n &lt; 5)"]
    assert all(v is None for t in hidden for v in t.y)
    assert {v for t in hidden for v in t.text} == {"n < 5", secondary}
    shown = fig.data[names.index("กองคลัง")]
    expected = table[table["unit"] == "กองคลัง"]["mean"].tolist()
    assert list(shown.y) == pytest.approx(expected)
    assert fig.layout.title.text == ESCAPED
    assert EVIL not in raw_strings(fig)


def test_group_bars_label_codes_in_the_report_language():
    table = factor_table(survey({2550: 10, 2551: 12}, seed=3, by="fiscal_year"), INST,
                         by="fiscal_year")
    assert [t.name for t in charts.group_bars(table, "fiscal_year", "th").data] == [
        "ปีงบประมาณ 2550", "ปีงบประมาณ 2551"]
    assert [t.name for t in charts.group_bars(table, "fiscal_year", "en").data] == [
        "FY2550 (2006–07)", "FY2551 (2007–08)"]
    roles = factor_table(survey({"leader": 8, "member": 8}, seed=4, by="role"), INST, by="role")
    assert [t.name for t in charts.group_bars(roles, "role", "th").data] == [
        "แกนนำ", "สมาชิกเครือข่าย"]


# --------------------------------------------------------------------------- participation


@pytest.fixture(scope="module")
def attendance() -> pd.DataFrame:
    return pd.DataFrame({
        "person_key": ["PA", "PB", "PC", "PA", "PD"],
        "unit": ["U1", "U1", None, "U1", EVIL],
        "staff_type": ["civil_servant", "civil_servant", "citizen", "civil_servant",
                       "government_employee"],
        "role": "participant",
        "activity": ["Talk", "Talk", "Talk", "Walk", "Walk"],
        "date": pd.to_datetime(["2007-10-05", "2007-10-05", "2007-10-05", "2008-01-10",
                                "2008-01-10"]),
        "fiscal_year": pd.array([2551] * 5, dtype="Int64"),
    })


def test_monthly_activity_by_thai_month(attendance):
    monthly = activities_by_month(attendance, fiscal_year=2551)
    fig = charts.monthly_activity(monthly, "th")
    bars, people, line = fig.data
    assert list(bars.x)[:4] == ["ต.ค. 50", "พ.ย. 50", "ธ.ค. 50", "ม.ค. 51"]
    assert list(bars.y) == monthly["attendances"].tolist()
    assert list(people.y) == monthly["unique_participants"].tolist()
    assert list(line.y) == monthly["activities"].tolist() and line.yaxis == "y2"
    assert bars.y[0] == 3 and bars.y[3] == 2
    english = charts.monthly_activity(monthly, "en")
    assert english.data[0].x[0] == "Oct 2007" and english.data[0].name == "Attendances"


def test_coverage_bars_sorted_in_percent_with_an_escaped_highlight():
    coverage = pd.DataFrame({
        "unit": ["U1", EVIL, "U3"], "headcount": [10.0, 20.0, np.nan],
        "participants": [2, 10, 4], "coverage": [0.2, 0.5, np.nan],
        "network_members": [1, 4, 0], "network_coverage": [0.1, 0.2, np.nan],
    })
    fig = charts.coverage_bars(coverage, "en", highlight=EVIL)
    people, network = fig.data
    assert list(people.x) == pytest.approx([50.0, 20.0])
    assert list(network.x) == pytest.approx([20.0, 10.0])
    assert people.y[0] == f"<b>▶ {ESCAPED}</b>" and people.y[1] == "U1"
    assert EVIL not in raw_strings(fig)
    assert list(people.customdata[0]) == ["10", "20"]


def test_coverage_heatmap_units_by_month():
    from cleannet_eval.narrative import unit_month_coverage

    attendance = pd.DataFrame({
        "person_key": ["PA", "PB", "PA"], "unit": [EVIL, EVIL, "U2"],
        "staff_type": "civil_servant", "role": "member", "activity": ["T", "T", "W"],
        "date": pd.to_datetime(["2007-10-05", "2007-10-05", "2008-02-01"]),
        "fiscal_year": pd.array([2551] * 3, dtype="Int64")})
    units = pd.DataFrame({"unit": [EVIL, "U2"], "parent": [None, None],
                          "fiscal_year": pd.array([2551, 2551], dtype="Int64"),
                          "headcount": pd.array([4, None], dtype="Int64")})
    table = unit_month_coverage(attendance, units, 2551)
    fig = charts.coverage_heatmap(table, "th", highlight="U2")
    heat = fig.data[0]
    assert list(heat.x) == [charts.fiscal_month_label(2551, m) for m in range(1, 13)]
    assert list(heat.y) == [ESCAPED, "<b>▶ U2</b>"]
    assert heat.z[0][0] == 50.0 and heat.z[0][1] == 0.0
    assert all(v is None for v in heat.z[1])  # no headcount: no coverage
    assert heat.customdata[1][4] == 1  # but the participant is counted
    assert EVIL not in raw_strings(fig)


def test_staff_type_shares_stack_to_100_with_citizens_in_vermillion(attendance):
    shares = shares_by_group(attendance, by="staff_type")
    fig = charts.staff_type_shares(shares, "th")
    by_name = {t.name: t for t in fig.data}
    citizen = by_name["ภาคประชาชน"]
    assert citizen.marker.color == charts.STAFF_TYPE_COLOURS["citizen"]
    assert list(citizen.x) == ["ปีงบประมาณ 2551"]
    assert citizen.y[0] == pytest.approx(20.0)
    assert sum(t.y[0] for t in fig.data) == pytest.approx(100.0)
    assert fig.layout.barmode == "stack"
    assert {t.name for t in charts.staff_type_shares(shares, "en").data} >= {
        "Citizen sector", "Civil servant"}


# --------------------------------------------------------------------------- network


@pytest.fixture(scope="module")
def roster() -> pd.DataFrame:
    return pd.DataFrame({
        "person_key": ["L1", "L2", "A", "B", "C"], "unit": "U1",
        "staff_type": "civil_servant", "role": ["leader", "leader", "member", "member", "member"],
        "joined": pd.to_datetime(["2006-11-15", "2006-11-15", "2007-10-20", "2007-12-02",
                                  "2008-02-03"]),
        "recruited_by_key": [None, None, "L1", "A", "L1"],
        "left": pd.to_datetime([None, "2008-03-10", None, "2008-06-01", None]),
        "left_reason": [None, "transfer", None, "resignation", None],
    })


def test_growth_chart_sizes_joins_and_exits(roster):
    growth = network_growth(roster, fiscal_year=2551)
    fig = charts.growth_chart(growth, "th")
    leaders, members, cumulative, joins, exits = fig.data
    assert list(leaders.x)[0] == "ต.ค. 50"
    assert list(leaders.y) == growth["leaders_active"].tolist()
    assert list(members.y) == growth["members_active"].tolist()
    assert list(cumulative.y) == growth["cumulative_people"].tolist()
    assert list(joins.y) == growth["joins"].tolist()
    assert list(exits.y) == [-v for v in growth["exits"]]
    assert exits.yaxis == "y2" and joins.yaxis == "y2"
    assert leaders.marker.color == charts.ROLE_COLOURS["leader"]


def test_recruits_histogram_counts_leaders(roster):
    distribution = recruitment_distribution(roster, fiscal_year=2551)
    fig = charts.recruits_histogram(distribution, "en")
    bars = fig.data[0]
    assert list(bars.x) == [0, 1, 2]  # L2 recruited nobody, L1 two people (A, C)
    assert list(bars.y) == [1, 0, 1]
    assert "Gini coefficient 0.50" in fig.layout.annotations[0].text
    assert fig.layout.xaxis.title.text == "People a leader recruited"


def test_leader_exits_by_reason_per_year(roster):
    moves = joins_exits(roster)
    fig = charts.leader_exits(moves, "th")
    assert [t.name for t in fig.data] == ["แต่งตั้งโยกย้าย"]  # only reasons that occurred
    transfer = fig.data[0]
    assert transfer.marker.color == charts.REASON_COLOURS["transfer"]
    years = list(transfer.x)
    assert transfer.y[years.index("ปีงบประมาณ 2551")] == 1
    assert charts.leader_exits(moves[moves["role"] == "member"], "en").layout.annotations[
        0].text == "No data"


def test_network_picture_nodes_edges_and_pseudonymous_hover():
    graph = nx.Graph(nodes_total=5)
    graph.add_node("PKEY1", role="leader")
    graph.add_node("P<2>", role="member")
    graph.add_node("PKEY3", role="member")
    graph.add_edge("PKEY1", "P<2>")
    graph.add_edge("PKEY1", "PKEY3")
    fig = charts.network_picture(graph, "th", seed=3)
    edges, members, leaders = fig.data
    assert len([x for x in edges.x if x is None]) == 2  # two segments
    assert list(leaders.text) == ["PKEY1 · แกนนำ"]
    assert sorted(members.text) == ["P&lt;2&gt; · สมาชิก", "PKEY3 · สมาชิก"]
    assert leaders.marker.size > members.marker.size
    assert "แสดง 3 จาก 5 คน" in fig.layout.annotations[0].text
    again = charts.network_picture(graph, "en", seed=3)
    assert again.data[2].x == leaders.x  # same layout for the same seed
    assert again.data[2].text == ("PKEY1 · Leader",)
    assert charts.network_picture(nx.Graph(), "en").layout.annotations[0].text == "No data"


@pytest.mark.parametrize("build", [
    lambda t: charts.monthly_activity(activities_by_month(pd.DataFrame(
        columns=["person_key", "unit", "staff_type", "role", "activity", "date",
                 "fiscal_year"]).astype({"date": "datetime64[ns]", "fiscal_year": "Int64"}),
        fiscal_year=2551), "th", title=t),
    lambda t: charts.recruits_histogram(pd.DataFrame(
        {"recruits": [0], "leaders": [2], "share": [1.0]}), "th", title=t),
    lambda t: charts.staff_type_shares(pd.DataFrame(
        {"fiscal_year": [2551], "group": ["citizen"], "attendances": [1],
         "attendance_share": [1.0]}), "th", title=t),
])
def test_every_title_is_escaped(build):
    fig = build(EVIL)
    assert fig.layout.title.text == ESCAPED
    assert "Sarabun" in fig.layout.font.family
