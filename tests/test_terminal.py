"""Friendly to the terminal it runs in: --json listings, colour only on a terminal, progress on long commands
(issue 22, part 5)."""
import io
import json
import os
import pty
import subprocess
import sys
import time

import pytest
from journey_copy import entry, write_progress

from grader.commands.render import Steps, Ticker, use_color

ESC = "\x1b["


def on_terminal(wb, *args: str, env: dict | None = None, stream: str = "stdout") -> tuple[str, str]:
    """Run grader with `stream` (stdout or stderr) on a pseudo-terminal; returns (terminal text, other stream)."""
    master, slave = pty.openpty()
    base = {k: v for k, v in wb.env.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    kw = {"stdout": slave, "stderr": subprocess.PIPE} if stream == "stdout" else {"stdout": subprocess.PIPE, "stderr": slave}
    proc = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=wb.root, env={**base, **(env or {})},
                            stdin=subprocess.DEVNULL, **kw)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    other = (proc.stderr if stream == "stdout" else proc.stdout).read().decode()
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode(errors="replace"), other


def test_colour_only_on_a_terminal_and_never_with_no_color(workbook):
    coloured, _ = on_terminal(workbook, "status")
    assert ESC in coloured and "ML kata workbook" in coloured
    for env in ({"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"TERM": "dumb"}):
        plain, _ = on_terminal(workbook, "status", env=env)
        assert ESC not in plain and "ML kata workbook" in plain, env
    piped = subprocess.run([sys.executable, "-m", "grader", "status"], cwd=workbook.root, capture_output=True, text=True,
                           env={k: v for k, v in workbook.env.items() if k not in ("NO_COLOR", "FORCE_COLOR")})
    assert ESC not in piped.stdout + piped.stderr and "ML kata workbook" in piped.stdout
    for name in ("list", "next", "paths", "review", "export"):
        plain, _ = on_terminal(workbook, name, env={"NO_COLOR": "1"})
        assert ESC not in plain, name


def test_use_color_rules(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for var in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(var, raising=False)
    assert use_color(Tty()) and not use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")  # an empty NO_COLOR does not count (no-color.org)
    assert use_color(Tty())
    monkeypatch.setenv("NO_COLOR", "yes")
    assert not use_color(Tty())


def test_every_listing_command_has_json(workbook):
    write_progress(workbook.progress, {"nlp-02-1": entry(root=workbook.root, kata_id="nlp-02-1", first_passed=time_ago(9))})
    for args in (["status", "--json"], ["list", "--json"], ["next", "--json"], ["paths", "--json"],
                 ["review", "--json"], ["export", "--format", "json"]):
        out, _ = on_terminal(workbook, *args)  # a terminal, and still no colour inside JSON
        assert ESC not in out, args
        json.loads(out)
    assert json.loads(workbook.grader("review", "--json").stdout)[0]["is_due"] is True


def time_ago(days: int):
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=days)


def test_report_and_notebooks_show_progress_on_a_terminal_only(workbook, tmp_path):
    shown, _ = on_terminal(workbook, "report", str(tmp_path / "me.html"), stream="stderr")
    assert "\rreport 1/7 reading the workbook" in shown and "report 6/7 drawing the PNG summary" in shown
    assert "report 7/7 writing the page" in shown
    assert shown.rstrip(" \r\n") == "" or shown.endswith("\r")  # the progress line is cleared at the end
    piped = workbook.grader("report", str(tmp_path / "again.html"))
    assert piped.returncode == 0 and "\r" not in piped.stderr + piped.stdout
    shown, out = on_terminal(workbook, "notebooks", "--learner", "--out", str(tmp_path / "nb"), stream="stderr")
    assert "\rnotebooks 1/1 nlp-02-1" in shown and "wrote 1 notebooks" in out
    piped = workbook.grader("notebooks", "--learner", "--out", str(tmp_path / "nb2"))
    assert piped.returncode == 0 and "\r" not in piped.stderr


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_steps_and_ticker_write_only_to_a_terminal():
    tty, pipe = FakeTty(), io.StringIO()
    for stream in (tty, pipe):
        steps = Steps(2, "work", stream=stream)
        steps.step("first")
        steps.step("second, longer")
        steps.finish()
    assert tty.getvalue().startswith("\rwork 1/2 first\rwork 2/2 second, longer")
    assert tty.getvalue().endswith("\r") and pipe.getvalue() == ""
    tty, pipe = FakeTty(), io.StringIO()
    for stream in (tty, pipe):
        with Ticker("verify: 3 katas", stream=stream, every=0.05):
            time.sleep(0.2)
    assert "\rverify: 3 katas · 0:00 elapsed" in tty.getvalue() and pipe.getvalue() == ""


@pytest.mark.parametrize("args", [["next", "--path"], ["review", "--check", "--fresh", "nlp-02-1"],
                                  ["export", "--format"], ["report"]])
def test_usage_errors_are_argparse_one_liners(workbook, args):
    out = workbook.grader(*args)
    assert out.returncode == 2 and "usage:" in out.stderr and "Traceback" not in out.stderr
