#!/usr/bin/env python3
"""Measure the learner's loop on this machine and print a table of medians and spreads.

    python benchmarks/bench.py                 # everything (verify over all katas takes minutes)
    python benchmarks/bench.py --skip-verify   # the interactive numbers only

Measures, each in fresh processes: `grader status`; a cold `grader check` of a numpy kata and of a
torch kata (solved, in a throwaway copy of the workbook), next to the import floor and the tests'
own time; the warm re-check latency of `grader watch` from file save to verdict; and `grader
verify` over every kata with one worker and with all cores. Timings are real and vary with load:
run it on an idle machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def stats(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples), min(samples), max(samples)


def kata_info(kata_id: str) -> dict:
    out = subprocess.run([PY, "-m", "grader", "list", "--json"], cwd=REPO, capture_output=True, text=True, check=True)
    for k in json.loads(out.stdout):
        if k["id"] == kata_id:
            return k
    raise SystemExit(f"bench: no kata {kata_id}")


def workbook_copy(dest: Path, katas: list[dict]) -> dict[str, str]:
    for k in katas:
        rel = Path(k["path"]).relative_to("katas")
        shutil.copytree(REPO / "katas" / rel, dest / "katas" / rel)
        shutil.copytree(REPO / "solutions" / rel, dest / "solutions" / rel)
        shutil.copy(REPO / k["solution"], dest / k["stub"])  # solved: the tests run in full
    (dest / "grader").mkdir()
    shutil.copy(REPO / "grader" / "fingerprints.json", dest / "grader")
    shutil.copy(REPO / "pyproject.toml", dest)
    return {**os.environ, "GRADER_ROOT": str(dest), "GRADER_PROGRESS": str(dest / "progress.toml"), "NO_COLOR": "1"}


def full_curriculum(dest: Path) -> dict[str, str]:
    """A workbook with a kata folder (metadata and README) for every one of the 442 checkboxes."""
    import tomllib

    data = tomllib.loads((REPO / "grader" / "curriculum.toml").read_text())
    for track in data["track"]:
        for section in track["section"]:
            for box_id, title in section["checkboxes"]:
                folder = dest / "katas" / track["id"] / section["folder"] / f"{int(box_id.split('-')[2]):02d}_kata"
                folder.mkdir(parents=True)
                (folder / "kata.toml").write_text(
                    f'id = "{box_id}"\ntitle = {json.dumps(title)}\nmodule = "kata.py"\nreferences = []\n'
                    'requires = []\ngpu = false\nminutes = 30\n')
                (folder / "README.md").write_text(f"# {title}\n\nOne sentence.\n")
    (dest / "grader").mkdir()
    shutil.copy(REPO / "grader" / "fingerprints.json", dest / "grader")
    return {**os.environ, "GRADER_ROOT": str(dest), "GRADER_PROGRESS": str(dest / "progress.toml"), "NO_COLOR": "1"}


def tests_own_time(env: dict[str, str], cwd: Path, kata: dict) -> float:
    """Sum of the tests' durations (setup, call, teardown) as pytest measures them."""
    report = cwd / "report.json"
    subprocess.run([PY, "-m", "pytest", kata["path"], "-q", "-p", "no:cacheprovider", "--grader-no-record",
                    "--grader-report", str(report)], cwd=cwd, env=env, capture_output=True, check=False)
    return sum(t["duration"] for t in json.loads(report.read_text())["tests"])


def watch_latency(env: dict[str, str], cwd: Path, kata: dict, saves: int) -> list[float]:
    proc = subprocess.Popen([PY, "-m", "grader", "watch", kata["id"]], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stdout], daemon=True).start()

    def verdict(timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                if "checked in" in lines.get(timeout=0.5):
                    return
            except queue.Empty:
                pass
        raise SystemExit("bench: grader watch gave no verdict")

    stub = cwd / kata["stub"]
    try:
        verdict()
        samples = []
        for i in range(saves):
            time.sleep(0.3)
            text = stub.read_text()
            start = time.perf_counter()
            stub.write_text(text + f"\n# save {i}\n")
            verdict()
            samples.append(time.perf_counter() - start)
        return samples
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numpy-kata", default="ml-03-10")  # tests import only numpy and hypothesis
    ap.add_argument("--torch-kata", default="nlp-02-1")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--skip-verify", action="store_true")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []

    def add(name: str, samples: list[float], note: str = "") -> tuple[float, float, float]:
        med, lo, hi = stats(samples)
        rows.append((name, f"{med:.3f} s", f"{lo:.3f}–{hi:.3f} s (n={len(samples)})" + (f"; {note}" if note else "")))
        print(f"  {name}: median {med:.3f} s", file=sys.stderr, flush=True)
        return med, lo, hi

    env = {**os.environ, "GRADER_PROGRESS": os.path.join(tempfile.gettempdir(), "bench-progress.toml"), "NO_COLOR": "1"}
    grader = str(Path(PY).parent / "grader")
    add("grader status (this workbook)", [timed([grader, "status"], env) for _ in range(20)])
    with tempfile.TemporaryDirectory(prefix="bench-full-") as tmp:
        fenv = full_curriculum(Path(tmp))
        add("grader status (442 katas written)", [timed([grader, "status"], fenv) for _ in range(20)], "target ≤ 0.25 s")
    floor_np = add("floor: python -c 'import numpy, hypothesis, pytest'",
                   [timed([PY, "-c", "import numpy, hypothesis, pytest"]) for _ in range(args.runs)])[0]
    floor_t = add("floor: python -c 'import torch, hypothesis, pytest'",
                  [timed([PY, "-c", "import torch, hypothesis, pytest"]) for _ in range(args.runs)])[0]

    katas = [kata_info(args.numpy_kata), kata_info(args.torch_kata)]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        cwd = Path(tmp)
        wenv = workbook_copy(cwd, katas)
        for kata, floor in zip(katas, (floor_np, floor_t), strict=True):
            own = statistics.median(tests_own_time(wenv, cwd, kata) for _ in range(3))
            cold = add(f"cold grader check {kata['id']} (solved)",
                       [timed([PY, "-m", "grader", "check", kata["id"]], wenv, cwd) for _ in range(args.runs)])[0]
            ratio = cold / (floor + own)
            rows.append((f"  tests' own time {kata['id']}", f"{own:.3f} s",
                         f"cold check / (floor + tests) = {ratio:.2f} (target ≤ 1.3)"))
        add(f"warm re-check, save → verdict ({katas[0]['id']})", watch_latency(wenv, cwd, katas[0], 10),
            "target: median ≤ 0.5 s")
        add(f"warm re-check, save → verdict ({katas[1]['id']})", watch_latency(wenv, cwd, katas[1], 10))

    if not args.skip_verify:
        workers = os.cpu_count() or 1
        v1 = timed([PY, "-m", "grader", "verify", "--no-refresh", "-n", "1"], env)
        rows.append(("grader verify, all katas, -n 1", f"{v1:.1f} s", "one run"))
        vn = timed([PY, "-m", "grader", "verify", "--no-refresh", "-n", str(workers)], env)
        rows.append((f"grader verify, all katas, -n {workers}", f"{vn:.1f} s", f"one run; speed-up {v1 / vn:.2f}× (target ≥ 1.6×)"))

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    print(f"\nMachine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}\n")
    print("| measurement | median | spread |")
    print("|---|---|---|")
    for name, med, spread in rows:
        print(f"| {name} | {med} | {spread} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
