"""Katas as Jupyter notebooks: nbgrader source notebooks for teachers, plain ones for self-study.

A kata's notebook is built from the kata's own files, never from copies that could drift:
- a locked markdown cell with the README;
- a locked setup cell (Triton's interpreter without CUDA, headless matplotlib);
- the solution cell: the stub's signatures and docstrings, with the reference body between
  `### BEGIN SOLUTION` and `### END SOLUTION` (the learner's version holds the stub itself);
  helpers that only the solution defines are nested inside the bodies that use them, so the
  released cell still defines every function and only calling one raises NotImplementedError;
- one locked grade cell per test function, worth its `points` mark (default 1), with the stable
  grade id `<kata>-<test>`. Each grade cell is self-contained: it imports and defines, inside a
  function of its own, everything its test uses, so nothing a learner redefines can weaken it, and
  it silences warnings, since nbgrader scores a cell that writes to stderr as zero. Tests marked
  `hidden` sit between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`; `gpu` and `benchmark`
  tests are left out (they measure hardware, not the learner's code).
"""
from __future__ import annotations

import ast
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from grader.discovery.catalog import Kata

SKIPPED_MARKS = {"gpu", "benchmark"}
HEADER_COMMENT = "# Do not edit this cell: it is restored from the original before grading."


class NotebookError(Exception):
    """A kata that cannot be turned into notebook cells; the message says which part and why."""


# ---------------------------------------------------------------------------- source helpers
def _lines(src: str, start: int, end: int) -> str:
    """Lines start..end (1-based, inclusive) of src."""
    return "\n".join(src.splitlines()[start - 1:end])


def _start(node: ast.AST) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([d.lineno for d in decorators] + [node.lineno])  # type: ignore[attr-defined]


def _segment(src: str, node: ast.AST) -> str:
    return _lines(src, _start(node), node.end_lineno)  # type: ignore[attr-defined]


def _names_used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.value.id for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, ast.Assign):
        return {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    if isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def _has_docstring(fn: ast.FunctionDef | ast.ClassDef) -> bool:
    return bool(fn.body) and isinstance(fn.body[0], ast.Expr) and isinstance(getattr(fn.body[0], "value", None), ast.Constant) \
        and isinstance(fn.body[0].value.value, str)


def _is_unimplemented(fn: ast.FunctionDef) -> bool:
    """The body ends in `raise NotImplementedError`, after at most some given set-up lines."""
    body = fn.body[1:] if _has_docstring(fn) else fn.body
    if not body or not isinstance(body[-1], ast.Raise) or body[-1].exc is None:
        return False
    exc = body[-1].exc
    name = exc.func if isinstance(exc, ast.Call) else exc
    return isinstance(name, ast.Name) and name.id == "NotImplementedError"


def _given_prefix(stub_fn: ast.FunctionDef, sol_fn: ast.FunctionDef) -> int:
    """How many leading statements (such as `super().__init__()`) the stub gives and the solution repeats."""
    stub_body = (stub_fn.body[1:] if _has_docstring(stub_fn) else stub_fn.body)[:-1]
    sol_body = sol_fn.body[1:] if _has_docstring(sol_fn) else sol_fn.body
    n = len(stub_body)
    if n and [ast.unparse(x) for x in sol_body[:n]] == [ast.unparse(x) for x in stub_body]:
        return n
    return 0


def _indent_of(src: str, lineno: int) -> str:
    line = src.splitlines()[lineno - 1]
    return line[: len(line) - len(line.lstrip())]


def _closure(wanted: set[str], defs: dict[str, ast.stmt]) -> list[ast.stmt]:
    """Definitions of `wanted` names and of everything they use in turn, in source order."""
    seen: set[str] = set()
    todo = [n for n in wanted if n in defs]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [n for n in _names_used(defs[name]) if n in defs and n not in seen]
    nodes = {id(defs[n]): defs[n] for n in seen}
    return sorted(nodes.values(), key=lambda n: n.lineno)


# ---------------------------------------------------------------------------- the solution cell
def _body_source(src: str, fn: ast.FunctionDef, skip: int = 0) -> str:
    body = (fn.body[1:] if _has_docstring(fn) else fn.body)[skip:]
    if not body:
        return "pass"
    return textwrap.dedent(_lines(src, _start(body[0]), body[-1].end_lineno))


def _header_source(src: str, fn: ast.FunctionDef | ast.ClassDef) -> str:
    """Decorators, signature and docstring."""
    if _has_docstring(fn):
        return _lines(src, _start(fn), fn.body[0].end_lineno)
    first = fn.body[0]
    if first.lineno == fn.lineno:
        raise NotebookError(f"`{fn.name}` is written on one line; give its body a line of its own")
    return _lines(src, _start(fn), _start(first) - 1)


def _solution_region(stub_src: str, stub_fn: ast.FunctionDef, sol_src: str, sol_fn: ast.FunctionDef,
                     sol_only: dict[str, ast.stmt]) -> str:
    indent = _indent_of(stub_src, stub_fn.body[-1].lineno)
    helpers = _closure(_names_used(sol_fn), sol_only)
    given = _given_prefix(stub_fn, sol_fn)
    parts = [textwrap.dedent(_segment(sol_src, h)) for h in helpers] + [_body_source(sol_src, sol_fn, given)]
    inner = textwrap.indent("\n".join(parts), indent)
    head = _header_source(stub_src, stub_fn)
    if given:
        stub_body = stub_fn.body[1:] if _has_docstring(stub_fn) else stub_fn.body
        head += "\n" + _lines(stub_src, _start(stub_body[0]), stub_body[given - 1].end_lineno)
    return f"{head}\n{indent}### BEGIN SOLUTION\n{inner}\n{indent}### END SOLUTION"


def solution_cell_source(kata: Kata) -> str:
    """The stub with each unimplemented body replaced by the reference body inside solution markers."""
    stub_src = kata.stub.read_text(encoding="utf-8")
    sol_src = kata.solution.read_text(encoding="utf-8")
    try:
        stub_tree, sol_tree = ast.parse(stub_src), ast.parse(sol_src)
    except SyntaxError as e:
        raise NotebookError(f"cannot parse: {e}") from e
    sol_defs: dict[str, ast.stmt] = {}
    for node in sol_tree.body:
        for name in _bound_names(node):
            sol_defs[name] = node
    stub_names = {n for node in stub_tree.body for n in _bound_names(node)}
    stub_import_text = {ast.unparse(n) for n in stub_tree.body if isinstance(n, ast.Import | ast.ImportFrom)}
    sol_only = {name: node for name, node in sol_defs.items() if name not in stub_names
                and not (isinstance(node, ast.Import | ast.ImportFrom) and ast.unparse(node) in stub_import_text)}

    out: list[str] = []
    prev_end = 0
    for node in stub_tree.body:
        start = _start(node)
        gap = _lines(stub_src, prev_end + 1, start - 1) if start - 1 > prev_end else None
        if gap is not None:
            out.append(gap)
        prev_end = node.end_lineno or start
        if isinstance(node, ast.FunctionDef) and _is_unimplemented(node):
            sol_fn = sol_defs.get(node.name)
            if not isinstance(sol_fn, ast.FunctionDef):
                raise NotebookError(f"the solution does not define function `{node.name}`")
            out.append(_solution_region(stub_src, node, sol_src, sol_fn, sol_only))
        elif isinstance(node, ast.ClassDef) and any(isinstance(m, ast.FunctionDef) and _is_unimplemented(m) for m in node.body):
            sol_cls = sol_defs.get(node.name)
            if not isinstance(sol_cls, ast.ClassDef):
                raise NotebookError(f"the solution does not define class `{node.name}`")
            out.append(_class_source(stub_src, node, sol_src, sol_cls, sol_only))
        else:
            out.append(_segment(stub_src, node))
    tail = _lines(stub_src, prev_end + 1, len(stub_src.splitlines()))
    return "\n".join(out + ([tail] if tail.strip() else [])).rstrip() + "\n"


def _class_source(stub_src: str, cls: ast.ClassDef, sol_src: str, sol_cls: ast.ClassDef,
                  sol_only: dict[str, ast.stmt]) -> str:
    sol_methods = {m.name: m for m in sol_cls.body if isinstance(m, ast.FunctionDef)}
    header = _header_source(stub_src, cls)
    if [ast.unparse(b) for b in sol_cls.bases] != [ast.unparse(b) for b in cls.bases]:
        # The solution subclasses where the stub leaves it open ("you may subclass Adam"): the
        # notebook takes the solution's bases so inherited methods work.
        bases = ", ".join(ast.unparse(b) for b in sol_cls.bases)
        header = re.sub(rf"class {cls.name}\s*(\([^)]*\))?\s*:", f"class {cls.name}({bases}):" if bases else
                        f"class {cls.name}:", header, count=1)
    parts = [header]
    body = cls.body[1:] if _has_docstring(cls) else cls.body
    for member in body:
        if isinstance(member, ast.FunctionDef) and _is_unimplemented(member):
            sol_m = sol_methods.get(member.name)
            if sol_m is None:
                if sol_cls.bases:
                    continue  # inherited in the solution: the notebook class inherits it too
                raise NotebookError(f"the solution's `{cls.name}` lacks method `{member.name}`")
            parts.append("\n" + _solution_region(stub_src, member, sol_src, sol_m, sol_only))
        else:
            parts.append("\n" + _segment(stub_src, member))
    stub_bound = {n for m in cls.body for n in _bound_names(m)}
    sol_body = sol_cls.body[1:] if _has_docstring(sol_cls) else sol_cls.body
    # Members only the solution has (helper methods, class attributes) stay in a class-level region.
    extra = [m for m in sol_body if _bound_names(m) and not _bound_names(m) <= stub_bound]
    if extra:
        indent = _indent_of(stub_src, body[-1].lineno if body else cls.lineno + 1)
        inner = "\n\n".join(textwrap.dedent(_segment(sol_src, m)) for m in extra)
        parts.append(f"\n{indent}### BEGIN SOLUTION\n{textwrap.indent(inner, indent)}\n{indent}### END SOLUTION")
    return "\n".join(parts)


def given_code_mismatches(kata: Kata) -> list[str]:
    """Code the stub gives complete (not ending in NotImplementedError) that the solution changed.

    The learner's file keeps the stub's version, so a solution that passes only with its own
    version of a given helper proves nothing about the kata as shipped.
    """
    try:
        stub, sol = ast.parse(kata.stub.read_text(encoding="utf-8")), ast.parse(kata.solution.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    sol_defs = {n.name: n for n in sol.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    out = []

    def code(node: ast.AST) -> str:
        """The node without docstrings: wording may differ, behaviour may not."""
        import copy

        node = copy.deepcopy(node)
        for n in ast.walk(node):
            if isinstance(n, ast.FunctionDef | ast.ClassDef) and _has_docstring(n) and len(n.body) > 1:
                n.body = n.body[1:]
        return ast.dump(node)

    def compare(given: ast.FunctionDef | ast.ClassDef, theirs: ast.AST | None, where: str) -> None:
        if theirs is None:
            out.append(f"the solution lacks `{where}`, which the stub gives")
        elif code(given) != code(theirs):
            out.append(f"`{where}` is given in the stub but differs in the solution")

    for node in stub.body:
        if isinstance(node, ast.FunctionDef) and not _is_unimplemented(node):
            compare(node, sol_defs.get(node.name), node.name)
        elif isinstance(node, ast.ClassDef):
            theirs = sol_defs.get(node.name)
            methods = {m.name: m for m in getattr(theirs, "body", []) if isinstance(m, ast.FunctionDef)}
            for m in node.body:
                if isinstance(m, ast.FunctionDef) and not _is_unimplemented(m):
                    compare(m, methods.get(m.name), f"{node.name}.{m.name}")
    return out


# ---------------------------------------------------------------------------- grade cells
@dataclass(frozen=True)
class GradeCell:
    test: str
    grade_id: str
    points: float
    hidden: bool
    source: str


def _marks(fn: ast.FunctionDef) -> dict[str, ast.Call | ast.Attribute]:
    out: dict[str, ast.Call | ast.Attribute] = {}
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute) and target.value.attr == "mark":
            out[target.attr] = d
    return out


def _given_names(fn: ast.FunctionDef) -> set[str]:
    names: set[str] = set()
    for d in fn.decorator_list:
        if isinstance(d, ast.Call) and getattr(d.func, "id", getattr(d.func, "attr", "")) == "given":
            names |= {k.arg for k in d.keywords if k.arg}
            if any(k.arg is None for k in d.keywords):  # @given(**STRATEGIES): names known only at run time
                names.add("*")
            if d.args:
                raise NotebookError(f"`{fn.name}` passes strategies to @given by position; use keywords")
    return names


def _parametrized_names(marks: dict[str, ast.Call | ast.Attribute]) -> set[str]:
    call = marks.get("parametrize")
    if not isinstance(call, ast.Call) or not call.args:
        return set()
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return {n.strip() for n in first.value.split(",")}
    if isinstance(first, ast.List | ast.Tuple):
        return {e.value for e in first.elts if isinstance(e, ast.Constant)}
    return set()


_RUNNER = '''\
def _grader_run(test, kata):
    combos = [{}]
    for mark in reversed(getattr(test, "pytestmark", [])):
        if mark.name != "parametrize":
            continue
        names = mark.args[0].split(",") if isinstance(mark.args[0], str) else list(mark.args[0])
        names = [n.strip() for n in names]
        values = [getattr(v, "values", v) if type(v).__name__ == "ParameterSet" else v for v in mark.args[1]]
        combos = [{**c, **dict(zip(names, (v,) if len(names) == 1 else tuple(v)))} for c in combos for v in values]
    for combo in combos:
        test(kata=kata, **combo)'''


def grade_cells(kata: Kata) -> list[GradeCell]:
    cells: list[GradeCell] = []
    for path in kata.test_files:
        src = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(src)
        except SyntaxError as e:
            raise NotebookError(f"{path.name} does not parse: {e}") from e
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        defs: dict[str, ast.stmt] = {}
        for node in tree.body:
            if not isinstance(node, ast.Import | ast.ImportFrom):
                for name in _bound_names(node):
                    if not name.startswith("test_") and name != "pytestmark":
                        defs[name] = node
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                raise NotebookError(f"{path.name}: test class {node.name}; kata tests are top-level functions")
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            marks = _marks(node)
            if SKIPPED_MARKS & marks.keys():
                continue
            args = [a.arg for a in node.args.args + node.args.kwonlyargs]
            allowed = {"kata"} | _given_names(node) | _parametrized_names(marks)
            extra = [] if "*" in allowed else [a for a in args if a not in allowed]
            if extra:
                raise NotebookError(f"{path.name}::{node.name} uses fixtures {extra}; only `kata` is available in a notebook")
            points = 1.0
            if isinstance(marks.get("points"), ast.Call) and marks["points"].args:  # type: ignore[union-attr]
                points = float(ast.literal_eval(marks["points"].args[0]))  # type: ignore[union-attr]
            helpers = _closure(_names_used(node), defs)
            body = "\n\n".join(["\n".join(_segment(src, n) for n in imports), *(_segment(src, h) for h in helpers),
                                _segment(src, node), _RUNNER, f"_grader_run({node.name}, kata)"])
            fn = f"_grade_{node.name}"
            source = "\n".join([
                f"# {kata.id} · {node.name} · {points:g} point{'s' * (points != 1)}",
                HEADER_COMMENT,
                f"def {fn}():",
                "    import types, warnings, contextlib, io",
                "    kata = types.SimpleNamespace(**{k: v for k, v in globals().items() if not k.startswith('_')})",
                "    warnings.simplefilter('ignore')",
                "    from hypothesis import settings",
                "    settings.register_profile('grader-notebook', deadline=None, max_examples=30, derandomize=True, database=None)",
                "    settings.load_profile('grader-notebook')",
                "    with contextlib.redirect_stderr(io.StringIO()):",
                # The kata's data files sit in a folder beside the notebook; tests find them from __file__.
                f"        __file__ = {json.dumps(f'{data_folder(kata)}/{path.name}')}",
                textwrap.indent(body, "        "),
                f"{fn}()",
                f"del {fn}",
            ])
            hidden = "hidden" in marks
            if hidden:
                source = f"### BEGIN HIDDEN TESTS\n{source}\n### END HIDDEN TESTS"
            try:
                compile(source, f"<{kata.id} {node.name}>", "exec")
            except SyntaxError as e:
                raise NotebookError(f"{path.name}::{node.name} does not compile as a cell: {e}") from e
            cells.append(GradeCell(node.name, f"{kata.id}-{node.name}".replace("_", "-"), points, hidden, source))
    if not cells:
        raise NotebookError("no test can be turned into a grade cell")
    return cells


# ---------------------------------------------------------------------------- notebooks
SETUP = '''\
# Setup for this kata. Run it first.
import os
if not (os.path.exists("/dev/nvidiactl") or os.path.exists("/proc/driver/nvidia/version")):
    os.environ.setdefault("TRITON_INTERPRET", "1")  # Triton kernels run in the interpreter without CUDA
os.environ.setdefault("MPLBACKEND", "Agg")
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")'''


def _cell(kind: str, source: str, cell_id: str, nbgrader: dict | None, role: str, kata: Kata, **extra: object) -> dict:
    cell: dict = {"cell_type": kind, "id": re.sub(r"[^A-Za-z0-9-]", "-", cell_id)[:64], "metadata": {
        "grader": {"kata": kata.id, "role": role, **extra}}, "source": source}
    if nbgrader is not None:
        cell["metadata"]["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False,
                                        "task": False, **nbgrader}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def build(kata: Kata, *, teacher: bool) -> dict:
    """The kata's notebook: `teacher` for nbgrader's source (with the solution), else the learner's."""
    readme = kata.readme_text.replace("grader check " + kata.id, f"grader check {kata.id} --notebook <this notebook>")
    code = solution_cell_source(kata) if teacher else kata.stub.read_text(encoding="utf-8")
    nb = {"readme": {"grade_id": f"{kata.id}-readme", "locked": True},
          "setup": {"grade_id": f"{kata.id}-setup", "locked": True},
          "solution": {"grade_id": f"{kata.id}-solution", "solution": True}} if teacher else {}
    cells = [
        _cell("markdown", readme, f"{kata.id}-readme", nb.get("readme"), "readme", kata),
        _cell("code", SETUP, f"{kata.id}-setup", nb.get("setup"), "setup", kata),
        _cell("code", code, f"{kata.id}-solution", nb.get("solution"), "solution", kata),
    ]
    for g in grade_cells(kata):
        if g.hidden and not teacher:
            continue
        meta = {"grade_id": g.grade_id, "grade": True, "locked": True, "points": g.points} if teacher else None
        cells.append(_cell("code", g.source, g.grade_id, meta, "test", kata, test=g.test))
    return {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}, "grader": {"kata": kata.id}}, "nbformat": 4, "nbformat_minor": 5}


def data_folder(kata: Kata) -> str:
    return f"{kata.id}_files"


def data_files(kata: Kata) -> list[Path]:
    """Files the kata's tests read (corpora, tables): everything but code, metadata and README."""
    return sorted(f for f in kata.folder.iterdir() if f.is_file() and f.suffix != ".py"
                  and f.name not in ("README.md", "kata.toml") and not f.name.startswith("."))


def _copy_data(kata: Kata, assignment_dir: Path) -> None:
    import shutil

    files = data_files(kata)
    if files:
        dest = assignment_dir / data_folder(kata)
        dest.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(f, dest / f.name)


def notebook_name(kata: Kata) -> str:
    return f"{kata.id}_{kata.folder.name.split('_', 1)[-1]}.ipynb"


def assignment_name(kata: Kata) -> str:
    return kata.checkbox.section if kata.checkbox else kata.track


NBGRADER_CONFIG = '''\
# nbgrader configuration for the ML kata workbook course, written by `grader notebooks`.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "ml-katas"
c.CourseDirectory.root = {root!r}
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
# Kata tests import torch and run Hypothesis: give each cell time, and keep going after a failure.
c.ExecutePreprocessor.timeout = 600
c.Execute.timeout = 600
'''


def write(nb: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_course(katas: list[Kata], out: Path) -> list[Path]:
    """An nbgrader course: source/<section>/<kata>.ipynb and nbgrader_config.py."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(root=str(out.resolve())), encoding="utf-8")
    written = []
    for k in katas:
        path = out / "source" / assignment_name(k) / notebook_name(k)
        write(build(k, teacher=True), path)
        _copy_data(k, path.parent)
        written.append(path)
    return written


def write_learner(katas: list[Kata], out: Path) -> list[Path]:
    written = []
    for k in katas:
        path = out / assignment_name(k) / notebook_name(k)
        write(build(k, teacher=False), path)
        _copy_data(k, path.parent)
        written.append(path)
    return written


def module_source(notebook: Path) -> tuple[str | None, str]:
    """The learner's code in a kata notebook: every code cell that is not setup or a test.

    Returns the kata id the notebook names (if any) and the code.
    """
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise NotebookError(f"cannot read {notebook}: {e}") from e
    kata_id = nb.get("metadata", {}).get("grader", {}).get("kata")
    parts = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        role = cell.get("metadata", {}).get("grader", {}).get("role")
        if role in ("setup", "test"):
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        # IPython magics and shell escapes are not Python; a module cannot run them.
        parts.append("\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))))
    return kata_id, "\n\n".join(parts) + "\n"
