"""``report --format html,pdf,docx``: every report as an A4 PDF and a Word document.

Real components only: the product notebooks run in real kernels on the demo data, the PDF is
printed by Debian's Chromium and the charts drawn by kaleido in the same Chromium, the DOCX is
read back with python-docx and the PDF with poppler-utils. One batch (the summary and
success-factor notebooks, FY2551, the department and one unit: four reports) serves every
test. Page 1 of each PDF is rendered to ``reports/_screenshots/`` for a person to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from printed import (
    assert_a4,
    assert_no_path_or_code,
    assert_thai_official_format,
    pdf_fonts,
    pdf_info,
    pdf_text,
    read_docx,
    screenshot,
    thai_line_breaks,
    tool,
)

from cleannet_eval import config
from cleannet_eval.analysis.summary import headline_summary
from cleannet_eval.charts import format_number
from cleannet_eval.dataset import read_processed
from cleannet_eval.errors import ConfigError
from cleannet_eval.render import parse_formats
from cleannet_eval.reports import build_reports

from conftest import DEMO_RAW

NOTEBOOKS = [config.NOTEBOOKS_DIR / "05_summary.ipynb",
             config.NOTEBOOKS_DIR / "04_success_factors.ipynb"]
FY = 2551
UNIT = "กองคลัง"


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    from cleannet_eval.ingest.pipeline import ingest

    out = tmp_path_factory.mktemp("print-data") / "processed"
    ingest(DEMO_RAW, out)
    return out


@pytest.fixture(scope="module")
def batch(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("print-reports")
    result = build_reports(DEMO_RAW, processed, out, fiscal_years=[FY], by="unit",
                           units=[UNIT], notebooks_dir=NOTEBOOKS, workers=2, quiet=True,
                           formats="html,pdf,docx")
    assert result.exit_code == 0, result.summary()
    return result, out


def _reports(batch) -> list:
    result, _ = batch
    return [r for r in result.reports if r.status == "ok"]


def test_formats_are_parsed_and_checked() -> None:
    assert parse_formats(None) == ("html",)
    assert parse_formats("docx, pdf") == ("html", "pdf", "docx")
    assert parse_formats(["pdf"]) == ("html", "pdf")
    with pytest.raises(ConfigError, match="Unknown format 'odt'"):
        parse_formats("html,odt")


def test_every_report_has_html_pdf_and_docx_listed_in_manifest_and_index(batch) -> None:
    result, out = batch
    assert len(_reports(batch)) == 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["html", "pdf", "docx"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for entry in manifest["reports"]:
        stem = entry["key"]
        assert entry["files"] == [f"{stem}.html", f"{stem}.pdf", f"{stem}.docx"]
        for name in entry["files"]:
            assert (out / name).is_file() and (out / name).stat().st_size > 1000, name
        for name in entry["files"][1:]:
            from urllib.parse import quote

            assert f'href="{quote(name)}"' in index, name


def _summary(processed: Path, unit: str | None) -> dict:
    return headline_summary(read_processed(processed), fiscal_year=FY, unit=unit)


def test_docx_is_in_the_thai_official_format(batch, processed, tmp_path) -> None:
    _, out = batch
    for report in _reports(batch):
        facts = read_docx(out / f"{report.key}.docx")
        assert_thai_official_format(facts)
        assert_no_path_or_code(facts, out, processed, DEMO_RAW.resolve(), tmp_path)
        assert all(facts.header_rows_repeat), report.key
        assert facts.headings and facts.headings[0][0] == 1


def test_docx_has_one_picture_per_chart_of_the_html(batch) -> None:
    _, out = batch
    for report in _reports(batch):
        html = (out / f"{report.key}.html").read_text(encoding="utf-8")
        charts = len(re.findall(r'class="plotly-graph-div"', html))
        assert charts > 0
        facts = read_docx(out / f"{report.key}.docx")
        assert facts.pictures == charts, report.key
        images = subprocess.run([tool("pdfimages"), "-list", str(out / f"{report.key}.pdf")],
                                capture_output=True, text=True, check=True).stdout
        rows = [line for line in images.splitlines()[2:] if line.split()[2:3] == ["image"]]
        # the PDF shows the same charts, as pictures, each on one page (never cut in two)
        assert len(rows) == charts, images
        with zipfile.ZipFile(out / f"{report.key}.docx") as archive:
            document = archive.read("word/document.xml").decode("utf-8")
        heights = [int(cy) / 36000 for cy in re.findall(r'<wp:extent cx="\d+" cy="(\d+)"',
                                                         document)]
        assert heights and max(heights) <= 252, heights  # mm: no picture taller than a page
        with zipfile.ZipFile(out / f"{report.key}.docx") as archive:
            media = [n for n in archive.namelist() if n.startswith("word/media/")]
            from PIL import Image

            for name in media:  # print resolution: 1,800+ pixels across 16 cm
                with archive.open(name) as handle, Image.open(handle) as image:
                    assert image.format == "PNG" and image.width >= 1800, (name, image.size)


def test_docx_headings_are_those_of_the_html_toc(batch) -> None:
    _, out = batch
    for report in _reports(batch):
        html = (out / f"{report.key}.html").read_text(encoding="utf-8")
        toc = re.search(r'<nav class="cleannet-toc"[\s\S]*?</nav>', html).group(0)
        entries = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<a [^>]*>([\s\S]*?)</a>", toc)]
        import html as html_lib

        entries = [html_lib.unescape(e).strip() for e in entries]
        facts = read_docx(out / f"{report.key}.docx")
        assert [text for _, text in facts.headings] == entries, report.key


def test_docx_factor_table_has_the_numbers_of_summary_json(batch, processed) -> None:
    _, out = batch
    for report in _reports(batch):
        if report.notebook != "05_summary.ipynb":
            continue
        summary = _summary(processed, report.unit or None)["survey"]
        facts = read_docx(out / f"{report.key}.docx")
        ranked = [t for t in facts.tables if t[0][:4] == ["ลำดับ", "ปัจจัย", "X̄", "S.D."]]
        assert len(ranked) == 1, [t[0] for t in facts.tables]
        rows = {row[1]: row for row in ranked[0][1:]}
        assert len(rows) == 5
        for factor in summary["factors"].values():
            row = rows[factor["name_th"]]
            assert row[2] == format_number(factor["mean"], 2)
            assert row[3] == format_number(factor["sd"], 2)
            assert row[4] == factor["level_th"]


def test_docx_and_pdf_have_no_name_or_national_id(batch) -> None:
    from test_privacy import ids_in, raw_people

    names, ids = raw_people(DEMO_RAW)
    assert len(names) > 100
    _, out = batch
    for report in _reports(batch):
        texts = [read_docx(out / f"{report.key}.docx").text, pdf_text(out / f"{report.key}.pdf")]
        for text in texts:
            squashed = re.sub(r"\s+", " ", text).casefold()
            leaked = [n for n in names if n in squashed]
            assert not leaked, leaked[:3]
            assert not (ids_in(text) & ids), report.key


def test_pdf_carries_no_machine_path(batch, processed) -> None:
    from conftest import REPO

    _, out = batch
    for report in _reports(batch):
        text = pdf_text(out / f"{report.key}.pdf")
        for folder in (processed, REPO, DEMO_RAW.resolve(), out):
            assert str(folder) not in text, (report.key, folder)
        assert "ปีงบประมาณ" in text


def test_pdf_is_a4_with_the_thai_font_embedded_and_nothing_unembedded(batch) -> None:
    _, out = batch
    for report in _reports(batch):
        pdf = out / f"{report.key}.pdf"
        fonts = pdf_fonts(pdf)
        assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
        assert any("Sarabun" in f["name"] for f in fonts), fonts
        info = pdf_info(pdf)
        assert_a4(info)
        assert int(info["Pages"]) >= 2
        shot = screenshot(pdf, f"report-{report.key.replace('/', '-')}")
        assert shot.is_file() and shot.stat().st_size > 20_000


def test_pdf_text_has_thai_the_running_header_page_numbers_and_summary_numbers(
        batch, processed) -> None:
    _, out = batch
    for report in _reports(batch):
        pdf = out / f"{report.key}.pdf"
        pages = pdf_text(pdf).split("\f")
        pages = [p for p in pages if p.strip()]
        scope = report.unit or "ทั้งกรม"
        for number, page in enumerate(pages, start=1):
            assert f"{scope} · ปีงบประมาณ {FY}" in page, number  # running header
            assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", page), number  # page N / M
        text = "\n".join(pages)
        assert "ปัจจัยแห่งความสำเร็จ" in text
        if report.notebook == "05_summary.ipynb":
            survey = _summary(processed, report.unit or None)["survey"]
            for factor in survey["factors"].values():
                assert format_number(factor["mean"], 2) in text
            assert format_number(survey["overall_mean"], 2) in text


def test_pdf_breaks_thai_lines_between_words(batch) -> None:
    _, out = batch
    total = 0
    for report in _reports(batch):
        breaks, bad = thai_line_breaks(pdf_text(out / f"{report.key}.pdf"))
        total += breaks
        assert not bad, bad[:5]
    assert total > 20  # long Thai paragraphs were wrapped


def test_pdf_table_of_contents_links_to_its_headings(batch) -> None:
    _, out = batch
    for report in _reports(batch):
        html = (out / f"{report.key}.html").read_text(encoding="utf-8")
        toc = re.search(r'<nav class="cleannet-toc"[\s\S]*?</nav>', html).group(0)
        entries = len(re.findall(r"<a ", toc))
        raw = (out / f"{report.key}.pdf").read_bytes()
        # one link annotation with a destination inside the document per entry, an outline
        assert raw.count(b"/Subtype /Link") >= entries > 3, report.key
        assert raw.count(b"/Dest") >= entries, report.key
        assert b"/Outlines" in raw


def test_missing_chromium_is_one_clear_error(processed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ConfigError, match="need Chromium.*apt-get install chromium"):
        build_reports(DEMO_RAW, processed, tmp_path / "out", fiscal_years=[FY],
                      notebooks_dir=NOTEBOOKS[:1], quiet=True, formats="html,pdf")
    assert not (tmp_path / "out").exists()
