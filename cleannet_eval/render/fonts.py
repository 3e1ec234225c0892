"""Fonts for the printed forms: the package's fontconfig file and the body font's name."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .. import config

#: The fontconfig file shipped with the package (see its comments).
FONTCONFIG_FILE = config.PACKAGE_DATA_DIR / "fonts" / "fonts.conf"
#: The Thai official documents' font (Cabinet resolution of 7 Sep 2010) and its size.
BODY_FONT = "TH Sarabun New"
BODY_SIZE_PT = 16


def font_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default ``os.environ``) with ``FONTCONFIG_FILE`` naming the package's file.

    A ``FONTCONFIG_FILE`` already set by the user is kept.
    """
    env = dict(os.environ if base is None else base)
    env.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))
    return env
