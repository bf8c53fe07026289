"""Reference solution for prod-02-1."""
from __future__ import annotations

import hashlib
import json
import math
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
    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        with self._connect() as con:
            con.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=60.0)

    def start_run(self, experiment: str, params: dict[str, Any]) -> int:
        with self._connect() as con:
            cur = con.execute("INSERT INTO runs (experiment, params, status) VALUES (?, ?, 'running')",
                              (experiment, json.dumps(params, sort_keys=True)))
            return int(cur.lastrowid)

    def _check(self, con: sqlite3.Connection, run_id: int) -> str:
        row = con.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ValueError(f"unknown run {run_id}")
        return row[0]

    def log_metric(self, run_id: int, key: str, value: float, step: int) -> None:
        if not math.isfinite(value):
            raise ValueError("metric values must be finite")
        with self._connect() as con:
            if self._check(con, run_id) != "running":
                raise ValueError(f"run {run_id} has ended")
            con.execute("INSERT INTO metrics VALUES (?, ?, ?, ?)", (run_id, key, int(step), float(value)))

    def log_artifact(self, run_id: int, path: str | Path) -> str:
        data = Path(path).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        with self._connect() as con:
            if self._check(con, run_id) != "running":
                raise ValueError(f"run {run_id} has ended")
            con.execute("INSERT INTO artifacts VALUES (?, ?, ?, ?)", (run_id, Path(path).name, digest, data))
        return digest

    def end_run(self, run_id: int, status: str = "finished") -> None:
        if status not in ("finished", "failed"):
            raise ValueError(f"unknown status {status!r}")
        with self._connect() as con:
            self._check(con, run_id)
            con.execute("UPDATE runs SET status = ? WHERE id = ?", (status, run_id))

    def get_run(self, run_id: int) -> dict[str, Any]:
        with self._connect() as con:
            self._check(con, run_id)
            experiment, params, status = con.execute("SELECT experiment, params, status FROM runs WHERE id = ?",
                                                     (run_id,)).fetchone()
            metrics: dict[str, list[tuple[int, float]]] = {}
            for key, step, value in con.execute("SELECT key, step, value FROM metrics WHERE run_id = ? "
                                                "ORDER BY key, step, rowid", (run_id,)):
                metrics.setdefault(key, []).append((step, value))
            artifacts = {name: digest for name, digest in con.execute(
                "SELECT name, digest FROM artifacts WHERE run_id = ? ORDER BY rowid", (run_id,))}
        return {"experiment": experiment, "params": json.loads(params), "status": status, "metrics": metrics,
                "artifacts": artifacts}

    def load_artifact(self, run_id: int, name: str) -> bytes:
        with self._connect() as con:
            row = con.execute("SELECT content FROM artifacts WHERE run_id = ? AND name = ? ORDER BY rowid DESC",
                              (run_id, name)).fetchone()
        if row is None:
            raise ValueError(f"run {run_id} has no artifact {name!r}")
        return bytes(row[0])

    def compare_runs(self, experiment: str, metric: str, mode: str = "min") -> list[tuple[int, float, dict[str, Any]]]:
        if mode not in ("min", "max"):
            raise ValueError(f"unknown mode {mode!r}")
        agg = "MIN" if mode == "min" else "MAX"
        with self._connect() as con:
            rows = con.execute(f"SELECT r.id, {agg}(m.value), r.params FROM runs r JOIN metrics m ON m.run_id = r.id "
                               "WHERE r.experiment = ? AND m.key = ? GROUP BY r.id ORDER BY r.id", (experiment, metric)).fetchall()
        sign = 1 if mode == "min" else -1
        rows.sort(key=lambda r: (sign * r[1], r[0]))
        return [(int(i), float(v), json.loads(p)) for i, v, p in rows]
