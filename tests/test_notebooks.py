"""The evaluation notebooks: their structure as committed, and real runs under papermill.

Every notebook runs three times with real kernels (two at a time): with its default
parameters; for a unit in English (a unit whose survey results are hidden, n < 5); and for a
unit named like an HTML/Markdown injection that has no survey and no network rows. Only
``processed_dir`` is changed from the defaults, to a copy of the demo data ingested with the
test key, so that no test writes into ``data/processed``. A bad unit and a bad fiscal year must
stop the first cell after the parameters with one line that lists the valid values.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from cleannet_eval.instruments import load_instrument
from cleannet_eval.reports import ReportError, execute_report

from conftest import DEMO_RAW, REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
PARAMETERS = {
    "fiscal_year": ("int", 2551), "unit": ("str", ""), "lang": ("str", "th"),
    "raw_dir": ("str", ""), "processed_dir": ("str", ""), "min_group_size": ("int", 5),
    "bands": ("str", "half"), "instrument": ("str", ""),
}
#: A unit with 3 survey answers in FY2551: its survey results must read "n < 5".
SMALL_UNIT = "กลุ่มพัฒนาระบบบริหาร"
#: The edge-case unit (renamed from this one, its survey and roster rows removed).
EVIL = "<b>กอง</b> & [x](javascript:alert(1)) *y*"
RENAMED = "กองวิชาการและแผนงาน"
THAI = re.compile("[\u0e00-\u0e7f]")


def test_the_six_notebooks_are_there():
    assert NAMES == ["01_data_quality", "02_participation", "03_network",
                     "04_success_factors", "05_summary", "06_instrument_quality"]


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs_with_one_parameters_cell(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    first = nb.cells[0]
    assert first.cell_type == "markdown" and re.match(r"# \S", first.source)
    # the first code cell after the parameters opens the report (bad parameters stop there)
    after = next(c for c in nb.cells[tagged[0] + 1:] if c.cell_type == "code")
    assert "open_report(" in after.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_papermill_documents_every_parameter(path: Path):
    found = papermill.inspect_notebook(str(path))
    assert list(found) == list(PARAMETERS)
    for name, (kind, default) in PARAMETERS.items():
        assert found[name]["inferred_type_name"] == kind
        assert ast.literal_eval(found[name]["default"]) == default
        assert found[name]["help"] and "=" not in found[name]["help"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_definitions_in_notebook_code(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defined = [type(node).__name__ for node in ast.walk(tree) if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defined, f"{path.name}: {defined} in\n{cell.source[:200]}"


# --------------------------------------------------------------------------- runs


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Path]:
    """The demo data ingested with the test key, and the edge-case copy."""
    from cleannet_eval.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("notebook-data")
    processed = root / "processed"
    ingest(DEMO_RAW, processed)
    edge = root / "edge"
    shutil.copytree(processed, edge)
    for table in ("units", "roster", "attendance", "survey"):
        path = edge / f"{table}.parquet"
        frame = pd.read_parquet(path)
        frame["unit"] = frame["unit"].replace({RENAMED: EVIL})
        if table in ("survey", "roster"):
            frame = frame[(frame["unit"] != EVIL).fillna(True)]
        frame.to_parquet(path, index=False)
    empty = root / "no-raw"  # no spreadsheets: the edited processed data is used as it is
    empty.mkdir()
    review = root / "review"  # the demo plus an expert review (IOC) of every item
    shutil.copytree(processed, review)
    codes = load_instrument().item_codes
    pd.DataFrame({
        "item": pd.array([c for c in codes for _ in range(3)], dtype="string"),
        "expert": pd.array(["ผู้เชี่ยวชาญคนที่ 1", "ผู้เชี่ยวชาญคนที่ 2", "ผู้เชี่ยวชาญคนที่ 3"]
                           * len(codes), dtype="string"),
        "rating": pd.array([r for i in range(len(codes))
                            for r in ((1, -1, 0) if i == 0 else (1, 1, 0))], dtype="Int64"),
        "source_file": pd.array(["ioc.xlsx"] * 3 * len(codes), dtype="string"),
        "source_sheet": pd.array(["IOC"] * 3 * len(codes), dtype="string"),
        "source_row": pd.array([2 + i for i in range(len(codes)) for _ in range(3)],
                               dtype="Int64"),
    }).to_parquet(review / "expert_review.parquet", index=False)
    return {"processed": processed, "edge": edge, "no_raw": empty, "review": review}


RUNS = {
    "default": lambda d: {"processed_dir": str(d["processed"])},
    "unit_en": lambda d: {"processed_dir": str(d["processed"]), "unit": SMALL_UNIT,
                          "lang": "en"},
    "edge": lambda d: {"processed_dir": str(d["edge"]), "raw_dir": str(d["no_raw"]),
                       "unit": EVIL},
}
BAD = {
    "bad_unit": ("04_success_factors", {"unit": "กองที่ไม่มีอยู่จริง"}),
    "bad_year": ("02_participation", {"fiscal_year": 2549}),
}


@pytest.fixture(scope="module")
def runs(data) -> dict[tuple[str, str], nbformat.NotebookNode | ReportError]:
    """Every run, two kernels at a time; a failure is kept as its ReportError."""
    jobs = [(run, path.stem, path, make(data)) for run, make in RUNS.items()
            for path in NOTEBOOKS]
    jobs += [(run, name, REPO / "notebooks" / f"{name}.ipynb",
              {"processed_dir": str(data["processed"]), **params})
             for run, (name, params) in BAD.items()]
    jobs.append(("review", "06_instrument_quality",
                 REPO / "notebooks" / "06_instrument_quality.ipynb",
                 {"processed_dir": str(data["review"]), "raw_dir": str(data["no_raw"])}))

    def one(job):
        run, name, path, params = job
        try:
            return (run, name), execute_report(path, params, timeout=300)
        except ReportError as error:
            return (run, name), error

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, jobs))


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def texts(nb: nbformat.NotebookNode) -> list[str]:
    """Markdown and HTML outputs (what the report shows besides charts)."""
    found = []
    for output in outputs(nb):
        data = output.get("data", {})
        found += [data[m] for m in ("text/markdown", "text/html") if m in data]
    return found


def figures(nb: nbformat.NotebookNode) -> list[dict]:
    return [o["data"]["application/vnd.plotly.v1+json"] for o in outputs(nb)
            if "application/vnd.plotly.v1+json" in o.get("data", {})]


def headings(nb: nbformat.NotebookNode) -> list[str]:
    return [line for text in texts(nb) for line in text.splitlines()
            if re.match(r"#{1,3} ", line)]


def get(runs, run: str, name: str) -> nbformat.NotebookNode:
    result = runs[(run, name)]
    if isinstance(result, ReportError):
        pytest.fail(f"{name} ({run}) failed: {result.one_line()}\n"
                    + "\n".join(result.traceback[-15:]))
    return result


@pytest.mark.parametrize("run", list(RUNS))
@pytest.mark.parametrize("name", NAMES)
def test_runs_top_to_bottom_without_errors_or_warnings(runs, run, name):
    nb = get(runs, run, name)
    for output in outputs(nb):
        assert output["output_type"] != "error"
        assert not (output["output_type"] == "stream" and output["name"] == "stderr"), \
            output.get("text", "")[:500]
    assert headings(nb)  # at least one section (a unit without data may have only one)


@pytest.mark.parametrize("name", NAMES)
def test_default_run_is_thai_and_draws_charts(runs, name):
    nb = get(runs, "default", name)
    assert all(THAI.search(h) for h in headings(nb))
    charts = figures(nb)
    if name != "01_data_quality":
        assert charts, "no figure"
    for figure in charts:
        assert "Sarabun" in figure["layout"]["font"]["family"]
        assert THAI.search(figure["layout"]["title"]["text"])  # labels in the report's language


@pytest.mark.parametrize("name", NAMES)
def test_unit_run_is_english_and_hides_small_survey_groups(runs, name):
    nb = get(runs, "unit_en", name)
    assert not any(THAI.search(h) for h in headings(nb)), headings(nb)
    shown = "\n".join(texts(nb))
    assert SMALL_UNIT in shown
    if name == "04_success_factors":
        assert "Not shown (n &lt; 5)" in shown or "Not shown (n < 5)" in shown
        assert not any("Success factors against" in json.dumps(f) for f in figures(nb))
    for figure in figures(nb):
        text = json.dumps(figure, ensure_ascii=False)
        assert "ปีงบประมาณ" not in text  # English labels: FY2551 (2007–08), months in CE


def test_unit_charts_use_english_months(runs):
    figure = figures(get(runs, "unit_en", "02_participation"))[0]
    assert list(figure["data"][0]["x"])[:2] == ["Oct 2007", "Nov 2007"]
    thai = figures(get(runs, "default", "02_participation"))[0]
    assert list(thai["data"][0]["x"])[:2] == ["ต.ค. 50", "พ.ย. 50"]


@pytest.mark.parametrize("name", NAMES)
def test_edge_unit_is_escaped_and_missing_data_is_said(runs, name):
    nb = get(runs, "edge", name)
    everything = json.dumps([o.get("data", {}) for o in outputs(nb)], ensure_ascii=False)
    assert "<b>กอง" not in everything  # neither in Markdown, HTML nor chart labels
    shown = "\n".join(texts(nb))
    markdown = "\n".join(o["data"]["text/markdown"] for o in outputs(nb)
                         if "text/markdown" in o.get("data", {}))
    # Markdown outputs: no link or emphasis can form (HTML tables are not read as Markdown)
    assert "](javascript" not in markdown and "*y*" not in markdown
    assert "&#60;b&#62;กอง&#60;/b&#62;" in shown  # the name, escaped, is still there
    if name == "04_success_factors":
        assert "ไม่มีผู้ตอบแบบสอบถาม" in shown
    if name == "03_network":
        assert "ไม่มีแกนนำหรือสมาชิกเครือข่าย" in shown


def test_instrument_quality_says_when_there_is_no_expert_review(runs):
    nb = get(runs, "default", "06_instrument_quality")
    shown = "\n".join(texts(nb))
    assert "ไม่มีแบบประเมินความสอดคล้อง (IOC) ของผู้เชี่ยวชาญ" in shown  # the demo has none
    assert "## การวิเคราะห์องค์ประกอบเชิงยืนยัน (CFA)" in shown and "RMSEA" in shown
    (figure,) = figures(nb)
    assert [t["name"] for t in figure["data"]] == [f.name_th for f in load_instrument().factors]
    # the small unit's responses are hidden in the sample-adequacy table of its report
    unit_nb = get(runs, "unit_en", "06_instrument_quality")
    table = [t for t in texts(unit_nb) if "Krejcie" in t and "<table" in t][-1]
    assert SMALL_UNIT in table and "n &lt; 5" in table


def test_instrument_quality_shows_the_ioc_table_of_an_expert_review(runs):
    nb = get(runs, "review", "06_instrument_quality")
    shown = "\n".join(texts(nb))
    assert "ใช้ได้ 22 จาก 23 ข้อ" in shown  # the first item: (+1 − 1 + 0) / 3 = 0 < 0.50
    table = next(t for t in texts(nb) if "<table" in t and "IOC" in t)
    assert "0.67" in table and "ไม่" in table


@pytest.mark.parametrize("run, valid", [("bad_unit", "Valid units: "),
                                        ("bad_year", "Fiscal years with data: 2550, 2551")])
def test_bad_parameter_stops_the_first_cell_with_one_line(runs, run, valid):
    error = runs[(run, BAD[run][0])]
    assert isinstance(error, ReportError)
    assert error.cell_index == 2  # title, parameters, then the cell that opens the report
    assert error.ename == "ConfigError"
    assert valid in error.evalue and "\n" not in error.evalue
    assert len(error.traceback) == 1  # one line, no Python traceback
    if run == "bad_unit":
        assert SMALL_UNIT in error.evalue and RENAMED in error.evalue


# --------------------------------------------------------------------------- helpers
# What the notebooks call besides the analysis: cleannet_eval.notebook and .narrative.


def test_module_examples_hold():
    import doctest

    from cleannet_eval import charts, narrative, notebook

    for module in (charts, narrative, notebook):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__


def test_escape_neutralises_html_and_markdown():
    import html

    from cleannet_eval.notebook import escape

    source = EVIL + "\n# heading | cell `code` $x$"
    text = escape(source)
    assert not re.search(r"[<>\[\]()*#|`$\n]", re.sub(r"&#\d+;", "", text))
    assert text.startswith("&#60;b&#62;กอง&#60;/b&#62; &#38; &#91;x&#93;")
    assert html.unescape(text) == source.replace("\n", " ")  # shown exactly as written
    assert escape(None) == ""


@pytest.fixture(scope="module")
def report(data):
    from cleannet_eval.notebook import open_report

    return open_report(2551, "", "en", processed_dir=str(data["processed"]))


@pytest.fixture()
def shown(monkeypatch) -> list:
    import IPython.display

    captured: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: captured.extend(objs))
    return captured


def test_show_table_hides_numbers_of_suppressed_rows_and_escapes(report, shown):
    frame = pd.DataFrame({"unit": [EVIL, "B"], "n": pd.array([3, 12], dtype="Int64"),
                          "mean": [4.1234, 3.505], "share": [0.5, 0.25],
                          "suppressed": [True, False]})
    report.show_table(frame, {"unit": ("หน่วยงาน", "Unit"), "n": ("n", "n"),
                              "mean": ("X̄", "Mean"), "share": ("สัดส่วน", "Share")},
                      percent=["share"])
    page = shown[-1].data
    assert "<th style=\"text-align:left\">Unit</th>" in page
    assert "&lt;b&gt;กอง&lt;/b&gt;" in page and "<b>กอง" not in page
    first, second = page.split("<tr>")[2:4]
    assert first.count("n &lt; 5") == 3 and "4.12" not in first and ">3<" not in first
    assert ">3.51<" in second and ">25.0%<" in second and ">12<" in second


def test_report_words_follow_the_language(report):
    assert report.pct(0.1505) == "15.1%" and report.year() == "FY2551 (2007–08)"
    assert report.date(pd.Timestamp("2007-11-05")) == "5 Nov 2007"
    assert report.p(0.0004) == "< 0.001" and report.p(0.0381) == "0.038"
    thai = dataclasses.replace(report, lang="th")
    assert thai.pct(0.1505) == "ร้อยละ 15.1" and thai.year() == "ปีงบประมาณ 2551"
    assert thai.date(pd.Timestamp("2007-11-05")) == "5 พ.ย. 2550"
    assert report.hidden == "n < 5" and report.where == "the whole department"


def test_unit_factor_table_is_its_row_of_the_department_table(data):
    from cleannet_eval.notebook import open_report

    big = open_report(2551, "กองคลัง", processed_dir=str(data["processed"]))
    rows = big.factor_table()
    by_unit = big.breakdown("unit")
    expected = by_unit[by_unit["unit"] == "กองคลัง"]["mean"].tolist()
    assert rows["mean"].tolist() == pytest.approx(expected)
    assert big.survey_shown and not rows["suppressed"].any()
    small = open_report(2551, SMALL_UNIT, processed_dir=str(data["processed"]))
    assert not small.survey_shown and small.factor_table()["suppressed"].all()
    assert small.factor_table()["mean"].isna().all()


def test_item_table_hides_items_with_few_answers(report):
    items = report.item_table()
    assert not items["suppressed"].any() and len(items) == len(report.instrument.items)
    few = dataclasses.replace(report, min_group_size=400)
    hidden = few.item_table()
    assert hidden["suppressed"].any()
    assert hidden.loc[hidden["suppressed"], ["mean", "share_5"]].isna().all().all()


def test_rank_factors_and_recommendations_follow_the_weakest(report):
    from cleannet_eval import narrative

    ranked = narrative.rank_factors(report.factor_table())
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    overall = report.summary["survey"]["overall_mean"]
    assert all((m >= overall - 1e-3) == (p == "strength")
               for m, p in zip(ranked["mean"], ranked["position"], strict=True))
    advice = narrative.recommendations(ranked, "en", weakest=2, citizen_share=0.05,
                                       leader_exits=3, leader_transfers=2,
                                       units_without_leader=["A"])
    weakest = ranked.iloc[-1]
    assert advice["basis"].iloc[0].startswith(f"Weak factor: {weakest['name_en']}")
    assert advice["recommendation"].iloc[0] == narrative.FACTOR_ADVICE[weakest["factor"]]["en"]
    assert any("citizen networks" in r for r in advice["recommendation"])
    assert any("2 by transfer" in b for b in advice["basis"])
    quiet = narrative.recommendations(ranked, "th", citizen_share=0.5, leader_transfers=0)
    assert len(quiet) == 3  # two weak factors and the programme's call to keep going
    assert not any("ภาคประชาชน" in r for r in quiet["recommendation"])


def test_rank_items_ends(report):
    from cleannet_eval import narrative

    top, bottom = narrative.rank_items(report.item_table(), n=2)
    assert len(top) == len(bottom) == 2
    assert top["mean"].iloc[0] >= top["mean"].iloc[1] >= bottom["mean"].iloc[1]
    assert bottom["mean"].iloc[0] == report.item_table()["mean"].min()


def test_data_quality_tables(report):
    from cleannet_eval import narrative

    inputs = narrative.inputs_table(report.dataset)
    assert set(inputs["kind"]) == {"attendance", "roster", "survey", "units"}
    assert inputs["rows"].sum() == sum(len(report.dataset.table(t)) for t in
                                       ("attendance", "roster", "survey", "units"))
    counts = narrative.rows_per_year(report.dataset)
    survey = counts[counts["table"] == "survey"].set_index("fiscal_year")["rows"]
    assert survey.to_dict() == report.dataset.survey["fiscal_year"].value_counts().to_dict()
    missing = narrative.missing_overview({"survey": report.survey})
    comment = missing[missing["column"] == "comment"].iloc[0]
    assert comment["missing"] == report.survey["comment"].isna().sum() + (
        report.survey["comment"].str.strip() == "").sum()
    overview = narrative.suppression_overview({"unit": report.breakdown("unit")})
    assert set(overview["status"]) <= {"shown", "hidden", "partly"}
    assert overview.set_index("group").loc[SMALL_UNIT, "status"] == "hidden"


def test_recruitment_graph_keeps_the_top_of_each_cascade():
    from cleannet_eval import narrative
    from cleannet_eval.analysis.network import cascade_depth

    roster = pd.DataFrame({
        "person_key": ["L", "A", "B", "C", "M"], "unit": ["U1", "U1", "U1", "U2", "U2"],
        "role": ["leader", "member", "member", "member", "leader"],
        "joined": pd.to_datetime(["2006-11-15", "2007-01-01", "2007-02-01", "2007-03-01",
                                  "2006-11-15"]),
        "recruited_by_key": [None, "L", "A", "B", None],
        "left": pd.to_datetime([None, None, None, None, "2007-09-01"]), "left_reason": None})
    graph = narrative.recruitment_graph(roster, fiscal_year=2551, max_nodes=3)
    assert graph.graph["nodes_total"] == 4  # M left before FY2551
    assert set(graph.nodes) == {"L", "A", "B"} and set(graph.edges) == {("L", "A"), ("A", "B")}
    assert graph.nodes["L"]["role"] == "leader" and graph.nodes["B"]["depth"] == 2
    assert set(narrative.recruitment_graph(roster, unit="U2").nodes) == {"C", "M"}
    depths = narrative.depth_counts(cascade_depth(roster), {"L", "A", "B", "C"})
    assert depths.to_dict("list") == {"depth": [0, 1, 2, 3], "people": [1, 1, 1, 1],
                                      "leaders": [1, 0, 0, 0]}
