"""``cleannet-eval dossier``: the programme's outline as a Word document and its PDF.

The documents are built from the demo data; the numbers are checked against the output of
``cleannet-eval summary --json`` (run through the command line), the Word file is read with
python-docx and its XML, and the PDF is LibreOffice's conversion of that file (a check that
Word-like software reads it), read with poppler-utils. Page 1 goes to
``reports/_screenshots/``. In the demo's FY2551, กลุ่มพัฒนาระบบบริหาร has 3 survey answers: its
survey figures are hidden, and so must they be in its dossier.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
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
)

from cleannet_eval.charts import format_number
from cleannet_eval.cli import main
from cleannet_eval.dataset import read_processed
from cleannet_eval.dossier import DOSSIER_TEXT, build_dossier, dossier_path, load_text
from cleannet_eval.errors import ConfigError

from conftest import DEMO_RAW

FY = 2551
HIDDEN_UNIT = "กลุ่มพัฒนาระบบบริหาร"  # 3 answers in FY2551
OUTLINE = ["1. ชื่อผลงาน", "2. หลักการและเหตุผล", "3. แนวคิด ทฤษฎีที่เกี่ยวข้อง", "4. ขั้นตอนการปฏิบัติ",
           "5. บทวิเคราะห์", "5.1 การวิเคราะห์ผลงาน", "5.2 ปัญหา", "5.3 ข้อเสนอแนะ", "6. ผลสำเร็จของงาน",
           "7. การนำไปใช้ประโยชน์"]


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    from cleannet_eval.ingest.pipeline import ingest

    out = tmp_path_factory.mktemp("dossier-data") / "processed"
    ingest(DEMO_RAW, out)
    return out


def summary_json(processed: Path, capsys, unit: str | None = None) -> dict:
    argv = ["summary", "--processed", str(processed), "--fiscal-year", str(FY), "--json"]
    assert main(argv + (["--unit", unit] if unit else [])) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def department(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("dossier") / "department" / "dossier.docx"
    result = build_dossier(read_processed(processed), FY, None, out=out)
    return result


@pytest.fixture(scope="module")
def hidden(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("dossier-hidden") / "dossier.docx"
    return build_dossier(read_processed(processed), FY, HIDDEN_UNIT, out=out, pdf=False)


def test_the_outline_of_the_programme_in_word_heading_styles(department) -> None:
    facts = read_docx(department.docx)
    assert [text for _, text in facts.headings] == OUTLINE
    levels = dict((text, level) for level, text in facts.headings)
    assert levels["5.1 การวิเคราะห์ผลงาน"] == 2 and levels["5. บทวิเคราะห์"] == 1


def test_fixed_programme_text_comes_from_the_text_file(department) -> None:
    words = load_text(None, "th")
    text = read_docx(department.docx).text
    for paragraph in [*words["rationale"]["text"], *words["concept"]["text"],
                      *words["steps"]["items"], *words["use"]["text"]]:
        assert paragraph in text
    for factor_text in words["analysis"]["work"]["factors"].values():
        assert factor_text in text
    assert words["analysis"]["problems"]["citizens"] in text
    assert words["analysis"]["suggestions"]["text"] in text


def test_certification_and_signature_blocks_with_blank_lines(department) -> None:
    facts = read_docx(department.docx)
    lines = facts.text.splitlines()
    for statement, signer in (("ขอรับรองว่าผลงานดังกล่าวข้างต้นเป็นความจริงทุกประการ", "ผู้สนองงาน"),
                              ("ได้ตรวจสอบแล้วขอรับรองว่าผลงานดังกล่าวข้างต้นถูกต้องตรงกับความเป็นจริงทุกประการ",
                               "ผู้บังคับบัญชาที่ควบคุมดูแลการดำเนินการ")):
        at = lines.index(statement)
        block = lines[at:at + 7]
        assert any(line.startswith("(ลงชื่อ) ....") for line in block), block
        assert any(line.startswith("(....") and line.endswith("....)") for line in block)
        assert signer in block and "......../......../........" in block
    assert lines.index("ผู้สนองงาน") < lines.index("ผู้บังคับบัญชาที่ควบคุมดูแลการดำเนินการ")


def test_factor_table_has_the_numbers_of_summary_json(department, processed, capsys) -> None:
    survey = summary_json(processed, capsys)["survey"]
    facts = read_docx(department.docx)
    tables = [t for t in facts.tables if t[0][:4] == ["ปัจจัยแห่งความสำเร็จ", "n", "X̄", "S.D."]]
    assert len(tables) == 1
    rows = {row[0]: row for row in tables[0][1:]}
    means = {}
    for factor in survey["factors"].values():
        row = rows[factor["name_th"]]
        assert row[1:5] == [format_number(factor["n"]), format_number(factor["mean"], 2),
                            format_number(factor["sd"], 2), factor["level_th"]]
        assert row[6] == format_number(factor["alpha"], 2)
        means[factor["name_th"]] = float(row[2])
    # ranks: 1 = highest printed mean
    ordered = sorted(means, key=lambda name: -means[name])
    assert [rows[name][5] for name in ordered] == ["1", "2", "3", "4", "5"]
    overall = rows["ภาพรวม"]
    assert overall[2] == format_number(survey["overall_mean"], 2)
    assert f"จำนวน {format_number(survey['respondents'])} คน" in facts.text


def test_participation_and_network_figures_are_those_of_summary_json(
        department, processed, capsys) -> None:
    summary = summary_json(processed, capsys)
    text = read_docx(department.docx).text
    net, part = summary["network"], summary["participation"]
    assert f"แกนนำ {format_number(net['leaders'])} คน" in text
    assert f"สมาชิกเครือข่าย {format_number(net['members'])} คน" in text
    assert f"ลึกสุด {format_number(net['max_cascade_depth'])} ทอด" in text
    assert f"กิจกรรมส่งเสริมคุณธรรม จริยธรรม {format_number(part['activities'])} ครั้ง" in text
    assert f"ผู้เข้าร่วม {format_number(part['unique_participants'])} คน" in text
    assert f"ร้อยละ {format_number(part['coverage'] * 100, 1)}" in text
    assert f"ภาคประชาชนเป็นร้อยละ {format_number(part['citizen_share'] * 100, 1)}" in text
    assert f"จนสิ้นปีงบประมาณร้อยละ {format_number(net['leader_retention'] * 100, 1)}" in text


def test_word_format_and_no_path_code_or_person(department, processed, tmp_path) -> None:
    from test_privacy import ids_in, raw_people

    facts = read_docx(department.docx)
    assert_thai_official_format(facts)
    assert_no_path_or_code(facts, department.docx.parent, processed, tmp_path)
    assert all(facts.header_rows_repeat) and len(facts.tables) == 2
    names, ids = raw_people(DEMO_RAW)
    squashed = " ".join(facts.text.split()).casefold()
    assert not [n for n in names if n in squashed]
    assert not (ids_in(facts.text) & ids)
    from cleannet_eval.render.word import thai_date

    today = thai_date(dt.date.today())  # e.g. 4 ธันวาคม 2569: the Buddhist-Era year
    assert str(dt.date.today().year + 543) in today and today in facts.text


def test_libreoffice_converts_it_to_an_a4_pdf_with_the_thai_font_embedded(
        department, processed, capsys) -> None:
    assert department.pdf is not None and department.pdf.is_file()
    fonts = pdf_fonts(department.pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    # "TH Sarabun New" resolves through the package's fontconfig file (Laksaman here)
    assert any("Laksaman" in f["name"] or "Sarabun" in f["name"] for f in fonts), fonts
    info = pdf_info(department.pdf)
    assert_a4(info)
    assert 5 <= int(info["Pages"]) <= 20
    text = pdf_text(department.pdf, raw=True)
    for heading in OUTLINE:
        assert heading in text, heading
    survey = summary_json(processed, capsys)["survey"]
    for factor in survey["factors"].values():
        assert format_number(factor["mean"], 2) in text
    breaks, bad = thai_line_breaks(text)
    assert breaks > 20 and not bad, bad[:5]
    shot = screenshot(department.pdf, "dossier-2551-department")
    assert shot.stat().st_size > 20_000


def test_instrument_quality_sentences_have_the_numbers_of_the_quality_command(
        department, processed, capsys) -> None:
    # 5.1 states the questionnaire's quality (issue 15) with the figures `quality --json` prints
    assert main(["quality", "--processed", str(processed), "--fiscal-year", str(FY),
                 "--json"]) == 0
    quality = json.loads(capsys.readouterr().out)
    text = read_docx(department.docx).text
    omegas = [row["omega"] for row in quality["reliability"]]
    assert (f"ระหว่าง {format_number(min(omegas), 2)} ถึง {format_number(max(omegas), 2)}"
            in text)
    fit = quality["cfa"]["fit"]
    assert fit["converged"]
    assert (f"CFI = {format_number(fit['cfi'], 3)}, TLI = {format_number(fit['tli'], 3)}, "
            f"RMSEA = {format_number(fit['rmsea'], 3)}, SRMR = {format_number(fit['srmr'], 3)}"
            in text)
    assert quality["ioc"] is None  # the demo has no expert review: the dossier says so
    assert "ยังไม่มีผลการตรวจความสอดคล้องของข้อคำถามโดยผู้เชี่ยวชาญ (IOC)" in text


def test_a_hidden_unit_gets_a_dossier_without_its_survey_figures(
        hidden, processed, capsys) -> None:
    survey = summary_json(processed, capsys, HIDDEN_UNIT)["survey"]
    assert survey["suppressed"] is True and survey["respondents"] is None
    assert hidden.survey_shown is False
    facts = read_docx(hidden.docx)
    assert [text for _, text in facts.headings] == OUTLINE
    assert not [t for t in facts.tables if "X̄" in t[0]]
    assert f"ไม่แสดงผลแบบสอบถามของ{HIDDEN_UNIT}" in facts.text
    assert facts.text.count("ผลการประเมิน: ไม่แสดง (n < 5)") == 5
    # the unit's own means (computed here from its answers) appear nowhere
    from cleannet_eval.analysis.scoring import score_respondents

    data = read_processed(processed)
    rows = data.survey[(data.survey["unit"] == HIDDEN_UNIT) & (data.survey["fiscal_year"] == FY)]
    assert len(rows) == 3
    scores = score_respondents(rows, data.instrument)
    own = {format_number(scores[f.key].mean(), 2) for f in _factors(data)}
    own.add(format_number(scores["overall"].mean(), 2))
    assert len(own) >= 3 and not [m for m in own if m in facts.text]
    assert "จำนวน 3 คน" not in facts.text


def _factors(data):
    from cleannet_eval.analysis.scoring import resolve_instrument

    return resolve_instrument(data.instrument).factors


def test_the_words_are_editable_in_a_copy_of_the_text_file(processed, tmp_path) -> None:
    words = yaml.safe_load(DOSSIER_TEXT.read_text(encoding="utf-8"))
    words["th"]["use"]["heading"] = "7. การนำผลงานไปใช้ประโยชน์ (แก้ไขแล้ว)"
    words["th"]["results"]["text"] = ["ข้อความผลสำเร็จที่ผู้ประเมินเขียนเอง"]
    mine = tmp_path / "my-dossier.yaml"
    mine.write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    result = build_dossier(read_processed(processed), FY, "กองคลัง", out=tmp_path / "d.docx",
                           text=mine, pdf=False)
    facts = read_docx(result.docx)
    assert facts.headings[-1][1] == "7. การนำผลงานไปใช้ประโยชน์ (แก้ไขแล้ว)"
    assert "ข้อความผลสำเร็จที่ผู้ประเมินเขียนเอง" in facts.text


def test_a_bad_text_file_is_one_clear_error(processed, tmp_path, capsys) -> None:
    words = yaml.safe_load(DOSSIER_TEXT.read_text(encoding="utf-8"))
    del words["th"]["analysis"]["problems"]["citizens"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'th\.analysis\.problems\.citizens' is missing"):
        load_text(bad, "th")
    words = yaml.safe_load(DOSSIER_TEXT.read_text(encoding="utf-8"))
    words["th"]["steps"]["network_evidence"] = "แกนนำ {leader_count} คน"
    typo = tmp_path / "typo.yaml"
    typo.write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "x.docx"
    code = main(["dossier", "--processed", str(processed), "--fiscal-year", str(FY),
                 "--text", str(typo), "--out", str(out), "--no-pdf"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "'steps.network_evidence' uses {leader_count}" in err[0] and "Traceback" not in err[0]
    assert not out.exists()


def test_cli_writes_docx_and_pdf_at_the_default_place(processed, tmp_path, monkeypatch,
                                                      capsys) -> None:
    from cleannet_eval import config

    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    code = main(["dossier", "--processed", str(processed), "--fiscal-year", str(FY),
                 "--unit", "กองคลัง", "--lang", "en"])
    assert code == 0, capsys.readouterr().err
    docx = dossier_path(FY, "กองคลัง")
    assert docx == tmp_path / "reports" / "2551" / "กองคลัง" / "dossier.docx"
    assert docx.is_file() and docx.with_suffix(".pdf").is_file()
    facts = read_docx(docx)
    assert facts.headings[0][1] == "1. Title of the work"
    assert_thai_official_format(facts)
    assert "I certify that the work described above is true in every respect." in facts.text


def test_unknown_unit_is_the_summary_command_s_error(processed, capsys, tmp_path) -> None:
    code = main(["dossier", "--processed", str(processed), "--fiscal-year", str(FY),
                 "--unit", "กองที่ไม่มีอยู่จริง", "--out", str(tmp_path / "x.docx")])
    err = capsys.readouterr().err
    assert code == 2 and "Unknown unit 'กองที่ไม่มีอยู่จริง'" in err
    assert not (tmp_path / "x.docx").exists()


def test_missing_libreoffice_is_one_clear_error(processed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOFFICE", str(tmp_path / "no-soffice"))
    with pytest.raises(ConfigError, match="needs LibreOffice.*libreoffice-writer-nogui"):
        build_dossier(read_processed(processed), FY, None, out=tmp_path / "d.docx")
    assert not (tmp_path / "d.docx").exists()  # nothing half-written


def test_shipped_text_file_has_both_languages_with_the_same_keys() -> None:
    th, en = load_text(None, "th"), load_text(None, "en")

    def keys(tree, prefix=""):
        out = set()
        for k, v in tree.items():
            out.add(prefix + k)
            if isinstance(v, dict):
                out |= keys(v, prefix + k + ".")
        return out

    assert keys(th) == keys(en)
