"""Interpretation bands: exact boundaries, rounding, schemes, 7-point scales."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from cleannet_eval.analysis.bands import (
    effective_scheme,
    interpret,
    interpretation_bands,
    level_of,
    round_half_up,
)
from cleannet_eval.errors import ConfigError


# Boonchom Srisa-ard's 0.50-wide scheme, as printed in Thai survey reports.
@pytest.mark.parametrize(
    ("mean", "label"),
    [
        (1.00, "น้อยที่สุด"),
        (1.50, "น้อยที่สุด"),
        (1.51, "น้อย"),
        (2.50, "น้อย"),
        (2.51, "ปานกลาง"),
        (3.50, "ปานกลาง"),
        (3.51, "มาก"),
        (4.50, "มาก"),
        (4.51, "มากที่สุด"),
        (5.00, "มากที่สุด"),
        # rounded half-up to 2 decimals first, as the printed table shows it
        (4.505, "มากที่สุด"),
        (901 / 200, "มากที่สุด"),
        (4.504, "มาก"),
        (4.5049, "มาก"),
        (1.505, "น้อย"),
        (1.5049999, "น้อยที่สุด"),
    ],
)
def test_half_bands_boundaries_are_exact(mean: float, label: str) -> None:
    assert interpret(mean, "half") == label


# Best's equal-width scheme, (5 - 1) / 5 = 0.80.
@pytest.mark.parametrize(
    ("mean", "label"),
    [
        (1.00, "น้อยที่สุด"),
        (1.80, "น้อยที่สุด"),
        (1.81, "น้อย"),
        (2.60, "น้อย"),
        (2.61, "ปานกลาง"),
        (3.40, "ปานกลาง"),
        (3.41, "มาก"),
        (4.20, "มาก"),
        (4.21, "มากที่สุด"),
        (4.205, "มากที่สุด"),
        (4.2049, "มาก"),
        (5.00, "มากที่สุด"),
    ],
)
def test_equal_bands_boundaries_are_exact(mean: float, label: str) -> None:
    assert interpret(mean, "equal") == label


@pytest.mark.parametrize(
    ("bands", "printed"),
    [
        ("half", ["4.51–5.00", "3.51–4.50", "2.51–3.50", "1.51–2.50", "1.00–1.50"]),
        ("equal", ["4.21–5.00", "3.41–4.20", "2.61–3.40", "1.81–2.60", "1.00–1.80"]),
    ],
)
def test_band_tables_match_the_published_schemes(bands: str, printed: list[str]) -> None:
    shown = [f"{b.lower:.2f}–{b.upper:.2f}" for b in interpretation_bands(bands)]
    assert shown == printed
    assert [b.label_th for b in interpretation_bands(bands)] == [
        "มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"
    ]


@pytest.mark.parametrize(
    ("mean", "bands", "label"),
    [(4.51, "half", "Very high"), (3.0, "half", "Moderate"), (1.81, "equal", "Low"),
     (1.0, "equal", "Very low"), (4.0, "equal", "High")],
)
def test_english_labels(mean: float, bands: str, label: str) -> None:
    assert interpret(mean, bands, lang="en") == label


@pytest.mark.parametrize("bands", ["half", "equal"])
def test_level_agrees_with_the_printed_mean_everywhere(bands: str) -> None:
    means = np.round(np.arange(1.0, 5.0, 0.0005), 6)
    printed = np.array([float(f"{round_half_up(m):.2f}") for m in means])
    assert np.array_equal(level_of(means, bands), level_of(printed, bands))
    levels = level_of(means, bands)
    assert np.all(np.diff(levels) >= 0)  # monotone
    assert set(levels) == {1.0, 2.0, 3.0, 4.0, 5.0}


def test_seven_point_scale_gets_equal_width_bands() -> None:
    bands = interpretation_bands("equal", 1, 7)
    assert [(b.lower, b.upper) for b in bands] == [
        (5.81, 7.0), (4.61, 5.8), (3.41, 4.6), (2.21, 3.4), (1.0, 2.2)
    ]
    assert interpret(5.80, "equal", scale=(1, 7)) == "มาก"
    assert interpret(5.81, "equal", scale=(1, 7)) == "มากที่สุด"
    assert interpret(7.0, "equal", scale=(1, 7)) == "มากที่สุด"


def test_half_falls_back_to_equal_on_a_seven_point_scale(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert effective_scheme("half", 1, 7) == "equal"
    assert "equal-width bands are used instead" in caplog.text
    assert interpretation_bands("half", 1, 7) == interpretation_bands("equal", 1, 7)


def test_missing_means_have_no_level() -> None:
    assert interpret(float("nan")) is None
    assert interpret(None) is None
    assert interpret([1.0, None, pd.NA, 3.0], lang="en") == ["Very low", None, None, "Moderate"]


def test_series_keeps_its_index() -> None:
    means = pd.Series([4.6, 2.0], index=["a", "b"], name="mean")
    out = interpret(means, lang="en")
    assert isinstance(out, pd.Series)
    assert out.to_dict() == {"a": "Very high", "b": "Low"}


@pytest.mark.parametrize("mean", [0.99, 5.01, 7.0])
def test_mean_outside_the_scale_raises(mean: float) -> None:
    with pytest.raises(ValueError, match="outside the scale 1–5"):
        interpret(mean)


def test_unknown_scheme_lists_the_valid_ones() -> None:
    message = "Unknown interpretation bands 'quartile'. Valid: half, equal"
    with pytest.raises(ConfigError, match=message):
        interpret(3.0, "quartile")


def test_unknown_language_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="Unknown language 'fr'. Valid: th, en"):
        interpret(3.0, lang="fr")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.505, 4.51), (4.504, 4.5), (2.675, 2.68), (1.005, 1.01), (3.0, 3.0), (-1.005, -1.01)],
)
def test_round_half_up(value: float, expected: float) -> None:
    assert round_half_up(value) == expected


def test_default_scheme_is_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleannet_eval import config

    assert interpret(4.21) == "มาก"  # config.DEFAULT_BANDS = "half"
    monkeypatch.setattr(config, "DEFAULT_BANDS", "equal")
    assert interpret(4.21) == "มากที่สุด"
