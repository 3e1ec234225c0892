"""Instruments: the shipped files, validation errors, and a user's own instrument file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cleannet_eval.analysis import score_respondents
from cleannet_eval.errors import InstrumentError
from cleannet_eval.instruments import PINTO_SLEVIN_FACTORS, available_instruments, load_instrument

VALID = """\
id: mine
title_th: แบบสอบถามของฉัน
title_en: My questionnaire
scale:
  min: 1
  max: 5
  labels_th: {5: มากที่สุด, 4: มาก, 3: ปานกลาง, 2: น้อย, 1: น้อยที่สุด}
  labels_en: {5: Very high, 4: High, 3: Moderate, 2: Low, 1: Very low}
factors:
  - key: personnel
    name_th: บุคลากร
    name_en: Personnel
    items:
      - {code: A1, text_th: ข้อหนึ่ง, text_en: One}
      - {code: A2, text_th: ข้อสอง, text_en: Two, reverse: true}
  - key: communication
    name_th: การสื่อสาร
    name_en: Communication
    items:
      - {code: B1, text_th: ข้อสาม, text_en: Three}
"""


def write(tmp_path: Path, text: str, name: str = "instrument.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_instruments() -> None:
    assert {"cleannet5", "pinto_slevin10"} <= set(available_instruments())


def test_pinto_slevin10_is_the_full_ten_factor_profile() -> None:
    inst = load_instrument("pinto_slevin10")
    assert tuple(f.key for f in inst.factors) == PINTO_SLEVIN_FACTORS
    assert all(len(f.items) == 5 for f in inst.factors)
    assert len(inst.item_codes) == len(set(inst.item_codes)) == 50
    assert (inst.scale.min, inst.scale.max, inst.scale.points) == (1, 7, 7)
    assert set(inst.scale.labels_th) == set(inst.scale.labels_en) == set(range(1, 8))
    assert inst.scale.label(7, "en") == "Strongly agree"
    assert inst.scale.label(1, "th") == "ไม่เห็นด้วยอย่างยิ่ง"
    for item in inst.items:
        assert item.text_th and item.text_en and item.text_en != item.code
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in item.text_th)  # written in Thai
    for factor in inst.factors:
        assert factor.name_th != factor.key and factor.name_en != factor.key


def test_default_instrument_is_cleannet5() -> None:
    inst = load_instrument()
    assert inst.id == "cleannet5"
    assert [i.code for i in inst.items if i.reverse] == ["TMS5"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("key: communication", "key: budget", r"unknown factor 'budget'; .*project_mission"),
        ("code: B1", "code: A1", r"duplicate item code 'A1'"),
        ("code: B1", "code: a1", r"duplicate item code 'a1'"),
        ("{5: มากที่สุด, 4: มาก,", "{6: มากที่สุด, 4: มาก,", r"scale mismatch: label .* value 6"),
        ("labels_en: {5: Very high, ", "labels_en: {", r"scale mismatch: labels_en has no label"),
        ("max: 5", "max: 1", r"scale max \(1\) must be above min \(1\)"),
        ("code: B1", "code: unit", r"item code 'unit' is a column of the survey table"),
        ("reverse: true", "reverse: 'yes'", r"item 'A2': 'reverse' must be true or false"),
        ("key: communication", "key: personnel", r"factor 'personnel' is listed twice"),
    ],
)
def test_invalid_instrument_gives_a_clear_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(InstrumentError, match=message) as info:
        load_instrument(path)
    assert str(path.resolve()) in str(info.value)  # the message names the file
    assert "\n" not in str(info.value)


def test_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "id: [unclosed\n")
    with pytest.raises(InstrumentError, match="not a valid UTF-8 YAML file"):
        load_instrument(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="instrument file not found"):
        load_instrument(tmp_path / "nope.yaml")


def test_unknown_shipped_name_lists_the_shipped_ones() -> None:
    with pytest.raises(InstrumentError, match="Unknown instrument 'pip'. Shipped instruments: "
                                              "cleannet5, pinto_slevin10"):
        load_instrument("pip")


@pytest.mark.parametrize("as_string", [True, False])
def test_user_can_pass_their_own_instrument_file(tmp_path: Path, as_string: bool) -> None:
    path = write(tmp_path, VALID, name=f"own_{as_string}.yaml")
    inst = load_instrument(str(path) if as_string else path)
    assert inst.id == "mine"
    assert inst.item_codes == ["A1", "A2", "B1"]
    assert inst.source == str(path.resolve())
    survey = pd.DataFrame({"respondent": ["r1", "r2"], "A1": [5, 4], "A2": [1, 2], "B1": [3, pd.NA]}
                          ).astype({"A1": "Int64", "A2": "Int64", "B1": "Int64"})
    scores = score_respondents(survey, str(path))
    # A2 is reverse-scored on 1..5: 1 -> 5, 2 -> 4
    assert scores["personnel"].tolist() == [5.0, 4.0]
    assert scores["communication"].tolist()[0] == 3.0
    assert pd.isna(scores["communication"].tolist()[1])
