"""Tests for prod-02-1, an experiment tracker on SQLite.

References: everything logged is read back through the API and through a fresh tracker on the same
file (and the file is a real SQLite database); metrics are compared with the logged points sorted
by hand; artifacts with hashlib.sha256 and their bytes; compare_runs with a brute-force ranking;
four processes logging into one file at once lose no row.
"""
import hashlib
import multiprocessing
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.strategies import seeds

PARAMS = st.dictionaries(st.sampled_from(["lr", "depth", "optimizer", "dropout", "seed"]),
                         st.one_of(st.integers(-5, 5), st.floats(0, 1, width=32), st.sampled_from(["adam", "sgd"]), st.booleans()),
                         max_size=4)


@settings(max_examples=10)
@given(params=PARAMS, seed=seeds(), n=st.integers(0, 12))
def test_run_roundtrip(kata, params, seed, n):
    rng = np.random.default_rng(seed)
    logged = [(str(rng.choice(["loss", "acc"])), int(rng.integers(0, 4)), float(np.round(rng.normal(), 3))) for _ in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "runs.db"
        t = kata.Tracker(db)
        rid = t.start_run("exp", params)
        for key, step, value in logged:
            t.log_metric(rid, key, value, step)
        want_metrics: dict = {}
        for key, step, value in sorted(logged, key=lambda r: (r[0], r[1])):     # stable: equal steps keep logging order
            want_metrics.setdefault(key, []).append((step, value))
        for tracker in (t, kata.Tracker(db)):                                   # a fresh tracker on the same file
            run = tracker.get_run(rid)
            assert run["experiment"] == "exp" and run["params"] == params and run["status"] == "running", f"get_run: {run}"
            got = {k: [(int(s), float(v)) for s, v in pts] for k, pts in run["metrics"].items()}
            assert got == want_metrics, f"metrics after logging {logged}:\n  got  {got}\n  want {want_metrics}"
        with sqlite3.connect(db) as con:
            tables = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert tables, f"{db} holds no SQLite table"


def test_artifacts_and_status(kata):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = kata.Tracker(tmp / "runs.db")
        t.start_run("first", {})
        rid = t.start_run("exp", {"lr": 0.1})
        data = bytes(range(256)) * 3
        (tmp / "model.bin").write_bytes(data)
        digest = t.log_artifact(rid, tmp / "model.bin")
        assert digest == hashlib.sha256(data).hexdigest(), f"log_artifact returned {digest}, expected the sha256 of the bytes"
        (tmp / "model.bin").write_bytes(b"changed later")
        assert t.load_artifact(rid, "model.bin") == data, "load_artifact should return the bytes as logged"
        assert t.get_run(rid)["artifacts"] == {"model.bin": digest}, f"get_run artifacts: {t.get_run(rid)['artifacts']}"
        t.end_run(rid)
        assert t.get_run(rid)["status"] == "finished", "end_run's default status is 'finished'"
        other = t.start_run("exp", {})
        t.end_run(other, status="failed")
        assert t.get_run(other)["status"] == "failed", "end_run(status='failed') not recorded"
        for call, why in [(lambda: t.log_metric(rid, "loss", 1.0, 0), "log_metric on an ended run"),
                          (lambda: t.log_artifact(rid, tmp / "model.bin"), "log_artifact on an ended run"),
                          (lambda: t.log_metric(999, "loss", 1.0, 0), "log_metric on an unknown run"),
                          (lambda: t.log_artifact(999, tmp / "model.bin"), "log_artifact on an unknown run"),
                          (lambda: t.get_run(999), "get_run of an unknown run"),
                          (lambda: t.end_run(999), "end_run of an unknown run"),
                          (lambda: t.end_run(other, status="done"), "end_run with status 'done'"),
                          (lambda: t.load_artifact(other, "model.bin"), "load_artifact of a missing artifact")]:
            with pytest.raises(ValueError):
                call()
                pytest.fail(f"{why} returned instead of raising ValueError")
        live = t.start_run("exp", {})
        for bad in (float("nan"), float("inf")):
            with pytest.raises(ValueError):
                t.log_metric(live, "loss", bad, 0)
                pytest.fail(f"log_metric with value {bad} returned instead of raising ValueError")


@settings(max_examples=15)
@given(seed=seeds(), mode=st.sampled_from(["min", "max"]))
def test_compare_runs(kata, seed, mode):
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        t = kata.Tracker(Path(tmp) / "runs.db")
        best = {}
        for i in range(int(rng.integers(1, 7))):
            exp = "exp" if rng.random() < 0.8 else "other"
            tag = "".join(rng.choice(list("abcxyz"), 3))      # params unrelated to the run order
            rid = t.start_run(exp, {"tag": tag})
            values = np.round(rng.uniform(0, 1, int(rng.integers(0, 4)) if i else 3), 1)     # ties are likely
            for step, v in enumerate(values):
                t.log_metric(rid, "val_loss", float(v), step)
            t.log_metric(rid, "train_loss", 5.0, 0)
            if exp == "exp" and values.size:
                best[rid] = (float(values.min() if mode == "min" else values.max()), {"tag": tag})
        got = t.compare_runs("exp", "val_loss", mode=mode)
        want = sorted(((r, v, p) for r, (v, p) in best.items()), key=lambda x: ((x[1] if mode == "min" else -x[1]), x[0]))
        got = [(int(r), float(v), p) for r, v, p in got]
        assert got == want, f"compare_runs('exp', 'val_loss', mode={mode!r}):\n  got  {got}\n  want {want}"
        if mode == "min":
            assert [(int(r), float(v), p) for r, v, p in t.compare_runs("exp", "val_loss")] == want, "mode defaults to 'min'"
    with pytest.raises(ValueError):
        t.compare_runs("exp", "val_loss", mode="best")
        pytest.fail("compare_runs with mode='best' returned instead of raising ValueError")


def writer(kata, db: str, worker: int, n: int, queue) -> None:
    t = kata.Tracker(db)
    ids = []
    for r in range(2):
        rid = t.start_run("parallel", {"worker": worker, "r": r})
        ids.append(rid)
        for step in range(n):
            t.log_metric(rid, "loss", worker + step / 100, step)
    queue.put(ids)


def test_concurrent_writers_lose_nothing(kata):
    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "runs.db")
        kata.Tracker(db).start_run("warm-up", {})          # the parent can write before the children start
        queue = ctx.Queue()
        procs = [ctx.Process(target=writer, args=(kata, db, w, 25, queue)) for w in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert all(p.exitcode == 0 for p in procs), f"writer processes exited with {[p.exitcode for p in procs]}"
        ids = [i for _ in procs for i in queue.get(timeout=5)]
        assert len(set(ids)) == 8, f"4 processes x 2 runs got run ids {ids}: ids must be distinct"
        t = kata.Tracker(db)
        for rid in ids:
            run = t.get_run(rid)
            w = run["params"]["worker"]
            pts = run["metrics"].get("loss", [])
            assert [(int(s), float(v)) for s, v in pts] == [(s, w + s / 100) for s in range(25)], (
                f"run {rid} of worker {w}: {len(pts)} of 25 points survived concurrent writing")
