"""The learner's progress store, `progress.toml`.

One table per kata that has been run, under `[katas]`. Reads use the fast stdlib parser; writes
go through tomlkit so a learner's comments and keys the grader does not know survive, happen under
a cross-process lock, and replace the file atomically (temporary file, fsync, rename), leaving the
previous good version in `progress.toml.bak`. A file that does not parse is never written to.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

STATUSES = ("todo", "failing", "passed")
HEADER = """\
# Your progress through the ML kata workbook, written by `grader check` and by pytest runs over katas.
# One table per kata you have run. Comments and keys you add are kept.
"""
LOCK_TIMEOUT_S = 60


class ProgressError(Exception):
    """progress.toml cannot be read or written; the message is one line for the learner."""


@dataclass(frozen=True)
class RunResult:
    """The outcome of one full run of a kata's tests."""

    passed: int
    failed: int
    skipped: int = 0
    fingerprint: str = ""
    crashed: bool = False  # the interpreter died: never a pass
    tests_modified: bool = False  # the learner's copy of the tests differs from the shipped one

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def is_pass(self) -> bool:
        return self.failed == 0 and self.passed > 0 and not self.crashed and not self.tests_modified


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _parse_error(path: Path, e: Exception, text: str = "") -> ProgressError:
    reason = str(e).replace("\n", " ")
    if "(at end of document)" in reason:  # tomllib names no line here; the learner needs one
        last = max(1, len(text.rstrip("\n").splitlines()))
        reason = reason.replace("(at end of document)", f"(at line {last}, the end of the file)")
    return ProgressError(f"{path} is not valid TOML: {reason}; it was left untouched, fix or move it")


def read(path: Path) -> dict[str, dict]:
    """Per-kata tables. A missing file is empty progress; an unparseable one raises ProgressError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as e:
        raise ProgressError(f"{path} is not UTF-8 text ({e.reason} at byte {e.start}); it was left untouched") from e
    except OSError as e:
        raise ProgressError(f"cannot read {path}: {e.strerror or e}") from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _parse_error(path, e, text) from e
    katas = data.get("katas", {})
    if not isinstance(katas, dict):
        raise ProgressError(f"{path}: `katas` should be a table of kata tables; it was left untouched")
    return {k: v for k, v in katas.items() if isinstance(v, dict)}


def status_of(entry: dict | None) -> str:
    status = (entry or {}).get("status", "todo")
    return status if status in STATUSES else "todo"


def _lock(path: Path):  # noqa: ANN202 - filelock is imported lazily: `grader status` never writes
    from filelock import FileLock

    return FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)


def update(path: Path, changes: dict[str, RunResult | dict]) -> dict[str, dict]:
    """Apply run results (or raw key updates) to kata tables, atomically and under the lock.

    Returns the changed kata tables as written.
    """
    import tomlkit
    from filelock import Timeout

    try:
        with _lock(path):
            if path.exists() and not path.stat().st_mode & 0o222:
                raise ProgressError(f"{path} is read-only; make it writable to record progress")
            _remove_orphans(path)
            try:
                raw: bytes | None = path.read_bytes()
                text = raw.decode("utf-8")  # no newline translation: the backup must be byte-exact
            except FileNotFoundError:
                raw, text = None, HEADER
            except UnicodeDecodeError as e:
                raise ProgressError(f"{path} is not UTF-8 text ({e.reason} at byte {e.start}); it was left untouched") from e
            try:
                doc = tomlkit.parse(text)
                tomllib.loads(text)  # tomlkit accepts a few things TOML does not; be as strict as readers
            except Exception as e:
                raise _parse_error(path, e, text) from e
            katas = doc.get("katas")
            if katas is None:
                katas = tomlkit.table(is_super_table=True)
                doc["katas"] = katas
            elif not isinstance(katas, dict):
                raise ProgressError(f"{path}: `katas` should be a table of kata tables; it was left untouched")
            for kata_id, change in changes.items():
                entry = katas.get(kata_id)
                if not isinstance(entry, dict):
                    entry = tomlkit.table()
                    katas[kata_id] = entry
                if isinstance(change, RunResult):
                    _apply_run(entry, change)
                else:
                    for key, value in change.items():
                        entry[key] = value
            _write_atomically(path, tomlkit.dumps(doc).encode("utf-8"), backup=raw)
            return {kata_id: katas[kata_id].unwrap() for kata_id in changes}
    except Timeout as e:
        raise ProgressError(f"{path} is locked by another grader process ({e.lock_file}); try again") from e
    except OSError as e:
        raise ProgressError(f"cannot write {path}: {e.strerror or e}") from e


def _apply_run(entry: dict, run: RunResult) -> None:
    now = _now()
    entry["status"] = "passed" if run.is_pass else "failing"
    entry["tests_passed"] = run.passed
    entry["tests_total"] = run.total
    attempts = entry.get("attempts", 0)
    entry["attempts"] = (attempts if isinstance(attempts, int) else 0) + 1
    if "first_run" not in entry and "first_passed" not in entry:  # when work on the kata began: time to pass
        entry["first_run"] = now
    if run.is_pass:
        if "first_passed" not in entry:
            entry["first_passed"] = now
        entry["fingerprint"] = run.fingerprint
    entry["last_run"] = now


def _remove_orphans(path: Path) -> None:
    """Temporary files of writers killed mid-write. Safe: every writer holds the lock we hold."""
    for orphan in path.parent.glob(f".{path.name}.*.tmp"):
        orphan.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes, backup: bytes | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if backup is not None:
        _replace(path.with_name(path.name + ".bak"), backup)
    _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
