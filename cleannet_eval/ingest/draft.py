"""Draft an instrument YAML from a survey's own question columns.

When an office's questionnaire is not the instrument (fewer than 60% of its items recognised),
``cleannet-eval instrument draft SURVEY`` writes an instrument from the survey itself: each
question column's text as written, the factor of the most similar item of a reference
instrument (``cleannet5``) where that is clear, else ``factor: null  # decide`` with the
candidates in a comment, ``reverse: true`` for a ``(R)`` marker, and the scale and labels
detected from the answers. The evaluator decides the open factors; ``ingest --instrument``
refuses the file until every item has one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import CleannetError, InputError
from ..instruments import Instrument, load_instrument
from .headers import find_header
from .questions import CONFIDENT, MARGIN, is_question_like, is_reverse_marked, similarity_matrix
from .readers import read_grids
from .scales import ENGLISH, FAMILIES, label_key
from .thai import normalize_text, thai_to_arabic_digits

#: Lowest similarity at which a question's factor is taken from its most similar item.
FACTOR_CONFIDENT: float = 50.0
_NUMBER = re.compile(r"^\s*(?:ข้อ(?:ที่)?\s*)?(\d{1,3})\s*[.):]?\s")


@dataclass
class DraftItem:
    """One question column of the survey, as it goes into the draft."""

    code: str
    text: str
    factor: str | None
    note: str
    reverse: bool
    column: int


def _factor_choice(scores: np.ndarray, reference: Instrument) -> tuple[str | None, str]:
    """The clearly closest factor (or ``None``) and the comment that explains it."""
    items = reference.items
    best_by_factor: dict[str, tuple[float, str]] = {}
    for j, item in enumerate(items):
        if scores[j] > best_by_factor.get(item.factor, (-1.0, ""))[0]:
            best_by_factor[item.factor] = (float(scores[j]), item.code)
    ranked = sorted(best_by_factor.items(), key=lambda kv: -kv[1][0])
    (key, (score, code)) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if score >= FACTOR_CONFIDENT and score - runner_up >= MARGIN:
        return key, f"like {code} ({score:.0f}%)"
    listed = ", ".join(f"{k} ({c} {s:.0f}%)" for k, (s, c) in ranked[:3])
    return None, f"decide: {listed}"


def _scale(values: list[object]) -> tuple[int, int, str | None, str]:
    """Scale ``(min, max, family, comment)`` detected from the distinct answers."""
    spellings = {label_key(s): (v, name) for name, family in FAMILIES.items()
                 for v, ss in family.items() for s in ss}
    families: Counter[str] = Counter()
    numbers: list[float] = []
    for value in values:
        text = normalize_text(value)
        if text is None:
            continue
        text = thai_to_arabic_digits(text)
        if label_key(text) in spellings:
            families[spellings[label_key(text)][1]] += 1
            continue
        try:
            numbers.append(float(text))
        except ValueError:
            continue
    if families:
        name, _count = families.most_common(1)[0]
        other = [f for f in families if f != name]
        comment = f"detected: {name} labels" + (
            f" (also seen: {', '.join(other)} — one scale per question)" if other else "")
        return 1, 5, name, comment
    if numbers:
        low, high = int(min(numbers)), int(max(numbers))
        low = 0 if low == 0 else 1
        high = 5 if high <= 5 else (7 if high <= 7 else high)
        family = "level" if (low, high) == (1, 5) else None
        comment = f"detected: numbers {low}–{high}" + (
            "; labels assumed (มากที่สุด … น้อยที่สุด)" if family else "")
        return low, high, family, comment
    return 1, 5, "level", "no answers found; a 1–5 scale with มากที่สุด … น้อยที่สุด assumed"


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def draft_instrument(
    survey: str | Path, reference: str | Path | Instrument | None = None,
    today: dt.date | None = None,
) -> str:
    """The YAML text of an instrument drafted from a survey file's question columns.

    Parameters
    ----------
    survey
        A survey spreadsheet (``.xlsx``, ``.ods``, ``.csv``).
    reference
        The instrument whose items decide the factors (default ``cleannet5``).
    today
        The date written in the header comment (default: today).

    Raises
    ------
    CleannetError
        The file has no sheet with a header and at least one question column.
    """
    path = Path(survey)
    if not path.is_file():
        raise CleannetError(f"{path}: file not found")
    reference = reference if isinstance(reference, Instrument) else load_instrument(reference)
    grids = read_grids(path, display=path.name)
    for grid in grids:
        match = find_header(grid.rows, reference)
        if match is None:
            continue
        texts = {item.code: item.text_th for item in reference.items}
        columns = []
        for col in sorted(match.headers):
            header, name = match.headers[col], match.fields.get(col)
            if name is not None and name.startswith("item:"):
                columns.append((col, header if is_question_like(header) else texts[name[5:]]))
            elif name is None and is_question_like(header):
                columns.append((col, header))
        if columns:
            return _render(path.name, grid, match.row, columns, reference, today)
    raise InputError([_no_questions(path.name)])


def _no_questions(name: str):
    from ..errors import Problem

    return Problem(file=name, message="no survey questions found: expected a header row with "
                   "question columns (long question texts or item codes) below any title rows")


def _render(
    name: str, grid, header_row: int, columns: list[tuple[int, str]], reference: Instrument,
    today: dt.date | None,
) -> str:
    scores = similarity_matrix([text for _, text in columns], reference)
    codes = reference.item_codes
    items: list[DraftItem] = []
    used: set[str] = set()
    for i, (col, text) in enumerate(columns):
        factor, note = _factor_choice(scores[i], reference)
        order = np.argsort(-scores[i])
        best = int(order[0])
        runner = float(scores[i, order[1]]) if len(order) > 1 else 0.0
        code = codes[best] if (scores[i, best] >= CONFIDENT
                               and scores[i, best] - runner >= MARGIN
                               and codes[best] not in used) else None
        if code is None:
            number = _NUMBER.match(thai_to_arabic_digits(text))
            code = f"Q{number.group(1) if number else i + 1}"
            while code in used:
                code += "b"
        used.add(code)
        items.append(DraftItem(code, text, factor, note, is_reverse_marked(text), col))
    answers = {cell for row in grid.rows[header_row + 1:] for col, _ in columns
               if col < len(row) for cell in [row[col]] if normalize_text(cell) is not None}
    low, high, family, scale_note = _scale(sorted(answers, key=str))
    stem = re.sub(r"[^0-9A-Za-z]+", "_", Path(name).stem).strip("_").lower() or "survey"
    undecided = sum(1 for item in items if item.factor is None)
    lines = [
        f"# Drafted by `cleannet-eval instrument draft` from {name}"
        + (f" (sheet {grid.sheet!r})" if grid.sheet else "")
        + f" on {(today or dt.date.today()).isoformat()}.",
        "# Check every item: its factor, `reverse` (a reverse-worded question), and the scale.",
        f"# {undecided} item(s) have `factor: null`: decide each (or delete the item) — ingest "
        "refuses the file until then." if undecided else "# Every item has a factor.",
        f"id: draft_{stem}",
        f"title_th: {_yaml('แบบสอบถามจากไฟล์ ' + name)}",
        f"title_en: {_yaml('Questionnaire drafted from ' + name)}",
        "scale:",
        f"  min: {low}",
        f"  max: {high}  # {scale_note}",
    ]
    if family is not None and (low, high) == (1, 5):
        labels_th = ", ".join(f"{v}: {_yaml(FAMILIES[family][v][0])}" for v in range(5, 0, -1))
        labels_en = ", ".join(f"{v}: {_yaml(ENGLISH[family][v])}" for v in range(5, 0, -1))
        lines += [f"  labels_th: {{{labels_th}}}", f"  labels_en: {{{labels_en}}}"]
    lines.append("factors:")
    for factor in reference.factors:
        lines.append(f"  - {{key: {factor.key}, name_th: {_yaml(factor.name_th)}, "
                     f"name_en: {_yaml(factor.name_en)}}}")
    lines.append("items:")
    for item in items:
        lines += [f"  - code: {item.code}", f"    text_th: {_yaml(item.text)}"]
        if item.reverse:
            lines.append("    reverse: true")
        lines.append(f"    factor: {item.factor or 'null'}  # {item.note}")
    return "\n".join(lines) + "\n"

