"""The mutation checker makes the mistakes ML code has, and `verify --mutants` judges survivors."""
import json
import textwrap

from grader.authoring import mutants

SOURCE = textwrap.dedent('''
    import numpy as np

    def given(x):
        return x + 1

    def standardize(x: np.ndarray, axis: int = -1, ddof: int = 0, seed: int | None = None) -> np.ndarray:
        """Docstrings are not mutated."""
        if x.ndim == 0:
            raise ValueError("need an array")
        rng = np.random.default_rng(seed)
        x = x.copy().astype(np.float64)
        mu = x.mean(axis=axis, keepdims=True)
        sd = np.sqrt(np.var(x, axis=axis, keepdims=True, ddof=ddof))
        for i in range(len(x)):
            x[i] -= 0
        best = np.argmax(x, axis=-1)
        return (x - mu) / sd + 0 * rng.random() + 0 * best[: len(x) - 1].sum() + np.max(x) * np.std(x) * 0 if x.size < 3 else x
''')


def _ops(ms):
    return {m.id.split(":")[1] for m in ms}


def test_every_operator_family_appears_on_a_function_that_has_its_pattern():
    ms = mutants.generate(SOURCE, {"standardize"})
    ops = _ops(ms)
    for op in ("boundary", "sign", "drop-divisor", "drop-sqrt", "off-by-one", "slice-bound", "drop-guard",
               "range-end", "axis-swap", "drop-keepdim", "ddof", "mean-sum", "min-max", "argmax-last-tie",
               "drop-cast", "drop-copy", "global-rng", "ignore-axis", "ignore-ddof", "ignore-seed"):
        assert op in ops, f"no {op} mutant; made: {sorted(ops)}"


def test_only_learner_written_functions_are_mutated_and_docstrings_never():
    ms = mutants.generate(SOURCE, {"standardize"})
    assert ms and all(m.id.startswith("standardize:") for m in ms)
    assert all("Docstrings are not mutated." in m.source for m in ms)
    assert not mutants.generate(SOURCE, set())


def test_mutants_are_distinct_valid_programs_with_stable_ids():
    ms = mutants.generate(SOURCE, {"standardize"})
    assert len({m.source for m in ms}) == len(ms) == len({m.id for m in ms})
    for m in ms:
        compile(m.source, "<mutant>", "exec")
    # An edit elsewhere in the file leaves the ids of this function's mutants unchanged.
    shifted = mutants.generate("import os\n\ndef other(a):\n    return a < 1\n" + SOURCE, {"standardize"})
    assert [m.id for m in shifted] == [m.id for m in ms]


def test_the_argmax_mutant_takes_the_last_tie():
    ms = [m for m in mutants.generate(SOURCE, {"standardize"}) if m.operator == "argmax-last-tie"]
    namespace: dict = {}
    exec(ms[0].source, namespace)
    import numpy as np
    assert namespace["__grader_last_argmax"](np.array([[3, 1, 3], [0, 2, 2]]), axis=-1).tolist() == [2, 2]


def test_learner_functions_are_those_the_stub_leaves_unimplemented():
    stub = "def a():\n    raise NotImplementedError\n\ndef b():\n    return 1\n\nclass C:\n" \
           "    def m(self):\n        raise NotImplementedError('write me')\n"
    assert mutants.learner_functions(stub) == {"a", "C.m"}


def test_verify_mutants_reports_survivors_then_accepts_recorded_equivalents(workbook):
    out_json = workbook.root / "mutants.json"
    first = workbook.grader("verify", "--mutants", "--json", str(out_json), timeout=600)
    rows = json.loads(out_json.read_text())
    made, killed = rows[0]["mutants"], len(rows[0]["killed"])
    assert made >= 10 and killed >= 1, first.stdout
    survivors = rows[0]["survivors"]
    assert (first.returncode == 1) == bool(survivors), first.stdout
    assert "mutation score per track" in first.stdout and "nlp" in first.stdout
    # Record every survivor (and one mutant that does not survive) as equivalent: the survivors are
    # then explained, and the record for a killed mutant is reported stale.
    killed_id = next(iter(rows[0]["killed"]))
    meta = workbook.kata() / "kata.toml"
    meta.write_text(meta.read_text() + "".join(
        f'\n[[equivalent_mutants]]\nid = "{i}"\nwhy = "for this test"\n'
        for i in [s["id"] for s in survivors] + [killed_id]))
    second = workbook.grader("verify", "--mutants", "--json", str(out_json), timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    rows = json.loads(out_json.read_text())
    assert rows[0]["stale"] == [killed_id] and not rows[0]["survivors"]
    assert "stale" in second.stdout


def test_code_that_reads_its_own_source_sees_the_mutant(tmp_path):
    # triton.jit compiles the kernel from inspect.getsource: a mutant must be on disk as itself.
    import inspect

    from grader.discovery.catalog import Kata
    from grader.running import targets
    m = next(m for m in mutants.generate(SOURCE, {"standardize"}) if m.operator == "sign")
    path = targets._mutant_file(Kata(tmp_path, "x/y/z", {"id": "found-01-1"}), m.source)
    namespace: dict = {}
    exec(compile(m.source, str(path), "exec"), namespace)
    assert m.after in " ".join(inspect.getsource(namespace["standardize"]).split())


def test_a_mutants_own_function_tests_run_first(workbook):
    # A copy of the first test, named after the function and placed last, must be the one that
    # kills: the kata's other tests (often its slow training ones) then never run on that mutant.
    tests = workbook.kata() / "test_sinusoidal.py"
    source = tests.read_text()
    start = source.index("@given(seq_len=dims(1, 64)")
    end = source.index("@given(seq_len=dims(2, 48)")
    named = source[start:end].replace("def test_matches_closed_form(", "def test_sinusoidal_positions_matches_closed_form(")
    tests.write_text(source + "\n\n" + named)
    out_json = workbook.root / "mutants.json"
    run = workbook.grader("verify", "--mutants", "--no-refresh", "--json", str(out_json), timeout=600)
    killed = json.loads(out_json.read_text())[0]["killed"]
    by_named = sum(how.startswith("test_sinusoidal_positions_matches_closed_form") for how in killed.values())
    by_first = sum(how.startswith("test_matches_closed_form") for how in killed.values())
    assert by_named >= 5 and by_first <= 1, (killed, run.stdout)
