"""`grader verify` passes a sound kata and names every kind of breach in its row."""
import json

from workbook_copy import EXEMPLAR


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
    assert EXEMPLAR


def test_given_helper_that_differs_in_the_solution_is_a_breach(workbook):
    helper = "\n\ndef half(x: float) -> float:\n    return x / {}\n"
    stub, sol = workbook.kata() / "sinusoidal.py", workbook.solution() / "sinusoidal.py"
    stub.write_text(stub.read_text() + helper.format(2))
    sol.write_text(sol.read_text() + helper.format(3))
    out, _ = _verify(workbook)
    assert out.returncode == 1 and "`half` is given in the stub but differs in the solution" in out.stdout
