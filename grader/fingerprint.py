"""Fingerprints of a kata's test files: a pass counts for the tests as they were when it was earned."""
from __future__ import annotations

import hashlib
from pathlib import Path


def of_files(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: p.name):
        h.update(f.name.encode() + b"\0")
        h.update(f.read_bytes().replace(b"\r\n", b"\n"))  # a Windows checkout is the same test
        h.update(b"\0")
    return "sha256:" + h.hexdigest()[:32]
