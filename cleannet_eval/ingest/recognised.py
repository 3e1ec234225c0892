"""What the ingest recognised or assumed, read back from the manifest for the evaluator to check.

The manifest's ``recognised`` list (one record per sheet read) says how each column was read and
where an attendance sheet's activity and date came from; :func:`recognition_table` turns that
into one table.
"""

from __future__ import annotations

import pandas as pd

from ..dataset import Dataset

COLUMNS: tuple[str, ...] = ("file", "sheet", "what", "columns", "text", "how", "detail")
_ASSUMED = ("similarity", "sources.yml")


def _letters(letters: list[str]) -> str:
    """``F, G, H, K`` → ``F–H, K`` (spreadsheet order kept)."""
    def number(letter: str) -> int:
        value = 0
        for char in letter:
            value = value * 26 + ord(char) - 64
        return value

    runs: list[list[str]] = []
    for letter in letters:
        if runs and number(letter) == number(runs[-1][-1]) + 1:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def recognition_table(dataset: Dataset) -> pd.DataFrame:
    """Everything the ingest recognised by similarity or assumed, one row each.

    Rows: a question column mapped by similarity (``what`` = the item code, ``detail`` = the
    similarity) or by ``sources.yml``; the answer scale each group of item columns used
    (``what`` = ``answer scale``, ``text`` = the scale, e.g. ``agreement``); and where an
    attendance sheet's activity and date came from when not from a column (``how`` =
    ``title label``, ``title line`` or ``file name``).

    Parameters
    ----------
    dataset
        A :class:`~cleannet_eval.dataset.Dataset` (its ``recognised`` from the manifest).

    Returns
    -------
    pandas.DataFrame
        Columns ``file, sheet, what, columns, text, how, detail``.
    """
    rows: list[dict[str, object]] = []
    for sheet in dataset.recognised:
        where = {"file": sheet.get("file"), "sheet": sheet.get("sheet")}
        scales: dict[str, list[str]] = {}
        for column in sheet.get("columns") or []:
            field = str(column.get("field") or "")
            if column.get("how") in _ASSUMED and field.startswith("item:"):
                similarity = column.get("similarity")
                rows.append({**where, "what": field[5:], "columns": column["column"],
                             "text": column.get("header"), "how": column["how"],
                             "detail": None if similarity is None else f"{similarity:.0f}%"})
            if column.get("scale"):
                scales.setdefault(str(column["scale"]), []).append(str(column["column"]))
        for scale, letters in scales.items():
            rows.append({**where, "what": "answer scale", "columns": _letters(letters),
                         "text": scale, "how": "answers", "detail": None})
        title = sheet.get("title") or {}
        for what in ("activity", "date"):
            how = title.get(f"{what}_from")
            if how and title.get(what):
                row = title.get(f"{what}_row")
                rows.append({**where, "what": what, "columns": None,
                             "text": title[what], "how": how,
                             "detail": None if row is None else f"row {row}"})
    return pd.DataFrame(rows, columns=list(COLUMNS))
