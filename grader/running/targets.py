"""Loading the code a kata's tests run against: the learner's stub, the solution, or a pitfall.

Every target is loaded from its file under a name of its own (`_kata.nlp_02_3.solution`), so
hundreds of katas with the same module basenames never collide in one pytest session and the same
test file can run against several targets side by side. Learner mode only ever touches the kata
folder: solution paths are computed only for the `solution` and `pitfall` targets.
"""
from __future__ import annotations

import importlib.util
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from grader.discovery.catalog import Kata
from grader.pitfalls import PitfallInfo, declared

LEARNER, SOLUTION, PITFALL = "learner", "solution", "pitfall"
MUTANT = "mutant"  # the solution with one mistake made in it (grader/authoring/mutants.py)
NOTEBOOK = "notebook"  # the teacher notebook's solution cell, as built from stub and solution
FILE = "file"  # code from elsewhere, such as the cells of a learner's notebook


@dataclass(frozen=True)
class Target:
    kind: str  # learner | solution | pitfall | notebook | file
    pitfall: str | None = None
    path: str | None = None  # for `file`
    mutant: str | None = None  # for `mutant`: the mutant's id

    @property
    def label(self) -> str:
        if self.kind == MUTANT:
            return f"mutant:{self.mutant}"
        return f"pitfall:{self.pitfall}" if self.kind == PITFALL else self.kind

    @property
    def wrong_on_purpose(self) -> bool:
        """A pitfall or a mutant: code the tests exist to reject, so one failing test is enough."""
        return self.kind in (PITFALL, MUTANT)


def pitfalls_of(kata: Kata) -> list[PitfallInfo]:
    return declared(kata.pitfalls_file)


def targets_for(kata: Kata, mode: str) -> list[Target]:
    """The targets a test of `kata` runs against for a `--grader-target` mode."""
    if mode == LEARNER:
        return [Target(LEARNER)]
    if mode == SOLUTION:
        return [Target(SOLUTION)]
    pits = [Target(PITFALL, p.name) for p in pitfalls_of(kata)]
    if mode == "pitfalls":
        return pits
    if mode == "all":
        return [Target(LEARNER), Target(SOLUTION), Target(NOTEBOOK), *pits]
    if mode == NOTEBOOK:
        return [Target(NOTEBOOK)]
    if mode.startswith("pitfall:"):
        return [t for t in pits if t.pitfall == mode.split(":", 1)[1]]
    if mode.startswith("file:"):
        return [Target(FILE, path=mode.split(":", 1)[1])]
    if mode == "mutants" or mode.startswith("mutant:"):
        from grader.authoring import mutants

        ids = [m.id for m in mutants.of_files(kata.solution, kata.stub)]
        wanted = ids if mode == "mutants" else [i for i in ids if i == mode.split(":", 1)[1]]
        return [Target(MUTANT, mutant=i) for i in wanted]
    raise ValueError(f"unknown target mode {mode!r}")


def module_name(kata: Kata, target: Target) -> str:
    safe = kata.id.replace("-", "_")
    if target.kind == MUTANT:
        return f"_kata.{safe}.mutant_{abs(hash(target.mutant))}"
    return f"_kata.{safe}.{target.kind}" + (f"_{target.pitfall}" if target.pitfall else "")


class TargetLoadError(Exception):
    """The target's code could not be loaded (syntax error, import error, missing file)."""


def _exec_file(module: types.ModuleType, path: Path) -> None:
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    exec(code, module.__dict__)


def load(kata: Kata, target: Target) -> types.ModuleType:
    name = module_name(kata, target)
    if name in sys.modules:
        return sys.modules[name]
    path = {LEARNER: kata.stub, FILE: Path(str(target.path))}.get(target.kind, kata.solution)
    if not path.exists():
        raise TargetLoadError(f"{path} does not exist")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before execution, as a normal import does: dataclasses and pickling look it up.
    sys.modules[name] = module
    try:
        if target.kind == MUTANT:
            from grader.authoring import mutants

            source = next(m.source for m in mutants.of_files(kata.solution, kata.stub) if m.id == target.mutant)
            exec(compile(source, str(_mutant_file(kata, source)), "exec"), module.__dict__)
        elif target.kind == NOTEBOOK:
            from grader.authoring.notebooks import solution_cell_source

            exec(compile(solution_cell_source(kata), f"<{kata.id} notebook solution cell>", "exec"), module.__dict__)
        else:
            _exec_file(module, path)
        if target.kind == PITFALL:
            _apply_pitfall(module, kata.pitfalls_file, str(target.pitfall))
    except BaseException as e:
        del sys.modules[name]
        if isinstance(e, KeyboardInterrupt):
            raise
        raise TargetLoadError(f"importing {path.name} failed: {type(e).__name__}: {e}") from e
    return module


def _mutant_file(kata: Kata, source: str) -> Path:
    """The mutant's source written to a file of its own. Code that reads its source back from disk
    (`triton.jit` does, through `inspect`) must see the mutant, not the solution file."""
    import hashlib
    import tempfile

    folder = Path(tempfile.gettempdir()) / "grader-mutants"
    folder.mkdir(exist_ok=True)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    path = folder / f"{kata.id.replace('-', '_')}_{digest}.py"
    if not path.exists():
        path.write_text(source, encoding="utf-8")
    return path


def _apply_pitfall(module: types.ModuleType, pitfalls_file: Path, pitfall: str) -> None:
    _exec_file(module, pitfalls_file)
    obj = module.__dict__.get(pitfall)
    info: PitfallInfo | None = getattr(obj, "__pitfall__", None)
    if info is None:
        raise TargetLoadError(f"{pitfalls_file} has no @pitfall named {pitfall!r}")
    *owner_path, attr = info.replaces.split(".")
    owner: object = module
    for part in owner_path:
        owner = getattr(owner, part)
    if not hasattr(owner, attr):
        raise TargetLoadError(f"pitfall {pitfall!r} replaces {info.replaces!r}, which the solution lacks")
    setattr(owner, attr, obj)
