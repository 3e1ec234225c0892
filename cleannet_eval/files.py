"""Write files so that a reader never sees half of one, and hash inputs.

Every file the package writes (the demo data, reports, indexes and manifests) goes first to a
hidden temporary name beside its target (``.NAME.RANDOM.part``) and is then renamed into place
with :func:`os.replace`, which is atomic on one file system. A batch killed at any moment leaves
the old file or the new one, never a mixture; the temporary files it leaves behind are removed
by :func:`remove_stale_parts` at the start of the next batch. (Ingest writes a whole folder the
same way: a staging folder renamed into place.)
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

#: Suffix of temporary files (``.report.html.1a2b3c4d.part``).
PART_SUFFIX = ".part"


def part_path(path: Path, suffix: str = "") -> Path:
    """A fresh hidden temporary name in ``path``'s folder (``suffix`` is appended)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{PART_SUFFIX}{suffix}")


def commit(tmp: Path, path: Path) -> Path:
    """Rename a finished temporary file into place (atomic on one file system)."""
    os.replace(tmp, path)
    return path


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Parameters
    ----------
    path
        The target file; its folder is created if missing.
    data
        Text (written as UTF-8) or bytes.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = part_path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with tmp.open("wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_move(src: str | Path, path: str | Path) -> Path:
    """Move a finished file into place: copied beside the target first if on another disk."""
    src, path = Path(src), Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return commit(src, path)
    except OSError:
        # Another file system: copy beside the target, then rename.
        atomic_write(path, src.read_bytes())
        src.unlink(missing_ok=True)
        return path


def remove_stale_parts(root: str | Path) -> int:
    """Delete temporary files that a killed batch left under ``root``; returns how many."""
    root = Path(root)
    if not root.is_dir():
        return 0
    count = 0
    for tmp in root.rglob(f".*{PART_SUFFIX}*"):
        if tmp.is_file() and PART_SUFFIX in tmp.name:
            tmp.unlink(missing_ok=True)
            count += 1
    return count


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
