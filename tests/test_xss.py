"""Spreadsheet text is inert: HTML and script in a unit, activity or comment show as text in the
reports and run nothing — checked in a real browser (Debian's chromium), not only by grep.

The raw data is the demo dataset written into a temporary folder and edited as an office could:
the unit with the most FY2551 survey answers (at least 10, so its comments are shown) is renamed
``<img src=x onerror="…"> [คลิก](javascript:…)`` (HTML, and a Markdown link for the narrative)
in ``units.xlsx`` and in every roster, attendance, sign-in and survey file; one FY2551 activity
is renamed ``</script><script>…</script>`` wherever it occurs (including a sign-in sheet's
title row); two of that unit's FY2551 comments become both payloads. The spreadsheets then go
through the real ingest and ``build_reports`` (the whole department and, ``--by unit``, that
unit): the product notebooks (``notebooks/``, or ``tests/notebooks`` until it holds any) plus
the survey probe of ``tests/browser.py``, which puts unit names into an HTML table, chart labels
and hover text, activities into a chart and a table, and the comments that may be shown into a
table.

Every page (reports and ``index.html``) is opened offline with traps installed before any of
its scripts: ``window.__xss`` collects what a payload would push, and ``alert``, ``confirm``,
``prompt`` and ``print`` are replaced by recorders. Every point of a bar or scatter chart that
carries a payload is hovered (``Plotly.Fx.hover``). The tests assert that nothing ran (no trap
fired, no element with an ``onerror`` attribute, no ``javascript:`` link, no request but the
page itself — a live ``<img src=x>`` would load ``x``), and that each payload is visible *as
text* in a table (``page.get_by_text``), in chart labels and in hover text. A control page
with the payloads pasted in unescaped shows that the traps do fire.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from browser import (
    FY,
    Visit,
    build_batch,
    chromium_executable,
    clear_screenshots,
    product_notebooks,
    screenshot_path,
    session_key,
    visit_all,
    write_probe_notebook,
)

UNIT = ('<img src=x onerror="window.__xss.push(\'unit\')"> '
        "[คลิก](javascript:window.__xss.push('link'))")
ACTIVITY = '</script><script>window.__xss.push("activity")</script>'
COMMENTS = (
    '<img src=x onerror="window.__xss.push(\'comment\')">',
    '</script><script>window.__xss.push("comment")</script>',
)
PAYLOADS = {"unit": UNIT, "activity": ACTIVITY, "comment 1": COMMENTS[0],
            "comment 2": COMMENTS[1]}

TRAPS = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__xss.push([name, ...args.map(String)]); };
}
"""

# Hover every point of a bar or scatter trace that carries a payload (in its category, name or
# text), and collect the hover labels' text. Plotly.Fx.hover is throttled: wait between hovers.
HOVER_ALL = """async () => {
  const texts = [];
  const pause = () => new Promise(r => setTimeout(r, 40));
  const evil = v => String(v === undefined || v === null ? '' : v).includes('__xss');
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const traces = gd._fullData || [];
    for (let c = 0; c < traces.length; c++) {
      const t = traces[c];
      if (!['bar', 'scatter'].includes(t.type)) continue;
      const n = Math.max((t.x || []).length, (t.y || []).length);
      for (let p = 0; p < n; p++) {
        const text = Array.isArray(t.text) ? t.text[p] : t.text;
        if (!(evil(t.name) || evil((t.x || [])[p]) || evil((t.y || [])[p]) || evil(text))) {
          continue;
        }
        try { window.Plotly.Fx.hover(gd, [{curveNumber: c, pointNumber: p}]); }
        catch (e) { continue; }
        await pause();
        const layer = gd.querySelector('.hoverlayer');
        if (layer && layer.textContent) texts.push(layer.textContent);
      }
      try { window.Plotly.Fx.unhover(gd); } catch (e) { /* nothing drawn */ }
    }
  }
  return texts;
}"""

AFTERMATH = """() => ({
  xss: window.__xss,
  scripted: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
    .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
      || e.getAttribute('formaction') || '')
    .filter(u => /^\\s*(javascript|vbscript|data:text\\/html)/i.test(u)),
  onerror: [...document.querySelectorAll('[onerror]')].map(e => e.outerHTML.slice(0, 120)),
  images: [...document.images].map(i => i.getAttribute('src') || '').filter(
    s => !s.startsWith('data:')),
  labels: [...document.querySelectorAll('.js-plotly-plot svg text')].map(t => t.textContent),
  body: document.body.innerText,
})"""


def _squash(text: str) -> str:
    """Text without whitespace: chart labels are wrapped onto lines at spaces."""
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return list(csv.reader(io.StringIO(data.decode(encoding)))), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path}: neither UTF-8 nor Windows-874")


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def make_evil_raw(raw: Path) -> dict[str, object]:
    """The demo spreadsheets with the payloads written in, as an office could type them."""
    from cleannet_eval.demo import write_demo

    write_demo(raw)
    survey, survey_encoding = _read_csv(raw / "survey_2551_google_forms.csv")
    unit, answers = Counter(row[1] for row in survey[1:]).most_common(1)[0]
    assert answers >= 10, "the renamed unit needs 10 answers for its comments to show"
    attendance, _ = _read_csv(raw / "attendance_2551.csv")
    activity = attendance[1][attendance[0].index("กิจกรรม")]

    def replace(value: object) -> object:
        if value == unit:
            return UNIT
        if isinstance(value, str) and activity in value:
            return value.replace(activity, ACTIVITY)
        return value

    for path in sorted(raw.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    cell.value = replace(cell.value)
        book.save(path)
    for path in sorted(raw.glob("*.csv")):
        rows, encoding = _read_csv(path)
        rows = [[replace(value) for value in row] for row in rows]
        if path.name == "survey_2551_google_forms.csv":
            mine = [row for row in rows[1:] if row[1] == UNIT]
            for row, comment in zip(mine, COMMENTS, strict=False):
                row[-1] = comment
        _write_csv(path, rows, encoding)
    assert survey_encoding == "utf-8-sig"
    return {"unit": unit, "activity": activity, "answers": answers}


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """Ingest the edited spreadsheets and build the reports of the department and the unit."""
    from cleannet_eval.ingest.pipeline import ingest

    chromium_executable()  # before building: a missing browser fails with what to install
    root = tmp_path_factory.mktemp("xss")
    raw, processed = root / "raw", root / "processed"
    renamed = make_evil_raw(raw)
    with session_key(root / "config"):
        dataset = ingest(raw, processed)
    notebooks, source = product_notebooks()
    probe = write_probe_notebook(root / "probe")
    batch = build_batch(raw, processed, root / "reports", notebooks=[*notebooks, probe],
                        notebooks_from=source, by="unit", units=[UNIT])
    return {"batch": batch, "dataset": dataset, "renamed": renamed}


@pytest.fixture(scope="module")
def seen(evil) -> dict[str, Visit]:
    batch = evil["batch"]
    clear_screenshots("xss")

    def poke(page, visit: Visit) -> None:
        visit.extra["hover"] = page.evaluate(HOVER_ALL)
        visit.extra.update(page.evaluate(AFTERMATH))
        visit.extra["as_text"] = {name: page.get_by_text(text, exact=True).count()
                                  for name, text in PAYLOADS.items()}

    jobs = [(r.key, batch.out / r.output,
             {"init_script": TRAPS, "then": poke, "inspect": False,
              "screenshot": screenshot_path("xss", r.key)})
            for r in batch.result.reports if r.status == "ok"]
    jobs.append(("index.html", batch.out / "index.html",
                 {"init_script": TRAPS, "then": poke, "inspect": False}))
    return visit_all(jobs, workers=2)


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------


def test_the_traps_catch_a_live_payload(tmp_path: Path) -> None:
    """Control: the same payloads pasted into a page *unescaped* do run and are caught, so a
    quiet trap in the reports means the text was inert, not that the trap was blind."""
    page = tmp_path / "live.html"
    page.write_text(f"<!doctype html><html><body><p>{UNIT}</p><div>{ACTIVITY}</div>"
                    f"<script>var s = '{ACTIVITY}';</script>"
                    "<a href='javascript:void(0)'>x</a></body></html>", encoding="utf-8")
    chromium_executable()
    seen = visit_all([("live", page, {"init_script": TRAPS, "inspect": False, "then": (
        lambda p, v: v.extra.update(p.evaluate(AFTERMATH)))})], workers=1)["live"]
    assert sorted(seen.extra["xss"]) == ["activity", "activity", "unit"]
    assert seen.extra["onerror"] and any(url.endswith("/x") for url in seen.requests)
    assert seen.extra["scripted"] == ["javascript:void(0)"]


def test_the_payloads_survive_ingest_unchanged(evil) -> None:
    dataset = evil["dataset"]
    assert UNIT in set(dataset.units["unit"])
    assert UNIT in set(dataset.roster["unit"]) and UNIT in set(dataset.attendance["unit"])
    mine = dataset.survey[(dataset.survey["unit"] == UNIT) & (dataset.survey["fiscal_year"] == FY)]
    assert len(mine) >= 10 and set(COMMENTS) <= set(mine["comment"].dropna())
    assert ACTIVITY in set(dataset.attendance["activity"])


def test_every_report_was_built(evil) -> None:
    result = evil["batch"].result
    assert result.exit_code == 0, result.summary()
    assert {r.unit for r in result.reports} == {"", UNIT}


def test_nothing_runs(seen: dict[str, Visit]) -> None:
    problems = []
    for name, page in seen.items():
        extra = page.extra
        problems += [f"{name}: a payload ran: {fired}" for fired in extra["xss"]]
        problems += [f"{name}: live element {html}" for html in extra["onerror"]]
        problems += [f"{name}: script link {url}" for url in extra["scripted"]]
        problems += [f"{name}: image {src!r}" for src in extra["images"]]
        problems += [f"{name}: request {url}" for url in page.requests if url != page.url]
        problems += [f"{name}: exception {error}" for error in page.page_errors]
        problems += [f"{name}: console {error}" for error in page.console_errors]
    assert not problems, "spreadsheet text ran in the browser:\n" + "\n".join(problems[:30])


def test_the_payloads_show_as_text_in_tables(seen: dict[str, Visit]) -> None:
    """``page.get_by_text(payload, exact=True)``: an element whose text is the payload."""
    shown = Counter()
    for page in seen.values():
        shown.update({name for name, count in page.extra["as_text"].items() if count})
    missing = [name for name in PAYLOADS if not shown[name]]
    assert not missing, f"not shown as text anywhere: {missing}"
    index = seen["index.html"].extra
    assert index["as_text"]["unit"] or UNIT in index["body"]


def test_the_payloads_show_as_text_in_chart_labels_and_hover_text(seen: dict[str, Visit]) -> None:
    labels = [_squash(text) for page in seen.values() for text in page.extra["labels"]]
    hovers = [_squash(text) for page in seen.values() for text in page.extra["hover"]]
    assert hovers, "no hover label was drawn"
    for name in ("unit", "activity"):
        needle = _squash(PAYLOADS[name])
        assert any(needle in label for label in labels), f"{name} not in any chart label"
        assert any(needle in hover for hover in hovers), f"{name} not in any hover text"
