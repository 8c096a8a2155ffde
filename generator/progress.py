"""Progress and summaries for long work; `--quiet` keeps only warnings and the summary."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO


@dataclass
class Progress:
    quiet: bool = False
    out: TextIO | None = None  # None: whatever sys.stdout is at the time of printing
    err: TextIO | None = None

    def step(self, message: str) -> None:
        """A line of progress: shown unless quiet."""
        if not self.quiet:
            print(message, file=self.out or sys.stdout, flush=True)

    def warn(self, message: str) -> None:
        """A problem the user must see, even when quiet (one line each)."""
        print(message, file=self.err or sys.stderr, flush=True)

    def summary(self, message: str) -> None:
        """The one-line result at the end of a command: always shown."""
        print(message, file=self.out or sys.stdout, flush=True)
