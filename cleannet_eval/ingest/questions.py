"""Match survey question columns to an instrument's items by the similarity of their wording.

Offices type the questionnaire themselves: "ท่าน" for "ข้าพเจ้า", a word added or dropped,
"17." or "ข้อ 17" in front, "(R)" or "*" behind. A header that is not an item code or an item's
exact text is compared with every item after :func:`question_text` (Thai digits, numbering,
spaces and zero-width characters, the respondent pronoun, trailing markers and question fillers
normalised), on Thai word tokens (PyThaiNLP's ``newmm`` with its own dictionary, offline),
scored with rapidfuzz's Indel similarity on the token sequences (0–100; the token multisets
too, so a reordered phrase still counts).

A column is mapped only when its best item is confident (:data:`CONFIDENT`) **and** beats the
runner-up — any other item for that column, and any other column for that item — by
:data:`MARGIN`, in similarity and in coverage (the share of the header's words found in the
item, so a short vague header such as "โครงการนี้เป็นประโยชน์", covered by two items, is never
guessed); columns and items are paired one to one (``scipy``'s assignment), so two columns
never take the same item. Everything else is left unmapped and reported with its best
candidates and the ``sources.yml`` line that would map it. Matching works on the header row
only: its cost does not grow with the number of rows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..instruments import Instrument
from .headers import HeaderMatch
from .thai import normalize_text, thai_to_arabic_digits

#: Lowest similarity (0–100) at which a column is mapped to an item.
CONFIDENT: float = 60.0
#: How far the best item must be ahead of the runner-up (similarity and coverage points).
MARGIN: float = 15.0
#: Below this, an item is not worth naming as a candidate.
CANDIDATE_FLOOR: float = 30.0
#: A header is question-like when its normalised text has at least this many letters.
MIN_QUESTION_LETTERS: int = 12

#: Words that stand for the respondent; all are read as one token.
RESPONDENT_WORDS: frozenset[str] = frozenset({"ท่าน", "ข้าพเจ้า", "คุณ", "ผม", "ดิฉัน", "ฉัน"})
_RESPONDENT = "<ผู้ตอบ>"

_NUMBERING = re.compile(
    r"^\s*(?:(?:ข้อ(?:ที่)?|q(?:uestion)?|item)\s*\d{1,3}\s*[.):\-]?|\d{1,3}\s*[.):\-])\s*",
    re.IGNORECASE,
)
_TRAILING_MARKERS = re.compile(r"(?:\s*(?:\((?:r|rev|reverse|กลับ)\)|\[(?:r|rev)\]|\*+|†))+\s*$",
                               re.IGNORECASE)
_REVERSE_MARKER = re.compile(r"\((?:r|rev|reverse|กลับ)\)|\[(?:r|rev)\]", re.IGNORECASE)
_FILLERS = ("มากน้อยเพียงใด", "เพียงใด", "ในระดับใด", "หรือไม่", "ท่านคิดว่า", "ท่านเห็นว่า")
_GOOGLE_SECTION = re.compile(r"\[(.+)\]\s*$")
_LETTERS = re.compile(r"[\u0e01-\u0e4eA-Za-z]")


def question_text(header: object) -> str:
    """The comparable wording of a question header.

    Thai digits become Arabic, zero-width characters and runs of spaces go, a leading
    ``17.`` / ``ข้อ 17`` / ``Q17`` and trailing ``(R)`` / ``*`` markers are removed, question
    fillers (``มากน้อยเพียงใด`` …) dropped, and Google Forms' ``Section [question]`` reduced to
    the question.

    Examples
    --------
    >>> question_text("ข้อ ๑๗  ท่านเข้าใจ\u200bวัตถุประสงค์ (R) *")
    'ท่านเข้าใจวัตถุประสงค์'
    """
    text = normalize_text(header) or ""
    text = thai_to_arabic_digits(text)
    bracket = _GOOGLE_SECTION.search(text)
    if bracket and len(_LETTERS.findall(bracket.group(1))) >= MIN_QUESTION_LETTERS:
        text = bracket.group(1)
    text = _TRAILING_MARKERS.sub("", text)
    text = _NUMBERING.sub("", text, count=1)
    text = _TRAILING_MARKERS.sub("", text)
    for filler in _FILLERS:
        if text.endswith(filler) or text.startswith(filler):
            text = text.removesuffix(filler).removeprefix(filler)
    return text.strip(" ?？:：")


def is_reverse_marked(header: object) -> bool:
    """Whether a header carries a reverse-scoring marker such as ``(R)``."""
    return bool(_REVERSE_MARKER.search(normalize_text(header) or ""))


def is_question_like(header: object) -> bool:
    """A header long enough to be a question (not "สีเสื้อ" or "Q7")."""
    return len(_LETTERS.findall(question_text(header))) >= MIN_QUESTION_LETTERS


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], int]:
    """PyThaiNLP's word list as a set, and its longest word's length."""
    from pythainlp.corpus.common import thai_words

    words = frozenset(thai_words())
    return words, max(len(w) for w in words)


def _words_in(texts: list[str]) -> set[str]:
    """The dictionary words that occur somewhere in ``texts`` (every substring looked up)."""
    words, longest = _dictionary()
    found: set[str] = set()
    for text in texts:
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + longest) + 1):
                if text[start:end] in words:
                    found.add(text[start:end])
    return found


def tokenize(texts: list[str]) -> list[list[str]]:
    """Thai word tokens of each text (``newmm``), respondent pronouns unified, spaces dropped.

    ``newmm`` only ever uses dictionary words that occur in the text, so the dictionary is cut
    to the words found in ``texts`` first: the same tokens as the full dictionary, without
    building its 60,000-word trie (seconds).
    """
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    folded = [text.casefold() for text in texts]
    trie = Trie(sorted(_words_in(folded) | RESPONDENT_WORDS))
    result = []
    for text in folded:
        words = word_tokenize(text, custom_dict=trie, engine="newmm",
                              keep_whitespace=False)
        result.append([_RESPONDENT if w in RESPONDENT_WORDS else w
                       for w in (w.strip() for w in words) if w and not re.fullmatch(r"\W+", w)])
    return result


def _bag_ratio(a: Counter[str], b: Counter[str]) -> float:
    """Indel similarity of two token multisets (word order ignored), 0–100."""
    size = a.total() + b.total()
    return 200.0 * (a & b).total() / size if size else 0.0


def similarity_scores(
    headers: list[str], instrument: Instrument,
) -> tuple[np.ndarray, np.ndarray]:
    """Similarity and coverage (0–100) of each header to each item.

    Similarity is the better of rapidfuzz's Indel similarity of the two token sequences and
    of the two token multisets (a reordered phrase is still similar); coverage is the share
    of the header's tokens found, in order, in the item (a short, vague header is covered by
    several items at once). Both take the best of the item's Thai and English text.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.distance import LCSseq

    items = instrument.items
    texts = [question_text(h) for h in headers]
    item_texts = [question_text(t) for item in items for t in (item.text_th, item.text_en)]
    tokens = tokenize(texts + item_texts)
    head, rest = tokens[: len(texts)], tokens[len(texts):]
    bags = [Counter(t) for t in tokens]
    head_bags, rest_bags = bags[: len(texts)], bags[len(texts):]
    similarity = np.zeros((len(headers), len(items)))
    coverage = np.zeros((len(headers), len(items)))
    for i, words in enumerate(head):
        for j in range(len(items)):
            for k in (2 * j, 2 * j + 1):
                other = rest[k]
                similarity[i, j] = max(similarity[i, j], fuzz.ratio(words, other),
                                       _bag_ratio(head_bags[i], rest_bags[k]))
                if words:
                    coverage[i, j] = max(coverage[i, j],
                                         100.0 * LCSseq.similarity(words, other) / len(words))
    return similarity, coverage


def similarity_matrix(headers: list[str], instrument: Instrument) -> np.ndarray:
    """Similarity (0–100) of each header to each item; see :func:`similarity_scores`."""
    return similarity_scores(headers, instrument)[0]


@dataclass(frozen=True)
class QuestionMatch:
    """The outcome for one question-like column.

    Attributes
    ----------
    column
        0-based column index.
    header
        The header as written.
    code
        The item it was mapped to, or ``None``.
    similarity
        The similarity of that item (0–100), or of the best candidate when unmapped.
    candidates
        ``(item code, similarity)`` of the best items, best first.
    reason
        Why it was not mapped: ``"weak"``, ``"ambiguous"`` or ``"taken"``; ``None`` if mapped.
    """

    column: int
    header: str
    code: str | None
    similarity: float
    candidates: tuple[tuple[str, float], ...]
    reason: str | None = None


def match_questions(
    headers: dict[int, str], instrument: Instrument, taken: set[str] | None = None,
) -> list[QuestionMatch]:
    """Map question-like columns to items by similarity, one to one, never guessing.

    Parameters
    ----------
    headers
        Column index → header text, for the columns still unrecognised.
    instrument
        The items to match against.
    taken
        Item codes already mapped by code, exact text or ``sources.yml``: not available.

    Returns
    -------
    list of QuestionMatch
        One per question-like column, in column order.
    """
    columns = [c for c in sorted(headers) if is_question_like(headers[c])]
    if not columns:
        return []
    codes = instrument.item_codes
    scores, coverage = similarity_scores([headers[c] for c in columns], instrument)
    free = [j for j, code in enumerate(codes) if code not in (taken or set())]
    assigned: dict[int, int] = {}
    if free:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(scores[:, free], maximize=True)
        assigned = {int(r): free[int(c)] for r, c in zip(rows, cols, strict=True)}
    mapped: dict[int, int] = {}
    for i, j in assigned.items():
        runner_up = max(np.delete(scores[i], j).max(initial=0.0),
                        np.delete(scores[:, j], i).max(initial=0.0))
        covered_too = np.delete(coverage[i], j).max(initial=0.0)
        if (scores[i, j] >= CONFIDENT and scores[i, j] - runner_up >= MARGIN
                and coverage[i, j] - covered_too >= MARGIN):
            mapped[i] = j
    read = {codes[j] for j in mapped.values()} | set(taken or ())
    results = []
    for i, column in enumerate(columns):
        order = np.argsort(-scores[i], kind="stable")
        best = int(order[0])
        candidates = tuple((codes[j], round(float(scores[i, j]), 1)) for j in order[:3]
                           if scores[i, j] >= CANDIDATE_FLOOR)
        if i in mapped:
            j = mapped[i]
            results.append(QuestionMatch(column, headers[column], codes[j],
                                         round(float(scores[i, j]), 1), candidates))
            continue
        if scores[i, best] < CONFIDENT:
            reason = "weak"
        elif codes[best] in read:
            reason = "taken"
        else:
            reason = "ambiguous"
        results.append(QuestionMatch(column, headers[column], None,
                                     round(float(scores[i, best]), 1), candidates, reason))
    return results


def sources_line(file: str, header: str, code: str) -> str:
    """The ``sources.yml`` entry (YAML flow style, one line) that maps ``header`` to ``code``."""
    name = json.dumps(file, ensure_ascii=False)
    return f"files: {{{name}: {{columns: {{{json.dumps(header, ensure_ascii=False)}: {code}}}}}}}"


def unmatched_message(match: QuestionMatch, file: str) -> str:
    """The warning for a question column that was not mapped: candidates and the fix."""
    base = "column not recognised and not read"
    if not match.candidates:
        return (f"{base}; no item of the instrument is similar (best "
                f"{match.similarity:.0f}%); if it matters, map it in data/raw/sources.yml")
    why = {"ambiguous": "similar to more than one item, so not guessed",
           "taken": "its closest item is already read from another column",
           "weak": "not similar enough to any item to be sure"}[match.reason or "weak"]
    listed = ", ".join(f"{code} {score:.0f}%" for code, score in match.candidates)
    return (f"{base}: {why} (closest: {listed}); to read it as {match.candidates[0][0]}, add to "
            f"data/raw/sources.yml: {sources_line(file, match.header, match.candidates[0][0])}")


def mapped_message(match: QuestionMatch, instrument: Instrument) -> str:
    """The warning that says a column was mapped by similarity."""
    text = next(i.text_th for i in instrument.items if i.code == match.code)
    short = text if len(text) <= 50 else text[:49] + "…"
    return (f"question matched by similarity to item {match.code} ({short!r}), similarity "
            f"{match.similarity:.0f}%; if wrong, map the column in data/raw/sources.yml")


def apply_to_header(match: HeaderMatch, instrument: Instrument) -> list[QuestionMatch]:
    """Match the still unrecognised columns of a header; mapped ones become ``item:CODE``."""
    open_columns = {c: h for c, h in match.headers.items()
                    if match.fields.get(c) is None and h}
    taken = set(match.item_columns.values())
    found = match_questions(open_columns, instrument, taken)
    for result in found:
        if result.code is not None:
            match.fields[result.column] = "item:" + result.code
    return found


def describe_columns(
    match: HeaderMatch, instrument: Instrument, column_map: dict[str, str] | None,
    similar: list[QuestionMatch],
) -> list[dict[str, object]]:
    """How each header column was read, for the manifest: field, how, similarity.

    ``how`` is ``sources.yml``, ``item code``, ``question text`` (exact, after numbering),
    ``similarity``, ``header name`` (a known alias) or ``not read``.
    """
    from ..errors import column_letter
    from .headers import header_key

    overrides = {header_key(k) for k in (column_map or {})}
    codes = {header_key(code) for code in instrument.item_codes}
    by_column = {m.column: m for m in similar}
    described = []
    for col in sorted(match.headers):
        header = match.headers[col]
        if not header:
            continue
        name = match.fields.get(col)
        key = header_key(header)
        record: dict[str, object] = {"column": column_letter(col), "header": header,
                                     "field": name}
        if col in by_column and by_column[col].code is not None:
            record.update(how="similarity", similarity=by_column[col].similarity)
        elif key in overrides:
            record["how"] = "sources.yml"
        elif name is None or name.startswith("duplicate:") or name in ("ignore", "seq"):
            record["how"] = "not read"
            if col in by_column:
                record["candidates"] = [list(c) for c in by_column[col].candidates]
        elif name.startswith("item:"):
            record["how"] = "item code" if key in codes else "question text"
        else:
            record["how"] = "header name"
        described.append(record)
    return described
