"""The `grader` command: the learner's and the maintainer's entry point to the workbook."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from grader.commands import standing
from grader.commands.render import Steps, Ticker, bar, err, paint, pct
from grader.discovery import catalog, curriculum, paths
from grader.discovery.catalog import Kata
from grader.discovery.select import SelectionError, resolve
from grader.running import hardware
from grader.stores import progress

EXIT_FAIL, EXIT_USAGE = 1, 2


class CliError(Exception):
    """A one-line message for the user and an exit status; never a traceback."""

    def __init__(self, message: str, status: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- shared state
def _progress(strict: bool) -> tuple[dict[str, dict], str | None]:
    """Progress tables, and a warning when the file cannot be read (then the tables are empty)."""
    try:
        return progress.read(paths.progress_file()), None
    except progress.ProgressError as e:
        if strict:
            raise CliError(str(e)) from e
        return {}, str(e)


def _status(k: Kata, table: dict[str, dict]) -> str:
    """todo, failing, passed, or stale (passed under tests that have since changed)."""
    return standing.status(k.id, table.get(k.id))


def _pick(query: str | None, katas: list[Kata], table: dict[str, dict]) -> Kata:
    if query is None:
        nxt = _next(katas, table)
        if nxt is None:
            raise CliError("every kata that exists has passed; name one to run it again" if katas
                           else "there are no katas in this workbook yet", EXIT_USAGE)
        return nxt
    try:
        return resolve(query, katas)
    except SelectionError as e:
        raise CliError(str(e), EXIT_USAGE) from e


def _next(katas: list[Kata], table: dict[str, dict]) -> Kata | None:
    """The next kata of the curriculum whose prerequisites have passed (or one of those prerequisites)."""
    return standing.choose(katas, table).kata


# ---------------------------------------------------------------- status
def cmd_status(args: argparse.Namespace) -> int:
    katas = catalog.discover()
    table, warning = _progress(strict=False)
    existing = {k.id: k for k in katas}
    rows = []
    for t in curriculum.tracks():
        ids = [c.id for c in t.checkboxes]
        written = [existing[i] for i in ids if i in existing]
        passed = sum(1 for k in written if _status(k, table) == "passed")
        started = sum(1 for k in written if _status(k, table) in ("failing", "stale"))
        rows.append({"track": t.id, "title": t.title, "checkboxes": len(ids), "katas": len(written),
                     "passed": passed, "started": started})
    total = sum(r["checkboxes"] for r in rows)
    done = sum(r["passed"] for r in rows)
    nxt = _next(katas, table)
    stale = [k.id for k in katas if _status(k, table) == "stale"]
    due, upcoming = _reviews_due(katas, table)
    if args.json:
        print(json.dumps({
            "checkboxes": total, "katas": len(katas), "passed": done, "tracks": rows, "stale": stale,
            "next": None if nxt is None else {"id": nxt.id, "title": nxt.title, "path": paths.relative(nxt.folder)},
            "reviews_due": len(due), "reviews_scheduled": len(due) + len(upcoming),
            "cuda": hardware.cuda_likely(), "triton_interpreter": hardware.triton_interpreted(),
            "progress_file": paths.relative(paths.progress_file()), "warning": warning,
        }, indent=1))
        return EXIT_FAIL if warning else 0
    if warning:
        err(f"{warning}; showing the workbook without your progress (read-only)")
    print(paint("ML kata workbook", "bold") + f"  {done}/{total} checkboxes passed ({pct(done, total).strip()}) · "
          f"{len(katas)} katas written")
    width = max(len(r["track"]) for r in rows)
    for r in rows:
        print(f"  {r['track']:<{width}}  {bar(r['passed'], r['checkboxes'], partial=r['started'])} "
              f"{r['passed']:>3}/{r['checkboxes']:<3} {pct(r['passed'], r['checkboxes'])}  "
              + paint(f"{r['katas']} written · {r['title']}", "dim"))
    if stale:
        print(paint(f"  stale: {', '.join(stale)} passed under tests that have since changed; check them again", "yellow"))
    if due:
        print(paint(f"Reviews: {len(due)} due ({', '.join(due[:4])}{', ...' if len(due) > 4 else ''}): grader review",
                    "yellow"))
    elif upcoming:
        print(paint(f"Reviews: none due; the next falls due on {min(upcoming).date().isoformat()}", "dim"))
    if nxt is None:
        print("Next: " + ("every kata that exists has passed" if katas else "no katas yet"))
    else:
        print(f"Next: {paint(nxt.id, 'cyan')} {nxt.title}  →  {paths.relative(nxt.folder)}/{nxt.module_name}"
              f"  (grader check {nxt.id})")
    print(paint(f"Hardware: {hardware.describe()}", "dim"))
    return EXIT_FAIL if warning else 0


# ---------------------------------------------------------------- export
def _write_output(text: str, out: str | None) -> None:
    """Print, or replace the file `out` atomically (a half-written note is worse than none)."""
    if out is None:
        print(text, end="")
        return
    target = Path(out)
    _writable(target, "output")
    _replace_file(target, text.encode("utf-8"))


def cmd_export(args: argparse.Namespace) -> int:
    from grader.commands import export

    table, _ = _progress(strict=True)  # a checklist without the learner's ticks would silently untick their note
    try:
        chosen = export.rows(catalog.discover(), table, args.track, args.section)
    except export.ExportError as e:
        raise CliError(str(e), EXIT_USAGE) from e
    _write_output(export.render(chosen, args.format, section_only=args.section is not None), args.out)
    if args.out:
        ticked = sum(r.checked for r in chosen)
        print(f"wrote {len(chosen)} checkboxes ({ticked} ticked) to {args.out}", file=sys.stderr)
    return 0


def _reviews_due(katas: list[Kata], table: dict[str, dict]) -> tuple[list[str], list[dt.datetime]]:
    """Ids of the katas due for review, and the due dates of the rest that are scheduled."""
    from grader.stores import reviews

    try:
        now = reviews.now()
    except ValueError:
        now = dt.datetime.now(dt.UTC)
    due, upcoming = [], []
    for k in katas:
        sched = reviews.schedule(table.get(k.id))
        if sched is not None:
            if sched.due <= now:
                due.append(k.id)
            else:
                upcoming.append(sched.due)
    return due, upcoming


# ---------------------------------------------------------------- report
def _writable(path: Path, what: str) -> None:
    if path.is_dir():
        raise CliError(f"{path} is a directory; name the {what} file to write", EXIT_USAGE)
    if not path.parent.is_dir():
        raise CliError(f"cannot write {path}: the folder {path.parent} does not exist", EXIT_USAGE)


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file, rename), with a normal file's permissions."""
    import tempfile

    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise CliError(f"cannot write {path}: {e.strerror or e}") from e


def cmd_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    png = Path(args.png) if args.png else out.with_suffix(".png")
    if out.suffix.lower() not in (".html", ".htm"):
        raise CliError(f"{out}: the report is an HTML page; name a .html file (the PNG goes beside it)", EXIT_USAGE)
    if png.resolve() == out.resolve():
        raise CliError("the HTML page and the PNG summary need different paths", EXIT_USAGE)
    _writable(out, "HTML")
    _writable(png, "PNG")
    table, _ = _progress(strict=True)  # a report of nothing, written over a good one, helps no one
    now = _review_clock()
    steps = Steps(7, "report")
    steps.step("reading the workbook")
    katas = catalog.discover()
    from grader.commands import report

    data = report.report_data(katas, table, now)
    figs = {}
    for name, draw, size in report.PANELS:
        steps.step(f"drawing {name}")
        figs[name] = report.one_figure(draw, size, data)
    steps.step("drawing the PNG summary")
    summary_png = report.png_bytes(report.summary(data))
    steps.step("writing the page")
    page = report.page(data, figs).encode("utf-8")
    try:
        _replace_file(out, page)
        _replace_file(png, summary_png)
    finally:
        steps.finish()
    print(f"wrote {out} ({len(page) // 1024} KiB, self-contained) and {png}: "
          f"{data['passed']}/{data['checkboxes']} checkboxes passed")
    return 0


# ---------------------------------------------------------------- list / next / hint
def _kata_record(k: Kata, table: dict[str, dict]) -> dict:
    box = k.checkbox
    return {"id": k.id, "checkbox": k.id, "title": k.title, "track": k.track,
            "section": box.section if box else None, "path": paths.relative(k.folder),
            "stub": paths.relative(k.stub), "solution": paths.relative(k.solution),
            "status": _status(k, table), "gpu": k.gpu, "requires": k.requires,
            "minutes": k.meta.get("minutes"), "references": k.meta.get("references", [])}


def cmd_list(args: argparse.Namespace) -> int:
    table, warning = _progress(strict=False)
    katas = catalog.discover()
    if args.track:
        known = [t.id for t in curriculum.tracks()]
        if args.track not in known:
            raise CliError(f"unknown track '{args.track}'; tracks are {', '.join(known)}", EXIT_USAGE)
        katas = [k for k in katas if k.track == args.track]
    if args.todo:
        katas = [k for k in katas if _status(k, table) != "passed"]
    if args.done:
        katas = [k for k in katas if _status(k, table) == "passed"]
    records = [_kata_record(k, table) for k in katas]
    if args.json:
        print(json.dumps(records, indent=1))
    else:
        if warning:
            err(f"{warning}; statuses are shown as todo")
        marks = {"passed": paint("✓", "green"), "failing": paint("✗", "red"), "stale": paint("↻", "yellow"), "todo": "·"}
        for r in records:
            print(f"{marks[r['status']]} {r['id']:<10} {r['title']:<48} {paint(r['path'], 'dim')}")
        if not records:
            print("no katas match")
    return 0


def cmd_next(args: argparse.Namespace) -> int:
    from grader.discovery import routes

    table, warning = _progress(strict=False)
    if warning:
        err(warning)
    katas = catalog.discover()
    try:
        pick = standing.choose(katas, table, args.path)
    except routes.RouteError as e:
        raise CliError(str(e), EXIT_USAGE) from e
    route = routes.route(args.path)
    nxt = pick.kata
    if args.json:
        print(json.dumps({
            "path": route.name, "stop": pick.stop.label if pick.stop else None, "remaining": pick.remaining,
            "next": None if nxt is None else {"id": nxt.id, "title": nxt.title, "stub": paths.relative(nxt.stub),
                                              "readme": paths.relative(nxt.readme)},
            "prerequisite_for": None if pick.unlocks is None else {
                "id": pick.unlocks.id, "title": pick.unlocks.title, "missing": [k.id for k in pick.missing]},
            "warning": warning,
        }, indent=1))
        return EXIT_FAIL if warning else 0
    if nxt is None:
        where = "" if route.name == routes.DEFAULT_ROUTE else f" on the path '{route.name}'"
        print(f"Every kata that exists{where} has passed. `grader status` shows the curriculum still ahead.")
        return EXIT_FAIL if warning else 0
    print(f"{paint(nxt.id, 'cyan')}  {paint(nxt.title, 'bold')}")
    if pick.unlocks is not None:
        lacking = ", ".join(k.id for k in pick.missing)
        print(paint(f"  first: {pick.unlocks.id} ({pick.unlocks.title}) comes next, but it builds on {lacking}, "
                    "which you have not passed yet", "yellow"))
    if route.name != routes.DEFAULT_ROUTE or args.path:
        stop = f" · {pick.stop.label}" if pick.stop else ""
        print(paint(f"  path   {route.name}{stop} ({pick.remaining} kata{'s' * (pick.remaining != 1)} to go)", "dim"))
    print(f"  {nxt.summary()}")
    print(f"  edit   {paths.relative(nxt.stub)}")
    print(f"  read   {paths.relative(nxt.readme)}")
    print(f"  check  grader check {nxt.id}")
    return EXIT_FAIL if warning else 0


def cmd_paths(args: argparse.Namespace) -> int:
    """The named routes, with how far along each the learner is."""
    from grader.discovery import routes

    table, warning = _progress(strict=False)
    katas = catalog.discover()
    existing = {k.id for k in katas}
    st = standing.statuses(katas, table)
    records = []
    for r in routes.routes().values():
        ids = [i for i, _ in r.order() if i in existing]
        records.append({"name": r.name, "title": r.title, "stops": len(r.stops), "katas": len(ids),
                        "passed": sum(1 for i in ids if st[i] == "passed")})
    if args.json:
        print(json.dumps(records, indent=1))
        return EXIT_FAIL if warning else 0
    if warning:
        err(f"{warning}; showing the paths without your progress")
    for rec in records:
        print(f"{paint(format(rec['name'], '<10'), 'cyan')} {rec['passed']:>3}/{rec['katas']:<3} passed · {rec['stops']} stops · "
              f"{rec['title']}  {paint('grader next --path ' + rec['name'], 'dim')}")
    return EXIT_FAIL if warning else 0


def cmd_hint(args: argparse.Namespace) -> int:
    table, _ = _progress(strict=False)
    k = _pick(args.kata, catalog.discover(), table)
    hints = k.hints()
    if not hints:
        raise CliError(f"{k.id} has no hints")
    n = args.n or 1
    if not 1 <= n <= len(hints):
        raise CliError(f"{k.id} has hints 1 to {len(hints)}", EXIT_USAGE)
    print(paint(f"{k.id} hint {n} of {len(hints)}", "bold"))
    print(hints[n - 1])
    if n < len(hints):
        print(paint(f"\nStill stuck? grader hint {k.id} {n + 1}", "dim"))
    return 0


# ---------------------------------------------------------------- review
def _review_clock() -> dt.datetime:
    from grader.stores import reviews

    try:
        return reviews.now()
    except ValueError as e:
        raise CliError(f"GRADER_NOW is not an ISO 8601 date and time: {e}", EXIT_USAGE) from e


def cmd_review(args: argparse.Namespace) -> int:
    from grader.commands import review

    now = _review_clock()
    katas = catalog.discover()
    if args.kata is None:
        if args.check or args.fresh:
            raise CliError("name the kata to review: grader review KATA --check", EXIT_USAGE)
        table, warning = _progress(strict=False)
        if args.json:
            print(json.dumps(review.listing(katas, table, now), indent=1))
        else:
            if warning:
                err(f"{warning}; no reviews can be scheduled until it is fixed")
            review.show(katas, table, now)
        return EXIT_FAIL if warning else 0
    table, _ = _progress(strict=True)  # a review is of a recorded pass, and is recorded beside it
    k = _pick(args.kata, katas, table)
    try:
        if args.check:
            return review.check(k, table, now, None, verbose=args.verbose)
        return review.start(k, table, now, fresh=args.fresh)
    except review.ReviewError as e:
        raise CliError(str(e)) from e


# ---------------------------------------------------------------- check
def cmd_check(args: argparse.Namespace) -> int:
    from grader.commands import check

    table, warning = _progress(strict=False)
    katas = catalog.discover()
    if args.notebook:
        return _check_notebook(args, katas, table, warning)
    k = _pick(args.kata, katas, table)
    return check.check(k, verbose=args.verbose, progress_warning=warning)


def _check_notebook(args: argparse.Namespace, katas: list[Kata], table: dict[str, dict], warning: str | None) -> int:
    from grader.authoring import notebooks
    from grader.commands import check

    path = Path(args.notebook)
    if not path.is_file():
        raise CliError(f"no notebook at {path}", EXIT_USAGE)
    try:
        named, code = notebooks.module_source(path)
    except notebooks.NotebookError as e:
        raise CliError(str(e)) from e
    query = args.kata or named
    if query is None:
        raise CliError(f"{path} does not say which kata it is; name it: grader check KATA --notebook {path}", EXIT_USAGE)
    k = _pick(query, katas, table)
    return check.check(k, verbose=args.verbose, progress_warning=warning, code=code, source=str(path))


def cmd_notebooks(args: argparse.Namespace) -> int:
    from grader.authoring import notebooks

    katas = catalog.discover()
    if args.katas:
        chosen = [_pick(q, katas, {}) for q in args.katas]
    elif args.track:
        chosen = [k for k in katas if k.track == args.track]
        if not chosen:
            raise CliError(f"no katas in track '{args.track}'", EXIT_USAGE)
    else:
        chosen = katas
    out = Path(args.out)
    write = notebooks.write_learner if args.learner else notebooks.write_course
    steps = Steps(len(chosen), "notebooks")
    written = []
    try:
        for k in chosen:  # one kata at a time, so a terminal sees how far along the build is
            steps.step(k.id)
            written += write([k], out)
    except (notebooks.NotebookError, OSError) as e:
        raise CliError(f"a kata cannot be turned into a notebook: {e}") from e
    finally:
        steps.finish()
    sections = {p.parent.name for p in written}
    what = "learner notebooks" if args.learner else "nbgrader course (source notebooks with solutions)"
    print(f"wrote {len(written)} notebooks in {len(sections)} assignments to {out} as an {what}")
    if not args.learner:
        first = sorted(sections)[0]
        print(f"next: cd {out} && nbgrader generate_assignment {first}   (one assignment per curriculum section)")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from grader.commands import watch

    table, warning = _progress(strict=False)
    k = _pick(args.kata, catalog.discover(), table)
    return watch.watch(k, progress_warning=warning)


# ---------------------------------------------------------------- solution / reset
def cmd_solution(args: argparse.Namespace) -> int:
    table, warning = _progress(strict=False)
    k = _pick(args.kata, catalog.discover(), table)
    if not k.solution.exists():
        raise CliError(f"{k.id}: the reference solution is not in this checkout ({paths.relative(k.solution)})")
    passed = _status(k, table) == "passed"
    if not passed and not args.reveal:
        raise CliError(f"{k.id} has not passed yet; `grader hint {k.id}` may be enough. "
                       f"To see the solution anyway: grader solution {k.id} --reveal")
    if not passed:
        if warning:
            raise CliError(f"{warning}; not revealing, because the reveal could not be recorded")
        import datetime as dt

        progress.update(paths.progress_file(), {k.id: {"revealed": dt.datetime.now(dt.UTC).replace(microsecond=0)}})
    print(paint(f"# {paths.relative(k.solution)}", "dim"))
    print(k.solution.read_text(encoding="utf-8"), end="")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from grader.commands import reset

    table, _ = _progress(strict=False)
    k = _pick(args.kata, catalog.discover(), table)
    return reset.reset(k, assume_yes=args.yes)


# ---------------------------------------------------------------- verify
def cmd_verify(args: argparse.Namespace) -> int:
    from grader.authoring import verify

    katas = catalog.discover()
    chosen = [_pick(q, katas, {}) for q in args.katas] if args.katas else katas
    if not chosen:
        raise CliError("there are no katas to verify")
    workers = args.workers
    if args.mutants:
        return _verify_mutants(chosen, workers, args.json, record=not args.no_refresh)
    if args.learner_profile:
        return _verify_learner_profile(chosen, workers, args.seeds, args.budget_tolerance)
    print(f"verifying {len(chosen)} kata{'s' * (len(chosen) != 1)} (stub, solution, every pitfall)"
          + (f" on {workers} workers" if workers > 1 else "") + " ...", flush=True)
    try:
        with Ticker(f"verify: {len(chosen)} kata{'s' * (len(chosen) != 1)} on {workers} worker{'s' * (workers != 1)}"):
            verdicts, wall = verify.verify(chosen, workers=workers, refresh_fingerprints=not args.no_refresh,
                                           budget_tolerance=args.budget_tolerance)
    except RuntimeError as e:
        raise CliError(str(e)) from e
    for v in verdicts:
        mark = paint("✓", "green") if v.ok else paint("✗", "red")
        skipped = f" ({v.skipped} skipped: no CUDA device)" if v.skipped else ""
        print(f"{mark} {v.kata.id:<10} {v.tests:>2} tests{skipped} · {v.pitfalls_caught}/{v.pitfalls} pitfalls caught · "
              f"solution {v.solution_seconds:5.2f} s CPU (budget {v.budget:.0f} s)  {paint(paths.relative(v.kata.folder), 'dim')}")
        for b in v.breaches:
            print(f"    {paint('breach:', 'red')} {b}")
        for w in v.warnings:
            print(f"    {paint('warning:', 'yellow')} {w}")
    bad = [v for v in verdicts if not v.ok]
    print(f"{len(verdicts) - len(bad)}/{len(verdicts)} katas sound, {sum(len(v.breaches) for v in bad)} breaches, "
          f"wall time {wall:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps([{"id": v.kata.id, "ok": v.ok, "breaches": v.breaches,
                                                "tests": v.tests, "pitfalls": v.pitfalls,
                                                "pitfalls_caught": v.pitfalls_caught, "caught_by": v.caught_by,
                                                "skipped": v.skipped, "warnings": v.warnings, "budget": v.budget,
                                                "solution_seconds": round(v.solution_seconds, 3)} for v in verdicts],
                                              indent=1), encoding="utf-8")
    return EXIT_FAIL if bad else 0


def _verify_learner_profile(chosen: list[Kata], workers: int, n_seeds: int, tolerance: float) -> int:
    import random

    from grader.authoring import verify

    seeds = [random.SystemRandom().randrange(2**32) for _ in range(n_seeds)]
    print(f"verifying {len(chosen)} kata{'s' * (len(chosen) != 1)} under the learner's conditions (random draws, "
          f"memory cap) with seeds {', '.join(map(str, seeds))} ...", flush=True)
    try:
        with Ticker(f"verify --learner-profile: {len(chosen)} katas × {n_seeds} seeds"):
            found = verify.verify_learner_profile(chosen, seeds, workers, budget_tolerance=tolerance)
    except RuntimeError as e:
        raise CliError(str(e)) from e
    flips = {k: v for k, v in found.items() if v}
    for kata_id, breaches in flips.items():
        print(f"{paint('✗', 'red')} {kata_id}")
        for b in breaches:
            print(f"    {paint('breach:', 'red')} {b}")
    print(f"{len(chosen) - len(flips)}/{len(chosen)} katas give the same verdict under {n_seeds} learner-profile "
          f"seed{'s' * (n_seeds != 1)} (replay one: pytest KATA --grader-target=all --hypothesis-profile=learner "
          "--hypothesis-seed=SEED --grader-learner-conditions)")
    return EXIT_FAIL if flips else 0


def _verify_mutants(chosen: list[Kata], workers: int, json_out: str | None, record: bool = True) -> int:
    from grader.authoring import mutation
    from grader.stores import mutation_ledger

    print(f"mutating the solutions of {len(chosen)} kata{'s' * (len(chosen) != 1)}"
          + (f" on {workers} workers" if workers > 1 else "") + " ...", flush=True)
    verdicts = []
    with_rows = mutation.verify_mutants(chosen, workers)
    for v in with_rows:
        verdicts.append(v)
        mark = paint("✓", "green") if v.ok else paint("✗", "red")
        print(f"{mark} {v.kata.id:<10} {len(v.made):>3} mutants · {len(v.killed):>3} killed · "
              f"{len(v.equivalent)} equivalent · {len(v.survivors)} survived · score {v.score:6.1%}")
        if v.error:
            print(f"    {paint('error:', 'red')} {v.error}")
        for m in v.survivors:
            print(f"    {paint('survivor', 'red')} {m.id}\n      {m.diff().replace(chr(10), chr(10) + '      ')}")
        for i in v.stale:
            print(f"    {paint('stale:', 'yellow')} kata.toml calls {i} equivalent, but it no longer survives (or exists)")
    print("\nmutation score per track (killed / (mutants - equivalent)):")
    for track, (made, killed, equivalent, survived) in sorted(mutation.scores_by_track(verdicts).items()):
        score = killed / (made - equivalent) if made - equivalent else 1.0
        print(f"  {track:<6} {made:>5} mutants  {killed:>5} killed  {equivalent:>4} equivalent  "
              f"{survived:>4} unexplained  score {score:6.1%}")
    bad = [v for v in verdicts if not v.ok]
    print(f"{len(verdicts) - len(bad)}/{len(verdicts)} katas without unexplained survivors")
    if record:
        mutation_ledger.record({v.kata.id: mutation_ledger.entry(v.kata, len(v.made), len(v.killed), len(v.equivalent),
                                                                 [m.id for m in v.survivors], v.inputs)
                                for v in verdicts if v.error is None})
    if json_out:
        Path(json_out).write_text(json.dumps([{
            "id": v.kata.id, "ok": v.ok, "mutants": len(v.made), "killed": v.killed,
            "equivalent": [m.id for m in v.equivalent], "stale": v.stale, "error": v.error,
            "survivors": [{"id": m.id, "line": m.line, "before": m.before, "after": m.after} for m in v.survivors],
        } for v in verdicts], indent=1), encoding="utf-8")
    return EXIT_FAIL if bad else 0


# ---------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="grader", description="The ML kata workbook: progress, checks, hints and verification.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    kata_help = "a kata id (nlp-02-3), its folder, or part of its name"

    s = sub.add_parser("status", help="overall and per-track progress, the next kata, the hardware")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("export", help="the curriculum as your Markdown checklist, ticked where you passed")
    s.add_argument("--track", help="one track (nlp is seed 003's checklist, line for line)")
    s.add_argument("--section", help="one section, e.g. nlp-03: its heading and items only")
    s.add_argument("--format", choices=("markdown", "json", "csv"), default="markdown")
    s.add_argument("-o", "--out", metavar="FILE", help="write to FILE (replaced atomically) instead of printing")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("list", help="the katas that exist, in curriculum order")
    s.add_argument("--track")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--todo", action="store_true", help="only katas not yet passed")
    g.add_argument("--done", action="store_true", help="only passed katas")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("next", help="the first kata not yet passed whose prerequisites have passed")
    s.add_argument("--path", metavar="NAME", help="follow a named route: curriculum (default), nlp, sprint "
                                                  "(`grader paths` lists them)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_next)

    s = sub.add_parser("paths", help="the named routes through the curriculum, and how far along each you are")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_paths)

    s = sub.add_parser("check", help="run a kata's tests against your code and record the result")
    s.add_argument("kata", nargs="?", help=kata_help + " (default: the next kata)")
    s.add_argument("-v", "--verbose", action="store_true", help="show every failure in full and pytest's output")
    s.add_argument("--notebook", metavar="PATH", help="check the code in a kata notebook instead of the kata's file")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("report", help="your progress as a self-contained HTML page and a PNG summary")
    s.add_argument("out", help="the HTML file to write, e.g. progress.html")
    s.add_argument("--png", metavar="FILE", help="where the PNG summary goes (default: beside the page, .png)")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("review", help="spaced review: rewrite a passed kata from a fresh stub, in a practice file")
    s.add_argument("kata", nargs="?", help=kata_help + " (default: list the reviews that are due)")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="run the kata's tests against your practice file and record the review")
    g.add_argument("--fresh", action="store_true", help="start the practice file over from the stub")
    s.add_argument("-v", "--verbose", action="store_true", help="with --check: show every failure in full")
    s.add_argument("--json", action="store_true", help="list every passed kata's review schedule as JSON")
    s.set_defaults(func=cmd_review)

    s = sub.add_parser("notebooks", help="build an nbgrader course (or learner notebooks) from the katas")
    s.add_argument("katas", nargs="*", help="katas to include (default: all, or --track)")
    s.add_argument("--track")
    s.add_argument("--out", required=True, help="the course directory to write")
    s.add_argument("--learner", action="store_true", help="notebooks for self-study: the stub, no solutions")
    s.set_defaults(func=cmd_notebooks)

    s = sub.add_parser("watch", help="re-check a kata on every save, from a warm process")
    s.add_argument("kata", nargs="?", help=kata_help + " (default: the next kata)")
    s.set_defaults(func=cmd_watch)

    s = sub.add_parser("hint", help="a kata's hints, one level at a time")
    s.add_argument("kata", help=kata_help)
    s.add_argument("n", nargs="?", type=int, help="hint number (default 1)")
    s.set_defaults(func=cmd_hint)

    s = sub.add_parser("solution", help="show the reference solution of a passed kata")
    s.add_argument("kata", help=kata_help)
    s.add_argument("--reveal", action="store_true", help="show it before passing (noted in progress.toml)")
    s.set_defaults(func=cmd_solution)

    s = sub.add_parser("reset", help="restore a kata's stub, keeping your file as a backup")
    s.add_argument("kata", help=kata_help)
    s.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    s.set_defaults(func=cmd_reset)

    s = sub.add_parser("verify", help="maintainers: prove katas sound (stub fails, solution passes, pitfalls caught)")
    s.add_argument("katas", nargs="*", help="katas to verify (default: all)")
    s.add_argument("-n", "--workers", type=int, default=1, help="parallel pytest processes, each verifying a share of the katas")
    s.add_argument("--no-refresh", action="store_true",
                   help="do not refresh grader/fingerprints.json (with --mutants: grader/mutation.json)")
    s.add_argument("--json", metavar="FILE", help="also write the verdicts as JSON")
    s.add_argument("--budget-tolerance", type=float, default=1.0, metavar="X",
                   help="a time-budget overrun is a breach only beyond X × the budget (a warning below; default 1)")
    s.add_argument("--learner-profile", action="store_true",
                   help="run solutions and pitfalls under the learner's conditions (random draws, memory cap) and "
                        "report any verdict that changes between seeds")
    s.add_argument("--seeds", type=int, default=3, help="with --learner-profile: how many seeds (default 3)")
    s.add_argument("--mutants", action="store_true",
                   help="authors: run the tests against every mutant of each solution; fail on unexplained survivors")
    s.set_defaults(func=cmd_verify)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        args = parser.parse_args(["status", *(argv or [])])
        func = args.func
    try:
        return func(args)
    except CliError as e:
        err(str(e))
        return e.status
    except progress.ProgressError as e:
        err(str(e))
        return EXIT_FAIL
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug of ours: still one line, with a way to see more
        if os.environ.get("GRADER_DEBUG"):
            raise
        err(f"internal error: {type(e).__name__}: {e} (run with GRADER_DEBUG=1 for the traceback)")
        return EXIT_FAIL
