"""The package's version: one place, read by ``pyproject.toml`` and stamped on every output."""

__version__ = "0.1.0"
