"""Terminal output: colour when it helps, plain text when piped or NO_COLOR is set."""
from __future__ import annotations

import os
import sys

_COLORS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36"}


def use_color(stream: object = sys.stdout) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
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
