"""Discovery of the katas that exist on disk, and what their metadata and README say.

A kata is a folder `katas/<track>/<NN_section>/<NN_kata>/` holding `kata.toml`, `README.md`, the
stub module named in `kata.toml`, and `test_*.py`; its reference solution and `pitfalls.py` sit at
the same relative path under `solutions/`. Only TOML and Markdown are read here: never a kata's
Python, so listing the whole workbook stays fast.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from grader.discovery import paths
from grader.discovery.curriculum import Checkbox, checkboxes

REQUIRED_KEYS = {"id": str, "title": str, "module": str, "references": list, "requires": list, "gpu": bool, "minutes": int}
# The optional extras of pyproject.toml a kata may name in `extras`, and the modules that show each is
# installed. Heavy references live there so the learner's first install stays fast; the dev extra
# includes them all, so CI checks every kata.
EXTRA_MODULES: dict[str, tuple[str, ...]] = {"onnx": ("onnx", "onnxruntime", "onnxscript", "openvino")}


@dataclass(frozen=True)
class Kata:
    folder: Path
    rel: str  # the folder relative to katas/: "nlp/02_positional_embeddings/01_sinusoidal"
    meta: dict = field(hash=False, compare=False)
    meta_error: str | None = None

    @property
    def id(self) -> str:
        return str(self.meta.get("id", self.rel))

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or (self.checkbox.title if self.checkbox else self.folder.name))

    @property
    def checkbox(self) -> Checkbox | None:
        return checkboxes().get(str(self.meta.get("id")))

    @property
    def track(self) -> str:
        return self.rel.split("/")[0]

    @property
    def module_name(self) -> str:
        return str(self.meta.get("module", ""))

    @property
    def stub(self) -> Path:
        return self.folder / self.module_name

    @property
    def solution_folder(self) -> Path:
        return paths.solutions_dir() / self.rel

    @property
    def solution(self) -> Path:
        return self.solution_folder / self.module_name

    @property
    def pitfalls_file(self) -> Path:
        return self.solution_folder / "pitfalls.py"

    @property
    def readme(self) -> Path:
        return self.folder / "README.md"

    @property
    def test_files(self) -> list[Path]:
        return sorted(self.folder.glob("test_*.py"))

    @property
    def gpu(self) -> bool:
        return bool(self.meta.get("gpu", False))

    @property
    def requires(self) -> list[str]:
        return [str(r) for r in self.meta.get("requires", [])]

    @property
    def extras(self) -> list[str]:
        """Optional extras of pyproject.toml the kata's tests need (`pip install -e '.[NAME]'`)."""
        extras = self.meta.get("extras", [])
        return [str(e) for e in extras] if isinstance(extras, list) else []

    def missing_extras(self) -> list[str]:
        """The kata's extras that are not installed. Only looks modules up: imports nothing."""
        import importlib.util

        return [e for e in self.extras if any(importlib.util.find_spec(m) is None for m in EXTRA_MODULES.get(e, ()))]

    def missing_extras_hint(self) -> str | None:
        """`the optional `onnx` extra is not installed: pip install -e '.[onnx]'`, or None when nothing is missing."""
        names = ",".join(self.missing_extras())
        return f"the optional `{names}` extra is not installed: pip install -e '.[{names}]'" if names else None

    @cached_property
    def readme_text(self) -> str:
        try:
            return self.readme.read_text(encoding="utf-8")
        except OSError:
            return ""

    def summary(self) -> str:
        """The README's first paragraph: the goal in one sentence."""
        body = re.sub(r"^#[^\n]*\n", "", self.readme_text.lstrip(), count=1).strip()
        return body.split("\n\n", 1)[0].replace("\n", " ").strip()

    def hints(self) -> list[str]:
        """`### Hint N` subsections of the README's `## Hints` section, in order."""
        m = re.search(r"^## Hints\s*$(.*?)(?=^## |\Z)", self.readme_text, re.M | re.S)
        if not m:
            return []
        parts = re.split(r"^### Hint \d+[^\n]*$", m.group(1), flags=re.M)
        return [p.strip() for p in parts[1:] if p.strip()]

    def metadata_problems(self) -> list[str]:
        """Every rule of the kata contract about layout and metadata that can be checked statically."""
        if self.meta_error:
            return [self.meta_error]
        problems = []
        for key, kind in REQUIRED_KEYS.items():
            if key not in self.meta:
                problems.append(f"kata.toml lacks `{key}`")
            elif not isinstance(self.meta[key], kind):
                problems.append(f"kata.toml `{key}` should be a {kind.__name__}")
        if not isinstance(self.meta.get("extras", []), list):
            problems.append("kata.toml `extras` should be a list")
        unknown = [e for e in self.extras if e not in EXTRA_MODULES]
        if unknown:
            problems.append(f"kata.toml `extras` names unknown extras {unknown} (known: {sorted(EXTRA_MODULES)})")
        box = self.checkbox
        if box is None:
            problems.append(f"id {self.meta.get('id')!r} is not a checkbox of the curriculum")
        else:
            track, section, kata = self.rel.split("/")
            want = box.id.split("-")
            if track != box.track or section != box.section_folder or kata.split("_")[0] != f"{int(want[2]):02d}":
                problems.append(f"folder {self.rel} should be {box.track}/{box.section_folder}/{int(want[2]):02d}_<name>")
        if not self.readme.exists():
            problems.append("README.md missing")
        else:
            for heading in ("## Hints",):
                if heading not in self.readme_text:
                    problems.append(f"README.md lacks a `{heading}` section")
            if len(self.hints()) < 2:
                problems.append("README.md should give at least two `### Hint N` hints")
            if "grader check" not in self.readme_text:
                problems.append("README.md should say how to check the kata (`grader check <id>`)")
        if not self.module_name or not self.stub.exists():
            problems.append(f"stub {self.module_name or '(no module in kata.toml)'} missing")
        if not self.test_files:
            problems.append("no test_*.py")
        if not self.solution.exists():
            problems.append(f"solution {paths.relative(self.solution)} missing")
        if not self.pitfalls_file.exists():
            problems.append(f"{paths.relative(self.pitfalls_file)} missing (every kata ships at least one pitfall)")
        return problems


def _rel(folder: Path) -> str:
    for candidate in (folder, folder.resolve()):
        try:
            return candidate.relative_to(paths.katas_dir()).as_posix()
        except ValueError:
            continue
    return folder.as_posix()  # a kata outside this workbook's katas/ (another checkout): still usable


def _parse(folder: Path) -> tuple[dict, str | None]:
    try:
        return tomllib.loads((folder / "kata.toml").read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        return {}, f"kata.toml unreadable: {e}"


def load(folder: Path) -> Kata:
    meta, error = _parse(folder)
    return Kata(folder, _rel(folder), meta, error)


def _cache_file() -> Path:
    return paths.root() / ".grader" / "catalog-cache.json"


def discover() -> list[Kata]:
    """Every kata on disk, in curriculum order (katas whose id is unknown come last).

    Parsed metadata is cached by file size and modification time in `.grader/catalog-cache.json`:
    parsing 442 kata.toml files took most of `grader status`'s time budget.
    """
    import json

    try:
        cache = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    fresh: dict[str, dict] = {}
    found = []
    for toml in paths.katas_dir().glob("*/*/*/kata.toml"):
        try:
            st = toml.stat()
        except OSError:
            continue
        key, sig = str(toml), [st.st_mtime_ns, st.st_size]
        hit = cache.get(key) if isinstance(cache, dict) else None
        if isinstance(hit, dict) and hit.get("sig") == sig and isinstance(hit.get("meta"), dict):
            meta, error = hit["meta"], hit.get("error")
        else:
            meta, error = _parse(toml.parent)
        fresh[key] = {"sig": sig, "meta": meta, "error": error}
        found.append(Kata(toml.parent, _rel(toml.parent), meta, error))
    if fresh != cache:
        _write_cache(fresh)
    boxes = checkboxes()
    return sorted(found, key=lambda k: (boxes[k.id].order if k.id in boxes else 10**6, k.rel))


def _write_cache(data: dict) -> None:
    import json
    import os
    import tempfile

    path = _cache_file()
    try:
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, default=str)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout just parses every time


def by_id() -> dict[str, Kata]:
    return {k.id: k for k in discover()}
