"""Terminal output: colour when it helps, plain text when piped or NO_COLOR is set."""
from __future__ import annotations

import os
import sys

_COLORS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36"}


def use_color(stream: object = sys.stdout) -> bool:
    """Colour on a terminal only: never with NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, color: str, stream: object = sys.stdout) -> str:
    return f"\033[{_COLORS[color]}m{text}\033[0m" if use_color(stream) else text


def bar(done: float, total: float, width: int = 24, partial: float = 0.0) -> str:
    """A progress bar: solid for passed, shaded for started, light for the rest."""
    if total <= 0:
        return "░" * width
    full = round(width * done / total)
    mid = min(width - full, round(width * partial / total))
    return paint("█" * full, "green") + paint("▒" * mid, "yellow") + "░" * (width - full - mid)


def pct(n: float, total: float) -> str:
    return f"{100 * n / total:5.1f}%" if total else "  0.0%"


def err(message: str) -> None:
    print(f"{paint('grader:', 'red', sys.stderr)} {message}", file=sys.stderr)


class Steps:
    """Progress of a long command on stderr, one rewritten line, only when stderr is a terminal.

    Piped or redirected output (and NO_COLOR terminals still get it; it carries no colour) stays
    free of carriage returns.
    """

    def __init__(self, total: int, label: str, stream: object = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total, self.label, self.done = total, label, 0
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._width = 0

    def step(self, what: str = "") -> None:
        self.done += 1
        if self.enabled:
            line = f"{self.label} {self.done}/{self.total}" + (f" {what}" if what else "")
            pad = max(0, self._width - len(line))
            self._width = len(line)
            print("\r" + line + " " * pad, end="", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.enabled and self._width:
            print("\r" + " " * self._width + "\r", end="", file=self.stream, flush=True)
            self._width = 0


class Ticker:
    """For a long step that reports nothing until it ends: the time elapsed, rewritten each second on stderr,
    only when stderr is a terminal. Use as a context manager."""

    def __init__(self, label: str, stream: object = None, every: float = 1.0) -> None:
        import threading

        self.stream = stream if stream is not None else sys.stderr
        self.label, self.every = label, every
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._width = 0

    def _run(self) -> None:
        import time

        start = time.monotonic()
        while not self._stop.wait(self.every):
            seconds = int(time.monotonic() - start)
            line = f"{self.label} · {seconds // 60}:{seconds % 60:02d} elapsed"
            self._width = len(line)
            print("\r" + line, end="", file=self.stream, flush=True)

    def __enter__(self) -> Ticker:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._stop.set()
            self._thread.join()
            if self._width:
                print("\r" + " " * self._width + "\r", end="", file=self.stream, flush=True)
