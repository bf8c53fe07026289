"""`grader reset`: put a kata's stub back as shipped, keeping the learner's file as a backup.

The shipped stub is found in git history by its fingerprint in grader/fingerprints.json, so a
learner who committed their own work still gets the original back.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

from grader.discovery import paths
from grader.discovery.catalog import Kata
from grader.stores import fingerprint, manifest


class ResetError(Exception):
    pass


def shipped_stub(kata: Kata) -> bytes:
    """The stub as the workbook shipped it, from git history."""
    rel = paths.relative(kata.stub)
    want = manifest.shipped_stub(kata.id)
    try:
        revs = subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=paths.root(), capture_output=True,
                              text=True, check=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError) as e:
        raise ResetError(f"cannot read git history to find the shipped stub: {e}") from e
    for rev in revs:
        blob = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=paths.root(), capture_output=True, timeout=30)
        if blob.returncode != 0:
            continue
        if want is None:
            if b"NotImplementedError" in blob.stdout:
                return blob.stdout
        elif fingerprint.of_bytes(blob.stdout) == want:
            return blob.stdout
    raise ResetError(f"no version of {rel} in git history matches the shipped stub")


def reset(kata: Kata, assume_yes: bool = False) -> int:
    from grader.commands.render import err

    try:
        original = shipped_stub(kata)
    except ResetError as e:
        err(f"{kata.id}: {e}")
        return 1
    current = kata.stub.read_bytes() if kata.stub.exists() else None
    if current == original:
        print(f"{paths.relative(kata.stub)} is already the shipped stub; nothing to do")
        return 0
    if not assume_yes:
        if not sys.stdin.isatty():
            err("reset needs confirmation: run it in a terminal or pass --yes")
            return 2
        answer = input(f"Replace {paths.relative(kata.stub)} with the original stub? Your file is kept as a backup. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing changed")
            return 1
    if current is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = kata.stub.with_name(f"{kata.stub.name}.grader-backup-{stamp}")
        backup.write_bytes(current)
        print(f"your version is saved as {paths.relative(backup)}")
    kata.stub.write_bytes(original)
    print(f"restored {paths.relative(kata.stub)}")
    return 0
