"""The catalogue of displayed words (``data/words/words.yaml``) and :mod:`cleannet_eval.i18n`.

* Every entry has Thai and English text, with the same placeholders (save an entry's declared
  ``extra`` ones, which must really be only in that language).
* Every word the code asks for is in the catalogue, and every word of the catalogue is asked
  for: keys are found in the package's own source (``i18n`` calls with a literal key, chart
  words through ``charts.theme.text``, report words through ``labels()`` and the report
  templates, vocabularies whose entries are data codes).
* The views the modules keep (``TEXT``, ``LEVEL_LABELS`` …) are the catalogue's words.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest
import yaml

from cleannet_eval import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "cleannet_eval"
NOTEBOOKS = PACKAGE.parent / "notebooks"
RAW = yaml.safe_load(i18n.CATALOGUE.read_text(encoding="utf-8"))
KEYS = [f"{area}.{name}" for area, words in RAW.items() for name in words]
#: The names of an i18n function whose first argument is a full key (``text("chart.mean")``).
KEY_CALLS = {"text", "words", "entry", "placeholders", "extra_placeholders"}
#: The i18n functions that read a whole area (``area("report", lang)``, ``entries("role")``).
AREA_CALLS = {"area", "entries"}
#: Chart words asked for with a key computed at run time, and where.
DYNAMIC_CHART_WORDS = {"leader", "member"}  # charts/network.py: text(role, lang)


def _fields(words: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(words) if name is not None}


def _sources() -> dict[str, ast.Module]:
    """Every package module, and the code cells of every notebook."""
    trees = {str(p.relative_to(PACKAGE.parent)): ast.parse(p.read_text(encoding="utf-8"))
             for p in sorted(PACKAGE.rglob("*.py"))}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        trees[str(path.relative_to(PACKAGE.parent))] = ast.parse(code)
    return trees


SOURCES = _sources()


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _first_literal(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _chart_text_modules() -> set[str]:
    """Modules where ``text(...)`` is :func:`cleannet_eval.charts.theme.text` (short names)."""
    found = {"cleannet_eval/charts/theme.py"}
    for where, tree in SOURCES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("theme") and \
                    any(a.name == "text" and a.asname is None for a in node.names):
                found.add(where)
    return found


def _used() -> tuple[dict[str, list[str]], set[str], set[str], set[str]]:
    """``(full keys → where, areas read whole, chart names, report names)`` from the code."""
    keys: dict[str, list[str]] = {}
    areas: set[str] = set()
    chart: set[str] = set(DYNAMIC_CHART_WORDS)
    report: set[str] = set()
    chart_modules = _chart_text_modules()
    for where, tree in SOURCES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name, first = _name(node.func), _first_literal(node)
                if first is None:
                    continue
                if name in KEY_CALLS and "." in first and first.split(".")[0] in RAW:
                    keys.setdefault(first, []).append(where)
                elif name == "text" and where in chart_modules and "." not in first:
                    chart.add(first)
                elif name in AREA_CALLS:
                    areas.add(first)
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                # report words: words = labels(lang); words["contents"] / labels(lang)["unit"]
                base = node.value
                is_report = (isinstance(base, ast.Name) and base.id == "words") or (
                    isinstance(base, ast.Call) and _name(base.func) == "labels")
                if is_report and where.startswith("cleannet_eval/reports/"):
                    report.add(str(node.slice.value))
    for template in (PACKAGE / "data" / "templates").rglob("*.j2"):
        report |= set(re.findall(r"\b(?:words|labels)\.([a-z_]+)",
                                 template.read_text(encoding="utf-8")))
    return keys, areas, chart, report


USED_KEYS, USED_AREAS, CHART_NAMES, REPORT_NAMES = _used()


def _literals() -> set[str]:
    """Every string literal of the package and its notebooks, and every word of its YAML data
    (the codes of a vocabulary are data: staff types, factor keys, test names)."""
    found: set[str] = set()
    for tree in SOURCES.values():
        found |= {n.value for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for path in (PACKAGE / "data" / "instruments").rglob("*.yaml"):
        found |= set(re.findall(r"[a-z_]+", path.read_text(encoding="utf-8")))
    return found


def test_every_entry_has_thai_and_english_text():
    assert KEYS, "the catalogue is empty"
    for key in KEYS:
        area, name = key.split(".")
        item = RAW[area][name]
        assert set(item) <= {"th", "en", "extra"}, key
        for lang in ("th", "en"):
            assert isinstance(item.get(lang), str) and item[lang].strip(), f"{key}: no {lang}"


def test_placeholders_match_between_languages():
    for key in KEYS:
        area, name = key.split(".")
        item = RAW[area][name]
        extra = item.get("extra") or {}
        th, en = _fields(item["th"]), _fields(item["en"])
        assert th - set(extra.get("th", ())) == en - set(extra.get("en", ())), key
        for lang, names in extra.items():
            other = en if lang == "th" else th
            mine = th if lang == "th" else en
            assert set(names) <= mine and not set(names) & other, \
                f"{key}: extra {lang} placeholders {names} must be in {lang} only"


def test_every_key_the_code_asks_for_exists():
    assert USED_KEYS and USED_AREAS and CHART_NAMES and REPORT_NAMES
    missing = {key: where for key, where in USED_KEYS.items() if key not in KEYS}
    assert not missing, f"keys used by the code but not in words.yaml: {missing}"
    assert set(RAW) >= USED_AREAS, USED_AREAS - set(RAW)
    chart = set(RAW["chart"]) | {"unknown"}  # theme.text("unknown") is group.not_stated
    assert chart >= CHART_NAMES, f"chart words not in words.yaml: {CHART_NAMES - chart}"
    assert set(RAW["report"]) >= REPORT_NAMES, REPORT_NAMES - set(RAW["report"])


def test_no_key_is_unused():
    literals = _literals()
    unused = []
    for key in KEYS:
        area, name = key.split(".")
        if key in USED_KEYS:
            continue
        if area not in USED_AREAS:
            unused.append(key)
        elif area == "chart":
            unused += [key] if name not in CHART_NAMES else []
        elif area == "report":
            unused += [key] if name not in REPORT_NAMES else []
        elif area == "level":
            unused += [key] if not (name.isdigit() and 1 <= int(name) <= 5) else []
        elif name not in literals:
            unused.append(key)
    assert not unused, f"words nothing asks for (remove them or use them): {unused}"


def test_text_fills_placeholders_and_refuses_what_is_wrong():
    assert i18n.text("chart.gini", "en", gini="0.41", median="3") == \
        "Gini coefficient 0.41 · median 3"
    assert i18n.text("chart.gini", "th", gini="0.41", median="3") == \
        "สัมประสิทธิ์จีนี 0.41 · มัธยฐาน 3 คน"
    assert i18n.text("period.fiscal_year", "th", year=2551, span="2007–08") == "ปีงบประมาณ 2551"
    with pytest.raises(i18n.WordError, match=r"unknown word 'chart\.nope'"):
        i18n.text("chart.nope", "th")
    with pytest.raises(i18n.WordError, match="Unsupported language 'fr'"):
        i18n.text("chart.mean", "fr")
    with pytest.raises(i18n.WordError, match=r"needs a value for \{median\}; given: gini"):
        i18n.text("chart.gini", "en", gini="0.41")
    with pytest.raises(i18n.WordError, match="unknown area"):
        i18n.area("nope", "th")
    # still the exceptions callers caught before the catalogue
    with pytest.raises(KeyError):
        i18n.text("chart.nope", "th")
    with pytest.raises(ValueError):
        i18n.text("chart.mean", "xx")


def test_a_malformed_catalogue_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "words.yaml"
    for content, message in [("chart:\n  mean: {th: ค่าเฉลี่ย}\n", "chart.mean: no en text"),
                             ("chart:\n  mean: {th: 'ค่า {x', en: Mean}\n", "literal brace"),
                             ("- a\n", "areas of words")]:
        bad.write_text(content, encoding="utf-8")
        monkeypatch.setattr(i18n, "CATALOGUE", bad)
        i18n._catalogue.cache_clear()
        try:
            with pytest.raises(i18n.WordError, match=message):
                i18n.keys()
        finally:
            monkeypatch.undo()
            i18n._catalogue.cache_clear()
    assert i18n.keys() == tuple(KEYS)


def test_the_modules_views_are_the_catalogues_words():
    from cleannet_eval import disclosure, narrative, vocab
    from cleannet_eval.analysis import bands, scoring
    from cleannet_eval.charts import theme
    from cleannet_eval.reports import labels

    for lang in ("th", "en"):
        assert labels.labels(lang) == {n: RAW["report"][n][lang] for n in RAW["report"]}
        assert {k: v for k, v in theme.TEXT[lang].items() if k != "unknown"} == \
            {n: RAW["chart"][n][lang] for n in RAW["chart"]}
        assert theme.TEXT[lang]["unknown"] == RAW["group"]["not_stated"][lang]
        assert narrative.BY_NAMES[lang] == {n: RAW["by"][n][lang] for n in RAW["by"]}
    assert list(vocab.STAFF_TYPES) == list(RAW["staff_type"])  # order: the codes' order
    assert RAW["role"] == vocab.ROLES and RAW["left_reason"] == vocab.LEFT_REASONS
    assert list(bands.LEVEL_LABELS) == [5, 4, 3, 2, 1]
    assert bands.LEVEL_LABELS[5] == RAW["level"]["5"]
    assert RAW["group"]["overall"] == scoring.OVERALL_NAMES
    assert RAW["suppression"]["secondary"] == disclosure.SECONDARY_LABELS
    assert RAW["factor_advice"] == narrative.FACTOR_ADVICE
    assert RAW["name"]["coordination_centre"]["th"] == narrative.COORDINATION_CENTRE


def test_one_group_label_for_charts_and_the_score_table():
    from cleannet_eval.charts.theme import group_label
    from cleannet_eval.render.score_table import render_factor_table
    from cleannet_eval.vocab import group_label as vocab_group_label

    for lang in ("th", "en"):
        for column, value in [("staff_type", "citizen"), ("role", "leader"), ("role", None),
                              ("unit", "กองคลัง"), ("staff_type", "no_such_code")]:
            assert group_label(column, value, lang) == vocab_group_label(column, value, lang)
    assert group_label("fiscal_year", 2551, "th") == "ปีงบประมาณ 2551"
    assert vocab_group_label("staff_type", float("nan"), "th") == "ไม่ระบุ"
    table = __import__("pandas").DataFrame({
        "role": ["leader", None], "factor": ["overall"] * 2, "name_th": ["ภาพรวม"] * 2,
        "name_en": ["Overall"] * 2, "n": [9, 9], "mean": [4.0, 3.0], "sd": [0.5, 0.5],
        "level_th": ["มาก", "ปานกลาง"], "level_en": ["High", "Moderate"], "rank": [None, None],
        "suppressed": [False, False]})
    out = render_factor_table(table, "table", lang="en")
    assert "Network leader" in out and "Not stated" in out and "Role" in out


def test_a_changed_word_rebuilds_the_reports(tmp_path, monkeypatch):
    from cleannet_eval import config
    from cleannet_eval.reports.inputs import template_digest

    data = tmp_path / "data"
    (data / "words").mkdir(parents=True)
    for folder in ("templates", "fonts"):
        (data / folder).symlink_to(config.PACKAGE_DATA_DIR / folder, target_is_directory=True)
    words = data / "words" / "words.yaml"
    words.write_text(i18n.CATALOGUE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(config, "PACKAGE_DATA_DIR", data)
    before = template_digest()
    words.write_text(words.read_text(encoding="utf-8").replace('"ค่าเฉลี่ย"', '"ค่ากลาง"'),
                     encoding="utf-8")
    assert template_digest() != before


@pytest.mark.parametrize("area_name, aliases", [("staff_type", "STAFF_TYPE_ALIASES"),
                                                 ("role", "ROLE_ALIASES"),
                                                 ("left_reason", "LEFT_REASON_ALIASES")])
def test_a_vocabulary_label_is_read_back_by_the_ingest(area_name, aliases):
    # The blank templates offer these labels in their drop-down lists and the ingest error
    # names them as the expected values: a label changed in the catalogue needs its spelling
    # in vocab.py's aliases too.
    from cleannet_eval import vocab
    from cleannet_eval.ingest.thai import normalize_text

    table = getattr(vocab, aliases)
    for code, words in RAW[area_name].items():
        for lang in ("th", "en"):
            assert table.get(normalize_text(words[lang]).casefold()) == code, (code, lang)
