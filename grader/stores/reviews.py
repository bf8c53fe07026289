"""Spaced review of passed katas, in the spirit of SM-2, kept beside each kata's record in progress.toml.

A kata comes due `FIRST_INTERVAL_DAYS` after its first pass. A successful review multiplies the
interval by the kata's ease (which grows by 0.1, up to `MAX_EASE`); a failed one halves the interval
(at least a day) and lowers the ease by 0.2 (down to `MIN_EASE`). The state is a handful of keys in
the kata's own table, written through `progress.update` (atomic, locked, comments kept):

    review_due = 2026-12-12T10:00:00Z   # when the next review falls due
    review_interval = 8                 # days between the last review and the next
    review_ease = 2.6                   # how fast the interval grows
    reviews = 2                         # reviews recorded, passed or not
    review_lapses = 0                   # reviews that failed
    last_review = 2026-12-04T10:00:00Z
    last_review_result = "passed"       # or "failing"
    last_review_fingerprint = "sha256:..."  # the practice file that review checked

A review never changes the kata's own `status`: the pass the learner earned stays earned.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRST_INTERVAL_DAYS = 3
START_EASE = 2.5
MIN_EASE, MAX_EASE = 1.3, 3.0


def _as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None


def _number(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else default


@dataclass(frozen=True)
class Schedule:
    due: dt.datetime
    interval: int  # days
    ease: float
    reviews: int
    lapses: int


def schedule(entry: dict | None) -> Schedule | None:
    """When the kata's next review falls due; None for a kata that has never passed."""
    entry = entry or {}
    if entry.get("status") != "passed":
        return None
    interval = int(_number(entry.get("review_interval"), FIRST_INTERVAL_DAYS))
    ease = min(MAX_EASE, max(MIN_EASE, _number(entry.get("review_ease"), START_EASE)))
    reviews = entry.get("reviews") if isinstance(entry.get("reviews"), int) else 0
    lapses = entry.get("review_lapses") if isinstance(entry.get("review_lapses"), int) else 0
    due = _as_datetime(entry.get("review_due"))
    if due is None:
        start = _as_datetime(entry.get("first_passed")) or _as_datetime(entry.get("last_run"))
        if start is None:
            return None
        due = start + dt.timedelta(days=FIRST_INTERVAL_DAYS)
    return Schedule(due, interval, ease, reviews, lapses)


def is_due(entry: dict | None, now: dt.datetime) -> bool:
    s = schedule(entry)
    return s is not None and s.due <= now


def after_review(entry: dict | None, passed: bool, now: dt.datetime) -> dict:
    """The keys to write after a review: the next interval, ease and due date."""
    s = schedule(entry) or Schedule(now, FIRST_INTERVAL_DAYS, START_EASE, 0, 0)
    if passed:
        interval = max(s.interval + 1, round(s.interval * s.ease))
        ease = min(MAX_EASE, s.ease + 0.1)
    else:
        interval = max(1, s.interval // 2)
        ease = max(MIN_EASE, s.ease - 0.2)
    now = now.replace(microsecond=0)
    return {
        "review_due": now + dt.timedelta(days=interval),
        "review_interval": interval,
        "review_ease": round(ease, 2),
        "reviews": s.reviews + 1,
        "review_lapses": s.lapses + (0 if passed else 1),
        "last_review": now,
        "last_review_result": "passed" if passed else "failing",
    }


def now() -> dt.datetime:
    """The clock reviews run on. `GRADER_NOW` (ISO 8601) pins it, for tests and for planning ahead."""
    import os

    pinned = os.environ.get("GRADER_NOW")
    if pinned:
        parsed = dt.datetime.fromisoformat(pinned)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
