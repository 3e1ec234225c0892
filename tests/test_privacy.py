"""Privacy: no name, national ID, small-group survey figure or secret leaves the pipeline.

The outputs checked are those of ``cleannet-eval report`` on the committed demo data (built once
per session by ``tests/browser.py``: processed tables, and for fiscal year 2551 the department
and a sample of units — see :func:`browser.sample_units` — in Thai plus the department in
English), from the product notebooks in ``config.NOTEBOOKS_DIR`` (``tests/notebooks`` while
that folder holds no ``.ipynb``), plus whatever ``data/processed/`` and ``reports/`` of the
checkout hold.

* **Names and national IDs (PDPA).** Every name (as typed, and without its title) and every
  13-digit number in ``data/raw`` is looked for in every file under the processed and report
  folders — Parquet cell by cell, everything else byte by byte in four readings: as UTF-8, with
  HTML entities decoded, with JSON ``\\uXXXX`` escapes decoded (plotly's chart JSON) and with
  percent-escapes decoded (anchors). IDs are also looked for dashed, in Thai digits and as
  floats. Only the plotly.js bundle and the Sarabun font data, byte-identical to the installed
  package files, are left out.
* **Small groups.** The demo's FY2551 has a unit with 3 survey answers (U). (1) No survey table
  (a table with an ``n`` and a mean column) of any report gives a number in U's row, and no
  chart data holds one of U's means. (2) Secondary suppression: in the department report's
  tables by unit, the hidden units together have at least 5 respondents and are never one
  alone, the department total minus the units shown is exactly their sum (so nothing smaller
  can be worked out), and no hidden unit's own report publishes its figures (a survey table
  with a number) — the subtraction across reports. (3) The reports of U and of a unit hidden to
  protect it do not depend on their answers: each gets one more respondent from the largest
  unit and swaps one answer sheet with it (same staff type and role: the department's totals
  and its staff-type and role groups do not change, and the package still hides the same
  units), and their reports stay byte-identical apart from the footer (input hashes, time).
* **Raw data** is byte-for-byte unchanged (and not rewritten) after the ingest and the reports.
* **The pseudonymisation key** (a random secret for this session, and a key file created by the
  ingest) appears, raw, hex or base64, in no processed file, no report and no file of the
  repository; a key file inside the repository is refused.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import shutil
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest
from browser import (
    FY,
    SESSION_KEY,
    demo_batches,
    product_notebooks,
    session_key,
    write_probe_notebook,
)

from cleannet_eval import config
from cleannet_eval.ingest.headers import FIELD_ALIASES, header_key
from cleannet_eval.ingest.privacy import clean_national_id
from cleannet_eval.ingest.thai import normalize_name, thai_to_arabic_digits

from conftest import REPO


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_batches(tmp_path_factory)


# --------------------------------------------------------------------------------------------
# Reading files every way a value can be written
# --------------------------------------------------------------------------------------------


def _package_blobs() -> list[str]:
    """Large strings copied verbatim from installed package files into every report."""
    from cleannet_eval.reports.bundles import bundle_text
    from cleannet_eval.reports.export import font_css, plotly_js

    return [plotly_js(), bundle_text("partial"), font_css()]


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_DATA_URI = re.compile(r"data:([\w.+/-]+)(?:;[\w=-]+)*;base64,([A-Za-z0-9+/=]+)")


def _unescape_json(text: str) -> str:
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\\/", "/")


def readings(path: Path) -> list[str]:
    """Every reading of a file in which a name or number could be found."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        texts = ["\n".join("" if v is None else str(v) for v in column.to_pylist())
                 for column in table.columns]
        metadata = table.schema.metadata or {}
        texts += [f"{k.decode('utf-8', 'replace')}={v.decode('utf-8', 'replace')}"
                  for k, v in metadata.items()]
        return texts
    text = path.read_bytes().decode("utf-8", "replace")
    for blob in _package_blobs():
        text = text.replace(blob, "")
    texts = [text, html.unescape(text)]
    texts.append(_unescape_json(texts[-1]))
    texts.append(unquote(texts[-1]))
    for kind, payload in _DATA_URI.findall(text):
        if not kind.startswith(("font/", "image/")):
            try:
                texts.append(base64.b64decode(payload).decode("utf-8", "replace"))
            except (binascii.Error, ValueError):
                continue
    return texts


def output_files(demo) -> list[Path]:
    """The processed tables and reports of the demo batches, and the checkout's own."""
    folders = [demo.thai.processed, demo.thai.out, demo.english.out]
    folders += [f for f in (config.PROCESSED_DATA_DIR, config.REPORTS_DIR) if f.is_dir()]
    files = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix != ".png" and "_screenshots" not in path.parts:
                files.append(path)
    return files


# --------------------------------------------------------------------------------------------
# Names and national IDs
# --------------------------------------------------------------------------------------------

_PERSON_FIELDS = {"name", "first_name", "last_name", "recruited_by"}
_ID_FIELDS = {"national_id", "recruited_by_id"}
_FIELD_OF = {header_key(alias): field for field, aliases in FIELD_ALIASES.items()
             for alias in aliases if field in _PERSON_FIELDS | _ID_FIELDS}
_THIRTEEN = re.compile(r"(?<!\d)(\d)[ \-]?(\d{4})[ \-]?(\d{5})[ \-]?(\d{2})[ \-]?(\d)(?!\d)")
_FLOAT_ID = re.compile(r"(?<![\d.])\d\.\d{1,12}e\+?12\b", re.I)
_PHRASE = re.compile(r"[\u0E00-\u0E7Fa-z]+(?:[ \u00a0]+[\u0E00-\u0E7Fa-z]+)*")


def _raw_rows(path: Path) -> Iterator[list[object]]:
    if path.suffix in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            yield from ([list(row) for row in sheet.iter_rows(values_only=True)] + [[None]])
        book.close()
    elif path.suffix == ".csv":
        import csv
        import io

        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp874")
        yield from csv.reader(io.StringIO(text))


def raw_people(raw: Path) -> tuple[set[str], set[str]]:
    """Names (normalised: no title, single spaces, case-folded) and 13-digit IDs in ``raw``.

    A name is a cell under a name or recruiter header (or first + last name); an ID is any cell
    anywhere that holds 13 digits (dashes, spaces and Thai digits allowed).
    """
    names: set[str] = set()
    ids: set[str] = set()
    for path in sorted(raw.rglob("*")):
        columns: dict[int, str] = {}
        for row in _raw_rows(path):
            if row == [None]:
                columns = {}
                continue
            keys = {i: _FIELD_OF.get(header_key(v)) for i, v in enumerate(row) if v is not None}
            if any(keys.values()) and not columns:
                columns = {i: f for i, f in keys.items() if f}
                continue
            for value in row:
                digits = clean_national_id(value) if value is not None else None
                if digits and len(digits) == 13 and digits.isdigit():
                    ids.add(digits)
            first = last = None
            for i, field in columns.items():
                value = row[i] if i < len(row) else None
                if value in (None, ""):
                    continue
                if field in ("name", "recruited_by"):
                    name = normalize_name(value)
                    if name:
                        names.add(name)
                elif field == "first_name":
                    first = str(value)
                elif field == "last_name":
                    last = str(value)
            if first and last:
                names.add(normalize_name(f"{first} {last}") or "")
    names.discard("")
    return names, ids


def ids_in(text: str) -> set[str]:
    """13-digit numbers in ``text``: plain, dashed or spaced, in Thai digits, or as floats."""
    text = thai_to_arabic_digits(text)
    found = {"".join(m.groups()) for m in _THIRTEEN.finditer(text)}
    for m in _FLOAT_ID.finditer(text):
        found.add(str(int(float(m.group(0)))))
    return found


def test_the_raw_data_has_names_and_ids_to_look_for() -> None:
    names, ids = raw_people(config.RAW_DATA_DIR)
    assert len(names) > 100 and len(ids) > 100, (len(names), len(ids))
    assert all(" " in name for name in names), "a full name has a first name and a surname"


def test_no_name_or_national_id_in_processed_data_or_reports(demo) -> None:
    names, ids = raw_people(config.RAW_DATA_DIR)
    phrases: set[str] = set()
    leaked_ids: dict[str, str] = {}
    files = output_files(demo)
    for path in files:
        for text in readings(path):
            phrases.update(_PHRASE.findall(text.casefold()))
            for number in ids_in(text) & ids:
                leaked_ids.setdefault(number[:4] + "…", str(path))
    blob = "\n".join(phrases)
    leaked_names = sorted({name for name in names
                           if name in blob or name.replace(" ", "") in blob})
    assert len(files) > 20 and any(p.suffix == ".parquet" for p in files)
    assert not leaked_ids, f"national IDs found (first 4 digits → file): {leaked_ids}"
    assert not leaked_names, (
        f"{len(leaked_names)} names from data/raw found in outputs, e.g. "
        f"{[n[:3] + '…' for n in leaked_names[:5]]}")


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    """Control: a name and an ID hidden the ways the scan reads do get found."""
    names, ids = raw_people(config.RAW_DATA_DIR)
    name, number = sorted(names)[0], sorted(ids)[0]
    dashed = f"{number[0]}-{number[1:5]}-{number[5:10]}-{number[10:12]}-{number[12]}"
    page = tmp_path / "page.html"
    page.write_text(
        "<script>Plotly.newPlot('p', " + json.dumps([{"y": [name.upper()]}]) + ")</script>"
        f"<p>{html.escape(dashed).replace('-', '&#45;')}</p>", encoding="utf-8")
    texts = readings(page)
    assert any(name in _PHRASE.findall(t.casefold()) for t in texts)
    assert any(number in ids_in(t) for t in texts)
    frame = pd.DataFrame({"x": [f"{name}"], "n": [float(number)]})
    frame.to_parquet(tmp_path / "t.parquet")
    texts = readings(tmp_path / "t.parquet")
    assert any(name in t for t in texts) and any(number in ids_in(t) for t in texts)


# --------------------------------------------------------------------------------------------
# Raw data and the key
# --------------------------------------------------------------------------------------------


def test_data_raw_is_byte_for_byte_unchanged_after_ingest_and_report(demo) -> None:
    assert demo.thai.result.ingested is False  # the fixture ingested first, from data/raw
    assert demo.raw_before, "data/raw is empty"
    assert demo.raw_after == demo.raw_before


def _secret_forms(secret: bytes) -> list[bytes]:
    return [secret, secret.hex().encode(), base64.b64encode(secret),
            base64.urlsafe_b64encode(secret), base64.b64encode(secret).rstrip(b"=")]


def _files_holding(forms: list[bytes], folders: list[Path], skip: tuple[str, ...] = ()
                   ) -> list[str]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if any(part in skip for part in path.relative_to(folder).parts):
                continue
            if not path.is_file() or path.is_symlink():
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            found += [str(path) for form in forms if form in data]
    return found


def test_the_session_key_is_in_no_output_and_nowhere_in_the_repository(demo) -> None:
    forms = _secret_forms(SESSION_KEY.encode())
    outputs = [demo.thai.processed, demo.thai.out, demo.english.out]
    assert not _files_holding(forms, outputs)
    assert not _files_holding(forms, [REPO], skip=(".venv", ".git"))


def test_a_key_file_created_by_the_ingest_stays_outside_and_out_of_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleannet_eval.errors import ConfigError
    from cleannet_eval.ingest.pipeline import ingest
    from cleannet_eval.ingest.privacy import load_key
    from cleannet_eval.reports import build_reports

    monkeypatch.delenv(config.KEY_ENV_VAR, raising=False)
    monkeypatch.delenv(config.KEY_FILE_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    processed, out = tmp_path / "processed", tmp_path / "reports"
    ingest(config.RAW_DATA_DIR, processed)
    key_file = config.default_key_file()
    assert key_file.is_file() and not key_file.resolve().is_relative_to(REPO)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_bytes().strip()
    assert len(secret) >= 32
    notebooks, _ = product_notebooks()
    result = build_reports(config.RAW_DATA_DIR, processed, out, fiscal_years=[FY],
                           notebooks_dir=notebooks[:1], quiet=True)
    assert result.exit_code == 0, result.summary()
    forms = _secret_forms(secret)
    assert not _files_holding(forms, [processed, out])
    assert not _files_holding(forms, [REPO], skip=(".venv", ".git"))

    inside = REPO / "data" / "processed" / "pseudonym.key"
    monkeypatch.setenv(config.KEY_FILE_ENV_VAR, str(inside))
    with pytest.raises(ConfigError, match="outside the project folder"):
        load_key()
    assert not inside.exists()


# --------------------------------------------------------------------------------------------
# Small groups
# --------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_COMMA = re.compile(r"\s*,?\s*")
_NON_REPORT_TABLES = ("cleannet-params", "cleannet-footer-params", "cleannet-inputs")


class _Tables(HTMLParser):
    """Every ``<table>`` of a report's body as rows of cell texts (header row first)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._skip = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            classes = dict(attrs).get("class") or ""
            if self._skip or any(c in classes for c in _NON_REPORT_TABLES):
                self._skip += 1
            else:
                self.tables.append([])
        elif self._skip:
            return
        elif tag == "tr" and self.tables:
            self._row = []
            self.tables[-1].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._skip:
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(page: Path) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return [t for t in parser.tables if t]


def is_survey_table(table: list[list[str]]) -> bool:
    """A table of survey figures: it has an ``n`` column and a mean column."""
    header = [h.strip().casefold() for h in table[0]]
    return "n" in header and bool({"x̄", "mean", "ค่าเฉลี่ย"} & set(header))


def numbers(cells: list[str]) -> list[str]:
    return [c for c in cells if _NUMBER.fullmatch(c)]


def _year_survey(demo) -> tuple[pd.DataFrame, object]:
    from cleannet_eval.dataset import read_processed

    dataset = read_processed(demo.thai.processed)
    survey = dataset.survey
    return survey[survey["fiscal_year"] == FY], dataset


def _small_unit(demo) -> str:
    small = [u for u, why in demo.units.items() if why.endswith(" survey answers")]
    assert small, f"the demo's FY{FY} has no unit with 1–4 survey answers and a report"
    return small[0]


def _pages(demo) -> list[tuple[str, str, Path]]:
    return [(batch.lang, r.unit, batch.out / r.output) for batch in demo.batches
            for r in batch.result.reports if r.status == "ok"]


def test_a_small_unit_gets_no_number_in_any_survey_table_or_chart(demo) -> None:
    """U's row of every survey table has no number; U's own reports have no survey table with
    numbers; no chart point labelled with U's name shows one of U's means."""
    from cleannet_eval.analysis import factor_table

    unit = _small_unit(demo)
    year, dataset = _year_survey(demo)
    mine = year[year["unit"] == unit]
    answers = len(mine)
    assert 1 <= answers < config.MIN_GROUP_SIZE
    means = factor_table(mine, dataset.instrument, min_group_size=1)["mean"].dropna()
    means = means.to_numpy(dtype=float)
    problems, survey_tables, charts_seen = [], 0, 0
    for lang, scope, page in _pages(demo):
        where = f"{page.name} ({scope or 'department'}, {lang})"
        for table in tables(page):
            if not is_survey_table(table):
                continue
            survey_tables += 1
            for row in table[1:]:
                if unit in row[:2] and numbers(row):
                    problems.append(f"{where}: row {row}")
            if scope == unit and any(numbers(row) for row in table[1:]):
                problems.append(f"{where}: a survey table with numbers: {table[:3]}")
        for trace in chart_traces(page.read_text(encoding="utf-8")):
            charts_seen += 1
            problems += [f"{where}: chart point {point}"
                         for point in unit_points(trace, unit, means)]
    assert survey_tables and charts_seen, "no survey table or chart: nothing was checked"
    assert not problems, f"survey figures of {unit} ({answers} answers):\n" + "\n".join(
        problems[:20])


def chart_traces(page_html: str) -> Iterator[dict]:
    """The traces of every ``Plotly.newPlot`` call of a page (its JSON, typed arrays decoded)."""
    for blob in _package_blobs():
        page_html = page_html.replace(blob, "")
    decoder = json.JSONDecoder()
    for match in re.finditer(r"Plotly\.newPlot\(\s*", page_html):
        try:
            _, position = decoder.raw_decode(page_html, match.end())  # the div id
            position = _COMMA.match(page_html, position).end()
            data, _ = decoder.raw_decode(page_html, position)
        except json.JSONDecodeError:
            continue
        for trace in data if isinstance(data, list) else []:
            yield _decoded(trace)


def _decoded(value: object) -> object:
    """Plotly JSON with ``{"dtype", "bdata"}`` typed arrays turned into lists."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return array.reshape(value["shape"]).tolist() if "shape" in value else array.tolist()
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def _names(label: object, unit: str) -> bool:
    text = html.unescape(re.sub(r"<br\s*/?>", "", str(label)))
    return unit.replace(" ", "") in text.replace(" ", "")


def _numbers_in(value: object) -> list[float]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [] if np.isnan(value) else [float(value)]
    if isinstance(value, str):
        return [float(m.replace(",", "")) for m in _NUMBER.findall(value)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers_in(v)]
    return []


def unit_points(trace: dict, unit: str, means: np.ndarray) -> list[str]:
    """Points of a trace labelled with ``unit`` (by category, or by the trace's name) whose
    value, text, hover text or custom data is one of ``means`` (exact, or rounded to 2 or 4
    decimals as tables and charts print them)."""
    targets = np.concatenate([means, np.round(means, 2), np.round(means, 4)])
    whole = _names(trace.get("name", ""), unit)
    found = []
    for axis, other in (("x", "y"), ("y", "x"), ("labels", "values")):
        labels = trace.get(axis)
        if not isinstance(labels, list):
            continue
        for i, label in enumerate(labels):
            if not (whole or _names(label, unit)):
                continue
            shown = []
            for key in (other, "text", "hovertext", "customdata"):
                series = trace.get(key)
                if isinstance(series, list) and i < len(series):
                    shown += _numbers_in(series[i])
            hits = [v for v in shown if np.isclose(targets, v, rtol=0, atol=1e-9).any()]
            if hits:
                found.append(f"{trace.get('type', 'trace')} {label!r} → {hits}")
    return found


def _measures(year: pd.DataFrame, instrument: object) -> dict[str, tuple[pd.Series, int]]:
    """Every count a table's ``n`` column can be: respondents, or the respondents scored on a
    factor (or overall) — per unit, and for the whole department."""
    from cleannet_eval.analysis import factor_table

    by_unit = factor_table(year, instrument, by="unit", min_group_size=1)
    whole = factor_table(year, instrument, min_group_size=1).set_index("factor")["n"]
    out = {"respondents": (year["unit"].value_counts(), len(year))}
    for factor, rows in by_unit.groupby("factor"):
        out[str(factor)] = (rows.set_index("unit")["n"].astype(int), int(whole[factor]))
    return out


def subtraction_problems(table: list[list[str]], measures: dict, answered: set[str]
                         ) -> tuple[list[str], list[str]] | None:
    """Check one department survey table by unit; ``None`` if it is not one.

    Which count the ``n`` column shows is found by matching its numbers to the data; then the
    units it hides must be none or at least two, with at least 5 respondents together, and the
    department total minus the units shown must be exactly their sum.

    Returns
    -------
    (problems, hidden units)
    """
    rows = [row for row in table[1:] if row and row[0] in answered]
    labels = [row[0] for row in rows]
    if not is_survey_table(table) or len(rows) < 2 or len(set(labels)) < len(labels):
        return None
    n_col = [h.strip().casefold() for h in table[0]].index("n")
    shown = {row[0]: int(row[n_col].replace(",", "")) for row in rows
             if _NUMBER.fullmatch(row[n_col])}
    matching = [m for m, (per_unit, _) in measures.items()
                if all(per_unit.get(u) == n for u, n in shown.items())]
    if not matching:
        return ["its n matches no count of the data"], []
    per_unit, total = measures[matching[0]]
    hidden = sorted(u for u in answered - set(shown) if per_unit.get(u, 0) > 0)
    together = int(sum(per_unit[u] for u in hidden))
    problems = []
    if len(hidden) == 1:
        problems.append(f"only {hidden[0]} is hidden ({together}): total − shown gives it")
    if hidden and together < config.MIN_GROUP_SIZE:
        problems.append(f"the hidden units {hidden} have {together} together")
    remainder = total - sum(shown.values())
    if remainder != together:
        problems.append(f"total {total} − shown units = {remainder}, but the hidden units "
                        f"have {together}")
    return problems, hidden


def test_the_subtraction_check_catches_a_lone_hidden_unit() -> None:
    """Control for the check below, on a made-up table."""
    measures = {"respondents": (pd.Series({"A": 3, "B": 12, "C": 7}), 22)}
    header = ["หน่วยงาน", "n", "X̄"]
    lone = [header, ["A", "n < 5", "n < 5"], ["B", "12", "3.90"], ["C", "7", "4.01"]]
    pair = [header, ["A", "n < 5", "n < 5"], ["B", "12", "3.90"], ["C", "n < 5", "n < 5"]]
    problems, hidden = subtraction_problems(lone, measures, {"A", "B", "C"})
    assert hidden == ["A"] and any("only A is hidden" in p for p in problems)
    assert subtraction_problems(pair, measures, {"A", "B", "C"}) == ([], ["A", "C"])


def test_hidden_units_cannot_be_worked_out_by_subtraction(demo) -> None:
    """Every department survey table by unit passes :func:`subtraction_problems`, and no
    unit it hides shows a survey table with numbers in its own reports (else: total − shown −
    that unit = the small unit)."""
    from cleannet_eval.reports import units_with_data

    year, dataset = _year_survey(demo)
    measures = _measures(year, dataset.instrument)
    answered = set(year["unit"].dropna())
    with_reports = set(units_with_data(dataset, FY))
    own_reports: dict[str, list[Path]] = {}
    for r in demo.thai.result.reports:
        if r.status == "ok" and r.unit:
            own_reports.setdefault(r.unit, []).append(demo.thai.out / r.output)
    checked, problems = 0, []
    for lang, scope, page in _pages(demo):
        if scope:
            continue
        for table in tables(page):
            found = subtraction_problems(table, measures, answered)
            if found is None:
                continue
            checked += 1
            where = f"{page.name} ({lang}) table {table[0][:3]}…"
            problems += [f"{where}: {problem}" for problem in found[0]]
            for unit in found[1]:
                if unit in with_reports:
                    assert own_reports.get(unit), f"{unit} is hidden; its reports were not built"
                for report in own_reports.get(unit, []):
                    for own in tables(report):
                        if is_survey_table(own) and any(numbers(r) for r in own[1:]):
                            problems.append(f"{unit} is hidden in {page.name} but its own "
                                            f"{report.name} shows {own[:2]}")
    assert checked, "no department table lists the units' survey figures: nothing was checked"
    assert not problems, "\n".join(problems[:20])


# --------------------------------------------------------------------------------------------
# A small unit's reports do not depend on its answers
# --------------------------------------------------------------------------------------------

_FOOTER = re.compile(r'<footer class="cleannet-footer">[\s\S]*?</footer>')
_FINGERPRINT = re.compile(r'<meta\b[^>]*name="cleannet-fingerprint"[^>]*>')


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _unit_reports(raw: Path, processed: Path, out: Path, notebooks: list[Path],
                  units: list[str]) -> dict[str, str]:
    """Build only these units' reports (no department), with the pipeline's own job runner;
    return each page without its footer and fingerprint."""
    from cleannet_eval.reports import RunSettings, expand_grid, run_job
    from cleannet_eval.reports.inputs import input_files, instrument_parameter

    base = {"raw_dir": str(raw), "processed_dir": str(processed),
            "bands": config.DEFAULT_BANDS, "instrument": instrument_parameter(processed)}
    jobs = [job for job in expand_grid(processed, notebooks, fiscal_years=[FY], by="unit",
                                       units=units, parameters=base) if job.unit in units]
    settings = RunSettings(out_dir=str(out), inputs=tuple(input_files(raw, processed)))

    def run(job):
        return run_job(job, settings, {"path": job.notebook.name, "sha256": ""}, "")

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, jobs))
    failed = [r.line() for r in results if r.status != "ok"]
    assert not failed, failed
    pages = {}
    for result in results:
        text = (out / result.output).read_text(encoding="utf-8")
        pages[result.key] = _FINGERPRINT.sub("", _FOOTER.sub("", text))
    return pages


def _hidden_in_department(demo) -> list[str]:
    """Units with FY answers that a department survey table by unit shows without a number."""
    year, _ = _year_survey(demo)
    answered = set(year["unit"].dropna())
    hidden: list[str] = []
    for r in demo.thai.result.reports:
        if r.status != "ok" or r.unit:
            continue
        for table in tables(demo.thai.out / r.output):
            rows = [row for row in table[1:] if row and row[0] in answered]
            if is_survey_table(table) and len(rows) >= 2:
                n_col = [h.strip().casefold() for h in table[0]].index("n")
                shown = {row[0] for row in rows if _NUMBER.fullmatch(row[n_col])}
                hidden += sorted(answered - shown - set(hidden))
    return hidden


def _hidden_sets(survey: pd.DataFrame, instrument: object) -> tuple[set, set]:
    """What the package hides in FY: the year × unit table (overall), the headline summary."""
    from cleannet_eval.analysis import factor_table, survey_summary

    cross = factor_table(survey, instrument, by=["fiscal_year", "unit"])
    cross = cross[(cross["fiscal_year"] == FY) & (cross["factor"] == "overall")]
    units = set(survey.loc[survey["fiscal_year"] == FY, "unit"].dropna())
    summary = {u for u in units if survey_summary(survey, instrument, fiscal_year=FY,
                                                  unit=u)["survey"]["suppressed"]}
    return set(cross.loc[cross["suppressed"], "unit"]), summary


def test_hidden_units_reports_do_not_depend_on_their_answers(demo, tmp_path: Path) -> None:
    """The small unit and a unit hidden to protect it: each gets one more respondent (from the
    largest unit; still hidden) and swaps one answer sheet with that unit (same staff type and
    role). The department's totals and every group but these change nothing, so a report of a
    hidden unit that changes prints something computed from its answers."""
    year, dataset = _year_survey(demo)
    small = _small_unit(demo)
    hidden = [small] + [u for u in _hidden_in_department(demo) if u != small][:1]
    survey = pd.read_parquet(demo.thai.processed / "survey.parquet")
    in_year = survey["fiscal_year"] == FY
    biggest = survey[in_year]["unit"].value_counts().index[0]
    donors = list(survey.index[in_year & (survey["unit"] == biggest)])
    items = [c for c in survey.columns if re.fullmatch(r"[A-Z]+\d+", str(c))]
    assert items, "no item columns"
    changed = survey.copy()
    for unit in hidden:
        mine = survey.index[in_year & (survey["unit"] == unit)]
        changed.loc[donors.pop(), "unit"] = unit
        kind = survey.loc[mine[0], ["staff_type", "role"]]
        partner = next((d for d in donors if (survey.loc[d, ["staff_type", "role"]] == kind).all()),
                       donors[0])
        donors.remove(partner)
        changed.loc[[mine[0], partner], items] = survey.loc[[partner, mine[0]], items].to_numpy()
    assert _hidden_sets(changed, dataset.instrument) == _hidden_sets(survey, dataset.instrument), \
        "the change would alter what the package hides: the test needs another donor"

    processed = tmp_path / "processed"
    shutil.copytree(demo.thai.processed, processed)
    notebooks, source = product_notebooks()
    if not source.startswith("notebooks/"):  # no survey content in the fallback notebooks
        notebooks = [*notebooks, write_probe_notebook(tmp_path / "probe")]
    with session_key(tmp_path / "config"):
        before = _unit_reports(config.RAW_DATA_DIR, processed, tmp_path / "a", notebooks, hidden)
        changed.to_parquet(processed / "survey.parquet", index=False)
        after = _unit_reports(config.RAW_DATA_DIR, processed, tmp_path / "b", notebooks, hidden)
    assert before.keys() == after.keys() and before
    differ = []
    for key in before:
        if before[key] != after[key]:
            a, b = before[key], after[key]
            at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
            differ.append(f"{key}: …{_text(a[at - 200:at + 60])}… became "
                          f"…{_text(b[at - 200:at + 60])}…")
    answers = {u: int((year["unit"] == u).sum()) for u in hidden}
    assert not differ, (f"reports of hidden units ({answers} answers) change with their "
                        "answers:\n" + "\n".join(differ))
