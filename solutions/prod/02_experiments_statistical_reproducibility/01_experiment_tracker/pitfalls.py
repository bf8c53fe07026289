"""Plausible wrong experiment-tracker code that the tests must reject."""
from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tracker import Tracker


@pitfall(replaces="Tracker.compare_runs", why="ranks runs by the last logged value instead of the best one")
def last_value(self: Tracker, experiment: str, metric: str, mode: str = "min") -> list[tuple[int, float, dict[str, Any]]]:
    if mode not in ("min", "max"):
        raise ValueError("bad mode")
    out = []
    with self._connect() as con:
        ids = [r[0] for r in con.execute("SELECT id FROM runs WHERE experiment = ?", (experiment,))]
    for rid in ids:
        run = self.get_run(rid)
        if metric in run["metrics"]:
            out.append((rid, run["metrics"][metric][-1][1], run["params"]))
    sign = 1 if mode == "min" else -1
    return sorted(out, key=lambda r: (sign * r[1], r[0]))


@pitfall(replaces="Tracker.compare_runs", why="ignores mode: always the smallest value first (wrong for accuracy)")
def always_min(self: Tracker, experiment: str, metric: str, mode: str = "min") -> list[tuple[int, float, dict[str, Any]]]:
    if mode not in ("min", "max"):
        raise ValueError("bad mode")
    with self._connect() as con:
        rows = con.execute("SELECT r.id, MIN(m.value), r.params FROM runs r JOIN metrics m ON m.run_id = r.id "
                           "WHERE r.experiment = ? AND m.key = ? GROUP BY r.id", (experiment, metric)).fetchall()
    return sorted(((int(i), float(v), json.loads(p)) for i, v, p in rows), key=lambda r: (r[1], r[0]))


@pitfall(replaces="Tracker.log_metric", why="accepts points for runs that have already ended")
def logs_after_end(self: Tracker, run_id: int, key: str, value: float, step: int) -> None:
    if not math.isfinite(value):
        raise ValueError("non-finite")
    with self._connect() as con:
        self._check(con, run_id)
        con.execute("INSERT INTO metrics VALUES (?, ?, ?, ?)", (run_id, key, int(step), float(value)))


@pitfall(replaces="Tracker.log_artifact", why="records only the file's path: later edits to the file change the 'logged' artifact")
def path_only(self: Tracker, run_id: int, path: str | Path) -> str:
    data = Path(path).read_bytes()
    with self._connect() as con:
        if self._check(con, run_id) != "running":
            raise ValueError("ended")
        con.execute("INSERT INTO artifacts VALUES (?, ?, ?, ?)", (run_id, Path(path).name, hashlib.sha256(data).hexdigest(),
                                                                   str(Path(path).resolve()).encode()))
    return hashlib.sha256(data).hexdigest()
