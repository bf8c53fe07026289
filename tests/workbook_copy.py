"""Throwaway copies of the workbook, and running `grader` and pytest inside them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXEMPLAR = "nlp/02_positional_embeddings/01_sinusoidal"
# A frozen copy of the exemplar kata (with its fingerprints): the grader's own tests edit its files
# and count its tests, and must not break each time the real kata's tests get better.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Workbook:
    root: Path
    progress: Path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("CI", "GRADER_TARGET")}
        return {**env, "GRADER_ROOT": str(self.root), "GRADER_PROGRESS": str(self.progress), "NO_COLOR": "1"}

    def grader(self, *args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grader", *args], cwd=self.root, env=self.env,
                              capture_output=True, text=True, input=input, timeout=timeout)

    def pytest(self, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                              cwd=self.root, env={**self.env, **(env or {})}, capture_output=True, text=True,
                              timeout=timeout)

    def kata(self, rel: str = EXEMPLAR) -> Path:
        return self.root / "katas" / rel

    def solution(self, rel: str = EXEMPLAR) -> Path:
        return self.root / "solutions" / rel

    def solve(self, rel: str = EXEMPLAR, module: str = "sinusoidal.py") -> None:
        shutil.copy(self.solution(rel) / module, self.kata(rel) / module)


def make_workbook(dest: Path, katas: list[str], git: bool = False) -> Workbook:
    for rel in katas:
        for top in ("katas", "solutions"):
            source = FIXTURES if (FIXTURES / top / rel).exists() else REPO
            shutil.copytree(source / top / rel, dest / top / rel)
    (dest / "grader").mkdir()
    fingerprints = {**json.loads((REPO / "grader" / "fingerprints.json").read_text()),
                    **json.loads((FIXTURES / "fingerprints.json").read_text())}
    (dest / "grader" / "fingerprints.json").write_text(json.dumps(fingerprints, indent=1))
    for name in ("pyproject.toml", "progress.toml"):
        shutil.copy(REPO / name, dest / name)
    if git:
        run = lambda *a: subprocess.run(["git", *a], cwd=dest, check=True, capture_output=True)  # noqa: E731
        run("init", "-q")
        run("add", "-A")
        run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "workbook")
    return Workbook(dest, dest / "progress.toml")
