"""prod-02-1: an experiment tracker on SQLite. Edit this file; `grader check prod-02-1` tests it."""
from __future__ import annotations

import hashlib  # noqa: F401
import json  # noqa: F401
import math  # noqa: F401
import sqlite3
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, experiment TEXT NOT NULL,
                                 params TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS metrics (run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL,
                                    step INTEGER NOT NULL, value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS artifacts (run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL,
                                      digest TEXT NOT NULL, content BLOB NOT NULL);
"""


class Tracker:
    """A tiny MLflow: runs, parameters, metrics and artifacts in one SQLite file.

    Every method opens its own connection (self._connect(), with a 60 s busy timeout) and commits
    before returning, so several processes can log into the same file at once without losing rows.
    The tables of SCHEMA are a suggestion; only the methods' behaviour is tested.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        with self._connect() as con:
            con.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=60.0)

    def start_run(self, experiment: str, params: dict[str, Any]) -> int:
        """Create a run with status "running" and JSON-serialisable params; return its id (ids are
        distinct, also across processes)."""
        raise NotImplementedError("Tracker.start_run")

    def log_metric(self, run_id: int, key: str, value: float, step: int) -> None:
        """Append one (step, value) point to a metric of a running run.

        Raises:
            ValueError: for an unknown run, a run that has ended, or a non-finite value.
        """
        raise NotImplementedError("Tracker.log_metric")

    def log_artifact(self, run_id: int, path: str | Path) -> str:
        """Store the file's bytes with the run under its file name; return their sha256 hex digest.

        Raises:
            ValueError: for an unknown run or a run that has ended.
        """
        raise NotImplementedError("Tracker.log_artifact")

    def end_run(self, run_id: int, status: str = "finished") -> None:
        """Set the run's status to "finished" or "failed".

        Raises:
            ValueError: for an unknown run or another status.
        """
        raise NotImplementedError("Tracker.end_run")

    def get_run(self, run_id: int) -> dict[str, Any]:
        """{"experiment", "params" (as logged), "status", "metrics": {key: [(step, value), ...] sorted
        by step, equal steps in logging order}, "artifacts": {file name: digest}}.

        Raises:
            ValueError: for an unknown run.
        """
        raise NotImplementedError("Tracker.get_run")

    def load_artifact(self, run_id: int, name: str) -> bytes:
        """The bytes of the run's artifact `name` (the latest one logged under that name).

        Raises:
            ValueError: if the run has no such artifact.
        """
        raise NotImplementedError("Tracker.load_artifact")

    def compare_runs(self, experiment: str, metric: str, mode: str = "min") -> list[tuple[int, float, dict[str, Any]]]:
        """Rank the experiment's runs by their best value of `metric` (the minimum over its points for
        mode "min", the maximum for "max"): [(run_id, best, params)], best first, ties by run_id.
        Runs that never logged the metric are left out.

        Raises:
            ValueError: if mode is not "min" or "max".
        """
        raise NotImplementedError("Tracker.compare_runs")
