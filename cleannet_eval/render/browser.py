"""Where Debian's Chromium is, with one clear message when it is not there."""

from __future__ import annotations

import os

from ..errors import ConfigError

#: Environment variable naming another Chromium build.
CHROMIUM_ENV = "CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = ("install Debian's chromium: sudo apt-get install chromium fonts-thai-tlwg "
                "(or run scripts/ensure-chromium.sh as root, or set CHROMIUM to its path)")


def chromium_path() -> str:
    """The Chromium executable (``$CHROMIUM`` or ``/usr/bin/chromium``).

    Raises
    ------
    ConfigError
        No executable there; the message says what to install.
    """
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ConfigError(f"PDF and Word output need Chromium, and there is none at {path}: "
                          f"{INSTALL_HINT}")
    return path
