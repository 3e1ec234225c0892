"""How a batch shows its progress: a bar in a terminal, plain lines in a log.

In a terminal (stderr is a TTY and ``CI`` is not set) a tqdm bar shows reports done/total,
failures so far and the time left. Elsewhere (CI logs, a file, a pipe) a bar's carriage
returns make a mess: one plain line is printed every :data:`LINE_EVERY_S` seconds and at the
end, e.g. ``reports: 40/180 done, 1 failed, about 1 min 10 s left``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

#: Seconds between plain progress lines (no TTY).
LINE_EVERY_S = 10.0


def _interactive(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


def format_duration(seconds: float) -> str:
    """``"45 s"``, ``"3 min 05 s"``, ``"1 h 02 min"``."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Progress:
    """Reports done out of ``total``, failures so far, time left.

    Parameters
    ----------
    total
        Reports to build.
    quiet
        Show nothing.
    stream
        Where to write (default ``sys.stderr``).
    """

    def __init__(self, total: int, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet or total == 0
        self.started = time.monotonic()
        self._last_line = self.started
        self._bar = None
        if not self.quiet and _interactive(self.stream):
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc="reports", unit="report", file=self.stream,
                             dynamic_ncols=True, leave=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def left_s(self) -> float | None:
        """Estimated seconds left (``None`` before the first report)."""
        if not self.done:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed / self.done * (self.total - self.done)

    def line(self) -> str:
        """``reports: 40/180 done, 1 failed, about 1 min 10 s left``."""
        text = f"reports: {self.done}/{self.total} done, {self.failed} failed"
        left = self.left_s()
        if self.done < self.total and left is not None:
            text += f", about {format_duration(left)} left"
        elif self.done == self.total:
            text += f" in {format_duration(time.monotonic() - self.started)}"
        return text

    def update(self, failed: bool = False) -> None:
        """One more report done (``failed`` when it failed)."""
        self.done += 1
        self.failed += int(failed)
        if self.quiet:
            return
        if self._bar is not None:
            if failed:
                self._bar.set_postfix(failed=self.failed, refresh=False)
            self._bar.update(1)
            return
        now = time.monotonic()
        if self.done == self.total or now - self._last_line >= LINE_EVERY_S:
            self._last_line = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        """Finish the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
