"""`grader verify` passes a sound kata and names every kind of breach in its row."""
import json


def _verify(wb):
    out = wb.grader("verify", "--json", str(wb.root / "verdicts.json"))
    verdicts = json.loads((wb.root / "verdicts.json").read_text()) if (wb.root / "verdicts.json").exists() else []
    return out, verdicts


def test_sound_kata_passes(workbook):
    out, verdicts = _verify(workbook)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "✓ nlp-02-1" in out.stdout and "1/1 katas sound" in out.stdout
    assert verdicts[0]["pitfalls_caught"] == verdicts[0]["pitfalls"] >= 1


def test_broken_solution_is_a_breach(workbook):
    sol = workbook.solution() / "sinusoidal.py"
    sol.write_text(sol.read_text().replace("pe[:, 1::2] = torch.cos(angles)", "pe[:, 1::2] = torch.cos(angles) * 1.01"))
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert "✗ nlp-02-1" in out.stdout and "fails on the solution" in out.stdout
    assert any("test_matches_closed_form fails on the solution" in b for b in verdicts[0]["breaches"])


def test_test_weakened_to_pass_on_the_stub_is_a_breach(workbook):
    test = workbook.kata() / "test_sinusoidal.py"
    test.write_text(test.read_text() + "\n\ndef test_always_passes(kata):\n    assert kata is not None\n")
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert "test_always_passes passes on the stub" in out.stdout


def test_pitfall_that_slips_through_is_a_breach(workbook):
    pits = workbook.solution() / "pitfalls.py"
    pits.write_text(pits.read_text() + '''

@pitfall(replaces="sinusoidal_positions", why="identical to the solution")
def harmless(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    return sinusoidal_positions.__wrapped__(seq_len, d_model, base) if False else _solution(seq_len, d_model, base)


_solution = sinusoidal_positions
''')
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert "pitfall harmless (identical to the solution) passes every test" in out.stdout


def test_stub_failing_for_another_reason_is_a_breach(workbook):
    stub = workbook.kata() / "sinusoidal.py"
    stub.write_text(stub.read_text().replace('raise NotImplementedError("sinusoidal_positions: build the (seq_len, d_model) table")',
                                             "return None"))
    out, _ = _verify(workbook)
    assert out.returncode == 1 and "not NotImplementedError" in out.stdout


def test_missing_metadata_is_a_breach(workbook):
    meta = workbook.kata() / "kata.toml"
    meta.write_text(meta.read_text().replace("minutes = 20\n", ""))
    out, _ = _verify(workbook)
    assert out.returncode == 1 and "kata.toml lacks `minutes`" in out.stdout


def test_verify_refreshes_fingerprints_of_sound_katas(workbook):
    manifest = workbook.root / "grader" / "fingerprints.json"
    manifest.write_text("{}")
    assert workbook.grader("verify").returncode == 0
    assert json.loads(manifest.read_text())["nlp-02-1"]["tests"].startswith("sha256:")


def test_given_helper_that_differs_in_the_solution_is_a_breach(workbook):
    helper = "\n\ndef half(x: float) -> float:\n    return x / {}\n"
    stub, sol = workbook.kata() / "sinusoidal.py", workbook.solution() / "sinusoidal.py"
    stub.write_text(stub.read_text() + helper.format(2))
    sol.write_text(sol.read_text() + helper.format(3))
    out, _ = _verify(workbook)
    assert out.returncode == 1 and "`half` is given in the stub but differs in the solution" in out.stdout


# ---------------------------------------------------------------- holes verify used to miss
def _add_test(wb, code):
    test = wb.kata() / "test_sinusoidal.py"
    test.write_text(test.read_text() + "\n\n" + code)


def test_a_test_that_skips_on_the_stub_is_a_breach(workbook):
    _add_test(workbook, "def test_skips_when_unsolved(kata):\n"
                        "    try:\n        kata.sinusoidal_positions(4, 4)\n"
                        "    except NotImplementedError:\n        pytest.skip('not yet')\n")
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert any("test_skips_when_unsolved skips on the stub" in b for b in verdicts[0]["breaches"]), out.stdout


def test_a_benchmark_test_that_rotted_is_a_breach(workbook):
    _add_test(workbook, "@pytest.mark.benchmark\ndef test_benchmark_rotted(kata):\n"
                        "    kata.sinusoidal_positions(4, 4)\n    kata.function_that_was_renamed(4)\n")
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert any("test_benchmark_rotted fails on the solution" in b for b in verdicts[0]["breaches"]), out.stdout


def test_a_benchmark_runs_at_smoke_size_inside_verify(workbook):
    _add_test(workbook, "@pytest.mark.benchmark\ndef test_benchmark_sizes(kata):\n"
                        "    from grader.testing import smoke\n    kata.sinusoidal_positions(4, 4)\n"
                        "    assert smoke(), 'verify must run benchmarks at smoke sizes'\n")
    out, verdicts = _verify(workbook)
    assert out.returncode == 0, out.stdout


def test_a_pitfall_caught_only_by_its_own_typo_is_a_breach(workbook):
    pits = workbook.solution() / "pitfalls.py"
    pits.write_text(pits.read_text() + '''

@pitfall(replaces="sinusoidal_positions", why="the solution with a typo")
def typo(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    return sinusoidal_positon(seq_len, d_model, base)  # noqa: F821
''')
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert any("pitfall typo is caught only by a bug of its own: NameError" in b for b in verdicts[0]["breaches"]), \
        out.stdout


def test_a_borrowed_name_the_solution_lacks_is_a_breach(workbook):
    pits = workbook.solution() / "pitfalls.py"
    pits.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sinusoidal import no_such_helper\n"
                    + pits.read_text())
    out, verdicts = _verify(workbook)
    assert out.returncode == 1
    assert any("borrows 'no_such_helper'" in b for b in verdicts[0]["breaches"]), out.stdout


def test_verdicts_say_what_caught_each_pitfall(workbook):
    out, verdicts = _verify(workbook)
    caught_by = verdicts[0]["caught_by"]
    assert set(caught_by) and all(": " in how for how in caught_by.values()), caught_by


def test_zero_tests_is_a_breach(workbook):
    test = workbook.kata() / "test_sinusoidal.py"
    test.write_text("import pytest\n")
    out, verdicts = _verify(workbook)
    assert out.returncode == 1 and "no tests ran against the solution" in out.stdout


def test_tests_that_do_not_collect_are_a_breach(workbook):
    _add_test(workbook, "def test_broken(kata:\n    pass\n")
    out, verdicts = _verify(workbook)
    assert out.returncode == 1 and "tests do not collect" in out.stdout


def test_budget_overrun_is_a_breach_or_within_tolerance_a_warning(workbook):
    # Burns 3.2 s of CPU after a call the stub fails on: over the 3 s budget, within 2x of it.
    _add_test(workbook, "def test_burns_cpu(kata):\n    import time\n    kata.sinusoidal_positions(4, 4)\n"
                        "    t = time.process_time()\n    while time.process_time() - t < 3.2:\n        pass\n")
    strict, verdicts = _verify(workbook)
    assert strict.returncode == 1 and "the budget is 3 s" in strict.stdout, strict.stdout
    tolerant = workbook.grader("verify", "--budget-tolerance", "2")
    assert tolerant.returncode == 0 and "warning:" in tolerant.stdout and "within the 2× tolerance" in tolerant.stdout
