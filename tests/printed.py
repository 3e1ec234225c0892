"""Helpers for the PDF and Word tests: read a DOCX's XML, and a PDF with poppler-utils.

Nothing is mocked: the DOCX is opened with python-docx and its XML read as Word would; the PDF
is read by ``pdffonts``, ``pdftotext`` and ``pdfinfo`` and its first page rendered by
``pdftoppm`` (Debian's poppler-utils) into ``reports/_screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCREENSHOTS = REPO / "reports" / "_screenshots"
THAI = re.compile(r"[\u0E00-\u0E7F]")
A4_TWIPS = (11906, 16838)
A4_POINTS = (595.28, 841.89)
BODY_FONT = "TH Sarabun New"


def tool(name: str) -> str:
    """A poppler-utils program, or a test failure saying what to install."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: sudo apt-get install poppler-utils", pytrace=False)
    return path


# -- Word ----------------------------------------------------------------------------------
def docx_parts(path: Path) -> dict[str, str]:
    """Every XML part of a .docx, by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


def _attr(element, name: str) -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def run_font(run, styles) -> tuple[str | None, str | None]:
    """The complex-script font and size (half-points) a run resolves to: its own ``w:rPr``,
    then its paragraph's style chain, then the document defaults."""
    cs = size = None
    r_pr = run._r.find(f"{W}rPr")
    if r_pr is not None:
        cs = _attr(r_pr.find(f"{W}rFonts"), "cs")
        size = _attr(r_pr.find(f"{W}szCs"), "val")
    style = run._parent.style if hasattr(run._parent, "style") else None
    while (cs is None or size is None) and style is not None:
        s_pr = style.element.find(f"{W}rPr")
        if s_pr is not None:
            cs = cs or _attr(s_pr.find(f"{W}rFonts"), "cs")
            size = size or _attr(s_pr.find(f"{W}szCs"), "val")
        style = style.base_style
    if cs is None or size is None:
        defaults = styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        cs = cs or _attr(defaults.find(f"{W}rFonts"), "cs")
        size = size or _attr(defaults.find(f"{W}szCs"), "val")
    return cs, size


@dataclass
class WordFacts:
    """What a test needs to know about one .docx."""

    text: str
    thai_runs: list[tuple[str, str | None, str | None, str]]  # text, cs font, szCs, style
    headings: list[tuple[int, str]]
    tables: list[list[list[str]]]
    header_rows_repeat: list[bool]
    pictures: int
    page_size: tuple[int, int]
    footer_xml: str
    core: dict[str, str]
    xml: str


def read_docx(path: Path) -> WordFacts:
    import docx

    document = docx.Document(str(path))
    runs = []
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    texts = []
    for paragraph in paragraphs:
        texts.append(paragraph.text)
        for run in paragraph.runs:
            if THAI.search(run.text):
                cs, size = run_font(run, document.styles)
                runs.append((run.text, cs, size, paragraph.style.name))
    headings = [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading ")]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    repeats = [t.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None for t in document.tables]
    sect = document.sections[0]._sectPr.find(f"{W}pgSz")
    parts = docx_parts(path)
    footer = "".join(v for k, v in parts.items() if k.startswith("word/footer"))
    props = document.core_properties
    core = {"title": props.title or "", "author": props.author or "",
            "last_modified_by": props.last_modified_by or "", "comments": props.comments or ""}
    return WordFacts(
        text="\n".join(texts), thai_runs=runs, headings=headings, tables=tables,
        header_rows_repeat=repeats, pictures=len(document.inline_shapes),
        page_size=(int(sect.get(f"{W}w")), int(sect.get(f"{W}h"))), footer_xml=footer,
        core=core, xml="\n".join(parts.values()),
    )


def assert_thai_official_format(facts: WordFacts) -> None:
    """Thai runs in TH Sarabun New (complex-script slot), 16 pt or larger for headings; A4;
    a PAGE field in the footer; a title and no person in the core properties."""
    assert facts.thai_runs, "no Thai text"
    wrong_font = [(t[:30], cs) for t, cs, _, _ in facts.thai_runs if cs != BODY_FONT]
    assert not wrong_font, wrong_font[:5]
    body = [(t[:30], size, style) for t, _, size, style in facts.thai_runs
            if not style.startswith(("Heading", "Title"))]
    assert body and all(size == "32" for _, size, _ in body), \
        [b for b in body if b[1] != "32"][:5]
    headed = [int(size) for _, _, size, style in facts.thai_runs
              if style.startswith(("Heading", "Title"))]
    assert all(size >= 32 for size in headed)
    assert facts.page_size == A4_TWIPS
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", facts.footer_xml)
    assert facts.core["title"]
    assert facts.core["author"] == "" and facts.core["last_modified_by"] == ""
    assert "python-docx" not in facts.xml


def assert_no_path_or_code(facts: WordFacts, *folders: Path) -> None:
    """No absolute path of this machine and no notebook code anywhere in the file's XML."""
    for folder in (REPO, Path.home(), *folders):
        assert str(folder) not in facts.xml, folder
    assert not re.search(r"(?<![\w.])/(?:home|root|tmp|work|usr|srv)/", facts.xml)
    for code in ("import ", "report.say(", "display(", "open_report(", "def ", "Traceback"):
        assert code not in facts.text, code


# -- PDF -----------------------------------------------------------------------------------
def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """``pdffonts`` rows: name, type, emb (yes/no)."""
    out = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        if len(parts) < 6:
            continue
        # name, type (1–3 words), encoding, emb, sub, uni, object, ID: read from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_text(path: Path, *, layout: bool = False, raw: bool = False) -> str:
    """``pdftotext`` of the PDF; ``raw`` keeps the content stream's order (LibreOffice places
    some Thai marks as glyphs of their own, which the default reading order splits off)."""
    args = [tool("pdftotext"), "-enc", "UTF-8"] + (["-layout"] if layout else []) + (
        ["-raw"] if raw else []) + [str(path), "-"]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                                                  out.splitlines()) if v}


def assert_a4(info: dict[str, str]) -> None:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert match, info["Page size"]
    width, height = float(match.group(1)), float(match.group(2))
    assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, (width, height)


def screenshot(pdf: Path, name: str) -> Path:
    """Page 1 of ``pdf`` as ``reports/_screenshots/NAME.png`` (100 dpi)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / name
    subprocess.run([tool("pdftoppm"), "-png", "-r", "100", "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(stem)], check=True, capture_output=True)
    return stem.with_suffix(".png")


# Thai characters that cannot end a line (leading vowels) or start one (vowels and marks that
# follow or sit on a consonant): a line broken there is broken inside a syllable.
_NO_END = set("เแโใไ")
_NO_START = set("ะัาำิีึืฺุู็่้๊๋์ํๅ")


def thai_line_breaks(text: str) -> tuple[int, list[tuple[str, str]]]:
    """Line breaks between two Thai characters in ``pdftotext`` output, and those that fall
    inside a syllable (a leading vowel at the end, or a following vowel or tone mark at the
    start of the next line)."""
    lines = [line.strip() for line in text.splitlines()]
    breaks, bad = 0, []
    for first, second in zip(lines, lines[1:], strict=False):
        if not first or not second or not (THAI.match(first[-1]) and THAI.match(second[0])):
            continue
        breaks += 1
        if first[-1] in _NO_END or second[0] in _NO_START:
            bad.append((first[-15:], second[:15]))
    return breaks, bad
