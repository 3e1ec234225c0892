"""Pseudonymous person keys (Thailand's PDPA): names and national IDs end here.

Each person gets ``P`` + 12 hex digits of an HMAC-SHA256 of their national ID, or of their
normalised name when no ID is given, under a secret key that lives outside the repository. The
same person gets the same key in every file and every run with the same secret; without the
secret a key cannot be traced back by hashing a list of names or IDs.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import ConfigError
from .thai import thai_to_arabic_digits

logger = logging.getLogger(__name__)

KEY_PREFIX = "P"
KEY_HEX_DIGITS = 12

_ID_SEPARATORS = re.compile(r"[\s\-–.]")


def national_id_check_digit(first12: str) -> int:
    """Check digit of a Thai national ID from its first 12 digits.

    Notes
    -----
    With digits :math:`d_1 \\dots d_{12}`, the check digit is
    :math:`(11 - (\\sum_{i=1}^{12} d_i (14 - i)) \\bmod 11) \\bmod 10`.

    Examples
    --------
    >>> national_id_check_digit("110170020358")
    1
    """
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return (11 - total % 11) % 10


def clean_national_id(value: object) -> str | None:
    """Digits of a national ID with Thai digits, spaces and dashes removed; ``None`` if blank.

    A number read from Excel (``1101700203586.0``) is turned back into its digits.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _ID_SEPARATORS.sub("", thai_to_arabic_digits(str(value)))
    return text or None


def is_valid_national_id(value: object) -> bool:
    """Whether ``value`` is 13 digits with a correct check digit.

    Examples
    --------
    >>> is_valid_national_id("1-1017-00203-58-1"), is_valid_national_id("1101700203587")
    (True, False)
    """
    digits = clean_national_id(value)
    return (
        digits is not None
        and len(digits) == 13
        and digits.isdigit()
        and national_id_check_digit(digits[:12]) == int(digits[12])
    )


def load_key(create: bool = True) -> bytes:
    """The secret for pseudonymous keys.

    Looked up in order: the environment variable ``CLEANNET_EVAL_KEY`` (the secret itself),
    the file named by ``CLEANNET_EVAL_KEY_FILE``, then ``config.default_key_file()``. When no
    key exists and ``create`` is true, a random 256-bit key is written to that file (mode 600).

    Raises
    ------
    ConfigError
        The key file is inside the project folder (it would risk entering git), is empty, or
        cannot be written.
    """
    env_secret = os.environ.get(config.KEY_ENV_VAR)
    if env_secret:
        return env_secret.encode("utf-8")
    path = Path(os.environ.get(config.KEY_FILE_ENV_VAR) or config.default_key_file())
    path = path.expanduser().resolve()
    if path.is_relative_to(config.PROJ_ROOT):
        raise ConfigError(
            f"{path}: the pseudonymisation key must live outside the project folder so it never "
            f"enters git; set {config.KEY_FILE_ENV_VAR} to a path in your home folder"
        )
    if path.is_file():
        secret = path.read_bytes().strip()
        if not secret:
            raise ConfigError(f"{path}: the pseudonymisation key file is empty")
        return secret
    if not create:
        raise ConfigError(f"{path}: no pseudonymisation key; run 'cleannet-eval ingest' once")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_hex(32).encode("ascii")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret + b"\n")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create the pseudonymisation key ({exc.strerror})")
    logger.info("created a new pseudonymisation key in %s (keep it; back it up privately)", path)
    return secret


def person_key(secret: bytes, national_id: str | None = None, name: str | None = None) -> str:
    """Pseudonymous key of one person from a cleaned national ID, else a normalised name."""
    if national_id:
        message = "id:" + national_id
    elif name:
        message = "name:" + name
    else:
        raise ValueError("a person key needs a national ID or a name")
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()
    return KEY_PREFIX + digest[:KEY_HEX_DIGITS].upper()


def person_keys(secret: bytes, national_ids: pd.Series, names: pd.Series) -> pd.Series:
    """Vectorised :func:`person_key`: each distinct ID or name is hashed once.

    Parameters
    ----------
    secret
        From :func:`load_key`.
    national_ids, names
        Aligned Series of cleaned IDs and normalised names (missing as ``None``/NA).

    Returns
    -------
    pandas.Series
        String keys, ``<NA>`` where both are missing.
    """
    ids = national_ids.astype("object").where(national_ids.notna(), None)
    nm = names.astype("object").where(names.notna(), None)
    tokens = pd.Series(
        ["id:" + i if i else ("name:" + n if n else None) for i, n in zip(ids, nm, strict=True)],
        index=national_ids.index,
        dtype="object",
    )
    cache = {
        t: KEY_PREFIX
        + hmac.new(secret, t.encode("utf-8"), hashlib.sha256).hexdigest()[:KEY_HEX_DIGITS].upper()
        for t in tokens.dropna().unique()
    }
    return tokens.map(cache).astype("string")
