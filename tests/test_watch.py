"""`grader watch` driven through two saves in a subprocess: a failing one, then a passing one."""
import queue
import subprocess
import sys
import threading
import time
import tomllib

STUB_BODY = '    raise NotImplementedError("sinusoidal_positions: build the (seq_len, d_model) table")'


def _reader(stream, q):
    for line in stream:
        q.put(line)


def _wait_for(q, text, timeout=120):
    seen = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            line = q.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"no {text!r} within {timeout} s; output was:\n{''.join(seen)}")


def test_watch_rechecks_on_save_records_and_offers_the_next_kata(workbook):
    stub = workbook.kata() / "sinusoidal.py"
    original = stub.read_text()
    proc = subprocess.Popen([sys.executable, "-m", "grader", "watch", "nlp-02-1"], cwd=workbook.root, env=workbook.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    q: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, q), daemon=True).start()
    try:
        first = _wait_for(q, "checked in")
        assert "NOT YET  0/3" in first and "not implemented yet" in first
        # Save 1: a wrong implementation (zeros) fails with a pointed message.
        stub.write_text(original.replace(STUB_BODY, "    if d_model % 2:\n        raise ValueError\n"
                                                    "    return torch.zeros(seq_len, d_model)"))
        second = _wait_for(q, "checked in")
        assert "NOT YET" in second and "largest |difference|" in second
        # Save 2: the solution passes, is recorded, and the watcher says so.
        workbook.solve()
        third = _wait_for(q, "Solved!")
        assert "PASSED  3/3 tests pass" in third
        entry = tomllib.loads(workbook.progress.read_text())["katas"]["nlp-02-1"]
        assert entry["status"] == "passed" and entry["attempts"] == 3
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_watch_survives_a_crash_in_learner_code(workbook):
    stub = workbook.kata() / "sinusoidal.py"
    stub.write_text(stub.read_text().replace(STUB_BODY, "    import os\n    os._exit(1)"))
    proc = subprocess.Popen([sys.executable, "-m", "grader", "watch", "nlp-02-1"], cwd=workbook.root, env=workbook.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    q: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, q), daemon=True).start()
    try:
        assert "crashed" in _wait_for(q, "checked in")
        workbook.solve()
        assert "PASSED" in _wait_for(q, "checked in")
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=30)
