"""Answer scales: the label families a 5-point survey column may use, and which one it uses.

Besides numbers and the instrument's own labels (มากที่สุด … น้อยที่สุด for ``cleannet5``), a
5-point column may be written on the agreement scale (เห็นด้วยอย่างยิ่ง … ไม่เห็นด้วยอย่างยิ่ง) or
the satisfaction scale (พึงพอใจมากที่สุด … พึงพอใจน้อยที่สุด). A column must keep to one family
(numbers may appear beside it); the family each column used is recorded in the manifest.
"""

from __future__ import annotations

from ..instruments import Instrument, Scale
from .thai import normalize_text

#: Label families of a 1–5 scale: value → the spellings that mean it (Thai first).
FAMILIES: dict[str, dict[int, tuple[str, ...]]] = {
    "level": {
        5: ("มากที่สุด", "very high"), 4: ("มาก", "high"), 3: ("ปานกลาง", "moderate"),
        2: ("น้อย", "low"), 1: ("น้อยที่สุด", "very low"),
    },
    "agreement": {
        5: ("เห็นด้วยอย่างยิ่ง", "เห็นด้วยมากที่สุด", "strongly agree"),
        4: ("เห็นด้วย", "agree"),
        3: ("ไม่แน่ใจ", "เฉยๆ", "ไม่แน่ใจ/เฉยๆ", "ไม่แน่ใจหรือเฉยๆ", "neutral", "undecided",
            "neither agree nor disagree"),
        2: ("ไม่เห็นด้วย", "disagree"),
        1: ("ไม่เห็นด้วยอย่างยิ่ง", "strongly disagree"),
    },
    "satisfaction": {
        5: ("พึงพอใจมากที่สุด", "very satisfied"), 4: ("พึงพอใจมาก", "satisfied"),
        3: ("พึงพอใจปานกลาง", "neither satisfied nor dissatisfied"),
        2: ("พึงพอใจน้อย", "dissatisfied"), 1: ("พึงพอใจน้อยที่สุด", "very dissatisfied"),
    },
}

#: English labels written into a drafted instrument for each family.
ENGLISH: dict[str, dict[int, str]] = {
    "level": {5: "Very high", 4: "High", 3: "Moderate", 2: "Low", 1: "Very low"},
    "agreement": {5: "Strongly agree", 4: "Agree", 3: "Undecided", 2: "Disagree",
                  1: "Strongly disagree"},
    "satisfaction": {5: "Very satisfied", 4: "Satisfied", 3: "Neutral", 2: "Dissatisfied",
                     1: "Very dissatisfied"},
}

NUMBERS = "numbers"


def label_key(text: object) -> str:
    """Comparable form of an answer label: NFC, folded case, no spaces."""
    return (normalize_text(text) or "").casefold().replace(" ", "")


def family_of_labels(labels_th: dict[int, str]) -> str | None:
    """The family whose Thai labels are exactly ``labels_th``, or ``None``."""
    for name, family in FAMILIES.items():
        if {v: label_key(s[0]) for v, s in family.items()} == {
                v: label_key(t) for v, t in labels_th.items()}:
            return name
    return None


def label_index(instrument: Instrument) -> dict[str, tuple[int, str]]:
    """Label spelling (see :func:`label_key`) → ``(value, family)`` for an instrument.

    The instrument's own labels come first (named after the family they equal, else
    ``instrument``); on a 1–5 scale the other families are added where they do not clash.
    """
    scale = instrument.scale
    own = family_of_labels(scale.labels_th) or "instrument"
    index: dict[str, tuple[int, str]] = {}
    for labels in (scale.labels_th, scale.labels_en):
        for value, label in labels.items():
            index.setdefault(label_key(label), (value, own))
    if (scale.min, scale.max) == (1, 5):
        for name, family in FAMILIES.items():
            for value, spellings in family.items():
                for spelling in spellings:
                    index.setdefault(label_key(spelling), (value, name))
    return index


def describe(name: str, scale: Scale) -> str:
    """``agreement (เห็นด้วยอย่างยิ่ง … ไม่เห็นด้วยอย่างยิ่ง)`` for a message."""
    if name in FAMILIES:
        family = FAMILIES[name]
        return f"{name} ({family[max(family)][0]} … {family[min(family)][0]})"
    if scale.labels_th:
        return f"{name} ({scale.labels_th[scale.max]} … {scale.labels_th[scale.min]})"
    return name


def expected_labels(instrument: Instrument) -> str:
    """The label ranges a column may use, for the out-of-scale message."""
    scale = instrument.scale
    ranges = []
    if scale.labels_th:
        ranges.append(f"{scale.labels_th[scale.max]} … {scale.labels_th[scale.min]}")
    if (scale.min, scale.max) == (1, 5):
        for family in FAMILIES.values():
            text = f"{family[5][0]} … {family[1][0]}"
            if text not in ranges:
                ranges.append(text)
    return ", ".join(ranges)
