"""A Word document in the Thai official format, built with python-docx.

:class:`ThaiDocument` is what the report DOCX (:mod:`.docx`) and the dossier
(:mod:`cleannet_eval.dossier`) both write with:

* A4 with the margins of Thai official documents (top 2.5 cm, bottom 2 cm, left 3 cm,
  right 2 cm);
* every style and every run in "TH Sarabun New" 16 pt in the Latin **and** the complex-script
  slots (``w:rFonts`` ``w:ascii``/``w:hAnsi``/``w:cs``, ``w:sz``/``w:szCs``; bold and italic
  also as ``w:bCs``/``w:iCs``). python-docx's ``font.name`` and ``font.size`` set only the
  Latin slots (python-docx#1315): Thai is a complex script in Word and would fall back to
  another font and size;
* Word's own heading styles (``Heading 1``–``3``: the navigation pane, a TOC field);
* real Word tables whose header row repeats on every page and whose rows never split;
* a running header, a ``PAGE`` field in the footer, and core properties with a title and no
  person's name.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from .. import i18n
from .fonts import BODY_FONT, BODY_SIZE_PT

#: Page margins (mm): top, right, bottom, left — as for the PDF.
MARGINS_MM: tuple[float, float, float, float] = (25, 20, 20, 30)
#: Text column width (mm) of A4 between those margins.
TEXT_WIDTH_MM = 210 - MARGINS_MM[1] - MARGINS_MM[3]
#: The tallest a picture may be (the A4 text column is 252 mm high).
PICTURE_MAX_HEIGHT_MM = 225
#: Heading sizes (pt) for levels 1–3, and the title's.
HEADING_SIZES_PT: dict[int, int] = {1: 20, 2: 18, 3: 16}
TITLE_SIZE_PT = 22
#: Thai and Latin language tags of the text.
LANG_TAGS = {"th": ("th-TH", "th-TH"), "en": ("en-GB", "th-TH")}


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _child(parent, tag: str):
    """The first ``tag`` child of ``parent``, created when missing."""
    from docx.oxml import OxmlElement

    found = parent.find(_qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def set_font(r_pr, *, size_pt: float | None = None, bold: bool | None = None,
             italic: bool | None = None, font: str = BODY_FONT) -> None:
    """Set the font in every slot of a ``w:rPr``: Latin, East Asian and complex script.

    Parameters
    ----------
    r_pr
        A run's or a style's ``w:rPr`` element.
    size_pt
        Size in points for ``w:sz`` and ``w:szCs``.
    bold, italic
        ``w:b``/``w:bCs`` and ``w:i``/``w:iCs``.
    font
        The family, for ``w:ascii``, ``w:hAnsi``, ``w:eastAsia`` and ``w:cs``.
    """
    fonts = _child(r_pr, "w:rFonts")
    for attr in list(fonts.attrib):  # theme fonts would override the named ones
        if attr.endswith("Theme}") or "Theme" in attr:
            del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(_qn(slot), font)
    # python-docx's oxml keeps the schema's order when children are added through its
    # properties; set them through the API where it has one.
    for flag, tags in ((bold, ("w:b", "w:bCs")), (italic, ("w:i", "w:iCs"))):
        if flag is None:
            continue
        for tag in tags:
            element = _child(r_pr, tag)
            element.set(_qn("w:val"), "1" if flag else "0")
    if size_pt is not None:
        half_points = str(int(round(size_pt * 2)))
        for tag in ("w:sz", "w:szCs"):
            _child(r_pr, tag).set(_qn("w:val"), half_points)
    _order_rpr(r_pr)


# The order CT_RPr's schema wants (the part we use).
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
              "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
              "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
              "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
              "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _order_rpr(r_pr) -> None:
    rank = {_qn(tag): i for i, tag in enumerate(_RPR_ORDER)}
    children = list(r_pr)
    children.sort(key=lambda el: rank.get(el.tag, len(rank)))
    for el in children:
        r_pr.remove(el)
        r_pr.append(el)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (``w:fldChar`` begin/separate/end) in ``paragraph``."""
    from docx.oxml import OxmlElement

    def run_with(element) -> None:
        run = paragraph.add_run()
        set_font(run._r.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(_qn("w:fldCharType"), "begin")
    begin.set(_qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(_qn("w:fldCharType"), "separate")
    run_with(separate)
    if placeholder:
        run = paragraph.add_run(placeholder)
        set_font(run._r.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
    end = OxmlElement("w:fldChar")
    end.set(_qn("w:fldCharType"), "end")
    run_with(end)


def thai_date(day: dt.date, lang: str = "th") -> str:
    """A date with its Buddhist-Era year: ``4 ธันวาคม 2569`` / ``4 December 2569 BE``."""
    from ..ingest.thai import format_thai_date

    if lang == "th":
        return format_thai_date(day, style="long")
    return f"{day.day} {day.strftime('%B')} {day.year + 543} BE"


def text_width_mm(text: str, size_pt: float = BODY_SIZE_PT) -> float:
    """A generous estimate of the width of ``text`` in TH Sarabun (or Laksaman), bold: 0.6 em
    per Thai character that takes space (vowels and tone marks above or below take none),
    0.66 em per other character, and a millimetre to spare."""
    import unicodedata

    em_mm = size_pt * 25.4 / 72
    ems = sum(0.6 if "\u0e00" <= ch <= "\u0e7f" else 0.66 for ch in text
              if unicodedata.category(ch) != "Mn")
    return ems * em_mm + 1.0


#: Width (mm) a Thai run needs at least in a table column (it wraps between words).
THAI_WORD_MM = 18.0
#: Cell padding (mm) left and right (Word's default is 1.9 mm; narrower keeps 16 pt numbers
#: on one line in tables of many columns).
CELL_PADDING_MM = 1.0


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]],
                  size_pt: float = BODY_SIZE_PT) -> list[float]:
    """Column widths (mm) that fill the text column: every column at least as wide as its
    longest word (so a number never wraps), the rest shared by how much text each holds."""
    pad = 2 * CELL_PADDING_MM
    need, natural = [], []
    for c in range(len(header)):
        cells = [str(header[c])] + [str(r[c]) for r in rows if c < len(r)]
        words = [w for cell in cells for w in cell.split()] or [""]
        # Thai is written without spaces but wraps between its words: a Thai run needs
        # no more than a short word's width
        need.append(max(min(text_width_mm(w, size_pt), THAI_WORD_MM)
                        if any("\u0e00" <= ch <= "\u0e7f" for ch in w)
                        else text_width_mm(w, size_pt) for w in words) + pad)
        natural.append(max(text_width_mm(cell, size_pt) for cell in cells) + pad)
    spare = TEXT_WIDTH_MM - sum(need)
    if spare <= 0:  # too many columns: shrink in proportion (some words will wrap)
        return [n * TEXT_WIDTH_MM / sum(need) for n in need]
    extra = [max(n - m, 0.0) for n, m in zip(natural, need, strict=True)]
    if sum(extra) <= spare:  # everything fits on one line: widen in proportion
        return [n * TEXT_WIDTH_MM / sum(natural) for n in natural]
    return [m + spare * e / sum(extra) for m, e in zip(need, extra, strict=True)]


class ThaiDocument:
    """A python-docx document set up in the Thai official format.

    Parameters
    ----------
    title
        The document's title (core properties, running header).
    lang
        ``"th"`` or ``"en"``: the Latin language tag and the words of the page footer.
    running
        Text of the running header (e.g. the scope and fiscal year); none when empty.
    subject, keywords
        Core properties.
    """

    def __init__(self, title: str, *, lang: str = "th", running: str = "", subject: str = "",
                 keywords: str = "") -> None:
        from docx import Document

        self.lang = lang
        self.doc = Document()
        self._styles()
        self._page(running)
        self._properties(title, subject, keywords)

    # -- set-up ---------------------------------------------------------------------------
    def _styles(self) -> None:
        from docx.shared import Pt, RGBColor

        styles = self.doc.styles
        latin, complex_ = LANG_TAGS.get(self.lang, LANG_TAGS["en"])
        # Document defaults first: anything without a style of its own inherits them.
        defaults = self.doc.styles.element.find(_qn("w:docDefaults"))
        r_pr = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
        set_font(r_pr, size_pt=BODY_SIZE_PT)
        lang_el = _child(r_pr, "w:lang")
        lang_el.set(_qn("w:val"), latin)
        lang_el.set(_qn("w:bidi"), complex_)
        lang_el.set(_qn("w:eastAsia"), "th-TH")
        _order_rpr(r_pr)
        for name in ("Normal", "List Bullet", "List Number", "Table Grid", "Header", "Footer",
                     "Caption", "TOC Heading"):
            try:
                style = styles[name]
            except KeyError:
                continue
            set_font(style.element.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
        normal = styles["Normal"].paragraph_format
        normal.space_after = Pt(0)
        normal.line_spacing = 1.0
        for level, size in HEADING_SIZES_PT.items():
            style = styles[f"Heading {level}"]
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.paragraph_format.space_before = Pt(12 if level == 1 else 6)
            style.paragraph_format.space_after = Pt(3)
            style.paragraph_format.keep_with_next = True
            set_font(style.element.get_or_add_rPr(), size_pt=size, bold=True, italic=False)
        title = styles["Title"]
        title.font.color.rgb = RGBColor(0, 0, 0)
        set_font(title.element.get_or_add_rPr(), size_pt=TITLE_SIZE_PT, bold=True)
        title_ppr = title.element.get_or_add_pPr()
        for border in title_ppr.findall(_qn("w:pBdr")):  # the default title is underlined
            title_ppr.remove(border)
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _page(self, running: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, right, bottom, left = MARGINS_MM
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
        section.header_distance = section.footer_distance = Mm(10)
        if running:
            header = section.header.paragraphs[0]
            header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = header.add_run(running)
            set_font(run._r.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = footer.add_run(i18n.text("document.page", self.lang))
        set_font(run._r.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
        _field(footer, "PAGE", "1")

    def _properties(self, title: str, subject: str, keywords: str) -> None:
        props = self.doc.core_properties
        props.title = title
        props.subject = subject
        props.keywords = keywords
        props.author = ""  # python-docx's template says "python-docx"; no person's name
        props.last_modified_by = ""
        props.comments = ""
        props.category = ""
        props.language = "th-TH" if self.lang == "th" else "en-GB"
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        props.created = props.modified = now
        props.revision = 1

    # -- content --------------------------------------------------------------------------
    def _style_run(self, run, *, bold: bool | None = None, italic: bool | None = None,
                   size_pt: float | None = BODY_SIZE_PT) -> None:
        set_font(run._r.get_or_add_rPr(), size_pt=size_pt, bold=bold, italic=italic)

    def title(self, text: str) -> None:
        """The document's title (style ``Title``)."""
        paragraph = self.doc.add_paragraph(style="Title")
        run = paragraph.add_run(text)
        self._style_run(run, bold=True, size_pt=TITLE_SIZE_PT)

    def heading(self, text: str, level: int = 1) -> None:
        """A heading in Word's ``Heading N`` style (levels 1–3)."""
        level = max(1, min(3, int(level)))
        paragraph = self.doc.add_paragraph(style=f"Heading {level}")
        run = paragraph.add_run(text)
        self._style_run(run, bold=True, size_pt=HEADING_SIZES_PT[level])

    def paragraph(self, parts: str | Sequence[tuple[str, dict]] = "", *, style: str | None = None,
                  align: str | None = None, indent_first_mm: float | None = None,
                  keep_with_next: bool = False):
        """A paragraph of text, or of ``(text, {"bold": ..., "italic": ...})`` parts."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        paragraph = self.doc.add_paragraph(style=style)
        if isinstance(parts, str):
            parts = [(parts, {})] if parts else []
        for text, fmt in parts:
            self.add_text(paragraph, text, **fmt)
        if align:
            paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT,
                                   "center": WD_ALIGN_PARAGRAPH.CENTER,
                                   "right": WD_ALIGN_PARAGRAPH.RIGHT,
                                   "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY}[align]
        if indent_first_mm:
            paragraph.paragraph_format.first_line_indent = Mm(indent_first_mm)
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def add_text(self, paragraph, text: str, *, bold: bool | None = None,
                 italic: bool | None = None, br: bool = False) -> None:
        """Append a run (or a line break, ``br=True``) to ``paragraph``."""
        run = paragraph.add_run()
        if br:
            run.add_break()
        else:
            run.text = text
        self._style_run(run, bold=bold, italic=italic)

    def signature_line(self, text: str, *, last: bool = False) -> None:
        """One line of a signature block: centred in the right half of the page, kept with
        the rest of its block."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        paragraph = self.paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM / 2 - 10)
        paragraph.paragraph_format.keep_with_next = not last

    def toc(self, heading: str) -> None:
        """A heading and a Word TOC field (levels 1–3).

        Word asks to update the fields when the file opens (``w:updateFields``) and fills in
        the page numbers; until then (and in LibreOffice, which shows a field's last result)
        the field shows the document's headings, written in by :meth:`to_bytes`.
        """
        paragraph = self.doc.add_paragraph()
        self.add_text(paragraph, heading, bold=True)
        paragraph.paragraph_format.keep_with_next = True
        self._toc = self.doc.add_paragraph()
        settings = self.doc.settings.element
        update = _child(settings, "w:updateFields")
        update.set(_qn("w:val"), "true")

    def _fill_toc(self) -> None:
        """Write the TOC field into its placeholder paragraph, with one line per heading."""
        from docx.oxml import OxmlElement
        from docx.shared import Mm

        placeholder = getattr(self, "_toc", None)
        if placeholder is None:
            return
        self._toc = None
        headings = [(int(p.style.name.split()[-1]), p.text) for p in self.doc.paragraphs
                    if p.style is not None and p.style.name.startswith("Heading ")
                    and p.style.name.split()[-1].isdigit() and p.text.strip()]
        entries = headings or [(1, i18n.text("document.toc_hint", self.lang))]
        paragraphs = [placeholder]
        for _ in entries[1:]:
            new = OxmlElement("w:p")
            paragraphs[-1]._p.addnext(new)
            from docx.text.paragraph import Paragraph

            paragraphs.append(Paragraph(new, placeholder._parent))

        def field_char(paragraph, kind: str) -> None:
            run = paragraph.add_run()
            set_font(run._r.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
            element = OxmlElement("w:fldChar")
            element.set(_qn("w:fldCharType"), kind)
            if kind == "begin":
                element.set(_qn("w:dirty"), "true")
            run._r.append(element)

        first, last = paragraphs[0], paragraphs[-1]
        field_char(first, "begin")
        run = first.add_run()
        set_font(run._r.get_or_add_rPr(), size_pt=BODY_SIZE_PT)
        instr = OxmlElement("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = ' TOC \\o "1-3" \\h \\z \\u '
        run._r.append(instr)
        field_char(first, "separate")
        for paragraph, (level, text) in zip(paragraphs, entries, strict=True):
            paragraph.paragraph_format.left_indent = Mm(8 * (level - 1))
            self.add_text(paragraph, text)
        field_char(last, "end")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              align: Sequence[str] | None = None, size_pt: float = BODY_SIZE_PT,
              widths: Sequence[float] | None = None) -> None:
        """A Word table: header row repeated on every page, rows that never split.

        Parameters
        ----------
        header
            Column headings.
        rows
            Cell texts, one sequence per row.
        align
            ``"left"``/``"right"``/``"center"`` per column (default: left).
        size_pt
            Text size in the table (the body's 16 pt by default).
        widths
            Relative column widths (default :func:`column_widths`); the table spans the
            text column.
        """
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement

        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                  "center": WD_ALIGN_PARAGRAPH.CENTER}
        for r, values in enumerate([list(header), *[list(row) for row in rows]]):
            row = table.rows[r]
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c, value in enumerate(values):
                cell = row.cells[c]
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(str(value))
                self._style_run(run, bold=True if r == 0 else None, size_pt=size_pt)
                if r == 0:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif align is not None and c < len(align):
                    paragraph.alignment = aligns.get(align[c], WD_ALIGN_PARAGRAPH.LEFT)
        from docx.shared import Mm

        if widths is None:
            widths = column_widths(header, rows, size_pt)
        total = float(sum(widths)) or 1.0
        table.autofit = False
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(_qn("w:w"), str(round(CELL_PADDING_MM * 1440 / 25.4)))
            edge.set(_qn("w:type"), "dxa")
            margins.append(edge)
        tbl_pr = table._tbl.tblPr
        look = tbl_pr.find(_qn("w:tblLook"))
        if look is not None:
            look.addprevious(margins)
        else:
            tbl_pr.append(margins)
        for c, share in enumerate(widths):
            width = Mm(TEXT_WIDTH_MM * share / total)
            table.columns[c].width = width
            for cell in table.columns[c].cells:
                cell.width = width
        self.doc.add_paragraph()  # a table followed directly by a table would merge

    def picture(self, png: bytes, width_mm: float = TEXT_WIDTH_MM) -> None:
        """A picture as wide as the text column (or narrower, so that it is never taller
        than :data:`PICTURE_MAX_HEIGHT_MM`), centred, kept on one page."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image.image import Image
        from docx.shared import Mm

        image = Image.from_blob(png)
        if image.px_width and image.px_height:
            width_mm = min(width_mm, PICTURE_MAX_HEIGHT_MM * image.px_width / image.px_height)
        self.doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
        paragraph = self.doc.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_together = True

    def to_bytes(self) -> bytes:
        """The ``.docx`` file's bytes."""
        self._fill_toc()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
