"""An executed report notebook as a Word document (the same content as its HTML page).

The notebook goes through the HTML exporter's own :func:`~cleannet_eval.reports.export.
prepare_notebook` first, so the DOCX leaves out exactly what the HTML leaves out (code, the
parameters cells, ``remove-cell``/``remove-output`` tags, warnings). Then, cell by cell:

* Markdown cells and Markdown outputs (``report.say``) → paragraphs, lists, bold/italic runs,
  and headings in Word's ``Heading 1``–``3`` styles (the highest level present becomes
  ``Heading 1``, as in the HTML table of contents);
* HTML tables (``report.show_table``) → real Word tables with the header row repeated;
* plotly figures → one PNG picture each, drawn by kaleido at print resolution;
* ``stdout`` text → plain paragraphs. Reprs (``text/plain`` of a value) are left out.

The document starts with the title, the scope and fiscal year, the date (Buddhist Era) and a
Word TOC field, and ends with a short provenance note (notebook, package version, time of the
run) — no file paths.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .. import __version__, i18n
from .word import ThaiDocument, thai_date

if TYPE_CHECKING:
    import nbformat

_PLOTLY_MIME = "application/vnd.plotly.v1+json"
_BLOCKS = {"p", "div", "ul", "ol", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
           "blockquote", "section", "nav", "hr", "dl", "dt", "dd", "figure", "figcaption"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source"}
_SKIP = {"script", "style", "svg", "head", "title"}


class _Node:
    __slots__ = ("tag", "attrs", "children", "text")

    def __init__(self, tag: str, attrs: Mapping[str, str | None] | None = None,
                 text: str = "") -> None:
        self.tag = tag
        self.attrs = dict(attrs or {})
        self.children: list[_Node] = []
        self.text = text

    def plain(self) -> str:
        if self.tag == "#text":
            return self.text
        if self.tag == "br":
            return "\n"
        return "".join(child.plain() for child in self.children)


class _TreeBuilder(HTMLParser):
    """A small DOM of an HTML fragment (stdlib parser; scripts and styles dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        if self.skipping:
            return
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping and data:
            self.stack[-1].children.append(_Node("#text", text=data))


def parse_html(fragment: str) -> _Node:
    """The fragment as a tree of ``_Node``."""
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


def markdown_html(text: str) -> str:
    """Markdown as HTML (mistune, nbconvert's own Markdown renderer); raw HTML escaped."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text)


class _Writer:
    """Walks HTML trees into a :class:`ThaiDocument`."""

    def __init__(self, document: ThaiDocument, heading_shift: int) -> None:
        self.document = document
        self.shift = heading_shift
        self.tables = 0

    # inline content -----------------------------------------------------------------------
    def inline(self, paragraph, node: _Node, bold: bool | None = None,
               italic: bool | None = None) -> None:
        for child in node.children:
            if child.tag == "#text":
                text = _collapse(child.text)
                if text:
                    self.document.add_text(paragraph, text, bold=bold, italic=italic)
            elif child.tag == "br":
                self.document.add_text(paragraph, "", br=True)
            elif child.tag in ("strong", "b"):
                self.inline(paragraph, child, True, italic)
            elif child.tag in ("em", "i"):
                self.inline(paragraph, child, bold, True)
            elif child.tag in _BLOCKS:
                self.inline(paragraph, child, bold, italic)
            else:  # a, span, code, sub, sup, del …: their text
                self.inline(paragraph, child, bold, italic)

    # blocks -------------------------------------------------------------------------------
    def block(self, node: _Node) -> None:
        pending: list[_Node] = []

        def flush() -> None:
            if not pending:
                return
            holder = _Node("p")
            holder.children = list(pending)
            pending.clear()
            if holder.plain().strip():
                paragraph = self.document.paragraph()
                self.inline(paragraph, holder)

        for child in node.children:
            tag = child.tag
            if tag == "#text" or tag not in _BLOCKS:
                pending.append(child)
                continue
            flush()
            if re.fullmatch(r"h[1-6]", tag):
                level = int(tag[1]) - self.shift
                text = _collapse(child.plain()).strip().rstrip("¶").strip()
                if text:
                    self.document.heading(text, max(1, min(3, level)))
            elif tag == "p":
                if child.plain().strip():
                    paragraph = self.document.paragraph()
                    self.inline(paragraph, child)
            elif tag in ("ul", "ol"):
                style = "List Bullet" if tag == "ul" else "List Number"
                for item in child.children:
                    if item.tag != "li":
                        continue
                    paragraph = self.document.paragraph(style=style)
                    self.inline(paragraph, item)
            elif tag == "table":
                self.table(child)
            elif tag == "pre":
                for line in child.plain().splitlines():
                    self.document.paragraph(line)
            elif tag == "hr":
                continue
            else:
                self.block(child)
        flush()

    def table(self, node: _Node) -> None:
        rows: list[list[tuple[str, bool, str]]] = []

        def collect(element: _Node) -> None:
            for child in element.children:
                if child.tag == "tr":
                    cells = []
                    for cell in child.children:
                        if cell.tag in ("th", "td"):
                            style = cell.attrs.get("style") or ""
                            align = "right" if "right" in style else (
                                "center" if "center" in style else "left")
                            cells.append((_collapse(cell.plain()).strip(), cell.tag == "th",
                                          align))
                    if cells:
                        rows.append(cells)
                elif child.tag in ("thead", "tbody", "tfoot"):
                    collect(child)

        collect(node)
        if not rows:
            return
        header = [text for text, _, _ in rows[0]]
        width = max(len(r) for r in rows)
        header += [""] * (width - len(header))
        body = [[text for text, _, _ in r] + [""] * (width - len(r)) for r in rows[1:]]
        align = [a for _, _, a in rows[1]] if len(rows) > 1 else None
        self.document.table(header, body, align=align)
        self.tables += 1


def plotly_figures(nb: nbformat.NotebookNode) -> list[Mapping]:
    """The plotly figures (JSON) a report shows, in the order of its page (``plot-1``, …).

    The same cells as the HTML export keeps (:func:`~cleannet_eval.reports.export.
    prepare_notebook`).
    """
    from ..reports.export import prepare_notebook

    prepared, _ = prepare_notebook(nb)
    figures = []
    for cell in prepared.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data") or {}
            if _PLOTLY_MIME in data:
                figures.append(data[_PLOTLY_MIME])
    return figures


def _heading_levels(nb: nbformat.NotebookNode) -> list[int]:
    levels = []
    for cell in nb.cells:
        texts = []
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data") or {}
            if "text/markdown" in data:
                value = data["text/markdown"]
                texts.append("".join(value) if isinstance(value, list) else value)
        for text in texts:
            levels += [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", text, re.M)]
    return levels


def notebook_docx(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    scope: str,
    period: str,
    lang: str = "th",
    notebook_name: str = "",
    run_time: str = "",
    chart_png: Callable[[Mapping], bytes],
    today: dt.date | None = None,
) -> tuple[bytes, int]:
    """Turn an executed notebook into a Word document.

    Parameters
    ----------
    nb
        The executed notebook (not modified).
    title, scope, period
        The report's title, its scope (unit or whole department) and its period label.
    lang
        ``"th"`` or ``"en"``.
    notebook_name, run_time
        For the provenance note at the end.
    chart_png
        Draws one plotly figure (its JSON) as a PNG (:meth:`.images.ChartImager.png`).
    today
        The date shown under the title (default today), with a Buddhist-Era year.

    Returns
    -------
    tuple of (bytes, int)
        The ``.docx`` file and the number of chart pictures in it.
    """
    from ..reports.export import prepare_notebook

    prepared, _ = prepare_notebook(nb, drop_title=title)
    levels = _heading_levels(prepared)
    shift = (min(levels) - 1) if levels else 0
    running = f"{scope} · {period}"
    document = ThaiDocument(f"{title} — {running}", lang=lang, running=running,
                            subject=running, keywords="cleannet-eval")
    document.title(title)
    document.paragraph(running, align="center")
    document.paragraph(thai_date(today or dt.date.today(), lang), align="center")
    document.toc(i18n.text("report.contents", lang))
    writer = _Writer(document, shift)
    pictures = 0
    for cell in prepared.cells:
        if cell.cell_type == "markdown":
            writer.block(parse_html(markdown_html(cell.source)))
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                if output.get("name") == "stdout":
                    for line in "".join(output.get("text", "")).splitlines():
                        if line.strip():
                            document.paragraph(line)
                continue
            data = output.get("data") or {}
            if _PLOTLY_MIME in data:
                document.picture(chart_png(data[_PLOTLY_MIME]))
                pictures += 1
            elif "text/markdown" in data:
                value = data["text/markdown"]
                writer.block(parse_html(markdown_html(
                    "".join(value) if isinstance(value, list) else value)))
            elif "text/html" in data:
                value = data["text/html"]
                writer.block(parse_html("".join(value) if isinstance(value, list) else value))
            elif "image/png" in data:
                import base64

                document.picture(base64.b64decode(data["image/png"]))
    note = i18n.text("document.made_by", lang, version=__version__)
    document.paragraph([(note + (f" · {notebook_name}"
                                                if notebook_name else "")
                         + (f" · {run_time}" if run_time else ""), {"italic": True})])
    return document.to_bytes(), pictures
