"""`grader review`: spaced repetition for code.

A passed kata comes due for review (grader/stores/reviews.py keeps the schedule). Reviewing writes
a fresh stub to `practice/<kata id>/<module>`, so the learner's passing solution is never touched;
`--check` runs the kata's real tests against the practice file and records the outcome beside the
kata's record in progress.toml (the kata's own status stays as it is).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from grader.commands.render import err, paint
from grader.discovery import paths
from grader.discovery.catalog import Kata
from grader.stores import fingerprint, manifest, progress, reviews

RUN_TIMEOUT_S = 600.0


class ReviewError(Exception):
    """A review that cannot start or be checked; one line for the learner."""


def practice_file(kata: Kata) -> Path:
    return paths.root() / "practice" / kata.id / kata.module_name


def due(katas: list[Kata], table: dict[str, dict], now: dt.datetime) -> list[tuple[Kata, reviews.Schedule]]:
    """Every passed kata with its review schedule, soonest first."""
    out = []
    for k in katas:
        s = reviews.schedule(table.get(k.id))
        if s is not None:
            out.append((k, s))
    return sorted(out, key=lambda ks: (ks[1].due, ks[0].id))


def _days(delta: dt.timedelta) -> str:
    d = delta.days
    return "today" if d == 0 else f"{d} day{'s' * (d != 1)}"


def listing(katas: list[Kata], table: dict[str, dict], now: dt.datetime) -> list[dict]:
    return [{"id": k.id, "title": k.title, "due": s.due.isoformat(), "is_due": s.due <= now,
             "interval_days": s.interval, "ease": round(s.ease, 2), "reviews": s.reviews, "lapses": s.lapses,
             "practice_file": paths.relative(practice_file(k))} for k, s in due(katas, table, now)]


def show(katas: list[Kata], table: dict[str, dict], now: dt.datetime) -> None:
    scheduled = due(katas, table, now)
    ready = [(k, s) for k, s in scheduled if s.due <= now]
    if not scheduled:
        print("Nothing to review yet: a kata comes due for review "
              f"{reviews.FIRST_INTERVAL_DAYS} days after you pass it.")
        return
    print(paint(f"{len(ready)} review{'s' * (len(ready) != 1)} due", "bold") + f" (of {len(scheduled)} passed katas)")
    for k, s in ready:
        late = now - s.due
        when = "due today" if late.days == 0 else f"due {_days(late)} ago"
        print(f"  {paint(format(k.id, '<10'), 'cyan')} {k.title[:52]:<52} {when:<18}"
              + paint(f"  interval {s.interval} d · {s.reviews} reviews so far", "dim"))
    later = [(k, s) for k, s in scheduled if s.due > now]
    if later:
        k, s = later[0]
        print(paint(f"  next to come due: {k.id} on {s.due.date().isoformat()} (in {_days(s.due - now)})", "dim"))
    if ready:
        print(f"Start one: grader review {ready[0][0].id}")


def _fresh_stub(kata: Kata) -> bytes:
    """The stub as shipped: the kata's own file if untouched, else from git history."""
    from grader.commands import reset

    if kata.stub.exists():
        current = kata.stub.read_bytes()
        if manifest.shipped_stub(kata.id) == fingerprint.of_bytes(current):
            return current
    try:
        return reset.shipped_stub(kata)
    except reset.ResetError as e:
        raise ReviewError(f"{kata.id}: {e}") from e


def start(kata: Kata, table: dict[str, dict], now: dt.datetime, fresh: bool = False) -> int:
    entry = table.get(kata.id)
    s = reviews.schedule(entry)
    if s is None:
        raise ReviewError(f"{kata.id} has not passed yet, so there is nothing to review: grader check {kata.id}")
    target = practice_file(kata)
    stub = _fresh_stub(kata)
    if target.exists() and not fresh:
        current = target.read_bytes()
        # under way: edited, and not the very file a review already passed with (that one is done)
        done = (entry or {}).get("last_review_result") == "passed" and \
            (entry or {}).get("last_review_fingerprint") == fingerprint.of_bytes(current)
        if current != stub and not done:
            print(f"Your review of {kata.id} is under way in {paths.relative(target)}.")
            print(f"Check it: grader review {kata.id} --check   ·   start over: grader review {kata.id} --fresh")
            return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(stub)
    if s.due > now:
        print(paint(f"{kata.id} is not due until {s.due.date().isoformat()}; reviewing early.", "dim"))
    print(f"{paint(kata.id, 'cyan')}  {paint(kata.title, 'bold')}: review it from memory")
    print(f"  write  {paths.relative(target)}   (a fresh stub; your solution in {paths.relative(kata.stub)} is untouched)")
    print(f"  read   {paths.relative(kata.readme)}")
    print(f"  check  grader review {kata.id} --check")
    return 0


def check(kata: Kata, table: dict[str, dict], now: dt.datetime, progress_warning: str | None,
          verbose: bool = False) -> int:
    from grader.commands import check as checking
    from grader.running import runner

    target = practice_file(kata)
    if reviews.schedule(table.get(kata.id)) is None:
        raise ReviewError(f"{kata.id} has not passed yet, so there is nothing to review: grader check {kata.id}")
    if not target.exists():
        raise ReviewError(f"no review of {kata.id} under way ({paths.relative(target)} does not exist): "
                          f"grader review {kata.id}")
    if not kata.test_files:
        raise ReviewError(f"{kata.id}: no test files in {paths.relative(kata.folder)}")
    print(f"{paint(kata.id, 'cyan')} {paint(kata.title, 'bold')}  {paint(paths.relative(target), 'dim')}  (review)",
          flush=True)
    outcome = runner.run([str(f) for f in kata.test_files],
                         ["--tb=no", "--grader-no-record", f"--grader-target=file:{target}"], timeout=RUN_TIMEOUT_S)
    run = checking.report(kata, outcome, verbose=verbose)
    if progress_warning:
        err(f"review not recorded: {progress_warning}")
        return 1
    change = reviews.after_review(table.get(kata.id), run.is_pass, now)
    change["last_review_fingerprint"] = fingerprint.of_bytes(target.read_bytes())
    try:
        progress.update(paths.progress_file(), {kata.id: change})
    except progress.ProgressError as e:
        err(f"review not recorded: {e}")
        return 1
    when = change["review_due"].date().isoformat()
    if run.is_pass:
        print(f"Review recorded: passed. Next review in {change['review_interval']} days ({when}).")
    else:
        print(f"Review recorded: not yet. It comes back sooner: in {change['review_interval']} "
              f"day{'s' * (change['review_interval'] != 1)} ({when}). `grader review {kata.id} --check` again when ready.")
    return 0 if run.is_pass else 1
