"""A text progress bar for long imports run from the command line."""

from __future__ import annotations

import time
from collections.abc import Callable


class ProgressBar:
    """Things done of the total (rows, unless named), the percentage and the rate, redrawn
    in place."""

    WIDTH = 20

    def __init__(
        self,
        write: Callable[[str], None],
        total: int,
        *,
        interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
        unit: str = "rows",
    ) -> None:
        self._write = write
        self._unit = unit
        self._total = total
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._drawn_at: float | None = None
        self._drawn_width = 0
        self._drawn_done: int | None = None
        self._done = 0

    def __call__(self, done: int) -> None:
        self._done = done
        now = self._clock()
        if self._drawn_at is None or now - self._drawn_at >= self._interval:
            self._draw(now)

    def finish(self) -> None:
        """Draw the last state, unless it is on screen already, and end the line."""
        if self._drawn_done != self._done:
            self._draw(self._clock())
        self._write("\n")

    def _draw(self, now: float) -> None:
        self._drawn_at = now
        self._drawn_done = self._done
        elapsed = now - self._started
        rate = f"{self._done / elapsed:,.0f}" if elapsed > 0 else "-"
        if self._total:
            fraction = min(self._done / self._total, 1.0)
            filled = int(fraction * self.WIDTH)
            text = (
                f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                f"{self._done:,} / {self._total:,} {self._unit}  {fraction:.1%}  "
                f"{rate} {self._unit}/s"
            )
        else:
            text = f"{self._done:,} {self._unit}  {rate} {self._unit}/s"
        # Pad over the end of a longer line drawn before.
        self._write("\r" + text.ljust(self._drawn_width))
        self._drawn_width = len(text)
