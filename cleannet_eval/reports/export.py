"""Turn an executed notebook into one HTML report with nbconvert and the project's template.

The template (``data/templates/cleannet``) hides code and prompts, puts the title and the
parameters at the top and a provenance footer (parameters, SHA-256 of every input, package
version, time of the run) at the bottom, embeds the Sarabun font, and loads nothing from the
network. Before nbconvert sees the notebook, :func:`prepare_notebook`:

* draws every plotly figure from its JSON (``application/vnd.plotly.v1+json``) into a ``<div>``
  with a stable id, and removes any copy of plotly.js and the MathJax CDN ``<script>`` that
  plotly's HTML renderers add; plotly.js is then put once in ``<head>`` (``assets="inline"``)
  or referenced as one shared ``plotly.min.js`` file (``assets="shared"``): the partial
  (cartesian) bundle when every figure's trace type is in it, else the full bundle, with a
  warning (:mod:`.bundles`);
* drops the ``parameters`` and ``injected-parameters`` cells, code cells without output, cells
  tagged ``remove-cell`` (outputs of cells tagged ``remove-output``), ``stderr`` streams
  (warnings are diagnostics, not content), and the notebook's first level-1 heading when it is
  the report title.

After nbconvert, the table of contents is built from the headings it rendered (levels 1–3).
"""

from __future__ import annotations

import base64
import copy
import html as html_lib
import json
import posixpath
import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..version import __version__
from .bundles import SHARED_NAMES, bundle_text, choose_bundle, figure_trace_types
from .css import prune_css
from .labels import labels, period_label, scope_label

if TYPE_CHECKING:
    import nbformat

#: The project's nbconvert template: ``TEMPLATES_DIR / TEMPLATE_NAME``.
TEMPLATES_DIR: Path = config.PACKAGE_DATA_DIR / "templates"
TEMPLATE_NAME = "cleannet"
FONTS_DIR: Path = config.PACKAGE_DATA_DIR / "fonts"
#: ``assets`` values: plotly.js inside each report, or one shared file beside them.
ASSETS: tuple[str, ...] = ("inline", "shared")
#: Name of the shared plotly.js file in the output folder.
PLOTLY_JS_NAME = "plotly.min.js"

_PLOTLY_MIME = "application/vnd.plotly.v1+json"
_REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
_REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}
_TOC_PLACEHOLDER = "<!--cleannet:toc-->"
_PLOTLY_PLACEHOLDER = "<!--cleannet:plotly.js-->"
_PLOTLY_CONFIG_JS = "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
_OWN_CSS_MARKER = "<!--cleannet:own-css-->"
_STYLE = re.compile(r"<style[^>]*>([\s\S]*?)</style>\s*", re.I)

# Sarabun subsets from @fontsource/sarabun (SIL OFL 1.1) with their unicode ranges.
_FONT_RANGES = {
    "thai": "U+02D7,U+0303,U+0331,U+0E01-0E5B,U+200C-200D,U+25CC",
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,"
             "U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
}
_FONT_WEIGHTS = (400, 700)

# A <script> element holding the plotly.js bundle (as plotly's notebook renderer embeds it).
_BUNDLE_SCRIPT = re.compile(
    r"<script[^>]*>\s*/\*\*?\s*\*?\s*plotly\.js(?: \([^)]*\))? v[\s\S]*?</script>", re.I)
_MATHJAX_SCRIPT = re.compile(
    r"<script[^>]*\bsrc=[\"'](?:https?:)?//[^\"']*mathjax[^\"']*[\"'][^>]*>\s*</script>", re.I
)
_HEADING = re.compile(r"<h([1-3])\b([^>]*)\bid=\"([^\"]+)\"([^>]*)>([\s\S]*?)</h\1>")
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|srcset|action|poster)\s*=\s*["']?\s*|@import\s+(?:url\(\s*)?["']?"""
    r"""|\burl\(\s*["']?|\bimport\s*\(?\s*["'])((?:https?:)?//[^\s"'<>)]+)""",
    re.I,
)

_local = threading.local()


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The minified plotly.js that ships inside the plotly package."""
    return plotly_js_path().read_text(encoding="utf-8")


def plotly_js_path() -> Path:
    """Path of ``plotly.min.js`` inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / PLOTLY_JS_NAME


@lru_cache(maxsize=1)
def font_css() -> str:
    """``@font-face`` rules for Sarabun 400 and 700, Thai and Latin subsets, as base64 woff2."""
    rules = []
    for subset, unicode_range in _FONT_RANGES.items():
        for weight in _FONT_WEIGHTS:
            path = FONTS_DIR / f"sarabun-{subset}-{weight}-normal.woff2"
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            rules.append(
                "@font-face{font-family:'Sarabun';font-style:normal;font-display:swap;"
                f"font-weight:{weight};src:url(data:font/woff2;base64,{data}) format('woff2');"
                f"unicode-range:{unicode_range};}}"
            )
    return "\n".join(rules)


def _tags(cell: Mapping) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _figure_html(figure: Mapping, div_id: str, templates: dict[str, int] | None = None) -> str:
    """The figure's ``<div>`` and ``Plotly.newPlot`` script (plotly's ``to_html``).

    With ``templates`` (the page's table, see :func:`_templates_script`), the layout's template
    is not repeated in every figure: it is entered in the table once and the script passes
    ``cleannetLayout(layout, index)``, which puts a fresh copy of it back before plotly draws.
    Text outside ASCII (Thai) is written as itself rather than as ``\\uXXXX`` escapes.
    """
    from plotly.io import to_html

    fig = dict(figure)
    config_ = {"displaylogo": False, "responsive": True, **(fig.pop("config", None) or {})}
    layout = dict(fig.get("layout") or {})
    template = layout.get("template")
    width, height = "100%", 525
    index = None
    if templates is not None and isinstance(template, Mapping):
        # plotly sizes the div from the template's layout when the figure's has no size
        template_layout = template.get("layout") or {}
        width = template_layout.get("width", width)
        height = template_layout.get("height", height)
        del layout["template"]
        fig["layout"] = layout
        index = templates.setdefault(_json_text(template), len(templates))
    html = to_html(
        fig, config=config_, include_plotlyjs=False, include_mathjax=False, full_html=False,
        validate=False, div_id=div_id, default_width=width, default_height=height,
    )
    if index is not None:
        from plotly.io.json import to_json_plotly

        jlayout = to_json_plotly(layout)
        call = f"cleannetLayout({jlayout},{index})"
        head, sep, tail = html.rpartition(jlayout)
        html = head + call + tail if sep else html
    return html if templates is None else _unescape_json(html)


# A JSON string escape: an escaped backslash, or \uXXXX.
_JSON_ESCAPE = re.compile(r"\\\\|\\u([0-9a-fA-F]{4})")
# Kept escaped: ASCII (plotly escapes <, > and / so that no string closes the <script>), the
# line and paragraph separators (line breaks to older JavaScript) and surrogates.
_KEEP_ESCAPED = range(0x80)


def _unescape_json(text: str) -> str:
    """``\\uXXXX`` escapes of non-ASCII characters written as the characters (UTF-8)."""

    def swap(match: re.Match) -> str:
        code = match.group(1)
        if code is None:
            return match.group(0)
        point = int(code, 16)
        if point in _KEEP_ESCAPED or point in (0x2028, 0x2029) or 0xD800 <= point <= 0xDFFF:
            return match.group(0)
        return chr(point)

    return _JSON_ESCAPE.sub(swap, text) if "\\u" in text else text


def _json_text(value: object) -> str:
    from plotly.io.json import to_json_plotly

    return _unescape_json(to_json_plotly(value))


def _templates_script(templates: Mapping[str, int]) -> str:
    """The page's plotly templates, each once, and ``cleannetLayout`` (see
    :func:`_figure_html`); empty when no figure has a template."""
    if not templates:
        return ""
    table = ",".join(text for text, _ in sorted(templates.items(), key=lambda kv: kv[1]))
    return ("<script>window.cleannetTemplates=[" + table + "];"
            "function cleannetLayout(layout,i){"
            "layout.template=JSON.parse(JSON.stringify(window.cleannetTemplates[i]));"
            "return layout;}</script>")


def _clean_html(text: str) -> tuple[str, bool]:
    """Remove plotly.js bundles and MathJax CDN scripts; return the rest and whether a bundle
    or a chart was there."""
    uses_plotly = "Plotly.newPlot" in text
    stripped, count = _BUNDLE_SCRIPT.subn("", text)
    stripped = _MATHJAX_SCRIPT.sub("", stripped)
    return stripped, uses_plotly or count > 0


def prepare_notebook(
    nb: nbformat.NotebookNode, *, drop_title: str | None = None
) -> tuple[nbformat.NotebookNode, bool]:
    """A copy of ``nb`` ready for the template, and whether it draws plotly charts.

    Parameters
    ----------
    nb
        An executed notebook; it is not modified.
    drop_title
        Remove the first level-1 markdown heading with this text (the template shows the
        title itself).
    """
    prepared, uses_plotly, _ = _prepare(nb, drop_title=drop_title)
    return prepared, uses_plotly


def _prepare(
    nb: nbformat.NotebookNode, *, drop_title: str | None = None,
    templates: dict[str, int] | None = None,
) -> tuple[nbformat.NotebookNode, bool, set[str] | None]:
    """:func:`prepare_notebook`, plus the figures' trace types (``None``: a chart of unknown
    types, e.g. one that arrived as HTML). With ``templates``, figures share their templates
    through the page's table (:func:`_templates_script`)."""
    nb = copy.deepcopy(nb)
    trace_types: set[str] | None = set()
    cells = []
    uses_plotly = False
    figure_no = 0
    for cell in nb.cells:
        tags = _tags(cell)
        if tags & _REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "markdown" and drop_title:
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
                if match and match.group(1).strip() == drop_title:
                    cell.source = "\n".join(lines[:i] + lines[i + 1:]).strip()
                    drop_title = None
                    break
            if not cell.source.strip():
                continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        outputs = [] if tags & _REMOVE_OUTPUT_TAGS else cell.get("outputs", [])
        kept = []
        for output in outputs:
            kind = output.get("output_type")
            if kind == "stream" and output.get("name") == "stderr":
                continue
            data = output.get("data")
            if data is not None:
                if _PLOTLY_MIME in data:
                    if trace_types is not None:
                        trace_types |= figure_trace_types(data[_PLOTLY_MIME])
                    figure_no += 1
                    data["text/html"] = _figure_html(data[_PLOTLY_MIME], f"plot-{figure_no}",
                                                     templates)
                    uses_plotly = True
                elif "text/html" in data:
                    text = data["text/html"]
                    text = "".join(text) if isinstance(text, list) else text
                    cleaned, has_plotly = _clean_html(text)
                    uses_plotly = uses_plotly or has_plotly
                    if "Plotly.newPlot" in cleaned:
                        trace_types = None  # drawn by other code: types unknown
                    if has_plotly and not re.sub(r"<script[\s\S]*?</script>", "",
                                                 cleaned).strip():
                        continue  # only the renderer's set-up script was there
                    data["text/html"] = cleaned
            kept.append(output)
        if not kept:
            continue
        cell.outputs = kept
        cells.append(cell)
    nb.cells = cells
    return nb, uses_plotly, trace_types


def _exporter():
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        _local.exporter = exporter
    return exporter


def add_toc(html: str, title: str = "Contents") -> str:
    """Replace the table-of-contents placeholder with links to the level 1–3 headings.

    Headings that share an id (two "Summary" sections) get ``-2``, ``-3``… so that every link
    goes to its own heading. Entries are indented from the highest heading level present.
    """
    if _TOC_PLACEHOLDER not in html:
        return html
    head, _, body = html.partition(_TOC_PLACEHOLDER)
    seen: dict[str, int] = {}
    entries: list[tuple[int, str, str]] = []

    def renumber(match: re.Match) -> str:
        level, before, anchor, after, inner = match.groups()
        count = seen.get(anchor, 0) + 1
        seen[anchor] = count
        new = anchor if count == 1 else f"{anchor}-{count}"
        if new != anchor:
            inner = inner.replace(f'href="#{anchor}"', f'href="#{new}"')
        text = re.sub(r"<a class=\"anchor-link\"[\s\S]*?</a>", "", inner)
        text = re.sub(r"<[^>]+>", "", text).strip()
        if text:
            entries.append((int(level), new, text))
        return f"<h{level}{before}id=\"{new}\"{after}>{inner}</h{level}>"

    body = _HEADING.sub(renumber, body)
    if not entries:
        return head + body
    top = min(level for level, _, _ in entries)  # indent from the highest level present
    items = "\n".join(
        f'<li class="toc-h{level - top + 1}"><a href="#{anchor}">{text}</a></li>'
        for level, anchor, text in entries
    )
    nav = (f'<nav class="cleannet-toc" aria-label="{html_lib.escape(title)}">'
           f"<h2>{html_lib.escape(title)}</h2>\n<ol>\n{items}\n</ol>\n</nav>")
    return head + nav + body


def prune_page_css(html: str) -> str:
    """One ``<style>`` with only the rules of nbconvert's JupyterLab CSS that the page can use.

    The ``<style>`` elements of ``<head>`` before the template's own-CSS marker (nbconvert's
    code-highlighting and JupyterLab stylesheets) are joined in their order and pruned by
    :func:`~.css.prune_css`; the project's own CSS after the marker (Sarabun, ``cleannet.css``)
    is kept as it is, and the custom properties it reads are kept.

    Parameters
    ----------
    html
        A page the project's template rendered (with its own-CSS marker).

    Returns
    -------
    str
        The page with one pruned ``<style>`` in place of nbconvert's, and no marker.
    """
    head_end = html.find("</head>")
    marker = html.find(_OWN_CSS_MARKER, 0, head_end)
    if marker < 0:
        return html
    before, after = html[:marker], html[marker + len(_OWN_CSS_MARKER):]
    sheets = _STYLE.findall(before)
    if not sheets:
        return before + after
    first = _STYLE.search(before).start()
    rest = before[:first] + _STYLE.sub("", before[first:])
    pruned = prune_css("\n".join(sheets), html, extra=rest + after)
    return rest[:first] + f'<style type="text/css">\n{pruned}\n</style>\n' + rest[first:] + after


def external_urls(html: str) -> list[str]:
    """Network addresses a page would load or link: in ``src=``, ``href=``, ``@import``,
    ``url(``, or a script ``import``. The plotly.js bundle's own strings are not counted."""
    html = html.replace(plotly_js(), "").replace(bundle_text("partial"), "")
    return sorted({m.group(1) for m in _EXTERNAL.finditer(html)})


def _display(value: object) -> str:
    if isinstance(value, str):
        return value if value else '""'
    return json.dumps(value, ensure_ascii=False)


def export_html(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    parameters: Mapping[str, object] | None = None,
    fiscal_year: int | None = None,
    unit: str = "",
    lang: str = "th",
    notebook_name: str = "",
    inputs: Sequence[Mapping[str, str]] = (),
    run_time: str = "",
    assets: str = "inline",
    plotly_src: str = PLOTLY_JS_NAME,
    fingerprint: str = "",
    version: str = __version__,
    bundle: str = "auto",
    compact: bool = True,
) -> str:
    """Render an executed notebook as one report page.

    Parameters
    ----------
    nb
        The executed notebook (not modified).
    title
        Shown at the top and in ``<title>``; the notebook's first level-1 heading is dropped
        when it equals the title.
    parameters
        The parameters the notebook ran with, shown at the top and in the footer.
    fiscal_year, unit, lang
        What the report covers and its language (``"th"``/``"en"``), for the subtitle.
    notebook_name
        The notebook's file name, for the footer.
    inputs
        ``{"path": ..., "sha256": ...}`` for every input file, listed in the footer.
    run_time
        When the batch ran (ISO 8601), for the footer.
    assets
        ``"inline"`` puts plotly.js in the page; ``"shared"`` references ``plotly_src``.
    plotly_src
        Relative URL of the shared ``plotly.min.js`` (``assets="shared"`` only): the partial
        bundle; a report that needs the full bundle references ``plotly-full.min.js`` beside
        it.
    fingerprint
        Hash of the inputs and parameters, stored in a ``<meta>`` tag for ``changed_only``.
    version
        Package version for the footer.
    bundle
        ``"auto"``: the partial plotly.js bundle when it has every trace type of the figures,
        else the full one with a warning; ``"partial"`` or ``"full"`` force one.
    compact
        Leave out what the page cannot use, without changing what it shows: nbconvert's
        JupyterLab CSS pruned to the rules and custom properties the page can use
        (:func:`prune_page_css`), each plotly template once per page instead of once per
        figure, non-ASCII text in the figures' JSON unescaped. ``False`` gives nbconvert's page
        as it is (for comparisons).

    Returns
    -------
    str
        The HTML page: no code, no prompts, no external URL, plotly.js at most once.

    Raises
    ------
    ValueError
        Unknown ``assets``.
    """
    if assets not in ASSETS:
        raise ValueError(f"Unknown assets {assets!r}. Valid: {', '.join(ASSETS)}")
    if bundle not in ("auto", *SHARED_NAMES):
        raise ValueError(f"Unknown bundle {bundle!r}. Valid: auto, {', '.join(SHARED_NAMES)}")
    templates: dict[str, int] | None = {} if compact else None
    prepared, uses_plotly, trace_types = _prepare(nb, drop_title=title, templates=templates)
    words = labels(lang)
    # The browser tab and bookmarks: title, scope and period (nbconvert escapes it).
    prepared.metadata["title"] = (
        f"{title} — {scope_label(unit, lang)} · {period_label(fiscal_year, lang)}")
    shown = [(str(k), _display(v)) for k, v in (parameters or {}).items()]
    resources = {
        "metadata": {"name": prepared.metadata["title"]},
        "cleannet": {
            "title": title,
            "scope": scope_label(unit, lang),
            "period": period_label(fiscal_year, lang),
            "parameters": shown,
            "inputs": [dict(item) for item in inputs],
            "notebook": notebook_name,
            "run_time": run_time,
            "version": version,
            "fingerprint": fingerprint,
            "labels": words,
            "font_css": font_css(),
        },
    }
    exporter = _exporter()
    exporter.language_code = lang if lang in ("th", "en") else "en"
    html, _ = exporter.from_notebook_node(prepared, resources=resources)
    html = add_toc(html, words["contents"])
    html = prune_page_css(html) if compact else html.replace(_OWN_CSS_MARKER, "", 1)
    if bundle == "auto" and uses_plotly:
        bundle = choose_bundle(trace_types, notebook_name or title)
    if not uses_plotly:
        script = ""
    elif assets == "inline":
        script = f"{_PLOTLY_CONFIG_JS}\n<script>{bundle_text(bundle)}</script>"
    else:
        src = plotly_src
        if bundle == "full":
            src = posixpath.join(posixpath.dirname(plotly_src), SHARED_NAMES["full"])
        script = f'{_PLOTLY_CONFIG_JS}\n<script src="{html_lib.escape(src)}"></script>'
    if script and templates:
        script += _templates_script(templates)
    return html.replace(_PLOTLY_PLACEHOLDER, script, 1)
